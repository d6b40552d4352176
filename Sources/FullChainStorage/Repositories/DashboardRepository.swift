public import FullChainCore

/// One store's name and its figures per day, for the dashboard's store rows.
public struct DashboardStore: Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var name: String
    public var regionCode: String
    public var days: [Int64: DashboardFigures]

    public init(id: Int64, code: String, name: String, regionCode: String, days: [Int64: DashboardFigures]) {
        self.id = id
        self.code = code
        self.name = name
        self.regionCode = regionCode
        self.days = days
    }
}

/// The dashboard's reads and the rollup they read: every org node's figures per day (`org_days`),
/// rebuilt from the store rollups the scan path keeps. Reads take the caller's scope, so a
/// manager's query can only reach their own subtree's rows.
public protocol DashboardRepository: Sendable {
    /// Rebuilds `org_days` for the days given from the store rollups, draws and alerts. Answers the rows written.
    @discardableResult
    func rebuild(days: ClosedRange<Int64>, tenantID: Int64) async throws(StorageError) -> Int
    /// True when the brand has any rollup rows.
    func hasRollup(tenantID: Int64) async throws(StorageError) -> Bool
    /// The first day with any store activity, if any.
    func firstActiveDay(tenantID: Int64) async throws(StorageError) -> Int64?
    /// Each node's figures per day (all regions together), for the nodes within the scope.
    func nodeDays(paths: [String], days: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> [String: [Int64: DashboardFigures]]
    /// One node's figures per city over the days.
    func nodeCities(path: String, days: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> [String: DashboardFigures]
    /// Stores within the scope (and under `orgPath` when given), at most `limit` of them, with their
    /// figures per day (or, with `perDay` false, over all the days, keyed by the first), read from
    /// the same store rollups the rebuild reads.
    func storeDays(
        orgPath: String?, days: ClosedRange<Int64>, perDay: Bool, limit: Int, scope: AccessScope
    ) async throws(StorageError)
        -> [DashboardStore]
}

struct SQLDashboardRepository: DashboardRepository {
    let db: any SQLDatabase

    /// Rows written per statement.
    static let chunk = 400

    /// `(millis + 8 h) / 1 day`: the business day of a timestamp column.
    private static func day(_ column: SQLStatement) -> SQLStatement {
        "CAST((\(column) + 28800000) / 86400000 AS BIGINT)"
    }

    /// Store activity per store and day, for the stores the predicate picks.
    private struct StoreDayRow {
        var storeID: Int64?
        var orgPath: String
        var regionCode: String
        var day: Int64
        var figures: DashboardFigures
    }

    /// Every source the dashboard counts, per store and day; or, with `perDay` false, per store over
    /// all the days (each row then carries the first day).
    /// `only`, when given, names the stores (a few): each source is then read by store, then day.
    private func storeActivity(
        days: ClosedRange<Int64>, stores: SQLStatement, only ids: [Int64]? = nil, perDay: Bool = true
    ) async throws(StorageError) -> [StoreDayRow] {
        let (first, last) = (days.lowerBound, days.upperBound)
        let list = ids.map { ids in SQLStatement.join(ids.map { "\($0)" }, separator: ", ") }
        func only(_ column: SQLStatement) -> SQLStatement { list.map { " AND \(column) IN (\($0))" } ?? "" }
        let (from, to) = (BusinessDay.start(ofDay: first), BusinessDay.start(ofDay: last + 1))
        // The day a row counts for, and what its rows are grouped by.
        func day(_ column: SQLStatement) -> SQLStatement { perDay ? column : "CAST(\(first) AS BIGINT)" }
        func grouped(_ column: SQLStatement) -> SQLStatement {
            perDay ? "GROUP BY s.id, s.org_path, s.region_code, \(column)" : "GROUP BY s.id, s.org_path, s.region_code"
        }
        var rows: [StoreDayRow] = []
        func add(_ result: [SQLRow], _ fill: (SQLRow, inout DashboardFigures) throws(StorageError) -> Void) throws(StorageError) {
            for row in result {
                var figures = DashboardFigures()
                try fill(row, &figures)
                rows.append(
                    StoreDayRow(
                        storeID: row.optionalInt("store_id"), orgPath: row.optionalString("org_path") ?? "/",
                        regionCode: row.optionalString("region_code") ?? "", day: try row.int("day"), figures: figures))
            }
        }
        try add(
            try await db.read(
                """
                SELECT s.id AS store_id, s.org_path, s.region_code, \(day("r.day")) AS day, CAST(sum(r.scans) AS BIGINT) AS scans,
                       CAST(sum(r.units_sold) AS BIGINT) AS sold, CAST(sum(r.units_sold * COALESCE(p.price_fen, 0)) AS BIGINT) AS sales
                FROM store_day_scans r
                JOIN stores s ON s.tenant_id = r.tenant_id AND s.id = r.store_id
                LEFT JOIN products p ON p.tenant_id = r.tenant_id AND p.id = r.product_id
                WHERE \(stores)\(only("r.store_id")) AND r.day >= \(first) AND r.day <= \(last)
                \(grouped("r.day"))
                """)
        ) { (row, f) throws(StorageError) in
            f.scans = try row.int("scans")
            f.unitsSold = try row.int("sold")
            f.salesFen = try row.int("sales")
        }
        try add(
            try await db.read(
                """
                SELECT s.id AS store_id, s.org_path, s.region_code, \(day("d.day")) AS day, count(*) AS n FROM store_days d
                JOIN stores s ON s.tenant_id = d.tenant_id AND s.id = d.store_id
                WHERE \(stores)\(only("d.store_id")) AND d.day >= \(first) AND d.day <= \(last) AND d.units_sold > 0
                \(grouped("d.day"))
                """)
        ) { (row, f) throws(StorageError) in f.activeStoreDays = try row.int("n") }
        try add(
            try await db.read(
                """
                SELECT s.id AS store_id, s.org_path, s.region_code, \(day("c.first_day")) AS day, count(*) AS n FROM store_consumers c
                JOIN stores s ON s.tenant_id = c.tenant_id AND s.id = c.store_id
                WHERE \(stores)\(only("c.store_id")) AND c.first_day >= \(first) AND c.first_day <= \(last)
                \(grouped("c.first_day"))
                """)
        ) { (row, f) throws(StorageError) in f.newCustomers = try row.int("n") }
        try add(
            try await db.read(
                """
                SELECT s.id AS store_id, s.org_path, s.region_code, \(day(Self.day("w.drawn_at"))) AS day,
                       CAST(sum(w.amount_fen + w.store_reward_fen) AS BIGINT) AS reward FROM campaign_draws w
                JOIN stores s ON s.tenant_id = w.tenant_id AND s.id = w.store_id
                WHERE \(stores)\(only("w.store_id")) AND w.drawn_at >= \(from) AND w.drawn_at < \(to)
                \(grouped(Self.day("w.drawn_at")))
                """)
        ) { (row, f) throws(StorageError) in f.rewardFen = try row.int("reward") }
        try add(
            try await db.read(
                """
                SELECT s.id AS store_id, s.org_path, s.region_code, \(day("a.raised_day")) AS day, count(*) AS n FROM store_alerts a
                JOIN stores s ON s.tenant_id = a.tenant_id AND s.id = a.store_id
                WHERE \(stores)\(only("a.store_id")) AND a.raised_day >= \(first) AND a.raised_day <= \(last) AND a.kind <> \(StoreAnomalyKind.followUp.rawValue)
                \(grouped("a.raised_day"))
                """)
        ) { (row, f) throws(StorageError) in f.storeAlerts = try row.int("n") }
        return rows
    }

    func rebuild(days: ClosedRange<Int64>, tenantID: Int64) async throws(StorageError) -> Int {
        let (first, last) = (days.lowerBound, days.upperBound)
        let (from, to) = (BusinessDay.start(ofDay: first), BusinessDay.start(ofDay: last + 1))
        var rows = try await storeActivity(days: days, stores: "s.tenant_id = \(tenantID)")
            .map { (path: $0.orgPath, region: $0.regionCode, day: $0.day, figures: $0.figures) }
        // What no store holds counts where it belongs in the org, else for the whole brand.
        for row in try await db.read(
            """
            SELECT \(Self.day("w.drawn_at")) AS day, CAST(sum(w.amount_fen + w.store_reward_fen) AS BIGINT) AS reward FROM campaign_draws w
            WHERE w.tenant_id = \(tenantID) AND w.store_id IS NULL AND w.drawn_at >= \(from) AND w.drawn_at < \(to)
            GROUP BY \(Self.day("w.drawn_at"))
            """)
        {
            rows.append((path: "/", region: "", day: try row.int("day"), figures: DashboardFigures(rewardFen: try row.int("reward"))))
        }
        for row in try await db.read(
            """
            SELECT a.org_path, a.region_code, a.kind, \(Self.day("a.first_at")) AS day, count(*) AS n FROM scan_alerts a
            WHERE a.tenant_id = \(tenantID) AND a.last_at >= \(from) AND a.first_at >= \(from) AND a.first_at < \(to)
            GROUP BY a.org_path, a.region_code, a.kind, \(Self.day("a.first_at"))
            """)
        {
            let count = try row.int("n")
            let diversion = try row.string("kind") == AlertKind.diversion.rawValue
            rows.append(
                (
                    path: row.optionalString("org_path") ?? "/", region: row.optionalString("region_code") ?? "", day: try row.int("day"),
                    figures: DashboardFigures(diversionAlerts: diversion ? count : 0, counterfeitAlerts: diversion ? 0 : count)
                ))
        }
        struct Key: Hashable {
            var region: String
            var day: Int64
        }
        var keyed: [(path: String, key: Key, figures: DashboardFigures)] = []
        keyed.reserveCapacity(rows.count * 2)
        for row in rows {
            keyed.append((row.path, Key(region: "", day: row.day), row.figures))
            if let city = OrgRollup.city(ofRegion: row.region) { keyed.append((row.path, Key(region: city, day: row.day), row.figures)) }
        }
        let rolled = OrgRollup.rollUp(keyed)
        var values: [SQLStatement] = []
        for (path, byKey) in rolled.sorted(by: { $0.key < $1.key }) {
            for (key, f) in byKey.sorted(by: { ($0.key.region, $0.key.day) < ($1.key.region, $1.key.day) }) where days.contains(key.day) {
                values.append(
                    """
                    (\(tenantID), \(path), \(key.day), \(key.region), \(f.scans), \(f.unitsSold), \(f.salesFen), \(f.activeStoreDays),
                     \(f.newCustomers), \(f.rewardFen), \(f.diversionAlerts), \(f.counterfeitAlerts), \(f.storeAlerts))
                    """)
            }
        }
        // Servers rebuilding the same day at once agree: each replaces the day's rows, and a row the
        // other just wrote is overwritten with the same figures rather than refused.
        var steps = [SQLStep("DELETE FROM org_days WHERE tenant_id = \(tenantID) AND day >= \(first) AND day <= \(last)")]
        for start in stride(from: 0, to: values.count, by: Self.chunk) {
            steps.append(
                SQLStep(
                    """
                    INSERT INTO org_days (tenant_id, org_path, day, region_code, scans, units_sold, sales_fen, active_store_days, new_customers,
                                          reward_fen, diversion_alerts, counterfeit_alerts, store_alerts)
                    VALUES \(SQLStatement.join(Array(values[start..<min(start + Self.chunk, values.count)]), separator: ", "))
                    ON CONFLICT (tenant_id, org_path, region_code, day) DO UPDATE SET
                        scans = excluded.scans, units_sold = excluded.units_sold, sales_fen = excluded.sales_fen,
                        active_store_days = excluded.active_store_days, new_customers = excluded.new_customers, reward_fen = excluded.reward_fen,
                        diversion_alerts = excluded.diversion_alerts, counterfeit_alerts = excluded.counterfeit_alerts,
                        store_alerts = excluded.store_alerts
                    """))
        }
        _ = try await db.transaction(steps)
        return values.count
    }

    func hasRollup(tenantID: Int64) async throws(StorageError) -> Bool {
        !(try await db.read("SELECT 1 AS one FROM org_days WHERE tenant_id = \(tenantID) LIMIT 1").isEmpty)
    }

    func firstActiveDay(tenantID: Int64) async throws(StorageError) -> Int64? {
        let days = try await db.read(
            """
            SELECT (SELECT min(day) FROM store_days WHERE tenant_id = \(tenantID)) AS stores,
                   (SELECT min(first_at) FROM scan_alerts WHERE tenant_id = \(tenantID)) AS alerts
            """
        ).first
        let candidates = [days?.optionalInt("stores"), days?.optionalInt("alerts").map { BusinessDay.day(ofMillis: $0) }].compactMap { $0 }
        return candidates.min()
    }

    private static func figures(_ row: SQLRow) throws(StorageError) -> DashboardFigures {
        DashboardFigures(
            scans: try row.int("scans"), unitsSold: try row.int("units_sold"), salesFen: try row.int("sales_fen"),
            activeStoreDays: try row.int("active_store_days"), newCustomers: try row.int("new_customers"), rewardFen: try row.int("reward_fen"),
            diversionAlerts: try row.int("diversion_alerts"), counterfeitAlerts: try row.int("counterfeit_alerts"),
            storeAlerts: try row.int("store_alerts"))
    }

    private static let columns: SQLStatement = """
        scans, units_sold, sales_fen, active_store_days, new_customers, reward_fen, diversion_alerts, counterfeit_alerts, store_alerts
        """

    private static let sums: SQLStatement = """
        CAST(sum(scans) AS BIGINT) AS scans, CAST(sum(units_sold) AS BIGINT) AS units_sold, CAST(sum(sales_fen) AS BIGINT) AS sales_fen,
        CAST(sum(active_store_days) AS BIGINT) AS active_store_days, CAST(sum(new_customers) AS BIGINT) AS new_customers,
        CAST(sum(reward_fen) AS BIGINT) AS reward_fen, CAST(sum(diversion_alerts) AS BIGINT) AS diversion_alerts,
        CAST(sum(counterfeit_alerts) AS BIGINT) AS counterfeit_alerts, CAST(sum(store_alerts) AS BIGINT) AS store_alerts
        """

    func nodeDays(paths: [String], days: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> [String: [Int64: DashboardFigures]] {
        // Only the paths the scope reaches are asked for, each by its key (a range on the path would
        // read the whole subtree's rows).
        let reached = Self.reached(paths, scope: scope)
        guard !reached.isEmpty else { return [:] }
        let list = SQLStatement.join(reached.map { "\($0)" }, separator: ", ")
        var result: [String: [Int64: DashboardFigures]] = [:]
        for row in try await db.read(
            """
            SELECT o.org_path, o.day, \(Self.columns) FROM org_days o
            WHERE o.tenant_id = \(scope.tenantID) AND o.org_path IN (\(list)) AND o.region_code = ''
              AND o.day >= \(days.lowerBound) AND o.day <= \(days.upperBound)
            """)
        {
            result[try row.string("org_path"), default: [:]][try row.int("day")] = try Self.figures(row)
        }
        return result
    }

    func nodeCities(path: String, days: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> [String: DashboardFigures] {
        var result: [String: DashboardFigures] = [:]
        guard !Self.reached([path], scope: scope).isEmpty else { return [:] }
        for row in try await db.read(
            """
            SELECT o.region_code, \(Self.sums) FROM org_days o
            WHERE o.tenant_id = \(scope.tenantID) AND o.org_path = \(path) AND o.region_code > ''
              AND o.day >= \(days.lowerBound) AND o.day <= \(days.upperBound)
            GROUP BY o.region_code
            """)
        {
            result[try row.string("region_code")] = try Self.figures(row)
        }
        return result
    }

    /// The paths of `org_days` a scope reaches: the whole brand's for HQ, a subtree's for its managers,
    /// none for distributor and store staff (they read their stores).
    static func reached(_ paths: [String], scope: AccessScope) -> [String] {
        switch scope.reach {
        case .wholeTenant: paths
        case .orgSubtree(let prefix): paths.filter { $0.hasPrefix(prefix) }
        case .distributor, .store: []
        }
    }

    func storeDays(
        orgPath: String?, days: ClosedRange<Int64>, perDay: Bool, limit: Int, scope: AccessScope
    ) async throws(StorageError)
        -> [DashboardStore]
    {
        var predicate = ScopeSQL.stores(scope)
        if let orgPath { predicate = predicate + " AND s.org_path = \(orgPath)" }
        let limit = Int64(min(max(limit, 1), 5_000))
        var stores: [Int64: DashboardStore] = [:]
        var order: [Int64] = []
        for row in try await db.read("SELECT s.id, s.code, s.name, s.region_code FROM stores s WHERE \(predicate) ORDER BY s.id LIMIT \(limit)") {
            let id = try row.int("id")
            order.append(id)
            stores[id] = DashboardStore(
                id: id, code: try row.string("code"), name: try row.string("name"), regionCode: try row.string("region_code"), days: [:])
        }
        guard !order.isEmpty else { return [] }
        for row in try await storeActivity(days: days, stores: predicate, only: order, perDay: perDay) {
            guard let id = row.storeID, stores[id] != nil else { continue }
            stores[id]?.days[row.day, default: .zero] += row.figures
        }
        return order.compactMap { stores[$0] }
    }
}
