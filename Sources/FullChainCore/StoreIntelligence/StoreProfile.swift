/// A store's value tier by sales (ABC): A stores make the first 70% of the brand's sales, B the next 20%.
public enum StoreTier: String, Codable, Sendable, CaseIterable {
    case a = "A", b = "B", c = "C"
}

/// What a store is like (B端画像).
public enum StoreTag: String, Codable, Sendable, CaseIterable {
    /// Sells a larger share of recently launched SKUs than its peers.
    case newProductAdopter = "new_product_adopter"
    /// Many of its consumers come back (repeat-buyer share above its peers').
    case loyalBuyers = "loyal_buyers"
    case growing, declining, stable
}

/// What the salesperson should do at a store.
public enum StoreStrategy: String, Codable, Sendable, CaseIterable {
    case restock
    case clearStock = "clear_stock"
    case pushNewProduct = "push_new_product"
    case activateConsumers = "activate_consumers"
    case raiseVisitFrequency = "raise_visit_frequency"
    case keepUp = "keep_up"
}

/// Why a strategy is recommended, for pages to say in their language (with `StrategyAdvice.figures`).
public enum StrategyCause: String, Codable, Sendable, CaseIterable {
    /// A SKU that sells has at most `figures[0]` days of cover left.
    case coverLeft = "cover_left"
    /// A SKU has `figures[0]` or more days of stock.
    case tooMuchStock = "too_much_stock"
    /// New products are `figures[0]` of its sales against `figures[1]` at its peers (shares 0…1).
    case fewNewProducts = "few_new_products"
    case goneQuiet = "gone_quiet"
    case fellBelowBaseline = "fell_below_baseline"
    /// Sales are down `figures[0]` (a share) on the four weeks before.
    case declining
    case belowPeers = "below_peers"
    /// Open alerts, last visited `figures[0]` days ago, the cycle `figures[1]` days.
    case visitOverdue = "visit_overdue"
    /// Open alerts, never visited, the cycle `figures[0]` days.
    case neverVisited = "never_visited"
    case nothingAbnormal = "nothing_abnormal"
}

/// A recommended strategy and why: the reason in English, and its cause and figures for other languages.
public struct StrategyAdvice: Codable, Sendable, Equatable {
    public var strategy: StoreStrategy
    public var reason: String
    /// Absent in profiles computed before causes were recorded.
    public var cause: StrategyCause?
    public var figures: [Double]?

    public init(strategy: StoreStrategy, reason: String, cause: StrategyCause? = nil, figures: [Double]? = nil) {
        self.strategy = strategy
        self.reason = reason
        self.cause = cause
        self.figures = figures
    }
}

/// A store's profile as the daily job computes it.
public struct StoreProfile: Codable, Sendable, Equatable {
    public var storeID: Int64
    public var day: Int64
    public var tier: StoreTier
    public var tags: [StoreTag]
    /// Scanned units in the last 28 days, the 28 before, and the last 90.
    public var sales28: Int
    public var salesPrev28: Int
    public var sales90: Int
    /// Share of the last 90 days' units from SKUs launched within the rules' window.
    public var newProductShare: Double
    /// Share of the store's identified consumers who bought twice or more; nil without any.
    public var repeatShare: Double?
    public var strategies: [StrategyAdvice]

    public init(
        storeID: Int64, day: Int64, tier: StoreTier, tags: [StoreTag], sales28: Int, salesPrev28: Int, sales90: Int, newProductShare: Double,
        repeatShare: Double?, strategies: [StrategyAdvice]
    ) {
        self.storeID = storeID
        self.day = day
        self.tier = tier
        self.tags = tags
        self.sales28 = sales28
        self.salesPrev28 = salesPrev28
        self.sales90 = sales90
        self.newProductShare = newProductShare
        self.repeatShare = repeatShare
        self.strategies = strategies
    }
}

/// The figures a profile is made from.
public struct StoreProfileInput: Sendable {
    public var storeID: Int64
    public var sales28: Int
    public var salesPrev28: Int
    public var sales90: Int
    public var newProductShare: Double
    public var peerNewProductShare: Double
    public var repeatShare: Double?
    public var peerRepeatShare: Double?
    public var findings: [StoreAnomalyKind]
    public var daysSinceVisit: Int?

    public init(
        storeID: Int64, sales28: Int, salesPrev28: Int, sales90: Int, newProductShare: Double, peerNewProductShare: Double, repeatShare: Double?,
        peerRepeatShare: Double?, findings: [StoreAnomalyKind], daysSinceVisit: Int?
    ) {
        self.storeID = storeID
        self.sales28 = sales28
        self.salesPrev28 = salesPrev28
        self.sales90 = sales90
        self.newProductShare = newProductShare
        self.peerNewProductShare = peerNewProductShare
        self.repeatShare = repeatShare
        self.peerRepeatShare = peerRepeatShare
        self.findings = findings
        self.daysSinceVisit = daysSinceVisit
    }
}

/// Tags, tier and an explainable strategy per store. Pure.
public enum StoreProfiler {
    /// ABC tiers: stores sorted by sales; A until 70% of the total, B until 90%, C after (and every store that sold nothing).
    public static func tiers(sales: [(storeID: Int64, units: Int)]) -> [Int64: StoreTier] {
        let sorted = sales.sorted { $0.units != $1.units ? $0.units > $1.units : $0.storeID < $1.storeID }
        let total = Double(sorted.reduce(0) { $0 + max(0, $1.units) })
        var tiers: [Int64: StoreTier] = [:]
        var before = 0.0
        for store in sorted {
            let share = total > 0 ? before / total : 1
            tiers[store.storeID] = store.units <= 0 ? .c : share < 0.7 ? .a : share < 0.9 ? .b : .c
            before += Double(max(0, store.units))
        }
        return tiers
    }

    public static func profile(_ input: StoreProfileInput, tier: StoreTier, day: Int64, rules: StoreRules) -> StoreProfile {
        var tags: [StoreTag] = []
        var advice: [StrategyAdvice] = []
        let pct = { (value: Double) in Robust.text(value * 100) + "%" }
        if input.newProductShare > 0, input.newProductShare >= max(0.01, input.peerNewProductShare * 1.5) { tags.append(.newProductAdopter) }
        if let share = input.repeatShare, let peers = input.peerRepeatShare, share > 0, share >= peers * 1.3 { tags.append(.loyalBuyers) }
        var growth: Double?
        if input.salesPrev28 >= 10 {
            growth = Double(input.sales28 - input.salesPrev28) / Double(input.salesPrev28)
        }
        if let growth {
            tags.append(growth >= 0.15 ? .growing : growth <= -0.15 ? .declining : .stable)
        }
        let findings = Set(input.findings)
        if findings.contains(.outOfStockRisk) {
            advice.append(
                StrategyAdvice(
                    strategy: .restock, reason: "a SKU that sells has at most \(Robust.text(rules.outOfStockCoverDays)) days of cover left",
                    cause: .coverLeft, figures: [rules.outOfStockCoverDays]))
        }
        if findings.contains(.slowMover) {
            advice.append(
                StrategyAdvice(
                    strategy: .clearStock,
                    reason: "a SKU has \(Robust.text(rules.slowMoverCoverDays)) or more days of stock: a display or tasting moves it",
                    cause: .tooMuchStock, figures: [rules.slowMoverCoverDays]))
        }
        if !tags.contains(.newProductAdopter), tier != .c, input.peerNewProductShare > 0.02 {
            advice.append(
                StrategyAdvice(
                    strategy: .pushNewProduct,
                    reason:
                        "new products are \(pct(input.newProductShare)) of its sales against \(pct(input.peerNewProductShare)) at its peers, and it is a tier \(tier.rawValue) store",
                    cause: .fewNewProducts, figures: [input.newProductShare, input.peerNewProductShare]))
        }
        if findings.contains(.tooLow) || findings.contains(.dormant) || tags.contains(.declining)
            || findings.contains(.offPeers) && input.sales28 < input.salesPrev28 + 1
        {
            let cause: StrategyCause =
                findings.contains(.dormant)
                ? .goneQuiet
                : findings.contains(.tooLow)
                    ? .fellBelowBaseline
                    : tags.contains(.declining) ? .declining : .belowPeers
            let why =
                switch cause {
                case .goneQuiet: "it has gone quiet"
                case .fellBelowBaseline: "sales fell far below its baseline"
                case .declining: "sales are down \(pct(-(growth ?? 0))) on the four weeks before"
                default: "it sells far less than its peers"
                }
            advice.append(
                StrategyAdvice(
                    strategy: .activateConsumers, reason: why + ": a campaign for consumers nearby brings them back", cause: cause,
                    figures: cause == .declining ? [-(growth ?? 0)] : []))
        }
        let due = rules.visitCycleDays
        if !findings.isEmpty, (input.daysSinceVisit ?? Int.max) > due {
            let last = input.daysSinceVisit.map { "last visited \($0) days ago" } ?? "never visited"
            advice.append(
                StrategyAdvice(
                    strategy: .raiseVisitFrequency, reason: "open alerts and \(last) (the cycle is \(due) days)",
                    cause: input.daysSinceVisit == nil ? .neverVisited : .visitOverdue,
                    figures: input.daysSinceVisit.map { [Double($0), Double(due)] } ?? [Double(due)]))
        }
        if advice.isEmpty {
            advice.append(
                StrategyAdvice(
                    strategy: .keepUp, reason: "nothing abnormal: keep the visit cycle and the display", cause: .nothingAbnormal, figures: []))
        }
        return StoreProfile(
            storeID: input.storeID, day: day, tier: tier, tags: tags, sales28: input.sales28, salesPrev28: input.salesPrev28,
            sales90: input.sales90, newProductShare: input.newProductShare, repeatShare: input.repeatShare, strategies: advice)
    }
}
