public import FullChainCore

/// The AARRR lifecycle: each brand's settings, each profile's moves along the path, and the
/// rollups the funnel and cohort pages read.
public protocol LifecycleRepository: Sendable {
    /// The brand's settings (the standard ones until it saves its own).
    func settings(tenantID: Int64) async throws(StorageError) -> LifecycleSettings
    func save(_ settings: LifecycleSettings, by user: String, at now: Int64, tenantID: Int64) async throws(StorageError)
    /// Moves a profile as far along the path as what its people did takes it: records each move
    /// once, counts it in the rollups once, and counts the weeks it scanned in its cohort. The
    /// moves made (none when it was already there, or merged into another).
    func advance(_ profileID: Int64, settings: LifecycleSettings, now: Int64, tenantID: Int64) async throws(StorageError) -> [LifecycleTransition]
    /// A profile's moves, in order.
    func transitions(of profileID: Int64, tenantID: Int64) async throws(StorageError) -> [LifecycleTransition]
    /// Consumers within reach who were acquired on business days `days` and how many of them
    /// reached each stage since; and how many consumers reached each stage on those days.
    func funnel(days: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> LifecycleFunnel
    /// The weekly cohorts within reach acquired in `weeks`, with how many scanned in each week since.
    func cohorts(weeks: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> [LifecycleCohort]
}

struct SQLLifecycleRepository: LifecycleRepository {
    let db: any SQLDatabase

    /// Scans read per profile at most: a person scans a few a week; more is a machine.
    static let maxScans = 10_000

    func settings(tenantID: Int64) async throws(StorageError) -> LifecycleSettings {
        guard let row = try await db.read("SELECT settings FROM lifecycle_settings WHERE tenant_id = \(tenantID)").first else { return .standard }
        do { return try JSONCoding.decode(LifecycleSettings.self, from: try row.string("settings")) } catch {
            throw .corruptRow("lifecycle settings")
        }
    }

    func save(_ settings: LifecycleSettings, by user: String, at now: Int64, tenantID: Int64) async throws(StorageError) {
        try await db.execute(
            """
            INSERT INTO lifecycle_settings (tenant_id, settings, updated_by, updated_at) VALUES (\(tenantID), \(JSONCoding.encode(settings)), \(user), \(now))
            ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """)
    }

    func advance(_ profileID: Int64, settings: LifecycleSettings, now: Int64, tenantID: Int64) async throws(StorageError) -> [LifecycleTransition] {
        guard
            let profile = try await db.read(
                """
                SELECT merged_into, lifecycle_stage, acquired_at, acquired_store_id FROM consumer_profiles
                WHERE tenant_id = \(tenantID) AND id = \(profileID)
                """
            ).first, profile.optionalInt("merged_into") == nil
        else { return [] }
        let current = profile.optionalString("lifecycle_stage").flatMap(LifecycleStage.init(rawValue:))
        let people = try await SQLConsumerProfileRepository(db: db).people(of: profileID, tenantID: tenantID)
        guard !people.isEmpty else { return [] }
        let facts = try await facts(of: profileID, people: people, tenantID: tenantID)
        let moves = Lifecycle.advance(from: current, facts: facts.lifecycle, settings: settings)
        guard let acquiredAt = profile.optionalInt("acquired_at") ?? moves.first?.at else { return [] }
        let store = profile.optionalInt("acquired_store_id") ?? facts.firstStore ?? 0
        let weeks = Lifecycle.activeWeeks(scans: facts.lifecycle.scans, acquiredAt: acquiredAt).sorted()
        let cohortDay = BusinessDay.day(ofMillis: acquiredAt)
        let cohortWeek = Lifecycle.week(ofDay: cohortDay)
        let moved = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                var steps: [SQLStep] = []
                if let last = moves.last {
                    // Only from the stage it was read at: a concurrent advance that got there first wins.
                    steps.append(
                        SQLStep(
                            """
                            UPDATE consumer_profiles SET lifecycle_stage = \(last.to.rawValue), acquired_at = \(acquiredAt),
                                acquired_store_id = \(store), updated_at = \(now)
                            WHERE tenant_id = \(tenantID) AND id = \(profileID) AND COALESCE(lifecycle_stage, '') = \(current?.rawValue ?? "")
                            RETURNING id
                            """, name: "moved"))
                }
                if !weeks.isEmpty {
                    let rows = weeks.map { "(\(tenantID), \(profileID), \($0))" as SQLStatement }
                    steps.append(
                        SQLStep(
                            """
                            INSERT INTO lifecycle_active_weeks (tenant_id, profile_id, week_offset) VALUES \(SQLStatement.join(rows, separator: ", "))
                            ON CONFLICT (tenant_id, profile_id, week_offset) DO NOTHING RETURNING week_offset
                            """, name: "weeks"))
                }
                return steps
            case 1:
                var steps: [SQLStep] = []
                if !done["moved"].isEmpty {
                    steps += Self.record(moves, profileID: profileID, store: store, cohortDay: cohortDay, tenantID: tenantID)
                }
                let newWeeks = try done["weeks"].map { (row: SQLRow) throws(StorageError) in try row.int("week_offset") }
                if !newWeeks.isEmpty {
                    let rows = newWeeks.map { "(\(tenantID), \(cohortWeek), \(store), \($0), 1)" as SQLStatement }
                    steps.append(
                        SQLStep(
                            """
                            INSERT INTO lifecycle_cohort_weeks (tenant_id, cohort_week, store_id, week_offset, consumers)
                            VALUES \(SQLStatement.join(rows, separator: ", "))
                            ON CONFLICT (tenant_id, cohort_week, store_id, week_offset) DO UPDATE SET consumers = lifecycle_cohort_weeks.consumers + 1
                            """))
                }
                return steps
            default:
                return []
            }
        })
        return moved["moved"].isEmpty ? [] : moves
    }

    /// The moves, and each stage they pass counted by the day the profile was acquired and by the
    /// day it passed the stage.
    private static func record(_ moves: [LifecycleTransition], profileID: Int64, store: Int64, cohortDay: Int64, tenantID: Int64) -> [SQLStep] {
        struct Key: Hashable {
            var kind: String, day: Int64, stage: LifecycleStage
        }
        var counts: [Key: Int64] = [:]
        for move in moves {
            for stage in LifecycleStage.passed(from: move.from, to: move.to) {
                counts[Key(kind: "cohort", day: cohortDay, stage: stage), default: 0] += 1
                counts[Key(kind: "moved", day: BusinessDay.day(ofMillis: move.at), stage: stage), default: 0] += 1
            }
        }
        let transitions = moves.map {
            "(\(tenantID), \(profileID), \($0.to.rawValue), \($0.from?.rawValue), \($0.cause.rawValue), \($0.at), \(store))" as SQLStatement
        }
        let days = counts.sorted { ($0.key.kind, $0.key.day, $0.key.stage) < ($1.key.kind, $1.key.day, $1.key.stage) }.map {
            "(\(tenantID), \($0.key.kind), \($0.key.day), \(store), \($0.key.stage.rawValue), \($0.value))" as SQLStatement
        }
        return [
            SQLStep(
                """
                INSERT INTO lifecycle_transitions (tenant_id, profile_id, to_stage, from_stage, cause, at, store_id)
                VALUES \(SQLStatement.join(transitions, separator: ", "))
                """),
            SQLStep(
                """
                INSERT INTO lifecycle_days (tenant_id, kind, day, store_id, stage, consumers) VALUES \(SQLStatement.join(days, separator: ", "))
                ON CONFLICT (tenant_id, kind, day, store_id, stage) DO UPDATE SET consumers = lifecycle_days.consumers + excluded.consumers
                """),
        ]
    }

    /// What a profile's people did that the lifecycle reads, and the store of their first scan.
    private func facts(
        of profileID: Int64, people: [String], tenantID: Int64
    ) async throws(StorageError) -> (
        lifecycle: LifecycleFacts, firstStore: Int64?
    ) {
        let names = SQLConsumerProfileRepository.names(people), wallets = SQLConsumerProfileRepository.list(people)
        let scans = try await db.read(
            """
            SELECT scanned_at, store_id FROM scan_events
            WHERE tenant_id = \(tenantID) AND consumer IN (\(names)) AND status = \(CodeStatus.active.rawValue)
            ORDER BY scanned_at LIMIT \(Self.maxScans)
            """)
        let signedIn = try await db.read(
            """
            SELECT MIN(first_seen) AS at FROM consumer_identities
            WHERE tenant_id = \(tenantID) AND profile_id = \(profileID) AND kind IN (\(SQLStatement.join(IdentityKind.signedIn.map { "\($0.rawValue)" }, separator: ", ")))
            """
        ).first?.optionalInt("at")
        let reward = try await db.read(
            """
            SELECT MIN(e.created_at) AS at FROM ledger_postings p JOIN ledger_entries e ON e.tenant_id = p.tenant_id AND e.id = p.entry_id
            WHERE p.tenant_id = \(tenantID) AND p.account_code IN (\(names)) AND p.amount > 0 AND e.idempotency_key LIKE 'draw:%'
            """
        ).first?.optionalInt("at")
        let coupons = try await db.read(
            "SELECT MIN(redeemed_at) AS redeemed, MIN(taken_at) AS taken FROM coupons WHERE tenant_id = \(tenantID) AND wallet IN (\(wallets))"
        ).first
        let referred = try await db.read(
            """
            SELECT MIN(at) AS at FROM referrals WHERE tenant_id = \(tenantID) AND referrer IN (\(wallets))
            AND status = \(ReferralStatus.counted.rawValue)
            """
        ).first?.optionalInt("at")
        let times = try scans.map { (row: SQLRow) throws(StorageError) in try row.int("scanned_at") }
        return (
            LifecycleFacts(
                scans: times, signedInAt: signedIn, firstRewardAt: reward, firstRedemptionAt: coupons?.optionalInt("redeemed"),
                firstPointsSpentAt: coupons?.optionalInt("taken"), firstReferredScanAt: referred),
            scans.first?.optionalInt("store_id")
        )
    }

    func transitions(of profileID: Int64, tenantID: Int64) async throws(StorageError) -> [LifecycleTransition] {
        try await db.read(
            """
            SELECT to_stage, from_stage, cause, at FROM lifecycle_transitions WHERE tenant_id = \(tenantID) AND profile_id = \(profileID)
            ORDER BY at, to_stage LIMIT 10
            """
        ).map { (row: SQLRow) throws(StorageError) in
            guard let to = LifecycleStage(rawValue: try row.string("to_stage")), let cause = LifecycleCause(rawValue: try row.string("cause")) else {
                throw .corruptRow("lifecycle transition")
            }
            return LifecycleTransition(
                from: row.optionalString("from_stage").flatMap(LifecycleStage.init(rawValue:)), to: to, cause: cause, at: try row.int("at"))
        }.sorted { ($0.at, $0.to) < ($1.at, $1.to) }
    }

    /// Rollup rows whose store is within reach (HQ also sees consumers acquired without a store).
    private static func stores(_ scope: AccessScope) -> SQLStatement {
        if case .wholeTenant = scope.reach { return "r.tenant_id = \(scope.tenantID)" }
        return "r.tenant_id = \(scope.tenantID) AND r.store_id IN (SELECT s.id FROM stores s WHERE \(ScopeSQL.stores(scope)))"
    }

    func funnel(days: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> LifecycleFunnel {
        let rows = try await db.read(
            """
            SELECT r.kind, r.stage, CAST(SUM(r.consumers) AS BIGINT) AS n FROM lifecycle_days r
            WHERE \(Self.stores(scope)) AND r.day >= \(days.lowerBound) AND r.day <= \(days.upperBound)
            GROUP BY r.kind, r.stage
            """)
        var funnel = LifecycleFunnel(days: days)
        for row in rows {
            guard let stage = LifecycleStage(rawValue: try row.string("stage")) else { throw .corruptRow("lifecycle stage") }
            let n = try row.int("n")
            if try row.string("kind") == "cohort" { funnel.reached[stage] = n } else { funnel.moved[stage] = n }
        }
        return funnel
    }

    func cohorts(weeks: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> [LifecycleCohort] {
        let rows = try await db.read(
            """
            SELECT r.cohort_week, r.week_offset, CAST(SUM(r.consumers) AS BIGINT) AS n FROM lifecycle_cohort_weeks r
            WHERE \(Self.stores(scope)) AND r.cohort_week >= \(weeks.lowerBound) AND r.cohort_week <= \(weeks.upperBound)
            GROUP BY r.cohort_week, r.week_offset
            """)
        var cohorts: [Int64: [Int64: Int64]] = [:]
        for row in rows { cohorts[try row.int("cohort_week"), default: [:]][try row.int("week_offset")] = try row.int("n") }
        return cohorts.keys.sorted().map { week in
            LifecycleCohort(week: week, active: cohorts[week] ?? [:], lastWeek: weeks.upperBound)
        }
    }
}
