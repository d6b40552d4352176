import Foundation
public import FullChainCore

/// One store's figures for one SKU and day.
public struct StoreDayFigures: Sendable {
    public var storeID: Int64
    public var productID: Int64
    public var day: Int64
    public var scanned: Int
    public var receivedUnits: Int
    public var receivedCases: Int
    public init(storeID: Int64, productID: Int64, day: Int64, scanned: Int, receivedUnits: Int, receivedCases: Int) {
        self.storeID = storeID
        self.productID = productID
        self.day = day
        self.scanned = scanned
        self.receivedUnits = receivedUnits
        self.receivedCases = receivedCases
    }
}

/// A store as the daily job reads it.
public struct JobStore: Sendable {
    public var id: Int64
    public var regionCode: String
    public var type: String
    public var salespersonNodeID: Int64?
    public var orgPath: String
    /// Cities and store types make peer groups.
    public var peerGroup: String { String(regionCode.prefix(4)) + ":" + type }
    public var province: String { String(regionCode.prefix(2)) }
}

/// Per store and SKU: scanned and received units in all and in recent windows, with the last count.
public struct StoreSKUTotals: Sendable {
    public var storeID: Int64
    public var productID: Int64
    public var scannedTotal: Int
    public var scanned7: Int
    public var scanned28: Int
    public var scanned90: Int
    public var receivedTotal: Int
    public var countedUnits: Int?
    public var countedDay: Int64?
    public var scannedThrough: Int
    public var receivedThrough: Int
    /// The mass balance's window: units received over the history less its last cover period, and scanned over it less its first.
    public var receivedForRate: Int
    public var scannedForRate: Int

    /// The position the detector reads: the count and what came and went since.
    public func position(unitsPerCase: Int, scanRate: ScanRateEstimate) -> SKUPosition {
        SKUPosition(
            productID: productID, unitsPerCase: unitsPerCase, scanRate: scanRate, countedUnits: countedUnits, countedDay: countedDay,
            receivedSince: max(0, receivedTotal - receivedThrough), scannedSince: max(0, scannedTotal - scannedThrough),
            scanned7: scanned7, scanned28: scanned28)
    }
}

/// A finding of the job, with whom it concerns.
public struct StoreFinding: Sendable {
    public var anomaly: StoreAnomaly
    public var orgPath: String
    public var salespersonNodeID: Int64?
    public var dueDay: Int64
    public init(anomaly: StoreAnomaly, orgPath: String, salespersonNodeID: Int64?, dueDay: Int64) {
        self.anomaly = anomaly
        self.orgPath = orgPath
        self.salespersonNodeID = salespersonNodeID
        self.dueDay = dueDay
    }
}

/// A resolved alert whose outcome the job judges.
public struct PendingOutcome: Sendable {
    public var alertID: Int64
    public var storeID: Int64
    public var kind: StoreAnomalyKind
    public var productID: Int64?
    public var resolvedDay: Int64
}

/// A judged outcome.
public struct OutcomeUpdate: Sendable {
    public var alertID: Int64
    public var outcome: ConversionOutcome
    public var observed: Double
    public init(alertID: Int64, outcome: ConversionOutcome, observed: Double) {
        self.alertID = alertID
        self.outcome = outcome
        self.observed = observed
    }
}

/// What one run of the job changed in the alerts: raised anew, and closed for their cause being gone.
public struct AppliedJob: Sendable, Equatable {
    public var raised: Int
    public var closed: Int
    public init(raised: Int, closed: Int) {
        self.raised = raised
        self.closed = closed
    }
}

/// A measured scan rate per SKU, province and store type.
public struct ScanRateRow: Codable, Sendable, Equatable {
    /// The province (or store type) of a SKU's rate measured across all of them, used where its own has too little data.
    public static let everyProvince = ""
    public static let everyStoreType = ""
    public var productID: Int64
    /// Two-digit province code, or `everyProvince`.
    public var province: String
    /// Store type, or `everyStoreType`.
    public var storeType: String
    public var estimate: ScanRateEstimate

    public init(productID: Int64, province: String, storeType: String, estimate: ScanRateEstimate) {
        self.productID = productID
        self.province = province
        self.storeType = storeType
        self.estimate = estimate
    }

    /// Every estimate of a table, as rows.
    public static func rows(_ table: ScanRateTable) -> [ScanRateRow] {
        table.estimates.map { ScanRateRow(productID: $0.key.productID, province: $0.key.province, storeType: $0.key.storeType, estimate: $0.value) }
            .sorted { ($0.productID, $0.province, $0.storeType) < ($1.productID, $1.province, $1.storeType) }
    }

    /// Rows back into a table to look rates up.
    public static func table(_ rows: [ScanRateRow]) -> ScanRateTable {
        ScanRateTable(
            Dictionary(
                rows.map { (ScanRateEstimator.Key(productID: $0.productID, province: $0.province, storeType: $0.storeType), $0.estimate) },
                uniquingKeysWith: { first, _ in first }))
    }
}

/// A store's identified consumers, and how many of them bought twice or more.
public struct StoreBuyers: Sendable, Equatable {
    public var buyers: Int
    public var repeatBuyers: Int

    public init(buyers: Int, repeatBuyers: Int) {
        self.buyers = buyers
        self.repeatBuyers = repeatBuyers
    }
}

/// A store's profile as the job computed it, with whom it concerns and how many alerts are open.
public struct ProfileUpdate: Sendable {
    public var profile: StoreProfile
    public var orgPath: String
    public var salespersonNodeID: Int64?
    public var openAlerts: Int

    public init(profile: StoreProfile, orgPath: String, salespersonNodeID: Int64?, openAlerts: Int) {
        self.profile = profile
        self.orgPath = orgPath
        self.salespersonNodeID = salespersonNodeID
        self.openAlerts = openAlerts
    }
}

/// What the daily store job reads and writes, per tenant: the stores, their daily figures and SKU
/// totals, scan-rate samples, buyers and visits, and in one transaction the alerts, outcomes,
/// profiles and scan rates it found.
public protocol StoreJobRepository: Sendable {
    /// Loads daily figures as they would have been rolled up from scans and case receipts (simulated or
    /// migrated history): adds to the store-SKU-day, store-day and receipt rollups in one transaction.
    func recordHistory(_ days: [StoreDayFigures], tenantID: Int64) async throws(StorageError)
    func jobStores(tenantID: Int64) async throws(StorageError) -> [JobStore]
    /// Every tenant's id (the job runs for each).
    func tenantIDs() async throws(StorageError) -> [Int64]
    /// Scanned units per store and day over `days`, index 0 the first day (stores with none are absent).
    func storeSeries(days: ClosedRange<Int64>, tenantID: Int64) async throws(StorageError) -> [Int64: [Int]]
    /// Per store and SKU; the mass balance's window is the last `historyDays`, its receipts ending and its scans starting `rateLagDays` in.
    func skuTotals(today: Int64, storeID: Int64?, historyDays: Int, rateLagDays: Int, tenantID: Int64) async throws(StorageError) -> [StoreSKUTotals]
    /// Sold (by counts) and scanned units per SKU and province over count intervals.
    func scanRateSamples(tenantID: Int64) async throws(StorageError) -> [ScanRateEstimator.CountSample]
    /// Identified consumers per store, and how many bought twice or more.
    func storeBuyers(tenantID: Int64) async throws(StorageError) -> [Int64: StoreBuyers]
    func lastVisitDays(tenantID: Int64) async throws(StorageError) -> [Int64: Int64]
    func pendingOutcomes(throughDay: Int64, tenantID: Int64) async throws(StorageError) -> [PendingOutcome]
    /// Opens or refreshes alerts, closes unresolved ones not found on `day` (reason `causeGone`), records outcomes, profiles and scan rates, in one transaction.
    func applyJob(
        findings: [StoreFinding], outcomes: [OutcomeUpdate], profiles: [ProfileUpdate], scanRates: [ScanRateRow], day: Int64, at: Int64,
        tenantID: Int64
    ) async throws(StorageError) -> AppliedJob
}

struct SQLStoreJobRepository: StoreJobRepository {
    let db: any SQLDatabase
    static let chunk = 400

    func recordHistory(_ days: [StoreDayFigures], tenantID: Int64) async throws(StorageError) {
        var steps: [SQLStep] = []
        let sold = days.filter { $0.scanned > 0 }.sorted { ($0.storeID, $0.productID, $0.day) < ($1.storeID, $1.productID, $1.day) }
        for part in sold.chunked(into: SQLStoreJobRepository.chunk) {
            steps.append(
                SQLStep(
                    """
                    INSERT INTO store_day_scans (tenant_id, store_id, product_id, day, scans, units_sold)
                    VALUES \(SQLStatement.join(part.map { "(\(tenantID), \($0.storeID), \($0.productID), \($0.day), \(Int64($0.scanned)), \(Int64($0.scanned)))" }, separator: ", "))
                    ON CONFLICT (tenant_id, store_id, product_id, day)
                    DO UPDATE SET scans = store_day_scans.scans + excluded.scans, units_sold = store_day_scans.units_sold + excluded.units_sold
                    """))
        }
        var perStore: [String: (store: Int64, day: Int64, units: Int)] = [:]
        for d in sold { perStore["\(d.storeID):\(d.day)", default: (d.storeID, d.day, 0)].units += d.scanned }
        let storeDays = perStore.values.sorted { ($0.store, $0.day) < ($1.store, $1.day) }
        for part in storeDays.chunked(into: SQLStoreJobRepository.chunk) {
            steps.append(
                SQLStep(
                    """
                    INSERT INTO store_days (tenant_id, store_id, day, scans, units_sold)
                    VALUES \(SQLStatement.join(part.map { "(\(tenantID), \($0.store), \($0.day), \(Int64($0.units)), \(Int64($0.units)))" }, separator: ", "))
                    ON CONFLICT (tenant_id, store_id, day)
                    DO UPDATE SET scans = store_days.scans + excluded.scans, units_sold = store_days.units_sold + excluded.units_sold
                    """))
        }
        let receipts = days.filter { $0.receivedUnits > 0 }.sorted { ($0.storeID, $0.productID, $0.day) < ($1.storeID, $1.productID, $1.day) }
        for part in receipts.chunked(into: SQLStoreJobRepository.chunk) {
            steps.append(
                SQLStep(
                    """
                    INSERT INTO store_day_receipts (tenant_id, store_id, product_id, day, cases, units)
                    VALUES \(SQLStatement.join(part.map { "(\(tenantID), \($0.storeID), \($0.productID), \($0.day), \(Int64($0.receivedCases)), \(Int64($0.receivedUnits)))" }, separator: ", "))
                    ON CONFLICT (tenant_id, store_id, product_id, day)
                    DO UPDATE SET cases = store_day_receipts.cases + excluded.cases, units = store_day_receipts.units + excluded.units
                    """))
        }
        try await db.transaction(steps)
    }

    func jobStores(tenantID: Int64) async throws(StorageError) -> [JobStore] {
        try await db.read(
            """
            SELECT id, region_code, store_type, salesperson_node_id, org_path FROM stores WHERE tenant_id = \(tenantID) AND status = 'active' ORDER BY id
            """
        ).map { (row) throws(StorageError) in
            JobStore(
                id: try row.int("id"), regionCode: try row.string("region_code"), type: try row.string("store_type"),
                salespersonNodeID: row.optionalInt("salesperson_node_id"), orgPath: try row.string("org_path"))
        }
    }

    func tenantIDs() async throws(StorageError) -> [Int64] {
        try await db.read("SELECT id FROM tenants ORDER BY id").map { (row) throws(StorageError) in try row.int("id") }
    }

    func storeSeries(days: ClosedRange<Int64>, tenantID: Int64) async throws(StorageError) -> [Int64: [Int]] {
        // One row per store with its days packed as `day:units,…`: far fewer rows to carry than one per day.
        let pack: SQLStatement = .dialect(
            sqlite: "group_concat((day - \(days.lowerBound)) || ':' || units_sold, ',')",
            postgres: "string_agg((day - \(days.lowerBound)) || ':' || units_sold, ',')")
        var series: [Int64: [Int]] = [:]
        let count = Int(days.upperBound - days.lowerBound + 1)
        for row in try await db.read(
            """
            SELECT store_id, \(pack) AS days FROM store_days
            WHERE tenant_id = \(tenantID) AND day >= \(days.lowerBound) AND day <= \(days.upperBound) AND units_sold > 0
            GROUP BY store_id
            """)
        {
            var perDay = Array(repeating: 0, count: count)
            for pair in (row.optionalString("days") ?? "").split(separator: ",") {
                let parts = pair.split(separator: ":")
                guard parts.count == 2, let offset = Int(parts[0]), let units = Int(parts[1]), perDay.indices.contains(offset) else { continue }
                perDay[offset] += units
            }
            series[try row.int("store_id")] = perDay
        }
        return series
    }

    func skuTotals(today: Int64, storeID: Int64?, historyDays: Int, rateLagDays: Int, tenantID: Int64) async throws(StorageError) -> [StoreSKUTotals]
    {
        let onlyStore: SQLStatement = storeID.map { "AND store_id = \($0)" } ?? ""
        let window = Int64(max(1, min(historyDays, 3_650)))
        let lag = Int64(max(0, min(rateLagDays, Int(window / 2))))
        let windowStart = today - window + 1
        var totals: [String: StoreSKUTotals] = [:]
        func key(_ store: Int64, _ product: Int64) -> String { "\(store):\(product)" }
        func blank(_ store: Int64, _ product: Int64) -> StoreSKUTotals {
            StoreSKUTotals(
                storeID: store, productID: product, scannedTotal: 0, scanned7: 0, scanned28: 0, scanned90: 0, receivedTotal: 0,
                countedUnits: nil, countedDay: nil, scannedThrough: 0, receivedThrough: 0, receivedForRate: 0, scannedForRate: 0)
        }
        // Walks the primary key (store, product, day) in order, so each group is contiguous: no sort.
        for row in try await db.read(
            """
            SELECT store_id, product_id, CAST(sum(units_sold) AS BIGINT) AS total,
                   CAST(sum(CASE WHEN day > \(today - 7) THEN units_sold ELSE 0 END) AS BIGINT) AS last7,
                   CAST(sum(CASE WHEN day > \(today - 28) THEN units_sold ELSE 0 END) AS BIGINT) AS last28,
                   CAST(sum(CASE WHEN day > \(today - 90) THEN units_sold ELSE 0 END) AS BIGINT) AS last90,
                   CAST(sum(CASE WHEN day >= \(windowStart + lag) THEN units_sold ELSE 0 END) AS BIGINT) AS for_rate
            FROM store_day_scans WHERE tenant_id = \(tenantID) AND day <= \(today) \(onlyStore)
            GROUP BY store_id, product_id
            """)
        {
            let store = try row.int("store_id"), product = try row.int("product_id")
            var t = blank(store, product)
            t.scannedTotal = Int(try row.int("total"))
            t.scanned7 = Int(try row.int("last7"))
            t.scanned28 = Int(try row.int("last28"))
            t.scanned90 = Int(try row.int("last90"))
            t.scannedForRate = Int(try row.int("for_rate"))
            totals[key(store, product)] = t
        }
        for row in try await db.read(
            """
            SELECT store_id, product_id, CAST(sum(units) AS BIGINT) AS total,
                   CAST(sum(CASE WHEN day >= \(windowStart) AND day <= \(today - lag) THEN units ELSE 0 END) AS BIGINT) AS for_rate
            FROM store_day_receipts
            WHERE tenant_id = \(tenantID) AND day <= \(today) \(onlyStore) GROUP BY store_id, product_id
            """)
        {
            let store = try row.int("store_id"), product = try row.int("product_id")
            totals[key(store, product), default: blank(store, product)].receivedTotal = Int(try row.int("total"))
            totals[key(store, product), default: blank(store, product)].receivedForRate = Int(try row.int("for_rate"))
        }
        for row in try await db.read(
            """
            SELECT store_id, product_id, counted_units, counted_day, scanned_through, received_through FROM store_stock_positions
            WHERE tenant_id = \(tenantID) \(onlyStore)
            """)
        {
            let store = try row.int("store_id"), product = try row.int("product_id")
            var t = totals[key(store, product)] ?? blank(store, product)
            t.countedUnits = Int(try row.int("counted_units"))
            t.countedDay = try row.int("counted_day")
            t.scannedThrough = Int(try row.int("scanned_through"))
            t.receivedThrough = Int(try row.int("received_through"))
            totals[key(store, product)] = t
        }
        return totals.values.sorted { ($0.storeID, $0.productID) < ($1.storeID, $1.productID) }
    }

    func scanRateSamples(tenantID: Int64) async throws(StorageError) -> [ScanRateEstimator.CountSample] {
        // Intervals where stock grew unexplained, or more was scanned than sold, are miscounts (as `ScanRate.estimate` drops them).
        try await db.read(
            """
            SELECT product_id, province, CAST(sum(interval_sold) AS BIGINT) AS sold, CAST(sum(interval_scanned) AS BIGINT) AS scanned FROM visit_stock_counts
            WHERE tenant_id = \(tenantID) AND interval_sold > 0 AND interval_scanned <= interval_sold
            GROUP BY product_id, province
            """
        ).map { (row) throws(StorageError) in
            ScanRateEstimator.CountSample(
                productID: try row.int("product_id"), province: try row.string("province"), sold: Int(try row.int("sold")),
                scanned: Int(try row.int("scanned")))
        }
    }

    func storeBuyers(tenantID: Int64) async throws(StorageError) -> [Int64: StoreBuyers] {
        var buyers: [Int64: StoreBuyers] = [:]
        for row in try await db.read(
            """
            SELECT store_id, count(*) AS buyers, CAST(sum(CASE WHEN purchases >= 2 THEN 1 ELSE 0 END) AS BIGINT) AS repeaters
            FROM store_consumers WHERE tenant_id = \(tenantID) GROUP BY store_id
            """)
        {
            buyers[try row.int("store_id")] = StoreBuyers(buyers: Int(try row.int("buyers")), repeatBuyers: Int(try row.int("repeaters")))
        }
        return buyers
    }

    func lastVisitDays(tenantID: Int64) async throws(StorageError) -> [Int64: Int64] {
        var days: [Int64: Int64] = [:]
        for row in try await db.read("SELECT store_id, max(day) AS day FROM store_visits WHERE tenant_id = \(tenantID) GROUP BY store_id") {
            days[try row.int("store_id")] = try row.int("day")
        }
        return days
    }

    /// Journey tasks: the job neither closes nor judges them.
    static var journeyKinds: SQLStatement { .join(StoreAnomalyKind.raisedByJourneys.map { "\($0.rawValue)" }, separator: ", ") }

    func pendingOutcomes(throughDay: Int64, tenantID: Int64) async throws(StorageError) -> [PendingOutcome] {
        var pending: [PendingOutcome] = []
        for row in try await db.read(
            """
            SELECT id, store_id, kind, product_id, resolved_at FROM store_alerts
            WHERE tenant_id = \(tenantID) AND status = 'resolved' AND outcome = 'pending' AND resolved_at < \(BusinessDay.start(ofDay: throughDay + 1))
                AND kind NOT IN (\(Self.journeyKinds))
            """)
        {
            guard let kind = StoreAnomalyKind(rawValue: try row.string("kind")) else { continue }
            let product = try row.int("product_id")
            pending.append(
                PendingOutcome(
                    alertID: try row.int("id"), storeID: try row.int("store_id"), kind: kind, productID: product == 0 ? nil : product,
                    resolvedDay: BusinessDay.day(ofMillis: try row.int("resolved_at"))))
        }
        return pending
    }

    func applyJob(
        findings: [StoreFinding], outcomes: [OutcomeUpdate], profiles: [ProfileUpdate],
        scanRates: [ScanRateRow], day: Int64, at: Int64, tenantID: Int64
    ) async throws(StorageError) -> AppliedJob {
        let firstID = findings.isEmpty ? 0 : try await db.allocateIDs("store_alerts", tenantID: tenantID, count: findings.count)
        var steps: [SQLStep] = []
        // An open alert per store, kind and SKU: found again, its numbers are refreshed; new, it is raised as a task.
        for part in Array(findings.enumerated()).chunked(into: Self.chunk / 2) {
            let rows = part.map { (index, f) -> SQLStatement in
                let a = f.anomaly
                let product = a.productID ?? 0
                let openKey = "\(a.storeID):\(a.kind.rawValue):\(product)"
                return """
                    (\(tenantID), \(firstID + Int64(index)), \(a.storeID), \(a.kind.rawValue), \(product), \(f.orgPath), \(f.salespersonNodeID), \(day), \(day),
                     \(f.dueDay), \(a.score), \(a.baseline), \(a.observed), \(a.peerMedian), \(a.reason), 'open', \(openKey), \(at), 'pending')
                    """
            }
            steps.append(
                SQLStep(
                    """
                    INSERT INTO store_alerts (tenant_id, id, store_id, kind, product_id, org_path, salesperson_node_id, raised_day, last_day, due_day,
                                              score, baseline, observed, peer_median, reason, status, open_key, created_at, outcome)
                    VALUES \(SQLStatement.join(rows, separator: ", "))
                    ON CONFLICT (tenant_id, open_key) DO UPDATE SET
                        last_day = excluded.last_day, score = excluded.score, baseline = excluded.baseline, observed = excluded.observed,
                        peer_median = excluded.peer_median, reason = excluded.reason, org_path = excluded.org_path,
                        salesperson_node_id = excluded.salesperson_node_id
                    """))
        }
        // Unresolved alerts the job did not find today close themselves, their cause gone; the conversion is judged as for any resolution.
        steps.append(
            SQLStep(
                """
                UPDATE store_alerts SET status = 'resolved', open_key = NULL, resolved_at = \(at), resolution = \(ResolutionReason.causeGone.rawValue),
                       outcome = 'pending'
                WHERE tenant_id = \(tenantID) AND status <> 'resolved' AND last_day < \(day) AND kind NOT IN (\(Self.journeyKinds))
                """))
        for update in outcomes {
            steps.append(
                SQLStep(
                    """
                    UPDATE store_alerts SET outcome = \(update.outcome.rawValue), outcome_day = \(day), outcome_observed = \(update.observed)
                    WHERE tenant_id = \(tenantID) AND id = \(update.alertID) AND outcome = 'pending'
                    """))
        }
        for part in profiles.chunked(into: Self.chunk / 2) {
            let rows = part.map { item -> SQLStatement in
                let p = item.profile
                return """
                    (\(tenantID), \(p.storeID), \(day), \(item.salespersonNodeID), \(item.orgPath), \(p.tier.rawValue), \(JSONCoding.encode(p.tags)),
                     \(JSONCoding.encode(p.strategies)), \(Int64(p.sales28)), \(Int64(p.salesPrev28)), \(Int64(p.sales90)), \(p.newProductShare),
                     \(p.repeatShare), \(Int64(item.openAlerts)))
                    """
            }
            steps.append(
                SQLStep(
                    """
                    INSERT INTO store_profiles (tenant_id, store_id, day, salesperson_node_id, org_path, tier, tags, strategies, sales28, sales_prev28, sales90,
                                                new_product_share, repeat_share, open_alerts)
                    VALUES \(SQLStatement.join(rows, separator: ", "))
                    ON CONFLICT (tenant_id, store_id) DO UPDATE SET
                        day = excluded.day, salesperson_node_id = excluded.salesperson_node_id, org_path = excluded.org_path, tier = excluded.tier,
                        tags = excluded.tags, strategies = excluded.strategies, sales28 = excluded.sales28, sales_prev28 = excluded.sales_prev28,
                        sales90 = excluded.sales90, new_product_share = excluded.new_product_share, repeat_share = excluded.repeat_share,
                        open_alerts = excluded.open_alerts
                    """))
        }
        // Today's rates replace the last run's: a group no longer measured falls back to its wider one.
        steps.append(SQLStep("DELETE FROM scan_rate_estimates WHERE tenant_id = \(tenantID)"))
        for part in scanRates.chunked(into: Self.chunk / 2) {
            let rows = part.map { r -> SQLStatement in
                let e = r.estimate
                return """
                    (\(tenantID), \(r.productID), \(r.province), \(r.storeType), \(e.rate.isFinite ? e.rate : 0), \(e.standardError.isFinite ? e.standardError : 1),
                     \(e.source.rawValue), \(Int64(e.sample)), \(day))
                    """
            }
            steps.append(
                SQLStep(
                    """
                    INSERT INTO scan_rate_estimates (tenant_id, product_id, province, store_type, rate, standard_error, source, sample, day)
                    VALUES \(SQLStatement.join(rows, separator: ", "))
                    ON CONFLICT (tenant_id, product_id, province, store_type) DO UPDATE SET
                        rate = excluded.rate, standard_error = excluded.standard_error, source = excluded.source, sample = excluded.sample, day = excluded.day
                    """))
        }
        let raisedBefore = try await db.read("SELECT count(*) AS n FROM store_alerts WHERE tenant_id = \(tenantID)").first?.optionalInt("n") ?? 0
        try await db.transaction(steps)
        let raisedAfter = try await db.read("SELECT count(*) AS n FROM store_alerts WHERE tenant_id = \(tenantID)").first?.optionalInt("n") ?? 0
        let closed =
            try await db.read(
                """
                SELECT count(*) AS n FROM store_alerts WHERE tenant_id = \(tenantID) AND resolution = \(ResolutionReason.causeGone.rawValue) AND resolved_at = \(at)
                """
            ).first?.optionalInt("n") ?? 0
        return AppliedJob(raised: Int(raisedAfter - raisedBefore), closed: Int(closed))
    }
}
