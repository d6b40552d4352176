import Foundation
import FullChainApp
import FullChainCore
import FullChainFakes
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import FullChainServer

/// A journey's coupons, tasks, store notices and WeChat notices: each given once, to the right
/// wallet, salesperson or store, and refused or recorded plainly when it cannot be.
@Suite("Journey actions")
struct JourneyActionsTests {
    static let day: Int64 = 86_400_000

    /// Loads idle consumers at the store ST1 (the last one with no store) and starts a journey of `steps` on them.
    static func setUp(_ app: TestApp, _ world: TestWorld, first: Int64, count: Int64, steps: String) async throws -> Int64 {
        let tenantID = world.tenantA.id
        let now = currentMillis()
        try await SyntheticConsumers(storage: app.storage).load(
            first: first, last: first + count - 1, firstStore: world.storeST1, stores: 1, now: now, tenantID: tenantID)
        let db = app.storage.database
        try await db.execute(
            "UPDATE consumer_profiles SET last_scan_at = \(now - 3 * Self.day) WHERE tenant_id = \(tenantID) AND id >= \(first)")
        try await db.execute("UPDATE consumer_profiles SET store_id = NULL WHERE tenant_id = \(tenantID) AND id = \(first + count - 1)")
        let made = Mutex<Int64?>(nil)
        try await app.test { client in
            let id = try await JourneyTests.create(
                client, token: world.adminToken,
                #"{"name":"回访","trigger":{"kind":"inactive","days":1},"steps":\#(steps),"holdoutPercent":0,"quietFrom":0,"quietTo":0}"#)
            try await JourneyTests.start(client, token: world.adminToken, id)
            made.withLock { $0 = id }
        }
        return try #require(made.withLock { $0 })
    }

    /// A mall item listed from yesterday for a month.
    static func mallItem(
        _ app: TestApp, _ name: String, kind: MallItemKind, faceValueFen: Int64, stock: Int64, tenantID: Int64
    ) async throws -> MallItem {
        let now = currentMillis()
        return try await app.storage.mall.create(
            MallItemDraft(
                name: name, kind: kind, pricePoints: 100, faceValueFen: faceValueFen, stock: stock, perPersonLimit: 1, availableFrom: now - Self.day,
                availableUntil: now + 30 * Self.day, validDays: 14), at: now, tenantID: tenantID)
    }

    static func outcomes(_ app: TestApp, journeyID: Int64, step: Int, tenantID: Int64) async throws -> [String: Int64] {
        var found: [String: Int64] = [:]
        for row in try await app.storage.database.read(
            """
            SELECT outcome, COUNT(*) AS n FROM journey_actions WHERE tenant_id = \(tenantID) AND journey_id = \(journeyID) AND step = \(step)
            GROUP BY outcome
            """)
        {
            found[try row.string("outcome")] = row.optionalInt("n") ?? 0
        }
        return found
    }

    @Test(arguments: APIBackend.all)
    func couponsTasksAndNoticesAreGivenOnceToTheRightPeople(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let now = currentMillis()
            let item = try await Self.mallItem(app, "满10减3券", kind: .coupon, faceValueFen: 300, stock: 2, tenantID: tenantID)
            let first: Int64 = 310_001
            let steps =
                #"[{"kind":"coupon","itemID":\#(item.id),"next":1},{"kind":"task","text":"请回访，送一瓶新品试饮","next":2},{"kind":"notify","text":"这位老顾客三天没来了","next":3},{"kind":"exit"}]"#
            let id = try await Self.setUp(app, world, first: first, count: 4, steps: steps)

            // Two servers run the journeys at once, then once more: nothing twice.
            try await app.secondNode { node in
                async let one = app.services.journeys.run(now: now, tenantID: tenantID)
                async let two = node.services.journeys.run(now: now, tenantID: tenantID)
                _ = try await [one, two]
            }
            let again = try await app.services.journeys.run(now: now + 60_000, tenantID: tenantID)
            #expect(again.actions == 0, "\(again)")

            // Two coupons (the stock), free, each in a consumer's wallet; the others found none left.
            #expect(try await Self.outcomes(app, journeyID: id, step: 0, tenantID: tenantID) == ["done": 2, "out_of_stock": 2])
            let coupons = try await app.storage.database.read(
                "SELECT wallet, price_points, face_value_fen FROM coupons WHERE tenant_id = \(tenantID) AND item_id = \(item.id)")
            #expect(coupons.count == 2 && Set(coupons.compactMap { $0.optionalString("wallet") }).count == 2)
            #expect(coupons.allSatisfy { $0.optionalInt("price_points") == 0 && $0.optionalInt("face_value_fen") == 300 })
            #expect(try await app.storage.mall.item(id: item.id, tenantID: tenantID)?.stockLeft == 0)

            // Three follow-up tasks for ST1's salesperson; the consumer with no store has none.
            #expect(try await Self.outcomes(app, journeyID: id, step: 1, tenantID: tenantID) == ["done": 3, "no_store": 1])
            #expect(try await Self.outcomes(app, journeyID: id, step: 2, tenantID: tenantID) == ["done": 3, "no_store": 1])
            let salesperson = try #require(world.actors.first { $0.role == .salesperson })
            let store = try #require(world.actors.first { $0.role == .store })
            try await app.test { client in
                let tasks = try await client.call(.get, "/api/v1/store-alerts?kind=follow_up", token: salesperson.token)
                let items = try #require(tasks.json["items"] as? [[String: Any]], "\(tasks.text)")
                #expect(items.count == 3 && items.allSatisfy { $0["storeID"] as? Int == Int(world.storeST1) }, "\(tasks.text)")
                #expect(items.allSatisfy { $0["reason"] as? String == "请回访，送一瓶新品试饮" })
                // The store's phone is a call link on each task card.
                let phoned = try await client.call(
                    .patch, "/api/v1/stores/\(world.storeST1)", token: world.adminToken, json: #"{"phone":"010-6500 1234"}"#)
                #expect(phoned.status == .ok, "\(phoned.text)")
                let page = try await client.call(.get, "/m/tasks", token: salesperson.token)
                #expect(page.text.contains("顾客回访") && page.text.contains("请回访，送一瓶新品试饮"), "\(page.text.prefix(300))")
                #expect(page.text.components(separatedBy: #"href="tel:01065001234">打电话</a>"#).count == 4, "a call link on each of the three cards")

                // The store's staff read their notices; nobody outside the store's reach does.
                let notices = try await client.call(.get, "/api/v1/store-notices", token: store.token)
                let list = try #require(notices.json["items"] as? [[String: Any]], "\(notices.text)")
                #expect(list.count == 3 && list.allSatisfy { $0["text"] as? String == "这位老顾客三天没来了" }, "\(notices.text)")
                let noticeID = try #require(list.first?["id"] as? Int)
                let read = try await client.call(.post, "/api/v1/store-notices/\(noticeID)/read", token: store.token)
                #expect(read.status == .ok && read.json["readAt"] as? Int != nil, "\(read.text)")
                let unread = try await client.call(.get, "/api/v1/store-notices?unread=true", token: store.token)
                #expect((unread.json["items"] as? [[String: Any]])?.count == 2, "\(unread.text)")
                let bad = try await client.call(.get, "/api/v1/store-notices?unread=maybe", token: store.token)
                #expect(bad.status == .badRequest, "\(bad.text)")
                let page2 = try await client.call(.get, "/store-notices", token: store.token)
                #expect(page2.status == .ok && page2.text.contains("这位老顾客三天没来了") && !page2.text.contains("OUTSIDE"))
            }

            // The daily store job neither closes the tasks nor judges them.
            let yesterday = BusinessDay.day(ofMillis: now) - 1
            _ = try await StoreIntelligenceService(storage: app.storage).run(tenantID: tenantID, day: yesterday + 2)
            let open = try await app.storage.database.read(
                "SELECT COUNT(*) AS n FROM store_alerts WHERE tenant_id = \(tenantID) AND kind = 'follow_up' AND status = 'open'")
            #expect(open.first?.optionalInt("n") == 3)
        }
    }

    @Test(arguments: APIBackend.all)
    func weChatNoticesGoToSubscribersOnceThrottlingWaitsAndRefusalsAreRecorded(_ backend: APIBackend) async throws {
        let weChat = WeChatApp(appID: "wx00journeynotice01", secret: "noticeSecret0123456789abcdef0123")
        let fake = FakeWeChatAuth(apps: [weChat])
        try await fake.serve { base in
            try await TestApp.with(backend, configure: { $0.consumers.weChatAPIBase = base }) { app in
                let world = try await TestWorld.build(app)
                let tenantID = world.tenantA.id
                let consumers = app.services.consumers
                let now = currentMillis()
                let first: Int64 = 320_001
                try await SyntheticConsumers(storage: app.storage).load(
                    first: first, last: first + 3, firstStore: world.storeST1, stores: 1, now: now, tenantID: tenantID)
                try await app.storage.database.execute(
                    "UPDATE consumer_profiles SET last_scan_at = \(now - 3 * Self.day) WHERE tenant_id = \(tenantID) AND id >= \(first)")
                // Four people signed in with WeChat and agreed to marketing; 0, 1 and 3 subscribed to the brand's notices.
                let users = (0..<4).map { "journey-user-\($0)" }
                for (index, user) in users.enumerated() {
                    let subject = "openid:" + fake.openid(user: user, appID: weChat.appID)
                    try await SyntheticConsumers(storage: app.storage).addIdentities(
                        [(ConsumerProfileTests.pseudonym(app, subject, tenantID), first + Int64(index))], kind: .openid, at: now, tenantID: tenantID)
                    let session = ConsumerSession(tenantID: tenantID, subject: subject, appID: weChat.appID, unionid: nil, expiresAt: now + Self.day)
                    _ = try await consumers.setConsents([.marketing: true], for: session, now: now - 10_000)
                    if index != 2 { fake.subscribe(user: user, appID: weChat.appID) }
                }
                try await app.test { client in
                    let configured = try await client.call(
                        .put, "/api/v1/consumer-sign-in/wechat", token: world.adminToken,
                        json: #"{"appID":"\#(weChat.appID)","secret":"\#(weChat.secret)","noticeTemplateID":"tmpl-NEW-arrivals_01"}"#)
                    #expect(
                        configured.status == .ok && configured.json["noticeTemplateID"] as? String == "tmpl-NEW-arrivals_01", "\(configured.text)")
                    let long = try await client.call(
                        .post, "/api/v1/journeys", token: world.adminToken,
                        json:
                            #"{"name":"太长","trigger":{"kind":"inactive","days":1},"steps":[{"kind":"message","channel":"wechat","text":"这条微信订阅通知的内容超过了二十个字的上限呢"}]}"#
                    )
                    #expect(long.status == .unprocessableContent && long.text.contains("too_long"), "\(long.text)")
                }
                let id = Mutex<Int64?>(nil)
                try await app.test { client in
                    let made = try await JourneyTests.create(
                        client, token: world.adminToken,
                        #"{"name":"微信唤醒","trigger":{"kind":"inactive","days":1},"steps":[{"kind":"message","channel":"wechat","text":"新品到店，扫码有礼","next":1},{"kind":"exit"}],"holdoutPercent":0,"quietFrom":0,"quietTo":0}"#
                    )
                    try await JourneyTests.start(client, token: world.adminToken, made)
                    id.withLock { $0 = made }
                }
                let journeyID = try #require(id.withLock { $0 })
                // WeChat throttles the first notice: it waits a minute and goes then.
                fake.failNotices([.throttled])
                let journeys = app.services.journeys
                _ = try await journeys.run(now: now, tenantID: tenantID)
                _ = try await journeys.run(now: now + 61_000, tenantID: tenantID)
                _ = try await journeys.run(now: now + 200_000, tenantID: tenantID)

                let sent = fake.notices
                #expect(sent.count == 3, "\(sent)")
                #expect(Set(sent.map(\.openid)) == Set([0, 1, 3].map { fake.openid(user: users[$0], appID: weChat.appID) }))
                #expect(sent.allSatisfy { $0.text == "新品到店，扫码有礼" && $0.templateID == "tmpl-NEW-arrivals_01" && $0.appID == weChat.appID })
                // Person 2 never subscribed: WeChat refused it, and it counts as no consent.
                #expect(
                    try await JourneyActionsTests.outcomes(app, journeyID: journeyID, step: 0, tenantID: tenantID) == ["done": 3, "no_consent": 1])
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func journeyCouponsAreTheBrandsAndNeverCash(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let cash = try await Self.mallItem(app, "现金红包", kind: .cash, faceValueFen: 100, stock: 10, tenantID: tenantID)
            try await app.test { client in
                for (steps, code) in [
                    (#"[{"kind":"coupon","itemID":\#(cash.id)}]"#, "invalid_reference"),
                    (#"[{"kind":"coupon","itemID":987654}]"#, "invalid_reference"),
                    (#"[{"kind":"coupon"}]"#, "required"),
                    (#"[{"kind":"task"}]"#, "required"),
                    (#"[{"kind":"notify","text":"\#(String(repeating: "长", count: 61))"}]"#, "too_long"),
                    (#"[{"kind":"message","channel":"pigeon","text":"x"}]"#, "invalid_json"),
                ] {
                    let refused = try await client.call(
                        .post, "/api/v1/journeys", token: world.adminToken,
                        json: #"{"name":"券","trigger":{"kind":"inactive","days":1},"steps":\#(steps)}"#)
                    #expect([400, 422].contains(refused.status.code), "\(steps): \(refused.text)")
                    if code != "invalid_json" { #expect(refused.text.contains("\"\(code)\""), "\(steps): \(refused.text)") }
                }
            }
            #expect(try await app.storage.journeys.list(tenantID: tenantID).isEmpty)
        }
    }

    @Test(arguments: APIBackend.all)
    func aScanReachesTagsStageAndJourneyEntryInTheTouchWorkersNextRound(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await MallTests.world(app, client, units: 3)
                let tenantID = world.tenantA.id
                let now = currentMillis()
                let scanner = try await app.storage.tags.create(
                    TagDraft(name: "扫过码", description: "", rule: TagRule(kind: .scans)), owner: "admin", at: now, tenantID: tenantID)
                let id = try await JourneyTests.create(
                    client, token: world.adminToken,
                    #"{"name":"首扫欢迎","trigger":{"kind":"stage","stage":"acquired"},"steps":[{"kind":"exit"}],"holdoutPercent":0}"#)
                try await JourneyTests.start(client, token: world.adminToken, id)
                let visits = try await JourneyTests.create(
                    client, token: world.adminToken,
                    #"{"name":"到店","trigger":{"kind":"store_visit","storeID":\#(world.storeST1)},"steps":[{"kind":"exit"}],"holdoutPercent":0}"#)
                try await JourneyTests.start(client, token: world.adminToken, visits)

                // A consumer nobody knew scans; the worker's next round (no rollup, no runner) catches up.
                try await MallTests.scan(client, app, codes[0], as: "openid:o-fresh", tenantID: tenantID)
                let worker = ProfileTouchWorker(
                    touches: app.services.core.touches, consumers: app.services.consumers, journeys: app.services.journeys,
                    logger: Logger(label: "touches"))
                #expect(try await worker.round() == 1)
                let profile = try await SegmentTests.profile(app, "openid:o-fresh", tenantID: tenantID)
                let tags = try await app.storage.segments.tags(ofProfiles: [profile], tenantID: tenantID)
                #expect(tags[profile]?.contains(scanner.id) == true, "\(tags)")
                let stage = try await app.storage.database.read(
                    "SELECT lifecycle_stage, scans FROM consumer_profiles WHERE tenant_id = \(tenantID) AND id = \(profile)")
                #expect(stage.first?.optionalString("lifecycle_stage") != nil && stage.first?.optionalInt("scans") == 1, "\(stage)")
                for journey in [id, visits] {
                    let entered = try await app.storage.database.read(
                        "SELECT profile_id FROM journey_entries WHERE tenant_id = \(tenantID) AND journey_id = \(journey)")
                    #expect(entered.map { $0.optionalInt("profile_id") } == [profile], "journey \(journey): \(entered)")
                }
                // Nothing waits any more.
                #expect(try await worker.round() == 0)
            }
        }
    }
}
