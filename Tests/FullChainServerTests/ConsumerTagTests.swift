import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FullChainServer

/// Consumer tags: HQ defines them (a rule, or by hand); rule tags go on and come off as scans
/// and mall takes arrive and as their windows pass, reach the profiles there were before them,
/// and filter the brand's consumer list within each caller's reach.
@Suite("Consumer tags")
struct ConsumerTagTests {
    static func create(_ client: some TestClientProtocol, _ world: TestWorld, _ json: String) async throws -> [String: Any] {
        let created = try await client.call(.post, "/api/v1/consumer-tags", token: world.adminToken, json: json)
        #expect(created.status == .created, "\(created.text)")
        return created.json
    }

    static func ids(_ response: TestResponse) -> [Int] {
        ((response.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
    }

    @Test(arguments: APIBackend.all)
    func ruleTagsFollowWhatConsumersDoAndTime(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 6)
                let tenantID = world.tenantA.id
                let consumers = app.services.consumers
                // Anna scans once; a tag defined now is put on the profiles there are.
                try await MallTests.scan(client, app, codes[0], as: "openid:o-anna", tenantID: tenantID)
                _ = try await consumers.rollupProfiles(tenantID: tenantID, now: currentMillis())
                let anna = try #require(
                    try await app.storage.profiles.profileID(of: ConsumerProfileTests.pseudonym(app, "openid:o-anna", tenantID), tenantID: tenantID))
                let scanned = try await Self.create(client, world, #"{"name":"扫过码","rule":{"kind":"scans"}}"#)
                #expect(scanned["current"] as? Bool == true && scanned["members"] as? Int == 1 && scanned["owner"] as? String == "admin")
                let repeatTag = try await Self.create(
                    client, world, #"{"name":"近7天复购","description":"7 天内扫 2 次","rule":{"kind":"scans","atLeast":2,"days":7}}"#)
                let repeatID = try #require(repeatTag["id"] as? Int)
                #expect(repeatTag["members"] as? Int == 0)
                let spender = try await Self.create(client, world, #"{"name":"积分消费","rule":{"kind":"points_spent","atLeast":150}}"#)

                // The second scan puts the repeat tag on at the rollup; the list filters by it.
                try await MallTests.scan(client, app, codes[1], as: "openid:o-anna", tenantID: tenantID)
                try await MallTests.scan(client, app, codes[2], as: "openid:o-bert", tenantID: tenantID)
                _ = try await consumers.rollupProfiles(tenantID: tenantID, now: currentMillis())
                let repeaters = try await client.call(.get, "/api/v1/consumers?tagID=\(repeatID)", token: world.adminToken)
                #expect(Self.ids(repeaters) == [Int(anna)], "\(repeaters.text)")
                #expect(try await app.storage.tags.get(id: Int64(repeatID), tenantID: tenantID)?.members == 1)

                // Taking a mall item moves the points tag at once, with no rollup.
                let item = try await MallTests.item(client, world, stock: 5)
                let taken = try await MallTests.take(client, app, item: item, as: "openid:o-anna", tenantID: tenantID)
                #expect(taken.status == .seeOther, "\(taken.text)")
                let profile = try #require(try await app.storage.profiles.get(id: anna, scope: .wholeTenant(tenantID)))
                #expect(Set(profile.tags.map(\.name)) == ["扫过码", "近7天复购", "积分消费"], "\(profile.tags)")
                #expect(try await app.storage.tags.get(id: Int64(try #require(spender["id"] as? Int)), tenantID: tenantID)?.members == 1)

                // Eight days on, the repeat scans left the window: the tag comes off without any new scan; an idle tag goes on.
                let later = currentMillis() + 8 * TagRule.day
                let idle = try await app.storage.tags.create(
                    TagDraft(name: "沉睡7天", description: "", rule: TagRule(kind: .idle, days: 7)), owner: "admin", at: later, tenantID: tenantID)
                _ = try await consumers.catchUpTags(tenantID: tenantID, now: later)
                let after = try #require(try await app.storage.profiles.get(id: anna, scope: .wholeTenant(tenantID)))
                #expect(Set(after.tags.map(\.name)) == ["扫过码", "积分消费", "沉睡7天"], "\(after.tags)")
                #expect(try await app.storage.tags.get(id: Int64(repeatID), tenantID: tenantID)?.members == 0)
                #expect(try await app.storage.tags.get(id: idle.id, tenantID: tenantID)?.current == true)

                // A merged profile carries no rule tags of its own; undoing the merge puts them back.
                let bert = try #require(
                    try await app.storage.profiles.profileID(of: ConsumerProfileTests.pseudonym(app, "openid:o-bert", tenantID), tenantID: tenantID))
                let merge = try await app.storage.profiles.merge(bert, into: anna, evidence: .manual, at: currentMillis(), tenantID: tenantID)
                #expect(try await app.storage.tags.tags(ofProfile: bert, tenantID: tenantID).isEmpty)
                _ = try await app.storage.profiles.unmerge(merge.id, at: currentMillis(), tenantID: tenantID)
                #expect(try await app.storage.tags.tags(ofProfile: bert, tenantID: tenantID).map(\.name) == ["扫过码"])
                #expect(try await app.storage.tags.get(id: Int64(try #require(scanned["id"] as? Int)), tenantID: tenantID)?.members == 2)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func manualTagsBadInputAndReach(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 2)
                let tenantID = world.tenantA.id
                try await MallTests.scan(client, app, codes[0], as: "openid:o-cleo", tenantID: tenantID)
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis())
                let cleo = try #require(
                    try await app.storage.profiles.profileID(of: ConsumerProfileTests.pseudonym(app, "openid:o-cleo", tenantID), tenantID: tenantID))
                let outside = try #require(world.outsideA["consumers"])
                let vip = try #require(try await Self.create(client, world, #"{"name":"VIP","rule":null}"#)["id"] as? Int)
                let rule = try #require(try await Self.create(client, world, #"{"name":"扫过码","rule":{"kind":"scans"}}"#)["id"] as? Int)

                // Refused, and nothing written: bad rules, a product or store of nobody, a taken name, not HQ.
                for (json, code) in [
                    (#"{"name":"x","rule":{"kind":"magic"}}"#, "validation_failed"),
                    (#"{"name":"x","rule":{"kind":"scans","atLeast":-1,"regionCode":"99"}}"#, "validation_failed"),
                    (#"{"name":"x","rule":{"kind":"scans","productID":999999}}"#, "validation_failed"),
                    (#"{"name":"x","rule":{"kind":"scans","storeID":\#(try #require(world.foreignB["stores"]))}}"#, "validation_failed"),
                    (#"{"name":"VIP"}"#, "tag_exists"),
                    (#"{"name":"x","rule":{"kind":"idle","days":9223372036854775807}}"#, "validation_failed"),
                ] {
                    let refused = try await client.call(.post, "/api/v1/consumer-tags", token: world.adminToken, json: json)
                    #expect([409, 422].contains(refused.status.code) && refused.errorCode == code, "\(json) → \(refused.text)")
                }
                for actor in world.actors {
                    let refused = try await client.call(.post, "/api/v1/consumer-tags", token: actor.token, json: #"{"name":"y"}"#)
                    #expect(refused.status == .forbidden, "\(actor.name)")
                }
                let tags = try await client.call(.get, "/api/v1/consumer-tags", token: world.adminToken)
                let listed = (try? JSONSerialization.jsonObject(with: Data(tags.text.utf8)) as? [[String: Any]]) ?? []
                #expect(listed.compactMap { $0["name"] as? String }.sorted() == ["VIP", "扫过码"], "\(tags.text)")

                // HQ puts the manual tag on Cleo and on R2's consumer; once is enough; a rule tag is its rule's.
                let put = try await client.call(.post, "/api/v1/consumers/\(cleo)/tags", token: world.adminToken, json: #"{"tagID":\#(vip)}"#)
                #expect(put.status == .ok && put.json["added"] as? Bool == true, "\(put.text)")
                let again = try await client.call(.post, "/api/v1/consumers/\(cleo)/tags", token: world.adminToken, json: #"{"tagID":\#(vip)}"#)
                #expect(again.json["added"] as? Bool == false)
                _ = try await client.call(.post, "/api/v1/consumers/\(outside)/tags", token: world.adminToken, json: #"{"tagID":\#(vip)}"#)
                let ruled = try await client.call(.post, "/api/v1/consumers/\(cleo)/tags", token: world.adminToken, json: #"{"tagID":\#(rule)}"#)
                #expect(ruled.status == .conflict && ruled.errorCode == "rule_tag")
                let foreign = try await client.call(
                    .post, "/api/v1/consumers/\(cleo)/tags", token: world.adminToken,
                    json: #"{"tagID":\#(try #require(world.foreignB["consumer-tags"]))}"#)
                #expect(foreign.status == .notFound)

                // HQ's list by tag has both; R1's manager sees only Cleo, and no counts.
                let hq = try await client.call(.get, "/api/v1/consumers?tagID=\(vip)", token: world.adminToken)
                #expect(Set(Self.ids(hq)) == [Int(cleo), Int(outside)], "\(hq.text)")
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                let mine = try await client.call(.get, "/api/v1/consumers?tagID=\(vip)", token: manager.token)
                #expect(Self.ids(mine) == [Int(cleo)], "\(mine.text)")
                let managerTags = try await client.call(.get, "/api/v1/consumer-tags", token: manager.token)
                #expect(managerTags.status == .ok && !managerTags.text.contains("members"), "\(managerTags.text)")
                let profile = try await client.call(.get, "/api/v1/consumers/\(cleo)", token: world.adminToken)
                #expect(profile.text.contains(#""name":"VIP""#) && profile.text.contains(#""by":"admin""#), "\(profile.text)")

                // Taken off (once), then the tag deleted: off everyone.
                let off = try await client.call(.delete, "/api/v1/consumers/\(cleo)/tags/\(vip)", token: world.adminToken)
                #expect(off.status == .noContent)
                let offAgain = try await client.call(.delete, "/api/v1/consumers/\(cleo)/tags/\(vip)", token: world.adminToken)
                #expect(offAgain.status == .notFound)
                #expect(try await app.storage.tags.get(id: Int64(vip), tenantID: tenantID)?.members == 1)
                let deleted = try await client.call(.delete, "/api/v1/consumer-tags/\(vip)", token: world.adminToken)
                #expect(deleted.status == .noContent)
                let none = try await client.call(.get, "/api/v1/consumers?tagID=\(vip)", token: world.adminToken)
                #expect(none.json["total"] as? Int == 0)
                #expect(try await app.storage.tags.tags(ofProfile: outside, tenantID: tenantID).isEmpty)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func hqDefinesTagsAndTagsConsumersOnThePages(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 2)
                let tenantID = world.tenantA.id
                try await MallTests.scan(client, app, codes[0], as: "openid:o-dana", tenantID: tenantID)
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis())
                let dana = try #require(
                    try await app.storage.profiles.profileID(of: ConsumerProfileTests.pseudonym(app, "openid:o-dana", tenantID), tenantID: tenantID))
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]

                // A scan rule in Beijing and a manual tag, from the form; a broken one is named in Chinese.
                let rule = try await client.call(
                    .post, "/consumer-tags", token: world.adminToken,
                    body: Array("name=%E5%8C%97%E4%BA%AC%E6%89%AB%E7%A0%81&kind=scans&atLeast=1&days=&region=110000000000&productID=".utf8),
                    headers: form)
                #expect(rule.status == .seeOther, "\(rule.text)")
                let manual = try await client.call(
                    .post, "/consumer-tags", token: world.adminToken, body: Array("name=VIP&kind=manual&atLeast=1".utf8), headers: form)
                #expect(manual.status == .seeOther, "\(manual.text)")
                let broken = try await client.call(
                    .post, "/consumer-tags", token: world.adminToken, body: Array("name=&kind=idle&days=abc".utf8), headers: form)
                #expect(broken.status == .unprocessableContent && broken.text.contains(#"data-field="rule.days""#), "\(broken.text)")
                // Each error's words (between its tag and `</li>`) carry no English.
                let errors = try #require(broken.text.range(of: #"id="errors">"#)).upperBound
                let items = broken.text[errors...].components(separatedBy: "</ul>")[0].components(separatedBy: "</li>").dropLast()
                let words = items.compactMap { $0.components(separatedBy: #"">"#).last }
                #expect(words.count == 2 && words.allSatisfy { !$0.isEmpty && !$0.contains { $0.isASCII && $0.isLetter } }, "\(words)")

                let page = try await client.call(.get, "/consumer-tags", token: world.adminToken)
                #expect(page.status == .ok && page.text.contains("北京扫码") && page.text.contains("累计扫码至少 1 次（地区：北京"), "\(page.text)")
                let tags = try await app.storage.tags.list(tenantID: tenantID)
                let beijing = try #require(tags.first { $0.name == "北京扫码" }), vip = try #require(tags.first { $0.name == "VIP" })
                #expect(beijing.rule == TagRule(kind: .scans, regionCode: "110000000000"))
                #expect(page.text.contains(#"data-members="\#(beijing.members)""#))

                // The profile page offers the manual tag; put on, it shows with who put it on; taken off again.
                let profile = try await client.call(.get, "/consumers/\(dana)", token: world.adminToken)
                #expect(profile.text.contains(#"id="add-tag""#) && profile.text.contains(#"value="\#(vip.id)""#), "\(profile.text)")
                let put = try await client.call(
                    .post, "/consumers/\(dana)/tags", token: world.adminToken, body: Array("tagID=\(vip.id)".utf8), headers: form)
                #expect(put.status == .seeOther)
                let tagged = try await client.call(.get, "/consumers/\(dana)", token: world.adminToken)
                #expect(tagged.text.contains(#"data-tag="\#(vip.id)" data-manual="yes""#), "\(tagged.text)")
                let list = try await client.call(.get, "/consumers?tagId=\(vip.id)", token: world.adminToken)
                #expect(list.text.contains(#"data-consumer="\#(dana)""#) && list.text.contains(#"id="tags-link""#))
                let removed = try await client.call(
                    .post, "/consumers/\(dana)/tags/\(vip.id)/remove", token: world.adminToken, body: [], headers: form)
                #expect(removed.status == .seeOther)
                // Dana scanned at a Beijing store: the region's rule tag stays on.
                #expect(beijing.members == 1)
                #expect(try await app.storage.tags.tags(ofProfile: dana, tenantID: tenantID).map(\.name) == ["北京扫码"])

                // Only HQ opens the tags page or writes tags.
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                #expect(try await client.call(.get, "/consumer-tags", token: manager.token).status == .forbidden)
                let sneaky = try await client.call(
                    .post, "/consumers/\(dana)/tags", token: manager.token, body: Array("tagID=\(vip.id)".utf8), headers: form)
                #expect(sneaky.status == .forbidden)
            }
        }
    }
}
