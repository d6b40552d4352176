import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Cash prizes leave through the payout outbox: to WeChat Pay red packets (a local fake that
/// fails as the documentation says) or to a settlement file. Nothing pays twice, nothing is
/// lost, the pace and limits hold, and the ledger follows every payout.
@Suite("Payouts")
struct PayoutTests {
    /// Merchant ids unique to one test (the pace is shared by every test on one database).
    static func merchants(_ count: Int) -> [WeChatMerchant] {
        (0..<count).map { _ in
            WeChatMerchant(
                mchID: String(UInt64.random(in: 1_000_000_000...9_999_999_999)), appID: "wx8888888888888888",
                apiKey: UUID().uuidString.replacingOccurrences(of: "-", with: ""), sendName: "测试品牌")
        }
    }

    /// A world with a received batch of `quantity` units and a campaign where every scan wins ¥1.88; scans
    /// each unit with `who(index)` as the consumer (an openid, a phone, or nobody) and returns the tenant.
    static func winners(_ app: TestApp, quantity: Int, who: @escaping @Sendable (Int) -> String?) async throws -> Int64 {
        let world = try await TestWorld.build(app)
        try await app.test { client in
            let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "PAY", quantity: quantity)
            _ = try await CampaignDrawTests.campaign(
                client, app, world, tiers: #"[{"name":"红包","kind":"cash","amountFen":188,"probability":1}]"#,
                budgetFen: 1_000_000)
            for index in 0..<quantity {
                let identity = who(index)
                let json = #"{"code":"\#(signer.text(for: batch.unitCode(index)))","deviceID":"device-\#(index)""#
                // Consumers signed in on the brand's pages (with WeChat, or a phone they proved).
                let signedIn = try identity.map { try app.consumerHeaders($0, tenantID: world.tenantA.id) } ?? [:]
                let answer = try await client.call(.post, "/api/v1/scans", token: nil, json: json + "}", headers: signedIn).text
                #expect(CampaignDrawTests.outcome(answer) == "won", "\(answer)")
            }
        }
        return world.tenantA.id
    }

    /// Runs worker rounds until no payout waits to be sent within the next minute (or the rounds run out).
    static func drain(_ worker: PayoutService, _ app: TestApp, tenantID: Int64, rounds: Int = 400) async throws -> [PayoutStatus: PayoutTally] {
        for _ in 0..<rounds {
            try await worker.runOnce(tenantID: tenantID)
            let due = try await app.storage.database.read(
                """
                SELECT COUNT(*) AS n FROM payouts WHERE tenant_id = \(tenantID) AND status IN ('queued', 'unknown', 'sending') AND next_attempt_at < \(currentMillis() + 60_000)
                """)
            if due.first?.optionalInt("n") == 0 { break }
            try await Task.sleep(for: .milliseconds(30))
        }
        return try await app.storage.payouts.summary(tenantID: tenantID)
    }

    static var logger: Logger {
        var logger = Logger(label: "payout-tests")
        logger.logLevel = .error
        return logger
    }

    static func fastRetries(_ configuration: inout AppConfiguration) {
        configuration.payouts.limits.retryAfterMillis = 20
        configuration.payouts.limits.maximumRetryAfterMillis = 100
    }

    @Test(arguments: APIBackend.all)
    func providerFailuresNeitherPayTwiceNorLoseAPayout(_ backend: APIBackend) async throws {
        try await TestApp.with(backend, configure: Self.fastRetries) { app in
            // 20 consumers with openids, one signed in with only a phone (cash goes only to WeChat: it waits in the
            // phone's wallet), one with a device only (no payout).
            let tenantID = try await Self.winners(app, quantity: 22) { index in
                index < 20 ? "openid:o-\(index)" : index == 20 ? "phone:13800000000" : nil
            }
            #expect(try await app.storage.payouts.summary(tenantID: tenantID)[.queued] == PayoutTally(count: 20, amountFen: 20 * 188))
            let merchants = Self.merchants(2)
            let fake = FakeWeChatPay(
                merchants: merchants,
                script: [
                    .systemErrorUnpaid, .paidThenSystemError, .slowUnpaid, .paidThenSlow, .notEnough,
                    .freqLimit, .paidThenSystemError, .paidThenSlow,
                ], slowMillis: 1_500)
            try await fake.serve { baseURL in
                let provider = try WeChatRedPacketProvider(.init(baseURL: baseURL, merchants: merchants, timeoutMillis: 600))
                let worker = PayoutService(services: app.services, provider: provider, logger: Self.logger)
                let summary = try await Self.drain(worker, app, tenantID: tenantID)
                #expect(summary[.paid] == PayoutTally(count: 20, amountFen: 20 * 188), "\(summary)")
                #expect(summary[.failed] == nil, "\(summary)")
            }
            let state = fake.state.withLock { $0 }
            // Every openid paid exactly once, though eight sends failed or lost their answer.
            #expect(state.paid.count == 20)
            #expect(Set(state.paid.values.compactMap { $0["re_openid"] }) == Set((0..<20).map { "o-\($0)" }))
            #expect(state.paid.values.allSatisfy { $0["total_amount"] == "188" })
            // Sent again with the same bill number: at least the two answers lost before paying, and NOTENOUGH and FREQ_LIMIT
            // (a loaded machine may time out more).
            #expect(state.sends.values.reduce(0, +) >= 20 + 4, "\(state.sends)")
            // Each unclear outcome was asked about before anything was sent again.
            #expect(state.queries >= 6)
            #expect(state.badSignatures == 0)
            #expect(Set(state.paidAt.keys) == Set(merchants.map(\.mchID)), "payouts spread over both merchant accounts")
            let billNumbers = try await app.storage.payouts.list(tenantID: tenantID, status: .paid, limit: 100).compactMap(\.billNumber)
            #expect(Set(billNumbers) == Set(state.paid.keys))
            #expect(billNumbers.allSatisfy { $0.count == 28 && $0.allSatisfy(\.isNumber) })

            // The ledger: paid out what WeChat paid, nothing left in clearing, the phone's prize in its wallet.
            let ledger = app.storage.ledger
            #expect(try await ledger.balance(of: .paidOut, asset: .fen, tenantID: tenantID) == 20 * 188)
            #expect(try await ledger.balance(of: .payoutClearing, asset: .fen, tenantID: tenantID) == 0)
            let check = try await ledger.check(tenantID: tenantID)
            #expect(check.isBalanced, "\(check)")
            let phoneWallet = app.services.consumers.scanPseudonym(of: "phone:13800000000", tenantID: tenantID).dropFirst("consumer:".count)
            #expect(try await ledger.balance(of: .consumerWallet(String(phoneWallet)), asset: .fen, tenantID: tenantID) == 188)
            // The outbox holds no readable identity.
            let rows = try await app.storage.database.read("SELECT recipient FROM payouts WHERE tenant_id = \(tenantID)")
            // (Sealed text is base64 of random bytes: look for the identities, not for short pieces of them.)
            let sealed = rows.map { $0.optionalString("recipient") ?? "" }
            #expect(
                sealed.count == 20
                    && !sealed.contains { $0.contains("openid") || $0.contains("o-") || $0.contains("phone") || $0.contains("13800000000") })
        }
    }

    @Test(arguments: APIBackend.all)
    func payoutsKeepEachMerchantsPaceAndTheDailyLimits(_ backend: APIBackend) async throws {
        try await TestApp.with(
            backend,
            configure: { configuration in
                Self.fastRetries(&configuration)
                configuration.payouts.limits.perSecondPerMerchant = 3
                configuration.payouts.limits.perConsumerDailyCount = 2
            }
        ) { app in
            // 16 consumers win once; one consumer wins three times: the third waits for tomorrow.
            let tenantID = try await Self.winners(app, quantity: 19) { index in index < 16 ? "openid:p-\(index)" : "openid:frequent" }
            let merchants = Self.merchants(2)
            let fake = FakeWeChatPay(merchants: merchants, script: [], slowMillis: 0)
            let started = Date()
            try await fake.serve { baseURL in
                let provider = try WeChatRedPacketProvider(.init(baseURL: baseURL, merchants: merchants, timeoutMillis: 2_000))
                let worker = PayoutService(services: app.services, provider: provider, logger: Self.logger)
                let summary = try await Self.drain(worker, app, tenantID: tenantID)
                #expect(summary[.paid]?.count == 18, "\(summary)")
            }
            let elapsed = Date().timeIntervalSince(started)
            // 9 payouts per account at 3 a second span at least three seconds of the clock (at once, they would take milliseconds).
            #expect(elapsed >= 1.0, "drained in \(elapsed) s")
            let state = fake.state.withLock { $0 }
            for (merchant, times) in state.paidAt {
                let perSecond = Dictionary(grouping: times, by: { $0 / 1000 }).values.map(\.count).max() ?? 0
                // The pace is counted when a payout leaves; those that left at a second's end may arrive in the next.
                #expect(perSecond <= 6, "merchant \(merchant) paid \(perSecond) in one second")
                // Turns alternate between the two accounts; a payout that waits for tomorrow takes a turn too.
                #expect((8...10).contains(times.count), "merchant \(merchant) paid \(times.count) of 18")
            }
            let waiting = try await app.storage.payouts.list(tenantID: tenantID, status: .queued, limit: 10)
            #expect(waiting.count == 1)
            let tomorrow = BusinessDay.start(ofDay: BusinessDay.day(ofMillis: currentMillis()) + 1)
            let next = try await app.storage.database.read(
                "SELECT next_attempt_at, last_error FROM payouts WHERE tenant_id = \(tenantID) AND status = 'queued'")
            #expect(next.first?.optionalInt("next_attempt_at") == tomorrow)
            #expect(next.first?.optionalString("last_error") == "consumer_daily_limit")
            #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
        }
    }

    @Test(arguments: APIBackend.all)
    func settlementFilesListEachPayoutOnceAndAmountsOutsideTheLimitsStayInTheWallet(_ backend: APIBackend) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fullchain-settlement-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestApp.with(backend, configure: Self.fastRetries) { app in
            let tenantID = try await Self.winners(app, quantity: 6) { index in "openid:s-\(index)" }
            let provider = try SettlementFileProvider(directory: directory.path)
            let worker = PayoutService(services: app.services, provider: provider, logger: Self.logger)
            #expect(try await Self.drain(worker, app, tenantID: tenantID)[.paid] == PayoutTally(count: 6, amountFen: 6 * 188))

            // A worker that died after writing the line but before recording it: its payout comes back, is asked about, and is not written again.
            let paid = try #require(try await app.storage.payouts.list(tenantID: tenantID, status: .paid, limit: 10).first)
            _ = try await app.storage.database.execute(
                """
                UPDATE payouts SET status = 'sending', lease_until = 1 WHERE tenant_id = \(tenantID) AND id = \(paid.id)
                """)
            #expect(try await Self.drain(worker, app, tenantID: tenantID)[.paid]?.count == 6)

            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(files.count == 1 && files.allSatisfy { $0.hasPrefix("payouts-") && $0.hasSuffix(".csv") })
            let text = try String(contentsOf: directory.appendingPathComponent(try #require(files.first)), encoding: .utf8)
            let lines = text.split(separator: "\n")
            #expect(lines.first == "bill_no,paid_at,recipient,amount_fen,campaign_id")
            #expect(lines.count == 7, "\(text)")
            #expect(Set(lines.dropFirst().map { $0.split(separator: ",")[0] }).count == 6)
            #expect(text.contains("openid:s-0") && text.contains("openid:s-5"))
            #expect(try await app.storage.ledger.balance(of: .paidOut, asset: .fen, tenantID: tenantID) == 6 * 188)

            // Another brand of the deployment pays through the same account: its payout ids repeat the first brand's, its bill numbers do not.
            let other = try await Self.winners(app, quantity: 2) { index in "openid:t-\(index)" }
            #expect(try await Self.drain(worker, app, tenantID: other)[.paid]?.count == 2)
            let both = try String(contentsOf: directory.appendingPathComponent(try #require(files.first)), encoding: .utf8).split(separator: "\n")
            #expect(both.count == 9 && Set(both.dropFirst().map { $0.split(separator: ",")[0] }).count == 8, "\(both)")
        }
        // A provider whose largest payout is ¥1.50 refuses ¥1.88 at once: nothing handed off, the prize stays in the wallet.
        try await TestApp.with(
            backend,
            configure: {
                Self.fastRetries(&$0)
                $0.payouts.limits.maximumFen = 150
            }
        ) { app in
            let tenantID = try await Self.winners(app, quantity: 1) { _ in "openid:big" }
            let worker = PayoutService(services: app.services, provider: try SettlementFileProvider(directory: directory.path), logger: Self.logger)
            #expect(try await Self.drain(worker, app, tenantID: tenantID)[.failed] == PayoutTally(count: 1, amountFen: 188))
            let failed = try #require(try await app.storage.payouts.list(tenantID: tenantID, status: .failed, limit: 1).first)
            #expect(try await app.storage.ledger.balance(of: .consumerWallet(failed.wallet), asset: .fen, tenantID: tenantID) == 188)
            #expect(try await app.storage.ledger.balance(of: .payoutClearing, asset: .fen, tenantID: tenantID) == 0)
        }
    }
}

/// Faults around a payout: a lease that runs out during a slow call, and an answer the
/// server cannot read as paid or refused.
@Suite("Payout faults")
struct PayoutFaultTests {
    static func row(_ app: TestApp, tenantID: Int64) async throws -> SQLRow {
        try #require(
            try await app.storage.database.read("SELECT status, ask_first, bill_no, last_error FROM payouts WHERE tenant_id = \(tenantID)").first)
    }

    @Test(arguments: APIBackend.all)
    func aPayoutWhoseLeaseRanOutDuringTheCallIsPaidOnce(_ backend: APIBackend) async throws {
        try await TestApp.with(backend, configure: PayoutTests.fastRetries) { app in
            let tenantID = try await PayoutTests.winners(app, quantity: 1) { _ in "openid:slow" }
            let merchants = PayoutTests.merchants(1)
            // The first send is held until after the client gave up, unpaid; the second pays.
            let fake = FakeWeChatPay(merchants: merchants, script: [.slowUnpaid], slowMillis: 12_000)
            try await fake.serve { baseURL in
                let provider = try WeChatRedPacketProvider(.init(baseURL: baseURL, merchants: merchants, timeoutMillis: 10_000))
                let first = PayoutService(services: app.services, provider: provider, logger: PayoutTests.logger, leaseMillis: 60_000)
                let second = PayoutService(services: app.services, provider: provider, logger: PayoutTests.logger, leaseMillis: 60_000)
                let stalled = Task { try await first.runOnce(tenantID: tenantID) }
                // The first worker's lease runs out while its call hangs (its end is moved into the
                // past once the call reached the provider, so a loaded machine cannot run it out
                // earlier); the second worker takes the payout over.
                var tookOver = 0
                for _ in 0..<400 where tookOver == 0 {
                    try await Task.sleep(for: .milliseconds(50))
                    if fake.state.withLock({ $0.sends.values.reduce(0, +) }) == 1 {
                        _ = try await app.storage.database.execute(
                            """
                            UPDATE payouts SET lease_until = 1 WHERE tenant_id = \(tenantID) AND status = 'sending'
                            """)
                        tookOver = try await second.runOnce(tenantID: tenantID)
                    }
                }
                #expect(tookOver == 1)
                #expect(try await Self.row(app, tenantID: tenantID).optionalString("status") == "paid")
                // The first worker's call comes back without an answer: its lease is gone, it records nothing.
                #expect(try await stalled.value == 1)
            }
            let row = try await Self.row(app, tenantID: tenantID)
            #expect(row.optionalString("status") == "paid")
            let bill = try #require(row.optionalString("bill_no"))
            let state = fake.state.withLock { $0 }
            #expect(state.paid.count == 1 && state.paid[bill] != nil)
            // Sent twice with one bill number (asked about in between), paid once.
            #expect(state.sends == [bill: 2])
            #expect(state.queries == 1)
            #expect(try await app.storage.ledger.balance(of: .paidOut, asset: .fen, tenantID: tenantID) == 188)
            #expect(try await app.storage.ledger.balance(of: .payoutClearing, asset: .fen, tenantID: tenantID) == 0)
            #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
        }
    }

    @Test(arguments: APIBackend.all)
    func anUnlistedErrorIsAnUnknownOutcomeAskedAboutThenSentAgainWithTheSameBill(_ backend: APIBackend) async throws {
        try await TestApp.with(backend, configure: PayoutTests.fastRetries) { app in
            let tenantID = try await PayoutTests.winners(app, quantity: 1) { _ in "openid:unlisted" }
            let merchants = PayoutTests.merchants(1)
            let fake = FakeWeChatPay(merchants: merchants, script: [.unlistedError], slowMillis: 0)
            let durableBefore = (app.storage.database as? SQLiteDatabase)?.fullSyncCommits ?? 0
            try await fake.serve { baseURL in
                let provider = try WeChatRedPacketProvider(.init(baseURL: baseURL, merchants: merchants, timeoutMillis: 3_000))
                let worker = PayoutService(services: app.services, provider: provider, logger: PayoutTests.logger)
                #expect(try await worker.runOnce(tenantID: tenantID) == 1)
                // Not refused: pending, to be asked about first.
                let pending = try await Self.row(app, tenantID: tenantID)
                #expect(pending.optionalString("status") == "unknown")
                #expect(pending.bool("ask_first"))
                #expect(pending.optionalString("last_error") == "NEW_UNLISTED_ERROR")
                #expect(try await app.storage.ledger.balance(of: .payoutClearing, asset: .fen, tenantID: tenantID) == 188)
                #expect(try await PayoutTests.drain(worker, app, tenantID: tenantID)[.paid] == PayoutTally(count: 1, amountFen: 188))
                #expect(try await Self.row(app, tenantID: tenantID).optionalString("bill_no") == pending.optionalString("bill_no"))
            }
            let state = fake.state.withLock { $0 }
            let bill = try #require(state.paid.keys.first)
            #expect(state.paid.count == 1)
            #expect(state.sends == [bill: 2])
            #expect(state.queries == 1)
            #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
            if let sqlite = app.storage.database as? SQLiteDatabase {
                // Both hand-offs committed with synchronous=FULL; the writer is back to NORMAL (1) afterwards.
                #expect(sqlite.fullSyncCommits - durableBefore == 2)
                #expect(try await sqlite.execute("PRAGMA synchronous").first?.optionalInt("synchronous") == 1)
            }
        }
    }
}
