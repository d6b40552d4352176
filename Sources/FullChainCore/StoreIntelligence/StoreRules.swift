/// A brand's thresholds for store intelligence: when a store counts as abnormal, how stock is
/// estimated, how far a check-in may be from the store, and how tasks and conversions are timed.
/// Each brand may change them (`PUT /api/v1/store-rules`); these defaults suit fast-moving goods.
public struct StoreRules: Codable, Sendable, Equatable {
    /// Weeks of history the own-store baseline uses (the same weekday in each).
    public var baselineWeeks: Int = 8
    /// Days of the window judged against the baseline.
    public var recentDays: Int = 7
    /// A robust score at or above this is "too high" (sales far above the store's own baseline).
    public var highScore: Double = 4.0
    /// A robust score at or below minus this is "too low".
    public var lowScore: Double = 3.0
    /// The least relative change that counts: observed ≥ (1 + ratio) × baseline, or ≤ (1 − ratio) × baseline.
    public var minChangeRatio: Double = 0.5
    /// A store must have sold at least this many scanned units in a baseline window before a drop or dormancy counts.
    public var minBaselineUnits: Int = 7
    /// No consumer scans for this many days is a dormant store.
    public var dormantDays: Int = 14
    /// A robust score (on the log scale) beyond this against the store's peers (same city and store type) is an outlier.
    public var peerScore: Double = 3.0
    /// …and its level must also differ from the peer median by at least this factor.
    public var peerRatio: Double = 3.0
    /// Peers needed before a comparison counts.
    public var minPeers: Int = 5
    /// Days of cover at or below this (while the SKU sells) is an out-of-stock risk.
    public var outOfStockCoverDays: Double = 3.0
    /// Days of cover at or above this, with at least `slowMoverMinUnits` in stock, is a slow mover.
    public var slowMoverCoverDays: Double = 60.0
    public var slowMoverMinUnits: Int = 24
    /// The share of sold units consumers scan, used only where nothing measured it (no mass balance, no stock counts);
    /// no stock alert is raised with it.
    public var defaultScanRate: Double = 0.35
    /// Units a measured scan rate needs: received by the pooled stores (mass balance), or sold between stock counts.
    public var minScanRateSample: Int = 100
    /// A reorder tops stock up to this many days of cover…
    public var targetCoverDays: Double = 14.0
    /// …and is due this many days before stock would run out (delivery time).
    public var leadTimeDays: Double = 2.0
    /// A visit's check-in must be within this distance of the store.
    public var checkInRadiusMeters: Double = 500.0
    /// Every store should be visited once in this many days (coverage).
    public var visitCycleDays: Int = 14
    /// Days after a resolution when the store is judged again (back to normal, or not).
    public var conversionDays: Int = 14
    /// A product launched within this many days counts as new.
    public var newProductDays: Int = 90
    /// Days a salesperson has to act on a task (out-of-stock risk: the lead time, rounded up).
    public var taskDueDays: Int = 7

    public init() {}

    /// Every rule broken, by field; empty when the rules are usable.
    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        func need(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { errors.append(FieldError(field: field, code: "out_of_range", message: "\(field) \(message)")) }
        }
        need((2...13).contains(baselineWeeks), "baselineWeeks", "must be 2 to 13 (the job looks back 90 days)")
        need((1...14).contains(recentDays), "recentDays", "must be 1 to 14")
        need(highScore.isFinite && highScore >= 1 && highScore <= 50, "highScore", "must be 1 to 50")
        need(lowScore.isFinite && lowScore >= 1 && lowScore <= 50, "lowScore", "must be 1 to 50")
        need(minChangeRatio.isFinite && minChangeRatio > 0 && minChangeRatio < 1, "minChangeRatio", "must be above 0 and below 1")
        need((1...100_000).contains(minBaselineUnits), "minBaselineUnits", "must be 1 to 100000")
        need((3...60).contains(dormantDays), "dormantDays", "must be 3 to 60")
        need(peerScore.isFinite && peerScore >= 1 && peerScore <= 50, "peerScore", "must be 1 to 50")
        need(peerRatio.isFinite && peerRatio > 1 && peerRatio <= 100, "peerRatio", "must be above 1 and at most 100")
        need((3...1_000).contains(minPeers), "minPeers", "must be 3 to 1000")
        need(outOfStockCoverDays.isFinite && outOfStockCoverDays >= 0 && outOfStockCoverDays <= 30, "outOfStockCoverDays", "must be 0 to 30")
        need(
            slowMoverCoverDays.isFinite && slowMoverCoverDays > outOfStockCoverDays && slowMoverCoverDays <= 365, "slowMoverCoverDays",
            "must be above outOfStockCoverDays and at most 365")
        need((0...1_000_000).contains(slowMoverMinUnits), "slowMoverMinUnits", "must be 0 to 1000000")
        need(defaultScanRate.isFinite && defaultScanRate > 0 && defaultScanRate <= 1, "defaultScanRate", "must be above 0 and at most 1")
        need((1...1_000_000).contains(minScanRateSample), "minScanRateSample", "must be 1 to 1000000")
        need(targetCoverDays.isFinite && targetCoverDays >= 1 && targetCoverDays <= 120, "targetCoverDays", "must be 1 to 120")
        need(leadTimeDays.isFinite && leadTimeDays >= 0 && leadTimeDays <= 30, "leadTimeDays", "must be 0 to 30")
        need(checkInRadiusMeters.isFinite && checkInRadiusMeters >= 20 && checkInRadiusMeters <= 5_000, "checkInRadiusMeters", "must be 20 to 5000")
        need((1...90).contains(visitCycleDays), "visitCycleDays", "must be 1 to 90")
        need((1...60).contains(conversionDays), "conversionDays", "must be 1 to 60")
        need((7...365).contains(newProductDays), "newProductDays", "must be 7 to 365")
        need((1...60).contains(taskDueDays), "taskDueDays", "must be 1 to 60")
        return errors
    }

    /// Days of history the daily job reads.
    public var historyDays: Int { 90 }
}

extension StoreRules {
    enum CodingKeys: String, CodingKey {
        case baselineWeeks, recentDays, highScore, lowScore, minChangeRatio, minBaselineUnits, dormantDays, peerScore, peerRatio, minPeers,
            outOfStockCoverDays, slowMoverCoverDays, slowMoverMinUnits, defaultScanRate, minScanRateSample, targetCoverDays, leadTimeDays,
            checkInRadiusMeters, visitCycleDays, conversionDays, newProductDays, taskDueDays
    }

    /// Missing keys keep their defaults, so a brand may send only what it changes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = StoreRules()
        baselineWeeks = try c.decodeIfPresent(Int.self, forKey: .baselineWeeks) ?? defaults.baselineWeeks
        recentDays = try c.decodeIfPresent(Int.self, forKey: .recentDays) ?? defaults.recentDays
        highScore = try c.decodeIfPresent(Double.self, forKey: .highScore) ?? defaults.highScore
        lowScore = try c.decodeIfPresent(Double.self, forKey: .lowScore) ?? defaults.lowScore
        minChangeRatio = try c.decodeIfPresent(Double.self, forKey: .minChangeRatio) ?? defaults.minChangeRatio
        minBaselineUnits = try c.decodeIfPresent(Int.self, forKey: .minBaselineUnits) ?? defaults.minBaselineUnits
        dormantDays = try c.decodeIfPresent(Int.self, forKey: .dormantDays) ?? defaults.dormantDays
        peerScore = try c.decodeIfPresent(Double.self, forKey: .peerScore) ?? defaults.peerScore
        peerRatio = try c.decodeIfPresent(Double.self, forKey: .peerRatio) ?? defaults.peerRatio
        minPeers = try c.decodeIfPresent(Int.self, forKey: .minPeers) ?? defaults.minPeers
        outOfStockCoverDays = try c.decodeIfPresent(Double.self, forKey: .outOfStockCoverDays) ?? defaults.outOfStockCoverDays
        slowMoverCoverDays = try c.decodeIfPresent(Double.self, forKey: .slowMoverCoverDays) ?? defaults.slowMoverCoverDays
        slowMoverMinUnits = try c.decodeIfPresent(Int.self, forKey: .slowMoverMinUnits) ?? defaults.slowMoverMinUnits
        defaultScanRate = try c.decodeIfPresent(Double.self, forKey: .defaultScanRate) ?? defaults.defaultScanRate
        minScanRateSample = try c.decodeIfPresent(Int.self, forKey: .minScanRateSample) ?? defaults.minScanRateSample
        targetCoverDays = try c.decodeIfPresent(Double.self, forKey: .targetCoverDays) ?? defaults.targetCoverDays
        leadTimeDays = try c.decodeIfPresent(Double.self, forKey: .leadTimeDays) ?? defaults.leadTimeDays
        checkInRadiusMeters = try c.decodeIfPresent(Double.self, forKey: .checkInRadiusMeters) ?? defaults.checkInRadiusMeters
        visitCycleDays = try c.decodeIfPresent(Int.self, forKey: .visitCycleDays) ?? defaults.visitCycleDays
        conversionDays = try c.decodeIfPresent(Int.self, forKey: .conversionDays) ?? defaults.conversionDays
        newProductDays = try c.decodeIfPresent(Int.self, forKey: .newProductDays) ?? defaults.newProductDays
        taskDueDays = try c.decodeIfPresent(Int.self, forKey: .taskDueDays) ?? defaults.taskDueDays
    }
}
