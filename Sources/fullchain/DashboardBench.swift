import ArgumentParser
import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage

/// The dashboard's data set on a loaded demo brand: synthetic 业代 under the demo's cities, each
/// with about 50 stores, store-day rollups holding `scans` consumer scans over `days` days (a store
/// sells on about half of them), and the org rollup built from them. Adds the users the benchmark
/// signs in as (`bench-city`, a city's manager; `bench-sp`, one synthetic 业代), with the demo's
/// password. Prints one JSON line.
struct LoadDashboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-dashboard", abstract: "Loads the dashboard benchmark's stores and their daily figures.")

    @OptionGroup var target: BenchDatabase

    @Option(help: "Stores to add.")
    var stores = 100_000

    @Option(help: "Consumer scans in all, spread over the days.")
    var scans = 100_000_000

    @Option(help: "Days of history, ending today.")
    var days = 365

    @Option(help: "Stores per synthetic 业代.")
    var storesPerSalesperson = 50

    func run() async throws {
        let (stores, scans, days, perSalesperson) = (stores, scans, days, storesPerSalesperson)
        guard stores > 0, scans >= 0, (1...800).contains(days), perSalesperson > 0 else { throw ValidationError("out of range") }
        try await target.run { services, tenant in
            let storage = services.storage
            let hq = AccessScope.wholeTenant(tenant.id)
            let started = ContinuousClock.now
            let cities = try await storage.org.list(scope: hq, level: .city)
            guard !cities.isEmpty else { throw ValidationError("the brand has no cities") }
            let product = try await storage.products.list(ListQuery(limit: 1), category: nil, tenantID: tenant.id).items.first
            guard let product else { throw ValidationError("the brand has no products") }
            // Each city's stores lie where the demo put the city's stores.
            var cityRegions: [Int64: String] = [:]
            for city in cities {
                let (low, high) = (city.path, String(city.path.dropLast()) + "0")
                cityRegions[city.id] =
                    try await storage.database.read(
                        "SELECT region_code FROM stores WHERE tenant_id = \(tenant.id) AND org_path >= \(low) AND org_path < \(high) LIMIT 1"
                    ).first?.optionalString("region_code") ?? "110105000000"
            }
            // The synthetic 业代, spread over the cities.
            let salespeople = (stores + perSalesperson - 1) / perSalesperson
            var nodes: [(node: OrgNode, region: String)] = []
            for index in 0..<salespeople {
                let city = cities[index % cities.count]
                let node = try await storage.org.create(parentID: city.id, code: "BENCH-SP-\(index)", name: "基准业代\(index)", scope: hq)
                nodes.append((node, cityRegions[city.id] ?? "110105000000"))
            }
            let firstStore = try await storage.database.allocateIDs("stores", tenantID: tenant.id, count: stores)
            let now = currentMillis()
            let today = BusinessDay.day(ofMillis: now)
            let firstDay = today - Int64(days) + 1
            // Scans per selling day, so the total comes to `scans`.
            let perSellingDay = Double(scans) / Double(stores) / Double(days) / 0.5
            var generator = SeededRandom(seed: 42)
            var written = 0
            var storeRows: [SQLStatement] = []
            var dayRows: [SQLStatement] = []
            var totalRows: [SQLStatement] = []
            func flush(force: Bool) async throws {
                guard force || dayRows.count >= 20_000 else { return }
                var steps: [SQLStep] = []
                for part in stride(from: 0, to: storeRows.count, by: 400) {
                    steps.append(
                        SQLStep(
                            """
                            INSERT INTO stores (tenant_id, id, code, name, store_type, region_code, salesperson_node_id, org_path, status, created_at, updated_at)
                            VALUES \(SQLStatement.join(Array(storeRows[part..<min(part + 400, storeRows.count)]), separator: ", "))
                            """))
                }
                for part in stride(from: 0, to: dayRows.count, by: 400) {
                    steps.append(
                        SQLStep(
                            """
                            INSERT INTO store_day_scans (tenant_id, store_id, product_id, day, scans, units_sold)
                            VALUES \(SQLStatement.join(Array(dayRows[part..<min(part + 400, dayRows.count)]), separator: ", "))
                            """))
                    steps.append(
                        SQLStep(
                            """
                            INSERT INTO store_days (tenant_id, store_id, day, scans, units_sold)
                            VALUES \(SQLStatement.join(Array(totalRows[part..<min(part + 400, totalRows.count)]), separator: ", "))
                            """))
                }
                _ = try await storage.database.transaction(steps)
                storeRows.removeAll(keepingCapacity: true)
                dayRows.removeAll(keepingCapacity: true)
                totalRows.removeAll(keepingCapacity: true)
            }
            for index in 0..<stores {
                let id = firstStore + Int64(index)
                let (node, region) = nodes[index / perSalesperson]
                storeRows.append(
                    """
                    (\(tenant.id), \(id), \("BENCH-\(index)"), \("基准门店\(index)"), \(StoreType.allCases[index % 5].rawValue), \(region), \(node.id),
                     \(node.path), 'active', \(now), \(now))
                    """)
                for day in firstDay...today where generator.next() % 2 == 0 {
                    let count = Int64(max(1, (perSellingDay * (0.5 + Double(generator.next() % 1000) / 1000)).rounded()))
                    let sold = max(1, count * 9 / 10)
                    dayRows.append("(\(tenant.id), \(id), \(product.id), \(day), \(count), \(sold))")
                    totalRows.append("(\(tenant.id), \(id), \(day), \(count), \(sold))")
                    written += Int(count)
                }
                try await flush(force: false)
            }
            try await flush(force: true)
            let loaded = (ContinuousClock.now - started).seconds
            let rollupStart = ContinuousClock.now
            try await services.dashboards.rebuild(tenantID: tenant.id, days: firstDay...today)
            let rollup = (ContinuousClock.now - rollupStart).seconds
            // The users the benchmark signs in as.
            let hash = services.passwords.hash(DemoCommand.password)
            _ = try await storage.users.create(
                UserDraft(username: "bench-city", displayName: "基准城市经理", role: .manager, orgNodeID: cities[0].id), passwordHash: hash, scope: hq)
            _ = try await storage.users.create(
                UserDraft(username: "bench-sp", displayName: "基准业代", role: .salesperson, orgNodeID: nodes[0].node.id), passwordHash: hash,
                scope: hq)
            print(
                #"{"stores":\#(stores),"salespeople":\#(salespeople),"scans":\#(written),"days":\#(days),"load_s":\#(String(format: "%.1f", loaded)),"rollup_s":\#(String(format: "%.1f", rollup))}"#
            )
        }
    }
}
