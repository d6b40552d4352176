/// What brings a consumer into a journey.
public enum JourneyTriggerKind: String, Sendable, Codable, CaseIterable {
    /// The consumer reached a lifecycle stage (`acquired` is the first genuine scan).
    case stage
    /// The consumer has not scanned for a number of days.
    case inactive
    /// The consumer is a member of a segment.
    case segment
    /// The consumer scanned a unit at a store.
    case storeVisit = "store_visit"
    /// A day comes: the segment's members (or every consumer who has scanned) enter.
    case date
}

/// A journey's entry trigger, as a marketing manager's form sends it.
public struct JourneyTrigger: Sendable, Codable, Equatable {
    public var kind: JourneyTriggerKind
    public var stage: LifecycleStage?
    public var days: Int?
    public var segmentID: Int64?
    public var storeID: Int64?
    /// `YYYY-MM-DD`, the brand's (China) day.
    public var date: String?

    public init(
        kind: JourneyTriggerKind, stage: LifecycleStage? = nil, days: Int? = nil, segmentID: Int64? = nil, storeID: Int64? = nil, date: String? = nil
    ) {
        self.kind = kind
        self.stage = stage
        self.days = days
        self.segmentID = segmentID
        self.storeID = storeID
        self.date = date
    }

    /// The day a date trigger names (a day number), nil for others or a bad date.
    public var dayNumber: Int64? { date.flatMap { CalendarDate($0, years: 2000...2100) }.map { Int64($0.dayNumber) } }
}

/// What one step of a journey does.
public enum JourneyStepKind: String, Sendable, Codable, CaseIterable {
    /// Waits a number of hours.
    case wait
    /// Goes to `next` when the condition holds, else to `otherwise`.
    case branch
    /// Awards points from the journey's budget.
    case points
    /// Sends a marketing message by SMS or WeChat (consent, frequency cap and quiet hours checked first).
    case message
    /// Gives a coupon of a mall item (free, from the item's stock), redeemable at any store.
    case coupon
    /// Raises a follow-up task for the salesperson of the consumer's store (the store that sold them their last unit).
    case task
    /// Leaves a notice for the consumer's store, on its staff's notice page.
    case notify
    /// Leaves the journey.
    case exit

    /// Whether the step carries a text the marketing manager writes.
    public var hasText: Bool { self == .message || self == .task || self == .notify }
}

/// How a message step reaches the consumer.
public enum JourneyChannel: String, Sendable, Codable, CaseIterable {
    /// The brand's approved marketing SMS template, to the phone the consumer gave.
    case sms
    /// A WeChat subscribe message, to the openid the consumer signed in with.
    case wechat
}

/// What a branch asks of the consumer.
public enum JourneyConditionKind: String, Sendable, Codable, CaseIterable {
    /// Carries a tag.
    case tag
    /// Is a member of a segment.
    case segment
    /// Scanned again since entering the journey.
    case scannedSinceEntry = "scanned_since_entry"
}

/// One step. Steps are numbered by their place in the journey, from 0; `next` and `otherwise`
/// name steps by that number (none: the journey ends there).
public struct JourneyStep: Sendable, Codable, Equatable {
    public var kind: JourneyStepKind
    public var hours: Int?
    public var condition: JourneyConditionKind?
    public var tagID: Int64?
    public var segmentID: Int64?
    public var points: Int64?
    /// A message's text (the one parameter of the brand's approved template), or a task's or notice's.
    public var text: String?
    /// A message's channel (SMS when not given).
    public var channel: JourneyChannel?
    /// The mall item a coupon step gives.
    public var itemID: Int64?
    public var next: Int?
    public var otherwise: Int?

    public init(
        kind: JourneyStepKind, hours: Int? = nil, condition: JourneyConditionKind? = nil, tagID: Int64? = nil, segmentID: Int64? = nil,
        points: Int64? = nil, text: String? = nil, channel: JourneyChannel? = nil, itemID: Int64? = nil, next: Int? = nil, otherwise: Int? = nil
    ) {
        self.kind = kind
        self.hours = hours
        self.condition = condition
        self.tagID = tagID
        self.segmentID = segmentID
        self.points = points
        self.text = text
        self.channel = channel
        self.itemID = itemID
        self.next = next
        self.otherwise = otherwise
    }

    /// The steps this one can go to.
    public var exits: [Int] { [next, kind == .branch ? otherwise : nil].compactMap { $0 } }
}

/// A journey as HQ writes it: a trigger, steps, a holdout, and the rules every message obeys.
public struct JourneyInput: Sendable, Codable, Equatable {
    public var name: String?
    public var description: String?
    public var trigger: JourneyTrigger?
    public var steps: [JourneyStep]?
    /// Percent of entrants kept out of every step, to measure the journey's uplift (0…50).
    public var holdoutPercent: Int?
    /// At most this many journey messages per consumer in seven days, over all journeys (1…14).
    public var weeklyMessageCap: Int?
    /// No message between these hours of the brand's day (China time): from, to (0…23); equal means none.
    public var quietFrom: Int?
    public var quietTo: Int?
    /// The conversion the report counts: a scan within this many days of entering (1…90).
    public var goalDays: Int?
    /// Points put into the journey's budget when it starts (0…100,000,000).
    public var budgetPoints: Int64?

    public init(
        name: String?, description: String? = nil, trigger: JourneyTrigger?, steps: [JourneyStep]?, holdoutPercent: Int? = nil,
        weeklyMessageCap: Int? = nil, quietFrom: Int? = nil, quietTo: Int? = nil, goalDays: Int? = nil, budgetPoints: Int64? = nil
    ) {
        self.name = name
        self.description = description
        self.trigger = trigger
        self.steps = steps
        self.holdoutPercent = holdoutPercent
        self.weeklyMessageCap = weeklyMessageCap
        self.quietFrom = quietFrom
        self.quietTo = quietTo
        self.goalDays = goalDays
        self.budgetPoints = budgetPoints
    }

    public static let maxSteps = 30
    public static let hoursRange = 1...(24 * 90)
    public static let pointsRange: ClosedRange<Int64> = 1...10_000
    public static let holdoutRange = 0...50
    public static let capRange = 1...14
    public static let goalRange = 1...90
    public static let budgetRange: ClosedRange<Int64> = 0...100_000_000
    public static let daysRange = 1...365
    public static let maxTextLength = 30
    /// A WeChat subscribe message's text field (`thing`) holds at most 20 characters.
    public static let maxWeChatTextLength = 20
    /// A task's or notice's text.
    public static let maxNoteLength = 60

    /// The journey to save, or every rule it breaks (a step that leads back to itself, a step
    /// pointing nowhere, values out of range, a message without text).
    public func validated() throws(ValidationError) -> JourneyDefinition {
        var check = Validator()
        let name = check.text(name, field: "name", maxLength: 60)
        let description = check.optionalText(description, field: "description", maxLength: 300) ?? ""
        func range<T: Comparable>(_ value: T?, _ allowed: ClosedRange<T>, field: String, default fallback: T? = nil) -> T {
            guard let value = value ?? fallback else {
                check.add(.required(field))
                return allowed.lowerBound
            }
            guard allowed.contains(value) else {
                check.add(
                    FieldError(field: field, code: "out_of_range", message: "\(field) must be within \(allowed.lowerBound)…\(allowed.upperBound)"))
                return allowed.lowerBound
            }
            return value
        }
        var trigger = JourneyTrigger(kind: .stage, stage: .acquired)
        if let given = self.trigger {
            trigger = JourneyTrigger(kind: given.kind)
            switch given.kind {
            case .stage:
                if let stage = given.stage { trigger.stage = stage } else { check.add(.required("trigger.stage")) }
            case .inactive: trigger.days = range(given.days, Self.daysRange, field: "trigger.days")
            case .segment:
                if let id = given.segmentID, id > 0 { trigger.segmentID = id } else { check.add(.required("trigger.segmentID")) }
            case .storeVisit:
                if let id = given.storeID, id > 0 { trigger.storeID = id } else { check.add(.required("trigger.storeID")) }
            case .date:
                trigger.date = given.date
                trigger.segmentID = given.segmentID
                if given.segmentID.map({ $0 <= 0 }) == true {
                    check.add(FieldError(field: "trigger.segmentID", code: "invalid_reference", message: "no such segment"))
                }
                if trigger.dayNumber == nil {
                    check.add(FieldError(field: "trigger.date", code: "invalid_date", message: "trigger.date is a day, YYYY-MM-DD"))
                }
            }
        } else {
            check.add(.required("trigger"))
        }
        let steps = self.steps ?? []
        if steps.isEmpty || steps.count > Self.maxSteps {
            check.add(FieldError(field: "steps", code: "out_of_range", message: "a journey has 1…\(Self.maxSteps) steps"))
        }
        var clean: [JourneyStep] = []
        for (index, step) in steps.prefix(Self.maxSteps).enumerated() {
            let field = "steps[\(index)]"
            var kept = JourneyStep(kind: step.kind, next: step.kind == .exit ? nil : step.next)
            // An exit goes nowhere: whatever it says of a next step is dropped.
            let targets = step.kind == .exit ? [] : [step.next, step.kind == .branch ? step.otherwise : nil].compactMap { $0 }
            for target in targets where !(0..<steps.count).contains(target) {
                check.add(
                    FieldError(field: field, code: "invalid_reference", message: "\(field) goes to step \(target), which the journey does not have"))
            }
            switch step.kind {
            case .wait: kept.hours = range(step.hours, Self.hoursRange, field: field + ".hours")
            case .points: kept.points = range(step.points, Self.pointsRange, field: field + ".points")
            case .message:
                let channel = step.channel ?? .sms
                let limit = channel == .wechat ? Self.maxWeChatTextLength : Self.maxTextLength
                let text = check.text(step.text, field: field + ".text", maxLength: limit)
                if text.contains("://") || text.contains("www.") {
                    check.add(FieldError(field: field + ".text", code: "invalid_text", message: "a marketing message carries no links"))
                }
                kept.text = text
                kept.channel = channel
            case .task, .notify:
                kept.text = check.text(step.text, field: field + ".text", maxLength: Self.maxNoteLength)
            case .coupon:
                if let id = step.itemID, id > 0 { kept.itemID = id } else { check.add(.required(field + ".itemID")) }
            case .branch:
                kept.otherwise = step.otherwise
                kept.condition = step.condition
                switch step.condition {
                case .tag?:
                    if let id = step.tagID, id > 0 { kept.tagID = id } else { check.add(.required(field + ".tagID")) }
                case .segment?:
                    if let id = step.segmentID, id > 0 { kept.segmentID = id } else { check.add(.required(field + ".segmentID")) }
                case .scannedSinceEntry?: break
                case nil: check.add(.required(field + ".condition"))
                }
            case .exit: break
            }
            clean.append(kept)
        }
        if check.errors.isEmpty, let cycle = Journey.cycle(in: clean) {
            check.add(FieldError(field: "steps[\(cycle)]", code: "cycle", message: "step \(cycle) leads back to itself: a journey only goes forward"))
        }
        let quietFrom = range(self.quietFrom, 0...23, field: "quietFrom", default: 22)
        let quietTo = range(self.quietTo, 0...23, field: "quietTo", default: 8)
        let definition = JourneyDefinition(
            name: name, description: description, trigger: trigger, steps: clean,
            holdoutPercent: range(holdoutPercent, Self.holdoutRange, field: "holdoutPercent", default: 10),
            weeklyMessageCap: range(weeklyMessageCap, Self.capRange, field: "weeklyMessageCap", default: 2), quietFrom: quietFrom, quietTo: quietTo,
            goalDays: range(goalDays, Self.goalRange, field: "goalDays", default: 14),
            budgetPoints: range(budgetPoints, Self.budgetRange, field: "budgetPoints", default: 0))
        if !check.errors.isEmpty { throw ValidationError(check.errors) }
        return definition
    }
}

/// A checked journey.
public struct JourneyDefinition: Sendable, Codable, Equatable {
    public var name: String
    public var description: String
    public var trigger: JourneyTrigger
    public var steps: [JourneyStep]
    public var holdoutPercent: Int
    public var weeklyMessageCap: Int
    public var quietFrom: Int
    public var quietTo: Int
    public var goalDays: Int
    public var budgetPoints: Int64

    public init(
        name: String, description: String, trigger: JourneyTrigger, steps: [JourneyStep], holdoutPercent: Int, weeklyMessageCap: Int,
        quietFrom: Int, quietTo: Int, goalDays: Int, budgetPoints: Int64
    ) {
        self.name = name
        self.description = description
        self.trigger = trigger
        self.steps = steps
        self.holdoutPercent = holdoutPercent
        self.weeklyMessageCap = weeklyMessageCap
        self.quietFrom = quietFrom
        self.quietTo = quietTo
        self.goalDays = goalDays
        self.budgetPoints = budgetPoints
    }

    /// As the editor and the API send it back.
    public var input: JourneyInput {
        JourneyInput(
            name: name, description: description, trigger: trigger, steps: steps, holdoutPercent: holdoutPercent, weeklyMessageCap: weeklyMessageCap,
            quietFrom: quietFrom, quietTo: quietTo, goalDays: goalDays, budgetPoints: budgetPoints)
    }

    /// The mall items its coupon steps give.
    public var itemIDs: Set<Int64> { Set(steps.compactMap { $0.kind == .coupon ? $0.itemID : nil }) }

    /// The tags and segments the journey reads.
    public var tagIDs: Set<Int64> { Set(steps.compactMap { $0.condition == .tag ? $0.tagID : nil }) }
    public var segmentIDs: Set<Int64> {
        Set(steps.compactMap { $0.condition == .segment ? $0.segmentID : nil } + [trigger.segmentID].compactMap { $0 })
    }
}

/// A journey's state: drafted, running (consumers enter and move), paused (they wait), ended.
public enum JourneyStatus: String, Sendable, Codable, CaseIterable {
    case draft, running, paused, ended
}

/// A saved journey.
public struct Journey: Sendable, Codable, Equatable {
    public var id: Int64
    public var definition: JourneyDefinition
    public var status: JourneyStatus
    public var owner: String
    public var createdAt: Int64
    public var startedAt: Int64?
    /// Stage moves up to this time have been let in.
    public var enteredThrough: Int64

    public init(
        id: Int64, definition: JourneyDefinition, status: JourneyStatus, owner: String, createdAt: Int64, startedAt: Int64?, enteredThrough: Int64 = 0
    ) {
        self.enteredThrough = enteredThrough
        self.id = id
        self.definition = definition
        self.status = status
        self.owner = owner
        self.createdAt = createdAt
        self.startedAt = startedAt
    }

    /// The first step on a path that comes back to itself, if any.
    public static func cycle(in steps: [JourneyStep]) -> Int? {
        // 0 unvisited, 1 on the current path, 2 done.
        var mark = [Int](repeating: 0, count: steps.count)
        func visit(_ index: Int) -> Int? {
            if mark[index] == 1 { return index }
            if mark[index] == 2 { return nil }
            mark[index] = 1
            for target in steps[index].exits where steps.indices.contains(target) {
                if let found = visit(target) { return found }
            }
            mark[index] = 2
            return nil
        }
        for index in steps.indices {
            if let found = visit(index) { return found }
        }
        return nil
    }

    /// Whether an entrant is held out of the journey's steps: a fixed share of consumers, the
    /// same every time (a hash of journey and profile).
    public static func isHeldOut(profileID: Int64, journeyID: Int64, percent: Int) -> Bool {
        guard percent > 0 else { return false }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in [journeyID, profileID] {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash = (hash ^ UInt64(truncatingIfNeeded: value >> Int64(shift)) & 0xff) &* 0x100_0000_01b3
            }
        }
        return Int(hash % 100) < percent
    }

    /// When a message due at `now` may go: now, or the end of the quiet hours (China time, UTC+8)
    /// it falls in.
    public static func sendTime(at now: Int64, quietFrom: Int, quietTo: Int) -> Int64 {
        guard quietFrom != quietTo else { return now }
        let offset: Int64 = 8 * 3_600_000
        let local = now + offset
        let dayStart = local - ((local % 86_400_000) + 86_400_000) % 86_400_000
        let hour = Int((local - dayStart) / 3_600_000)
        let quiet = quietFrom < quietTo ? (hour >= quietFrom && hour < quietTo) : (hour >= quietFrom || hour < quietTo)
        guard quiet else { return now }
        var end = dayStart + Int64(quietTo) * 3_600_000
        if end <= local { end += 86_400_000 }
        return end - offset
    }
}

/// What a step did for one consumer, kept once per consumer and step.
public enum JourneyOutcome: String, Sendable, Codable, CaseIterable {
    /// Points awarded, a coupon given, a task or notice raised, or a message accepted by the gateway.
    case done
    /// A message handed to the gateway, its answer awaited.
    case sending
    /// A message handed to the gateway whose answer never came back (the server stopped): never sent again.
    case unknown
    /// The consumer has not agreed to marketing messages, or left no number.
    case noConsent = "no_consent"
    /// The consumer had their messages for the week.
    case capped
    /// The journey's budget could not pay the points.
    case budgetSpent = "budget_spent"
    /// The gateway refused the message (the number, its limits or the account).
    case failed
    /// The coupon's mall item had none left (or is no longer listed).
    case outOfStock = "out_of_stock"
    /// The consumer has no store to follow up at (no scan at a known store).
    case noStore = "no_store"
}

/// A journey's figures: entrants of each group, what their steps did, and the conversion
/// (a scan within the goal's days of entering) of the journey's group against the holdout's.
public struct JourneyReport: Sendable, Codable, Equatable {
    public var entered: Int64
    public var heldOut: Int64
    public var active: Int64
    public var converted: Int64
    public var heldOutConverted: Int64
    /// Per step: outcome → consumers.
    public var steps: [Int: [JourneyOutcome: Int64]]

    public init(entered: Int64, heldOut: Int64, active: Int64, converted: Int64, heldOutConverted: Int64, steps: [Int: [JourneyOutcome: Int64]]) {
        self.entered = entered
        self.heldOut = heldOut
        self.active = active
        self.converted = converted
        self.heldOutConverted = heldOutConverted
        self.steps = steps
    }

    /// The share of the journey's group that converted (0 with no one in it).
    public var conversion: Double { entered > 0 ? Double(converted) / Double(entered) : 0 }
    public var heldOutConversion: Double { heldOut > 0 ? Double(heldOutConverted) / Double(heldOut) : 0 }
    /// Points of conversion the journey added over its holdout; nil without a holdout to compare.
    public var uplift: Double? { heldOut > 0 && entered > 0 ? conversion - heldOutConversion : nil }
}
