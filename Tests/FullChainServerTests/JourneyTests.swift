import Foundation
import FullChainApp
import FullChainCore
import FullChainFakes
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import FullChainServer

/// Journeys end to end: HQ saves and starts one; consumers the trigger names enter once, a fixed
/// share held out; every action happens once however many runners work at once and whatever
/// stopped in the middle; messages ask consent, keep to the weekly cap, and a gateway that
/// throttles or fails never makes one go twice.
@Suite("Journeys")
struct JourneyTests {
    static let day: Int64 = 86_400_000
    static let account = SMSAccount(
        secretID: "AKIDtestFULLCHAIN0002", secretKey: "testSecretKey-journeys-0123456789", sdkAppID: "1400000002", signName: "FullChain",
        templateID: "1000001", marketingTemplateID: "2000001")

    static func create(_ client: some TestClientProtocol, token: String, _ json: String) async throws -> Int64 {
        let made = try await client.call(.post, "/api/v1/journeys", token: token, json: json)
        #expect(made.status == .created, "\(made.text)")
        return try #require(made.json["id"] as? Int).int64
    }

    static func start(_ client: some TestClientProtocol, token: String, _ id: Int64) async throws {
        let started = try await client.call(.post, "/api/v1/journeys/\(id)/status", token: token, json: #"{"status":"running"}"#)
        #expect(started.status == .ok && started.json["status"] as? String == "running", "\(started.text)")
    }

    @Test(arguments: APIBackend.all)
    func tenThousandConsumersEnterOnceAndTwoRunnersAwardEachPointsOnce(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let now = currentMillis()
            try await SyntheticConsumers(storage: app.storage).load(
                first: 100_001, last: 110_000, firstStore: world.storeST1, stores: 1, now: now, tenantID: tenantID)
            let inactive = try #require(
                try await app.storage.database.read(
                    """
                    SELECT COUNT(*) AS n FROM consumer_profiles
                    WHERE tenant_id = \(tenantID) AND merged_into IS NULL AND last_scan_at > 0 AND last_scan_at < \(now - Self.day)
                    """
                ).first?.optionalInt("n"))
            #expect(inactive > 9_000)
            let id = try await Self.journey(app, world)

            // Two servers run the journeys at the same moment.
            try await app.secondNode { node in
                async let first = app.services.journeys.run(now: now, tenantID: tenantID, enterLimit: 20_000)
                async let second = node.services.journeys.run(now: now, tenantID: tenantID, enterLimit: 20_000)
                let both = try await [first, second]
                #expect(both[0].entered + both[1].entered == Int(inactive), "\(both)")
            }
            let db = app.storage.database
            let entries = try await db.read(
                "SELECT held_out, COUNT(*) AS n FROM journey_entries WHERE tenant_id = \(tenantID) AND journey_id = \(id) GROUP BY held_out")
            let heldOut = entries.first { $0.optionalInt("held_out") == 1 }?.optionalInt("n") ?? 0
            let inJourney = entries.first { $0.optionalInt("held_out") == 0 }?.optionalInt("n") ?? 0
            #expect(heldOut + inJourney == inactive)
            // A tenth held out, give or take.
            #expect(Double(heldOut) / Double(inactive) > 0.07 && Double(heldOut) / Double(inactive) < 0.13, "\(heldOut) of \(inactive)")
            let actions = try await db.read(
                "SELECT outcome, COUNT(*) AS n FROM journey_actions WHERE tenant_id = \(tenantID) AND journey_id = \(id) GROUP BY outcome")
            #expect(actions.count == 1 && actions.first?.optionalString("outcome") == "done" && actions.first?.optionalInt("n") == inJourney)
            let left = try await app.storage.ledger.balance(of: .journeyBudget(journeyID: id), asset: .points, tenantID: tenantID)
            #expect(left == 1_000_000 - 5 * inJourney)
            #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)

            // Once more: nobody enters twice, nothing is paid twice.
            let again = try await app.services.journeys.run(now: now + 60_000, tenantID: tenantID)
            #expect(again.entered == 0 && again.actions == 0, "\(again)")
            let (_, report, _) = try await app.services.journeys.report(id: id, tenantID: tenantID)
            #expect(report.entered == inJourney && report.heldOut == heldOut && report.active == 0)
            #expect(report.steps[0]?[.done] == inJourney)
        }
    }

    /// Saves and starts the wake-up journey: five points to each consumer idle for a day.
    static func journey(_ app: TestApp, _ world: TestWorld) async throws -> Int64 {
        let made = Mutex<Int64?>(nil)
        try await app.test { client in
            let id = try await Self.create(
                client, token: world.adminToken,
                #"{"name":"唤醒","trigger":{"kind":"inactive","days":1},"steps":[{"kind":"points","points":5,"next":1},{"kind":"exit"}],"holdoutPercent":10,"budgetPoints":1000000}"#
            )
            try await Self.start(client, token: world.adminToken, id)
            made.withLock { $0 = id }
        }
        return try #require(made.withLock { $0 })
    }

    @Test(arguments: APIBackend.all)
    func messagesNeedConsentKeepTheCapAndAreNeverSentTwice(_ backend: APIBackend) async throws {
        let sms = FakeSMSGateway(account: Self.account)
        try await sms.serve { base in
            try await TestApp.with(backend, configure: { $0.consumers.sms = SMSSettings(apiBase: base, account: Self.account) }) { app in
                let world = try await TestWorld.build(app)
                let tenantID = world.tenantA.id
                let consumers = app.services.consumers
                let now = currentMillis()
                let first: Int64 = 200_001
                try await SyntheticConsumers(storage: app.storage).load(
                    first: first, last: first + 5, firstStore: world.storeST1, stores: 1, now: now, tenantID: tenantID)
                let db = app.storage.database
                try await db.execute(
                    "UPDATE consumer_profiles SET last_scan_at = \(now - 3 * Self.day) WHERE tenant_id = \(tenantID) AND id >= \(first)")
                // Six people with phones: 1, 4, 5, 6 said yes to marketing; 2 never did; 3 said yes, then no.
                let phones = (0..<6).map { "1381234000\($0)" }
                for (index, phone) in phones.enumerated() {
                    let subject = "phone:" + phone
                    let wallet = ConsumerProfileTests.pseudonym(app, subject, tenantID)
                    try await SyntheticConsumers(storage: app.storage).addIdentities(
                        [(wallet, first + Int64(index))], kind: .phone, at: now, tenantID: tenantID)
                    let session = ConsumerSession(tenantID: tenantID, subject: subject, appID: nil, unionid: nil, expiresAt: now + Self.day)
                    if index != 1 { _ = try await consumers.setConsents([.marketing: true], for: session, now: now - 10_000) }
                    if index == 2 { _ = try await consumers.setConsents([.marketing: false], for: session, now: now - 5_000) }
                }
                let id = Mutex<Int64?>(nil)
                try await app.test { client in
                    let made = try await Self.create(
                        client, token: world.adminToken,
                        #"{"name":"新品","trigger":{"kind":"inactive","days":1},"steps":[{"kind":"message","text":"新品上市，扫码有礼","next":1},{"kind":"message","text":"再提醒一次","next":2},{"kind":"exit"}],"holdoutPercent":0,"weeklyMessageCap":1,"quietFrom":0,"quietTo":0}"#
                    )
                    try await Self.start(client, token: world.adminToken, made)
                    id.withLock { $0 = made }
                }
                let journeyID = try #require(id.withLock { $0 })
                // Person 6's message was handed to the gateway by a server that then died.
                try await db.execute(
                    """
                    INSERT INTO journey_actions (tenant_id, journey_id, profile_id, step, kind, outcome, at)
                    VALUES (\(tenantID), \(journeyID), \(first + 5), 0, 'message', 'sending', \(now))
                    """)
                // The gateway fails the first request (no answer: it may have gone) and throttles the second.
                sms.fail([.serverError])
                sms.rateLimit(next: 1)
                let journeys = app.services.journeys
                _ = try await journeys.run(now: now, tenantID: tenantID)
                _ = try await journeys.run(now: now + 61_000, tenantID: tenantID)
                _ = try await journeys.run(now: now + 121_000, tenantID: tenantID)
                _ = try await journeys.run(now: now + 200_000, tenantID: tenantID)

                let inbox = phones.map { sms.messages(to: $0).count }
                // 1: no answer, never again; 2, 3: no consent; 4: throttled then sent; 5: sent; 6: lost with its server.
                #expect(inbox == [0, 0, 0, 1, 1, 0], "\(inbox)")
                #expect(sms.messages(to: phones[4]).first?.text.contains("新品上市，扫码有礼") == true)
                var outcomes: [String] = []
                for index in 0..<6 {
                    let rows = try await db.read(
                        """
                        SELECT step, outcome FROM journey_actions WHERE tenant_id = \(tenantID) AND journey_id = \(journeyID)
                            AND profile_id = \(first + Int64(index)) ORDER BY step
                        """)
                    outcomes.append(try rows.map { try $0.string("outcome") }.joined(separator: ","))
                }
                #expect(
                    outcomes == ["unknown,capped", "no_consent,no_consent", "no_consent,no_consent", "done,capped", "done,capped", "unknown,capped"],
                    "\(outcomes)")
                let (_, report, _) = try await journeys.report(id: journeyID, tenantID: tenantID)
                #expect(report.entered == 6 && report.active == 0 && report.steps[0]?[.done] == 2 && report.steps[0]?[.unknown] == 2)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func badJourneysAreRefusedAndOnlyHeadquartersRunsThem(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let admin = world.adminToken
                let steps =
                    #"[{"kind":"wait","hours":24,"next":1},{"kind":"branch","condition":"scanned_since_entry","next":2,"otherwise":0},{"kind":"exit"}]"#
                let cycle = try await client.call(
                    .post, "/api/v1/journeys", token: admin, json: #"{"name":"回环","trigger":{"kind":"stage","stage":"acquired"},"steps":\#(steps)}"#)
                #expect(cycle.status == .unprocessableContent && cycle.text.contains("\"cycle\""), "\(cycle.text)")
                for (json, code) in [
                    (
                        #"{"name":"x","trigger":{"kind":"stage","stage":"acquired"},"steps":[{"kind":"branch","condition":"tag","tagID":999999,"next":1},{"kind":"exit"}]}"#,
                        "invalid_reference"
                    ),
                    (#"{"name":"x","trigger":{"kind":"stage","stage":"acquired"},"steps":[{"kind":"points","points":0,"next":5}]}"#, "out_of_range"),
                    (#"{"name":"x","trigger":{"kind":"segment","segmentID":424242},"steps":[{"kind":"exit"}]}"#, "invalid_reference"),
                    (#"{"name":"x","trigger":{"kind":"inactive","days":9999},"steps":[{"kind":"exit"}]}"#, "out_of_range"),
                    (
                        #"{"name":"x","trigger":{"kind":"stage","stage":"acquired"},"steps":[{"kind":"message","text":"点 https://x.cn 领取"}]}"#,
                        "invalid_text"
                    ),
                    (#"{"name":"x","trigger":{"kind":"stage","stage":"acquired"},"steps":[]}"#, "out_of_range"),
                ] {
                    let refused = try await client.call(.post, "/api/v1/journeys", token: admin, json: json)
                    #expect(refused.status == .unprocessableContent && refused.text.contains("\"\(code)\""), "\(json): \(refused.text)")
                }
                let unreadable = try await client.call(
                    .post, "/api/v1/journeys", token: admin, json: #"{"name":"x","trigger":{"kind":"moon"},"steps":[]}"#)
                #expect(unreadable.status == .badRequest, "\(unreadable.text)")
                #expect(try await app.storage.journeys.list(tenantID: world.tenantA.id).isEmpty)

                let id = try await Self.create(
                    client, token: admin, #"{"name":"首扫欢迎","trigger":{"kind":"stage","stage":"acquired"},"steps":[{"kind":"points","points":10}]}"#)
                let duplicate = try await client.call(
                    .post, "/api/v1/journeys", token: admin,
                    json: #"{"name":"首扫欢迎","trigger":{"kind":"stage","stage":"acquired"},"steps":[{"kind":"exit"}]}"#)
                #expect(duplicate.status == .conflict, "\(duplicate.text)")
                for actor in world.actors where actor.role != .admin {
                    let list = try await client.call(.get, "/api/v1/journeys", token: actor.token)
                    #expect(list.status == .forbidden, "\(actor.name): \(list.text)")
                    let one = try await client.call(.get, "/api/v1/journeys/\(id)", token: actor.token)
                    #expect(one.status == .forbidden, "\(actor.name): \(one.text)")
                }
                try await Self.start(client, token: admin, id)
                let edit = try await client.call(
                    .put, "/api/v1/journeys/\(id)", token: admin,
                    json: #"{"name":"首扫欢迎","trigger":{"kind":"stage","stage":"acquired"},"steps":[{"kind":"exit"}]}"#)
                #expect(edit.status == .conflict, "\(edit.text)")
                let draft = try await client.call(.post, "/api/v1/journeys/\(id)/status", token: admin, json: #"{"status":"draft"}"#)
                #expect(draft.status == .unprocessableContent, "\(draft.text)")
                let ended = try await client.call(.post, "/api/v1/journeys/\(id)/status", token: admin, json: #"{"status":"ended"}"#)
                #expect(ended.status == .ok && ended.json["status"] as? String == "ended", "\(ended.text)")
                let restarted = try await client.call(.post, "/api/v1/journeys/\(id)/status", token: admin, json: #"{"status":"running"}"#)
                #expect(restarted.status == .conflict, "\(restarted.text)")
                let other = try await client.call(.get, "/api/v1/journeys/\(id + 1_000)", token: admin)
                #expect(other.status == .notFound, "\(other.text)")
                let report = try await client.call(.get, "/api/v1/journeys/\(id)", token: admin)
                #expect(report.status == .ok && report.json["entered"] as? Int == 0, "\(report.text)")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func theEditorBuildsAJourneyWithoutJSONAndTheReportShowsItsFigures(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let admin = world.adminToken
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
                let empty = try await client.call(.get, "/journeys/new", token: admin)
                #expect(empty.status == .ok && empty.text.contains(#"id="journey-editor""#) && empty.text.contains("第 8 步"), "\(empty.status)")
                // Row 2 goes back to row 1: refused, in the page's words, the form kept.
                let looping =
                    "name=%E5%9B%9E%E7%8E%AF&triggerKind=stage&triggerStage=acquired&kind1=wait&hours1=24&next1=auto"
                    + "&kind2=branch&condition2=scanned_since_entry&next2=end&otherwise2=1"
                let refused = try await client.call(.post, "/journeys", token: admin, body: Array(looping.utf8), headers: form)
                #expect(refused.status == .unprocessableContent && refused.text.contains("步骤不能回到之前的步骤"), "\(refused.text.prefix(300))")
                #expect(refused.text.contains(#"value="回环""#))
                // Wait a day; scanned again? leave; else 20 points, then leave. Row 3 is unused.
                let good =
                    "name=%E5%9B%9E%E8%B4%AD&triggerKind=stage&triggerStage=acquired&kind1=wait&hours1=24&next1=auto"
                    + "&kind2=branch&condition2=scanned_since_entry&next2=end&otherwise2=4&kind3=&kind4=points&points4=20&next4=auto"
                    + "&holdoutPercent=20&weeklyMessageCap=2&quietFrom=22&quietTo=8&goalDays=14&budgetPoints=5000"
                let saved = try await client.call(.post, "/journeys", token: admin, body: Array(good.utf8), headers: form)
                #expect(saved.status == .seeOther || saved.status == .found, "\(saved.status) \(saved.text.prefix(300))")
                let journey = try #require(try await app.storage.journeys.list(tenantID: world.tenantA.id).first)
                #expect(journey.definition.steps.map(\.kind) == [.wait, .branch, .points])
                #expect(
                    journey.definition.steps[1].next == nil && journey.definition.steps[1].otherwise == 2 && journey.definition.steps[2].next == nil)
                #expect(journey.definition.holdoutPercent == 20 && journey.definition.budgetPoints == 5_000)

                let start = try await client.call(
                    .post, "/journeys/\(journey.id)/status", token: admin, body: Array("status=running".utf8), headers: form)
                #expect(start.status == .seeOther || start.status == .found, "\(start.status)")
                let report = try await client.call(.get, "/journeys/\(journey.id)", token: admin)
                #expect(
                    report.status == .ok && report.text.contains(#"data-status="running""#)
                        && report.text.contains(#"id="journey-budget-left">5,000"#), "\(report.text.prefix(300))")
                #expect(report.text.contains("对照组转化率") && !report.text.contains("Holdout"))
                let english = try await client.call(.get, "/journeys/\(journey.id)?lang=en", token: admin)
                #expect(english.text.contains("Holdout conversion") && english.text.contains("Step 3"))
                let list = try await client.call(.get, "/journeys", token: admin)
                #expect(list.status == .ok && list.text.contains(#"data-journey="\#(journey.id)""#))
                let consumers = try await client.call(.get, "/consumers", token: admin)
                #expect(consumers.text.contains(#"id="journeys-link""#))
                // A running journey is paused before it changes.
                let edit = try await client.call(.post, "/journeys/\(journey.id)", token: admin, body: Array(good.utf8), headers: form)
                #expect(edit.status == .conflict, "\(edit.status)")
                for actor in world.actors where actor.role != .admin {
                    #expect(try await client.call(.get, "/journeys", token: actor.token).status == .forbidden, "\(actor.name)")
                    let post = try await client.call(.post, "/journeys", token: actor.token, body: Array(good.utf8), headers: form)
                    #expect(post.status == .forbidden, "\(actor.name)")
                }
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func storeVisitsAndDatesLetTheirConsumersIn(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let now = currentMillis()
            let first: Int64 = 400_001
            let synthetic = SyntheticConsumers(storage: app.storage)
            try await synthetic.load(first: first, last: first + 2, firstStore: world.storeST1, stores: 1, now: now, tenantID: tenantID)
            let batch = Mutex<Int64?>(nil)
            try await app.test { client in
                let (received, _) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "VISIT", quantity: 10)
                batch.withLock { $0 = received.id }
            }
            // The first consumer scanned at ST1 after the journey started; the second before it.
            try await synthetic.addScans(
                [
                    ("consumer:syn\(first)", serial: 1, storeID: world.storeST1, at: now - 1_000),
                    ("consumer:syn\(first + 1)", serial: 2, storeID: world.storeST1, at: now - 3 * Self.day),
                ], batchID: try #require(batch.withLock { $0 }), tenantID: tenantID)
            let journeys = app.services.journeys
            let visit = try await journeys.create(
                JourneyInput(
                    name: "到店", trigger: JourneyTrigger(kind: .storeVisit, storeID: world.storeST1), steps: [JourneyStep(kind: .exit)],
                    holdoutPercent: 0),
                owner: "admin", tenantID: tenantID, now: now - 60_000)
            _ = try await journeys.setStatus(id: visit.id, .running, tenantID: tenantID, now: now - 60_000)
            let today = BusinessDay.date(ofDay: BusinessDay.day(ofMillis: now))
            let tomorrow = BusinessDay.date(ofDay: BusinessDay.day(ofMillis: now) + 1)
            let dated = try await journeys.create(
                JourneyInput(name: "今天", trigger: JourneyTrigger(kind: .date, date: today), steps: [JourneyStep(kind: .exit)], holdoutPercent: 0),
                owner: "admin", tenantID: tenantID, now: now - 60_000)
            let later = try await journeys.create(
                JourneyInput(name: "明天", trigger: JourneyTrigger(kind: .date, date: tomorrow), steps: [JourneyStep(kind: .exit)], holdoutPercent: 0),
                owner: "admin", tenantID: tenantID, now: now - 60_000)
            for id in [dated.id, later.id] { _ = try await journeys.setStatus(id: id, .running, tenantID: tenantID, now: now - 60_000) }
            _ = try await journeys.run(now: now, tenantID: tenantID)

            func entrants(_ id: Int64) async throws -> [Int64] {
                try await app.storage.database.read(
                    "SELECT profile_id FROM journey_entries WHERE tenant_id = \(tenantID) AND journey_id = \(id) ORDER BY profile_id"
                ).map { try $0.int("profile_id") }
            }
            #expect(try await entrants(visit.id) == [first])
            let scanned = try await app.storage.database.read(
                "SELECT id FROM consumer_profiles WHERE tenant_id = \(tenantID) AND merged_into IS NULL AND last_scan_at > 0 ORDER BY id"
            ).map { try $0.int("id") }
            #expect(try await entrants(dated.id) == scanned && scanned.contains(first + 2))
            #expect(try await entrants(later.id).isEmpty)

            // A day that is none, and another brand's store, are refused.
            await #expect(throws: ValidationError.self) {
                _ = try await journeys.create(
                    JourneyInput(name: "x", trigger: JourneyTrigger(kind: .date, date: "2026-02-30"), steps: [JourneyStep(kind: .exit)]),
                    owner: "admin", tenantID: tenantID, now: now)
            }
            await #expect(throws: ValidationError.self) {
                _ = try await journeys.create(
                    JourneyInput(
                        name: "y", trigger: JourneyTrigger(kind: .storeVisit, storeID: try #require(world.foreignB["stores"])),
                        steps: [JourneyStep(kind: .exit)]),
                    owner: "admin", tenantID: tenantID, now: now)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func aBudgetThatRunsOutPaysWhomItCanAndAStartedJourneyKeepsItsSteps(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let now = currentMillis()
            let first: Int64 = 500_001
            try await SyntheticConsumers(storage: app.storage).load(
                first: first, last: first + 9, firstStore: world.storeST1, stores: 1, now: now, tenantID: tenantID)
            try await app.storage.database.execute(
                "UPDATE consumer_profiles SET last_scan_at = \(now - 3 * Self.day) WHERE tenant_id = \(tenantID) AND id >= \(first)")
            try await app.test { client in
                let admin = world.adminToken
                let body =
                    #"{"name":"小预算","trigger":{"kind":"inactive","days":1},"steps":[{"kind":"points","points":5,"next":1},{"kind":"exit"}],"holdoutPercent":0,"budgetPoints":20}"#
                let id = try await Self.create(client, token: admin, body)
                try await Self.start(client, token: admin, id)
                _ = try await app.services.journeys.run(now: now, tenantID: tenantID)
                let (_, report, left) = try await app.services.journeys.report(id: id, tenantID: tenantID)
                // Twenty points pay four consumers in full; the rest find the budget spent.
                #expect(
                    report.steps[0]?[.done] == 4 && left == 0
                        && (report.steps[0]?[.budgetSpent] ?? 0) + (report.steps[0]?[.failed] ?? 0) == report.entered - 4, "\(report)")
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)

                // Paused, its figures change and it starts again (funded once, at the first start).
                let pause = try await client.call(.post, "/api/v1/journeys/\(id)/status", token: admin, json: #"{"status":"paused"}"#)
                #expect(pause.status == .ok, "\(pause.text)")
                let richer = body.replacingOccurrences(of: #""budgetPoints":20"#, with: #""budgetPoints":500"#)
                    .replacingOccurrences(of: #""points":5"#, with: #""points":6"#)
                let edited = try await client.call(.put, "/api/v1/journeys/\(id)", token: admin, json: richer)
                #expect(edited.status == .ok, "\(edited.text)")
                try await Self.start(client, token: admin, id)
                #expect(try await app.storage.ledger.balance(of: .journeyBudget(journeyID: id), asset: .points, tenantID: tenantID) == 0)
                // But its steps keep their kinds and where they lead.
                _ = try await client.call(.post, "/api/v1/journeys/\(id)/status", token: admin, json: #"{"status":"paused"}"#)
                let reordered = try await client.call(
                    .put, "/api/v1/journeys/\(id)", token: admin,
                    json: #"{"name":"小预算","trigger":{"kind":"inactive","days":1},"steps":[{"kind":"exit"},{"kind":"points","points":5}]}"#)
                #expect(reordered.status == .conflict && reordered.text.contains("journey_steps_in_use"), "\(reordered.text)")
            }
        }
    }
}

extension Int {
    fileprivate var int64: Int64 { Int64(self) }
}
