public import FullChainCore

/// A referral as the brand's pages list it: with the referrer's and the newcomer's profile labels
/// and the store.
public struct ReferralLine: Sendable, Equatable {
    public var referral: Referral
    public var referrerProfile: Int64?
    public var referrerLabel: String?
    public var referredProfile: Int64?
    public var referredLabel: String?
    public var storeName: String?
}

/// A consumer who brought others, with their figures and their profile.
public struct KOCLine: Sendable, Equatable {
    public var profileID: Int64?
    public var label: String?
    public var storeID: Int64?
    public var storeName: String?
    public var figures: KOCFigures
}

/// Invite codes and referrals: who brought whom, the evidence farming leaves, HQ's review, and
/// the referrers' figures (KOC).
public protocol ReferralRepository: Sendable {
    /// The wallet's invite code, made on first ask.
    func inviteCode(wallet: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> String
    /// The wallet an invite code belongs to.
    func referrer(ofCode code: String, tenantID: Int64) async throws(StorageError) -> String?
    /// The brand an invite code is of.
    func tenant(ofCode code: String) async throws(StorageError) -> Int64?
    /// Genuine scans (of active codes) by the wallet's person: its profile's people, or the wallet alone.
    func genuineScans(of wallet: String, tenantID: Int64) async throws(StorageError) -> Int64
    /// What is known around a referral about to be recorded.
    func evidence(
        referrer: String, referred: String, device: String?, ip: String?, at: Int64, tenantID: Int64
    ) async throws(StorageError)
        -> ReferralEvidence
    /// Records a referral under a new id; nil when the newcomer was brought by someone already.
    func record(_ referral: Referral, device: String?, ip: String?, tenantID: Int64) async throws(StorageError) -> Referral?
    /// The newest referrals (of one status, or all) whose store is within reach (HQ: all).
    func list(status: ReferralStatus?, scope: AccessScope, limit: Int) async throws(StorageError) -> [ReferralLine]
    /// HQ's decision on a held referral: counted or rejected. Not found unless it is held.
    func review(id: Int64, status: ReferralStatus, by user: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> Referral
    /// The points a counted newcomer earns the one who brought them (0 until HQ sets it).
    func rewardPoints(tenantID: Int64) async throws(StorageError) -> Int64
    func saveRewardPoints(_ points: Int64, by user: String, at now: Int64, tenantID: Int64) async throws(StorageError)
    /// Everyone who brought counted newcomers, their profile's store within reach (and `storeID`
    /// when given), most newcomers first.
    func referrers(scope: AccessScope, storeID: Int64?, limit: Int) async throws(StorageError) -> [KOCLine]
}

struct SQLReferralRepository: ReferralRepository {
    let db: any SQLDatabase

    func inviteCode(wallet: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> String {
        for _ in 0..<5 {
            if let code = try await db.read("SELECT code FROM invite_codes WHERE tenant_id = \(tenantID) AND wallet = \(wallet)").first?
                .optionalString("code")
            {
                return code
            }
            // A code taken by someone else (one in a trillion) or a wallet given one meanwhile: ask again.
            try await db.execute(
                """
                INSERT INTO invite_codes (tenant_id, code, wallet, created_at) VALUES (\(tenantID), \(InviteCode.make()), \(wallet), \(now))
                ON CONFLICT DO NOTHING
                """)
        }
        throw .exhausted("invite_codes")
    }

    func referrer(ofCode code: String, tenantID: Int64) async throws(StorageError) -> String? {
        try await db.read("SELECT wallet FROM invite_codes WHERE tenant_id = \(tenantID) AND code = \(code)").first?.optionalString("wallet")
    }

    func tenant(ofCode code: String) async throws(StorageError) -> Int64? {
        try await db.read("SELECT tenant_id FROM invite_codes WHERE code = \(code)").first?.optionalInt("tenant_id")
    }

    /// The wallet's person: its profile's people, or the wallet alone when it has no profile yet.
    private func people(of wallet: String, tenantID: Int64) async throws(StorageError) -> [String] {
        let profiles = SQLConsumerProfileRepository(db: db)
        guard let profile = try await profiles.profileID(of: wallet, tenantID: tenantID) else { return [wallet] }
        let people = try await profiles.people(of: profile, tenantID: tenantID)
        return people.contains(wallet) ? people : people + [wallet]
    }

    func genuineScans(of wallet: String, tenantID: Int64) async throws(StorageError) -> Int64 {
        let names = SQLConsumerProfileRepository.names(try await people(of: wallet, tenantID: tenantID))
        return try await db.read(
            """
            SELECT COUNT(*) AS n FROM scan_events WHERE tenant_id = \(tenantID) AND consumer IN (\(names)) AND status = \(CodeStatus.active.rawValue)
            """
        ).first?.optionalInt("n") ?? 0
    }

    func evidence(
        referrer: String, referred: String, device: String?, ip: String?, at: Int64, tenantID: Int64
    ) async throws(StorageError)
        -> ReferralEvidence
    {
        let profiles = SQLConsumerProfileRepository(db: db)
        let referrerProfile = try await profiles.profileID(of: referrer, tenantID: tenantID)
        let referredProfile = try await profiles.profileID(of: referred, tenantID: tenantID)
        var evidence = ReferralEvidence(sameProfile: referrer == referred || (referrerProfile != nil && referrerProfile == referredProfile))
        if let device {
            let names = SQLConsumerProfileRepository.names(try await people(of: referrer, tenantID: tenantID))
            evidence.referrersDevice =
                !(try await db.read(
                    "SELECT 1 AS x FROM scan_events WHERE tenant_id = \(tenantID) AND consumer IN (\(names)) AND device_id = \(device) LIMIT 1"
                ).isEmpty)
            evidence.deviceSeenInTheirReferrals =
                !(try await db.read(
                    "SELECT 1 AS x FROM referrals WHERE tenant_id = \(tenantID) AND referrer = \(referrer) AND device_id = \(device) LIMIT 1"
                ).isEmpty)
        }
        if let ip {
            evidence.sameAddressLastDay = Int(
                try await db.read(
                    """
                    SELECT COUNT(*) AS n FROM referrals WHERE tenant_id = \(tenantID) AND referrer = \(referrer) AND ip = \(ip)
                    AND at >= \(at - 86_400_000)
                    """
                ).first?.optionalInt("n") ?? 0)
        }
        evidence.newcomerBroughtReferrer =
            !(try await db.read(
                """
                SELECT 1 AS x FROM referrals r1 WHERE r1.tenant_id = \(tenantID) AND r1.referred = \(referrer)
                AND (r1.referrer = \(referred) OR EXISTS (SELECT 1 FROM referrals r2 WHERE r2.tenant_id = r1.tenant_id
                    AND r2.referred = r1.referrer AND r2.referrer = \(referred)))
                LIMIT 1
                """
            ).isEmpty)
        return evidence
    }

    private static let columns: SQLStatement = "r.id, r.referrer, r.referred, r.store_id, r.sku, r.at, r.status, r.reasons"

    private static func referral(_ row: SQLRow) throws(StorageError) -> Referral {
        guard let status = ReferralStatus(rawValue: try row.string("status")) else { throw .corruptRow("referral status") }
        let reasons = try row.string("reasons").split(separator: ",").compactMap { ReferralHoldReason(rawValue: String($0)) }
        return Referral(
            id: try row.int("id"), referrer: try row.string("referrer"), referred: try row.string("referred"), storeID: row.optionalInt("store_id"),
            sku: row.optionalString("sku"), at: try row.int("at"), status: status, reasons: reasons)
    }

    func record(_ referral: Referral, device: String?, ip: String?, tenantID: Int64) async throws(StorageError) -> Referral? {
        let reasons = referral.reasons.map(\.rawValue).joined(separator: ",")
        var referral = referral
        referral.id = try await db.allocateIDs("referrals", tenantID: tenantID)
        let rows = try await db.execute(
            """
            INSERT INTO referrals (tenant_id, id, referrer, referred, store_id, sku, device_id, ip, at, status, reasons)
            VALUES (\(tenantID), \(referral.id), \(referral.referrer), \(referral.referred), \(referral.storeID), \(referral.sku), \(device), \(ip),
                \(referral.at), \(referral.status.rawValue), \(reasons))
            ON CONFLICT (tenant_id, referred) DO NOTHING
            RETURNING id
            """)
        return rows.isEmpty ? nil : referral
    }

    /// Referrals whose store is within reach (HQ: every one, with a store or not).
    private static func reach(_ scope: AccessScope) -> SQLStatement {
        if case .wholeTenant = scope.reach { return "r.tenant_id = \(scope.tenantID)" }
        return "r.tenant_id = \(scope.tenantID) AND EXISTS (SELECT 1 FROM stores s WHERE s.id = r.store_id AND \(ScopeSQL.stores(scope)))"
    }

    func list(status: ReferralStatus?, scope: AccessScope, limit: Int) async throws(StorageError) -> [ReferralLine] {
        let which: SQLStatement = status.map { "AND r.status = \($0.rawValue)" } ?? ""
        return try await db.read(
            """
            SELECT \(Self.columns), a.profile_id AS referrer_profile, pa.label AS referrer_label, b.profile_id AS referred_profile,
                pb.label AS referred_label, st.name AS store_name
            FROM referrals r
            LEFT JOIN consumer_identities a ON a.tenant_id = r.tenant_id AND a.pseudonym = r.referrer
            LEFT JOIN consumer_profiles pa ON pa.tenant_id = r.tenant_id AND pa.id = a.profile_id
            LEFT JOIN consumer_identities b ON b.tenant_id = r.tenant_id AND b.pseudonym = r.referred
            LEFT JOIN consumer_profiles pb ON pb.tenant_id = r.tenant_id AND pb.id = b.profile_id
            LEFT JOIN stores st ON st.tenant_id = r.tenant_id AND st.id = r.store_id
            WHERE \(Self.reach(scope)) \(which)
            ORDER BY r.id DESC LIMIT \(Int64(max(1, min(limit, 1_000))))
            """
        ).map { (row: SQLRow) throws(StorageError) in
            ReferralLine(
                referral: try Self.referral(row), referrerProfile: row.optionalInt("referrer_profile"),
                referrerLabel: row.optionalString("referrer_label"),
                referredProfile: row.optionalInt("referred_profile"), referredLabel: row.optionalString("referred_label"),
                storeName: row.optionalString("store_name"))
        }
    }

    func review(id: Int64, status: ReferralStatus, by user: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> Referral {
        guard status != .held else { throw .notFound }
        let rows = try await db.execute(
            """
            UPDATE referrals SET status = \(status.rawValue), reviewed_by = \(user), reviewed_at = \(now)
            WHERE tenant_id = \(tenantID) AND id = \(id) AND status = \(ReferralStatus.held.rawValue)
            RETURNING id, referrer, referred, store_id, sku, at, status, reasons
            """, requireRow: .notFound)
        guard let row = rows.first else { throw .notFound }
        return try Self.referral(row)
    }

    func rewardPoints(tenantID: Int64) async throws(StorageError) -> Int64 {
        try await db.read("SELECT reward_points FROM referral_programme WHERE tenant_id = \(tenantID)").first?.optionalInt("reward_points") ?? 0
    }

    func saveRewardPoints(_ points: Int64, by user: String, at now: Int64, tenantID: Int64) async throws(StorageError) {
        try await db.execute(
            """
            INSERT INTO referral_programme (tenant_id, reward_points, updated_by, updated_at) VALUES (\(tenantID), \(points), \(user), \(now))
            ON CONFLICT (tenant_id) DO UPDATE SET reward_points = excluded.reward_points, updated_by = excluded.updated_by,
                updated_at = excluded.updated_at
            """)
    }

    func referrers(scope: AccessScope, storeID: Int64?, limit: Int) async throws(StorageError) -> [KOCLine] {
        let tenantID = scope.tenantID
        let counted = ReferralStatus.counted.rawValue
        let inReach: SQLStatement =
            if case .wholeTenant = scope.reach { "1 = 1" } else { "s.id IS NOT NULL AND \(ScopeSQL.stores(scope))" }
        let atStore: SQLStatement = storeID.map { "AND p.store_id = \($0)" } ?? ""
        return try await db.read(
            """
            SELECT k.referrer, k.invited, k.repeaters, k.second_hop, p.id AS profile_id, p.label, p.store_id, s.name AS store_name
            FROM (
                SELECT r.referrer, COUNT(*) AS invited,
                    SUM(CASE WHEN (SELECT COUNT(*) FROM scan_events e WHERE e.tenant_id = r.tenant_id AND e.consumer = 'consumer:' || r.referred
                        AND e.status = \(CodeStatus.active.rawValue)) >= 2 THEN 1 ELSE 0 END) AS repeaters,
                    (SELECT COUNT(*) FROM referrals r2 WHERE r2.tenant_id = r.tenant_id AND r2.status = \(counted)
                        AND r2.referrer IN (SELECT r3.referred FROM referrals r3 WHERE r3.tenant_id = r.tenant_id AND r3.referrer = r.referrer
                            AND r3.status = \(counted))) AS second_hop
                FROM referrals r WHERE r.tenant_id = \(tenantID) AND r.status = \(counted)
                GROUP BY r.tenant_id, r.referrer
            ) k
            LEFT JOIN consumer_identities i ON i.tenant_id = \(tenantID) AND i.pseudonym = k.referrer
            LEFT JOIN consumer_profiles p ON p.tenant_id = \(tenantID) AND p.id = i.profile_id
            LEFT JOIN stores s ON s.tenant_id = \(tenantID) AND s.id = p.store_id
            WHERE \(inReach) \(atStore)
            ORDER BY k.invited DESC, k.referrer LIMIT \(Int64(max(1, min(limit, 1_000))))
            """
        ).map { (row: SQLRow) throws(StorageError) in
            KOCLine(
                profileID: row.optionalInt("profile_id"), label: row.optionalString("label"), storeID: row.optionalInt("store_id"),
                storeName: row.optionalString("store_name"),
                figures: KOCFigures(
                    invited: Int(clamping: try row.int("invited")), repeaters: Int(clamping: row.optionalInt("repeaters") ?? 0),
                    secondHop: Int(clamping: row.optionalInt("second_hop") ?? 0)))
        }
    }
}
