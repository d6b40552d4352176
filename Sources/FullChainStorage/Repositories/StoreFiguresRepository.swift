import Foundation
public import FullChainCore

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

/// What the store page and the salesperson ranking show, read within the caller's scope.
public protocol StoreFiguresRepository: Sendable {
    func detail(storeID: Int64, today: Int64, days: Int, scope: AccessScope) async throws(StorageError) -> StoreIntelligenceDetail
    func ranking(today: Int64, rules: StoreRules, scope: AccessScope) async throws(StorageError) -> [SalespersonFigures]
    /// The active stores within reach (at most `limit`), each with the units it received and sold from day `from` to day `to`.
    func supply(from: Int64, to: Int64, limit: Int, scope: AccessScope) async throws(StorageError) -> [SupplyLine]
    /// The latest cases delivered to stores within reach (出库到店), newest first.
    func deliveries(limit: Int, scope: AccessScope) async throws(StorageError) -> [SupplyDelivery]
}

struct SQLStoreFiguresRepository: StoreFiguresRepository {
    let db: any SQLDatabase
    let job: SQLStoreJobRepository
    let tasks: SQLStoreTaskRepository
    let visits: SQLVisitRepository

    func supply(from: Int64, to: Int64, limit: Int, scope: AccessScope) async throws(StorageError) -> [SupplyLine] {
        try await db.read(
            """
            SELECT s.id, s.code, s.name,
                (SELECT CAST(COALESCE(SUM(r.units), 0) AS BIGINT) FROM store_day_receipts r
                 WHERE r.tenant_id = s.tenant_id AND r.store_id = s.id AND r.day >= \(from) AND r.day <= \(to)) AS received,
                (SELECT CAST(COALESCE(SUM(d.units_sold), 0) AS BIGINT) FROM store_days d
                 WHERE d.tenant_id = s.tenant_id AND d.store_id = s.id AND d.day >= \(from) AND d.day <= \(to)) AS sold
            FROM stores s WHERE \(ScopeSQL.stores(scope)) AND s.status = \(MasterDataStatus.active.rawValue) ORDER BY s.id LIMIT \(Int64(limit))
            """
        ).map { (row) throws(StorageError) in
            SupplyLine(
                storeID: try row.int("id"), storeCode: try row.string("code"), storeName: try row.string("name"),
                received: row.optionalInt("received") ?? 0, sold: row.optionalInt("sold") ?? 0)
        }
    }

    func deliveries(limit: Int, scope: AccessScope) async throws(StorageError) -> [SupplyDelivery] {
        try await db.read(
            """
            SELECT t.batch_id, t.case_number, t.store_id, t.transferred_at, s.name FROM case_transfers t
            JOIN stores s ON s.tenant_id = t.tenant_id AND s.id = t.store_id
            WHERE t.tenant_id = \(scope.tenantID) AND \(ScopeSQL.stores(scope)) ORDER BY t.transferred_at DESC LIMIT \(Int64(limit))
            """
        ).map { (row) throws(StorageError) in
            SupplyDelivery(
                batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number")), storeID: try row.int("store_id"),
                storeName: try row.string("name"), at: try row.int("transferred_at"))
        }
    }

    func detail(storeID: Int64, today: Int64, days: Int, scope: AccessScope) async throws(StorageError) -> StoreIntelligenceDetail {
        let tenantID = scope.tenantID
        let first = today - Int64(days) + 1
        var sold = Array(repeating: 0, count: days), received = Array(repeating: 0, count: days)
        guard
            let store = try await db.read("SELECT s.region_code, s.store_type FROM stores s WHERE \(ScopeSQL.stores(scope)) AND s.id = \(storeID)")
                .first
        else {
            throw .notFound
        }
        for row in try await db.read(
            """
            SELECT day, units_sold FROM store_days WHERE tenant_id = \(tenantID) AND store_id = \(storeID) AND day >= \(first) AND day <= \(today)
            """)
        {
            let index = Int(try row.int("day") - first)
            if sold.indices.contains(index) { sold[index] = Int(try row.int("units_sold")) }
        }
        for row in try await db.read(
            """
            SELECT day, CAST(sum(units) AS BIGINT) AS units FROM store_day_receipts WHERE tenant_id = \(tenantID) AND store_id = \(storeID) AND day >= \(first) AND day <= \(today)
            GROUP BY day
            """)
        {
            let index = Int(try row.int("day") - first)
            if received.indices.contains(index) { received[index] = Int(try row.int("units")) }
        }
        let province = String(try store.string("region_code").prefix(2))
        let storeType = try store.string("store_type")
        let rates = try await db.read(
            """
            SELECT product_id, province, store_type, rate, standard_error, source, sample FROM scan_rate_estimates
            WHERE tenant_id = \(tenantID) AND province IN (\(province), \(ScanRateRow.everyProvince)) AND store_type IN (\(storeType), \(ScanRateRow.everyStoreType))
            """
        ).map { (row) throws(StorageError) in
            guard let source = ScanRateEstimate.Source(rawValue: try row.string("source")), let rate = row.double("rate"),
                let error = row.double("standard_error")
            else { throw .corruptRow("scan_rate_estimates") }
            return ScanRateRow(
                productID: try row.int("product_id"), province: try row.string("province"), storeType: try row.string("store_type"),
                estimate: ScanRateEstimate(rate: rate, standardError: error, source: source, sample: Int(try row.int("sample"))))
        }
        var profile: StoreProfile?
        if let row = try await db.read(
            """
            SELECT day, tier, tags, strategies, sales28, sales_prev28, sales90, new_product_share, repeat_share FROM store_profiles
            WHERE tenant_id = \(tenantID) AND store_id = \(storeID)
            """
        ).first {
            do {
                profile = StoreProfile(
                    storeID: storeID, day: try row.int("day"), tier: StoreTier(rawValue: try row.string("tier")) ?? .c,
                    tags: try JSONCoding.decode([StoreTag].self, from: try row.string("tags")),
                    sales28: Int(try row.int("sales28")), salesPrev28: Int(try row.int("sales_prev28")), sales90: Int(try row.int("sales90")),
                    newProductShare: row.double("new_product_share") ?? 0, repeatShare: row.double("repeat_share"),
                    strategies: try JSONCoding.decode([StrategyAdvice].self, from: try row.string("strategies")))
            } catch {
                throw .corruptRow("store_profiles")
            }
        }
        let alerts = try await tasks.alerts(ListQuery(limit: 30), filter: StoreAlertFilter(storeID: storeID), scope: scope).items
        return StoreIntelligenceDetail(
            firstDay: first, sold: sold, received: received,
            skus: try await job.skuTotals(today: today, storeID: storeID, historyDays: days, rateLagDays: 0, tenantID: tenantID),
            province: province, storeType: storeType, scanRates: rates, profile: profile,
            alerts: alerts, visits: try await visits.visits("v.store_id = \(storeID)", scope: scope, limit: 10))
    }

    func ranking(today: Int64, rules: StoreRules, scope: AccessScope) async throws(StorageError) -> [SalespersonFigures] {
        let since = BusinessDay.start(ofDay: today - 29)
        let cycleStart = today - Int64(rules.visitCycleDays) + 1
        struct Row {
            var code = "", name = "", parent: Int64?, stores = 0, visited = 0, visits = 0, visitDays = 0, alerts = 0, alertsVisited = 0
            var responses: [Double] = [], resolved = 0, converted = 0, notConverted = 0, sales28 = 0, salesPrev28 = 0
        }
        var rows: [Int64: Row] = [:]
        for row in try await db.read("SELECT o.id, o.code, o.name, o.parent_id FROM org_nodes o WHERE \(ScopeSQL.orgNodes(scope)) AND o.level = 4") {
            rows[try row.int("id")] = Row(code: try row.string("code"), name: try row.string("name"), parent: row.optionalInt("parent_id"))
        }
        guard !rows.isEmpty else { return [] }
        let storeScope = ScopeSQL.stores(scope)
        for row in try await db.read(
            """
            SELECT s.salesperson_node_id AS node, count(*) AS stores FROM stores s WHERE \(storeScope) AND s.status = 'active' AND s.salesperson_node_id IS NOT NULL
            GROUP BY s.salesperson_node_id
            """)
        {
            rows[try row.int("node")]?.stores = Int(try row.int("stores"))
        }
        for row in try await db.read(
            """
            SELECT s.salesperson_node_id AS node, count(*) AS visits, count(DISTINCT v.day) AS days,
                   count(DISTINCT CASE WHEN v.day >= \(cycleStart) THEN v.store_id END) AS visited
            FROM store_visits v JOIN stores s ON s.tenant_id = v.tenant_id AND s.id = v.store_id
            WHERE \(storeScope) AND v.checked_in_at >= \(since) AND s.salesperson_node_id IS NOT NULL
            GROUP BY s.salesperson_node_id
            """)
        {
            let node = try row.int("node")
            rows[node]?.visits = Int(try row.int("visits"))
            rows[node]?.visitDays = Int(try row.int("days"))
            rows[node]?.visited = Int(try row.int("visited"))
        }
        for row in try await db.read(
            """
            SELECT a.salesperson_node_id AS node, a.created_at, a.first_visit_at, a.status, a.outcome, a.resolution FROM store_alerts a
            WHERE \(ScopeSQL.alerts(scope)) AND a.created_at >= \(since) AND a.salesperson_node_id IS NOT NULL
            """)
        {
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
        for row in try await db.read(
            """
            SELECT p.salesperson_node_id AS node, CAST(sum(p.sales28) AS BIGINT) AS sales28, CAST(sum(p.sales_prev28) AS BIGINT) AS prev FROM store_profiles p
            WHERE \(ScopeSQL.byOrgPath(scope, tenant: "p.tenant_id", orgPath: "p.org_path")) AND p.salesperson_node_id IS NOT NULL
            GROUP BY p.salesperson_node_id
            """)
        {
            let node = try row.int("node")
            rows[node]?.sales28 = Int(try row.int("sales28"))
            rows[node]?.salesPrev28 = Int(try row.int("prev"))
        }
        let figures = rows.map { id, r in
            SalespersonFigures(
                nodeID: id, code: r.code, name: r.name, parentID: r.parent, stores: r.stores, storesVisitedInCycle: r.visited, visits: r.visits,
                visitDays: r.visitDays, alerts: r.alerts, alertsVisited: r.alertsVisited,
                medianResponseHours: r.responses.isEmpty ? nil : Robust.median(r.responses), resolved: r.resolved,
                converted: r.converted, notConverted: r.notConverted, sales28: r.sales28, salesPrev28: r.salesPrev28)
        }
        return SalesforceRanking.ranked(figures)
    }
}
