/// The ways a store can be abnormal ("销量太好或太差都是不正常").
public enum StoreAnomalyKind: String, Codable, Sendable, CaseIterable {
    /// Sales far above the store's own baseline (a promotion, a bulk buyer, or goods diverted in).
    case tooHigh = "too_high"
    /// Sales far below the store's own baseline while it has stock.
    case tooLow = "too_low"
    /// A level far from the stores of the same city and type, for weeks.
    case offPeers = "off_peers"
    /// No consumer scans for days after selling before.
    case dormant
    /// A SKU that sells will run out within days (or has).
    case outOfStockRisk = "out_of_stock_risk"
    /// A SKU with much stock and few sales.
    case slowMover = "slow_mover"
    /// A consumer of the store to follow up: raised by a journey, not found by the store job.
    case followUp = "follow_up"

    /// Whether the alert is about one SKU rather than the whole store.
    public var isPerProduct: Bool { self == .outOfStockRisk || self == .slowMover }
    /// Kinds the daily store job neither closes nor judges: tasks a journey raised.
    public static let raisedByJourneys: [StoreAnomalyKind] = [.followUp]
}

/// One abnormal finding with the numbers behind it.
public struct StoreAnomaly: Codable, Sendable, Equatable {
    public var storeID: Int64
    public var kind: StoreAnomalyKind
    /// The SKU, for per-product kinds.
    public var productID: Int64?
    /// How far from normal: a robust z-score for sales kinds, days for dormancy and cover.
    public var score: Double
    /// What was expected over the window (scanned units), or the stock figure for stock kinds.
    public var baseline: Double
    /// What was observed over the same window.
    public var observed: Double
    /// The median of the store's peers over the same window, when there are enough peers.
    public var peerMedian: Double?
    /// Why, in a sentence with the numbers.
    public var reason: String

    public init(
        storeID: Int64, kind: StoreAnomalyKind, productID: Int64? = nil, score: Double, baseline: Double, observed: Double,
        peerMedian: Double?, reason: String
    ) {
        self.storeID = storeID
        self.kind = kind
        self.productID = productID
        self.score = score
        self.baseline = baseline
        self.observed = observed
        self.peerMedian = peerMedian
        self.reason = reason
    }
}

/// Why a salesperson closed a task.
public enum ResolutionReason: String, Codable, Sendable, CaseIterable {
    case restocked
    case displayFixed = "display_fixed"
    case promotionRun = "promotion_run"
    case consumersActivated = "consumers_activated"
    case storeClosed = "store_closed"
    case competitor
    case seasonal
    case dataError = "data_error"
    case other
    /// Closed by the daily job: it no longer finds the alert's cause.
    case causeGone = "cause_gone"

    /// The reasons a person may give (the job alone closes an alert for its cause being gone).
    public static let manual: [ResolutionReason] = allCases.filter { $0 != .causeGone }
}

/// Where a task stands.
public enum TaskStatus: String, Codable, Sendable, CaseIterable {
    /// Raised, nobody has visited yet.
    case open
    /// A visit was made for it.
    case visited
    /// Closed with a reason.
    case resolved
}

/// Whether a resolved store came back to normal ("转化").
public enum ConversionOutcome: String, Codable, Sendable, CaseIterable {
    case pending
    case converted
    case notConverted = "not_converted"
}
