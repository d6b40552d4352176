/// What the scan path knows about a scan when it judges the risk of rewarding it (防羊毛党).
public struct RiskSignals: Sendable, Equatable {
    /// Which of the scan's subjects are on the brand's blacklist (`device`, `ip`, `openid`, `phone`).
    public var blacklisted: [String]
    /// Consumer scans from this device in the last hour, this one included.
    public var deviceScansLastHour: Int
    /// Distinct consumers seen on this device, and behind this IP address, today.
    public var consumersOnDevice: Int
    public var consumersOnIP: Int
    /// Distinct code batches this consumer scanned today (codes harvested from many places).
    public var batchesByConsumer: Int
    /// The speed (km/h) the consumer would have travelled since their previous scan, when both were located.
    public var travelKmh: Double?

    public init(
        blacklisted: [String] = [], deviceScansLastHour: Int = 1, consumersOnDevice: Int = 1, consumersOnIP: Int = 1,
        batchesByConsumer: Int = 1, travelKmh: Double? = nil
    ) {
        self.blacklisted = blacklisted
        self.deviceScansLastHour = deviceScansLastHour
        self.consumersOnDevice = consumersOnDevice
        self.consumersOnIP = consumersOnIP
        self.batchesByConsumer = batchesByConsumer
        self.travelKmh = travelKmh
    }
}

/// A scan's risk: a score with the reasons that make it up; rewards of held scans wait for review.
public struct RiskAssessment: Sendable, Equatable, Codable {
    public var score: Int
    public var reasons: [String]
    public var held: Bool

    public init(score: Int, reasons: [String], held: Bool) {
        self.score = score
        self.reasons = reasons
        self.held = held
    }

    public static let clean = RiskAssessment(score: 0, reasons: [], held: false)
}

/// The brand's risk thresholds and how much each signal weighs.
public struct RiskRules: Sendable, Equatable, Codable {
    public var deviceScansPerHour: Int
    public var consumersPerDevice: Int
    public var consumersPerIP: Int
    public var batchesPerConsumerPerDay: Int
    /// Faster than this between two scans is impossible travel (a plane flies about 900 km/h).
    public var maxTravelKmh: Double
    /// A score at or above this holds the scan's cash reward for review.
    public var holdScore: Int

    public init(
        deviceScansPerHour: Int = 30, consumersPerDevice: Int = 3, consumersPerIP: Int = 20, batchesPerConsumerPerDay: Int = 5,
        maxTravelKmh: Double = 1_000, holdScore: Int = 50
    ) {
        self.deviceScansPerHour = deviceScansPerHour
        self.consumersPerDevice = consumersPerDevice
        self.consumersPerIP = consumersPerIP
        self.batchesPerConsumerPerDay = batchesPerConsumerPerDay
        self.maxTravelKmh = maxTravelKmh
        self.holdScore = holdScore
    }

    /// Scores the signals: each rule broken adds its weight and names its reason.
    public func assess(_ signals: RiskSignals) -> RiskAssessment {
        var score = 0
        var reasons: [String] = []
        func add(_ weight: Int, _ reason: String) {
            score += weight
            reasons.append(reason)
        }
        for kind in signals.blacklisted.sorted() { add(100, "blacklisted_\(kind)") }
        if signals.deviceScansLastHour > deviceScansPerHour { add(50, "device_velocity") }
        if signals.consumersOnDevice > consumersPerDevice { add(50, "shared_device") }
        if signals.consumersOnIP > consumersPerIP { add(30, "shared_ip") }
        if signals.batchesByConsumer > batchesPerConsumerPerDay { add(40, "harvested_codes") }
        if let speed = signals.travelKmh, speed > maxTravelKmh { add(60, "impossible_travel") }
        return RiskAssessment(score: score, reasons: reasons, held: score >= holdScore)
    }
}
