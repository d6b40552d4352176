public import FullChainCore

/// An identity a profile holds, by its pseudonym.
public struct ProfileIdentity: Sendable, Equatable, Codable {
    public var pseudonym: String
    public var kind: IdentityKind
    public var firstSeen: Int64
}

/// A merge of one profile into another, with its evidence and the identities it moved.
public struct ConsumerMerge: Sendable, Equatable, Codable {
    public var id: Int64
    public var keptID: Int64
    public var mergedID: Int64
    public var evidence: MergeEvidence
    public var at: Int64
    public var undoneAt: Int64?
    /// The pseudonyms that moved from the merged profile to the kept one (and move back on unmerge).
    public var moved: [String]
}

/// Why a merge or an unmerge was refused.
public enum MergeRefusal: Error, Sendable, Equatable {
    case sameProfile
    /// A profile (or the merge) is not there within the brand.
    case notFound
    /// One of the two was merged into another profile already.
    case alreadyMerged
    /// The merge was undone before.
    case alreadyUndone
    /// The kept profile was merged into another since: undo that merge first.
    case mergedSince
}

/// A profile with what the brand's profile page shows.
public struct ConsumerProfileDetail: Sendable, Equatable {
    public struct Product: Sendable, Equatable {
        public var name: String
        public var scans: Int64
    }
    public struct StoreLine: Sendable, Equatable {
        public var storeID: Int64
        public var name: String
        public var regionCode: String
        public var scans: Int64
        public var lastScanAt: Int64
    }
    public struct Event: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            case scan, reward, coupon, couponRedeemed, consent, merge
        }
        public var at: Int64
        public var kind: Kind
        /// What happened, in the brand's words (a product, a campaign's prize, an item, a purpose).
        public var text: String
        /// A figure: fen for cash, points, or 1/0 for a consent given or withdrawn.
        public var amount: Int64?
    }
    public var summary: ConsumerSummary
    /// The profile this one was merged into, when it was.
    public var mergedInto: Int64?
    public var identities: [ProfileIdentity]
    public var tags: [ProfileTag]
    public var merges: [ConsumerMerge]
    public var products: [Product]
    public var stores: [StoreLine]
    public var cashWonFen: Int64
    public var pointsWon: Int64
    public var pointsBalance: Int64
    public var coupons: Int
    /// The latest choice per purpose.
    public var consents: [ConsentPurpose: Bool]
    /// Newest first.
    public var timeline: [Event]
}

/// One profile per person per brand: identities joined by their pseudonyms, deterministic and
/// manual merges (each recorded, each reversible), and figures rolled up from the scans.
public protocol ConsumerProfileRepository: Sendable {
    /// The live profile holding the identity.
    func profileID(of pseudonym: String, tenantID: Int64) async throws(StorageError) -> Int64?
    /// Puts the identities on one profile: new ones join the profile the others are on (or a new
    /// one labelled `label`); when they sit on several profiles and `evidence` says they are one
    /// person, the younger profiles are merged into the oldest (unless a merge of the two was
    /// undone before). Returns the profile.
    func attach(
        _ identities: [(pseudonym: String, kind: IdentityKind)], label: String, evidence: MergeEvidence?, at now: Int64, tenantID: Int64
    ) async throws(StorageError) -> Int64
    func merge(_ mergedID: Int64, into keptID: Int64, evidence: MergeEvidence, at now: Int64, tenantID: Int64) async throws -> ConsumerMerge
    /// Moves the merge's identities back to the profile they came from; both profiles' figures are rolled up anew.
    func unmerge(_ mergeID: Int64, at now: Int64, tenantID: Int64) async throws -> ConsumerMerge
    /// Rolls up the figures of the profiles whose consumers scanned since the last run (a day's
    /// look-back for scans sent late), creating profiles for consumers seen for the first time,
    /// and moves idle profiles to dormant or lost. The profiles touched.
    func rollup(now: Int64, tenantID: Int64) async throws(StorageError) -> Int
    /// The same from `since` on, whatever the last run saw (history loaded after the fact).
    func rollup(now: Int64, since: Int64, tenantID: Int64) async throws(StorageError) -> Int
    /// Rolls up one profile's figures from its identities' scans.
    func refresh(_ profileID: Int64, now: Int64, tenantID: Int64) async throws(StorageError)
    /// Rolls up the profiles of these consumers (scan names, `consumer:…`) with their tags and
    /// stages; a consumer first seen gets a profile of its own. Answers the profiles.
    func catchUp(consumers names: [String], now: Int64, tenantID: Int64) async throws(StorageError) -> Set<Int64>
    /// Live profiles within reach (their store within `scope`), most recent scan first. The
    /// total counts up to `ConsumerProfiles.countCap(for:)` (one more: "more than that").
    func list(_ query: ListQuery, filter: ConsumerFilter, scope: AccessScope) async throws(StorageError) -> Page<ConsumerSummary>
    /// These live profiles within reach, in the order given (a segment's page of members).
    func summaries(ids: [Int64], scope: AccessScope) async throws(StorageError) -> [ConsumerSummary]
    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> ConsumerProfileDetail?
}

public enum ConsumerProfiles {
    /// Lists page through at most this many.
    public static let countCap = 10_000

    /// How far a list counts for a page: ten pages past it, within `countCap` (a total above it
    /// means "more than that").
    public static func countCap(for query: ListQuery) -> Int { min(countCap, query.offset + query.limit * 10) }
    /// How far back each rollup looks again for scans sent late.
    public static let lookBack: Int64 = 86_400_000
}

struct SQLConsumerProfileRepository: ConsumerProfileRepository {
    let db: any SQLDatabase

    func profileID(of pseudonym: String, tenantID: Int64) async throws(StorageError) -> Int64? {
        try await db.read("SELECT profile_id FROM consumer_identities WHERE tenant_id = \(tenantID) AND pseudonym = \(pseudonym)").first?
            .optionalInt("profile_id")
    }

    func attach(
        _ identities: [(pseudonym: String, kind: IdentityKind)], label: String, evidence: MergeEvidence?, at now: Int64, tenantID: Int64
    ) async throws(StorageError) -> Int64 {
        guard let first = identities.first else { throw .corruptRow("no identity to attach") }
        var found: [String: Int64] = [:]
        for identity in identities {
            if let id = try await profileID(of: identity.pseudonym, tenantID: tenantID) { found[identity.pseudonym] = id }
        }
        // A device already on a profile stays there and joins nothing (devices are shared).
        let profiles = Set(identities.filter { $0.kind != .device }.compactMap { found[$0.pseudonym] }).sorted()
        var keep: Int64
        if let oldest = profiles.first {
            keep = oldest
        } else {
            keep = try await db.allocateIDs("consumer_profiles", tenantID: tenantID)
        }
        let newOnes = identities.filter { found[$0.pseudonym] == nil }
        if !newOnes.isEmpty {
            let profile = keep
            let rows = SQLStatement.join(
                newOnes.map { "(\(tenantID), \($0.pseudonym), \($0.kind.rawValue), \(profile), \(now))" }, separator: ", ")
            _ = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
                switch done.phase {
                case 0:
                    return [
                        SQLStep(
                            "INSERT INTO consumer_identities (tenant_id, pseudonym, kind, profile_id, first_seen) VALUES " + rows
                                + " ON CONFLICT (tenant_id, pseudonym) DO NOTHING RETURNING pseudonym", name: "added")
                    ]
                case 1 where profiles.isEmpty && !done["added"].isEmpty:
                    // A new person: the profile exists once an identity is on it.
                    return [
                        SQLStep(
                            """
                            INSERT INTO consumer_profiles (tenant_id, id, label, created_at, updated_at)
                            VALUES (\(tenantID), \(profile), \(label), \(now), \(now))
                            """)
                    ]
                default:
                    return []
                }
            })
        }
        // A racing sign-in may have put the first identity elsewhere: the profile is where it is.
        if profiles.isEmpty { keep = try await profileID(of: first.pseudonym, tenantID: tenantID) ?? keep }
        // Proven identities name the profile; an unproven scanner's kind and label give way.
        for identity in identities where identity.kind != .scanner && found[identity.pseudonym] != nil {
            try await db.execute(
                """
                UPDATE consumer_identities SET kind = \(identity.kind.rawValue)
                WHERE tenant_id = \(tenantID) AND pseudonym = \(identity.pseudonym) AND kind = 'scanner'
                """)
        }
        if first.kind != .scanner {
            try await db.execute(
                """
                UPDATE consumer_profiles SET label = \(label), verified = 1, updated_at = \(now)
                WHERE tenant_id = \(tenantID) AND id = \(keep) AND verified = 0
                """)
        }
        if let evidence, profiles.count > 1 {
            for other in profiles where other != keep {
                guard try await !wasUndone(other, keep, tenantID: tenantID) else { continue }
                do {
                    _ = try await merge(other, into: keep, evidence: evidence, at: now, tenantID: tenantID)
                } catch StorageError.notFound, is MergeRefusal {
                    // Merged meanwhile by another sign-in: nothing left to do.
                } catch let error as StorageError {
                    throw error
                } catch {
                    throw .unavailable("merge: \(error)")
                }
            }
        }
        try await refresh(keep, now: now, tenantID: tenantID)
        return keep
    }

    private func wasUndone(_ a: Int64, _ b: Int64, tenantID: Int64) async throws(StorageError) -> Bool {
        !(try await db.read(
            """
            SELECT id FROM consumer_merges WHERE tenant_id = \(tenantID) AND undone_at IS NOT NULL
            AND ((kept_id = \(a) AND merged_id = \(b)) OR (kept_id = \(b) AND merged_id = \(a)))
            """
        ).isEmpty)
    }

    private func liveProfile(_ id: Int64, tenantID: Int64) async throws(StorageError) -> Int64?? {
        guard let row = try await db.read("SELECT merged_into FROM consumer_profiles WHERE tenant_id = \(tenantID) AND id = \(id)").first else {
            return nil
        }
        return .some(row.optionalInt("merged_into"))
    }

    func merge(_ mergedID: Int64, into keptID: Int64, evidence: MergeEvidence, at now: Int64, tenantID: Int64) async throws -> ConsumerMerge {
        guard mergedID != keptID else { throw MergeRefusal.sameProfile }
        guard let kept = try await liveProfile(keptID, tenantID: tenantID), let merged = try await liveProfile(mergedID, tenantID: tenantID) else {
            throw MergeRefusal.notFound
        }
        guard kept == nil, merged == nil else { throw MergeRefusal.alreadyMerged }
        let id = try await db.allocateIDs("consumer_merges", tenantID: tenantID)
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                // Both still live when the merge commits: a racing merge of either makes this one fail.
                return [
                    SQLStep(
                        """
                        UPDATE consumer_profiles SET merged_into = \(keptID), updated_at = \(now)
                        WHERE tenant_id = \(tenantID) AND id = \(mergedID) AND merged_into IS NULL RETURNING id
                        """, requireRow: .notFound),
                    SQLStep(
                        "SELECT id FROM consumer_profiles WHERE tenant_id = \(tenantID) AND id = \(keptID) AND merged_into IS NULL",
                        requireRow: .notFound),
                    // A proven profile's name wins over an unproven one's.
                    SQLStep(
                        """
                        UPDATE consumer_profiles SET label = (SELECT m.label FROM consumer_profiles m WHERE m.tenant_id = \(tenantID) AND m.id = \(mergedID))
                        WHERE tenant_id = \(tenantID) AND id = \(keptID) AND verified = 0
                        AND EXISTS (SELECT 1 FROM consumer_profiles m WHERE m.tenant_id = \(tenantID) AND m.id = \(mergedID) AND m.verified = 1)
                        """),
                    SQLStep(
                        "UPDATE consumer_identities SET profile_id = \(keptID) WHERE tenant_id = \(tenantID) AND profile_id = \(mergedID) RETURNING pseudonym",
                        name: "moved"),
                ]
            case 1:
                let moved = try done["moved"].map { (row) throws(StorageError) in try row.string("pseudonym") }.sorted()
                return [
                    SQLStep(
                        """
                        INSERT INTO consumer_merges (tenant_id, id, kept_id, merged_id, evidence, moved, at)
                        VALUES (\(tenantID), \(id), \(keptID), \(mergedID), \(evidence.rawValue), \(moved.joined(separator: ",")), \(now))
                        """)
                ]
            default:
                return []
            }
        })
        let moved = try done["moved"].map { (row) throws(StorageError) in try row.string("pseudonym") }.sorted()
        try await refresh(keptID, now: now, tenantID: tenantID)
        // The merged profile did nothing of its own now: its rule tags come off (and back on an unmerge).
        _ = try await SQLConsumerTagRepository(db: db).evaluate([mergedID], now: now, tenantID: tenantID)
        return ConsumerMerge(id: id, keptID: keptID, mergedID: mergedID, evidence: evidence, at: now, undoneAt: nil, moved: moved)
    }

    func unmerge(_ mergeID: Int64, at now: Int64, tenantID: Int64) async throws -> ConsumerMerge {
        guard let row = try await db.read(Self.mergeSelect + " WHERE tenant_id = \(tenantID) AND id = \(mergeID)").first else {
            throw MergeRefusal.notFound
        }
        var merge = try Self.merge(row)
        guard merge.undoneAt == nil else { throw MergeRefusal.alreadyUndone }
        guard try await liveProfile(merge.keptID, tenantID: tenantID) == .some(nil) else { throw MergeRefusal.mergedSince }
        let moved = SQLStatement.join(merge.moved.map { "\($0)" }, separator: ", ")
        _ = try await db.transaction(
            [
                SQLStep(
                    """
                    UPDATE consumer_merges SET undone_at = \(now) WHERE tenant_id = \(tenantID) AND id = \(mergeID) AND undone_at IS NULL RETURNING id
                    """, requireRow: .notFound),
                SQLStep(
                    """
                    UPDATE consumer_profiles SET merged_into = NULL, updated_at = \(now)
                    WHERE tenant_id = \(tenantID) AND id = \(merge.mergedID) AND merged_into = \(merge.keptID) RETURNING id
                    """, requireRow: .notFound),
            ]
                + (merge.moved.isEmpty
                    ? []
                    : [
                        SQLStep(
                            """
                            UPDATE consumer_identities SET profile_id = \(merge.mergedID)
                            WHERE tenant_id = \(tenantID) AND profile_id = \(merge.keptID) AND pseudonym IN (\(moved))
                            """)
                    ]))
        try await refresh(merge.keptID, now: now, tenantID: tenantID)
        try await refresh(merge.mergedID, now: now, tenantID: tenantID)
        merge.undoneAt = now
        return merge
    }

    static let mergeSelect: SQLStatement = "SELECT id, kept_id, merged_id, evidence, moved, at, undone_at FROM consumer_merges"

    static func merge(_ row: SQLRow) throws(StorageError) -> ConsumerMerge {
        guard let evidence = MergeEvidence(rawValue: try row.string("evidence")) else { throw .corruptRow("merge evidence") }
        let moved = try row.string("moved")
        return ConsumerMerge(
            id: try row.int("id"), keptID: try row.int("kept_id"), mergedID: try row.int("merged_id"), evidence: evidence, at: try row.int("at"),
            undoneAt: row.optionalInt("undone_at"), moved: moved.isEmpty ? [] : moved.split(separator: ",").map(String.init))
    }

    /// The pseudonyms of a profile's people identities (not its devices, whose wallets hold what
    /// anyone won on them), read first so that the queries after them look each one up by index.
    func people(of profileID: Int64, tenantID: Int64) async throws(StorageError) -> [String] {
        try await db.read(
            """
            SELECT pseudonym FROM consumer_identities WHERE tenant_id = \(tenantID) AND profile_id = \(profileID) AND kind <> 'device'
            ORDER BY pseudonym LIMIT 500
            """
        ).map { (row: SQLRow) throws(StorageError) in try row.string("pseudonym") }
    }

    /// The scan events' consumer names (and the wallets' ledger accounts) of those pseudonyms, as a bound list.
    static func names(_ pseudonyms: [String]) -> SQLStatement {
        SQLStatement.join(pseudonyms.map { "\("consumer:" + $0)" }, separator: ", ")
    }

    static func list(_ pseudonyms: [String]) -> SQLStatement {
        SQLStatement.join(pseudonyms.map { "\($0)" }, separator: ", ")
    }

    func refresh(_ profileID: Int64, now: Int64, tenantID: Int64) async throws(StorageError) {
        // A profile with no person's identity left keeps no figures ("-" names no consumer).
        let people = try await people(of: profileID, tenantID: tenantID)
        let names = Self.names(people.isEmpty ? ["-"] : people)
        let figures = try await db.read(
            """
            SELECT COUNT(*) AS n, MIN(scanned_at) AS first, MAX(scanned_at) AS last FROM scan_events
            WHERE tenant_id = \(tenantID) AND consumer IN (\(names))
            """
        ).first
        let scans = figures?.optionalInt("n") ?? 0
        let last = figures?.optionalInt("last")
        let store = try await db.read(
            """
            SELECT store_id FROM scan_events WHERE tenant_id = \(tenantID) AND consumer IN (\(names)) AND store_id IS NOT NULL
            ORDER BY scanned_at DESC LIMIT 1
            """
        ).first?.optionalInt("store_id")
        let stage = ConsumerStage.of(scans: scans, lastScanAt: last, now: now)
        try await db.execute(
            """
            UPDATE consumer_profiles SET scans = \(scans), first_scan_at = \(figures?.optionalInt("first")), last_scan_at = \(last ?? 0),
                store_id = \(store), stage = \(stage.rawValue), updated_at = \(now),
                verified = CASE WHEN EXISTS (SELECT 1 FROM consumer_identities i WHERE i.tenant_id = \(tenantID) AND i.profile_id = \(profileID)
                    AND i.kind <> 'scanner') THEN 1 ELSE 0 END
            WHERE tenant_id = \(tenantID) AND id = \(profileID)
            """)
        // Its rule tags follow what it did, as it happens.
        _ = try await SQLConsumerTagRepository(db: db).evaluate([profileID], now: now, tenantID: tenantID)
        // And its lifecycle stage.
        let lifecycle = SQLLifecycleRepository(db: db)
        _ = try await lifecycle.advance(profileID, settings: try await lifecycle.settings(tenantID: tenantID), now: now, tenantID: tenantID)
    }

    func catchUp(consumers names: [String], now: Int64, tenantID: Int64) async throws(StorageError) -> Set<Int64> {
        var touched = Set<Int64>()
        for name in names where name.hasPrefix("consumer:") {
            let pseudonym = String(name.dropFirst(9))
            if let id = try await profileID(of: pseudonym, tenantID: tenantID) {
                touched.insert(id)
            } else {
                // First seen in a scan, unproven: a profile of its own until a sign-in proves who it is.
                touched.insert(
                    try await attach(
                        [(pseudonym, .scanner)], label: "#" + pseudonym.prefix(6), evidence: nil, at: now, tenantID: tenantID))
            }
        }
        for id in touched { try await refresh(id, now: now, tenantID: tenantID) }
        return touched
    }

    func rollup(now: Int64, tenantID: Int64) async throws(StorageError) -> Int {
        let through =
            try await db.read("SELECT scanned_through FROM consumer_profile_rollup WHERE tenant_id = \(tenantID)").first?
            .optionalInt("scanned_through") ?? 0
        return try await rollup(now: now, since: max(0, through - ConsumerProfiles.lookBack), tenantID: tenantID)
    }

    func rollup(now: Int64, since: Int64, tenantID: Int64) async throws(StorageError) -> Int {
        let names = try await db.read(
            """
            SELECT DISTINCT consumer FROM scan_events
            WHERE tenant_id = \(tenantID) AND scanned_at >= \(since) AND scanned_at <= \(now) AND consumer IS NOT NULL
            """)
        let touched = try await catchUp(
            consumers: try names.map { (row: SQLRow) throws(StorageError) in try row.string("consumer") }, now: now, tenantID: tenantID)
        // Profiles nobody scanned for a while move on without a scan to touch them.
        let day: Int64 = 86_400_000
        let idle = try await db.execute(
            """
            UPDATE consumer_profiles SET stage = CASE WHEN last_scan_at < \(now - ConsumerStage.lostDays * day) THEN 'lost' ELSE 'dormant' END,
                updated_at = \(now)
            WHERE tenant_id = \(tenantID) AND last_scan_at > 0 AND last_scan_at < \(now - ConsumerStage.dormantDays * day)
            AND stage <> CASE WHEN last_scan_at < \(now - ConsumerStage.lostDays * day) THEN 'lost' ELSE 'dormant' END
            RETURNING id
            """)
        try await db.execute(
            """
            INSERT INTO consumer_profile_rollup (tenant_id, scanned_through) VALUES (\(tenantID), \(now))
            ON CONFLICT (tenant_id) DO UPDATE SET scanned_through = excluded.scanned_through
            """)
        return touched.count + idle.count
    }

    private static let summaryColumns: SQLStatement = """
        p.id, p.label, p.verified, p.stage, p.scans, p.first_scan_at, p.last_scan_at, p.store_id, s.name AS store_name,
        s.region_code, p.created_at, p.merged_into
        """

    private static func summary(_ row: SQLRow) throws(StorageError) -> ConsumerSummary {
        guard let stage = ConsumerStage(rawValue: try row.string("stage")) else { throw .corruptRow("consumer stage") }
        let last = try row.int("last_scan_at")
        return ConsumerSummary(
            id: try row.int("id"), label: try row.string("label"), verified: try row.int("verified") != 0, stage: stage, scans: try row.int("scans"),
            firstScanAt: row.optionalInt("first_scan_at"), lastScanAt: last > 0 ? last : nil, storeID: row.optionalInt("store_id"),
            storeName: row.optionalString("store_name"), regionCode: row.optionalString("region_code"), createdAt: try row.int("created_at"))
    }

    /// Profiles within reach: their store within `scope` (HQ sees every profile, with a store or not).
    private static func reach(_ scope: AccessScope) -> SQLStatement {
        switch scope.reach {
        case .wholeTenant: "p.tenant_id = \(scope.tenantID)"
        case .store(let id):
            // A store sees its customers who agreed to share their purchases with it (their latest choice).
            """
            p.tenant_id = \(scope.tenantID) AND p.store_id = \(id) AND (SELECT c.granted FROM consumer_consents c
                WHERE c.tenant_id = p.tenant_id AND c.purpose = 'store_sharing'
                AND c.wallet IN (SELECT i.pseudonym FROM consumer_identities i WHERE i.tenant_id = p.tenant_id AND i.profile_id = p.id)
                ORDER BY c.at DESC LIMIT 1) = 1
            """
        // Probed per profile, newest first: the list reads the recent index and stops at its page.
        default: "p.tenant_id = \(scope.tenantID) AND EXISTS (SELECT 1 FROM stores s WHERE s.id = p.store_id AND \(ScopeSQL.stores(scope)))"
        }
    }

    func list(_ query: ListQuery, filter: ConsumerFilter, scope: AccessScope) async throws(StorageError) -> Page<ConsumerSummary> {
        var conditions: [SQLStatement] = [Self.reach(scope), "p.merged_into IS NULL"]
        if let identity = filter.identity {
            conditions.append(
                "p.id = (SELECT i.profile_id FROM consumer_identities i WHERE i.tenant_id = \(scope.tenantID) AND i.pseudonym = \(identity))")
        }
        if let store = filter.storeID { conditions.append("p.store_id = \(store)") }
        if let tag = filter.tagID {
            conditions.append(
                "EXISTS (SELECT 1 FROM consumer_tag_members m WHERE m.tenant_id = p.tenant_id AND m.tag_id = \(tag) AND m.profile_id = p.id)")
        }
        if let stage = filter.stage { conditions.append("p.stage = \(stage.rawValue)") }
        if let region = filter.regionCode, Region.level(ofCode: region) != nil {
            let prefix = Region.prefix(ofCode: region)
            conditions.append(
                """
                EXISTS (SELECT 1 FROM stores r WHERE r.tenant_id = p.tenant_id AND r.id = p.store_id
                AND r.region_code >= \(prefix) AND r.region_code < \(ScopeSQL.pathRange(prefix).1))
                """)
        }
        let condition = SQLStatement.join(conditions, separator: " AND ")
        var items: [ConsumerSummary] = []
        for row in try await db.read(
            """
            SELECT \(Self.summaryColumns) FROM consumer_profiles p LEFT JOIN stores s ON s.tenant_id = p.tenant_id AND s.id = p.store_id
            WHERE \(condition) ORDER BY p.last_scan_at DESC, p.id DESC LIMIT \(Int64(query.limit)) OFFSET \(Int64(query.offset))
            """)
        {
            items.append(try Self.summary(row))
        }
        // Counted ten pages ahead at most (a sparse filter over millions would read them all).
        let cap = ConsumerProfiles.countCap(for: query)
        let counted =
            try await db.read(
                """
                SELECT COUNT(*) AS n FROM (SELECT 1 FROM consumer_profiles p WHERE \(condition) LIMIT \(Int64(cap + 1))) c
                """
            ).first?.optionalInt("n") ?? 0
        return Page(items: items, total: Int(counted), limit: query.limit, offset: query.offset)
    }

    func summaries(ids: [Int64], scope: AccessScope) async throws(StorageError) -> [ConsumerSummary] {
        guard !ids.isEmpty else { return [] }
        var found: [Int64: ConsumerSummary] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for row in try await db.read(
                """
                SELECT \(Self.summaryColumns) FROM consumer_profiles p LEFT JOIN stores s ON s.tenant_id = p.tenant_id AND s.id = p.store_id
                WHERE \(Self.reach(scope)) AND p.merged_into IS NULL AND p.id IN (\(SQLStatement.join(chunk.map { "\($0)" }, separator: ", ")))
                """)
            {
                let summary = try Self.summary(row)
                found[summary.id] = summary
            }
        }
        return ids.compactMap { found[$0] }
    }

    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> ConsumerProfileDetail? {
        let tenantID = scope.tenantID
        guard
            let row = try await db.read(
                """
                SELECT \(Self.summaryColumns) FROM consumer_profiles p LEFT JOIN stores s ON s.tenant_id = p.tenant_id AND s.id = p.store_id
                WHERE \(Self.reach(scope)) AND p.id = \(id)
                """
            ).first
        else { return nil }
        let summary = try Self.summary(row)
        var identities: [ProfileIdentity] = []
        for row in try await db.read(
            "SELECT pseudonym, kind, first_seen FROM consumer_identities WHERE tenant_id = \(tenantID) AND profile_id = \(id) ORDER BY first_seen, pseudonym LIMIT 200"
        ) {
            identities.append(
                ProfileIdentity(
                    pseudonym: try row.string("pseudonym"), kind: IdentityKind(rawValue: try row.string("kind")) ?? .scanner,
                    firstSeen: try row.int("first_seen")))
        }
        var merges: [ConsumerMerge] = []
        for row in try await db.read(
            Self.mergeSelect + " WHERE tenant_id = \(tenantID) AND (kept_id = \(id) OR merged_id = \(id)) ORDER BY at DESC, id DESC LIMIT 100")
        {
            merges.append(try Self.merge(row))
        }
        let people = try await people(of: id, tenantID: tenantID)
        let names = Self.names(people.isEmpty ? ["-"] : people)
        let wallets = Self.list(people.isEmpty ? ["-"] : people)
        var timeline: [ConsumerProfileDetail.Event] = []
        // Scans, with product and store, newest first.
        var products: [String: Int64] = [:]
        var stores: [Int64: ConsumerProfileDetail.StoreLine] = [:]
        for row in try await db.read(
            """
            SELECT e.scanned_at, e.store_id, pr.name AS product, st.name AS store, st.region_code FROM scan_events e
            JOIN code_batches b ON b.tenant_id = e.tenant_id AND b.id = e.batch_id
            LEFT JOIN products pr ON pr.tenant_id = b.tenant_id AND pr.id = b.product_id
            LEFT JOIN stores st ON st.tenant_id = e.tenant_id AND st.id = e.store_id
            WHERE e.tenant_id = \(tenantID) AND e.consumer IN (\(names))
            ORDER BY e.scanned_at DESC LIMIT 500
            """)
        {
            let at = try row.int("scanned_at")
            let product = row.optionalString("product") ?? "?"
            products[product, default: 0] += 1
            if let storeID = row.optionalInt("store_id") {
                var line =
                    stores[storeID]
                    ?? .init(
                        storeID: storeID, name: row.optionalString("store") ?? "#\(storeID)", regionCode: row.optionalString("region_code") ?? "",
                        scans: 0, lastScanAt: at)
                line.scans += 1
                stores[storeID] = line
            }
            if timeline.count < 50 {
                timeline.append(.init(at: at, kind: .scan, text: product + (row.optionalString("store").map { " · " + $0 } ?? ""), amount: nil))
            }
        }
        // Rewards won and points, from the ledger of the profile's wallets: won there, or won on a
        // device before sign-in and claimed (a claim between two of its own wallets is no new reward).
        // A wallet's ledger account is named as its consumer is in the scan events.
        let accounts = names
        var cash: Int64 = 0
        var points: Int64 = 0
        for row in try await db.read(
            """
            SELECT e.idempotency_key, e.memo, e.created_at, p.asset, p.amount FROM ledger_postings p
            JOIN ledger_entries e ON e.tenant_id = p.tenant_id AND e.id = p.entry_id
            WHERE p.tenant_id = \(tenantID) AND p.account_code IN (\(accounts)) AND p.amount > 0
            AND (e.idempotency_key LIKE 'draw:%' OR (e.idempotency_key LIKE 'claim:%' AND NOT EXISTS (
                SELECT 1 FROM consumer_identities i3 WHERE i3.tenant_id = p.tenant_id AND i3.profile_id = \(id) AND i3.kind <> 'device'
                AND e.idempotency_key LIKE '%@' || i3.pseudonym)))
            ORDER BY e.created_at DESC LIMIT 500
            """)
        {
            let amount = try row.int("amount")
            let asset = try row.string("asset")
            if asset == LedgerAsset.fen.rawValue { cash += amount } else { points += amount }
            if timeline.count < 100 {
                timeline.append(.init(at: try row.int("created_at"), kind: .reward, text: asset, amount: amount))
            }
        }
        let balance =
            try await db.read(
                """
                SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) AS points FROM ledger_accounts
                WHERE tenant_id = \(tenantID) AND asset = 'points' AND code IN (\(accounts))
                """
            ).first?.optionalInt("points") ?? 0
        var coupons = 0
        for row in try await db.read(
            """
            SELECT i.name, c.taken_at, c.redeemed_at, c.store_id FROM coupons c JOIN mall_items i ON i.tenant_id = c.tenant_id AND i.id = c.item_id
            WHERE c.tenant_id = \(tenantID) AND c.wallet IN (\(wallets))
            ORDER BY c.taken_at DESC LIMIT 100
            """)
        {
            coupons += 1
            let name = try row.string("name")
            timeline.append(.init(at: try row.int("taken_at"), kind: .coupon, text: name, amount: nil))
            if let redeemed = row.optionalInt("redeemed_at"), row.optionalInt("store_id") != nil {
                timeline.append(.init(at: redeemed, kind: .couponRedeemed, text: name, amount: nil))
            }
        }
        var consents: [ConsentPurpose: Bool] = [:]
        for row in try await db.read(
            """
            SELECT purpose, granted, at FROM consumer_consents
            WHERE tenant_id = \(tenantID) AND wallet IN (\(wallets))
            ORDER BY at, purpose LIMIT 1000
            """)
        {
            guard let purpose = ConsentPurpose(rawValue: try row.string("purpose")) else { continue }
            let granted = try row.int("granted") != 0
            consents[purpose] = granted
            timeline.append(.init(at: try row.int("at"), kind: .consent, text: purpose.rawValue, amount: granted ? 1 : 0))
        }
        for merge in merges {
            timeline.append(.init(at: merge.at, kind: .merge, text: merge.evidence.rawValue, amount: merge.mergedID))
        }
        timeline.sort { $0.at > $1.at }
        return ConsumerProfileDetail(
            summary: summary, mergedInto: row.optionalInt("merged_into"), identities: identities,
            tags: try await SQLConsumerTagRepository(db: db).tags(ofProfile: id, tenantID: tenantID), merges: merges,
            products: products.map { .init(name: $0.key, scans: $0.value) }.sorted { ($0.scans, $1.name) > ($1.scans, $0.name) },
            stores: stores.values.sorted { $0.scans > $1.scans }, cashWonFen: cash, pointsWon: points, pointsBalance: balance, coupons: coupons,
            consents: consents, timeline: Array(timeline.prefix(100)))
    }
}
