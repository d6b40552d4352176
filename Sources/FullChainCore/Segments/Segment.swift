/// Whether a segment's terms must all hold or any one.
public enum SegmentMatch: String, Sendable, Codable, CaseIterable {
    case all
    case any
}

/// The kinds of condition a segment combines.
public enum SegmentConditionKind: String, Sendable, Codable, CaseIterable {
    /// Carries a tag.
    case tag
    /// Is at a lifecycle stage.
    case stage
    /// Their store (BC association) is in a region or below it.
    case region
    /// Their store is this one.
    case store
    /// Signed in (WeChat or a texted code).
    case verified
    /// Scanned (a product) at least `atLeast` times in the last `days` days.
    case scanned
    /// Redeemed a points-mall coupon at a store in the last `days` days.
    case redeemed
    /// A nested group with a match of its own.
    case group
}

/// One condition of a segment.
public indirect enum SegmentCondition: Sendable, Equatable, Hashable {
    case tag(Int64)
    case stage(ConsumerStage)
    /// A 12-digit region code; a store matches when its region is this one or below it.
    case region(String)
    case store(Int64)
    case verified
    case scanned(productID: Int64?, atLeast: Int64, days: Int64)
    case redeemed(days: Int64)
    case group(SegmentRule)

    /// Whether it reads events in a window (answered from the events, not the index).
    public var readsEvents: Bool {
        switch self {
        case .scanned, .redeemed: true
        default: false
        }
    }
}

/// A condition, or its negation.
public struct SegmentTerm: Sendable, Equatable, Hashable {
    public var condition: SegmentCondition
    public var negate: Bool

    public init(_ condition: SegmentCondition, negate: Bool = false) {
        self.condition = condition
        self.negate = negate
    }
}

/// A boolean combination of tags, attributes and event conditions: who is in a segment.
public struct SegmentRule: Sendable, Equatable, Hashable {
    public var match: SegmentMatch
    public var terms: [SegmentTerm]

    public init(match: SegmentMatch, terms: [SegmentTerm]) {
        self.match = match
        self.terms = terms
    }

    public static let maxTerms = 20
    public static let maxDepth = 4
    public static let maxConditions = 50
    public static let maxDays: Int64 = 365
    public static let maxCount: Int64 = 1_000

    /// Whether it names a set smaller than everyone: some term that holds only for the people a
    /// condition names (a rule made only of NOTs would take in every consumer the brand will ever have).
    public var isBounded: Bool {
        switch match {
        case .all: terms.contains { !$0.negate && Self.bounded($0.condition) }
        case .any: !terms.isEmpty && terms.allSatisfy { !$0.negate && Self.bounded($0.condition) }
        }
    }

    private static func bounded(_ condition: SegmentCondition) -> Bool {
        if case .group(let rule) = condition { return rule.isBounded }
        return true
    }

    /// Every condition it names, nested groups' too.
    public var conditions: [SegmentCondition] {
        terms.flatMap { term -> [SegmentCondition] in
            if case .group(let rule) = term.condition { return rule.conditions }
            return [term.condition]
        }
    }

    /// The members among `everyone`, each condition answered by `members` (a superset of
    /// everyone's members is fine: the answer is cut to everyone).
    public func evaluate(
        everyone: RoaringBitmap, members: (SegmentCondition) async throws -> RoaringBitmap
    ) async rethrows -> RoaringBitmap {
        var positives: [RoaringBitmap] = [], negatives: [RoaringBitmap] = []
        for term in terms {
            let set: RoaringBitmap
            if case .group(let rule) = term.condition {
                set = try await rule.evaluate(everyone: everyone, members: members)
            } else {
                set = try await members(term.condition)
            }
            if term.negate { negatives.append(set) } else { positives.append(set) }
        }
        switch match {
        case .all:
            var result = everyone
            for set in positives.sorted(by: { $0.keys.count < $1.keys.count }) { result = result.intersection(set) }
            for set in negatives { result = result.subtracting(set) }
            return result
        case .any:
            var result = RoaringBitmap.union(positives).intersection(everyone)
            for set in negatives { result = result.union(everyone.subtracting(set)) }
            return result
        }
    }
}

/// A segment as the brand saved it.
public struct Segment: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var description: String
    public var owner: String
    public var rule: SegmentRuleInput
    public var createdAt: Int64

    public init(id: Int64, name: String, description: String, owner: String, rule: SegmentRuleInput, createdAt: Int64) {
        self.id = id
        self.name = name
        self.description = description
        self.owner = owner
        self.rule = rule
        self.createdAt = createdAt
    }
}

/// A segment to save, checked.
public struct SegmentDraft: Sendable, Equatable {
    public var name: String
    public var description: String
    public var rule: SegmentRule

    public init(name: String, description: String, rule: SegmentRule) {
        self.name = name
        self.description = description
        self.rule = rule
    }
}

/// A segment's rule as it arrives (JSON, or the editor's rows) and as it is stored.
public struct SegmentRuleInput: Sendable, Codable, Equatable {
    public struct Condition: Sendable, Codable, Equatable {
        public var kind: String?
        public var negate: Bool?
        public var tagID: Int64?
        public var stage: String?
        public var regionCode: String?
        public var storeID: Int64?
        public var productID: Int64?
        public var atLeast: Int64?
        public var days: Int64?
        /// A group's own rule.
        public var rule: SegmentRuleInput?

        public init(
            kind: String?, negate: Bool? = nil, tagID: Int64? = nil, stage: String? = nil, regionCode: String? = nil, storeID: Int64? = nil,
            productID: Int64? = nil, atLeast: Int64? = nil, days: Int64? = nil, rule: SegmentRuleInput? = nil
        ) {
            self.kind = kind
            self.negate = negate
            self.tagID = tagID
            self.stage = stage
            self.regionCode = regionCode
            self.storeID = storeID
            self.productID = productID
            self.atLeast = atLeast
            self.days = days
            self.rule = rule
        }
    }
    public var match: String?
    public var conditions: [Condition]?

    public init(match: String?, conditions: [Condition]?) {
        self.match = match
        self.conditions = conditions
    }

    /// The checked rule, or every way the input breaks the rules (fields named by path, e.g.
    /// `rule.conditions[1].days`). Whether the tags, stores and products exist is the caller's to check.
    public func validated(field: String = "rule") throws(ValidationError) -> SegmentRule {
        var v = Validator()
        var count = 0
        let rule = parse(field: field, depth: 1, count: &count, v: &v)
        if count > SegmentRule.maxConditions {
            v.add(FieldError(field: field, code: "too_long", message: "a segment has at most \(SegmentRule.maxConditions) conditions"))
        }
        if v.errors.isEmpty, !rule.isBounded {
            v.add(
                FieldError(
                    field: field, code: "unbounded",
                    message: "a segment needs a condition that names whom it takes in, not only whom it leaves out"))
        }
        try v.check()
        return rule
    }

    private func parse(field: String, depth: Int, count: inout Int, v: inout Validator) -> SegmentRule {
        let match = match.flatMap(SegmentMatch.init(rawValue:))
        if match == nil { v.add(FieldError(field: "\(field).match", code: "invalid_choice", message: "match is all or any")) }
        let inputs = conditions ?? []
        if inputs.isEmpty {
            v.add(FieldError(field: "\(field).conditions", code: "required", message: "a rule needs a condition"))
        } else if inputs.count > SegmentRule.maxTerms {
            v.add(FieldError(field: "\(field).conditions", code: "too_long", message: "a rule has at most \(SegmentRule.maxTerms) conditions"))
        }
        var terms: [SegmentTerm] = []
        for (index, input) in inputs.prefix(SegmentRule.maxTerms).enumerated() {
            count += 1
            let path = "\(field).conditions[\(index)]"
            if let condition = input.parse(field: path, depth: depth, count: &count, v: &v) {
                terms.append(SegmentTerm(condition, negate: input.negate ?? false))
            }
        }
        return SegmentRule(match: match ?? .all, terms: terms)
    }

    /// The input form of a checked rule.
    public init(_ rule: SegmentRule) {
        match = rule.match.rawValue
        conditions = rule.terms.map { term in
            var c = Condition(kind: nil, negate: term.negate ? true : nil)
            switch term.condition {
            case .tag(let id): (c.kind, c.tagID) = ("tag", id)
            case .stage(let stage): (c.kind, c.stage) = ("stage", stage.rawValue)
            case .region(let code): (c.kind, c.regionCode) = ("region", code)
            case .store(let id): (c.kind, c.storeID) = ("store", id)
            case .verified: c.kind = "verified"
            case .scanned(let product, let atLeast, let days): (c.kind, c.productID, c.atLeast, c.days) = ("scanned", product, atLeast, days)
            case .redeemed(let days): (c.kind, c.days) = ("redeemed", days)
            case .group(let inner): (c.kind, c.rule) = ("group", SegmentRuleInput(inner))
            }
            return c
        }
    }
}

extension SegmentRuleInput.Condition {
    fileprivate func parse(field: String, depth: Int, count: inout Int, v: inout Validator) -> SegmentCondition? {
        guard let kind = kind.flatMap(SegmentConditionKind.init(rawValue:)) else {
            let kinds = SegmentConditionKind.allCases.map(\.rawValue).joined(separator: ", ")
            v.add(FieldError(field: "\(field).kind", code: "invalid_choice", message: "kind is one of \(kinds)"))
            return nil
        }
        let before = v.errors.count
        let condition: SegmentCondition
        switch kind {
        case .tag:
            condition = .tag(v.integer(tagID, field: "\(field).tagID", in: 1...Int64.max))
        case .stage:
            let stage = stage.flatMap(ConsumerStage.init(rawValue:))
            if stage == nil {
                v.add(FieldError(field: "\(field).stage", code: "invalid_choice", message: "stage is new, active, loyal, dormant or lost"))
            }
            condition = .stage(stage ?? .new)
        case .region:
            if regionCode == nil {
                v.add(FieldError(field: "\(field).regionCode", code: "required", message: "a region condition names a region"))
            } else if let code = regionCode, Region.level(ofCode: code) == nil {
                v.add(FieldError(field: "\(field).regionCode", code: "invalid_region", message: "regionCode is a 12-digit region code"))
            }
            condition = .region(regionCode ?? "")
        case .store:
            condition = .store(v.integer(storeID, field: "\(field).storeID", in: 1...Int64.max))
        case .verified:
            condition = .verified
        case .scanned:
            let product = productID.map { v.integer($0, field: "\(field).productID", in: 1...Int64.max) }
            condition = .scanned(
                productID: product, atLeast: v.integer(atLeast ?? 1, field: "\(field).atLeast", in: 1...SegmentRule.maxCount),
                days: v.integer(days, field: "\(field).days", in: 1...SegmentRule.maxDays))
        case .redeemed:
            condition = .redeemed(days: v.integer(days, field: "\(field).days", in: 1...SegmentRule.maxDays))
        case .group:
            guard depth < SegmentRule.maxDepth else {
                v.add(FieldError(field: "\(field).rule", code: "too_deep", message: "groups nest at most \(SegmentRule.maxDepth) deep"))
                return nil
            }
            guard let rule else {
                v.add(FieldError(field: "\(field).rule", code: "required", message: "a group has a rule of its own"))
                return nil
            }
            return .group(rule.parse(field: "\(field).rule", depth: depth + 1, count: &count, v: &v))
        }
        return v.errors.count == before ? condition : nil
    }
}

/// A segment as it arrives.
public struct SegmentInput: Sendable, Codable {
    public var name: String?
    public var description: String?
    public var rule: SegmentRuleInput?

    public init(name: String?, description: String?, rule: SegmentRuleInput?) {
        self.name = name
        self.description = description
        self.rule = rule
    }

    public func validated() throws(ValidationError) -> SegmentDraft {
        var v = Validator()
        let name = v.text(name, field: "name", maxLength: 40)
        let description = v.optionalText(description, field: "description", maxLength: 200) ?? ""
        var rule = SegmentRule(match: .all, terms: [])
        if let input = self.rule {
            do throws(ValidationError) {
                rule = try input.validated()
            } catch {
                for e in error.errors { v.add(e) }
            }
        } else {
            v.add(FieldError(field: "rule", code: "required", message: "a segment has a rule"))
        }
        try v.check()
        return SegmentDraft(name: name, description: description, rule: rule)
    }
}
