/// The AARRR path a consumer walks with a brand (获取-激活-留存-变现-推荐). Stages only go
/// forward: a consumer is at the furthest stage they have reached.
public enum LifecycleStage: String, Sendable, Codable, CaseIterable, Comparable {
    /// First genuine scan (获取).
    case acquired
    /// Signed in, or won a first reward (激活).
    case activated
    /// Scanned again within the brand's window after an earlier scan (留存).
    case retained
    /// Redeemed a mall coupon at a store, or spent points (变现).
    case revenue
    /// Brought someone who scanned (推荐).
    case referral

    /// Position on the path, from 0.
    public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (left: LifecycleStage, right: LifecycleStage) -> Bool { left.rank < right.rank }

    /// The stages after `from` up to and including `to` (every stage a move passes).
    public static func passed(from: LifecycleStage?, to: LifecycleStage) -> [LifecycleStage] {
        allCases.filter { stage in stage <= to && (from.map { stage > $0 } ?? true) }
    }
}

/// What moves a consumer into a stage.
public enum LifecycleCause: String, Sendable, Codable, CaseIterable {
    case firstScan = "first_scan"
    case signedIn = "signed_in"
    case firstReward = "first_reward"
    case repeatScan = "repeat_scan"
    case redeemed
    case pointsSpent = "points_spent"
    case referredScan = "referred_scan"

    /// The stage this cause moves a consumer into.
    public var stage: LifecycleStage {
        switch self {
        case .firstScan: .acquired
        case .signedIn, .firstReward: .activated
        case .repeatScan: .retained
        case .redeemed, .pointsSpent: .revenue
        case .referredScan: .referral
        }
    }
}

/// A brand's choices of what counts for each stage.
public struct LifecycleSettings: Sendable, Codable, Equatable {
    /// A repeat scan counts as retention when it comes within this many days of the one before.
    public var retainedWithinDays: Int64
    public var activateOnSignIn: Bool
    public var activateOnReward: Bool
    public var revenueOnRedemption: Bool
    public var revenueOnPointsSpent: Bool

    public static let daysRange: ClosedRange<Int64> = 1...365
    public static let standard = LifecycleSettings(
        retainedWithinDays: 30, activateOnSignIn: true, activateOnReward: true, revenueOnRedemption: true, revenueOnPointsSpent: false)

    public init(retainedWithinDays: Int64, activateOnSignIn: Bool, activateOnReward: Bool, revenueOnRedemption: Bool, revenueOnPointsSpent: Bool) {
        self.retainedWithinDays = retainedWithinDays
        self.activateOnSignIn = activateOnSignIn
        self.activateOnReward = activateOnReward
        self.revenueOnRedemption = revenueOnRedemption
        self.revenueOnPointsSpent = revenueOnPointsSpent
    }

    /// Whether `cause` counts under these settings.
    public func counts(_ cause: LifecycleCause) -> Bool {
        switch cause {
        case .firstScan, .repeatScan, .referredScan: true
        case .signedIn: activateOnSignIn
        case .firstReward: activateOnReward
        case .redeemed: revenueOnRedemption
        case .pointsSpent: revenueOnPointsSpent
        }
    }
}

/// Settings as a brand sends them: every field optional, checked by `validated()`.
public struct LifecycleSettingsInput: Sendable, Codable, Equatable {
    public var retainedWithinDays: Int64?
    public var activateOnSignIn: Bool?
    public var activateOnReward: Bool?
    public var revenueOnRedemption: Bool?
    public var revenueOnPointsSpent: Bool?

    public init(
        retainedWithinDays: Int64? = nil, activateOnSignIn: Bool? = nil, activateOnReward: Bool? = nil, revenueOnRedemption: Bool? = nil,
        revenueOnPointsSpent: Bool? = nil
    ) {
        self.retainedWithinDays = retainedWithinDays
        self.activateOnSignIn = activateOnSignIn
        self.activateOnReward = activateOnReward
        self.revenueOnRedemption = revenueOnRedemption
        self.revenueOnPointsSpent = revenueOnPointsSpent
    }

    /// The settings, or every broken rule: a window of 1…365 days, and each of activation and
    /// revenue reachable by at least one cause.
    public func validated() throws(ValidationError) -> LifecycleSettings {
        var v = Validator()
        let days = v.integer(retainedWithinDays, field: "retainedWithinDays", in: LifecycleSettings.daysRange)
        let settings = LifecycleSettings(
            retainedWithinDays: days, activateOnSignIn: activateOnSignIn ?? false, activateOnReward: activateOnReward ?? false,
            revenueOnRedemption: revenueOnRedemption ?? false, revenueOnPointsSpent: revenueOnPointsSpent ?? false)
        if !settings.activateOnSignIn && !settings.activateOnReward {
            v.add(FieldError(field: "activateOnSignIn", code: "unreachable_stage", message: "activation needs sign-in, a reward or both"))
        }
        if !settings.revenueOnRedemption && !settings.revenueOnPointsSpent {
            v.add(FieldError(field: "revenueOnRedemption", code: "unreachable_stage", message: "revenue needs a redemption, points spent or both"))
        }
        try v.check()
        return settings
    }
}

/// What a consumer did, as the lifecycle reads it (milliseconds; nil: never).
public struct LifecycleFacts: Sendable, Equatable {
    /// Their genuine scans' times, any order.
    public var scans: [Int64]
    public var signedInAt: Int64?
    public var firstRewardAt: Int64?
    public var firstRedemptionAt: Int64?
    public var firstPointsSpentAt: Int64?
    /// When someone they brought first scanned.
    public var firstReferredScanAt: Int64?

    public init(
        scans: [Int64], signedInAt: Int64? = nil, firstRewardAt: Int64? = nil, firstRedemptionAt: Int64? = nil, firstPointsSpentAt: Int64? = nil,
        firstReferredScanAt: Int64? = nil
    ) {
        self.scans = scans
        self.signedInAt = signedInAt
        self.firstRewardAt = firstRewardAt
        self.firstRedemptionAt = firstRedemptionAt
        self.firstPointsSpentAt = firstPointsSpentAt
        self.firstReferredScanAt = firstReferredScanAt
    }
}

/// One move along the path.
public struct LifecycleTransition: Sendable, Equatable, Codable {
    /// Nil for the first move (into `acquired`).
    public var from: LifecycleStage?
    public var to: LifecycleStage
    public var cause: LifecycleCause
    public var at: Int64

    public init(from: LifecycleStage?, to: LifecycleStage, cause: LifecycleCause, at: Int64) {
        self.from = from
        self.to = to
        self.cause = cause
        self.at = at
    }
}

/// The lifecycle's rules: pure functions of what a consumer did.
public enum Lifecycle {
    /// Two scans closer than this are one purchase (a case of bottles opened together), not a return.
    public static let samePurchase: Int64 = 12 * 3_600_000
    public static let day: Int64 = 86_400_000

    /// When each cause first happened under `settings`. Nothing counts before the first scan: a
    /// consumer who signed in before scanning is activated the moment they are acquired.
    public static func milestones(_ facts: LifecycleFacts, settings: LifecycleSettings) -> [(cause: LifecycleCause, at: Int64)] {
        let scans = facts.scans.sorted()
        guard let first = scans.first else { return [] }
        var found: [(LifecycleCause, Int64)] = [(.firstScan, first)]
        let window = settings.retainedWithinDays * day
        for (earlier, later) in zip(scans, scans.dropFirst()) where later - earlier >= samePurchase && later - earlier <= window {
            found.append((.repeatScan, later))
            break
        }
        let others: [(LifecycleCause, Int64?)] = [
            (.signedIn, facts.signedInAt), (.firstReward, facts.firstRewardAt), (.redeemed, facts.firstRedemptionAt),
            (.pointsSpent, facts.firstPointsSpentAt), (.referredScan, facts.firstReferredScanAt),
        ]
        for (cause, at) in others {
            if let at, settings.counts(cause) { found.append((cause, max(at, first))) }
        }
        return found.sorted { ($0.1, $0.0.stage) < ($1.1, $1.0.stage) }.map { (cause: $0.0, at: $0.1) }
    }

    /// The moves a consumer now at `current` (nil: not acquired yet) makes: in time order, each
    /// milestone that reaches further than where they are.
    public static func advance(from current: LifecycleStage?, facts: LifecycleFacts, settings: LifecycleSettings) -> [LifecycleTransition] {
        var stage = current
        var moves: [LifecycleTransition] = []
        for milestone in milestones(facts, settings: settings) where stage.map({ milestone.cause.stage > $0 }) ?? true {
            moves.append(LifecycleTransition(from: stage, to: milestone.cause.stage, cause: milestone.cause, at: milestone.at))
            stage = milestone.cause.stage
        }
        return moves
    }

    /// The Monday-based week (since 1970) of a business day number (1970-01-01 was a Thursday).
    public static func week(ofDay day: Int64) -> Int64 {
        let shifted = day + 3
        return shifted >= 0 ? shifted / 7 : (shifted - 6) / 7
    }

    /// The business day a week starts on (its Monday).
    public static func firstDay(ofWeek week: Int64) -> Int64 { week * 7 - 3 }

    /// The weeks since their first scan's week in which a consumer scanned (0: the first week).
    public static func activeWeeks(scans: [Int64], acquiredAt: Int64) -> Set<Int64> {
        let start = week(ofDay: BusinessDay.day(ofMillis: acquiredAt))
        return Set(scans.filter { $0 >= acquiredAt }.map { week(ofDay: BusinessDay.day(ofMillis: $0)) - start })
    }
}

/// The funnel of a period: of the consumers acquired in it, how many reached each stage since;
/// and how many consumers reached each stage within it.
public struct LifecycleFunnel: Sendable, Equatable {
    /// Business days, first and last included.
    public var days: ClosedRange<Int64>
    public var reached: [LifecycleStage: Int64] = [:]
    public var moved: [LifecycleStage: Int64] = [:]

    public init(days: ClosedRange<Int64>) { self.days = days }

    /// The share of the stage before `stage` that went on to reach it (nil for the first stage or
    /// when nobody reached the one before).
    public func conversion(into stage: LifecycleStage) -> Double? {
        guard stage.rank > 0 else { return nil }
        let before = reached[LifecycleStage.allCases[stage.rank - 1]] ?? 0
        guard before > 0 else { return nil }
        return Double(reached[stage] ?? 0) / Double(before)
    }
}

/// The consumers who first scanned in one week, and how many of them scanned in each week since.
public struct LifecycleCohort: Sendable, Equatable {
    /// The cohort's week (`Lifecycle.week(ofDay:)`).
    public var week: Int64
    public var consumers: Int64
    /// Consumers of the cohort who scanned in its week 0, 1, 2, … up to the last week shown.
    public var active: [Int64]

    /// Weeks a cohort table shows at most.
    public static let maxWeeks: Int64 = 26

    /// A cohort from its counts by week offset, shown through week `lastWeek`.
    public init(week: Int64, active byOffset: [Int64: Int64], lastWeek: Int64) {
        self.week = week
        consumers = byOffset[0] ?? 0
        let shown = max(0, min(lastWeek - week + 1, Self.maxWeeks))
        active = (0..<shown).map { byOffset[$0] ?? 0 }
    }

    /// The share of the cohort that scanned in week `offset` (nil when the cohort is empty or the week not shown).
    public func retention(week offset: Int) -> Double? {
        guard consumers > 0, active.indices.contains(offset) else { return nil }
        return Double(active[offset]) / Double(consumers)
    }
}

extension IdentityKind {
    /// The kinds a consumer holds once they signed in (WeChat or a texted code).
    public static let signedIn: [IdentityKind] = [.openid, .unionid, .phone]
}
