/// The figures a dashboard shows for one slice of the sales org (or one store) over some days.
/// Every figure adds up across slices and days, so a unit's figures are the sum of its children's
/// and a period's the sum of its days.
public struct DashboardFigures: Sendable, Hashable, Codable {
    /// Consumer scans (every scan of a unit's code, first or not).
    public var scans: Int64
    /// Units sold through to consumers: a unit's first consumer scan at a store.
    public var unitsSold: Int64
    /// Those units at the product's list price, in fen.
    public var salesFen: Int64
    /// Stores with at least one unit sold, summed over the days (divide by the days for the daily average).
    public var activeStoreDays: Int64
    /// Consumers buying at a store for the first time (new to that store).
    public var newCustomers: Int64
    /// Scan rewards drawn, to consumers and to stores, in fen.
    public var rewardFen: Int64
    /// 窜货 alerts raised.
    public var diversionAlerts: Int64
    /// Counterfeit alerts raised (codes that are not genuine, or one code scanned too far apart).
    public var counterfeitAlerts: Int64
    /// Store alerts (tasks for salespeople) raised.
    public var storeAlerts: Int64

    public init(
        scans: Int64 = 0, unitsSold: Int64 = 0, salesFen: Int64 = 0, activeStoreDays: Int64 = 0, newCustomers: Int64 = 0, rewardFen: Int64 = 0,
        diversionAlerts: Int64 = 0, counterfeitAlerts: Int64 = 0, storeAlerts: Int64 = 0
    ) {
        self.scans = scans
        self.unitsSold = unitsSold
        self.salesFen = salesFen
        self.activeStoreDays = activeStoreDays
        self.newCustomers = newCustomers
        self.rewardFen = rewardFen
        self.diversionAlerts = diversionAlerts
        self.counterfeitAlerts = counterfeitAlerts
        self.storeAlerts = storeAlerts
    }

    public static let zero = DashboardFigures()

    /// True when every figure is zero.
    public var isZero: Bool { self == .zero }

    /// The sum, saturating rather than overflowing.
    public static func + (left: DashboardFigures, right: DashboardFigures) -> DashboardFigures {
        func add(_ a: Int64, _ b: Int64) -> Int64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? (b > 0 ? .max : .min) : sum
        }
        return DashboardFigures(
            scans: add(left.scans, right.scans), unitsSold: add(left.unitsSold, right.unitsSold), salesFen: add(left.salesFen, right.salesFen),
            activeStoreDays: add(left.activeStoreDays, right.activeStoreDays), newCustomers: add(left.newCustomers, right.newCustomers),
            rewardFen: add(left.rewardFen, right.rewardFen), diversionAlerts: add(left.diversionAlerts, right.diversionAlerts),
            counterfeitAlerts: add(left.counterfeitAlerts, right.counterfeitAlerts), storeAlerts: add(left.storeAlerts, right.storeAlerts))
    }

    public static func += (left: inout DashboardFigures, right: DashboardFigures) { left = left + right }

    /// One figure as a number, for tables, charts and comparisons.
    public func value(_ metric: DashboardMetric, days: Int) -> Double {
        switch metric {
        case .scans: Double(scans)
        case .unitsSold: Double(unitsSold)
        case .salesFen: Double(salesFen)
        case .activeStores: days > 0 ? Double(activeStoreDays) / Double(days) : 0
        case .newCustomers: Double(newCustomers)
        case .rewardFen: Double(rewardFen)
        case .costPerNewCustomerFen: newCustomers > 0 ? Double(rewardFen) / Double(newCustomers) : 0
        case .diversionAlerts: Double(diversionAlerts)
        case .counterfeitAlerts: Double(counterfeitAlerts)
        case .storeAlerts: Double(storeAlerts)
        }
    }
}

/// The figures a dashboard can show, sort its table by and colour its map with.
public enum DashboardMetric: String, Sendable, CaseIterable, Codable {
    case scans, unitsSold, salesFen, activeStores, newCustomers, rewardFen, costPerNewCustomerFen, diversionAlerts, counterfeitAlerts,
        storeAlerts

    /// Fewer is better for these (a rise is shown as bad news).
    public var lowerIsBetter: Bool {
        switch self {
        case .rewardFen, .costPerNewCustomerFen, .diversionAlerts, .counterfeitAlerts, .storeAlerts: true
        default: false
        }
    }
}

/// A change against an earlier period: `(current − earlier) / earlier`, none when the earlier is zero.
public func dashboardChange(current: Double, earlier: Double) -> Double? {
    guard earlier != 0, current.isFinite, earlier.isFinite else { return nil }
    return (current - earlier) / earlier
}

/// The days a dashboard covers, with the two it is compared with: the same number of days just
/// before (环比) and the same dates a year earlier (同比).
public struct DashboardPeriod: Sendable, Hashable {
    /// The longest period a dashboard covers.
    public static let maxDays = 366

    public let days: ClosedRange<Int64>

    /// Nil when the range is empty or longer than `maxDays`.
    public init?(from: Int64, to: Int64) {
        guard from <= to, to - from < Int64(Self.maxDays) else { return nil }
        days = from...to
    }

    public var count: Int { Int(days.upperBound - days.lowerBound) + 1 }

    /// The same number of days just before.
    public var previous: DashboardPeriod {
        let length = Int64(count)
        return DashboardPeriod(unchecked: (days.lowerBound - length)...(days.lowerBound - 1))
    }

    /// The same dates a year earlier (29 February falls back to the 28th).
    public var lastYear: DashboardPeriod {
        func shifted(_ day: Int64) -> Int64 {
            let date = CalendarDate(dayNumber: Int(day))
            let year = date.year - 1
            let earlier =
                CalendarDate(year: year, month: date.month, day: min(date.day, CalendarDate.daysIn(month: date.month, year: year)))
                ?? date.adding(days: -365)
            return Int64(earlier.dayNumber)
        }
        let from = shifted(days.lowerBound), to = shifted(days.upperBound)
        return DashboardPeriod(unchecked: from...max(from, to))
    }

    private init(unchecked days: ClosedRange<Int64>) { self.days = days }

    /// The usual choices, relative to `today`.
    public enum Preset: String, Sendable, CaseIterable {
        case today, yesterday, last7, last30, thisMonth, lastMonth, last90

        public func period(today: Int64) -> DashboardPeriod {
            let date = CalendarDate(dayNumber: Int(today))
            let firstOfMonth = Int64(today) - Int64(date.day - 1)
            switch self {
            case .today: return DashboardPeriod(unchecked: today...today)
            case .yesterday: return DashboardPeriod(unchecked: (today - 1)...(today - 1))
            case .last7: return DashboardPeriod(unchecked: (today - 6)...today)
            case .last30: return DashboardPeriod(unchecked: (today - 29)...today)
            case .last90: return DashboardPeriod(unchecked: (today - 89)...today)
            case .thisMonth: return DashboardPeriod(unchecked: firstOfMonth...today)
            case .lastMonth:
                let last = firstOfMonth - 1
                let first = last - Int64(CalendarDate(dayNumber: Int(last)).day - 1)
                return DashboardPeriod(unchecked: first...last)
            }
        }
    }
}

/// Rolls figures kept per org node up its ancestors: a node's path `/1/5/17/` counts towards
/// `/`, `/1/`, `/1/5/` and itself.
public enum OrgRollup {
    /// The paths a node counts towards, the whole brand (`/`) first.
    public static func ancestors(of path: String) -> [String] {
        guard path.hasPrefix("/") else { return [] }
        var paths = ["/"]
        var current = "/"
        for part in path.split(separator: "/") {
            current += part + "/"
            paths.append(current)
        }
        return paths
    }

    /// Figures keyed by (node path, region, day) summed into every ancestor of each path.
    public static func rollUp<Key: Hashable>(_ rows: [(path: String, key: Key, figures: DashboardFigures)]) -> [String: [Key: DashboardFigures]] {
        var result: [String: [Key: DashboardFigures]] = [:]
        for row in rows where !row.figures.isZero {
            for path in ancestors(of: row.path) {
                result[path, default: [:]][row.key, default: .zero] += row.figures
            }
        }
        return result
    }

    /// The city a region code lies in (`110105000000` → `110100000000`); nil for a code too short to tell.
    public static func city(ofRegion code: String) -> String? {
        guard code.utf8.count >= 4, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return String(code.prefix(4)) + "00000000"
    }
}
