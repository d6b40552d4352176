/// One salesperson's efficiency over a period (业代效率), and their place.
public struct SalespersonFigures: Codable, Sendable, Equatable {
    public var nodeID: Int64
    public var code: String
    public var name: String
    /// The team (city node) the salesperson belongs to.
    public var parentID: Int64?
    public var stores: Int
    /// Stores visited within the visit cycle, and that share of all their stores.
    public var storesVisitedInCycle: Int
    public var coverage: Double
    public var visits: Int
    public var visitDays: Int
    public var visitsPerDay: Double
    public var alerts: Int
    public var alertsVisited: Int
    /// Median hours from an alert to the first visit for it.
    public var medianResponseHours: Double?
    public var resolved: Int
    public var converted: Int
    public var notConverted: Int
    public var conversionRate: Double?
    /// Scanned units of the territory's stores, the last 28 days and the 28 before.
    public var sales28: Int
    public var salesPrev28: Int
    public var growth: Double?
    public var score: Double
    public var rank: Int

    public init(
        nodeID: Int64, code: String, name: String, parentID: Int64?, stores: Int, storesVisitedInCycle: Int, visits: Int, visitDays: Int,
        alerts: Int, alertsVisited: Int, medianResponseHours: Double?, resolved: Int, converted: Int, notConverted: Int, sales28: Int,
        salesPrev28: Int
    ) {
        self.nodeID = nodeID
        self.code = code
        self.name = name
        self.parentID = parentID
        self.stores = stores
        self.storesVisitedInCycle = storesVisitedInCycle
        self.coverage = stores > 0 ? Double(storesVisitedInCycle) / Double(stores) : 0
        self.visits = visits
        self.visitDays = visitDays
        self.visitsPerDay = visitDays > 0 ? Double(visits) / Double(visitDays) : 0
        self.alerts = alerts
        self.alertsVisited = alertsVisited
        self.medianResponseHours = medianResponseHours
        self.resolved = resolved
        self.converted = converted
        self.notConverted = notConverted
        self.conversionRate = converted + notConverted > 0 ? Double(converted) / Double(converted + notConverted) : nil
        self.sales28 = sales28
        self.salesPrev28 = salesPrev28
        self.growth = salesPrev28 > 0 ? Double(sales28 - salesPrev28) / Double(salesPrev28) : nil
        self.score = 0
        self.rank = 0
    }
}

/// Scores and ranks salespeople. The score (0–100) weighs coverage 30%, visits a day 20%
/// (8 is full marks), response time 20% (within a day is full, a week or more none),
/// conversion 15% and territory growth 15% (−20% none, +20% full); a figure with no data
/// counts half.
public enum SalesforceRanking {
    public static func score(_ f: SalespersonFigures) -> Double {
        let clamp = { (value: Double) in min(1, max(0, value)) }
        let response = f.medianResponseHours.map { clamp(1 - ($0 - 24) / (168 - 24)) } ?? 0.5
        let conversion = f.conversionRate ?? 0.5
        let growth = f.growth.map { clamp(($0 + 0.2) / 0.4) } ?? 0.5
        let total = 0.3 * clamp(f.coverage) + 0.2 * clamp(f.visitsPerDay / 8) + 0.2 * response + 0.15 * conversion + 0.15 * growth
        return (total * 1_000).rounded() / 10
    }

    /// Highest score first (ties by code), each with its 1-based place.
    public static func ranked(_ figures: [SalespersonFigures]) -> [SalespersonFigures] {
        let scored = figures.map { f -> SalespersonFigures in
            var copy = f
            copy.score = score(f)
            return copy
        }
        let sorted = scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.code < $1.code }
        return sorted.enumerated().map { index, f in
            var copy = f
            copy.rank = index + 1
            return copy
        }
    }
}
