import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FullChainServer

/// One profile per person: scanning consumers get a profile, sign-ins put their proven
/// identities on it, the same unionid merges two profiles (recorded, reversible exactly, even
/// after new scans), and the brand's list and profile pages show each caller their reach.
@Suite("Consumer profiles")
struct ConsumerProfileTests {
    /// The pseudonym the brand keeps for a subject.
    static func pseudonym(_ app: TestApp, _ subject: String, _ tenantID: Int64) -> String {
        String(app.services.consumers.scanPseudonym(of: subject, tenantID: tenantID).dropFirst("consumer:".count))
    }

    @Test(arguments: APIBackend.all)
    func aUnionidJoinsTwoProfilesAndUndoingItRestoresBoth(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 8)
                let tenantID = world.tenantA.id
                let profiles = app.storage.profiles
                for code in codes[0..<2] { try await MallTests.scan(client, app, code, as: "openid:o-anna", tenantID: tenantID) }
                try await MallTests.scan(client, app, codes[2], as: "openid:o-anna-2", tenantID: tenantID)
                #expect(try await profiles.rollup(now: currentMillis(), tenantID: tenantID) == 2)
                let a = try #require(try await profiles.profileID(of: Self.pseudonym(app, "openid:o-anna", tenantID), tenantID: tenantID))
                let b = try #require(try await profiles.profileID(of: Self.pseudonym(app, "openid:o-anna-2", tenantID), tenantID: tenantID))
                #expect(a != b)
                let scope = AccessScope.wholeTenant(tenantID)
                #expect(try await profiles.get(id: a, scope: scope)?.summary.verified == false)

                // Signing in with WeChat proves the openid; the same unionid under a second app joins the two.
                let union = Self.pseudonym(app, "unionid:u-anna", tenantID)
                let now = currentMillis()
                #expect(
                    try await profiles.attach(
                        [(Self.pseudonym(app, "openid:o-anna", tenantID), .openid), (union, .unionid)], label: "o-an…anna", evidence: .sameUnionid,
                        at: now, tenantID: tenantID) == a)
                // The older profile (the lower number) is kept.
                let (kept, gone) = (min(a, b), max(a, b))
                #expect(
                    try await profiles.attach(
                        [(Self.pseudonym(app, "openid:o-anna-2", tenantID), .openid), (union, .unionid)], label: "o-an…na-2",
                        evidence: .sameUnionid, at: now, tenantID: tenantID) == kept)
                let merged = try #require(try await profiles.get(id: kept, scope: scope))
                #expect(merged.summary.scans == 3 && merged.summary.verified && merged.summary.label.hasPrefix("o-an…"), "\(merged.summary)")
                #expect(merged.identities.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.openid, .openid, .unionid])
                let merge = try #require(merged.merges.first)
                #expect(merge.evidence == .sameUnionid && merge.mergedID == gone && merge.keptID == kept && !merge.moved.isEmpty)
                #expect(try await profiles.get(id: gone, scope: scope)?.mergedInto == kept)
                // The world's own consumer (of R2's store) and this person.
                #expect(try await profiles.list(ListQuery(), filter: ConsumerFilter(), scope: scope).total == 2)

                // A new scan on the merged profile, then the merge is undone: each side gets exactly its own back.
                try await MallTests.scan(client, app, codes[3], as: "openid:o-anna-2", tenantID: tenantID)
                _ = try await profiles.rollup(now: currentMillis(), tenantID: tenantID)
                #expect(try await profiles.get(id: kept, scope: scope)?.summary.scans == 4)
                let undone = try await profiles.unmerge(merge.id, at: currentMillis(), tenantID: tenantID)
                #expect(undone.undoneAt != nil)
                let (afterA, afterB) = (
                    try #require(try await profiles.get(id: a, scope: scope)), try #require(try await profiles.get(id: b, scope: scope))
                )
                #expect(afterA.summary.scans == 2 && afterB.summary.scans == 2 && afterB.mergedInto == nil, "\(afterA.summary) \(afterB.summary)")
                #expect(afterA.identities.count + afterB.identities.count == 3 && afterA.summary.verified && afterB.summary.verified)
                // Undone is final: signing in again with the unionid does not join them again.
                _ = try await profiles.attach(
                    [(Self.pseudonym(app, "openid:o-anna-2", tenantID), .openid), (union, .unionid)], label: "o-an…na-2", evidence: .sameUnionid,
                    at: currentMillis(), tenantID: tenantID)
                #expect(try await profiles.get(id: b, scope: scope)?.mergedInto == nil)

                // Refused: into itself, a merged one, nobody, another brand's, twice undone.
                await #expect(throws: MergeRefusal.sameProfile) {
                    try await profiles.merge(a, into: a, evidence: .manual, at: now, tenantID: tenantID)
                }
                await #expect(throws: MergeRefusal.notFound) {
                    try await profiles.merge(a, into: 999_999, evidence: .manual, at: now, tenantID: tenantID)
                }
                await #expect(throws: MergeRefusal.notFound) {
                    try await profiles.merge(a, into: b, evidence: .manual, at: now, tenantID: world.tenantB.id)
                }
                await #expect(throws: MergeRefusal.alreadyUndone) { try await profiles.unmerge(merge.id, at: now, tenantID: tenantID) }
                // A loop: b into a, then a into b is refused (a holds b now); undoing needs the later merge undone first.
                let manual = try await profiles.merge(b, into: a, evidence: .manual, at: now, tenantID: tenantID)
                await #expect(throws: MergeRefusal.alreadyMerged) {
                    try await profiles.merge(a, into: b, evidence: .manual, at: now, tenantID: tenantID)
                }
                try await MallTests.scan(client, app, codes[4], as: "openid:o-carl", tenantID: tenantID)
                _ = try await profiles.rollup(now: currentMillis(), tenantID: tenantID)
                let c = try #require(try await profiles.profileID(of: Self.pseudonym(app, "openid:o-carl", tenantID), tenantID: tenantID))
                let later = try await profiles.merge(a, into: c, evidence: .manual, at: now, tenantID: tenantID)
                await #expect(throws: MergeRefusal.mergedSince) { try await profiles.unmerge(manual.id, at: now, tenantID: tenantID) }
                _ = try await profiles.unmerge(later.id, at: now, tenantID: tenantID)
                _ = try await profiles.unmerge(manual.id, at: now, tenantID: tenantID)
                #expect(try await profiles.get(id: b, scope: scope)?.summary.scans == 2)
                #expect(try await profiles.get(id: c, scope: scope)?.summary.scans == 1)
                // A device two people signed in on stays with the first and joins nothing.
                let shared = Self.pseudonym(app, "device:shared-phone", tenantID)
                let first = try await profiles.attach(
                    [(Self.pseudonym(app, "openid:o-first", tenantID), .openid), (shared, .device)], label: "o-fi…irst", evidence: nil,
                    at: now, tenantID: tenantID)
                let second = try await profiles.attach(
                    [(Self.pseudonym(app, "openid:o-second", tenantID), .openid), (shared, .device)], label: "o-se…cond",
                    evidence: .sameUnionid, at: now, tenantID: tenantID)
                let holder = try await profiles.profileID(of: shared, tenantID: tenantID)
                #expect(first != second && holder == first)
                #expect(try await profiles.get(id: second, scope: scope)?.mergedInto == nil)
                #expect(try await profiles.get(id: first, scope: scope)?.identities.contains { $0.kind == .device } == true)
                // Another brand sees none of it.
                #expect(try await profiles.get(id: a, scope: .wholeTenant(world.tenantB.id)) == nil)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func theListAndProfileShowEachCallerTheirReach(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 4)
                let tenantID = world.tenantA.id
                try await MallTests.scan(client, app, codes[0], as: "openid:o-dora", tenantID: tenantID)
                try await MallTests.scan(client, app, codes[1], as: "openid:o-dora", tenantID: tenantID)
                try await MallTests.scan(client, app, codes[2], as: "openid:o-emil", tenantID: tenantID)
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis())
                let dora = try #require(
                    try await app.storage.profiles.profileID(of: Self.pseudonym(app, "openid:o-dora", tenantID), tenantID: tenantID))

                // HQ: both (and the world's consumer of R2), most recent first; found by openid; filtered by store and stage; exported.
                let all = try await client.call(.get, "/api/v1/consumers", token: world.adminToken)
                #expect(all.status == .ok && all.json["total"] as? Int == 3, "\(all.text)")
                let atST1 = try await client.call(.get, "/api/v1/consumers?storeID=\(world.storeST1)", token: world.adminToken)
                #expect(atST1.json["total"] as? Int == 2, "\(atST1.text)")
                let found = try await client.call(.get, "/api/v1/consumers?q=o-dora", token: world.adminToken)
                #expect((found.json["items"] as? [[String: Any]])?.map { $0["id"] as? Int } == [Int(dora)], "\(found.text)")
                #expect((found.json["items"] as? [[String: Any]])?.first?["stage"] as? String == "active")
                let nobody = try await client.call(.get, "/api/v1/consumers?q=13912345678", token: world.adminToken)
                #expect(nobody.json["total"] as? Int == 0)
                let loyal = try await client.call(.get, "/api/v1/consumers?stage=loyal", token: world.adminToken)
                #expect(loyal.json["total"] as? Int == 0)
                #expect(try await client.call(.get, "/api/v1/consumers?stage=vip", token: world.adminToken).status == .badRequest)
                #expect(try await client.call(.get, "/api/v1/consumers?regionCode=11", token: world.adminToken).status == .badRequest)
                #expect(try await client.call(.get, "/api/v1/consumers?offset=20000", token: world.adminToken).status == .badRequest)
                let csv = try await client.call(.get, "/api/v1/consumers?format=csv", token: world.adminToken)
                #expect(csv.status == .ok && csv.text.contains("id,label,verified,stage") && !csv.text.contains("o-dora"), "\(csv.text)")

                // The profile: no openid anywhere, the scans and the points.
                let profile = try await client.call(.get, "/api/v1/consumers/\(dora)", token: world.adminToken)
                #expect(profile.status == .ok && !profile.text.contains("o-dora"), "\(profile.text)")
                #expect((profile.json["consumer"] as? [String: Any])?["scans"] as? Int == 2 && profile.json["pointsBalance"] as? Int == 200)
                let page = try await client.call(.get, "/consumers/\(dora)", token: world.adminToken)
                #expect(page.status == .ok && page.text.contains(#"id="timeline""#) && page.text.contains("扫码"), "\(page.text)")
                let list = try await client.call(.get, "/consumers?q=o-dora", token: world.adminToken)
                #expect(list.status == .ok && list.text.contains(#"data-consumer="\#(dora)""#) && !list.text.contains("o-emil"))

                // A manager of the stores' region sees them; one of another region, and another brand, see nobody.
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                #expect(try await client.call(.get, "/api/v1/consumers", token: manager.token).json["total"] as? Int == 2)
                let outside = try await app.token(tenantID: tenantID, userID: try #require(world.outsideA["users"]))
                let theirs = try await client.call(.get, "/api/v1/consumers", token: outside)
                #expect(theirs.json["total"] as? Int == 1 && !theirs.text.contains("\"id\":\(dora),"), "\(theirs.status) \(theirs.text)")
                #expect(try await client.call(.get, "/api/v1/consumers/\(dora)", token: outside).status == .notFound)
                let foreign = try await app.token(tenantID: world.tenantB.id, userID: try #require(world.foreignB["users"]))
                #expect(try await client.call(.get, "/api/v1/consumers/\(dora)", token: foreign).status == .notFound)

                // The store sees its customers once they agree to share with it.
                let store = try #require(world.actors.first { $0.role == .store })
                #expect(try await client.call(.get, "/api/v1/consumers", token: store.token).json["total"] as? Int == 0)
                let consent = try await client.call(
                    .post, "/me/consents", token: nil, body: Array("store_sharing=yes".utf8),
                    headers: try app.consumerHeaders("openid:o-dora", tenantID: tenantID).merging([.contentType: "application/x-www-form-urlencoded"])
                )
                #expect(consent.status == .seeOther || consent.status == .found, "\(consent.status)")
                let shared = try await client.call(.get, "/api/v1/consumers", token: store.token)
                #expect((shared.json["items"] as? [[String: Any]])?.map { $0["id"] as? Int } == [Int(dora)], "\(shared.text)")

                // HQ merges through the API and undoes it; others may not.
                let emil = try #require(
                    try await app.storage.profiles.profileID(of: Self.pseudonym(app, "openid:o-emil", tenantID), tenantID: tenantID))
                #expect(
                    try await client.call(.post, "/api/v1/consumers/\(emil)/merge", token: manager.token, json: #"{"intoID":\#(dora)}"#).status
                        == .forbidden)
                let mergedNow = try await client.call(
                    .post, "/api/v1/consumers/\(emil)/merge", token: world.adminToken, json: #"{"intoID":\#(dora)}"#)
                #expect(mergedNow.status == .created && mergedNow.json["evidence"] as? String == "manual", "\(mergedNow.text)")
                let again = try await client.call(.post, "/api/v1/consumers/\(emil)/merge", token: world.adminToken, json: #"{"intoID":\#(dora)}"#)
                #expect(again.status == .conflict && again.errorCode == "already_merged")
                let itself = try await client.call(.post, "/api/v1/consumers/\(dora)/merge", token: world.adminToken, json: #"{"intoID":\#(dora)}"#)
                #expect(itself.status == .unprocessableContent && itself.errorCode == "same_profile")
                #expect(try await client.call(.get, "/api/v1/consumers", token: world.adminToken).json["total"] as? Int == 2)
                let mergeID = try #require(mergedNow.json["id"] as? Int)
                let undo = try await client.call(.post, "/api/v1/consumer-merges/\(mergeID)/undo", token: world.adminToken)
                #expect(undo.status == .ok && undo.json["undoneAt"] is Int, "\(undo.text)")
                #expect(
                    try await client.call(.post, "/api/v1/consumer-merges/\(mergeID)/undo", token: world.adminToken).errorCode == "already_undone")
                #expect(try await client.call(.get, "/api/v1/consumers", token: world.adminToken).json["total"] as? Int == 3)
            }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var fields = self
        for field in other { fields[field.name] = field.value }
        return fields
    }
}
