import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Logging
import Testing

/// The real server binary running a journey over 6,000 idle consumers, killed with SIGKILL in
/// the middle of its awards: nothing is half-done (each consumer moved on has its action and its
/// points, none without), and after a restart every consumer of the journey's group is paid
/// exactly once and the books balance.
@Suite("Journey crash recovery")
struct JourneyCrashTests {
    @Test(arguments: APIBackend.all)
    func aJourneyKilledMidStepLosesNothingAndPaysNobodyTwice(_ backend: APIBackend) async throws {
        try await TestApp.withOwnDatabase(backend, .journeyCrash) { own in
            try await TestApp.with(backend, configure: { if let own { $0.database = own } }) { app in
                let world = try await TestWorld.build(app)
                let tenantID = world.tenantA.id
                let now = currentMillis()
                let db = app.storage.database
                try await SyntheticConsumers(storage: app.storage).load(
                    first: 300_001, last: 306_000, firstStore: world.storeST1, stores: 1, now: now, tenantID: tenantID)
                try await db.execute("UPDATE consumer_profiles SET last_scan_at = \(now - 3 * 86_400_000) WHERE tenant_id = \(tenantID)")
                let idle = try #require(
                    try await db.read(
                        "SELECT COUNT(*) AS n FROM consumer_profiles WHERE tenant_id = \(tenantID) AND merged_into IS NULL AND last_scan_at > 0"
                    ).first?.optionalInt("n"))
                let journeys = app.services.journeys
                let journey = try await journeys.create(
                    JourneyInput(
                        name: "唤醒", trigger: JourneyTrigger(kind: .inactive, days: 1), steps: [JourneyStep(kind: .points, points: 3)],
                        holdoutPercent: 10, budgetPoints: 1_000_000), owner: "admin", tenantID: tenantID, now: now)
                _ = try await journeys.setStatus(id: journey.id, .running, tenantID: tenantID, now: now)
                let database =
                    switch app.services.configuration.database {
                    case .sqlite(let path): path
                    case .postgres(let url): url
                    }
                let masterKey = try #require(app.services.configuration.masterKey?.base64)
                try await db.execute("DELETE FROM deployment_settings WHERE name = 'master_key_check'")

                func actions() async throws -> Int64 {
                    try await db.read("SELECT COUNT(*) AS n FROM journey_actions WHERE tenant_id = \(tenantID) AND journey_id = \(journey.id)")
                        .first?.optionalInt("n") ?? 0
                }
                /// Every consumer moved past the points step has exactly its action, its ledger entry and its points.
                func consistent() async throws {
                    let moved = try #require(
                        try await db.read(
                            """
                            SELECT COUNT(*) AS n FROM journey_entries
                            WHERE tenant_id = \(tenantID) AND journey_id = \(journey.id) AND held_out = 0 AND step IS NULL
                            """
                        ).first?.optionalInt("n"))
                    let done = try await actions()
                    let paid = try #require(
                        try await db.read(
                            """
                            SELECT COUNT(*) AS n FROM ledger_entries WHERE tenant_id = \(tenantID) AND idempotency_key LIKE \("journey:\(journey.id):%")
                            """
                        ).first?.optionalInt("n"))
                    #expect(moved == done && done == paid, "moved \(moved), actions \(done), paid \(paid)")
                    let left = try await app.storage.ledger.balance(of: .journeyBudget(journeyID: journey.id), asset: .points, tenantID: tenantID)
                    #expect(left == 1_000_000 - 3 * paid)
                    #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
                }

                // The server's runner starts at once; it is killed once some, not all, were paid.
                let server = try CrashRecoveryTests.Server(database: database, masterKey: masterKey)
                var killedAt: Int64 = 0
                for _ in 0..<6_000 {
                    killedAt = try await actions()
                    if killedAt >= 500 {
                        server.kill()
                        break
                    }
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(killedAt >= 500, "the server paid nobody")
                try await consistent()
                let atKill = try await actions()

                // Restarted, it finishes: everyone of the journey's group paid once.
                let restarted = try CrashRecoveryTests.Server(database: database, masterKey: masterKey)
                try await restarted.ready()
                var active: Int64 = -1
                for _ in 0..<1_200 {
                    let rows = try await db.read(
                        """
                        SELECT COUNT(*) AS n, SUM(CASE WHEN ended_at IS NULL THEN 1 ELSE 0 END) AS active
                        FROM journey_entries WHERE tenant_id = \(tenantID) AND journey_id = \(journey.id)
                        """)
                    active = rows.first?.optionalInt("active") ?? -1
                    if rows.first?.optionalInt("n") == idle && active == 0 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                restarted.stop()
                #expect(active == 0)
                try await consistent()
                let (_, report, _) = try await journeys.report(id: journey.id, tenantID: tenantID)
                #expect(report.entered + report.heldOut == idle && report.steps[0]?[.done] == report.entered, "\(report)")
                #expect(try await actions() > atKill || atKill == report.entered)
            }
        }
    }
}
