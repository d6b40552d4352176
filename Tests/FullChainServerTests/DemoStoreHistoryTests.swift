import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Testing

/// The demo's store history tells one story: salespeople visit their stores through the cycle (so
/// coverage is neither nil nor perfect for everyone), and the dashboard's figures are the stores'.
@Suite("Demo store history")
struct DemoStoreHistoryTests {
    @Test func salespeopleCoverTheirStoresAndTheDashboardAddsUp() async throws {
        try await TestApp.with(.sqlite) { app in
            let brand = DemoBrand.generate(seed: 5, storeCount: 200, referenceDate: "2026-11-20")
            let tenant = try await DemoLoader.load(brand, into: app.storage, passwordHash: app.services.passwords.hash("demo-secret"))
            let now = currentMillis()
            let summary = try await DemoStoreHistory.load(tenantID: tenant.id, core: app.services.core, seed: 5, now: now)
            #expect(summary.visits > summary.tasksRaised, "\(summary)")
            let today = BusinessDay.day(ofMillis: now)
            let hq = AccessScope.wholeTenant(tenant.id)
            let lines = try await app.storage.storeFigures.ranking(today: today, rules: StoreRules(), scope: hq).filter { $0.stores > 0 }
            #expect(!lines.isEmpty)
            #expect(lines.allSatisfy { $0.coverage > 0 && $0.coverage <= 1 }, "\(lines.map(\.coverage))")
            #expect(Set(lines.map { Int($0.coverage * 10) }).count > 1, "every salesperson covers alike: \(lines.map(\.coverage))")

            // The dashboard's month is the sum of the stores' days.
            try await app.services.dashboards.rebuildAll(tenantID: tenant.id, today: today)
            let days = (today - 29)...today
            let total = try await app.storage.dashboard.nodeDays(paths: ["/"], days: days, scope: hq)["/"]?.values.reduce(.zero, +)
            let stores = try await app.storage.dashboard.storeDays(orgPath: nil, days: days, perDay: true, limit: 5_000, scope: hq)
            let sold = stores.flatMap(\.days.values).reduce(Int64(0)) { $0 + $1.unitsSold }
            #expect(sold > 0 && total?.unitsSold == sold, "\(String(describing: total)) vs \(sold)")
        }
    }
}
