public import FullChainCore

/// Why a tag could not be put on or taken off by hand.
public enum TagRefusal: Error, Sendable, Equatable {
    /// The tag (or the profile) is not there within the brand.
    case notFound
    /// The tag has a rule: its rule alone puts it on and takes it off.
    case ruleTag
}

/// Tags on consumer profiles: the brand's definitions, the profiles carrying each, rule tags kept
/// current as the profiles' events arrive and as their windows pass.
public protocol ConsumerTagRepository: Sendable {
    /// A new tag; a rule tag is then put on the profiles there are, a batch at a time (`catchUp`).
    func create(_ draft: TagDraft, owner: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> ConsumerTag
    /// The brand's tags by name.
    func list(tenantID: Int64) async throws(StorageError) -> [ConsumerTag]
    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> ConsumerTag?
    /// Deletes a tag and takes it off everyone.
    func delete(id: Int64, tenantID: Int64) async throws(StorageError)
    /// The tags a profile carries, by name.
    func tags(ofProfile profileID: Int64, tenantID: Int64) async throws(StorageError) -> [ProfileTag]
    /// Puts a manual tag on a live profile; false when it was on already.
    func tag(_ profileID: Int64, with tagID: Int64, by user: String, at now: Int64, tenantID: Int64) async throws -> Bool
    /// Takes a manual tag off a profile; false when it was not on.
    func untag(_ profileID: Int64, tagID: Int64, tenantID: Int64) async throws -> Bool
    /// Applies the rule tags to these profiles as they are now. How many tags went on or came off.
    @discardableResult
    func evaluate(_ profileIDs: [Int64], now: Int64, tenantID: Int64) async throws(StorageError) -> Int
    /// Asks again the profiles whose rule tags are due (a window passed) and puts new rule tags
    /// on a batch of the profiles there were before them. How many profiles it evaluated.
    func catchUp(now: Int64, batch: Int, tenantID: Int64) async throws(StorageError) -> Int
}

struct SQLConsumerTagRepository: ConsumerTagRepository {
    let db: any SQLDatabase

    private static let columns: SQLStatement = "id, name, description, owner, rule, members, backfill_after, created_at"

    private static func tag(_ row: SQLRow) throws(StorageError) -> ConsumerTag {
        var rule: TagRule? = nil
        if let text = row.optionalString("rule") {
            do { rule = try JSONCoding.decode(TagRule.self, from: text) } catch { throw .corruptRow("tag rule") }
        }
        return ConsumerTag(
            id: try row.int("id"), name: try row.string("name"), description: try row.string("description"), owner: try row.string("owner"),
            rule: rule, members: try row.int("members"), current: row.optionalInt("backfill_after") == nil, createdAt: try row.int("created_at"))
    }

    func create(_ draft: TagDraft, owner: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> ConsumerTag {
        let id = try await db.allocateIDs("consumer_tags", tenantID: tenantID)
        let rule = draft.rule.map { JSONCoding.encode($0) }
        // A rule tag starts from the first profile; a manual one has nobody to catch up on.
        let backfill: Int64? = draft.rule == nil ? nil : 0
        let rows = try await db.execute(
            """
            INSERT INTO consumer_tags (tenant_id, id, name, description, owner, rule, members, backfill_after, created_at)
            VALUES (\(tenantID), \(id), \(draft.name), \(draft.description), \(owner), \(rule), 0, \(backfill), \(now))
            RETURNING \(Self.columns)
            """)
        guard let row = rows.first else { throw .corruptRow("consumer_tags") }
        return try Self.tag(row)
    }

    func list(tenantID: Int64) async throws(StorageError) -> [ConsumerTag] {
        try await db.read("SELECT \(Self.columns) FROM consumer_tags WHERE tenant_id = \(tenantID) ORDER BY name, id LIMIT 1000").map(Self.tag)
    }

    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> ConsumerTag? {
        try await db.read("SELECT \(Self.columns) FROM consumer_tags WHERE tenant_id = \(tenantID) AND id = \(id)").first.map(Self.tag)
    }

    func delete(id: Int64, tenantID: Int64) async throws(StorageError) {
        try await db.transaction([
            SQLStep("DELETE FROM consumer_tag_members WHERE tenant_id = \(tenantID) AND tag_id = \(id)"),
            SQLStep("DELETE FROM consumer_tags WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING id", requireRow: .notFound),
        ])
    }

    func tags(ofProfile profileID: Int64, tenantID: Int64) async throws(StorageError) -> [ProfileTag] {
        try await db.read(
            """
            SELECT t.id, t.name, t.rule, m.since, m.by_user FROM consumer_tag_members m
            JOIN consumer_tags t ON t.tenant_id = m.tenant_id AND t.id = m.tag_id
            WHERE m.tenant_id = \(tenantID) AND m.profile_id = \(profileID) ORDER BY t.name, t.id LIMIT 1000
            """
        ).map { (row: SQLRow) throws(StorageError) in
            ProfileTag(
                tagID: try row.int("id"), name: try row.string("name"), manual: row.optionalString("rule") == nil, since: try row.int("since"),
                by: row.optionalString("by_user"))
        }
    }

    /// A manual tag of the brand, and a live profile of it: or why not.
    private func manualTag(_ tagID: Int64, profile profileID: Int64, tenantID: Int64) async throws {
        guard let tag = try await get(id: tagID, tenantID: tenantID) else { throw TagRefusal.notFound }
        guard tag.rule == nil else { throw TagRefusal.ruleTag }
        guard
            try await !db.read(
                "SELECT id FROM consumer_profiles WHERE tenant_id = \(tenantID) AND id = \(profileID) AND merged_into IS NULL"
            ).isEmpty
        else { throw TagRefusal.notFound }
    }

    func tag(_ profileID: Int64, with tagID: Int64, by user: String, at now: Int64, tenantID: Int64) async throws -> Bool {
        try await manualTag(tagID, profile: profileID, tenantID: tenantID)
        return try await change(
            """
            INSERT INTO consumer_tag_members (tenant_id, tag_id, profile_id, since, by_user)
            VALUES (\(tenantID), \(tagID), \(profileID), \(now), \(user)) ON CONFLICT DO NOTHING RETURNING tag_id
            """, members: 1, tagID: tagID, profileID: profileID, now: now, tenantID: tenantID)
    }

    func untag(_ profileID: Int64, tagID: Int64, tenantID: Int64) async throws -> Bool {
        try await manualTag(tagID, profile: profileID, tenantID: tenantID)
        return try await change(
            "DELETE FROM consumer_tag_members WHERE tenant_id = \(tenantID) AND tag_id = \(tagID) AND profile_id = \(profileID) RETURNING tag_id",
            members: -1, tagID: tagID, profileID: profileID, now: currentMillis(), tenantID: tenantID)
    }

    /// Puts a tag on or takes it off (`statement` returns the row it changed), and moves the tag's
    /// count by `members` and marks the profile changed in the same transaction when it did.
    private func change(
        _ statement: SQLStatement, members: Int64, tagID: Int64, profileID: Int64, now: Int64, tenantID: Int64
    ) async throws(StorageError) -> Bool {
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                return [SQLStep(statement, name: "changed")]
            case 1 where !done["changed"].isEmpty:
                return [
                    SQLStep("UPDATE consumer_tags SET members = members + \(members) WHERE tenant_id = \(tenantID) AND id = \(tagID)"),
                    SQLStep("UPDATE consumer_profiles SET updated_at = \(now) WHERE tenant_id = \(tenantID) AND id = \(profileID)"),
                ]
            default:
                return []
            }
        })
        return !done["changed"].isEmpty
    }

    /// The brand's rule tags.
    private func ruleTags(tenantID: Int64) async throws(StorageError) -> [(id: Int64, rule: TagRule)] {
        try await db.read("SELECT id, rule FROM consumer_tags WHERE tenant_id = \(tenantID) AND rule IS NOT NULL ORDER BY id").map {
            (row: SQLRow) throws(StorageError) in
            do { return (try row.int("id"), try JSONCoding.decode(TagRule.self, from: try row.string("rule"))) } catch {
                throw .corruptRow("tag rule")
            }
        }
    }

    func evaluate(_ profileIDs: [Int64], now: Int64, tenantID: Int64) async throws(StorageError) -> Int {
        let rules = try await ruleTags(tenantID: tenantID)
        guard !rules.isEmpty else { return 0 }
        var changed = 0
        for profileID in profileIDs {
            changed += try await evaluate(profileID, rules: rules, now: now, tenantID: tenantID)
        }
        return changed
    }

    private func evaluate(_ profileID: Int64, rules: [(id: Int64, rule: TagRule)], now: Int64, tenantID: Int64) async throws(StorageError) -> Int {
        let facts = try await facts(of: profileID, tenantID: tenantID)
        var wanted = Set<Int64>()
        var recheck: Int64? = nil
        for (id, rule) in rules {
            let verdict = rule.evaluate(facts, now: now)
            if verdict.matches { wanted.insert(id) }
            if let at = verdict.recheckAt { recheck = min(recheck ?? at, at) }
        }
        let ruleIDs = rules.map(\.id)
        let held: Set<Int64> =
            ruleIDs.isEmpty
            ? []
            : Set(
                try await db.read(
                    """
                    SELECT tag_id FROM consumer_tag_members WHERE tenant_id = \(tenantID) AND profile_id = \(profileID)
                    AND tag_id IN (\(SQLStatement.join(ruleIDs.map { "\($0)" }, separator: ", ")))
                    """
                ).map { (row: SQLRow) throws(StorageError) in try row.int("tag_id") })
        let adds = wanted.subtracting(held).sorted(), removes = held.subtracting(wanted).sorted()
        var writes: [SQLStep] = []
        for id in adds {
            writes.append(
                SQLStep(
                    """
                    INSERT INTO consumer_tag_members (tenant_id, tag_id, profile_id, since)
                    SELECT \(tenantID), \(id), \(profileID), \(now) WHERE EXISTS (SELECT 1 FROM consumer_tags WHERE tenant_id = \(tenantID) AND id = \(id))
                    ON CONFLICT DO NOTHING RETURNING tag_id
                    """, name: "changed"))
        }
        for id in removes {
            writes.append(
                SQLStep(
                    "DELETE FROM consumer_tag_members WHERE tenant_id = \(tenantID) AND tag_id = \(id) AND profile_id = \(profileID) RETURNING tag_id",
                    name: "changed"))
        }
        writes.append(
            SQLStep("UPDATE consumer_profiles SET tags_recheck_at = \(recheck) WHERE tenant_id = \(tenantID) AND id = \(profileID)"))
        let steps = writes
        // The counts move by what each statement did: a racing evaluation of the same profile moves them once.
        let done = try await db.transaction(phases: { (rows: [[SQLRow]]) throws(StorageError) -> [SQLStep] in
            guard rows.count == steps.count else { return rows.isEmpty ? steps : [] }
            var counts: [SQLStep] = []
            for (index, id) in adds.enumerated() where !rows[index].isEmpty {
                counts.append(SQLStep("UPDATE consumer_tags SET members = members + 1 WHERE tenant_id = \(tenantID) AND id = \(id)"))
            }
            for (index, id) in removes.enumerated() where !rows[adds.count + index].isEmpty {
                counts.append(SQLStep("UPDATE consumer_tags SET members = members - 1 WHERE tenant_id = \(tenantID) AND id = \(id)"))
            }
            // A profile whose tags changed has changed (the segment index reads it again).
            if !counts.isEmpty {
                counts.append(SQLStep("UPDATE consumer_profiles SET updated_at = \(now) WHERE tenant_id = \(tenantID) AND id = \(profileID)"))
            }
            return counts
        })
        return done.prefix(adds.count + removes.count).filter { !$0.isEmpty }.count
    }

    /// What a profile did, for its rule tags: its people's latest scans (product, store, region),
    /// rewards won and points spent. A merged profile did nothing of its own.
    func facts(of profileID: Int64, tenantID: Int64) async throws(StorageError) -> ConsumerFacts {
        guard
            let profile = try await db.read(
                "SELECT merged_into, first_scan_at, last_scan_at FROM consumer_profiles WHERE tenant_id = \(tenantID) AND id = \(profileID)"
            ).first, profile.optionalInt("merged_into") == nil
        else { return .none }
        let people = try await SQLConsumerProfileRepository(db: db).people(of: profileID, tenantID: tenantID)
        guard !people.isEmpty else { return .none }
        let names = SQLConsumerProfileRepository.names(people), wallets = SQLConsumerProfileRepository.list(people)
        let scans = try await db.read(
            """
            SELECT e.scanned_at, b.product_id, e.store_id, st.region_code FROM scan_events e
            JOIN code_batches b ON b.tenant_id = e.tenant_id AND b.id = e.batch_id
            LEFT JOIN stores st ON st.tenant_id = e.tenant_id AND st.id = e.store_id
            WHERE e.tenant_id = \(tenantID) AND e.consumer IN (\(names))
            ORDER BY e.scanned_at DESC LIMIT \(TagRule.maxCount)
            """
        ).map { (row: SQLRow) throws(StorageError) in
            ConsumerFacts.Scan(
                at: try row.int("scanned_at"), productID: row.optionalInt("product_id"), storeID: row.optionalInt("store_id"),
                regionCode: row.optionalString("region_code"))
        }
        let rewards = try await db.read(
            """
            SELECT e.created_at FROM ledger_postings p JOIN ledger_entries e ON e.tenant_id = p.tenant_id AND e.id = p.entry_id
            WHERE p.tenant_id = \(tenantID) AND p.account_code IN (\(names)) AND p.amount > 0 AND e.idempotency_key LIKE 'draw:%'
            ORDER BY e.created_at DESC LIMIT \(TagRule.maxCount)
            """
        ).map { (row: SQLRow) throws(StorageError) in try row.int("created_at") }
        let spent =
            try await db.read(
                "SELECT CAST(COALESCE(SUM(price_points), 0) AS BIGINT) AS n FROM coupons WHERE tenant_id = \(tenantID) AND wallet IN (\(wallets))"
            ).first?.optionalInt("n") ?? 0
        let last = profile.optionalInt("last_scan_at") ?? 0
        return ConsumerFacts(
            scans: scans, firstScanAt: profile.optionalInt("first_scan_at") ?? scans.last?.at, lastScanAt: last > 0 ? last : scans.first?.at,
            rewardsAt: rewards, pointsSpent: spent)
    }

    func catchUp(now: Int64, batch: Int, tenantID: Int64) async throws(StorageError) -> Int {
        let limit = Int64(max(1, min(batch, 10_000)))
        let rules = try await ruleTags(tenantID: tenantID)
        // Windows passed: profiles whose rule tags said "ask me again then".
        let due = try await db.read(
            """
            SELECT id FROM consumer_profiles WHERE tenant_id = \(tenantID) AND tags_recheck_at IS NOT NULL AND tags_recheck_at <= \(now)
            ORDER BY tags_recheck_at LIMIT \(limit)
            """
        ).map { (row: SQLRow) throws(StorageError) in try row.int("id") }
        if rules.isEmpty && !due.isEmpty {
            // The rule tags that asked were deleted since.
            try await db.execute(
                "UPDATE consumer_profiles SET tags_recheck_at = NULL WHERE tenant_id = \(tenantID) AND tags_recheck_at IS NOT NULL")
        } else {
            for id in due { _ = try await evaluate(id, rules: rules, now: now, tenantID: tenantID) }
        }
        // New rule tags: the profiles there were, in id order from where the slowest tag stands.
        let behind = try await db.read(
            "SELECT id, backfill_after FROM consumer_tags WHERE tenant_id = \(tenantID) AND backfill_after IS NOT NULL ORDER BY id"
        ).map { (row: SQLRow) throws(StorageError) in (id: try row.int("id"), after: try row.int("backfill_after")) }
        guard let from = behind.map(\.after).min() else { return due.count }
        let profiles = try await db.read(
            """
            SELECT id FROM consumer_profiles WHERE tenant_id = \(tenantID) AND id > \(from) AND merged_into IS NULL
            ORDER BY id LIMIT \(limit)
            """
        ).map { (row: SQLRow) throws(StorageError) in try row.int("id") }
        for id in profiles { _ = try await evaluate(id, rules: rules, now: now, tenantID: tenantID) }
        let through: Int64? = profiles.count < Int(limit) ? nil : profiles.last
        let tags = SQLStatement.join(behind.map { "\($0.id)" }, separator: ", ")
        if let through {
            try await db.execute(
                """
                UPDATE consumer_tags SET backfill_after = \(through)
                WHERE tenant_id = \(tenantID) AND id IN (\(tags)) AND backfill_after IS NOT NULL AND backfill_after < \(through)
                """)
        } else {
            try await db.execute("UPDATE consumer_tags SET backfill_after = NULL WHERE tenant_id = \(tenantID) AND id IN (\(tags))")
        }
        return due.count + profiles.count
    }
}
