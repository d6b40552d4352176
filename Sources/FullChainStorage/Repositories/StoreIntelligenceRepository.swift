import Foundation
public import FullChainCore

/// JSON columns and base64 photo columns.
enum JSONCoding {
    static func encode(_ value: some Encodable) -> String {
        (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// Filters of the store alert feed.
public struct StoreAlertFilter: Sendable, Equatable {
    public var kind: StoreAnomalyKind?
    public var status: TaskStatus?
    /// Open and visited tasks (not resolved), when true.
    public var unresolved: Bool
    public var outcome: ConversionOutcome?
    public var storeID: Int64?
    public var salespersonNodeID: Int64?
    /// Raised on or after this business day.
    public var sinceDay: Int64?

    public init(kind: StoreAnomalyKind? = nil, status: TaskStatus? = nil, unresolved: Bool = false, outcome: ConversionOutcome? = nil, storeID: Int64? = nil,
                salespersonNodeID: Int64? = nil, sinceDay: Int64? = nil) {
        self.kind = kind
        self.status = status
        self.unresolved = unresolved
        self.outcome = outcome
        self.storeID = storeID
        self.salespersonNodeID = salespersonNodeID
        self.sinceDay = sinceDay
    }
}

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
        SKUPosition(productID: productID, unitsPerCase: unitsPerCase, scanRate: scanRate, countedUnits: countedUnits, countedDay: countedDay,
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
        ScanRateTable(Dictionary(rows.map { (ScanRateEstimator.Key(productID: $0.productID, province: $0.province, storeType: $0.storeType), $0.estimate) },
                                 uniquingKeysWith: { first, _ in first }))
    }
}

/// Everything the store page shows, read in one go within the caller's scope.
public struct StoreIntelligenceDetail: Sendable {
    /// Scanned units per day over the last `days` days, oldest first, and received units per day.
    public var firstDay: Int64
    public var sold: [Int]
    public var received: [Int]
    public var skus: [StoreSKUTotals]
    /// The store's province (two-digit code) and type, and the scan rates measured for them and across all provinces and types.
    public var province: String
    public var storeType: String
    public var scanRates: [ScanRateRow]
    public var profile: StoreProfile?
    public var alerts: [StoreAlert]
    public var visits: [StoreVisit]
}

/// The store's daily figures, its alerts and tasks, salespeople's visits, profiles and rankings.
/// Reads take the caller's scope and filter in SQL; the job's reads and writes are per tenant.
public protocol StoreIntelligenceRepository: Sendable {
    func rules(tenantID: Int64) async throws(StorageError) -> StoreRules
    func saveRules(_ rules: StoreRules, tenantID: Int64) async throws(StorageError)

    /// Loads daily figures as they would have been rolled up from scans and case receipts (simulated or
    /// migrated history): adds to the store-SKU-day, store-day and receipt rollups in one transaction.
    func recordHistory(_ days: [StoreDayFigures], tenantID: Int64) async throws(StorageError)

    // The daily job.
    func jobStores(tenantID: Int64) async throws(StorageError) -> [JobStore]
    /// Every tenant's id (the job runs for each).
    func tenantIDs() async throws(StorageError) -> [Int64]
    /// Scanned units per store and day over `days`, index 0 the first day (stores with none are absent).
    func storeSeries(days: ClosedRange<Int64>, tenantID: Int64) async throws(StorageError) -> [Int64: [Int]]
    /// Per store and SKU; the mass balance's window is the last `historyDays`, its receipts ending and its scans starting `rateLagDays` in.
    func skuTotals(today: Int64, storeID: Int64?, historyDays: Int, rateLagDays: Int, tenantID: Int64) async throws(StorageError) -> [StoreSKUTotals]
    /// Sold (by counts) and scanned units per SKU and province over count intervals.
    func scanRateSamples(tenantID: Int64) async throws(StorageError) -> [(productID: Int64, province: String, sold: Int, scanned: Int)]
    /// Identified consumers per store, and how many bought twice or more.
    func storeBuyers(tenantID: Int64) async throws(StorageError) -> [Int64: (buyers: Int, repeat: Int)]
    func lastVisitDays(tenantID: Int64) async throws(StorageError) -> [Int64: Int64]
    func pendingOutcomes(throughDay: Int64, tenantID: Int64) async throws(StorageError) -> [PendingOutcome]
    /// Opens or refreshes alerts, closes unresolved ones not found on `day` (reason `causeGone`), records outcomes, profiles and scan rates, in one transaction.
    func applyJob(findings: [StoreFinding], outcomes: [OutcomeUpdate], profiles: [(profile: StoreProfile, orgPath: String, salespersonNodeID: Int64?, openAlerts: Int)],
                  scanRates: [ScanRateRow], day: Int64, at: Int64, tenantID: Int64) async throws(StorageError) -> AppliedJob

    // Alerts and tasks.
    func alerts(_ query: ListQuery, filter: StoreAlertFilter, scope: AccessScope) async throws(StorageError) -> Page<StoreAlert>
    func alert(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreAlert?
    /// Closes a task with a reason; nil when it is not within reach, `.duplicate` when it was resolved before.
    func resolve(alertID: Int64, reason: ResolutionReason, note: String?, userID: Int64, at: Int64, scope: AccessScope) async throws(StorageError) -> StoreAlert?

    // Visits.
    /// Records a visit with its counts in one transaction (and marks its task visited); the store must be within reach.
    func recordVisit(_ visit: StoreVisit, province: String, scope: AccessScope) async throws(StorageError) -> StoreVisit
    func visit(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreVisit?
    func addPhoto(visitID: Int64, contentType: String, bytes: [UInt8], maxPhotos: Int, scope: AccessScope) async throws(StorageError) -> Int
    func photo(visitID: Int64, number: Int, scope: AccessScope) async throws(StorageError) -> (contentType: String, bytes: [UInt8])?

    // Pages.
    func detail(storeID: Int64, today: Int64, days: Int, scope: AccessScope) async throws(StorageError) -> StoreIntelligenceDetail
    func ranking(today: Int64, rules: StoreRules, scope: AccessScope) async throws(StorageError) -> [SalespersonFigures]
}

struct SQLStoreIntelligenceRepository: StoreIntelligenceRepository {
    let db: any SQLDatabase
    static let chunk = 400

    // MARK: Rules

    func rules(tenantID: Int64) async throws(StorageError) -> StoreRules {
        guard let text = try await db.read("SELECT rules FROM store_rule_settings WHERE tenant_id = \(tenantID)").first?.optionalString("rules") else {
            return StoreRules()
        }
        do {
            return try JSONCoding.decode(StoreRules.self, from: text)
        } catch {
            throw .corruptRow("store_rule_settings.rules")
        }
    }

    func saveRules(_ rules: StoreRules, tenantID: Int64) async throws(StorageError) {
        let text = JSONCoding.encode(rules)
        try await db.execute("""
            INSERT INTO store_rule_settings (tenant_id, rules, updated_at) VALUES (\(tenantID), \(text), \(currentMillis()))
            ON CONFLICT (tenant_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at
            """)
    }

    func recordHistory(_ days: [StoreDayFigures], tenantID: Int64) async throws(StorageError) {
        var steps: [SQLStep] = []
        let sold = days.filter { $0.scanned > 0 }.sorted { ($0.storeID, $0.productID, $0.day) < ($1.storeID, $1.productID, $1.day) }
        for part in sold.chunked(into: Self.chunk) {
            steps.append(SQLStep("""
                INSERT INTO store_day_scans (tenant_id, store_id, product_id, day, scans, units_sold)
                VALUES \(SQLStatement.join(part.map { "(\(tenantID), \($0.storeID), \($0.productID), \($0.day), \(Int64($0.scanned)), \(Int64($0.scanned)))" }, separator: ", "))
                ON CONFLICT (tenant_id, store_id, product_id, day)
                DO UPDATE SET scans = store_day_scans.scans + excluded.scans, units_sold = store_day_scans.units_sold + excluded.units_sold
                """))
        }
        var perStore: [String: (store: Int64, day: Int64, units: Int)] = [:]
        for d in sold { perStore["\(d.storeID):\(d.day)", default: (d.storeID, d.day, 0)].units += d.scanned }
        let storeDays = perStore.values.sorted { ($0.store, $0.day) < ($1.store, $1.day) }
        for part in storeDays.chunked(into: Self.chunk) {
            steps.append(SQLStep("""
                INSERT INTO store_days (tenant_id, store_id, day, scans, units_sold)
                VALUES \(SQLStatement.join(part.map { "(\(tenantID), \($0.store), \($0.day), \(Int64($0.units)), \(Int64($0.units)))" }, separator: ", "))
                ON CONFLICT (tenant_id, store_id, day)
                DO UPDATE SET scans = store_days.scans + excluded.scans, units_sold = store_days.units_sold + excluded.units_sold
                """))
        }
        let receipts = days.filter { $0.receivedUnits > 0 }.sorted { ($0.storeID, $0.productID, $0.day) < ($1.storeID, $1.productID, $1.day) }
        for part in receipts.chunked(into: Self.chunk) {
            steps.append(SQLStep("""
                INSERT INTO store_day_receipts (tenant_id, store_id, product_id, day, cases, units)
                VALUES \(SQLStatement.join(part.map { "(\(tenantID), \($0.storeID), \($0.productID), \($0.day), \(Int64($0.receivedCases)), \(Int64($0.receivedUnits)))" }, separator: ", "))
                ON CONFLICT (tenant_id, store_id, product_id, day)
                DO UPDATE SET cases = store_day_receipts.cases + excluded.cases, units = store_day_receipts.units + excluded.units
                """))
        }
        try await db.transaction(steps)
    }

    // MARK: The daily job

    func jobStores(tenantID: Int64) async throws(StorageError) -> [JobStore] {
        try await db.read("""
            SELECT id, region_code, store_type, salesperson_node_id, org_path FROM stores WHERE tenant_id = \(tenantID) AND status = 'active' ORDER BY id
            """).map { (row) throws(StorageError) in
            JobStore(id: try row.int("id"), regionCode: try row.string("region_code"), type: try row.string("store_type"),
                     salespersonNodeID: row.optionalInt("salesperson_node_id"), orgPath: try row.string("org_path"))
        }
    }

    func tenantIDs() async throws(StorageError) -> [Int64] {
        try await db.read("SELECT id FROM tenants ORDER BY id").map { (row) throws(StorageError) in try row.int("id") }
    }

    func storeSeries(days: ClosedRange<Int64>, tenantID: Int64) async throws(StorageError) -> [Int64: [Int]] {
        // One row per store with its days packed as `day:units,…`: far fewer rows to carry than one per day.
        let pack: SQLStatement = .dialect(sqlite: "group_concat((day - \(days.lowerBound)) || ':' || units_sold, ',')",
                                          postgres: "string_agg((day - \(days.lowerBound)) || ':' || units_sold, ',')")
        var series: [Int64: [Int]] = [:]
        let count = Int(days.upperBound - days.lowerBound + 1)
        for row in try await db.read("""
            SELECT store_id, \(pack) AS days FROM store_days
            WHERE tenant_id = \(tenantID) AND day >= \(days.lowerBound) AND day <= \(days.upperBound) AND units_sold > 0
            GROUP BY store_id
            """) {
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

    func skuTotals(today: Int64, storeID: Int64?, historyDays: Int, rateLagDays: Int, tenantID: Int64) async throws(StorageError) -> [StoreSKUTotals] {
        let onlyStore: SQLStatement = storeID.map { "AND store_id = \($0)" } ?? ""
        let window = Int64(max(1, min(historyDays, 3_650)))
        let lag = Int64(max(0, min(rateLagDays, Int(window / 2))))
        let windowStart = today - window + 1
        var totals: [String: StoreSKUTotals] = [:]
        func key(_ store: Int64, _ product: Int64) -> String { "\(store):\(product)" }
        func blank(_ store: Int64, _ product: Int64) -> StoreSKUTotals {
            StoreSKUTotals(storeID: store, productID: product, scannedTotal: 0, scanned7: 0, scanned28: 0, scanned90: 0, receivedTotal: 0,
                           countedUnits: nil, countedDay: nil, scannedThrough: 0, receivedThrough: 0, receivedForRate: 0, scannedForRate: 0)
        }
        // Walks the primary key (store, product, day) in order, so each group is contiguous: no sort.
        for row in try await db.read("""
            SELECT store_id, product_id, CAST(sum(units_sold) AS BIGINT) AS total,
                   CAST(sum(CASE WHEN day > \(today - 7) THEN units_sold ELSE 0 END) AS BIGINT) AS last7,
                   CAST(sum(CASE WHEN day > \(today - 28) THEN units_sold ELSE 0 END) AS BIGINT) AS last28,
                   CAST(sum(CASE WHEN day > \(today - 90) THEN units_sold ELSE 0 END) AS BIGINT) AS last90,
                   CAST(sum(CASE WHEN day >= \(windowStart + lag) THEN units_sold ELSE 0 END) AS BIGINT) AS for_rate
            FROM store_day_scans WHERE tenant_id = \(tenantID) AND day <= \(today) \(onlyStore)
            GROUP BY store_id, product_id
            """) {
            let store = try row.int("store_id"), product = try row.int("product_id")
            var t = blank(store, product)
            t.scannedTotal = Int(try row.int("total"))
            t.scanned7 = Int(try row.int("last7"))
            t.scanned28 = Int(try row.int("last28"))
            t.scanned90 = Int(try row.int("last90"))
            t.scannedForRate = Int(try row.int("for_rate"))
            totals[key(store, product)] = t
        }
        for row in try await db.read("""
            SELECT store_id, product_id, CAST(sum(units) AS BIGINT) AS total,
                   CAST(sum(CASE WHEN day >= \(windowStart) AND day <= \(today - lag) THEN units ELSE 0 END) AS BIGINT) AS for_rate
            FROM store_day_receipts
            WHERE tenant_id = \(tenantID) AND day <= \(today) \(onlyStore) GROUP BY store_id, product_id
            """) {
            let store = try row.int("store_id"), product = try row.int("product_id")
            totals[key(store, product), default: blank(store, product)].receivedTotal = Int(try row.int("total"))
            totals[key(store, product), default: blank(store, product)].receivedForRate = Int(try row.int("for_rate"))
        }
        for row in try await db.read("""
            SELECT store_id, product_id, counted_units, counted_day, scanned_through, received_through FROM store_stock_positions
            WHERE tenant_id = \(tenantID) \(onlyStore)
            """) {
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

    func scanRateSamples(tenantID: Int64) async throws(StorageError) -> [(productID: Int64, province: String, sold: Int, scanned: Int)] {
        // Intervals where stock grew unexplained, or more was scanned than sold, are miscounts (as `ScanRate.estimate` drops them).
        try await db.read("""
            SELECT product_id, province, CAST(sum(interval_sold) AS BIGINT) AS sold, CAST(sum(interval_scanned) AS BIGINT) AS scanned FROM visit_stock_counts
            WHERE tenant_id = \(tenantID) AND interval_sold > 0 AND interval_scanned <= interval_sold
            GROUP BY product_id, province
            """).map { (row) throws(StorageError) in
            (try row.int("product_id"), try row.string("province"), Int(try row.int("sold")), Int(try row.int("scanned")))
        }
    }

    func storeBuyers(tenantID: Int64) async throws(StorageError) -> [Int64: (buyers: Int, repeat: Int)] {
        var buyers: [Int64: (buyers: Int, repeat: Int)] = [:]
        for row in try await db.read("""
            SELECT store_id, count(*) AS buyers, CAST(sum(CASE WHEN purchases >= 2 THEN 1 ELSE 0 END) AS BIGINT) AS repeaters
            FROM store_consumers WHERE tenant_id = \(tenantID) GROUP BY store_id
            """) {
            buyers[try row.int("store_id")] = (Int(try row.int("buyers")), Int(try row.int("repeaters")))
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

    func pendingOutcomes(throughDay: Int64, tenantID: Int64) async throws(StorageError) -> [PendingOutcome] {
        var pending: [PendingOutcome] = []
        for row in try await db.read("""
            SELECT id, store_id, kind, product_id, resolved_at FROM store_alerts
            WHERE tenant_id = \(tenantID) AND status = 'resolved' AND outcome = 'pending' AND resolved_at < \(BusinessDay.start(ofDay: throughDay + 1))
            """) {
            guard let kind = StoreAnomalyKind(rawValue: try row.string("kind")) else { continue }
            let product = try row.int("product_id")
            pending.append(PendingOutcome(alertID: try row.int("id"), storeID: try row.int("store_id"), kind: kind, productID: product == 0 ? nil : product,
                                          resolvedDay: BusinessDay.day(ofMillis: try row.int("resolved_at"))))
        }
        return pending
    }

    func applyJob(findings: [StoreFinding], outcomes: [OutcomeUpdate], profiles: [(profile: StoreProfile, orgPath: String, salespersonNodeID: Int64?, openAlerts: Int)],
                  scanRates: [ScanRateRow], day: Int64, at: Int64, tenantID: Int64) async throws(StorageError) -> AppliedJob {
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
            steps.append(SQLStep("""
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
        steps.append(SQLStep("""
            UPDATE store_alerts SET status = 'resolved', open_key = NULL, resolved_at = \(at), resolution = \(ResolutionReason.causeGone.rawValue),
                   outcome = 'pending'
            WHERE tenant_id = \(tenantID) AND status <> 'resolved' AND last_day < \(day)
            """))
        for update in outcomes {
            steps.append(SQLStep("""
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
            steps.append(SQLStep("""
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
            steps.append(SQLStep("""
                INSERT INTO scan_rate_estimates (tenant_id, product_id, province, store_type, rate, standard_error, source, sample, day)
                VALUES \(SQLStatement.join(rows, separator: ", "))
                ON CONFLICT (tenant_id, product_id, province, store_type) DO UPDATE SET
                    rate = excluded.rate, standard_error = excluded.standard_error, source = excluded.source, sample = excluded.sample, day = excluded.day
                """))
        }
        let raisedBefore = try await db.read("SELECT count(*) AS n FROM store_alerts WHERE tenant_id = \(tenantID)").first?.optionalInt("n") ?? 0
        try await db.transaction(steps)
        let raisedAfter = try await db.read("SELECT count(*) AS n FROM store_alerts WHERE tenant_id = \(tenantID)").first?.optionalInt("n") ?? 0
        let closed = try await db.read("""
            SELECT count(*) AS n FROM store_alerts WHERE tenant_id = \(tenantID) AND resolution = \(ResolutionReason.causeGone.rawValue) AND resolved_at = \(at)
            """).first?.optionalInt("n") ?? 0
        return AppliedJob(raised: Int(raisedAfter - raisedBefore), closed: Int(closed))
    }

    // MARK: Alerts and tasks

    static let alertColumns: SQLStatement = """
        a.id, a.store_id, s.code AS store_code, s.name AS store_name, a.kind, a.product_id, a.salesperson_node_id, a.raised_day, a.last_day, a.due_day,
        a.score, a.baseline, a.observed, a.peer_median, a.reason, a.status, a.created_at, a.first_visit_at, a.resolved_at, a.resolved_by,
        a.resolution, a.resolution_note, a.outcome, a.outcome_day, a.outcome_observed
        """

    static func decodeAlert(_ row: SQLRow) throws(StorageError) -> StoreAlert {
        guard let kind = StoreAnomalyKind(rawValue: try row.string("kind")), let status = TaskStatus(rawValue: try row.string("status")),
              let outcome = ConversionOutcome(rawValue: try row.string("outcome")) else { throw .corruptRow("store_alerts") }
        let product = try row.int("product_id")
        return StoreAlert(
            id: try row.int("id"), storeID: try row.int("store_id"), storeCode: row.optionalString("store_code"), storeName: row.optionalString("store_name"),
            kind: kind, productID: product == 0 ? nil : product, salespersonNodeID: row.optionalInt("salesperson_node_id"),
            raisedDay: try row.int("raised_day"), lastDay: try row.int("last_day"), dueDay: try row.int("due_day"), score: row.double("score") ?? 0,
            baseline: row.double("baseline") ?? 0, observed: row.double("observed") ?? 0, peerMedian: row.double("peer_median"), reason: try row.string("reason"),
            status: status, createdAt: try row.int("created_at"), firstVisitAt: row.optionalInt("first_visit_at"), resolvedAt: row.optionalInt("resolved_at"),
            resolvedBy: row.optionalInt("resolved_by"), resolution: row.optionalString("resolution").flatMap(ResolutionReason.init(rawValue:)),
            resolutionNote: row.optionalString("resolution_note"), outcome: outcome, outcomeDay: row.optionalInt("outcome_day"),
            outcomeObserved: row.double("outcome_observed"))
    }

    func alerts(_ query: ListQuery, filter: StoreAlertFilter, scope: AccessScope) async throws(StorageError) -> Page<StoreAlert> {
        var conditions: [SQLStatement] = [ScopeSQL.alerts(scope)]
        if let kind = filter.kind { conditions.append("a.kind = \(kind.rawValue)") }
        if let status = filter.status { conditions.append("a.status = \(status.rawValue)") }
        if filter.unresolved { conditions.append("a.status <> 'resolved'") }
        if let outcome = filter.outcome { conditions.append("a.outcome = \(outcome.rawValue) AND a.status = 'resolved'") }
        if let store = filter.storeID { conditions.append("a.store_id = \(store)") }
        if let node = filter.salespersonNodeID { conditions.append("a.salesperson_node_id = \(node)") }
        if let since = filter.sinceDay { conditions.append("a.raised_day >= \(since)") }
        let predicate = SQLStatement.join(conditions, separator: " AND ")
        let total = try await db.read("SELECT count(*) AS n FROM store_alerts a WHERE \(predicate)").first?.optionalInt("n") ?? 0
        // The page's ids first, from the feed index alone (a subtree's alerts sorted without reading their rows), then those rows.
        let ids = try await db.read("""
            SELECT a.id FROM store_alerts a WHERE \(predicate) ORDER BY a.raised_day DESC, a.id DESC LIMIT \(query.limit) OFFSET \(query.offset)
            """).map { (row) throws(StorageError) in try row.int("id") }
        var items: [StoreAlert] = []
        if !ids.isEmpty {
            let rows = try await db.read("""
                SELECT \(Self.alertColumns) FROM store_alerts a JOIN stores s ON s.tenant_id = a.tenant_id AND s.id = a.store_id
                WHERE a.tenant_id = \(scope.tenantID) AND a.id IN (\(SQLStatement.join(ids.map { "\($0)" }, separator: ", ")))
                """)
            for row in rows { items.append(try Self.decodeAlert(row)) }
            items.sort { ($0.raisedDay, $0.id) > ($1.raisedDay, $1.id) }
        }
        return Page(items: items, total: Int(total), limit: query.limit, offset: query.offset)
    }

    func alert(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreAlert? {
        try await db.read("""
            SELECT \(Self.alertColumns) FROM store_alerts a JOIN stores s ON s.tenant_id = a.tenant_id AND s.id = a.store_id
            WHERE \(ScopeSQL.alerts(scope)) AND a.id = \(id)
            """).first.map { (row) throws(StorageError) in try Self.decodeAlert(row) }
    }

    func resolve(alertID: Int64, reason: ResolutionReason, note: String?, userID: Int64, at: Int64, scope: AccessScope) async throws(StorageError) -> StoreAlert? {
        let updated = try await db.execute("""
            UPDATE store_alerts SET status = 'resolved', open_key = NULL, resolved_at = \(at), resolved_by = \(userID), resolution = \(reason.rawValue),
                   resolution_note = \(note), outcome = 'pending'
            WHERE tenant_id = \(scope.tenantID) AND id = \(alertID) AND status <> 'resolved'
              AND EXISTS (SELECT 1 FROM store_alerts a WHERE \(ScopeSQL.alerts(scope)) AND a.id = \(alertID))
            RETURNING id
            """)
        guard let alert = try await alert(id: alertID, scope: scope) else { return nil }
        if updated.isEmpty { throw .duplicate("already_resolved") }
        return alert
    }

    // MARK: Visits

    func recordVisit(_ visit: StoreVisit, province: String, scope: AccessScope) async throws(StorageError) -> StoreVisit {
        let tenantID = scope.tenantID
        let v = visit
        let visitID = try await db.allocateIDs("store_visits", tenantID: tenantID)
        let products = SQLStatement.join(v.counts.map { "\($0.productID)" }, separator: ", ")
        // Phase 1 checks the store (and the task) are within reach; phase 2 reads each counted SKU's last count
        // and the store's totals so far (the new count's snapshot); phase 3 writes.
        let checks = v.alertID == nil ? 1 : 2
        let counted = v.counts.isEmpty ? SQLStatement("-1") : products
        try await db.transaction(phases: { (done: [[SQLRow]]) throws(StorageError) -> [SQLStep] in
            if done.isEmpty {
                var steps = [SQLStep("SELECT s.org_path FROM stores s WHERE \(ScopeSQL.stores(scope)) AND s.id = \(v.storeID)", requireRow: .notFound)]
                if let alertID = v.alertID {
                    steps.append(SQLStep("""
                        SELECT a.id FROM store_alerts a WHERE \(ScopeSQL.alerts(scope)) AND a.id = \(alertID) AND a.store_id = \(v.storeID)
                        """, requireRow: .missingReference("alertID")))
                }
                return steps
            }
            if done.count == checks {
                return [
                    SQLStep("""
                        SELECT product_id, counted_units, scanned_through, received_through FROM store_stock_positions
                        WHERE tenant_id = \(tenantID) AND store_id = \(v.storeID) AND product_id IN (\(counted))
                        """),
                    SQLStep("""
                        SELECT product_id, CAST(sum(units_sold) AS BIGINT) AS units FROM store_day_scans
                        WHERE tenant_id = \(tenantID) AND store_id = \(v.storeID) AND product_id IN (\(counted)) GROUP BY product_id
                        """),
                    SQLStep("""
                        SELECT product_id, CAST(sum(units) AS BIGINT) AS units FROM store_day_receipts
                        WHERE tenant_id = \(tenantID) AND store_id = \(v.storeID) AND product_id IN (\(counted)) GROUP BY product_id
                        """),
                ]
            }
            guard done.count == checks + 3 else { return [] }
            let orgPath = try done[0].first?.string("org_path") ?? ""
            var previous: [Int64: (units: Int64, scanned: Int64, received: Int64)] = [:]
            for row in done[checks] {
                previous[try row.int("product_id")] = (try row.int("counted_units"), try row.int("scanned_through"), try row.int("received_through"))
            }
            func sums(_ rows: [SQLRow]) throws(StorageError) -> [Int64: Int64] {
                var out: [Int64: Int64] = [:]
                for row in rows { out[try row.int("product_id")] = row.optionalInt("units") ?? 0 }
                return out
            }
            let scanned = try sums(done[checks + 1]), received = try sums(done[checks + 2])
            var steps = [SQLStep("""
                INSERT INTO store_visits (tenant_id, id, store_id, user_id, org_path, alert_id, checked_in_at, day, latitude, longitude, distance_m, notes, photos)
                VALUES (\(tenantID), \(visitID), \(v.storeID), \(v.userID), \(orgPath), \(v.alertID), \(v.checkedInAt), \(v.day), \(v.latitude), \(v.longitude),
                        \(v.distanceMeters), \(v.notes), 0)
                """)]
            for count in v.counts {
                let nowScanned = scanned[count.productID] ?? 0, nowReceived = received[count.productID] ?? 0
                // Between the previous count and this one: sold = before + received − now; scanned over the same span.
                let interval = previous[count.productID].map { p in
                    (sold: p.units + (nowReceived - p.received) - Int64(count.units), scanned: nowScanned - p.scanned)
                }
                steps.append(SQLStep("""
                    INSERT INTO visit_stock_counts (tenant_id, visit_id, product_id, store_id, day, units, facings, interval_sold, interval_scanned, province)
                    VALUES (\(tenantID), \(visitID), \(count.productID), \(v.storeID), \(v.day), \(Int64(count.units)), \(count.facings.map(Int64.init)),
                            \(interval?.sold), \(interval?.scanned), \(province))
                    """))
                steps.append(SQLStep("""
                    INSERT INTO store_stock_positions (tenant_id, store_id, product_id, counted_units, counted_day, counted_at, scanned_through, received_through)
                    VALUES (\(tenantID), \(v.storeID), \(count.productID), \(Int64(count.units)), \(v.day), \(v.checkedInAt), \(nowScanned), \(nowReceived))
                    ON CONFLICT (tenant_id, store_id, product_id) DO UPDATE SET
                        counted_units = excluded.counted_units, counted_day = excluded.counted_day, counted_at = excluded.counted_at,
                        scanned_through = excluded.scanned_through, received_through = excluded.received_through
                    """))
            }
            if let alertID = v.alertID {
                steps.append(SQLStep("""
                    UPDATE store_alerts SET status = CASE WHEN status = 'open' THEN 'visited' ELSE status END,
                           first_visit_at = COALESCE(first_visit_at, \(v.checkedInAt))
                    WHERE tenant_id = \(tenantID) AND id = \(alertID)
                    """))
            }
            return steps
        })
        var saved = v
        saved.id = visitID
        return saved
    }

    func visit(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreVisit? {
        try await visits("v.id = \(id)", scope: scope, limit: 1).first
    }

    private func visits(_ condition: SQLStatement, scope: AccessScope, limit: Int) async throws(StorageError) -> [StoreVisit] {
        let rows = try await db.read("""
            SELECT v.id, v.store_id, v.user_id, v.alert_id, v.checked_in_at, v.day, v.latitude, v.longitude, v.distance_m, v.notes, v.photos
            FROM store_visits v JOIN stores s ON s.tenant_id = v.tenant_id AND s.id = v.store_id
            WHERE \(ScopeSQL.stores(scope)) AND \(condition) ORDER BY v.checked_in_at DESC, v.id DESC LIMIT \(limit)
            """)
        var visits: [StoreVisit] = []
        for row in rows {
            visits.append(StoreVisit(id: try row.int("id"), storeID: try row.int("store_id"), userID: try row.int("user_id"), alertID: row.optionalInt("alert_id"),
                                     checkedInAt: try row.int("checked_in_at"), day: try row.int("day"), latitude: row.double("latitude") ?? 0,
                                     longitude: row.double("longitude") ?? 0, distanceMeters: row.double("distance_m") ?? 0, notes: try row.string("notes"),
                                     photos: Int(try row.int("photos")), counts: []))
        }
        guard !visits.isEmpty else { return [] }
        let ids = SQLStatement.join(visits.map { "\($0.id)" }, separator: ", ")
        var counts: [Int64: [VisitCount]] = [:]
        for row in try await db.read("""
            SELECT visit_id, product_id, units, facings FROM visit_stock_counts WHERE tenant_id = \(scope.tenantID) AND visit_id IN (\(ids)) ORDER BY product_id
            """) {
            counts[try row.int("visit_id"), default: []].append(VisitCount(productID: try row.int("product_id"), units: Int(try row.int("units")),
                                                                           facings: row.optionalInt("facings").map(Int.init)))
        }
        return visits.map { visit in
            var copy = visit
            copy.counts = counts[visit.id] ?? []
            return copy
        }
    }

    func addPhoto(visitID: Int64, contentType: String, bytes: [UInt8], maxPhotos: Int, scope: AccessScope) async throws(StorageError) -> Int {
        let encoded = Data(bytes).base64EncodedString()
        let rows = try await db.transaction([
            SQLStep("""
                UPDATE store_visits SET photos = photos + 1
                WHERE tenant_id = \(scope.tenantID) AND id = \(visitID) AND photos < \(Int64(maxPhotos))
                  AND EXISTS (SELECT 1 FROM stores s WHERE \(ScopeSQL.stores(scope)) AND s.id = store_visits.store_id)
                RETURNING photos
                """, requireRow: .floorReached("photos")),
            SQLStep("""
                INSERT INTO visit_photos (tenant_id, visit_id, number, content_type, size, data_base64)
                SELECT \(scope.tenantID), \(visitID), photos, \(contentType), \(Int64(bytes.count)), \(encoded) FROM store_visits
                WHERE tenant_id = \(scope.tenantID) AND id = \(visitID)
                RETURNING number
                """),
        ])
        guard let number = rows.last?.first?.optionalInt("number") else { throw .corruptRow("visit_photos") }
        return Int(number)
    }

    func photo(visitID: Int64, number: Int, scope: AccessScope) async throws(StorageError) -> (contentType: String, bytes: [UInt8])? {
        guard let row = try await db.read("""
            SELECT p.content_type, p.data_base64 FROM visit_photos p
            JOIN store_visits v ON v.tenant_id = p.tenant_id AND v.id = p.visit_id
            JOIN stores s ON s.tenant_id = v.tenant_id AND s.id = v.store_id
            WHERE \(ScopeSQL.stores(scope)) AND p.visit_id = \(visitID) AND p.number = \(Int64(number))
            """).first else { return nil }
        guard let bytes = Data(base64Encoded: try row.string("data_base64")).map({ [UInt8]($0) }) else { throw .corruptRow("visit_photos.data_base64") }
        return (try row.string("content_type"), bytes)
    }

    // MARK: Pages

    func detail(storeID: Int64, today: Int64, days: Int, scope: AccessScope) async throws(StorageError) -> StoreIntelligenceDetail {
        let tenantID = scope.tenantID
        let first = today - Int64(days) + 1
        var sold = Array(repeating: 0, count: days), received = Array(repeating: 0, count: days)
        guard let store = try await db.read("SELECT s.region_code, s.store_type FROM stores s WHERE \(ScopeSQL.stores(scope)) AND s.id = \(storeID)").first else {
            throw .notFound
        }
        for row in try await db.read("""
            SELECT day, units_sold FROM store_days WHERE tenant_id = \(tenantID) AND store_id = \(storeID) AND day >= \(first) AND day <= \(today)
            """) {
            let index = Int(try row.int("day") - first)
            if sold.indices.contains(index) { sold[index] = Int(try row.int("units_sold")) }
        }
        for row in try await db.read("""
            SELECT day, CAST(sum(units) AS BIGINT) AS units FROM store_day_receipts WHERE tenant_id = \(tenantID) AND store_id = \(storeID) AND day >= \(first) AND day <= \(today)
            GROUP BY day
            """) {
            let index = Int(try row.int("day") - first)
            if received.indices.contains(index) { received[index] = Int(try row.int("units")) }
        }
        let province = String(try store.string("region_code").prefix(2))
        let storeType = try store.string("store_type")
        let rates = try await db.read("""
            SELECT product_id, province, store_type, rate, standard_error, source, sample FROM scan_rate_estimates
            WHERE tenant_id = \(tenantID) AND province IN (\(province), \(ScanRateRow.everyProvince)) AND store_type IN (\(storeType), \(ScanRateRow.everyStoreType))
            """).map { (row) throws(StorageError) in
            guard let source = ScanRateEstimate.Source(rawValue: try row.string("source")), let rate = row.double("rate"),
                  let error = row.double("standard_error") else { throw .corruptRow("scan_rate_estimates") }
            return ScanRateRow(productID: try row.int("product_id"), province: try row.string("province"), storeType: try row.string("store_type"),
                               estimate: ScanRateEstimate(rate: rate, standardError: error, source: source, sample: Int(try row.int("sample"))))
        }
        var profile: StoreProfile?
        if let row = try await db.read("""
            SELECT day, tier, tags, strategies, sales28, sales_prev28, sales90, new_product_share, repeat_share FROM store_profiles
            WHERE tenant_id = \(tenantID) AND store_id = \(storeID)
            """).first {
            do {
                profile = StoreProfile(storeID: storeID, day: try row.int("day"), tier: StoreTier(rawValue: try row.string("tier")) ?? .c,
                                       tags: try JSONCoding.decode([StoreTag].self, from: try row.string("tags")),
                                       sales28: Int(try row.int("sales28")), salesPrev28: Int(try row.int("sales_prev28")), sales90: Int(try row.int("sales90")),
                                       newProductShare: row.double("new_product_share") ?? 0, repeatShare: row.double("repeat_share"),
                                       strategies: try JSONCoding.decode([StrategyAdvice].self, from: try row.string("strategies")))
            } catch {
                throw .corruptRow("store_profiles")
            }
        }
        let alerts = try await alerts(ListQuery(limit: 30), filter: StoreAlertFilter(storeID: storeID), scope: scope).items
        return StoreIntelligenceDetail(firstDay: first, sold: sold, received: received,
                                       skus: try await skuTotals(today: today, storeID: storeID, historyDays: days, rateLagDays: 0, tenantID: tenantID),
                                       province: province, storeType: storeType, scanRates: rates, profile: profile,
                                       alerts: alerts, visits: try await visits("v.store_id = \(storeID)", scope: scope, limit: 10))
    }

    func ranking(today: Int64, rules: StoreRules, scope: AccessScope) async throws(StorageError) -> [SalespersonFigures] {
        let since = BusinessDay.start(ofDay: today - 29)
        let cycleStart = today - Int64(rules.visitCycleDays) + 1
        struct Row { var code = "", name = "", parent: Int64?, stores = 0, visited = 0, visits = 0, visitDays = 0, alerts = 0, alertsVisited = 0
                     var responses: [Double] = [], resolved = 0, converted = 0, notConverted = 0, sales28 = 0, salesPrev28 = 0 }
        var rows: [Int64: Row] = [:]
        for row in try await db.read("SELECT o.id, o.code, o.name, o.parent_id FROM org_nodes o WHERE \(ScopeSQL.orgNodes(scope)) AND o.level = 4") {
            rows[try row.int("id")] = Row(code: try row.string("code"), name: try row.string("name"), parent: row.optionalInt("parent_id"))
        }
        guard !rows.isEmpty else { return [] }
        let storeScope = ScopeSQL.stores(scope)
        for row in try await db.read("""
            SELECT s.salesperson_node_id AS node, count(*) AS stores FROM stores s WHERE \(storeScope) AND s.status = 'active' AND s.salesperson_node_id IS NOT NULL
            GROUP BY s.salesperson_node_id
            """) {
            rows[try row.int("node")]?.stores = Int(try row.int("stores"))
        }
        for row in try await db.read("""
            SELECT s.salesperson_node_id AS node, count(*) AS visits, count(DISTINCT v.day) AS days,
                   count(DISTINCT CASE WHEN v.day >= \(cycleStart) THEN v.store_id END) AS visited
            FROM store_visits v JOIN stores s ON s.tenant_id = v.tenant_id AND s.id = v.store_id
            WHERE \(storeScope) AND v.checked_in_at >= \(since) AND s.salesperson_node_id IS NOT NULL
            GROUP BY s.salesperson_node_id
            """) {
            let node = try row.int("node")
            rows[node]?.visits = Int(try row.int("visits"))
            rows[node]?.visitDays = Int(try row.int("days"))
            rows[node]?.visited = Int(try row.int("visited"))
        }
        for row in try await db.read("""
            SELECT a.salesperson_node_id AS node, a.created_at, a.first_visit_at, a.status, a.outcome, a.resolution FROM store_alerts a
            WHERE \(ScopeSQL.alerts(scope)) AND a.created_at >= \(since) AND a.salesperson_node_id IS NOT NULL
            """) {
            let node = try row.int("node")
            guard rows[node] != nil else { continue }
            rows[node]?.alerts += 1
            if let visited = row.optionalInt("first_visit_at") {
                rows[node]?.alertsVisited += 1
                rows[node]?.responses.append(Double(max(0, visited - (try row.int("created_at")))) / 3_600_000)
            }
            // An alert the job closed is no salesperson's resolution.
            guard row.optionalString("resolution") != ResolutionReason.causeGone.rawValue else { continue }
            if try row.string("status") == "resolved" { rows[node]?.resolved += 1 }
            switch try row.string("outcome") {
            case "converted": rows[node]?.converted += 1
            case "not_converted": rows[node]?.notConverted += 1
            default: break
            }
        }
        for row in try await db.read("""
            SELECT p.salesperson_node_id AS node, CAST(sum(p.sales28) AS BIGINT) AS sales28, CAST(sum(p.sales_prev28) AS BIGINT) AS prev FROM store_profiles p
            WHERE \(ScopeSQL.byOrgPath(scope, tenant: "p.tenant_id", orgPath: "p.org_path")) AND p.salesperson_node_id IS NOT NULL
            GROUP BY p.salesperson_node_id
            """) {
            let node = try row.int("node")
            rows[node]?.sales28 = Int(try row.int("sales28"))
            rows[node]?.salesPrev28 = Int(try row.int("prev"))
        }
        let figures = rows.map { id, r in
            SalespersonFigures(nodeID: id, code: r.code, name: r.name, parentID: r.parent, stores: r.stores, storesVisitedInCycle: r.visited, visits: r.visits,
                               visitDays: r.visitDays, alerts: r.alerts, alertsVisited: r.alertsVisited,
                               medianResponseHours: r.responses.isEmpty ? nil : Robust.median(r.responses), resolved: r.resolved,
                               converted: r.converted, notConverted: r.notConverted, sales28: r.sales28, salesPrev28: r.salesPrev28)
        }
        return SalesforceRanking.ranked(figures)
    }
}
