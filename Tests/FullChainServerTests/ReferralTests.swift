import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FullChainServer

/// Referrals end to end: a consumer's invite link, newcomers whose first genuine scan credits the
/// inviter once, farming held for HQ's review, the KOC figures within reach, the store's KOC
/// density, and the referral stage of the inviter's lifecycle.
@Suite("Referrals")
struct ReferralTests {
    /// The consumer's invite code, from their "我的" page.
    static func inviteCode(_ client: some TestClientProtocol, _ app: TestApp, as subject: String, tenantID: Int64) async throws -> String {
        let me = try await client.call(.get, "/me", token: nil, headers: try app.consumerHeaders(subject, tenantID: tenantID))
        let link = try #require(me.text.firstMatch(of: /id="invite-link" href="[^"]*\/i\/([0-9A-Z]{8})"/)?.1, "\(me.text)")
        #expect(me.text.contains(#"<div class="qr">"#))
        return String(link)
    }

    /// `subject` scans `code` on `device`, having opened the invite link `invite` (if any).
    static func scan(
        _ client: some TestClientProtocol, _ app: TestApp, _ code: String, as subject: String, device: String, invite: String?, tenantID: Int64
    ) async throws {
        var headers = try app.consumerHeaders(subject, tenantID: tenantID)
        if let invite, let session = headers[.cookie] { headers[.cookie] = session + "; \(ConsumerPages.referralCookie)=\(invite)" }
        let scanned = try await client.call(
            .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code)","deviceID":"\#(device)"}"#, headers: headers)
        #expect(scanned.status == .ok, "\(scanned.text)")
    }

    static func list(_ client: some TestClientProtocol, token: String, _ query: String = "") async throws -> [[String: Any]] {
        let answer = try await client.call(.get, "/api/v1/referrals" + query, token: token)
        #expect(answer.status == .ok, "\(answer.text)")
        return (try? JSONSerialization.jsonObject(with: Data(answer.text.utf8))) as? [[String: Any]] ?? []
    }

    @Test(arguments: APIBackend.all)
    func newcomersCreditTheirInviterOnceAndFarmingWaitsForReview(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 10)
                let tenantID = world.tenantA.id
                let admin = world.adminToken
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                let store = try #require(world.actors.first { $0.role == .store })

                // Kai scans, then shares the link; the link opens a page that remembers the code.
                try await Self.scan(client, app, codes[0], as: "openid:o-kai", device: "kai-phone", invite: nil, tenantID: tenantID)
                let invite = try await Self.inviteCode(client, app, as: "openid:o-kai", tenantID: tenantID)
                #expect(try await Self.inviteCode(client, app, as: "openid:o-kai", tenantID: tenantID) == invite)
                let landing = try await client.call(.get, "/i/\(invite.lowercased())", token: nil)
                #expect(landing.status == .ok && landing.headers[.setCookie]?.contains("\(ConsumerPages.referralCookie)=\(invite)") == true)
                #expect(try await client.call(.get, "/i/ZZZZZZZZ", token: nil).status == .notFound)
                #expect(try await client.call(.get, "/i/%3Cscript%3E", token: nil).status == .notFound)

                // Three newcomers scan through it on their own phones; two come back. A second scan credits nobody again.
                for (n, unit) in [(1, 1), (2, 2), (3, 3)] {
                    try await Self.scan(client, app, codes[unit], as: "openid:o-new\(n)", device: "new\(n)-phone", invite: invite, tenantID: tenantID)
                }
                try await Self.scan(client, app, codes[4], as: "openid:o-new1", device: "new1-phone", invite: invite, tenantID: tenantID)
                try await Self.scan(client, app, codes[5], as: "openid:o-new2", device: "new2-phone", invite: invite, tenantID: tenantID)
                // A fourth newcomer on new3's phone is held.
                try await Self.scan(client, app, codes[6], as: "openid:o-new4", device: "new3-phone", invite: invite, tenantID: tenantID)
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis(), since: 0)

                let counted = try await Self.list(client, token: admin, "?status=counted")
                #expect(counted.count == 3 && counted.allSatisfy { $0["storeID"] as? Int == Int(world.storeST1) }, "\(counted)")
                let held = try await Self.list(client, token: admin, "?status=held")
                #expect(held.count == 1 && held.first?["reasons"] as? [String] == ["shared_device"], "\(held)")

                // Kai is a KOC: three newcomers, two came back (score 5); R1's manager sees Kai, stores do not.
                let kai = try await SegmentTests.profile(app, "openid:o-kai", tenantID: tenantID)
                let kocs = try await client.call(.get, "/api/v1/kocs", token: manager.token)
                let line = ((try? JSONSerialization.jsonObject(with: Data(kocs.text.utf8))) as? [[String: Any]])?.first
                #expect(line?["consumerID"] as? Int == Int(kai) && line?["invited"] as? Int == 3 && line?["koc"] as? Bool == true, "\(kocs.text)")
                #expect(line?["repeaters"] as? Int == 2 && (line?["score"] as? Double).map { abs($0 - 5) < 1e-9 } == true)
                #expect(try await client.call(.get, "/api/v1/kocs", token: store.token).status == .forbidden)
                #expect(try await client.call(.get, "/api/v1/kocs?storeID=x", token: admin).status == .badRequest)
                #expect(try await client.call(.get, "/api/v1/referrals?status=maybe", token: admin).status == .badRequest)
                // The referral stage: someone Kai brought scanned.
                #expect(try await LifecycleTests.moves(client, kai, token: admin).last == "referral:referred_scan")

                // HQ reviews the held one: manager may not, a bad decision is refused, and it is decided once.
                let heldID = try #require(held.first?["id"] as? Int)
                let review = "/api/v1/referrals/\(heldID)/review"
                #expect(try await client.call(.post, review, token: manager.token, json: #"{"decision":"count"}"#).status == .forbidden)
                let bad = try await client.call(.post, review, token: admin, json: #"{"decision":"maybe"}"#)
                #expect(bad.status == .unprocessableContent && bad.text.contains(#""field":"decision""#), "\(bad.text)")
                let rejected = try await client.call(.post, review, token: admin, json: #"{"decision":"reject"}"#)
                #expect(rejected.status == .ok && rejected.json["status"] as? String == "rejected", "\(rejected.text)")
                #expect(try await client.call(.post, review, token: admin, json: #"{"decision":"count"}"#).status == .notFound)

                // A ring: Mia shares her link before she ever scans; Noa scans through it, then Mia through Noa's.
                let mia = try await Self.inviteCode(client, app, as: "openid:o-mia", tenantID: tenantID)
                try await Self.scan(client, app, codes[7], as: "openid:o-noa", device: "noa-phone", invite: mia, tenantID: tenantID)
                let noa = try await Self.inviteCode(client, app, as: "openid:o-noa", tenantID: tenantID)
                try await Self.scan(client, app, codes[8], as: "openid:o-mia", device: "mia-phone", invite: noa, tenantID: tenantID)
                let ring = try await Self.list(client, token: admin, "?status=held")
                #expect(ring.count == 1 && ring.first?["reasons"] as? [String] == ["ring"], "\(ring)")

                // The pages: the KOC list and the held referrals; the store's KOC density.
                let page = try await client.call(.get, "/kocs", token: admin)
                #expect(page.status == .ok && page.text.contains(#"data-koc="1" data-invited="3""#), "\(page.text)")
                #expect(page.text.contains(#"action="/referrals/"#))
                let storePage = try await client.call(.get, "/stores/\(world.storeST1)", token: admin)
                #expect(storePage.text.contains(#"id="store-kocs" data-density="high""#), "\(storePage.text)")
                #expect(storePage.text.contains("/consumers/\(kai)"))
                let storeStaff = try await client.call(.get, "/stores/\(world.storeST1)", token: store.token)
                #expect(storeStaff.text.contains(#"id="store-kocs""#) && !storeStaff.text.contains("/consumers/\(kai)"))
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func referrersArePaidFromTheBudgetOnceUntilItIsSpent(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 5)
                let tenantID = world.tenantA.id
                let admin = world.adminToken
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                let programme = "/api/v1/referrals/programme"
                #expect(try await client.call(.get, programme, token: manager.token).json["rewardPoints"] as? Int == 0)
                for body in [#"{"rewardPoints":-1}"#, #"{"rewardPoints":10001}"#, #"{"rewardPoints":10,"addBudgetPoints":-5}"#, #"{}"#] {
                    let refused = try await client.call(.put, programme, token: admin, json: body)
                    #expect(refused.status == .unprocessableContent && refused.errorCode == "validation_failed", "\(body) → \(refused.text)")
                }
                #expect(try await client.call(.put, programme, token: manager.token, json: #"{"rewardPoints":100}"#).status == .forbidden)
                // 100 points a newcomer, 250 in the budget: two newcomers are paid, the third finds it spent.
                let set = try await client.call(.put, programme, token: admin, json: #"{"rewardPoints":100,"addBudgetPoints":250}"#)
                #expect(set.json["rewardPoints"] as? Int == 100 && set.json["budgetLeft"] as? Int == 250, "\(set.text)")

                try await Self.scan(client, app, codes[0], as: "openid:o-lea", device: "lea-phone", invite: nil, tenantID: tenantID)
                let invite = try await Self.inviteCode(client, app, as: "openid:o-lea", tenantID: tenantID)
                let lea = ConsumerProfileTests.pseudonym(app, "openid:o-lea", tenantID)
                let before = try await app.storage.ledger.balance(of: .consumerWallet(lea), asset: .points, tenantID: tenantID)
                for n in 1...3 {
                    try await Self.scan(
                        client, app, codes[n], as: "openid:o-friend\(n)", device: "friend\(n)-phone", invite: invite, tenantID: tenantID)
                }
                let after = try await app.storage.ledger.balance(of: .consumerWallet(lea), asset: .points, tenantID: tenantID)
                #expect(after - before == 200, "\(before) → \(after)")
                #expect(try await client.call(.get, programme, token: admin).json["budgetLeft"] as? Int == 50)
                // Paying again for the same referral changes nothing.
                let first = try #require(try await app.storage.referrals.list(status: .counted, scope: .wholeTenant(tenantID), limit: 10).last)
                #expect(try await app.services.consumers.reward(first.referral, tenantID: tenantID))
                #expect(try await app.storage.ledger.balance(of: .consumerWallet(lea), asset: .points, tenantID: tenantID) == after)
                // Topped up, the next newcomer is paid; the books balance.
                _ = try await client.call(.put, programme, token: admin, json: #"{"rewardPoints":100,"addBudgetPoints":100}"#)
                try await Self.scan(client, app, codes[4], as: "openid:o-friend4", device: "friend4-phone", invite: invite, tenantID: tenantID)
                #expect(try await app.storage.ledger.balance(of: .consumerWallet(lea), asset: .points, tenantID: tenantID) == after + 100)
                #expect(try await client.call(.get, programme, token: admin).json["budgetLeft"] as? Int == 50)
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
                let page = try await client.call(.get, "/kocs", token: admin)
                #expect(page.text.contains(#"id="referral-budget" data-left="50""#) && page.text.contains(#"action="/referrals/programme""#))
            }
        }
    }

}
