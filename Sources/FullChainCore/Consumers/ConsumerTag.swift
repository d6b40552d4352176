/// What a rule tag looks at in a consumer's history.
public enum TagRuleKind: String, Sendable, Codable, CaseIterable {
    /// At least `atLeast` scans (of a product, at a store, in a region; within `days` when given).
    case scans
    /// A scan once, then none for `days` days.
    case idle
    /// The first scan within the last `days` days.
    case newcomer
    /// At least `atLeast` rewards won (within `days` when given).
    case rewards
    /// At least `atLeast` points spent in the points mall.
    case pointsSpent = "points_spent"
}

/// A rule that puts a tag on the consumers whose history meets it, kept current as scans,
/// rewards and mall takes arrive (and as time passes, for rules with a window).
public struct TagRule: Sendable, Equatable, Codable {
    public var kind: TagRuleKind
    public var atLeast: Int64
    /// The window (scans, rewards) or the span (idle, newcomer), in days.
    public var days: Int64?
    public var productID: Int64?
    public var storeID: Int64?
    /// Scans at stores in this region or below it (12-digit code).
    public var regionCode: String?

    public init(
        kind: TagRuleKind, atLeast: Int64 = 1, days: Int64? = nil, productID: Int64? = nil, storeID: Int64? = nil, regionCode: String? = nil
    ) {
        self.kind = kind
        self.atLeast = atLeast
        self.days = days
        self.productID = productID
        self.storeID = storeID
        self.regionCode = regionCode
    }

    public static let day: Int64 = 86_400_000
    /// The largest `atLeast` of a scan or reward count (a profile's facts hold its latest scans up to it).
    public static let maxCount: Int64 = 1_000
    public static let maxPoints: Int64 = 100_000_000
    public static let maxDays: Int64 = 3_650
}

/// What a profile did, as the tag rules read it.
public struct ConsumerFacts: Sendable, Equatable {
    public struct Scan: Sendable, Equatable {
        public var at: Int64
        public var productID: Int64?
        public var storeID: Int64?
        public var regionCode: String?

        public init(at: Int64, productID: Int64?, storeID: Int64?, regionCode: String?) {
            self.at = at
            self.productID = productID
            self.storeID = storeID
            self.regionCode = regionCode
        }
    }
    /// The latest scans, at most `TagRule.maxCount`.
    public var scans: [Scan]
    public var firstScanAt: Int64?
    public var lastScanAt: Int64?
    /// When each reward was won (the latest, at most `TagRule.maxCount`).
    public var rewardsAt: [Int64]
    public var pointsSpent: Int64

    public init(scans: [Scan], firstScanAt: Int64?, lastScanAt: Int64?, rewardsAt: [Int64], pointsSpent: Int64) {
        self.scans = scans
        self.firstScanAt = firstScanAt
        self.lastScanAt = lastScanAt
        self.rewardsAt = rewardsAt
        self.pointsSpent = pointsSpent
    }

    /// A profile that did nothing (merged away, or no person's identity left).
    public static let none = ConsumerFacts(scans: [], firstScanAt: nil, lastScanAt: nil, rewardsAt: [], pointsSpent: 0)
}

/// Whether a rule holds now, and when it must be asked again though nothing new happened
/// (a scan leaves the window, an idle span runs out); nil: only a new event can change it.
public struct TagVerdict: Sendable, Equatable {
    public var matches: Bool
    public var recheckAt: Int64?

    public init(matches: Bool, recheckAt: Int64?) {
        self.matches = matches
        self.recheckAt = recheckAt
    }
}

extension TagRule {
    /// The rule applied to a profile's facts at `now` (milliseconds).
    public func evaluate(_ facts: ConsumerFacts, now: Int64) -> TagVerdict {
        switch kind {
        case .scans:
            let times = facts.scans.filter(matchesPlace).map(\.at)
            return Self.count(times, atLeast: atLeast, days: days, now: now)
        case .rewards:
            return Self.count(facts.rewardsAt, atLeast: atLeast, days: days, now: now)
        case .pointsSpent:
            return TagVerdict(matches: facts.pointsSpent >= atLeast, recheckAt: nil)
        case .idle:
            guard let last = facts.lastScanAt else { return TagVerdict(matches: false, recheckAt: nil) }
            let end = last + (days ?? 0) * Self.day
            return now >= end ? TagVerdict(matches: true, recheckAt: nil) : TagVerdict(matches: false, recheckAt: end)
        case .newcomer:
            guard let first = facts.firstScanAt else { return TagVerdict(matches: false, recheckAt: nil) }
            let end = first + (days ?? 0) * Self.day
            return now < end ? TagVerdict(matches: true, recheckAt: end) : TagVerdict(matches: false, recheckAt: nil)
        }
    }

    /// Whether a scan was of the rule's product, at its store, in its region (those it names).
    func matchesPlace(_ scan: ConsumerFacts.Scan) -> Bool {
        if let productID, scan.productID != productID { return false }
        if let storeID, scan.storeID != storeID { return false }
        if let regionCode {
            guard let code = scan.regionCode, code.hasPrefix(Region.prefix(ofCode: regionCode)) else { return false }
        }
        return true
    }

    /// At least `atLeast` of `times` within the last `days` (all of them without a window); while
    /// it holds in a window, it holds until the `atLeast`-th latest leaves it.
    static func count(_ times: [Int64], atLeast: Int64, days: Int64?, now: Int64) -> TagVerdict {
        let needed = Int(clamping: max(1, atLeast))
        guard let days else { return TagVerdict(matches: times.count >= needed, recheckAt: nil) }
        let start = now - days * day
        let inside = times.filter { $0 > start && $0 <= now }.sorted(by: >)
        guard inside.count >= needed else { return TagVerdict(matches: false, recheckAt: nil) }
        return TagVerdict(matches: true, recheckAt: inside[needed - 1] + days * day)
    }
}

/// A tag as the brand defines it: by a rule, or put on by hand (no rule).
public struct TagDraft: Sendable, Equatable {
    public var name: String
    public var description: String
    public var rule: TagRule?

    public init(name: String, description: String, rule: TagRule?) {
        self.name = name
        self.description = description
        self.rule = rule
    }
}

/// A tag as stored: who owns it, how many consumers carry it, and whether it is still being put
/// on the consumers there were before it.
public struct ConsumerTag: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var description: String
    /// The user who defined it.
    public var owner: String
    /// nil: a manual tag.
    public var rule: TagRule?
    public var members: Int64
    /// Whether the existing consumers are all evaluated (a new rule tag is put on them in batches).
    public var current: Bool
    public var createdAt: Int64

    public init(
        id: Int64, name: String, description: String, owner: String, rule: TagRule?, members: Int64, current: Bool, createdAt: Int64
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.owner = owner
        self.rule = rule
        self.members = members
        self.current = current
        self.createdAt = createdAt
    }
}

/// A tag on one consumer: since when, and who put it on (nil: its rule).
public struct ProfileTag: Sendable, Equatable, Codable {
    public var tagID: Int64
    public var name: String
    public var manual: Bool
    public var since: Int64
    public var by: String?

    public init(tagID: Int64, name: String, manual: Bool, since: Int64, by: String?) {
        self.tagID = tagID
        self.name = name
        self.manual = manual
        self.since = since
        self.by = by
    }
}

/// What the brand sends to define a tag: `rule` absent or null for a manual tag.
public struct TagInput: Sendable, Codable {
    public struct Rule: Sendable, Codable {
        public var kind: String?
        public var atLeast: Int64?
        public var days: Int64?
        public var productID: Int64?
        public var storeID: Int64?
        public var regionCode: String?

        public init(
            kind: String?, atLeast: Int64? = nil, days: Int64? = nil, productID: Int64? = nil, storeID: Int64? = nil, regionCode: String? = nil
        ) {
            self.kind = kind
            self.atLeast = atLeast
            self.days = days
            self.productID = productID
            self.storeID = storeID
            self.regionCode = regionCode
        }
    }
    public var name: String?
    public var description: String?
    public var rule: Rule?

    public init(name: String?, description: String?, rule: Rule?) {
        self.name = name
        self.description = description
        self.rule = rule
    }

    /// A checked draft, or every rule the input broke. Whether the product and store exist is
    /// the caller's to check.
    public func validated() throws(ValidationError) -> TagDraft {
        var v = Validator()
        let name = v.text(name, field: "name", maxLength: 40)
        let description = v.optionalText(description, field: "description", maxLength: 200) ?? ""
        guard let input = rule else {
            try v.check()
            return TagDraft(name: name, description: description, rule: nil)
        }
        let kind = input.kind.flatMap(TagRuleKind.init(rawValue:))
        if kind == nil {
            v.add(FieldError(field: "rule.kind", code: "invalid_choice", message: "rule.kind is scans, idle, newcomer, rewards or points_spent"))
        }
        var rule = TagRule(kind: kind ?? .scans)
        switch kind {
        case .scans, .rewards:
            rule.atLeast = v.integer(input.atLeast ?? 1, field: "rule.atLeast", in: 1...TagRule.maxCount)
            if let days = input.days { rule.days = v.integer(days, field: "rule.days", in: 1...TagRule.maxDays) }
        case .pointsSpent:
            rule.atLeast = v.integer(input.atLeast, field: "rule.atLeast", in: 1...TagRule.maxPoints)
        case .idle, .newcomer:
            rule.days = v.integer(input.days, field: "rule.days", in: 1...TagRule.maxDays)
        case nil:
            break
        }
        if kind == .scans {
            if let product = input.productID { rule.productID = v.integer(product, field: "rule.productID", in: 1...Int64.max) }
            if let store = input.storeID { rule.storeID = v.integer(store, field: "rule.storeID", in: 1...Int64.max) }
            if let region = input.regionCode {
                if Region.level(ofCode: region) == nil {
                    v.add(FieldError(field: "rule.regionCode", code: "invalid_region", message: "rule.regionCode is a 12-digit region code"))
                } else {
                    rule.regionCode = region
                }
            }
        } else {
            for (field, value) in [("rule.productID", input.productID), ("rule.storeID", input.storeID)] where value != nil {
                v.add(FieldError(field: field, code: "not_applicable", message: "\(field) applies to scan rules only"))
            }
            if input.regionCode != nil {
                v.add(FieldError(field: "rule.regionCode", code: "not_applicable", message: "rule.regionCode applies to scan rules only"))
            }
        }
        try v.check()
        return TagDraft(name: name, description: description, rule: rule)
    }
}
