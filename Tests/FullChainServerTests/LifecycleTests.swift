import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FullChainServer

/// The AARRR lifecycle end to end: scans, rewards, coupons redeemed at a store move consumers
/// along the path, each move recorded once; the funnel and cohorts are read from rollups within
/// each caller's reach; HQ changes what counts, field by field.
@Suite("Lifecycle")
struct LifecycleTests {
    static let day: Int64 = 86_400_000

    static func stages(_ response: TestResponse) -> [String: Int] {
        var reached: [String: Int] = [:]
        for line in response.json["stages"] as? [[String: Any]] ?? [] {
            if let stage = line["stage"] as? String { reached[stage] = line["reached"] as? Int }
        }
        return reached
    }

    static func moves(_ client: some TestClientProtocol, _ id: Int64, token: String) async throws -> [String] {
        let answer = try await client.call(.get, "/api/v1/consumers/\(id)/lifecycle", token: token)
        #expect(answer.status == .ok, "\(answer.text)")
        let list = (try? JSONSerialization.jsonObject(with: Data(answer.text.utf8))) as? [[String: Any]] ?? []
        return list.compactMap { move in
            (move["to"] as? String).map { $0 + ":" + (move["cause"] as? String ?? "?") }
        }
    }

    @Test(arguments: APIBackend.all)
    func consumersMoveAlongThePathOnceAndTheFunnelCountsThemWithinReach(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 4)
                let tenantID = world.tenantA.id
                let admin = world.adminToken
                let store = try #require(world.actors.first { $0.role == .store })
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                let db = app.storage.database

                // Anna scanned (and won points) three days ago and again today: acquired, activated, retained.
                try await MallTests.scan(client, app, codes[0], as: "openid:o-anna", tenantID: tenantID)
                let annaName = "consumer:" + ConsumerProfileTests.pseudonym(app, "openid:o-anna", tenantID)
                try await db.execute(
                    "UPDATE scan_events SET scanned_at = scanned_at - \(3 * Self.day) WHERE tenant_id = \(tenantID) AND consumer = \(annaName)")
                try await MallTests.scan(client, app, codes[1], as: "openid:o-anna", tenantID: tenantID)
                // Bert scanned once.
                try await MallTests.scan(client, app, codes[2], as: "openid:o-bert", tenantID: tenantID)
                // R2's consumer (OUTSIDE) scanned at R2's store yesterday.
                let outside = try #require(world.outsideA["consumers"])
                let outsideName = try #require(
                    try await db.read(
                        "SELECT pseudonym FROM consumer_identities WHERE tenant_id = \(tenantID) AND profile_id = \(outside) ORDER BY pseudonym LIMIT 1"
                    ).first?.optionalString("pseudonym"))
                let batch = try #require(
                    try await db.read("SELECT batch_id FROM scan_events WHERE tenant_id = \(tenantID) LIMIT 1").first?.optionalInt("batch_id"))
                try await SyntheticConsumers(storage: app.storage).addScans(
                    [("consumer:" + outsideName, serial: 3, storeID: try #require(world.outsideA["stores"]), at: currentMillis() - Self.day)],
                    batchID: batch, tenantID: tenantID)
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis(), since: 0)

                let anna = try await SegmentTests.profile(app, "openid:o-anna", tenantID: tenantID)
                let bert = try await SegmentTests.profile(app, "openid:o-bert", tenantID: tenantID)
                #expect(
                    try await Self.moves(client, anna, token: admin) == ["acquired:first_scan", "activated:first_reward", "retained:repeat_scan"])
                #expect(try await Self.moves(client, bert, token: admin) == ["acquired:first_scan", "activated:first_reward"])
                // Their phone was proven before that scan: activated the moment they were acquired.
                #expect(try await Self.moves(client, outside, token: admin) == ["acquired:first_scan", "activated:signed_in"])

                // Anna spends her points on a coupon (not revenue by default) and a store redeems it: revenue, now.
                let item = try await MallTests.item(client, world, stock: 5)
                let taken = try await MallTests.take(client, app, item: item, as: "openid:o-anna", tenantID: tenantID)
                #expect(taken.status == .seeOther || taken.status == .found, "\(taken.text)")
                let coupon = try #require(
                    try await app.storage.mall.coupons(wallet: String(annaName.dropFirst(9)), limit: 1, tenantID: tenantID).first)
                #expect(try await Self.moves(client, anna, token: admin).count == 3)
                let redeemed = try await client.call(.post, "/api/v1/coupons/redemptions", token: store.token, json: #"{"code":"\#(coupon.code)"}"#)
                #expect(redeemed.status == .created, "\(redeemed.text)")
                #expect(try await Self.moves(client, anna, token: admin).last == "revenue:redeemed")

                // Rolling up again moves nobody twice: the funnel counts each consumer once.
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis(), since: 0)
                #expect(try await app.services.core.lifecycle.advance(profile: anna, tenantID: tenantID, now: currentMillis()).isEmpty)
                let hq = try await client.call(.get, "/api/v1/lifecycle/funnel", token: admin)
                #expect(hq.status == .ok, "\(hq.text)")
                #expect(
                    Self.stages(hq) == ["acquired": 3, "activated": 3, "retained": 1, "revenue": 1, "referral": 0], "\(hq.text)")
                let conversion = (hq.json["stages"] as? [[String: Any]])?.first { $0["stage"] as? String == "retained" }?["conversion"] as? Double
                #expect(conversion.map { abs($0 - 1.0 / 3.0) < 1e-9 } == true, "\(hq.text)")
                // R1's manager sees R1's store's consumers only; R2's node is not theirs to pick.
                let mine = try await client.call(.get, "/api/v1/lifecycle/funnel", token: manager.token)
                #expect(Self.stages(mine)["acquired"] == 2 && !mine.text.contains("OUTSIDE"), "\(mine.text)")
                let r2 = try #require(world.outsideA["org/nodes"])
                #expect(try await client.call(.get, "/api/v1/lifecycle/funnel?node=\(r2)", token: manager.token).status == .notFound)
                #expect(Self.stages(try await client.call(.get, "/api/v1/lifecycle/funnel?node=\(r2)", token: admin))["acquired"] == 1)
                #expect(try await client.call(.get, "/api/v1/consumers/\(outside)/lifecycle", token: manager.token).status == .notFound)
                // A period before anyone scanned is empty.
                let empty = try await client.call(.get, "/api/v1/lifecycle/funnel?from=2020-01-01&to=2020-01-31", token: admin)
                #expect(Self.stages(empty)["acquired"] == 0 && empty.json["from"] as? String == "2020-01-01", "\(empty.text)")

                // Cohorts: three consumers acquired over the weeks shown, each counted in week 0 of their cohort.
                let cohorts = try await client.call(.get, "/api/v1/lifecycle/cohorts?weeks=4", token: admin)
                let rows = cohorts.json["cohorts"] as? [[String: Any]] ?? []
                #expect(rows.reduce(0) { $0 + ($1["consumers"] as? Int ?? 0) } == 3, "\(cohorts.text)")
                #expect(rows.allSatisfy { ($0["active"] as? [Int])?.first == $0["consumers"] as? Int }, "\(cohorts.text)")

                // Stores have no lifecycle figures; bad periods and weeks are refused.
                #expect(try await client.call(.get, "/api/v1/lifecycle/funnel", token: store.token).status == .forbidden)
                for query in ["from=2026-02-30", "from=2026-03-02&to=2026-03-01", "from=2020-01-01&to=2026-01-01", "node=abc", "node=-1"] {
                    let refused = try await client.call(.get, "/api/v1/lifecycle/funnel?\(query)", token: admin)
                    #expect(refused.status == .badRequest && refused.errorCode == "invalid_query", "\(query) → \(refused.text)")
                }
                for weeks in ["0", "27", "x"] {
                    #expect(try await client.call(.get, "/api/v1/lifecycle/cohorts?weeks=\(weeks)", token: admin).status == .badRequest)
                }

                // A bad period on the page: the Chinese error page says it in Chinese only, the English one gives the detail.
                let zh = try await client.call(.get, "/lifecycle?from=2026-13-01", token: admin)
                #expect(zh.status == .badRequest && !zh.text.contains("YYYY-MM-DD") && zh.text.contains("lang=\"zh-CN\""), "\(zh.text)")
                let en = try await client.call(.get, "/lifecycle?from=2026-13-01&lang=en", token: admin)
                #expect(en.status == .badRequest && en.text.contains("from is a date, YYYY-MM-DD"), "\(en.text)")

                // The pages: the funnel with its counts, the cohort table, the consumer's moves.
                let page = try await client.call(.get, "/lifecycle", token: admin)
                #expect(page.status == .ok && page.text.contains(#"data-stage="revenue" data-reached="1""#), "\(page.text)")
                #expect(page.text.contains(#"id="cohorts""#) && page.text.contains(#"id="lifecycle-settings""#))
                let profile = try await client.call(.get, "/consumers/\(anna)", token: admin)
                #expect(profile.text.contains(#"<li data-stage="revenue">"#), "\(profile.text)")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func hqChangesWhatCountsAndBadSettingsAreRefused(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 2)
                let tenantID = world.tenantA.id
                let admin = world.adminToken
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                let standard = try await client.call(.get, "/api/v1/lifecycle/settings", token: manager.token)
                #expect(standard.json["retainedWithinDays"] as? Int == 30 && standard.json["revenueOnPointsSpent"] as? Bool == false)

                for (body, field, code) in [
                    (#"{"retainedWithinDays":0,"activateOnSignIn":true,"revenueOnRedemption":true}"#, "retainedWithinDays", "out_of_range"),
                    (
                        #"{"retainedWithinDays":99999999999999999,"activateOnSignIn":true,"revenueOnRedemption":true}"#, "retainedWithinDays",
                        "out_of_range"
                    ),
                    (#"{"retainedWithinDays":30,"revenueOnRedemption":true}"#, "activateOnSignIn", "unreachable_stage"),
                    (#"{"retainedWithinDays":30,"activateOnReward":true,"revenueOnRedemption":false}"#, "revenueOnRedemption", "unreachable_stage"),
                ] {
                    let refused = try await client.call(.put, "/api/v1/lifecycle/settings", token: admin, json: body)
                    #expect(refused.status == .unprocessableContent && refused.text.contains(#""field":"\#(field)""#), "\(body) → \(refused.text)")
                    #expect(refused.text.contains(#""code":"\#(code)""#))
                }
                for body in [#"{"retainedWithinDays":"x"}"#, "[", #"{"retainedWithinDays":1e400}"#] {
                    #expect(try await client.call(.put, "/api/v1/lifecycle/settings", token: admin, json: body).status.code / 100 == 4)
                }
                let byManager = try await client.call(
                    .put, "/api/v1/lifecycle/settings", token: manager.token,
                    json: #"{"retainedWithinDays":7,"activateOnSignIn":true,"revenueOnRedemption":true}"#)
                #expect(byManager.status == .forbidden)
                #expect(try await client.call(.get, "/api/v1/lifecycle/settings", token: admin).json["retainedWithinDays"] as? Int == 30)

                // Spending points is revenue once HQ says so: a consumer who spends moves there at once.
                let saved = try await client.call(
                    .put, "/api/v1/lifecycle/settings", token: admin,
                    json: #"{"retainedWithinDays":7,"activateOnReward":true,"revenueOnRedemption":true,"revenueOnPointsSpent":true}"#)
                #expect(saved.status == .ok && saved.json["revenueOnPointsSpent"] as? Bool == true, "\(saved.text)")
                try await MallTests.scan(client, app, codes[0], as: "openid:o-cara", tenantID: tenantID)
                try await MallTests.scan(client, app, codes[1], as: "openid:o-cara", tenantID: tenantID)
                _ = try await app.services.consumers.rollupProfiles(tenantID: tenantID, now: currentMillis(), since: 0)
                let item = try await MallTests.item(client, world, stock: 5)
                _ = try await MallTests.take(client, app, item: item, as: "openid:o-cara", tenantID: tenantID)
                let cara = try await SegmentTests.profile(app, "openid:o-cara", tenantID: tenantID)
                #expect(
                    try await Self.moves(client, cara, token: admin) == ["acquired:first_scan", "activated:first_reward", "revenue:points_spent"])

                // The settings form: HQ saves; a bad window comes back with the field's error in the page's words.
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
                let bad = try await client.call(
                    .post, "/lifecycle/settings", token: admin, body: Array("retainedWithinDays=400&activateOnSignIn=1&revenueOnRedemption=1".utf8),
                    headers: form)
                #expect(bad.status == .unprocessableContent && bad.text.contains("留存"), "\(bad.text)")
                let good = try await client.call(
                    .post, "/lifecycle/settings", token: admin, body: Array("retainedWithinDays=14&activateOnSignIn=1&revenueOnRedemption=1".utf8),
                    headers: form)
                #expect(good.status == .seeOther || good.status == .found, "\(good.status)")
                let now = try await client.call(.get, "/api/v1/lifecycle/settings", token: admin)
                #expect(now.json["retainedWithinDays"] as? Int == 14 && now.json["activateOnReward"] as? Bool == false, "\(now.text)")
                #expect(
                    try await client.call(
                        .post, "/lifecycle/settings", token: manager.token, body: Array("retainedWithinDays=14".utf8), headers: form
                    ).status
                        == .forbidden)
            }
        }
    }
}
