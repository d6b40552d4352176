import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Draws on consumer scans: a code pays once, budgets are never overspent (one server or two),
/// limits and stock hold, the selling store earns its reward, and the ledger balances.
@Suite("Campaign draws")
struct CampaignDrawTests {
    /// A batch of `quantity` units in cases of 100 (or fewer), activated, shipped to D1 and received by ST1.
    static func receivedBatch(
        _ app: TestApp, _ world: TestWorld, _ client: some TestClientProtocol, lot: String, quantity: Int
    ) async throws -> (CodeBatch, CodeSigner) {
        let admin = world.adminToken
        let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
        let perCase = min(100, quantity)
        let created = try await client.call(
            .post, "/api/v1/code-batches", token: admin,
            json: #"{"productID":\#(product.id),"lot":"\#(lot)","quantity":\#(quantity),"unitsPerCase":\#(perCase)}"#)
        let batchID = try #require(created.json["id"] as? Int, "\(created.text)")
        let batch = try #require(try await app.storage.codes.batch(id: Int64(batchID), tenantID: world.tenantA.id))
        let lastCase = (quantity + perCase - 1) / perCase - 1
        let range = #"[{"batchID":\#(batch.id),"firstCase":0,"lastCase":\#(lastCase)}]"#
        #expect(
            try await client.call(.post, "/api/v1/code-batches/\(batch.id)/activations", token: admin, json: #"{"action":"activate"}"#).status
                == .created)
        #expect(
            try await client.call(.post, "/api/v1/shipments", token: admin, json: #"{"distributorID":\#(world.distributorD1),"ranges":\#(range)}"#)
                .status == .created)
        #expect(
            try await client.call(.post, "/api/v1/receipts", token: admin, json: #"{"storeID":\#(world.storeST1),"ranges":\#(range)}"#).status
                == .created)
        return (batch, try #require(try await app.services.codeKeys.entry(keyID: batch.keyID)).signer)
    }

    /// Creates a campaign on the world's first product and returns its id.
    static func campaign(
        _ client: some TestClientProtocol, _ app: TestApp, _ world: TestWorld, tiers: String, budgetFen: Int, storeRewardFen: Int = 0,
        storeBudgetFen: Int = 0, perDevice: Int = 1_000, perConsumer: Int = 1_000, fence: String = ""
    ) async throws -> Int {
        let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
        let now = currentMillis()
        let created = try await client.call(
            .post, "/api/v1/campaigns", token: world.adminToken,
            json: """
                {"name":"开盖有奖","productIDs":[\(product.id)],"startsAt":\(now - 60_000),"endsAt":\(now + 86_400_000),"tiers":\(tiers),
                 "budgetFen":\(budgetFen),"storeRewardFen":\(storeRewardFen),"storeBudgetFen":\(storeBudgetFen),
                 "perDevicePerDay":\(perDevice),"perConsumerPerDay":\(perConsumer)\(fence)}
                """)
        #expect(created.status == .created, "\(created.text)")
        return try #require(created.json["id"] as? Int)
    }

    /// The scan's answer, as text.
    static func scan(_ client: some TestClientProtocol, _ code: String, device: String, openid: String? = nil) async throws -> String {
        let who = openid.map { #","openid":"\#($0)""# } ?? ""
        return try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code)","deviceID":"\#(device)"\#(who)}"#).text
    }

    static func prize(_ answer: String) -> [String: Any]? {
        ((try? JSONSerialization.jsonObject(with: Data(answer.utf8))) as? [String: Any])?["prize"] as? [String: Any]
    }

    static func outcome(_ answer: String) -> String? {
        prize(answer)?["outcome"] as? String
    }

    @Test(arguments: APIBackend.all)
    func aCampaignFencedAroundAStoreDrawsOnlyScansNearIt(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let (batch, signer) = try await Self.receivedBatch(app, world, client, lot: "FENCE", quantity: 4)
                // Store ST1 is at 39.92, 116.44; the campaign draws within 2 km of it.
                let campaignID = try await Self.campaign(
                    client, app, world, tiers: #"[{"name":"积分","kind":"points","points":10,"probability":1}]"#, budgetFen: 0,
                    fence: #","storeIDs":[\#(world.storeST1)],"radiusMeters":2000"#)
                let shown = try await client.call(.get, "/api/v1/campaigns/\(campaignID)", token: world.adminToken)
                #expect(shown.text.contains(#""radiusMeters":2000"#) && shown.text.contains(#""storeID":\#(world.storeST1)"#), "\(shown.text)")
                let code = { (serial: Int) in signer.text(for: batch.unitCode(serial)) }
                let near = try await client.call(
                    .post, "/api/v1/scans", token: nil,
                    json: #"{"code":"\#(code(0))","deviceID":"d-0","latitude":39.925,"longitude":116.445}"#)
                #expect(Self.outcome(near.text) == "won", "\(near.text)")
                let far = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code(1))","deviceID":"d-1","latitude":39.96,"longitude":116.44}"#)
                #expect(far.text.contains(#""prize":null"#), "4.4 km away, no campaign covers the scan: \(far.text)")
                let unplaced = try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code(2))","deviceID":"d-2"}"#)
                #expect(unplaced.text.contains(#""prize":null"#), "no position, outside every fence: \(unplaced.text)")
                // A fence around a store with no position, or one of another brand, is refused field by field.
                let st2 = try #require(world.outsideA["stores"])
                let foreign = try #require(world.foreignB["stores"])
                let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
                let now = currentMillis()
                let refused = try await client.call(
                    .post, "/api/v1/campaigns", token: world.adminToken,
                    json: #"""
                        {"name":"围栏","productIDs":[\#(product.id)],"startsAt":\#(now),"endsAt":\#(now + 86_400_000),
                         "tiers":[{"name":"积分","kind":"points","points":10,"probability":1}],"budgetFen":0,"storeIDs":[\#(st2),\#(foreign)],"radiusMeters":1000}
                        """#)
                #expect(
                    refused.status == .unprocessableContent && refused.text.contains("no_location") && refused.text.contains("invalid_reference"),
                    "\(refused.text)")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func everyWinnerGetsACouponOfTheirOwn(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let (batch, signer) = try await Self.receivedBatch(app, world, client, lot: "COUPON", quantity: 6)
                _ = try await Self.campaign(
                    client, app, world, tiers: #"[{"name":"满减券","kind":"coupon","couponCode":"SPRING","probability":1}]"#, budgetFen: 0)
                var coupons: [String] = []
                for serial in 0..<6 {
                    let answer = try await Self.scan(client, signer.text(for: batch.unitCode(serial)), device: "coupon-\(serial)")
                    coupons.append(try #require(Self.prize(answer)?["couponCode"] as? String, "\(answer)"))
                }
                #expect(Set(coupons).count == 6 && coupons.allSatisfy { $0.hasPrefix("SPRING-") && $0.count == 17 }, "\(coupons)")
                // A repeat scan of a winning code shows no coupon: it was drawn.
                let again = try await Self.scan(client, signer.text(for: batch.unitCode(0)), device: "coupon-x")
                #expect(Self.outcome(again) == "already_drawn" && Self.prize(again)?["couponCode"] is NSNull)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func twoHundredConcurrentRedemptionsOfOneCodePayOnce(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            try await app.test { client in
                let (batch, signer) = try await Self.receivedBatch(app, world, client, lot: "ONCE", quantity: 24)
                let id = try await Self.campaign(
                    client, app, world, tiers: #"[{"name":"红包","kind":"cash","amountFen":188,"probability":1}]"#,
                    budgetFen: 100_000, storeRewardFen: 20, storeBudgetFen: 10_000)
                let code = signer.text(for: batch.unitCode(5))
                let results = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<200 {
                        group.addTask { try await Self.scan(client, code, device: "phone-\(index)", openid: "o-\(index)") }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                let outcomes = results.compactMap(Self.outcome)
                #expect(outcomes.count == 200)
                #expect(outcomes.filter { $0 == "won" }.count == 1)
                #expect(outcomes.filter { $0 == "already_drawn" }.count == 199)
                let winner = try #require(results.first { Self.outcome($0) == "won" }.flatMap(Self.prize))
                #expect(winner["amountFen"] as? Int == 188 && winner["kind"] as? String == "cash" && winner["campaignID"] as? Int == id)

                // One prize, one store reward, in the ledger; the books balance.
                let view = try await client.call(.get, "/api/v1/campaigns/\(id)", token: world.adminToken)
                #expect(view.json["budgetLeftFen"] as? Int == 100_000 - 188)
                #expect(view.json["storeBudgetLeftFen"] as? Int == 10_000 - 20)
                let stats = try #require(view.json["stats"] as? [String: Any])
                #expect(
                    stats["draws"] as? Int == 1 && stats["winners"] as? Int == 1 && stats["prizesFen"] as? Int == 188
                        && stats["storeRewardsFen"] as? Int == 20)
                #expect(try await app.storage.ledger.balance(of: .storeWallet(storeID: world.storeST1), asset: .fen, tenantID: tenantID) == 20)
                let check = try await app.storage.ledger.check(tenantID: tenantID)
                #expect(check.isBalanced, "\(check)")
                #expect(check.debits["fen"] == Int64(110_000 + 188 + 20))

                // The consumer's wallet is a pseudonym: no openid or phone in the ledger.
                let accounts = try await app.storage.database.read("SELECT code FROM ledger_accounts WHERE tenant_id = \(tenantID)")
                #expect(!accounts.contains { ($0.optionalString("code") ?? "").contains("o-") })
            }
        }
    }

    /// ¥1,000.00 and 10,000 concurrent winning scans of ¥3.00: 333 prizes at most, never a fen more.
    static func spendDown(_ clients: [any TestClientProtocol], codes: [String]) async throws -> [String] {
        try await withThrowingTaskGroup(of: String?.self) { group in
            for (index, code) in codes.enumerated() {
                let client = clients[index % clients.count]
                group.addTask { Self.outcome(try await Self.scan(client, code, device: "device-\(index)")) }
            }
            return try await group.reduce(into: [String]()) { if let outcome = $1 { $0.append(outcome) } }
        }
    }

    static func checkSpentDown(_ app: TestApp, _ world: TestWorld, campaignID: Int, outcomes: [String]) async throws {
        let tenantID = world.tenantA.id
        #expect(outcomes.count == 10_000)
        let won = outcomes.filter { $0 == "won" }.count
        #expect(outcomes.allSatisfy { $0 == "won" || $0 == "budget_spent" })
        let shards = (0..<8).map { LedgerAccount.campaignBudget(campaignID: Int64(campaignID), shard: $0) }
        let left = try await app.storage.ledger.total(of: shards, asset: .fen, tenantID: tenantID)
        // Paid exactly what the winners won, never more than the budget, and nothing stranded
        // in shards: what is left cannot pay one more prize.
        #expect(Int64(won) * 300 + left == 100_000)
        #expect(won == 333 && left == 100)
        let check = try await app.storage.ledger.check(tenantID: tenantID)
        #expect(check.isBalanced, "\(check)")
        let stats = try await app.storage.rewards.stats(campaignID: Int64(campaignID), tenantID: tenantID)
        #expect(stats.draws == 10_000 && stats.winners == 333 && stats.prizesFen == 99_900)
    }

    static let threeYuan = #"[{"name":"三元红包","kind":"cash","amountFen":300,"probability":1}]"#

    @Test(arguments: APIBackend.all)
    func aBudgetIsNeverOverspentUnderTenThousandConcurrentWinners(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let (batch, signer) = try await Self.receivedBatch(app, world, client, lot: "BUDGET", quantity: 10_000)
                let id = try await Self.campaign(client, app, world, tiers: Self.threeYuan, budgetFen: 100_000)
                let codes = (0..<10_000).map { signer.text(for: batch.unitCode($0)) }
                let outcomes = try await Self.spendDown([client], codes: codes)
                try await Self.checkSpentDown(app, world, campaignID: id, outcomes: outcomes)
            }
        }
    }

    @Test(.enabled(if: APIBackend.runsPostgres))
    func twoServersShareOneBudgetExactly() async throws {
        try await TestApp.with(.postgres) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let (batch, signer) = try await Self.receivedBatch(app, world, client, lot: "TWO-NODES", quantity: 10_000)
                let id = try await Self.campaign(client, app, world, tiers: Self.threeYuan, budgetFen: 100_000)
                let codes = (0..<10_000).map { signer.text(for: batch.unitCode($0)) }
                try await app.secondNode { node in
                    try await node.test { second in
                        let outcomes = try await Self.spendDown([client, second], codes: codes)
                        try await Self.checkSpentDown(app, world, campaignID: id, outcomes: outcomes)
                    }
                }
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func concurrentWinsOfOneDeviceStopAtItsDailyLimit(_ backend: APIBackend) async throws {
        // Forty scans of one phone at once: above the device's rate limit, which is not what this test is about.
        try await TestApp.with(backend, configure: { $0.rateLimits.scansPerDevice = RateLimit(perMinute: 600) }) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let (batch, signer) = try await Self.receivedBatch(app, world, client, lot: "LIMIT", quantity: 40)
                _ = try await Self.campaign(
                    client, app, world, tiers: #"[{"name":"积分","kind":"points","points":10,"probability":1}]"#, budgetFen: 0,
                    perDevice: 3, perConsumer: 5)
                // 40 codes at once from one phone, half of them with one consumer: settled together, the phone wins 3 times in all.
                let codes = (0..<40).map { signer.text(for: batch.unitCode($0)) }
                let outcomes = try await withThrowingTaskGroup(of: String?.self) { group in
                    for (index, code) in codes.enumerated() {
                        group.addTask {
                            Self.outcome(try await Self.scan(client, code, device: "one-phone", openid: index % 2 == 0 ? "o-same" : nil))
                        }
                    }
                    var outcomes: [String?] = []
                    for try await outcome in group { outcomes.append(outcome) }
                    return outcomes
                }
                #expect(outcomes.filter { $0 == "won" }.count == 3 && outcomes.filter { $0 == "limit_reached" }.count == 37, "\(outcomes)")
                let counts = try await app.storage.database.read(
                    """
                    SELECT subject, wins FROM campaign_win_counts WHERE tenant_id = \(world.tenantA.id) ORDER BY subject
                    """
                ).map { "\(($0.optionalString("subject") ?? "").prefix(7)):\($0.optionalInt("wins") ?? -1)" }
                #expect(counts.first { $0.hasPrefix("device:") } == "device::3", "\(counts)")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func limitsStockAndTheStoreReward(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            try await app.test { client in
                let (batch, signer) = try await Self.receivedBatch(app, world, client, lot: "LIMITS", quantity: 40)
                let codes = (0..<40).map { signer.text(for: batch.unitCode($0)) }
                // Two wins a day per device; the free bottle's stock is 3.
                let id = try await Self.campaign(
                    client, app, world, tiers: #"[{"name":"再来一瓶","kind":"free_item","amountFen":350,"probability":1,"stock":3}]"#,
                    budgetFen: 10_000, storeRewardFen: 20, storeBudgetFen: 50, perDevice: 2)
                var outcomes: [String] = []
                for code in codes.prefix(3) { outcomes.append(Self.outcome(try await Self.scan(client, code, device: "same-phone")) ?? "-") }
                #expect(outcomes == ["won", "won", "limit_reached"])
                for (index, code) in codes[3..<6].enumerated() {
                    outcomes.append(Self.outcome(try await Self.scan(client, code, device: "phone-\(index)")) ?? "-")
                }
                #expect(Array(outcomes[3...]) == ["won", "out_of_stock", "out_of_stock"])
                // A prize refused for its stock gives the device's win back: 2 + 1 wins counted, not 5.
                let counted = try await app.storage.database.read("SELECT SUM(wins) AS n FROM campaign_win_counts WHERE tenant_id = \(tenantID)")
                #expect(counted.first?.optionalInt("n") == 3)
                // A scan without a device or consumer cannot win.
                let anonymous = try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(codes[7])"}"#)
                #expect(Self.outcome(anonymous.text) == "identity_needed")

                // Vouchers owed, the store paid per scan until its budget of 50 fen ran out (20 + 20, not a third).
                let tiers = try await app.storage.ledger.balance(of: .vouchersOutstanding(campaignID: Int64(id)), asset: .fen, tenantID: tenantID)
                #expect(tiers == 3 * 350)
                #expect(try await app.storage.ledger.balance(of: .storeWallet(storeID: world.storeST1), asset: .fen, tenantID: tenantID) == 40)
                let stats = try await app.storage.rewards.stats(campaignID: Int64(id), tenantID: tenantID)
                #expect(stats.draws == 6 && stats.winners == 2 && stats.outcomes["out_of_stock"] == 2 && stats.storeRewardsFen == 40)
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func seededDrawsRepeat(_ backend: APIBackend) async throws {
        let runs = Mutex<[[String]]>([])
        for _ in 0..<2 {
            try await TestApp.with(backend, configure: { $0.drawSeed = 42 }) { app in
                let world = try await TestWorld.build(app)
                try await app.test { client in
                    let (batch, signer) = try await Self.receivedBatch(app, world, client, lot: "SEEDED", quantity: 30)
                    let id = try await Self.campaign(
                        client, app, world, tiers: #"[{"name":"积分","kind":"points","points":10,"probability":0.5}]"#, budgetFen: 0)
                    var outcomes: [String] = []
                    for serial in 0..<30 {
                        outcomes.append(
                            Self.outcome(try await Self.scan(client, signer.text(for: batch.unitCode(serial)), device: "p\(serial)")) ?? "-")
                    }
                    runs.withLock { $0.append(outcomes) }
                    // Points come from the campaign's issue and land in the consumers' wallets.
                    let stats = try await app.storage.rewards.stats(campaignID: Int64(id), tenantID: world.tenantA.id)
                    #expect(stats.points == Int64(outcomes.filter { $0 == "won" }.count) * 10)
                    #expect(try await app.storage.ledger.check(tenantID: world.tenantA.id).isBalanced)
                }
            }
        }
        let (first, second) = runs.withLock { ($0.first ?? [], $0.last ?? []) }
        #expect(first == second && first.count == 30)
        #expect(Set(first) == ["won", "lost"])
    }
}
