import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FullChainServer

/// Segments: HQ combines tags, attributes and events into a rule; anyone who lists consumers
/// counts and lists its members within their reach, from an index kept current as profiles
/// change; bad rules are refused field by field.
@Suite("Segments")
struct SegmentTests {
    static func count(_ client: some TestClientProtocol, token: String, _ rule: String) async throws -> TestResponse {
        try await client.call(.post, "/api/v1/segments/count", token: token, json: rule)
    }

    static func profile(_ app: TestApp, _ subject: String, tenantID: Int64) async throws -> Int64 {
        try #require(
            try await app.storage.profiles.profileID(of: ConsumerProfileTests.pseudonym(app, subject, tenantID), tenantID: tenantID))
    }

    @Test(arguments: APIBackend.all)
    func segmentsCountAndListTheirMembersWithinReach(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 4)
                let tenantID = world.tenantA.id
                // Anna scans twice, Bert once, both at R1's store; R2's consumer (OUTSIDE) has no scans.
                try await MallTests.scan(client, app, codes[0], as: "openid:o-anna", tenantID: tenantID)
                try await MallTests.scan(client, app, codes[1], as: "openid:o-anna", tenantID: tenantID)
                try await MallTests.scan(client, app, codes[2], as: "openid:o-bert", tenantID: tenantID)
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis())
                let anna = try await Self.profile(app, "openid:o-anna", tenantID: tenantID)
                let bert = try await Self.profile(app, "openid:o-bert", tenantID: tenantID)
                let outside = try #require(world.outsideA["consumers"])
                let vip = try await app.storage.tags.create(
                    TagDraft(name: "VIP", description: "", rule: nil), owner: "admin", at: 0, tenantID: tenantID)
                for id in [bert, outside] {
                    _ = try await app.storage.tags.tag(id, with: vip.id, by: "admin", at: currentMillis(), tenantID: tenantID)
                }
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                let admin = world.adminToken

                // Counts: repeat scanners; VIPs or repeat scanners (HQ sees R2's VIP, R1's manager does not); R1's store but not VIP.
                let repeaters = #"{"match":"all","conditions":[{"kind":"scanned","atLeast":2,"days":30}]}"#
                #expect(try await Self.count(client, token: admin, repeaters).json["count"] as? Int == 1)
                let either = #"{"match":"any","conditions":[{"kind":"tag","tagID":\#(vip.id)},{"kind":"scanned","atLeast":2,"days":30}]}"#
                let hqCount = try await Self.count(client, token: admin, either)
                #expect(hqCount.status == .ok && hqCount.json["count"] as? Int == 3, "\(hqCount.text)")
                #expect(try await Self.count(client, token: manager.token, either).json["count"] as? Int == 2)
                let notVIP =
                    #"{"match":"all","conditions":[{"kind":"store","storeID":\#(world.storeST1)},{"kind":"tag","tagID":\#(vip.id),"negate":true}]}"#
                #expect(try await Self.count(client, token: admin, notVIP).json["count"] as? Int == 1)
                let beijing = #"{"match":"all","conditions":[{"kind":"region","regionCode":"110000000000"},{"kind":"stage","stage":"active"}]}"#
                #expect(try await Self.count(client, token: admin, beijing).json["count"] as? Int == 1)

                // Saved, it lists its members within each caller's reach, newest first, and exports them.
                let created = try await client.call(
                    .post, "/api/v1/segments", token: admin, json: #"{"name":"VIP或复购","description":"测试","rule":\#(either)}"#)
                #expect(
                    created.status == .created && created.json["count"] as? Int == 3 && created.json["owner"] as? String == "admin", "\(created.text)"
                )
                let id = try #require(created.json["id"] as? Int)
                let hqMembers = try await client.call(.get, "/api/v1/segments/\(id)/members", token: admin)
                #expect(ConsumerTagTests.ids(hqMembers) == [outside, bert, anna].sorted(by: >).map { Int($0) }, "\(hqMembers.text)")
                #expect(hqMembers.json["total"] as? Int == 3)
                let mine = try await client.call(.get, "/api/v1/segments/\(id)/members?limit=1&offset=1", token: manager.token)
                #expect(ConsumerTagTests.ids(mine) == [Int(min(anna, bert))] && mine.json["total"] as? Int == 2, "\(mine.text)")
                #expect(!mine.text.contains("OUTSIDE"))
                let csv = try await client.call(.get, "/api/v1/segments/\(id)/members?format=csv", token: manager.token)
                #expect(csv.status == .ok && csv.text.contains("\n\(anna),") && csv.text.contains("\n\(bert),") && !csv.text.contains("OUTSIDE"))
                let listed = try await client.call(.get, "/api/v1/segments", token: manager.token)
                #expect(listed.text.contains(#""count":2"#) && listed.text.contains("VIP或复购"), "\(listed.text)")

                // The index follows changes: Bert's VIP tag comes off, a second later the count has one fewer.
                #expect(try await app.storage.tags.untag(bert, tagID: vip.id, tenantID: tenantID))
                try await Task.sleep(for: .milliseconds(1_100))
                #expect(try await client.call(.get, "/api/v1/segments/\(id)", token: admin).json["count"] as? Int == 2)

                // Stores have no segments; only HQ saves or deletes one.
                let store = try #require(world.actors.first { $0.role == .store })
                #expect(try await Self.count(client, token: store.token, repeaters).status == .forbidden)
                #expect(try await client.call(.get, "/api/v1/segments/\(id)/members", token: store.token).status == .forbidden)
                let sneaky = try await client.call(.post, "/api/v1/segments", token: manager.token, json: #"{"name":"x","rule":\#(repeaters)}"#)
                #expect(sneaky.status == .forbidden)
                let again = try await client.call(.post, "/api/v1/segments", token: admin, json: #"{"name":"VIP或复购","rule":\#(repeaters)}"#)
                #expect(again.status == .conflict && again.errorCode == "segment_exists")
                #expect(try await client.call(.delete, "/api/v1/segments/\(id)", token: admin).status == .noContent)
                #expect(try await client.call(.get, "/api/v1/segments/\(id)", token: admin).status == .notFound)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func badRulesAreRefusedFieldByField(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let world = try await TestWorld.build(app)
                let foreignTag = try #require(world.foreignB["consumer-tags"])
                var deep = #"{"match":"all","conditions":[{"kind":"verified"}]}"#
                for _ in 0..<5 { deep = #"{"match":"all","conditions":[{"kind":"group","rule":\#(deep)}]}"# }
                let many = "[" + Array(repeating: #"{"kind":"verified"}"#, count: 21).joined(separator: ",") + "]"
                for (rule, field, code) in [
                    (#"{"match":"all","conditions":[{"kind":"verified","negate":true}]}"#, "rule", "unbounded"),
                    (#"{"match":"any","conditions":[{"kind":"verified"},{"kind":"tag","tagID":1,"negate":true}]}"#, "rule", "unbounded"),
                    (#"{"match":"all","conditions":[{"kind":"tag","tagID":\#(foreignTag)}]}"#, "rule", "invalid_reference"),
                    (#"{"match":"all","conditions":[{"kind":"scanned","atLeast":2}]}"#, "rule.conditions[0].days", "required"),
                    (#"{"match":"all","conditions":[{"kind":"redeemed","days":9223372036854775807}]}"#, "rule.conditions[0].days", "out_of_range"),
                    (#"{"match":"all","conditions":[{"kind":"region","regionCode":"1100"}]}"#, "rule.conditions[0].regionCode", "invalid_region"),
                    (#"{"match":"every","conditions":[{"kind":"verified"}]}"#, "rule.match", "invalid_choice"),
                    (#"{"match":"all","conditions":[]}"#, "rule.conditions", "required"),
                    (#"{"match":"all","conditions":\#(many)}"#, "rule.conditions", "too_long"),
                    (deep, "rule.conditions[0].rule.conditions[0].rule.conditions[0].rule.conditions[0].rule", "too_deep"),
                ] {
                    let refused = try await Self.count(client, token: world.adminToken, rule)
                    #expect(refused.status == .unprocessableContent && refused.errorCode == "validation_failed", "\(rule) → \(refused.text)")
                    #expect(
                        refused.text.contains(#""field":"\#(field)""#) && refused.text.contains(#""code":"\#(code)""#), "\(rule) → \(refused.text)")
                    let saved = try await client.call(.post, "/api/v1/segments", token: world.adminToken, json: #"{"name":"坏","rule":\#(rule)}"#)
                    #expect(saved.status == .unprocessableContent, "\(saved.text)")
                }
                #expect(try await Self.count(client, token: world.adminToken, "not json").status == .badRequest)
                #expect(try await app.storage.segments.list(tenantID: world.tenantA.id).isEmpty)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func hqBuildsASegmentOnThePageWithALiveCount(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 2)
                let tenantID = world.tenantA.id
                try await MallTests.scan(client, app, codes[0], as: "openid:o-dana", tenantID: tenantID)
                try await MallTests.scan(client, app, codes[1], as: "openid:o-eric", tenantID: tenantID)
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis())
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]

                // The editor's rows, counted as they stand: Beijing's store, then also not Eric's store... (the same store: nobody).
                let editor = try await client.call(.get, "/segments", token: world.adminToken)
                #expect(editor.status == .ok && editor.text.contains(#"id="segment-editor""#) && editor.text.contains("segment-editor.js"))
                let rows = "match=all&kind0=region&negate0=0&region0=110000000000&atLeast0=1&days0=&kind1=&negate1=0"
                let live = try await client.call(.post, "/segments/count", token: world.adminToken, body: Array(rows.utf8), headers: form)
                #expect(
                    live.status == .ok && live.json["count"] as? Int == 2 && (live.json["text"] as? String)?.contains("当前人数") == true, "\(live.text)")
                let narrowed = rows + "&kind2=store&negate2=1&store2=\(world.storeST1)"
                let none = try await client.call(.post, "/segments/count", token: world.adminToken, body: Array(narrowed.utf8), headers: form)
                #expect(none.json["count"] as? Int == 0, "\(none.text)")

                // Saved from the form; its page lists both, and the list says the rule in words.
                let saved = try await client.call(
                    .post, "/segments", token: world.adminToken, body: Array(("name=%E5%8C%97%E4%BA%AC%E5%AE%A2&" + rows).utf8), headers: form)
                #expect(saved.status == .seeOther, "\(saved.text)")
                let segment = try #require(try await app.storage.segments.list(tenantID: tenantID).first)
                let page = try await client.call(.get, "/segments/\(segment.id)", token: world.adminToken)
                #expect(page.text.contains(#"data-count="2""#) && page.text.contains("成交门店在北京市"), "\(page.text)")
                for subject in ["openid:o-dana", "openid:o-eric"] {
                    #expect(page.text.contains(#"data-consumer="\#(try await Self.profile(app, subject, tenantID: tenantID))""#))
                }
                let list = try await client.call(.get, "/segments", token: world.adminToken)
                #expect(list.text.contains("北京客") && list.text.contains(#"data-count="2""#))

                // A broken form is named in Chinese, row by row, and keeps what was typed.
                let broken = try await client.call(
                    .post, "/segments", token: world.adminToken,
                    body: Array("name=x&match=all&kind0=scanned&days0=abc&kind1=verified&negate1=1".utf8),
                    headers: form)
                #expect(broken.status == .unprocessableContent && broken.text.contains(#"data-field="rule.conditions[0].days""#), "\(broken.text)")
                #expect(broken.text.contains("第 1 个条件：天数"))
                let english = try await client.call(.get, "/segments?lang=en", token: world.adminToken)
                #expect(english.text.contains("their store is in") && english.text.contains("New segment"), "\(english.text)")

                // A manager reads segments but has no editor; a store has none.
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                let managerPage = try await client.call(.get, "/segments", token: manager.token)
                #expect(managerPage.status == .ok && !managerPage.text.contains(#"id="segment-editor""#))
                let store = try #require(world.actors.first { $0.role == .store })
                #expect(try await client.call(.get, "/segments", token: store.token).status == .forbidden)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func aCampaignWhoseAudienceIsASegmentDrawsOnlyForItsMembers(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                // Everyone's campaign (100 points) runs; Anna and Bert have scanned once each.
                let (world, codes) = try await MallTests.world(app, client, units: 6)
                let tenantID = world.tenantA.id
                try await MallTests.scan(client, app, codes[0], as: "openid:o-anna", tenantID: tenantID)
                try await MallTests.scan(client, app, codes[1], as: "openid:o-bert", tenantID: tenantID)
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis())
                let anna = try await Self.profile(app, "openid:o-anna", tenantID: tenantID)
                let vip = try await app.storage.tags.create(
                    TagDraft(name: "会员", description: "", rule: nil), owner: "admin", at: 0, tenantID: tenantID)
                _ = try await app.storage.tags.tag(anna, with: vip.id, by: "admin", at: currentMillis(), tenantID: tenantID)
                let segment = try await client.call(
                    .post, "/api/v1/segments", token: world.adminToken,
                    json: #"{"name":"会员","rule":{"match":"all","conditions":[{"kind":"tag","tagID":\#(vip.id)}]}}"#)
                let segmentID = try #require(segment.json["id"] as? Int, "\(segment.text)")

                // A newer campaign of 500 points for the segment alone; a segment of no one's is refused.
                let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first)
                let now = currentMillis()
                func targeted(_ segment: Int) -> String {
                    #"{"name":"会员专享","productIDs":[\#(product.id)],"startsAt":\#(now - 60_000),"endsAt":\#(now + 86_400_000),"tiers":[{"name":"大奖","kind":"points","points":500,"probability":1}],"budgetFen":0,"segmentID":\#(segment)}"#
                }
                let refused = try await client.call(.post, "/api/v1/campaigns", token: world.adminToken, json: targeted(987_654))
                #expect(refused.status == .unprocessableContent && refused.text.contains("invalid_reference"), "\(refused.text)")
                let created = try await client.call(.post, "/api/v1/campaigns", token: world.adminToken, json: targeted(segmentID))
                #expect(created.status == .created && created.json["segmentID"] as? Int == segmentID, "\(created.text)")
                let campaignID = try #require(created.json["id"] as? Int)

                // Anna (a member) draws in it; Bert and an anonymous device draw in everyone's campaign.
                func scan(_ code: String, as subject: String?) async throws -> [String: Any]? {
                    let headers = try subject.map { try app.consumerHeaders($0, tenantID: tenantID) } ?? [:]
                    let answer = try await client.call(
                        .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code)","deviceID":"d-aud-\#(code.suffix(6))"}"#, headers: headers)
                    return CampaignDrawTests.prize(answer.text)
                }
                let annas = try await scan(codes[2], as: "openid:o-anna")
                #expect(annas?["points"] as? Int == 500 && annas?["campaignID"] as? Int == campaignID, "\(String(describing: annas))")
                let berts = try await scan(codes[3], as: "openid:o-bert")
                #expect(berts?["points"] as? Int == 100, "\(String(describing: berts))")
                let anonymous = try await scan(codes[4], as: nil)
                #expect(anonymous?["points"] as? Int == 100, "\(String(describing: anonymous))")
                let page = try await client.call(.get, "/campaigns/\(campaignID)", token: world.adminToken)
                #expect(page.text.contains("目标人群") && page.text.contains(#"href="/segments/\#(segmentID)""#), "\(page.text.prefix(200))")
                let editor = try await client.call(.get, "/campaigns/new", token: world.adminToken)
                #expect(editor.text.contains(#"name="segmentID""#) && editor.text.contains("会员"))
            }
        }
    }
}
