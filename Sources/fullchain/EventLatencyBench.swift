import ArgumentParser
import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Logging
import Synchronization

/// How long an event takes to reach a consumer's tags, lifecycle stage and journey entry, on a
/// loaded demo database: scans of fresh units by consumers nobody knew, at a fixed rate through
/// the scan path, while the touch worker runs as the server runs it. Each consumer's first scan
/// makes them `acquired`, which a running journey's trigger lets in; the worker catches up the
/// profile (figures, rule tags, stage) before the entry, so the entry's time bounds all three.
struct EventLatencyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event-latency", abstract: "Scan → tags, stage and journey entry, at a fixed scan rate.")

    @OptionGroup var target: BenchDatabase

    @Option(help: "Scans per second offered.")
    var rate = 5_000

    @Option(help: "Seconds of scanning.")
    var seconds = 10

    @Option(help: "Scans in flight at once.")
    var concurrency = 128

    func run() async throws {
        let rate = max(1, rate), total = max(1, rate * max(1, seconds)), concurrency = max(1, concurrency)
        try await target.run { services, tenant in
            let storage = services.storage
            let tenantID = tenant.id
            let now = currentMillis()
            // Units received at a store, a case of 100 each.
            guard let product = try await storage.products.list(ListQuery(limit: 1), category: nil, tenantID: tenantID).items.first,
                let store = try await storage.stores.list(ListQuery(limit: 1), filter: StoreFilter(), scope: .wholeTenant(tenantID)).items.first?
                    .store,
                let distributor = store.distributorID
            else { throw ValidationError("load the demo first") }
            let signer = try await services.core.codeKeys.currentSigner(tenantID: tenantID)
            let cases = (total + 99) / 100
            let batch = try await storage.codes.createBatch(
                productID: product.id, lot: "LATENCY-\(now)", quantity: cases * 100, unitsPerCase: 100, keyID: signer.keyID, tenantID: tenantID)
            _ = try await storage.codes.recordRangeAction(.activate, cases: 0...(cases - 1), batchID: batch.id, tenantID: tenantID)
            let refs = (0..<cases).map { CaseRef(batchID: batch.id, caseNumber: $0) }
            try await storage.logistics.ship(refs, distributorID: distributor, tenantID: tenantID)
            try await storage.logistics.receive(
                refs.map {
                    CaseReceipt(
                        batchID: $0.batchID, caseNumber: $0.caseNumber, storeID: store.id, distributorID: distributor, flag: .ok, receivedAt: now,
                        review: .initial(flag: .ok, byStoreStaff: true))
                }, tenantID: tenantID)
            let codes = (0..<total).map { signer.text(for: batch.unitCode($0)) }

            // Only the bench's journey runs: first genuine scan → entry.
            let journeys = services.journeys
            for journey in try await storage.journeys.list(tenantID: tenantID) where journey.status == .running {
                _ = try await journeys.setStatus(id: journey.id, .paused, tenantID: tenantID, now: now)
            }
            let journey = try await journeys.create(
                JourneyInput(
                    name: "latency \(now)", trigger: JourneyTrigger(kind: .stage, stage: .acquired), steps: [JourneyStep(kind: .exit)],
                    holdoutPercent: 0), owner: "bench", tenantID: tenantID, now: now)
            _ = try await journeys.setStatus(id: journey.id, .running, tenantID: tenantID, now: currentMillis())

            let worker = ProfileTouchWorker(
                touches: services.core.touches, consumers: services.consumers, journeys: journeys, logger: Logger(label: "bench"))
            let rounds = RoundLog()
            let background = Task {
                while !rounds.stopped {
                    let started = ContinuousClock.now
                    try await worker.round()
                    rounds.add((ContinuousClock.now - started).seconds)
                    try await Task.sleep(for: .milliseconds(200))
                }
            }

            // Scan i is offered at start + i / rate; each consumer scans once.
            let next = Tickets()
            let scanning = services.scanning
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while true {
                            let index = next.take()
                            guard index < total else { return }
                            let due = started + .nanoseconds(Int64(index) * 1_000_000_000 / Int64(rate))
                            if due > ContinuousClock.now { try await Task.sleep(until: due) }
                            let at = currentMillis()
                            _ = try await scanning.scan(
                                code: codes[index], at: at, receivedAt: at, location: nil, deviceID: "latency-\(index)", ip: nil, signedIn: nil,
                                asserted: "openid:latency-\(now)-\(index)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let scanSeconds = (ContinuousClock.now - started).seconds
            // Wait for the last entries (at most 60 s).
            var entered = 0
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                entered = Int(
                    try await storage.database.read(
                        "SELECT COUNT(*) AS n FROM journey_entries WHERE tenant_id = \(tenantID) AND journey_id = \(journey.id)"
                    ).first?.optionalInt("n") ?? 0)
                if entered >= total { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            rounds.stop()
            try await background.value
            let rows = try await storage.database.read(
                """
                SELECT e.entered_at - s.scanned_at AS latency FROM journey_entries e
                JOIN consumer_identities i ON i.tenant_id = e.tenant_id AND i.profile_id = e.profile_id
                JOIN scan_events s ON s.tenant_id = i.tenant_id AND s.consumer = 'consumer:' || i.pseudonym AND s.batch_id = \(batch.id)
                WHERE e.tenant_id = \(tenantID) AND e.journey_id = \(journey.id)
                """)
            let latencies = rows.compactMap { $0.optionalInt("latency") }.sorted()
            func percentile(_ p: Double) -> Int64 {
                latencies.isEmpty ? -1 : latencies[min(latencies.count - 1, Int(Double(latencies.count - 1) * p))]
            }
            _ = try await journeys.setStatus(id: journey.id, .ended, tenantID: tenantID, now: currentMillis())
            let (roundCount, longest) = rounds.figures
            let line: [String: Any] = [
                "offeredRate": rate, "scans": total, "scanSeconds": (scanSeconds * 100).rounded() / 100,
                "achievedRate": scanSeconds > 0 ? (Double(total) / scanSeconds).rounded() : 0, "entered": entered,
                "latencyMillis": ["p50": percentile(0.5), "p95": percentile(0.95), "p99": percentile(0.99), "max": percentile(1)],
                "workerRounds": roundCount, "longestRoundSeconds": (longest * 1000).rounded() / 1000, "dropped": services.core.touches.dropped,
            ]
            let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

/// Hands out scan numbers to the scanning tasks.
private final class Tickets: Sendable {
    private let next = Atomic<Int>(0)
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

/// The touch worker's rounds: how many, the longest, and when to stop.
private final class RoundLog: Sendable {
    private let state = Mutex<(count: Int, longest: Double, stopped: Bool)>((0, 0, false))
    var stopped: Bool { state.withLock { $0.stopped } }
    var figures: (Int, Double) { state.withLock { ($0.count, $0.longest) } }
    func add(_ seconds: Double) { state.withLock { $0 = ($0.count + 1, max($0.longest, seconds), $0.stopped) } }
    func stop() { state.withLock { $0.stopped = true } }
}
