import FullChainCore
import FullChainStorage

/// The demo brand's store history (千店千策): the store simulation's daily sales and receipts over
/// the last 111 days for every store and three products, with abnormal stores injected in the
/// last weeks. The daily job runs as of three weeks ago and raises tasks; salespeople visit
/// (checked in at the store, counting stock) and resolve about half of them; then the job runs
/// for yesterday, raises the new findings and judges which resolved stores came back to normal.
public enum DemoStoreHistory {
    public struct Summary: Sendable {
        public var stores = 0
        public var tasksRaised = 0
        public var visits = 0
        public var resolved = 0
        public var converted = 0
    }

    /// `scans`, when given, scales the stores' sales so that about that many units are scanned in the last 90 days.
    public static func load(tenantID: Int64, core: AppCore, seed: UInt64, now: Int64, scans: Int? = nil) async throws -> Summary {
        let storage = core.storage
        let scope = AccessScope.wholeTenant(tenantID)
        var summary = Summary()
        let products = Array(try await storage.allProducts(tenantID: tenantID).prefix(3))
        let stores = try await storage.storeJob.jobStores(tenantID: tenantID)
        guard !products.isEmpty, !stores.isEmpty else { return summary }
        summary.stores = stores.count
        // Scan rates as the default, so estimates from scans alone are unbiased until visits count stock.
        let rate = StoreRules().defaultScanRate
        let shares = [1.0, 0.7, 0.5].prefix(products.count)
        let specs = zip(products, shares).map { product, share in
            StoreSimulation.ProductSpec(productID: product.id, unitsPerCase: Int(max(6, min(product.unitsPerCase, 24))), share: share, scanRate: rate)
        }
        // The typical level is 9 units a day of the first SKU (6 to 12 by peer group).
        let scale = scans.map { Double($0) / (Double(stores.count) * 90 * shares.reduce(0, +) * 9 * rate) } ?? 1
        let yesterday = BusinessDay.day(ofMillis: now) - 1
        let firstRun = yesterday - 21
        // 111 days ending yesterday, the injected anomalies in the last weeks; the opening stock arrives on the first day.
        // Simulated 10,000 stores at a time, so memory stays small at any number of stores.
        for (part, start) in stride(from: 0, to: stores.count, by: 10_000).enumerated() {
            let chunk = stores[start..<min(start + 10_000, stores.count)]
            let storeSpecs = chunk.map { StoreSimulation.StoreSpec(storeID: $0.id, peerGroup: $0.peerGroup) }
            let simulation = StoreSimulation.run(
                stores: storeSpecs, products: specs, firstDay: yesterday - 110, days: 111, anomalousEvery: 8,
                levelScale: scale, seed: seed &+ UInt64(part))
            var figures: [StoreDayFigures] = []
            for store in simulation.stores {
                for sku in store.skus {
                    for (index, scanned) in sku.scanned.enumerated() {
                        let received = sku.received[index] + (index == 0 ? sku.initialStock : 0)
                        guard scanned > 0 || received > 0 else { continue }
                        figures.append(
                            StoreDayFigures(
                                storeID: store.storeID, productID: sku.productID, day: simulation.firstDay + Int64(index), scanned: scanned,
                                receivedUnits: received, receivedCases: received / max(1, sku.unitsPerCase)))
                    }
                }
                if figures.count >= 20_000 {
                    try await storage.storeJob.recordHistory(figures, tenantID: tenantID)
                    figures.removeAll(keepingCapacity: true)
                }
            }
            try await storage.storeJob.recordHistory(figures, tenantID: tenantID)
        }

        // Three weeks ago: the job raises tasks.
        let first = try await StoreIntelligenceService(storage: storage).run(
            tenantID: tenantID, day: firstRun, at: BusinessDay.start(ofDay: firstRun + 1))
        summary.tasksRaised = first.raised
        // The salespeople visit about two thirds of them within three days, count stock, and resolve half.
        let users = try await storage.users.list(ListQuery(limit: 500), role: .salesperson, scope: scope).items
        let userOf = Dictionary(users.compactMap { user in user.orgNodeID.map { ($0, user.id) } }, uniquingKeysWith: { first, _ in first })
        let tasks = try await storage.storeTasks.alerts(ListQuery(limit: 500), filter: StoreAlertFilter(unresolved: true), scope: scope).items
        var random = SeededRandom(seed: seed ^ 0x7A5C)
        let reasons: [StoreAnomalyKind: ResolutionReason] = [
            .tooHigh: .promotionRun, .tooLow: .displayFixed, .offPeers: .consumersActivated,
            .dormant: .consumersActivated, .outOfStockRisk: .restocked, .slowMover: .promotionRun,
        ]
        for task in tasks where random.chance(2.0 / 3) {
            guard let node = task.salespersonNodeID, let userID = userOf[node],
                let store = try await storage.stores.get(id: task.storeID, scope: scope)?.store, let location = store.location
            else { continue }
            let at = BusinessDay.start(ofDay: firstRun + 1) + Int64(9 * 3_600_000 + random.int(below: 3 * 86_400) * 1_000)
            let counts = (task.productID.map { [$0] } ?? products.map(\.id)).map {
                VisitCount(productID: $0, units: random.int(below: 60), facings: 2 + random.int(below: 6))
            }
            let visit = StoreVisit(
                id: 0, storeID: store.id, userID: userID, alertID: task.id, checkedInAt: at, day: BusinessDay.day(ofMillis: at),
                latitude: location.latitude + 0.0003, longitude: location.longitude, distanceMeters: 33, notes: "", photos: 0, counts: counts)
            _ = try await storage.visits.recordVisit(visit, province: String(store.regionCode.prefix(2)), scope: scope)
            summary.visits += 1
            if random.chance(0.75) {
                _ = try await storage.storeTasks.resolve(
                    alertID: task.id, reason: reasons[task.kind] ?? .other, note: nil, userID: userID, at: at + 3_600_000, scope: scope)
                summary.resolved += 1
            }
        }
        summary.visits += try await routineVisits(
            stores: stores, userOf: userOf, yesterday: yesterday, random: &random, storage: storage, scope: scope)
        // Yesterday: new findings, and the conversions of what was resolved.
        let last = try await StoreIntelligenceService(storage: storage).run(tenantID: tenantID, day: yesterday, at: now)
        summary.tasksRaised += last.raised
        summary.converted = last.converted
        return summary
    }

    /// Most salespeople whose routine visits the demo records (a large demo samples them).
    static let routineSalespeople = 300

    /// Routine visits over the last visit cycle: each salesperson works through their stores, some
    /// more diligently than others (covering 40–100 % of them in the cycle), without counting stock.
    static func routineVisits(
        stores: [JobStore], userOf: [Int64: Int64], yesterday: Int64, random: inout SeededRandom, storage: AppStorage, scope: AccessScope
    ) async throws -> Int {
        let cycle = StoreRules().visitCycleDays
        var visits = 0
        let bySalesperson = Dictionary(grouping: stores.filter { $0.salespersonNodeID != nil }) { $0.salespersonNodeID ?? 0 }
        for (node, theirs) in bySalesperson.sorted(by: { $0.key < $1.key }).prefix(routineSalespeople) {
            guard let userID = userOf[node] else { continue }
            let diligence = 0.4 + 0.6 * Double(random.int(below: 1_000)) / 1_000
            let visiting = theirs.sorted { $0.id < $1.id }.prefix(max(1, Int((Double(theirs.count) * diligence).rounded())))
            for (index, job) in visiting.enumerated() {
                guard let store = try await storage.stores.get(id: job.id, scope: scope)?.store, let location = store.location else { continue }
                let at = BusinessDay.start(ofDay: yesterday - Int64(index % cycle)) + Int64(9 * 3_600_000 + random.int(below: 8 * 3_600) * 1_000)
                let visit = StoreVisit(
                    id: 0, storeID: store.id, userID: userID, alertID: nil, checkedInAt: at, day: BusinessDay.day(ofMillis: at),
                    latitude: location.latitude + 0.0002, longitude: location.longitude, distanceMeters: 22, notes: "", photos: 0, counts: [])
                _ = try await storage.visits.recordVisit(visit, province: job.province, scope: scope)
                visits += 1
            }
        }
        return visits
    }
}
