public import FullChainCore

/// One consumer's place on a journey: the step they are due at and when (none: they left).
public struct JourneyEntry: Sendable, Equatable {
    public var journeyID: Int64
    public var profileID: Int64
    public var heldOut: Bool
    public var enteredAt: Int64
    public var step: Int?
    public var dueAt: Int64?

    public init(journeyID: Int64, profileID: Int64, heldOut: Bool, enteredAt: Int64, step: Int?, dueAt: Int64?) {
        self.journeyID = journeyID
        self.profileID = profileID
        self.heldOut = heldOut
        self.enteredAt = enteredAt
        self.step = step
        self.dueAt = dueAt
    }
}

/// An entry leaving `from` for `to` (nil: the journey's end), due again at `dueAt`, with the
/// step's outcome when it did something.
public struct JourneyMove: Sendable {
    public var entry: JourneyEntry
    public var from: Int
    public var to: Int?
    public var dueAt: Int64
    public var outcome: (kind: JourneyStepKind, outcome: JourneyOutcome)?

    public init(_ entry: JourneyEntry, from: Int, to: Int?, dueAt: Int64, outcome: (kind: JourneyStepKind, outcome: JourneyOutcome)? = nil) {
        self.entry = entry
        self.from = from
        self.to = to
        self.dueAt = dueAt
        self.outcome = outcome
    }
}

/// Points a points step gives one consumer, and where the consumer goes next.
public struct JourneyAward: Sendable {
    public var entry: JourneyEntry
    public var step: Int
    public var wallet: String
    public var points: Int64
    public var next: Int?
    public var dueAt: Int64

    public init(entry: JourneyEntry, step: Int, wallet: String, points: Int64, next: Int?, dueAt: Int64) {
        self.entry = entry
        self.step = step
        self.wallet = wallet
        self.points = points
        self.next = next
        self.dueAt = dueAt
    }

    /// The ledger key of a journey's points for one consumer at one step (one entry, whoever posts it).
    public static func ledgerKey(journeyID: Int64, profileID: Int64, step: Int) -> String { "journey:\(journeyID):\(profileID):\(step)" }
}

/// The store a consumer's follow-ups go to: the one that sold them their last unit.
public struct JourneyStore: Sendable, Equatable {
    public var storeID: Int64
    public var orgPath: String
    public var salespersonNodeID: Int64?

    public init(storeID: Int64, orgPath: String, salespersonNodeID: Int64?) {
        self.storeID = storeID
        self.orgPath = orgPath
        self.salespersonNodeID = salespersonNodeID
    }
}

/// What a coupon, task or notice step writes for one consumer, in the transaction that moves them on.
public enum JourneyGrant: Sendable {
    /// A free coupon of a mall item for the wallet.
    case coupon(itemID: Int64, code: String, wallet: String, faceValueFen: Int64, expiresAt: Int64)
    /// A follow-up task for the store's salesperson, due in `dueDays` business days.
    case task(JourneyStore, text: String, dueDays: Int64)
    /// A notice to the store's staff.
    case notice(JourneyStore, text: String)

    var kind: JourneyStepKind {
        switch self {
        case .coupon: .coupon
        case .task: .task
        case .notice: .notify
        }
    }
}

/// Where a step's one action stands when a runner comes to do it.
public enum JourneyClaim: Sendable, Equatable {
    /// This runner holds the action now: it does it, then records the outcome.
    case claimed
    /// Another runner handed it over at `at` and has not recorded an outcome yet.
    case pending(at: Int64)
    /// Already done, with this outcome.
    case recorded(JourneyOutcome)
}

/// Journeys, the consumers on them, and each step's action for each consumer, recorded once.
public protocol JourneyRepository: Sendable {
    func create(_ definition: JourneyDefinition, owner: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> Journey
    /// Changes a draft or paused journey's definition (a running one is paused first).
    func update(id: Int64, definition: JourneyDefinition, tenantID: Int64) async throws(StorageError) -> Journey
    /// The brand's journeys, newest first.
    func list(tenantID: Int64) async throws(StorageError) -> [Journey]
    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> Journey?
    /// Starts, pauses or ends a journey; the first start stamps `startedAt`.
    func setStatus(id: Int64, status: JourneyStatus, at now: Int64, tenantID: Int64) async throws(StorageError) -> Journey
    /// Every brand's running journeys.
    func running() async throws(StorageError) -> [(tenantID: Int64, journey: Journey)]

    /// Profiles that reached `stage` from `since` until `until` and are not on the journey yet, oldest move first.
    func stageEntrants(
        stage: LifecycleStage, since: Int64, until: Int64, limit: Int, journeyID: Int64, tenantID: Int64
    ) async throws(StorageError) -> [(profileID: Int64, at: Int64)]
    /// Profiles whose consumers scanned at the store from `since` until `until` and are not on the journey yet, with their latest such scan.
    func storeVisitors(
        storeID: Int64, since: Int64, until: Int64, limit: Int, journeyID: Int64, tenantID: Int64
    ) async throws(StorageError) -> [(profileID: Int64, at: Int64)]
    /// Profiles whose last scan was before `before` and who are not on the journey yet.
    func inactiveEntrants(before: Int64, limit: Int, journeyID: Int64, tenantID: Int64) async throws(StorageError) -> [Int64]
    /// Of `profileIDs`, those not on the journey yet.
    func notEntered(_ profileIDs: [Int64], journeyID: Int64, tenantID: Int64) async throws(StorageError) -> [Int64]
    /// Puts consumers on a journey at its first step (the held-out ones straight out), once each;
    /// answers how many were new. `through` moves the journey's stage-entry mark.
    func enter(
        _ entrants: [(profileID: Int64, heldOut: Bool)], firstStep: Int, at now: Int64, through: Int64?, journeyID: Int64, tenantID: Int64
    ) async throws(StorageError) -> Int
    /// Consumers due at a step of the journey by `now`, earliest first.
    func due(now: Int64, limit: Int, journeyID: Int64, tenantID: Int64) async throws(StorageError) -> [JourneyEntry]
    /// When each profile last scanned (0: never).
    func lastScans(of profileIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [Int64: Int64]

    /// Moves an entry from `step` on (nil `next`: it leaves), recording the step's outcome when
    /// given, in one transaction; false when the entry had moved already.
    func move(
        _ entry: JourneyEntry, from step: Int, to next: Int?, dueAt: Int64, recording outcome: (kind: JourneyStepKind, outcome: JourneyOutcome)?,
        at now: Int64, tenantID: Int64
    ) async throws(StorageError) -> Bool
    /// Moves many entries in one transaction (each only from the step it was read at), recording
    /// outcomes where given; answers how many moved.
    func moveAll(_ moves: [JourneyMove], at now: Int64, tenantID: Int64) async throws(StorageError) -> Int
    /// Awards points to many consumers in one transaction: each entry moved on, its points from
    /// the journey's budget to its wallet, its action recorded. The whole batch fails with
    /// `floorReached` when the budget cannot pay it all.
    func award(_ awards: [JourneyAward], at now: Int64, journeyID: Int64, tenantID: Int64) async throws(StorageError) -> Int
    /// The wallets points and coupons go to, by profile: the profile's person (an openid before a phone).
    func wallets(of profileIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [Int64: String]
    /// Takes a message step's action for this runner, unless it is taken or done.
    func claim(_ entry: JourneyEntry, step: Int, kind: JourneyStepKind, at now: Int64, tenantID: Int64) async throws(StorageError) -> JourneyClaim
    /// Records the outcome of a claimed action and moves the entry on, in one transaction.
    func finish(
        _ entry: JourneyEntry, step: Int, outcome: JourneyOutcome, to next: Int?, dueAt: Int64, at now: Int64, tenantID: Int64
    ) async throws(StorageError)
    /// Gives a claimed action back (the gateway sent nothing and asked to be tried later) and sets when to try.
    func release(_ entry: JourneyEntry, step: Int, retryAt: Int64, tenantID: Int64) async throws(StorageError)
    /// The store each profile last bought at (its BC store), with the store's place in the org.
    func stores(of profileIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [Int64: JourneyStore]
    /// Moves the entry on from `step` and writes what the step gives, recording `done`, in one
    /// transaction; a coupon whose item has none left (or is no longer listed) moves it on with
    /// `out_of_stock`. Nil when another runner moved the entry first.
    func grant(
        _ grant: JourneyGrant, to entry: JourneyEntry, step: Int, next: Int?, dueAt: Int64, at now: Int64, tenantID: Int64
    ) async throws(StorageError) -> JourneyOutcome?
    /// Journey messages handed to the gateway for the profile since `since`, over all journeys.
    func messagesSent(to profileID: Int64, since: Int64, tenantID: Int64) async throws(StorageError) -> Int

    /// Keeps the contact (sealed) of a wallet that agreed to marketing; nil forgets it.
    func saveContact(_ sealed: String?, wallet: String, at now: Int64, tenantID: Int64) async throws(StorageError)
    /// The sealed contact of the profile's person whose latest marketing choice is yes, with its wallet.
    func contact(of profileID: Int64, tenantID: Int64) async throws(StorageError) -> (wallet: String, sealed: String)?

    /// The journey's figures; conversion is a scan within `goalDays` of entering.
    func report(journeyID: Int64, goalDays: Int, tenantID: Int64) async throws(StorageError) -> JourneyReport
}

struct SQLJourneyRepository: JourneyRepository {
    let db: any SQLDatabase

    private static let columns: SQLStatement = "tenant_id, id, definition, status, owner, created_at, started_at, entered_through"

    private static func journey(_ row: SQLRow) throws(StorageError) -> Journey {
        let definition: JourneyDefinition
        do { definition = try JSONCoding.decode(JourneyDefinition.self, from: try row.string("definition")) } catch {
            throw .corruptRow("journey definition")
        }
        guard let status = JourneyStatus(rawValue: try row.string("status")) else { throw .corruptRow("journey status") }
        return Journey(
            id: try row.int("id"), definition: definition, status: status, owner: try row.string("owner"), createdAt: try row.int("created_at"),
            startedAt: row.optionalInt("started_at"), enteredThrough: row.optionalInt("entered_through") ?? 0)
    }

    func create(_ definition: JourneyDefinition, owner: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> Journey {
        let id = try await db.allocateIDs("journeys", tenantID: tenantID)
        let rows = try await db.execute(
            """
            INSERT INTO journeys (tenant_id, id, name, definition, status, owner, created_at)
            VALUES (\(tenantID), \(id), \(definition.name), \(JSONCoding.encode(definition)), \(JourneyStatus.draft.rawValue), \(owner), \(now))
            RETURNING \(Self.columns)
            """)
        guard let row = rows.first else { throw .corruptRow("journeys") }
        return try Self.journey(row)
    }

    func update(id: Int64, definition: JourneyDefinition, tenantID: Int64) async throws(StorageError) -> Journey {
        let rows = try await db.execute(
            """
            UPDATE journeys SET name = \(definition.name), definition = \(JSONCoding.encode(definition))
            WHERE tenant_id = \(tenantID) AND id = \(id) AND status IN (\(JourneyStatus.draft.rawValue), \(JourneyStatus.paused.rawValue))
            RETURNING \(Self.columns)
            """, requireRow: .notFound)
        guard let row = rows.first else { throw .notFound }
        return try Self.journey(row)
    }

    func list(tenantID: Int64) async throws(StorageError) -> [Journey] {
        try await db.read("SELECT \(Self.columns) FROM journeys WHERE tenant_id = \(tenantID) ORDER BY id DESC LIMIT 500").map(Self.journey)
    }

    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> Journey? {
        try await db.read("SELECT \(Self.columns) FROM journeys WHERE tenant_id = \(tenantID) AND id = \(id)").first.map(Self.journey)
    }

    func setStatus(id: Int64, status: JourneyStatus, at now: Int64, tenantID: Int64) async throws(StorageError) -> Journey {
        // An ended journey stays ended; a first start marks where stage moves begin to count.
        let starting = status == .running
        let started: SQLStatement = starting ? "CASE WHEN started_at IS NULL THEN \(now) ELSE started_at END" : "started_at"
        let through: SQLStatement = starting ? "CASE WHEN started_at IS NULL THEN \(now) ELSE entered_through END" : "entered_through"
        let rows = try await db.execute(
            """
            UPDATE journeys SET status = \(status.rawValue), started_at = \(started), entered_through = \(through)
            WHERE tenant_id = \(tenantID) AND id = \(id) AND status <> \(JourneyStatus.ended.rawValue)
            RETURNING \(Self.columns)
            """, requireRow: .notFound)
        guard let row = rows.first else { throw .notFound }
        return try Self.journey(row)
    }

    func running() async throws(StorageError) -> [(tenantID: Int64, journey: Journey)] {
        try await db.read("SELECT \(Self.columns) FROM journeys WHERE status = \(JourneyStatus.running.rawValue) ORDER BY tenant_id, id").map {
            (row: SQLRow) throws(StorageError) in (try row.int("tenant_id"), try Self.journey(row))
        }
    }

    private static func notOn(_ journeyID: Int64, profile: SQLStatement) -> SQLStatement {
        "NOT EXISTS (SELECT 1 FROM journey_entries j WHERE j.tenant_id = p.tenant_id AND j.journey_id = \(journeyID) AND j.profile_id = \(profile))"
    }

    func stageEntrants(
        stage: LifecycleStage, since: Int64, until: Int64, limit: Int, journeyID: Int64, tenantID: Int64
    ) async throws(StorageError) -> [(profileID: Int64, at: Int64)] {
        try await db.read(
            """
            SELECT t.profile_id, t.at FROM lifecycle_transitions t
            JOIN consumer_profiles p ON p.tenant_id = t.tenant_id AND p.id = t.profile_id AND p.merged_into IS NULL
            WHERE t.tenant_id = \(tenantID) AND t.to_stage = \(stage.rawValue) AND t.at >= \(since) AND t.at <= \(until) AND \(Self.notOn(journeyID, profile: "t.profile_id"))
            ORDER BY t.at, t.profile_id LIMIT \(Int64(max(1, min(limit, 10_000))))
            """
        ).map { (row: SQLRow) throws(StorageError) in (try row.int("profile_id"), try row.int("at")) }
    }

    func storeVisitors(
        storeID: Int64, since: Int64, until: Int64, limit: Int, journeyID: Int64, tenantID: Int64
    ) async throws(StorageError) -> [(profileID: Int64, at: Int64)] {
        // Scan events name consumers `consumer:` and the identity's pseudonym (ten characters on).
        return try await db.read(
            """
            SELECT p.id AS profile_id, MAX(e.scanned_at) AS at FROM scan_events e
            JOIN consumer_identities i ON i.tenant_id = e.tenant_id AND i.pseudonym = substr(e.consumer, 10)
            JOIN consumer_profiles p ON p.tenant_id = i.tenant_id AND p.id = i.profile_id AND p.merged_into IS NULL
            WHERE e.tenant_id = \(tenantID) AND e.scanned_at >= \(since) AND e.scanned_at <= \(until) AND e.store_id = \(storeID)
                AND e.status = \(CodeStatus.active.rawValue) AND e.consumer LIKE 'consumer:%' AND \(Self.notOn(journeyID, profile: "p.id"))
            GROUP BY p.id ORDER BY MAX(e.scanned_at), p.id LIMIT \(Int64(max(1, min(limit, 10_000))))
            """
        ).map { (row: SQLRow) throws(StorageError) in (try row.int("profile_id"), try row.int("at")) }
    }

    func inactiveEntrants(before: Int64, limit: Int, journeyID: Int64, tenantID: Int64) async throws(StorageError) -> [Int64] {
        try await db.read(
            """
            SELECT p.id FROM consumer_profiles p
            WHERE p.tenant_id = \(tenantID) AND p.merged_into IS NULL AND p.last_scan_at > 0 AND p.last_scan_at < \(before)
                AND \(Self.notOn(journeyID, profile: "p.id"))
            ORDER BY p.id LIMIT \(Int64(max(1, min(limit, 10_000))))
            """
        ).map { (row: SQLRow) throws(StorageError) in try row.int("id") }
    }

    func notEntered(_ profileIDs: [Int64], journeyID: Int64, tenantID: Int64) async throws(StorageError) -> [Int64] {
        guard !profileIDs.isEmpty else { return [] }
        var on = Set<Int64>()
        for chunk in stride(from: 0, to: profileIDs.count, by: 1_000) {
            let ids = SQLStatement.join(profileIDs[chunk..<min(chunk + 1_000, profileIDs.count)].map { "\($0)" }, separator: ", ")
            for row in try await db.read(
                "SELECT profile_id FROM journey_entries WHERE tenant_id = \(tenantID) AND journey_id = \(journeyID) AND profile_id IN (\(ids))")
            {
                on.insert(try row.int("profile_id"))
            }
        }
        return profileIDs.filter { !on.contains($0) }
    }

    func enter(
        _ entrants: [(profileID: Int64, heldOut: Bool)], firstStep: Int, at now: Int64, through: Int64?, journeyID: Int64, tenantID: Int64
    ) async throws(StorageError) -> Int {
        var steps: [SQLStep] = []
        for start in stride(from: 0, to: entrants.count, by: 500) {
            let rows = entrants[start..<min(start + 500, entrants.count)].map { entrant -> SQLStatement in
                // The held-out are on the journey (for its report) but at no step.
                let step: Int? = entrant.heldOut ? nil : firstStep
                let ended: Int64? = entrant.heldOut ? now : nil
                return
                    "(\(tenantID), \(journeyID), \(entrant.profileID), \(entrant.heldOut), \(now), \(step), \(entrant.heldOut ? nil : now), \(ended))"
            }
            steps.append(
                SQLStep(
                    """
                    INSERT INTO journey_entries (tenant_id, journey_id, profile_id, held_out, entered_at, step, due_at, ended_at)
                    VALUES \(SQLStatement.join(rows, separator: ", "))
                    ON CONFLICT (tenant_id, journey_id, profile_id) DO NOTHING
                    RETURNING profile_id
                    """))
        }
        if let through {
            steps.append(
                SQLStep(
                    "UPDATE journeys SET entered_through = \(through) WHERE tenant_id = \(tenantID) AND id = \(journeyID) AND entered_through < \(through)"
                ))
        }
        guard !steps.isEmpty else { return 0 }
        let results = try await db.transaction(steps)
        return results.prefix(results.count - (through == nil ? 0 : 1)).reduce(0) { $0 + $1.count }
    }

    private static func entry(_ row: SQLRow) throws(StorageError) -> JourneyEntry {
        JourneyEntry(
            journeyID: try row.int("journey_id"), profileID: try row.int("profile_id"), heldOut: try row.int("held_out") != 0,
            enteredAt: try row.int("entered_at"), step: row.optionalInt("step").map { Int($0) }, dueAt: row.optionalInt("due_at"))
    }

    func due(now: Int64, limit: Int, journeyID: Int64, tenantID: Int64) async throws(StorageError) -> [JourneyEntry] {
        try await db.read(
            """
            SELECT journey_id, profile_id, held_out, entered_at, step, due_at FROM journey_entries
            WHERE due_at <= \(now) AND tenant_id = \(tenantID) AND journey_id = \(journeyID)
            ORDER BY due_at, profile_id LIMIT \(Int64(max(1, min(limit, 5_000))))
            """
        ).map(Self.entry)
    }

    func lastScans(of profileIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [Int64: Int64] {
        var found: [Int64: Int64] = [:]
        for start in stride(from: 0, to: profileIDs.count, by: 1_000) {
            let ids = SQLStatement.join(profileIDs[start..<min(start + 1_000, profileIDs.count)].map { "\($0)" }, separator: ", ")
            for row in try await db.read("SELECT id, last_scan_at FROM consumer_profiles WHERE tenant_id = \(tenantID) AND id IN (\(ids))") {
                found[try row.int("id")] = try row.int("last_scan_at")
            }
        }
        return found
    }

    static func moveStep(_ entry: JourneyEntry, from step: Int, to next: Int?, dueAt: Int64, at now: Int64, tenantID: Int64) -> SQLStep {
        let due: Int64? = next == nil ? nil : dueAt
        let ended: Int64? = next == nil ? now : nil
        return SQLStep(
            """
            UPDATE journey_entries SET step = \(next), due_at = \(due), ended_at = \(ended)
            WHERE tenant_id = \(tenantID) AND journey_id = \(entry.journeyID) AND profile_id = \(entry.profileID) AND step = \(step)
            RETURNING profile_id
            """, name: "moved")
    }

    func move(
        _ entry: JourneyEntry, from step: Int, to next: Int?, dueAt: Int64, recording outcome: (kind: JourneyStepKind, outcome: JourneyOutcome)?,
        at now: Int64, tenantID: Int64
    ) async throws(StorageError) -> Bool {
        var steps = [Self.moveStep(entry, from: step, to: next, dueAt: dueAt, at: now, tenantID: tenantID)]
        if let outcome {
            steps.append(
                SQLStep(
                    """
                    INSERT INTO journey_actions (tenant_id, journey_id, profile_id, step, kind, outcome, at)
                    VALUES (\(tenantID), \(entry.journeyID), \(entry.profileID), \(step), \(outcome.kind.rawValue), \(outcome.outcome.rawValue), \(now))
                    ON CONFLICT (tenant_id, journey_id, profile_id, step) DO NOTHING
                    """))
        }
        // Only the runner that moved the entry records its outcome.
        let planned = steps
        let results = try await db.transaction(
            named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
                switch done.phase {
                case 0: return [planned[0]]
                case 1: return done["moved"].isEmpty ? [] : Array(planned.dropFirst())
                default: return []
                }
            })
        return !results["moved"].isEmpty
    }

    func claim(_ entry: JourneyEntry, step: Int, kind: JourneyStepKind, at now: Int64, tenantID: Int64) async throws(StorageError) -> JourneyClaim {
        let taken = try await db.execute(
            """
            INSERT INTO journey_actions (tenant_id, journey_id, profile_id, step, kind, outcome, at)
            VALUES (\(tenantID), \(entry.journeyID), \(entry.profileID), \(step), \(kind.rawValue), \(JourneyOutcome.sending.rawValue), \(now))
            ON CONFLICT (tenant_id, journey_id, profile_id, step) DO NOTHING
            RETURNING step
            """)
        if !taken.isEmpty { return .claimed }
        guard
            let row = try await db.read(
                """
                SELECT outcome, at FROM journey_actions
                WHERE tenant_id = \(tenantID) AND journey_id = \(entry.journeyID) AND profile_id = \(entry.profileID) AND step = \(step)
                """
            ).first, let outcome = JourneyOutcome(rawValue: try row.string("outcome"))
        else { throw .corruptRow("journey_actions") }
        return outcome == .sending ? .pending(at: try row.int("at")) : .recorded(outcome)
    }

    func finish(
        _ entry: JourneyEntry, step: Int, outcome: JourneyOutcome, to next: Int?, dueAt: Int64, at now: Int64, tenantID: Int64
    ) async throws(StorageError) {
        _ = try await db.transaction([
            SQLStep(
                """
                UPDATE journey_actions SET outcome = \(outcome.rawValue), at = \(now)
                WHERE tenant_id = \(tenantID) AND journey_id = \(entry.journeyID) AND profile_id = \(entry.profileID) AND step = \(step)
                    AND outcome = \(JourneyOutcome.sending.rawValue)
                """),
            Self.moveStep(entry, from: step, to: next, dueAt: dueAt, at: now, tenantID: tenantID),
        ])
    }

    func moveAll(_ moves: [JourneyMove], at now: Int64, tenantID: Int64) async throws(StorageError) -> Int {
        guard !moves.isEmpty else { return 0 }
        let updates = moves.enumerated().map { index, move in
            var step = Self.moveStep(move.entry, from: move.from, to: move.to, dueAt: move.dueAt, at: now, tenantID: tenantID)
            step.name = "m\(index)"
            return step
        }
        // Only the runner that moved an entry records its outcome.
        let results = try await db.transaction(
            named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
                switch done.phase {
                case 0: return updates
                case 1:
                    let rows = moves.enumerated().compactMap { index, move -> SQLStatement? in
                        guard let outcome = move.outcome, !done["m\(index)"].isEmpty else { return nil }
                        return
                            "(\(tenantID), \(move.entry.journeyID), \(move.entry.profileID), \(move.from), \(outcome.kind.rawValue), \(outcome.outcome.rawValue), \(now))"
                    }
                    return Self.actionRows(rows)
                default: return []
                }
            })
        return moves.indices.filter { !results["m\($0)"].isEmpty }.count
    }

    private static func actionRows(_ rows: [SQLStatement]) -> [SQLStep] {
        stride(from: 0, to: rows.count, by: 500).map { start in
            SQLStep(
                """
                INSERT INTO journey_actions (tenant_id, journey_id, profile_id, step, kind, outcome, at)
                VALUES \(SQLStatement.join(Array(rows[start..<min(start + 500, rows.count)]), separator: ", "))
                ON CONFLICT (tenant_id, journey_id, profile_id, step) DO NOTHING
                """)
        }
    }

    func award(_ awards: [JourneyAward], at now: Int64, journeyID: Int64, tenantID: Int64) async throws(StorageError) -> Int {
        guard !awards.isEmpty else { return 0 }
        let firstID = try await db.allocateIDs("ledger_entries", tenantID: tenantID, count: awards.count)
        let budget = LedgerAccount.journeyBudget(journeyID: journeyID)
        let updates = awards.enumerated().map { index, award in
            var step = Self.moveStep(award.entry, from: award.step, to: award.next, dueAt: award.dueAt, at: now, tenantID: tenantID)
            step.name = "m\(index)"
            return step
        }
        let results = try await db.transaction(
            named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
                guard done.phase == 1 else { return done.phase == 0 ? updates : [] }
                let won = awards.enumerated().filter { !done["m\($0.offset)"].isEmpty }
                guard !won.isEmpty else { return [] }
                var entries: [(entry: LedgerEntry, id: Int64, tenantID: Int64)] = []
                var records: [(posting: LedgerPosting, entryID: Int64, tenantID: Int64)] = []
                var credits: [String: (account: LedgerAccount, amount: Int64)] = [:]
                var total: Int64 = 0
                var actions: [SQLStatement] = []
                for (index, award) in won {
                    let entry = try Self.transfer(award, journeyID: journeyID)
                    let id = firstID + Int64(index)
                    entries.append((entry, id, tenantID))
                    for posting in entry.postings { records.append((posting, id, tenantID)) }
                    let wallet = LedgerAccount.consumerWallet(award.wallet)
                    credits[wallet.code, default: (wallet, 0)].amount += award.points
                    // Points are 1…10,000 each and a batch holds at most a few thousand: no overflow.
                    total += award.points
                    actions.append(
                        "(\(tenantID), \(journeyID), \(award.entry.profileID), \(award.step), \(JourneyStepKind.points.rawValue), \(JourneyOutcome.done.rawValue), \(now))"
                    )
                }
                let code = budget.code
                var steps = LedgerSteps.entries(entries, at: now)
                steps.append(
                    SQLStep(
                        """
                        INSERT INTO ledger_accounts (tenant_id, code, asset, floor, balance) VALUES (\(tenantID), \(code), \(LedgerAsset.points.rawValue), 0, 0)
                        ON CONFLICT (tenant_id, code, asset) DO NOTHING
                        """))
                steps.append(
                    SQLStep(
                        """
                        UPDATE ledger_accounts SET balance = balance - \(total)
                        WHERE tenant_id = \(tenantID) AND code = \(code) AND asset = \(LedgerAsset.points.rawValue) AND balance - \(total) >= 0
                        RETURNING balance
                        """, requireRow: .floorReached(code)))
                steps += LedgerSteps.credits(
                    credits.values.sorted { $0.account.code < $1.account.code }.map { (tenantID, $0.account, LedgerAsset.points, $0.amount) })
                steps += LedgerSteps.records(records)
                return steps + Self.actionRows(actions)
            })
        return awards.indices.filter { !results["m\($0)"].isEmpty }.count
    }

    /// The ledger entry of one journey award: points from the journey's budget to the consumer's wallet.
    static func transfer(_ award: JourneyAward, journeyID: Int64) throws(StorageError) -> LedgerEntry {
        do {
            return try LedgerEntry.transfer(
                key: JourneyAward.ledgerKey(journeyID: journeyID, profileID: award.entry.profileID, step: award.step), memo: "journey points",
                award.points, .points, from: .journeyBudget(journeyID: journeyID), to: .consumerWallet(award.wallet))
        } catch {
            throw .corruptRow("journey award")
        }
    }

    func wallets(of profileIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [Int64: String] {
        var found: [Int64: (rank: Int, seen: Int64, wallet: String)] = [:]
        let rank = ["openid": 0, "phone": 1, "unionid": 2, "scanner": 3]
        for start in stride(from: 0, to: profileIDs.count, by: 1_000) {
            let ids = SQLStatement.join(profileIDs[start..<min(start + 1_000, profileIDs.count)].map { "\($0)" }, separator: ", ")
            for row in try await db.read(
                """
                SELECT profile_id, pseudonym, kind, first_seen FROM consumer_identities
                WHERE tenant_id = \(tenantID) AND profile_id IN (\(ids)) AND kind IN ('openid', 'phone', 'unionid', 'scanner')
                """)
            {
                let candidate = (rank[try row.string("kind")] ?? 9, try row.int("first_seen"), try row.string("pseudonym"))
                let id = try row.int("profile_id")
                if let held = found[id], (held.rank, held.seen, held.wallet) <= candidate { continue }
                found[id] = candidate
            }
        }
        return found.mapValues(\.wallet)
    }

    func release(_ entry: JourneyEntry, step: Int, retryAt: Int64, tenantID: Int64) async throws(StorageError) {
        _ = try await db.transaction([
            SQLStep(
                """
                DELETE FROM journey_actions
                WHERE tenant_id = \(tenantID) AND journey_id = \(entry.journeyID) AND profile_id = \(entry.profileID) AND step = \(step)
                    AND outcome = \(JourneyOutcome.sending.rawValue)
                """),
            SQLStep(
                """
                UPDATE journey_entries SET due_at = \(retryAt)
                WHERE tenant_id = \(tenantID) AND journey_id = \(entry.journeyID) AND profile_id = \(entry.profileID) AND step = \(step)
                """),
        ])
    }

    func messagesSent(to profileID: Int64, since: Int64, tenantID: Int64) async throws(StorageError) -> Int {
        let handed = [JourneyOutcome.done, .sending, .unknown].map { "\($0.rawValue)" as SQLStatement }
        return Int(
            try await db.read(
                """
                SELECT COUNT(*) AS n FROM journey_actions
                WHERE tenant_id = \(tenantID) AND profile_id = \(profileID) AND kind = \(JourneyStepKind.message.rawValue) AND at >= \(since)
                    AND outcome IN (\(SQLStatement.join(handed, separator: ", ")))
                """
            ).first?.optionalInt("n") ?? 0)
    }

    func saveContact(_ sealed: String?, wallet: String, at now: Int64, tenantID: Int64) async throws(StorageError) {
        if let sealed {
            try await db.execute(
                """
                INSERT INTO consumer_contacts (tenant_id, wallet, contact_sealed, at) VALUES (\(tenantID), \(wallet), \(sealed), \(now))
                ON CONFLICT (tenant_id, wallet) DO UPDATE SET contact_sealed = excluded.contact_sealed, at = excluded.at
                """)
        } else {
            try await db.execute("DELETE FROM consumer_contacts WHERE tenant_id = \(tenantID) AND wallet = \(wallet)")
        }
    }

    func contact(of profileID: Int64, tenantID: Int64) async throws(StorageError) -> (wallet: String, sealed: String)? {
        guard
            let row = try await db.read(
                """
                SELECT c.wallet, c.contact_sealed FROM consumer_identities i
                JOIN consumer_contacts c ON c.tenant_id = i.tenant_id AND c.wallet = i.pseudonym
                WHERE i.tenant_id = \(tenantID) AND i.profile_id = \(profileID)
                    AND (SELECT k.granted FROM consumer_consents k WHERE k.tenant_id = i.tenant_id AND k.wallet = i.pseudonym
                        AND k.purpose = \(ConsentPurpose.marketing.rawValue) ORDER BY k.at DESC LIMIT 1) = 1
                ORDER BY c.at DESC LIMIT 1
                """
            ).first
        else { return nil }
        return (try row.string("wallet"), try row.string("contact_sealed"))
    }

    func report(journeyID: Int64, goalDays: Int, tenantID: Int64) async throws(StorageError) -> JourneyReport {
        let window = Int64(goalDays) * 86_400_000
        let groups = try await db.read(
            """
            SELECT e.held_out, COUNT(*) AS n, SUM(CASE WHEN e.ended_at IS NULL THEN 1 ELSE 0 END) AS active,
                SUM(CASE WHEN EXISTS (
                    SELECT 1 FROM consumer_identities i
                    JOIN scan_events s ON s.tenant_id = i.tenant_id AND s.consumer = 'consumer:' || i.pseudonym
                    WHERE i.tenant_id = e.tenant_id AND i.profile_id = e.profile_id AND s.scanned_at > e.entered_at
                        AND s.scanned_at <= e.entered_at + \(window) AND s.status = \(CodeStatus.active.rawValue)
                ) THEN 1 ELSE 0 END) AS converted
            FROM journey_entries e
            WHERE e.tenant_id = \(tenantID) AND e.journey_id = \(journeyID)
            GROUP BY e.held_out
            """)
        var report = JourneyReport(entered: 0, heldOut: 0, active: 0, converted: 0, heldOutConverted: 0, steps: [:])
        for row in groups {
            let n = row.optionalInt("n") ?? 0
            let converted = row.optionalInt("converted") ?? 0
            if try row.int("held_out") != 0 {
                report.heldOut = n
                report.heldOutConverted = converted
            } else {
                report.entered = n
                report.converted = converted
                report.active = row.optionalInt("active") ?? 0
            }
        }
        for row in try await db.read(
            """
            SELECT step, outcome, COUNT(*) AS n FROM journey_actions WHERE tenant_id = \(tenantID) AND journey_id = \(journeyID)
            GROUP BY step, outcome
            """)
        {
            guard let outcome = JourneyOutcome(rawValue: try row.string("outcome")) else { continue }
            report.steps[Int(try row.int("step")), default: [:]][outcome] = row.optionalInt("n") ?? 0
        }
        return report
    }
}
