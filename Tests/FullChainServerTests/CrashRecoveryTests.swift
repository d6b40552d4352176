import AsyncHTTPClient
import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// The real server binary, killed with SIGKILL in the middle of a storm of winning scans:
/// after a restart every acknowledged prize is in the ledger, none twice, and the books balance.
@Suite("Crash recovery")
struct CrashRecoveryTests {
    /// The `fullchain` executable built beside the tests.
    static func executable() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent("fullchain") }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }, "no fullchain executable in \(candidates)")
    }

    /// A `fullchain serve` process on the test's database.
    final class Server: Sendable {
        private let process: Mutex<Process>
        let port: Int

        init(database: String, masterKey: String) throws {
            // Below Linux's ephemeral range (32768–60999), so no outgoing connection of the other tests holds it.
            port = Int.random(in: 20_000...32_000)
            let process = Process()
            process.executableURL = try CrashRecoveryTests.executable()
            // A storm of scans from one address: the public rate limits are off.
            process.arguments = ["serve", "--database", database, "--port", "\(port)", "--log-level", "error", "--rate-limit", "off"]
            var environment = ProcessInfo.processInfo.environment
            environment["FULLCHAIN_MASTER_KEY"] = masterKey
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            self.process = Mutex(process)
        }

        var baseURL: String { "http://127.0.0.1:\(port)" }

        /// Waits until `/healthz` answers.
        func ready() async throws {
            for _ in 0..<600 {
                if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + "/healthz"), timeout: .seconds(1)),
                    response.status == .ok
                {
                    return
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("the server did not start")
        }

        /// Scans a code as a consumer; the prize's outcome when the server answered.
        func scan(_ code: String, openid: String, signedIn: HTTPFields) async -> String? {
            var request = HTTPClientRequest(url: baseURL + "/api/v1/scans")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            for field in signedIn { request.headers.add(name: field.name.rawName, value: field.value) }
            request.body = .bytes(ByteBuffer(string: #"{"code":"\#(code)","deviceID":"d-\#(openid)","openid":"\#(openid)"}"#))
            guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(10)), response.status == .ok,
                let body = try? await response.body.collect(upTo: 1 << 16)
            else { return nil }
            return CampaignDrawTests.outcome(String(buffer: body))
        }

        func kill() {
            process.withLock { process in
                Foundation.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        func stop() {
            process.withLock { process in
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    /// The answers the server gave, by code.
    final class Answers: Sendable {
        private let answers = Mutex<(byCode: [String: String], stopped: Bool)>(([:], false))

        /// Records an answer; returns how many there are now. From the 150th on, the storm stops.
        func add(_ code: String, _ outcome: String) -> Int {
            answers.withLock {
                $0.byCode[code] = outcome
                if $0.byCode.count >= 150 { $0.stopped = true }
                return $0.byCode.count
            }
        }

        var stopped: Bool { answers.withLock { $0.stopped } }
        var all: [String: String] { answers.withLock { $0.byCode } }
    }

    @Test(arguments: APIBackend.all)
    func everyAcknowledgedPrizeSurvivesSIGKILL(_ backend: APIBackend) async throws {
        // A database of its own: the server's payout worker pays every brand's prizes in its database.
        try await TestApp.withOwnDatabase(backend, .prizeCrash) { own in
            try await TestApp.with(backend, configure: { if let own { $0.database = own } }) { app in
                let world = try await TestWorld.build(app)
                let tenantID = world.tenantA.id
                let setup = Mutex<(codes: [String], campaignID: Int)>(([], 0))
                try await app.test { client in
                    let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "KILL", quantity: 600)
                    let id = try await CampaignDrawTests.campaign(
                        client, app, world, tiers: #"[{"name":"红包","kind":"cash","amountFen":100,"probability":1}]"#,
                        budgetFen: 10_000_000, storeRewardFen: 20, storeBudgetFen: 1_000_000)
                    setup.withLock { $0 = ((0..<600).map { signer.text(for: batch.unitCode($0)) }, id) }
                }
                let (codes, campaignID) = setup.withLock { $0 }
                let database =
                    switch app.services.configuration.database {
                    case .sqlite(let path): path
                    case .postgres(let url): url
                    }
                let masterKey = try #require(app.services.configuration.masterKey?.base64)
                // Whatever key check the database holds, the server stores this key's afresh instead of refusing to start.
                try await app.storage.database.execute("DELETE FROM deployment_settings WHERE name = 'master_key_check'")

                // The storm: 32 consumers at a time; the server is killed once 150 prizes were acknowledged.
                let server = try Server(database: database, masterKey: masterKey)
                try await server.ready()
                let acknowledged = Answers()
                await withTaskGroup(of: Void.self) { group in
                    for lane in 0..<32 {
                        group.addTask {
                            // Once the server is gone, the lanes stop (a client would wait for its timeout).
                            for index in stride(from: lane, to: codes.count, by: 32) where !acknowledged.stopped {
                                let signedIn = (try? app.consumerHeaders("openid:k-\(index)", tenantID: tenantID)) ?? [:]
                                guard let outcome = await server.scan(codes[index], openid: "k-\(index)", signedIn: signedIn) else { continue }
                                if acknowledged.add(codes[index], outcome) == 150 { server.kill() }
                            }
                        }
                    }
                }
                let answered = acknowledged.all
                #expect(answered.count >= 150 && answered.count < codes.count, "killed after \(answered.count) answers")
                #expect(answered.values.allSatisfy { $0 == "won" })

                // Every acknowledged prize is booked; every booked prize once, with its store reward and payout.
                let storage = app.storage
                let wonSerials = Set(
                    try await storage.database.read(
                        """
                        SELECT serial FROM campaign_draws WHERE tenant_id = \(tenantID) AND campaign_id = \(campaignID) AND outcome = 'won'
                        """
                    ).compactMap { $0.optionalInt("serial") })
                let won = wonSerials.count
                let serialOf = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, Int64($0)) })
                #expect(Set(answered.keys.compactMap { serialOf[$0] }).isSubset(of: wonSerials), "an acknowledged prize is missing")
                let prizes = try await storage.database.read(
                    """
                    SELECT idempotency_key FROM ledger_entries WHERE tenant_id = \(tenantID) AND idempotency_key LIKE \("draw:\(campaignID):%")
                    """
                ).compactMap { $0.optionalString("idempotency_key") }
                #expect(prizes.count == won && Set(prizes).count == won)
                let rewards = try await storage.database.read(
                    """
                    SELECT COUNT(*) AS n FROM ledger_entries WHERE tenant_id = \(tenantID) AND idempotency_key LIKE \("store-reward:\(campaignID):%")
                    """
                ).first?.optionalInt("n")
                #expect(rewards == Int64(won))
                #expect(try await storage.payouts.summary(tenantID: tenantID)[.queued] == PayoutTally(count: won, amountFen: Int64(won) * 100))
                let campaignShards = (0..<8).map { LedgerAccount.campaignBudget(campaignID: Int64(campaignID), shard: $0) }
                #expect(try await storage.ledger.total(of: campaignShards, asset: .fen, tenantID: tenantID) == 10_000_000 - Int64(won) * 100)
                let check = try await storage.ledger.check(tenantID: tenantID)
                #expect(check.isBalanced, "\(check)")

                // After a restart: acknowledged codes never pay again, and new scans still win.
                let restarted = try Server(database: database, masterKey: masterKey)
                try await restarted.ready()
                for code in answered.keys.prefix(20) {
                    #expect(
                        await restarted.scan(code, openid: "again", signedIn: try app.consumerHeaders("openid:again", tenantID: tenantID))
                            == "already_drawn")
                }
                let unscanned = try #require(codes.last { answered[$0] == nil })
                #expect(await restarted.scan(unscanned, openid: "late", signedIn: try app.consumerHeaders("openid:late", tenantID: tenantID)) != nil)
                restarted.stop()
                #expect(try await storage.ledger.check(tenantID: tenantID).isBalanced)
            }
        }
    }
}
