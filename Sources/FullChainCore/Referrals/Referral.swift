/// A consumer's invite code: eight Crockford base-32 characters, one per consumer and brand.
public enum InviteCode {
    public static let length = 8

    public static func make() -> String {
        var random = SystemRandomNumberGenerator()
        return String(decoding: (0..<length).map { _ in CrockfordBase32.alphabet[Int.random(in: 0..<32, using: &random)] }, as: UTF8.self)
    }

    /// The code in canonical form (upper case), or nil when it is not one.
    public static func parse(_ text: String) -> String? {
        let upper = text.uppercased()
        guard upper.utf8.count == length, upper.utf8.allSatisfy({ CrockfordBase32.alphabet.contains($0) }) else { return nil }
        return upper
    }
}

/// Where a referral stands: counted (it moves the lifecycle and the KOC score), held for HQ's
/// review as likely farming, or rejected by HQ.
public enum ReferralStatus: String, Sendable, Codable, CaseIterable {
    case counted
    case held
    case rejected
}

/// Why a referral looks farmed.
public enum ReferralHoldReason: String, Sendable, Codable, CaseIterable {
    /// The referrer brought themselves: the same person, or a phone they used.
    case selfReferral = "self_referral"
    /// The phone scanned for another consumer the same referrer brought.
    case sharedDevice = "shared_device"
    /// Many of the referrer's newcomers came from one network address within a day.
    case ipCluster = "ip_cluster"
    /// The newcomer brought the referrer (directly or through one more person): a ring.
    case ring
}

/// What is known around a new referral when it happens.
public struct ReferralEvidence: Sendable, Equatable {
    /// The referrer and the newcomer are one profile.
    public var sameProfile: Bool
    /// Whether the newcomer's phone is one the referrer scanned or signed in with.
    public var referrersDevice: Bool
    /// Whether the newcomer's phone already scanned for another newcomer of the same referrer.
    public var deviceSeenInTheirReferrals: Bool
    /// The referrer's newcomers from the same network address in the day before.
    public var sameAddressLastDay: Int
    /// Whether the newcomer is among those who brought the referrer, up to two steps back.
    public var newcomerBroughtReferrer: Bool

    public init(
        sameProfile: Bool = false, referrersDevice: Bool = false, deviceSeenInTheirReferrals: Bool = false, sameAddressLastDay: Int = 0,
        newcomerBroughtReferrer: Bool = false
    ) {
        self.sameProfile = sameProfile
        self.referrersDevice = referrersDevice
        self.deviceSeenInTheirReferrals = deviceSeenInTheirReferrals
        self.sameAddressLastDay = sameAddressLastDay
        self.newcomerBroughtReferrer = newcomerBroughtReferrer
    }
}

/// The referral-farming rules.
public enum ReferralRisk {
    /// Newcomers of one referrer from one address within a day before it looks like a cluster.
    public static let addressLimit = 3

    /// Why a referral should wait for review; none: it counts.
    public static func reasons(_ evidence: ReferralEvidence) -> [ReferralHoldReason] {
        var reasons: [ReferralHoldReason] = []
        if evidence.sameProfile || evidence.referrersDevice { reasons.append(.selfReferral) }
        if evidence.deviceSeenInTheirReferrals { reasons.append(.sharedDevice) }
        if evidence.sameAddressLastDay >= addressLimit { reasons.append(.ipCluster) }
        if evidence.newcomerBroughtReferrer { reasons.append(.ring) }
        return reasons
    }
}

/// One consumer brought by another: who, at which store, with which product, and whether it counts.
public struct Referral: Sendable, Equatable, Codable {
    public var id: Int64
    /// Wallet pseudonyms (never a person's identity).
    public var referrer: String
    public var referred: String
    public var storeID: Int64?
    public var sku: String?
    public var at: Int64
    public var status: ReferralStatus
    public var reasons: [ReferralHoldReason]

    public init(
        id: Int64, referrer: String, referred: String, storeID: Int64?, sku: String?, at: Int64, status: ReferralStatus, reasons: [ReferralHoldReason]
    ) {
        self.id = id
        self.referrer = referrer
        self.referred = referred
        self.storeID = storeID
        self.sku = sku
        self.at = at
        self.status = status
        self.reasons = reasons
    }
}

/// What makes a key opinion consumer (KOC): the newcomers they brought who scanned, how many of
/// those came back, and the newcomers those brought in turn (reach two steps out).
public struct KOCFigures: Sendable, Equatable {
    public var invited: Int
    public var repeaters: Int
    public var secondHop: Int

    /// Newcomers needed, and score, to be called a KOC.
    public static let minInvited = 3
    public static let minScore = 5.0

    public init(invited: Int, repeaters: Int, secondHop: Int) {
        self.invited = invited
        self.repeaters = repeaters
        self.secondHop = secondHop
    }

    /// The share of newcomers who scanned again.
    public var repeatRate: Double { invited > 0 ? Double(min(repeaters, invited)) / Double(invited) : 0 }

    /// Newcomers count once, twice when they come back; each newcomer of a newcomer counts half.
    public var score: Double { Double(invited) * (1 + repeatRate) + 0.5 * Double(secondHop) }

    public var isKOC: Bool { invited >= Self.minInvited && score >= Self.minScore }
}

/// How many of a store's consumers are KOCs, as a tag on the store's profile.
public enum KOCDensity: String, Sendable, Codable, CaseIterable {
    case none
    case low
    case medium
    case high

    /// KOCs per hundred consumers at or above which density is high, medium.
    public static let highPerHundred = 2.0
    public static let mediumPerHundred = 0.5

    public static func of(kocs: Int, consumers: Int) -> KOCDensity {
        guard kocs > 0, consumers > 0 else { return .none }
        let perHundred = Double(kocs) * 100 / Double(consumers)
        if perHundred >= highPerHundred { return .high }
        if perHundred >= mediumPerHundred { return .medium }
        return .low
    }
}

/// The brand's referral rewards as HQ sets them: points per counted newcomer, and points added to
/// the budget they are paid from (nothing is paid once it is spent).
public struct ReferralProgrammeInput: Sendable, Codable, Equatable {
    public var rewardPoints: Int64?
    public var addBudgetPoints: Int64?

    public static let rewardRange: ClosedRange<Int64> = 0...10_000
    public static let budgetRange: ClosedRange<Int64> = 0...100_000_000

    public init(rewardPoints: Int64?, addBudgetPoints: Int64? = nil) {
        self.rewardPoints = rewardPoints
        self.addBudgetPoints = addBudgetPoints
    }

    /// The reward and the points to add, or every field out of range.
    public func validated() throws(ValidationError) -> (rewardPoints: Int64, addBudgetPoints: Int64) {
        var v = Validator()
        let reward = v.integer(rewardPoints, field: "rewardPoints", in: Self.rewardRange)
        let add = v.integer(addBudgetPoints ?? 0, field: "addBudgetPoints", in: Self.budgetRange)
        try v.check()
        return (reward, add)
    }
}
