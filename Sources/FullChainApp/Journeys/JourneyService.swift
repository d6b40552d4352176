public import FullChainCore
public import FullChainStorage
public import Logging
public import ServiceLifecycle

/// What one pass of the journey runner did.
public struct JourneyRunReport: Sendable {
    /// Consumers who entered a journey.
    public var entered = 0
    /// Steps taken (waits set, branches decided, actions recorded).
    public var steps = 0
    /// Actions recorded (points, messages), whatever their outcome.
    public var actions = 0
    /// Journeys whose pass failed, with why (the others ran).
    public var failures: [(journeyID: Int64, error: String)] = []

    public init() {}
}

/// Journeys: HQ saves, starts, pauses and ends them; the runner lets consumers in and moves
/// each along its steps, each action once (whatever restarts and however many servers run).
public struct JourneyService: Sendable {
    let storage: AppStorage
    let consumers: ConsumerService
    let segments: SegmentService

    /// A message handed to the gateway whose outcome was not recorded within this long was lost
    /// with its server: it counts as unknown and is never sent again.
    public static let pendingTimeoutMillis: Int64 = 120_000
    /// How long a message the gateway throttled waits before it is tried again.
    public static let throttleRetryMillis: Int64 = 60_000
    /// At most this many rounds of steps per journey in one pass (the rest go on in the next).
    public static let maxRounds = 200
    /// A journey's follow-up task is due this many business days after it is raised.
    public static let taskDueDays: Int64 = 3

    public init(storage: AppStorage, consumers: ConsumerService, segments: SegmentService) {
        self.storage = storage
        self.consumers = consumers
        self.segments = segments
    }

    // MARK: - HQ's journeys

    /// Saves a draft: 422 for a bad journey or one naming tags or segments the brand lacks, 409 for a name taken.
    public func create(_ input: JourneyInput, owner: String, tenantID: Int64, now: Int64) async throws -> Journey {
        let definition = try await checked(input, tenantID: tenantID)
        do throws(any Error) {
            return try await storage.journeys.create(definition, owner: owner, at: now, tenantID: tenantID)
        } catch StorageError.duplicate {
            throw AppError(.conflict, code: "journey_exists", message: "a journey of that name exists")
        }
    }

    /// Changes a draft or paused journey (409 while it runs or once ended).
    public func update(id: Int64, _ input: JourneyInput, tenantID: Int64) async throws -> Journey {
        let definition = try await checked(input, tenantID: tenantID)
        guard let current = try await storage.journeys.get(id: id, tenantID: tenantID) else {
            throw AppError(.notFound, code: "not_found", message: "no such journey")
        }
        guard current.status == .draft || current.status == .paused else {
            throw AppError(.conflict, code: "journey_not_editable", message: "pause the journey before changing it")
        }
        // Consumers may be at any step of a started journey: its steps keep their kinds and where they lead.
        let kept = zip(current.definition.steps, definition.steps).allSatisfy { old, new in
            old.kind == new.kind && old.next == new.next && old.otherwise == new.otherwise
        }
        if current.startedAt != nil && (definition.steps.count < current.definition.steps.count || !kept) {
            throw AppError(
                .conflict, code: "journey_steps_in_use",
                message: "a started journey keeps its steps' kinds and where they lead: change texts and figures, or add steps"
            )
        }
        do throws(any Error) {
            return try await storage.journeys.update(id: id, definition: definition, tenantID: tenantID)
        } catch StorageError.duplicate {
            throw AppError(.conflict, code: "journey_exists", message: "a journey of that name exists")
        }
    }

    /// Checks a journey as it arrives, and that its tags and segments are the brand's.
    public func checked(_ input: JourneyInput, tenantID: Int64) async throws -> JourneyDefinition {
        let definition = try input.validated()
        let tags = try await storage.segments.tagIDs(tenantID: tenantID)
        for id in definition.tagIDs where !tags.contains(id) {
            throw ValidationError([FieldError(field: "steps", code: "invalid_reference", message: "tag \(id) is not the brand's")])
        }
        for id in definition.segmentIDs where try await storage.segments.get(id: id, tenantID: tenantID) == nil {
            throw ValidationError([FieldError(field: "segmentID", code: "invalid_reference", message: "segment \(id) is not the brand's")])
        }
        // A journey gives coupons to show at a store: cash goes only through the mall, to consumers WeChat confirmed.
        for id in definition.itemIDs {
            guard let item = try await storage.mall.item(id: id, tenantID: tenantID), item.draft.kind != .cash else {
                throw ValidationError([
                    FieldError(
                        field: "itemID", code: "invalid_reference", message: "mall item \(id) is not one of the brand's coupons, gifts or vouchers")
                ])
            }
        }
        if let store = definition.trigger.storeID,
            try await storage.stores.get(id: store, scope: AccessScope(tenantID: tenantID, reach: .wholeTenant)) == nil
        {
            throw ValidationError([FieldError(field: "trigger.storeID", code: "invalid_reference", message: "store \(store) is not the brand's")])
        }
        return definition
    }

    /// Starts, pauses or ends a journey. The first start funds its points budget from the brand (once).
    public func setStatus(id: Int64, _ status: JourneyStatus, tenantID: Int64, now: Int64) async throws -> Journey {
        guard status != .draft else { throw AppError(.unreadable, code: "invalid_status", message: "a journey goes to running, paused or ended") }
        guard let current = try await storage.journeys.get(id: id, tenantID: tenantID) else {
            throw AppError(.notFound, code: "not_found", message: "no such journey")
        }
        guard current.status != .ended else { throw AppError(.conflict, code: "journey_ended", message: "an ended journey does not start again") }
        // The budget is funded once, at the first start.
        if status == .running, current.startedAt == nil, current.definition.budgetPoints > 0 {
            let funding = try LedgerEntry.transfer(
                key: "journey-funding:\(id)", memo: "journey budget", current.definition.budgetPoints, .points, from: .brandFunding,
                to: .journeyBudget(journeyID: id))
            _ = try await storage.ledger.post(funding, tenantID: tenantID)
        }
        do throws(any Error) {
            return try await storage.journeys.setStatus(id: id, status: status, at: now, tenantID: tenantID)
        } catch StorageError.notFound {
            throw AppError(.conflict, code: "journey_ended", message: "an ended journey does not start again")
        }
    }

    /// The journey with its figures, and the points its budget has left.
    public func report(id: Int64, tenantID: Int64) async throws -> (journey: Journey, report: JourneyReport, budgetLeft: Int64) {
        guard let journey = try await storage.journeys.get(id: id, tenantID: tenantID) else {
            throw AppError(.notFound, code: "not_found", message: "no such journey")
        }
        let report = try await storage.journeys.report(journeyID: id, goalDays: journey.definition.goalDays, tenantID: tenantID)
        let left = try await storage.ledger.balance(of: .journeyBudget(journeyID: id), asset: .points, tenantID: tenantID)
        return (journey, report, left)
    }

    // MARK: - The runner

    /// One pass over every running journey (of one brand when `tenantID` is given): new
    /// entrants in, then every consumer due moved on.
    public func run(now: Int64, tenantID only: Int64? = nil, batch: Int = 500, enterLimit: Int = 10_000) async throws -> JourneyRunReport {
        var report = JourneyRunReport()
        for (tenantID, journey) in try await storage.journeys.running() where only == nil || only == tenantID {
            // One journey failing does not hold up the others.
            do {
                try await run(journey, tenantID: tenantID, now: now, batch: batch, enterLimit: enterLimit, report: &report)
            } catch {
                report.failures.append((journey.id, "\(error)"))
            }
        }
        return report
    }

    private func run(_ journey: Journey, tenantID: Int64, now: Int64, batch: Int, enterLimit: Int, report: inout JourneyRunReport) async throws {
        report.entered += try await enter(journey, tenantID: tenantID, now: now, limit: enterLimit)
        var pass = Pass(journey: journey, tenantID: tenantID, now: now)
        var rounds = 0
        while true {
            // HQ may pause, change or end the journey while a pass runs: each round reads it again.
            if rounds > 0, try await storage.journeys.get(id: journey.id, tenantID: tenantID) != journey { return }
            let due = try await storage.journeys.due(now: now, limit: batch, journeyID: journey.id, tenantID: tenantID)
            guard !due.isEmpty else { return }
            // Each round takes every due consumer one step; those that stayed due (quiet hours,
            // a message another runner holds) wait for the next pass.
            rounds += 1
            let moved = try await advance(due, pass: &pass, report: &report)
            if moved == 0 || rounds >= Self.maxRounds { return }
        }
    }

    /// Lets in the entrants of the brand's running journeys that events trigger (a stage
    /// reached, a store visited), without moving anyone on: the touch worker calls it as soon as
    /// profiles caught up with their scans. Answers how many entered.
    public func enterFromEvents(tenantID: Int64, now: Int64, limit: Int = 10_000) async throws -> Int {
        var entered = 0
        for (tenant, journey) in try await storage.journeys.running() where tenant == tenantID {
            guard journey.definition.trigger.kind == .stage || journey.definition.trigger.kind == .storeVisit else { continue }
            entered += try await enter(journey, tenantID: tenantID, now: now, limit: limit)
        }
        return entered
    }

    /// Lets in the consumers the trigger names, the held-out share kept at no step.
    func enter(_ journey: Journey, tenantID: Int64, now: Int64, limit: Int) async throws -> Int {
        let definition = journey.definition
        var through: Int64?
        let profiles: [Int64]
        switch definition.trigger.kind {
        case .stage:
            // Moves are stamped when they happened and recorded within minutes: look an hour back.
            let started = journey.startedAt ?? now
            let since = max(started, journey.enteredThrough - 3_600_000)
            let moves = try await storage.journeys.stageEntrants(
                stage: definition.trigger.stage ?? .acquired, since: since, until: now, limit: limit, journeyID: journey.id, tenantID: tenantID)
            profiles = moves.map(\.profileID)
            through = moves.map(\.at).max()
        case .inactive:
            let days = Int64(definition.trigger.days ?? 30)
            profiles = try await storage.journeys.inactiveEntrants(
                before: now - days * 86_400_000, limit: limit, journeyID: journey.id, tenantID: tenantID)
        case .segment:
            guard let id = definition.trigger.segmentID else { return 0 }
            profiles = try await segmentEntrants(id, journey: journey, tenantID: tenantID, now: now, limit: limit)
        case .storeVisit:
            let started = journey.startedAt ?? now
            let visits = try await storage.journeys.storeVisitors(
                storeID: definition.trigger.storeID ?? 0, since: max(started, journey.enteredThrough - 3_600_000), until: now, limit: limit,
                journeyID: journey.id, tenantID: tenantID)
            profiles = visits.map(\.profileID)
            through = visits.map(\.at).max()
        case .date:
            // From the day on: the segment's members, or everyone who has scanned.
            guard let day = definition.trigger.dayNumber, BusinessDay.day(ofMillis: now) >= day else { return 0 }
            if let id = definition.trigger.segmentID {
                profiles = try await segmentEntrants(id, journey: journey, tenantID: tenantID, now: now, limit: limit)
            } else {
                profiles = try await storage.journeys.inactiveEntrants(before: now + 1, limit: limit, journeyID: journey.id, tenantID: tenantID)
            }
        }
        guard !profiles.isEmpty else { return 0 }
        let entrants = profiles.map { ($0, Journey.isHeldOut(profileID: $0, journeyID: journey.id, percent: definition.holdoutPercent)) }
        return try await storage.journeys.enter(entrants, firstStep: 0, at: now, through: through, journeyID: journey.id, tenantID: tenantID)
    }

    private func segmentEntrants(_ id: Int64, journey: Journey, tenantID: Int64, now: Int64, limit: Int) async throws -> [Int64] {
        guard let members = try await segments.members(ofSegment: id, tenantID: tenantID, now: now) else { return [] }
        let all = members.values(offset: 0, limit: members.count).map { Int64($0) }
        return Array(try await storage.journeys.notEntered(all, journeyID: journey.id, tenantID: tenantID).prefix(limit))
    }

    /// What one pass knows of a journey: the segments its branches read, fetched once.
    struct Pass {
        let journey: Journey
        let tenantID: Int64
        let now: Int64
        var segmentMembers: [Int64: RoaringBitmap] = [:]
        /// The mall items its coupon steps give (nil: no longer the brand's).
        var items: [Int64: MallItem?] = [:]

        mutating func item(_ id: Int64, storage: AppStorage) async throws -> MallItem? {
            if let known = items[id] { return known }
            let found = try await storage.mall.item(id: id, tenantID: tenantID)
            items[id] = found
            return found
        }
    }

    /// Takes each due consumer one step: waits, exits and branches (decided for the whole batch
    /// at once) and points (paid in one transaction) in bulk, messages one by one. Answers the
    /// consumers moved.
    func advance(_ due: [JourneyEntry], pass: inout Pass, report: inout JourneyRunReport) async throws -> Int {
        let steps = pass.journey.definition.steps
        let now = pass.now
        let tenantID = pass.tenantID
        let journeys = storage.journeys
        var moves: [JourneyMove] = []
        var branches: [(entry: JourneyEntry, index: Int)] = []
        var awards: [(entry: JourneyEntry, index: Int)] = []
        var messages: [(entry: JourneyEntry, index: Int)] = []
        var grants: [(entry: JourneyEntry, index: Int)] = []
        for entry in due {
            guard let index = entry.step else { continue }
            guard steps.indices.contains(index) else {
                // A step the journey no longer has: the consumer leaves.
                moves.append(JourneyMove(entry, from: index, to: nil, dueAt: now))
                continue
            }
            let step = steps[index]
            switch step.kind {
            case .exit: moves.append(JourneyMove(entry, from: index, to: nil, dueAt: now))
            case .wait: moves.append(JourneyMove(entry, from: index, to: step.next, dueAt: now + Int64(step.hours ?? 1) * 3_600_000))
            case .branch: branches.append((entry, index))
            case .points: awards.append((entry, index))
            case .message: messages.append((entry, index))
            case .coupon, .task, .notify: grants.append((entry, index))
            }
        }
        for (entry, index) in try await decide(branches, pass: &pass) {
            let step = steps[index]
            moves.append(JourneyMove(entry.entry, from: index, to: entry.holds ? step.next : step.otherwise, dueAt: now))
        }
        var moved = try await journeys.moveAll(moves, at: now, tenantID: tenantID)
        report.steps += moved

        if !awards.isEmpty {
            let wallets = try await journeys.wallets(of: awards.map(\.entry.profileID), tenantID: tenantID)
            var paid: [JourneyAward] = []
            var unpaid: [JourneyMove] = []
            for (entry, index) in awards {
                let step = steps[index]
                if let wallet = wallets[entry.profileID], let points = step.points {
                    paid.append(JourneyAward(entry: entry, step: index, wallet: wallet, points: points, next: step.next, dueAt: now))
                } else {
                    unpaid.append(JourneyMove(entry, from: index, to: step.next, dueAt: now, outcome: (.points, .failed)))
                }
            }
            var done = try await journeys.moveAll(unpaid, at: now, tenantID: tenantID)
            if let all = try await awardAll(paid, pass: pass) {
                done += all
            } else {
                // The budget cannot pay them all: one by one (each as one transaction, the move
                // first), until it is spent.
                for award in paid {
                    if let one = try await awardAll([award], pass: pass) {
                        done += one
                    } else {
                        let move = JourneyMove(award.entry, from: award.step, to: award.next, dueAt: now, outcome: (.points, .budgetSpent))
                        done += try await journeys.moveAll([move], at: now, tenantID: tenantID)
                    }
                }
            }
            moved += done
            report.steps += done
            report.actions += done
        }

        if !grants.isEmpty {
            let done = try await grant(grants, pass: &pass)
            moved += done
            report.steps += done
            report.actions += done
        }

        for (entry, index) in messages {
            if case .moved = try await message(steps[index], at: index, to: entry, pass: pass) {
                moved += 1
                report.steps += 1
                report.actions += 1
            }
        }
        return moved
    }

    /// Coupons, tasks and notices: each consumer's in one transaction with their move (a task or
    /// notice goes to the store that sold them their last unit). Answers the consumers moved.
    private func grant(_ grants: [(entry: JourneyEntry, index: Int)], pass: inout Pass) async throws -> Int {
        let steps = pass.journey.definition.steps
        let (now, tenantID) = (pass.now, pass.tenantID)
        let ids = grants.map(\.entry.profileID)
        let needsStores = grants.contains { steps[$0.index].kind != .coupon }
        let needsWallets = grants.contains { steps[$0.index].kind == .coupon }
        let stores = needsStores ? try await storage.journeys.stores(of: ids, tenantID: tenantID) : [:]
        let wallets = needsWallets ? try await storage.journeys.wallets(of: ids, tenantID: tenantID) : [:]
        var moved = 0
        for (entry, index) in grants {
            let step = steps[index]
            var grant: JourneyGrant?
            var otherwise = JourneyOutcome.failed
            switch step.kind {
            case .coupon:
                // No wallet to hold it: failed; the item gone from the mall: none left.
                guard let wallet = wallets[entry.profileID] else { break }
                otherwise = .outOfStock
                if let id = step.itemID, let item = try await pass.item(id, storage: storage) {
                    grant = .coupon(
                        itemID: id, code: CouponCode.make(), wallet: wallet, faceValueFen: item.draft.faceValueFen,
                        expiresAt: item.draft.couponExpiry(takenAt: now))
                }
            case .task:
                otherwise = .noStore
                grant = stores[entry.profileID].map { .task($0, text: step.text ?? "", dueDays: Self.taskDueDays) }
            case .notify:
                otherwise = .noStore
                grant = stores[entry.profileID].map { .notice($0, text: step.text ?? "") }
            default: continue
            }
            if let grant {
                if try await storage.journeys.grant(grant, to: entry, step: index, next: step.next, dueAt: now, at: now, tenantID: tenantID) != nil {
                    moved += 1
                }
            } else if try await storage.journeys.move(
                entry, from: index, to: step.next, dueAt: now, recording: (step.kind, otherwise), at: now, tenantID: tenantID)
            {
                moved += 1
            }
        }
        return moved
    }

    /// Pays a batch of awards in one transaction; nil when the budget cannot pay them all.
    private func awardAll(_ awards: [JourneyAward], pass: Pass) async throws -> Int? {
        do {
            return try await storage.journeys.award(awards, at: pass.now, journeyID: pass.journey.id, tenantID: pass.tenantID)
        } catch StorageError.floorReached {
            return nil
        }
    }

    /// Whether each branching consumer meets its step's condition: tags and last scans read for
    /// the whole batch, segments counted once a pass.
    private func decide(
        _ branches: [(entry: JourneyEntry, index: Int)], pass: inout Pass
    ) async throws -> [(
        entry: (entry: JourneyEntry, holds: Bool), index: Int
    )] {
        guard !branches.isEmpty else { return [] }
        let steps = pass.journey.definition.steps
        let ids = branches.map(\.entry.profileID)
        let needsTags = branches.contains { steps[$0.index].condition == .tag }
        let needsScans = branches.contains { steps[$0.index].condition == .scannedSinceEntry }
        let tags = needsTags ? try await storage.segments.tags(ofProfiles: ids, tenantID: pass.tenantID) : [:]
        let scans = needsScans ? try await storage.journeys.lastScans(of: ids, tenantID: pass.tenantID) : [:]
        var decided: [(entry: (entry: JourneyEntry, holds: Bool), index: Int)] = []
        for (entry, index) in branches {
            let step = steps[index]
            var holds = false
            switch step.condition {
            case .tag?: holds = step.tagID.map { tags[entry.profileID]?.contains($0) ?? false } ?? false
            case .scannedSinceEntry?: holds = (scans[entry.profileID] ?? 0) > entry.enteredAt
            case .segment?:
                if let id = step.segmentID, let member = UInt32(exactly: entry.profileID) {
                    if pass.segmentMembers[id] == nil {
                        pass.segmentMembers[id] = try await segments.members(ofSegment: id, tenantID: pass.tenantID, now: pass.now) ?? RoaringBitmap()
                    }
                    holds = pass.segmentMembers[id]?.contains(member) ?? false
                }
            case nil: holds = false
            }
            decided.append(((entry, holds), index))
        }
        return decided
    }

    enum MessageStep {
        /// The outcome is recorded and the consumer moved on (`continues`: to the next step now).
        case moved((outcome: JourneyOutcome, continues: Bool))
        /// Nothing more now: quiet hours, a throttled gateway, or another runner holds it.
        case later
    }

    /// A marketing message: quiet hours, then the claim (one runner only), consent and the
    /// channel's address (a phone for SMS, an openid for WeChat), the weekly cap, the gateway. A
    /// message whose answer was lost with its server is never sent again.
    private func message(_ step: JourneyStep, at index: Int, to entry: JourneyEntry, pass: Pass) async throws -> MessageStep {
        let journeys = storage.journeys
        let definition = pass.journey.definition
        // A pass can be long: claims and quiet hours go by the clock now (or the pass's time, if later).
        let now = max(pass.now, currentMillis())
        let tenantID = pass.tenantID
        let sendAt = Journey.sendTime(at: now, quietFrom: definition.quietFrom, quietTo: definition.quietTo)
        if sendAt > now {
            _ = try await journeys.move(entry, from: index, to: index, dueAt: sendAt, recording: nil, at: now, tenantID: tenantID)
            return .later
        }
        func finish(_ outcome: JourneyOutcome) async throws -> MessageStep {
            try await journeys.finish(entry, step: index, outcome: outcome, to: step.next, dueAt: now, at: now, tenantID: tenantID)
            return .moved((outcome, true))
        }
        switch try await journeys.claim(entry, step: index, kind: .message, at: now, tenantID: tenantID) {
        case .claimed: break
        case .pending(let at):
            guard now - at >= Self.pendingTimeoutMillis else { return .later }
            return try await finish(.unknown)
        case .recorded(let outcome):
            let moved = try await journeys.move(entry, from: index, to: step.next, dueAt: now, recording: nil, at: now, tenantID: tenantID)
            return moved ? .moved((outcome, true)) : .later
        }
        let channel = step.channel ?? .sms
        let prefix = channel == .sms ? "phone:" : "openid:"
        guard let contact = try await journeys.contact(of: entry.profileID, tenantID: tenantID),
            let subject = consumers.openContact(contact.sealed, wallet: contact.wallet, tenantID: tenantID), subject.hasPrefix(prefix)
        else { return try await finish(.noConsent) }
        let address = String(subject.dropFirst(prefix.count))
        // This claim is among the week's messages already.
        if try await journeys.messagesSent(to: entry.profileID, since: now - 7 * 86_400_000, tenantID: tenantID) > definition.weeklyMessageCap {
            return try await finish(.capped)
        }
        let outcome: JourneyOutcome?
        switch channel {
        case .sms:
            guard let phone = PhoneNumber(address) else { return try await finish(.noConsent) }
            guard let sms = consumers.sms else { return try await finish(.failed) }
            outcome =
                switch await sms.sendMarketing(step.text ?? "", to: phone) {
                case .success: .done
                case .failure(.throttled): nil
                // No answer: it may have gone. It is not sent again.
                case .failure(.unavailable): .unknown
                case .failure(.numberLimited), .failure(.numberRefused), .failure(.misconfigured): .failed
                }
        case .wechat:
            outcome =
                switch try await consumers.sendWeChatNotice(step.text ?? "", to: address, tenantID: tenantID) {
                case .success: .done
                case .failure(.throttled): nil
                case .failure(.unavailable): .unknown
                // The consumer has not subscribed to the brand's notices: no consent on WeChat's side.
                case .failure(.notSubscribed): .noConsent
                case .failure(.misconfigured): .failed
                }
        }
        guard let outcome else {
            // Throttled: nothing went; the action is given back and tried again later.
            try await journeys.release(entry, step: index, retryAt: now + Self.throttleRetryMillis, tenantID: tenantID)
            return .later
        }
        return try await finish(outcome)
    }
}

/// Runs the journeys every few seconds: consumers enter and move on. Every server may run it:
/// each action is claimed or recorded once in the database.
public struct JourneyRunner: Service {
    let journeys: JourneyService
    let logger: Logger
    let interval: Duration

    public init(journeys: JourneyService, logger: Logger, interval: Duration = .seconds(2)) {
        self.journeys = journeys
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let report = try await journeys.run(now: currentMillis())
                for failure in report.failures {
                    logger.warning("journey pass failed", metadata: ["journey": "\(failure.journeyID)", "error": "\(failure.error)"])
                }
                if report.entered > 0 || report.actions > 0 {
                    logger.debug(
                        "journeys ran", metadata: ["entered": "\(report.entered)", "steps": "\(report.steps)", "actions": "\(report.actions)"])
                }
            } catch {
                logger.warning("journey run failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
