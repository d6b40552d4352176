import ArgumentParser
import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage

/// Journey actions over a loaded database (`bench load-consumers` first): one journey whose
/// trigger takes every consumer idle for a day, a holdout of 10 %, and one points step; the
/// runner's passes are timed from entry to the last award, then checked: every consumer of the
/// journey's group paid once, the budget down by exactly that, a second pass doing nothing.
struct JourneyActionsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "journey-actions", abstract: "Journey entries and actions per second.")

    @OptionGroup var target: BenchDatabase

    @Option(help: "Consumers let in per pass (the runner's entry limit).")
    var enterLimit = 10_000

    @Option(help: "Due consumers read per round.")
    var batch = 500

    func run() async throws {
        let enterLimit = self.enterLimit, batch = self.batch
        try await target.run { services, tenant in
            let journeys = services.journeys
            let now = currentMillis()
            // Only the bench's journey runs.
            for journey in try await services.storage.journeys.list(tenantID: tenant.id) where journey.status == .running {
                _ = try await journeys.setStatus(id: journey.id, .paused, tenantID: tenant.id, now: now)
            }
            let idle =
                try await services.storage.database.read(
                    """
                    SELECT COUNT(*) AS n FROM consumer_profiles
                    WHERE tenant_id = \(tenant.id) AND merged_into IS NULL AND last_scan_at > 0 AND last_scan_at < \(now - 86_400_000)
                    """
                ).first?.optionalInt("n") ?? 0
            let input = JourneyInput(
                name: "bench \(now)", trigger: JourneyTrigger(kind: .inactive, days: 1), steps: [JourneyStep(kind: .points, points: 1)],
                holdoutPercent: 10, budgetPoints: max(1, min(idle, JourneyInput.budgetRange.upperBound)))
            let journey = try await journeys.create(input, owner: "bench", tenantID: tenant.id, now: now)
            _ = try await journeys.setStatus(id: journey.id, .running, tenantID: tenant.id, now: now)

            var entered = 0, actions = 0, passes = 0
            let started = ContinuousClock.now
            while true {
                let pass = try await journeys.run(now: now, tenantID: tenant.id, batch: batch, enterLimit: enterLimit)
                passes += 1
                entered += pass.entered
                actions += pass.actions
                if pass.entered == 0 && pass.actions == 0 { break }
            }
            let seconds = (ContinuousClock.now - started).seconds
            let again = try await journeys.run(now: now, tenantID: tenant.id)
            let (_, report, left) = try await journeys.report(id: journey.id, tenantID: tenant.id)
            let exact =
                report.entered + report.heldOut == Int64(entered) && report.steps[0]?[.done] == report.entered && Int64(actions) == report.entered
                && left == input.budgetPoints.map { $0 - report.entered } && again.entered == 0 && again.actions == 0
            _ = try await journeys.setStatus(id: journey.id, .ended, tenantID: tenant.id, now: currentMillis())
            let line: [String: Any] = [
                "journey": journey.id, "idle": idle, "entered": entered, "heldOut": report.heldOut, "actions": actions, "passes": passes,
                "seconds": (seconds * 1000).rounded() / 1000, "actionsPerSecond": seconds > 0 ? (Double(actions) / seconds).rounded() : 0,
                "entrantsPerSecond": seconds > 0 ? (Double(entered) / seconds).rounded() : 0, "exactlyOnce": exact,
            ]
            let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            if !exact { throw ValidationError("bookkeeping does not add up: \(report), budget left \(left)") }
        }
    }
}
