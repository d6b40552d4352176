public import FullChainCore
public import FullChainStorage
public import Logging
public import ServiceLifecycle

/// What a dashboard shows: one unit of the caller's reach over a period, compared with the period
/// before (环比) and the same dates a year earlier (同比), its trend, its child units and its cities.
public struct DashboardView: Sendable, Codable {
    /// One row: the unit viewed, or one of its children.
    public struct Unit: Sendable, Codable {
        /// `brand`, `org` (a node of the sales org), `store`, or `unassigned` (what no child holds).
        public var kind: String
        public var id: Int64?
        public var level: OrgLevel?
        public var code: String
        public var name: String
        public var current: DashboardFigures
        public var previous: DashboardFigures
        public var lastYear: DashboardFigures
    }

    /// One day of the trend.
    public struct Day: Sendable, Codable {
        public var day: String
        public var figures: DashboardFigures
    }

    public var from: String
    public var to: String
    public var days: Int
    public var previousFrom: String
    public var previousTo: String
    public var lastYearFrom: String
    public var lastYearTo: String
    public var unit: Unit
    /// The units above the one viewed that the caller may open, top first.
    public var trail: [Unit]
    /// `org` when the children are org nodes, `store` when they are stores.
    public var childKind: String
    public var children: [Unit]
    public var trend: [Day]
    /// Figures per city (12-digit code).
    public var cities: [String: DashboardFigures]
}

/// Why a dashboard cannot be shown.
public enum DashboardError: Error, Sendable, Equatable {
    /// The unit asked for is not within the caller's reach.
    case unknownUnit
}

/// Builds dashboards from the org day rollup (and, for a salesperson's, a distributor's or a store's
/// own stores, from the store rollups the rollup itself is built from).
public struct DashboardService: Sendable {
    public let storage: AppStorage

    /// Most stores one dashboard lists.
    public static let maxStores = 2_000

    public init(storage: AppStorage) {
        self.storage = storage
    }

    /// The dashboard of `nodeID` (the caller's own top unit when nil) over `period`.
    public func view(principal: Principal, nodeID: Int64?, period: DashboardPeriod) async throws -> DashboardView {
        let scope = principal.scope
        let periods = [period, period.previous, period.lastYear]
        switch scope.reach {
        case .wholeTenant, .orgSubtree:
            var node: OrgNode?
            if let nodeID {
                guard let found = try await storage.org.get(id: nodeID, scope: scope) else { throw DashboardError.unknownUnit }
                node = found
            } else if case .orgSubtree(let path) = scope.reach {
                // The caller's own node: the last id of their path.
                guard let id = Self.nodeID(ofPath: path), let own = try await storage.org.get(id: id, scope: scope) else {
                    throw DashboardError.unknownUnit
                }
                node = own
            }
            return try await orgView(node: node, scope: scope, periods: periods)
        case .distributor, .store:
            guard nodeID == nil else { throw DashboardError.unknownUnit }
            let unit = Unit(kind: "brand", id: nil, level: nil, code: "", name: "")
            // Store alerts are the sales force's tasks, which distributor and store staff do not see: not counted for them either.
            return try await storesView(unit: unit, orgPath: nil, trail: [], scope: scope, periods: periods).withoutStoreAlerts()
        }
    }

    private typealias Unit = DashboardView.Unit

    private func orgView(node: OrgNode?, scope: AccessScope, periods: [DashboardPeriod]) async throws -> DashboardView {
        let path = node?.path ?? "/"
        let unit = Unit(
            kind: node == nil ? "brand" : "org", id: node?.id, level: node?.level, code: node?.code ?? "", name: node?.name ?? "", current: .zero,
            previous: .zero, lastYear: .zero)
        // The units above, as far up as the caller reaches.
        var trail: [Unit] = []
        if let node {
            if scope.reach == .wholeTenant {
                trail.append(Unit(kind: "brand", id: nil, level: nil, code: "", name: ""))
            }
            for path in OrgRollup.ancestors(of: node.path).dropFirst().dropLast() {
                guard let id = Self.nodeID(ofPath: path), let ancestor = try await storage.org.get(id: id, scope: scope) else { continue }
                trail.append(Unit(kind: "org", id: ancestor.id, level: ancestor.level, code: ancestor.code, name: ancestor.name))
            }
        }
        if node?.level == .salesperson {
            return try await storesView(unit: unit, orgPath: path, trail: trail, scope: scope, periods: periods)
        }
        let children = try await storage.org.children(of: node, scope: scope)
        let paths = [path] + children.map(\.path)
        let dashboard = storage.dashboard
        async let current = dashboard.nodeDays(paths: paths, days: periods[0].days, scope: scope)
        async let previous = dashboard.nodeDays(paths: paths, days: periods[1].days, scope: scope)
        async let lastYear = dashboard.nodeDays(paths: paths, days: periods[2].days, scope: scope)
        async let cities = dashboard.nodeCities(path: path, days: periods[0].days, scope: scope)
        let (now, before, yearAgo) = (try await current, try await previous, try await lastYear)
        func total(_ byDay: [Int64: DashboardFigures]?) -> DashboardFigures { byDay?.values.reduce(.zero, +) ?? .zero }
        var viewed = unit
        viewed.current = total(now[path])
        viewed.previous = total(before[path])
        viewed.lastYear = total(yearAgo[path])
        var rows = children.map { child in
            Unit(
                kind: "org", id: child.id, level: child.level, code: child.code, name: child.name, current: total(now[child.path]),
                previous: total(before[child.path]), lastYear: total(yearAgo[child.path]))
        }
        if let rest = Self.remainder(of: viewed, children: rows) { rows.append(rest) }
        let trend = Self.trend(now[path] ?? [:], period: periods[0])
        return Self.view(viewed, trail: trail, childKind: "org", children: rows, trend: trend, cities: try await cities, periods: periods)
    }

    /// A unit whose figures are its stores': a salesperson's territory, a distributor's or a store's reach.
    private func storesView(
        unit: Unit, orgPath: String?, trail: [Unit], scope: AccessScope, periods: [DashboardPeriod]
    ) async throws -> DashboardView {
        let dashboard = storage.dashboard
        // Per day only where the trend is the stores' own (a territory's comes from the rollup).
        async let current = dashboard.storeDays(
            orgPath: orgPath, days: periods[0].days, perDay: orgPath == nil, limit: Self.maxStores, scope: scope)
        async let previous = dashboard.storeDays(orgPath: orgPath, days: periods[1].days, perDay: false, limit: Self.maxStores, scope: scope)
        async let lastYear = dashboard.storeDays(orgPath: orgPath, days: periods[2].days, perDay: false, limit: Self.maxStores, scope: scope)
        let (now, before, yearAgo) = (try await current, try await previous, try await lastYear)
        func total(_ store: DashboardStore?) -> DashboardFigures { store?.days.values.reduce(.zero, +) ?? .zero }
        let beforeByID = Dictionary(before.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let yearAgoByID = Dictionary(yearAgo.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [Unit] = []
        var byDay: [Int64: DashboardFigures] = [:]
        var cities: [String: DashboardFigures] = [:]
        for store in now {
            let figures = total(store)
            rows.append(
                Unit(
                    kind: "store", id: store.id, level: nil, code: store.code, name: store.name, current: figures,
                    previous: total(beforeByID[store.id]), lastYear: total(yearAgoByID[store.id])))
            for (day, dayFigures) in store.days { byDay[day, default: .zero] += dayFigures }
            if let city = OrgRollup.city(ofRegion: store.regionCode), !figures.isZero { cities[city, default: .zero] += figures }
        }
        var viewed = unit
        viewed.current = rows.map(\.current).reduce(.zero, +)
        viewed.previous = rows.map(\.previous).reduce(.zero, +)
        viewed.lastYear = rows.map(\.lastYear).reduce(.zero, +)
        // A territory's own figures come from the rollup, so what its stores do not hold (alerts
        // raised on the territory itself) still shows, as the remainder.
        if let orgPath {
            async let current = dashboard.nodeDays(paths: [orgPath], days: periods[0].days, scope: scope)
            async let previous = dashboard.nodeDays(paths: [orgPath], days: periods[1].days, scope: scope)
            async let lastYear = dashboard.nodeDays(paths: [orgPath], days: periods[2].days, scope: scope)
            let own = try await current[orgPath] ?? [:]
            viewed.current = own.values.reduce(.zero, +)
            viewed.previous = (try await previous[orgPath] ?? [:]).values.reduce(.zero, +)
            viewed.lastYear = (try await lastYear[orgPath] ?? [:]).values.reduce(.zero, +)
            byDay = own
            if let rest = Self.remainder(of: viewed, children: rows) { rows.append(rest) }
        }
        return Self.view(
            viewed, trail: trail, childKind: "store", children: rows, trend: Self.trend(byDay, period: periods[0]), cities: cities, periods: periods)
    }

    /// The id of the node a path ends in (`/1/5/17/` → 17).
    static func nodeID(ofPath path: String) -> Int64? {
        path.split(separator: "/").last.flatMap { Int64($0) }
    }

    /// What the unit holds beyond its children (draws at no store, alerts on the unit itself), when anything.
    static func remainder(of unit: DashboardView.Unit, children: [DashboardView.Unit]) -> DashboardView.Unit? {
        func minus(_ whole: DashboardFigures, _ parts: [DashboardFigures]) -> DashboardFigures {
            let sum = parts.reduce(.zero, +)
            return DashboardFigures(
                scans: whole.scans - sum.scans, unitsSold: whole.unitsSold - sum.unitsSold, salesFen: whole.salesFen - sum.salesFen,
                activeStoreDays: whole.activeStoreDays - sum.activeStoreDays, newCustomers: whole.newCustomers - sum.newCustomers,
                rewardFen: whole.rewardFen - sum.rewardFen, diversionAlerts: whole.diversionAlerts - sum.diversionAlerts,
                counterfeitAlerts: whole.counterfeitAlerts - sum.counterfeitAlerts, storeAlerts: whole.storeAlerts - sum.storeAlerts)
        }
        let rest = DashboardView.Unit(
            kind: "unassigned", id: nil, level: nil, code: "", name: "", current: minus(unit.current, children.map(\.current)),
            previous: minus(unit.previous, children.map(\.previous)), lastYear: minus(unit.lastYear, children.map(\.lastYear)))
        return rest.current.isZero && rest.previous.isZero && rest.lastYear.isZero ? nil : rest
    }

    static func trend(_ byDay: [Int64: DashboardFigures], period: DashboardPeriod) -> [DashboardView.Day] {
        period.days.map { DashboardView.Day(day: BusinessDay.date(ofDay: $0), figures: byDay[$0] ?? .zero) }
    }

    static func view(
        _ unit: DashboardView.Unit, trail: [DashboardView.Unit], childKind: String, children: [DashboardView.Unit], trend: [DashboardView.Day],
        cities: [String: DashboardFigures], periods: [DashboardPeriod]
    ) -> DashboardView {
        func text(_ day: Int64) -> String { BusinessDay.date(ofDay: day) }
        return DashboardView(
            from: text(periods[0].days.lowerBound), to: text(periods[0].days.upperBound), days: periods[0].count,
            previousFrom: text(periods[1].days.lowerBound), previousTo: text(periods[1].days.upperBound),
            lastYearFrom: text(periods[2].days.lowerBound), lastYearTo: text(periods[2].days.upperBound), unit: unit, trail: trail,
            childKind: childKind, children: children, trend: trend, cities: cities)
    }

    /// Rebuilds the rollup of the days given for a brand.
    public func rebuild(tenantID: Int64, days: ClosedRange<Int64>) async throws {
        // A day at a time keeps each transaction short.
        for day in days { try await storage.dashboard.rebuild(days: day...day, tenantID: tenantID) }
    }

    /// Rebuilds every day from the brand's first activity to today.
    public func rebuildAll(tenantID: Int64, today: Int64) async throws {
        guard let first = try await storage.dashboard.firstActiveDay(tenantID: tenantID), first <= today else { return }
        try await rebuild(tenantID: tenantID, days: max(first, today - 800)...today)
    }
}

extension DashboardView {
    /// The same view with store alerts left out.
    func withoutStoreAlerts() -> DashboardView {
        func clear(_ figures: DashboardFigures) -> DashboardFigures {
            var figures = figures
            figures.storeAlerts = 0
            return figures
        }
        func clear(_ unit: Unit) -> Unit {
            var unit = unit
            (unit.current, unit.previous, unit.lastYear) = (clear(unit.current), clear(unit.previous), clear(unit.lastYear))
            return unit
        }
        var view = self
        view.unit = clear(unit)
        view.children = children.map(clear)
        view.trend = trend.map { Day(day: $0.day, figures: clear($0.figures)) }
        view.cities = cities.mapValues(clear)
        return view
    }
}

private extension DashboardView.Unit {
    init(kind: String, id: Int64?, level: OrgLevel?, code: String, name: String) {
        self.init(kind: kind, id: id, level: level, code: code, name: name, current: .zero, previous: .zero, lastYear: .zero)
    }
}

/// Keeps the dashboard's rollup current: every minute today and yesterday are rebuilt, once a day
/// the last five weeks (scans uploaded late land in the days they were made), and every day since
/// the brand's first activity for a brand with no rollup yet.
public struct DashboardRollupJob: Service {
    let dashboards: DashboardService
    let logger: Logger
    let interval: Duration

    public init(dashboards: DashboardService, logger: Logger, interval: Duration = .seconds(60)) {
        self.dashboards = dashboards
        self.logger = logger
        self.interval = interval
    }

    /// Days rebuilt once a day.
    public static let lateDays: Int64 = 35

    public func run() async throws {
        var fullyBuilt: Set<Int64> = []
        var lateDone: Int64 = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let today = BusinessDay.day(ofMillis: currentMillis())
            do {
                for tenantID in try await dashboards.storage.storeJob.tenantIDs() {
                    if !fullyBuilt.contains(tenantID) {
                        if try await !dashboards.storage.dashboard.hasRollup(tenantID: tenantID) {
                            try await dashboards.rebuildAll(tenantID: tenantID, today: today)
                        } else {
                            try await dashboards.rebuild(tenantID: tenantID, days: (today - Self.lateDays)...today)
                        }
                        fullyBuilt.insert(tenantID)
                    } else if lateDone != today {
                        try await dashboards.rebuild(tenantID: tenantID, days: (today - Self.lateDays)...today)
                    } else {
                        try await dashboards.rebuild(tenantID: tenantID, days: (today - 1)...today)
                    }
                }
                lateDone = today
            } catch {
                logger.warning("dashboard rollup failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
