import Foundation
import FullChainCore
public import FullChainStorage
public import Logging
public import ServiceLifecycle

/// What one run of the daily job did.
public struct StoreJobReport: Codable, Sendable {
    public var day: Int64
    public var stores: Int
    /// Findings today (new or still open), of which newly raised as tasks; unresolved tasks closed because the job no longer finds them.
    public var findings: Int
    public var raised: Int
    public var closed: Int
    public var byKind: [String: Int]
    /// Resolved tasks judged today, and how many came back to normal.
    public var outcomesJudged: Int
    public var converted: Int
    public var milliseconds: Int64
}

/// The daily store job (千店千策): reads every store's rollups, measures scan rates from the
/// mass balance of receipts and scans (sharpened by visits' stock counts), finds abnormal stores, raises each new finding as a task for the
/// store's salesperson, judges resolved tasks after the conversion window, and refreshes
/// every store's profile, tier and recommended strategy.
public struct StoreIntelligenceService: Sendable {
    let storage: AppStorage

    public init(storage: AppStorage) {
        self.storage = storage
    }

    /// The last complete business day: the job judges whole days only.
    public static func lastCompleteDay(now: Int64 = currentMillis()) -> Int64 {
        BusinessDay.day(ofMillis: now) - 1
    }

    /// Runs the job for a tenant as of the end of `day`.
    public func run(tenantID: Int64, day: Int64, at: Int64 = currentMillis()) async throws -> StoreJobReport {
        let started = currentMillis()
        let rules = try await storage.storeRules.rules(tenantID: tenantID)
        let stores = try await storage.storeJob.jobStores(tenantID: tenantID)
        let days = rules.historyDays
        let firstDay = day - Int64(days) + 1
        let series = try await storage.storeJob.storeSeries(days: firstDay...day, tenantID: tenantID)
        let totals = Dictionary(
            grouping: try await storage.storeJob.skuTotals(
                today: day, storeID: nil, historyDays: days, rateLagDays: ScanRateEstimator.lagDays(rules),
                tenantID: tenantID), by: \.storeID)
        let products = Dictionary(uniqueKeysWithValues: try await storage.allProducts(tenantID: tenantID).map { ($0.id, $0) })
        let rates = Self.scanRates(
            stores: stores, totals: totals, counts: try await storage.storeJob.scanRateSamples(tenantID: tenantID), rules: rules)

        let histories = stores.map { store in
            let skus = (totals[store.id] ?? []).map { t in
                t.position(
                    unitsPerCase: Int(products[t.productID]?.unitsPerCase ?? 1),
                    scanRate: rates.estimate(productID: t.productID, province: store.province, storeType: store.type, rules: rules))
            }
            return StoreHistory(storeID: store.id, peerGroup: store.peerGroup, sold: series[store.id] ?? Array(repeating: 0, count: days), skus: skus)
        }
        let assessments = AnomalyDetector.assess(histories, rules: rules, today: day)

        var findings: [StoreFinding] = []
        var byKind: [String: Int] = [:]
        for (store, assessment) in zip(stores, assessments) {
            for anomaly in assessment.anomalies {
                let due = anomaly.kind == .outOfStockRisk ? max(1, Int64(rules.leadTimeDays.rounded(.up))) : Int64(rules.taskDueDays)
                findings.append(StoreFinding(anomaly: anomaly, orgPath: store.orgPath, salespersonNodeID: store.salespersonNodeID, dueDay: day + due))
                byKind[anomaly.kind.rawValue, default: 0] += 1
            }
        }

        // Resolved at least `conversionDays` ago: back to normal when today's job no longer finds the same thing.
        let byStore = Dictionary(uniqueKeysWithValues: zip(stores.map(\.id), assessments))
        let pending = try await storage.storeJob.pendingOutcomes(throughDay: day - Int64(rules.conversionDays), tenantID: tenantID)
        let outcomes = pending.map { p -> OutcomeUpdate in
            let now = byStore[p.storeID]
            let still = now?.anomalies.contains { $0.kind == p.kind && $0.productID == p.productID } ?? false
            return OutcomeUpdate(alertID: p.alertID, outcome: still || now == nil ? .notConverted : .converted, observed: now?.observedWindow ?? 0)
        }

        let profiles = Self.profiles(
            stores: stores, histories: histories, assessments: assessments, totals: totals, products: products,
            buyers: try await storage.storeJob.storeBuyers(tenantID: tenantID),
            lastVisits: try await storage.storeJob.lastVisitDays(tenantID: tenantID),
            rules: rules, day: day)
        let applied = try await storage.storeJob.applyJob(
            findings: findings, outcomes: outcomes, profiles: profiles, scanRates: ScanRateRow.rows(rates), day: day, at: at,
            tenantID: tenantID)
        return StoreJobReport(
            day: day, stores: stores.count, findings: findings.count, raised: applied.raised, closed: applied.closed, byKind: byKind,
            outcomesJudged: outcomes.count,
            converted: outcomes.filter { $0.outcome == .converted }.count, milliseconds: currentMillis() - started)
    }

    /// Scan rates from the mass balance of every active store's SKUs (the window `skuTotals` read), per SKU, province
    /// and store type, sharpened by the visits' stock counts. The job and the store page look rates up the same way.
    static func scanRates(
        stores: [JobStore], totals: [Int64: [StoreSKUTotals]], counts: [ScanRateEstimator.CountSample],
        rules: StoreRules
    ) -> ScanRateTable {
        var samples: [ScanRateEstimator.StoreSample] = []
        for store in stores {
            for t in totals[store.id] ?? [] {
                samples.append(
                    ScanRateEstimator.StoreSample(
                        productID: t.productID, province: store.province, storeType: store.type,
                        received: t.receivedForRate, scanned: t.scannedForRate))
            }
        }
        // `skuTotals` sums receipts over the history less its last cover period (at most half of it).
        let window = max(1, rules.historyDays)
        return ScanRateEstimator.estimate(
            stores: samples, counts: counts, rules: rules, windowDays: window - min(ScanRateEstimator.lagDays(rules), window / 2))
    }

    static func profiles(
        stores: [JobStore], histories: [StoreHistory], assessments: [StoreAssessment], totals: [Int64: [StoreSKUTotals]],
        products: [Int64: Product], buyers: [Int64: StoreBuyers], lastVisits: [Int64: Int64], rules: StoreRules,
        day: Int64
    ) -> [ProfileUpdate] {
        let newSince = day - Int64(rules.newProductDays)
        let isNew = { (id: Int64) -> Bool in
            guard let text = products[id]?.launchDate, let launched = BusinessDay.day(ofDate: text) else { return false }
            return launched > newSince && launched <= day
        }
        struct Figures { var sales28 = 0, prev28 = 0, sales90 = 0, newShare = 0.0, repeatShare: Double? }
        var figures: [Figures] = []
        for (store, history) in zip(stores, histories) {
            let sold = history.sold
            var f = Figures()
            f.sales28 = sold.suffix(28).reduce(0, +)
            f.prev28 = sold.dropLast(28).suffix(28).reduce(0, +)
            f.sales90 = sold.reduce(0, +)
            let skus = totals[store.id] ?? []
            let all = skus.reduce(0) { $0 + $1.scanned90 }
            let fresh = skus.filter { isNew($0.productID) }.reduce(0) { $0 + $1.scanned90 }
            f.newShare = all > 0 ? Double(fresh) / Double(all) : 0
            if let b = buyers[store.id], b.buyers >= 5 { f.repeatShare = Double(b.repeatBuyers) / Double(b.buyers) }
            figures.append(f)
        }
        var newShares: [String: [Double]] = [:], repeatShares: [String: [Double]] = [:]
        for (store, f) in zip(stores, figures) where f.sales90 > 0 {
            newShares[store.peerGroup, default: []].append(f.newShare)
            if let share = f.repeatShare { repeatShares[store.peerGroup, default: []].append(share) }
        }
        let tiers = StoreProfiler.tiers(sales: zip(stores, figures).map { ($0.id, $1.sales90) })
        return zip(zip(stores, figures), assessments).map { pair, assessment in
            let (store, f) = pair
            let input = StoreProfileInput(
                storeID: store.id, sales28: f.sales28, salesPrev28: f.prev28, sales90: f.sales90, newProductShare: f.newShare,
                peerNewProductShare: Robust.median(newShares[store.peerGroup] ?? []), repeatShare: f.repeatShare,
                peerRepeatShare: repeatShares[store.peerGroup].map { Robust.median($0) },
                findings: assessment.anomalies.map(\.kind), daysSinceVisit: lastVisits[store.id].map { Int(day - $0) })
            let profile = StoreProfiler.profile(input, tier: tiers[store.id] ?? .c, day: day, rules: rules)
            return ProfileUpdate(
                profile: profile, orgPath: store.orgPath, salespersonNodeID: store.salespersonNodeID, openAlerts: assessment.anomalies.count)
        }
    }
}

/// Runs the store job for every tenant once a day, shortly after midnight in China time, for the
/// day that just ended. A failed run is logged and tried again at the next day.
public struct StoreIntelligenceJob: Service {
    let service: StoreIntelligenceService
    let logger: Logger

    public init(storage: AppStorage, logger: Logger) {
        service = StoreIntelligenceService(storage: storage)
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = currentMillis()
            // 00:30 of the next business day.
            let next = BusinessDay.start(ofDay: BusinessDay.day(ofMillis: now) + 1) + 30 * 60_000
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(next - now)) }
            } catch {
                return
            }
            await runAll()
        }
    }

    func runAll() async {
        let day = StoreIntelligenceService.lastCompleteDay()
        do {
            for tenantID in try await service.storage.storeJob.tenantIDs() {
                let report = try await service.run(tenantID: tenantID, day: day)
                logger.info(
                    "store job done",
                    metadata: [
                        "tenant": "\(tenantID)", "day": "\(day)", "stores": "\(report.stores)",
                        "findings": "\(report.findings)", "raised": "\(report.raised)", "ms": "\(report.milliseconds)",
                    ])
            }
        } catch {
            logger.warning("store job failed", metadata: ["day": "\(day)", "error": "\(error)"])
        }
    }
}
