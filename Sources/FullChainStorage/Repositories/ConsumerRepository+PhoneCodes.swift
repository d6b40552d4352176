import FullChainCore

extension SQLConsumerRepository {
    func phoneCodeCounts(
        phoneHash: String, addressHash: String?, deviceHash: String?, since: Int64, tenantID: Int64
    )
        async throws(StorageError) -> OneTimeCodeRules.Counts
    {
        // A used code's last try was the right one: every other try was wrong. (PostgreSQL sums
        // BIGINTs as NUMERIC: cast back.)
        let phone = try await db.read(
            """
            SELECT COUNT(*) AS sends, CAST(COALESCE(SUM(attempts - CASE WHEN used_at IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) AS failures, MAX(sent_at) AS last
            FROM consumer_phone_codes WHERE tenant_id = \(tenantID) AND phone_hash = \(phoneHash) AND sent_at >= \(since)
            """
        ).first
        var counts = OneTimeCodeRules.Counts(
            phoneSends: Int(try phone?.int("sends") ?? 0), addressSends: 0, deviceSends: 0, failures: Int(try phone?.int("failures") ?? 0),
            lastSentAt: phone?.optionalInt("last"))
        if let addressHash {
            counts.addressSends = Int(
                try await db.read(
                    """
                    SELECT COUNT(*) AS n FROM consumer_phone_codes WHERE tenant_id = \(tenantID) AND address_hash = \(addressHash) AND sent_at >= \(since)
                    """
                ).first?.int("n") ?? 0)
        }
        if let deviceHash {
            counts.deviceSends = Int(
                try await db.read(
                    """
                    SELECT COUNT(*) AS n FROM consumer_phone_codes WHERE tenant_id = \(tenantID) AND device_hash = \(deviceHash) AND sent_at >= \(since)
                    """
                ).first?.int("n") ?? 0)
        }
        return counts
    }

    func insertPhoneCode(_ code: NewPhoneCode, phoneSealed: String, notAfter: Int64, tenantID: Int64) async throws(StorageError) -> Int64? {
        let id = try await db.allocateIDs("consumer_phone_codes", tenantID: tenantID)
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                // The phone's row is the lock: a second request within the interval finds it newer and stops.
                return [
                    SQLStep(
                        """
                        INSERT INTO consumer_phones (tenant_id, phone_hash, phone_sealed, last_sent_at, created_at)
                        VALUES (\(tenantID), \(code.phoneHash), \(phoneSealed), \(code.sentAt), \(code.sentAt))
                        ON CONFLICT (tenant_id, phone_hash) DO UPDATE SET last_sent_at = excluded.last_sent_at
                        WHERE consumer_phones.last_sent_at <= \(notAfter)
                        RETURNING phone_hash
                        """, name: "phone")
                ]
            case 1 where !done["phone"].isEmpty:
                return [
                    SQLStep(
                        """
                        INSERT INTO consumer_phone_codes (tenant_id, id, phone_hash, address_hash, device_hash, code_hash, sent_at, expires_at)
                        VALUES (\(tenantID), \(id), \(code.phoneHash), \(code.addressHash), \(code.deviceHash), \(code.codeHash), \(code.sentAt), \(code.expiresAt))
                        """)
                ]
            default:
                return []
            }
        })
        return done["phone"].isEmpty ? nil : id
    }

    func livePhoneCode(phoneHash: String, now: Int64, tenantID: Int64) async throws(StorageError) -> StoredPhoneCode? {
        guard
            let row = try await db.read(
                """
                SELECT id, code_hash, attempts, sent_at, expires_at FROM consumer_phone_codes
                WHERE tenant_id = \(tenantID) AND phone_hash = \(phoneHash) AND used_at IS NULL AND expires_at > \(now)
                ORDER BY sent_at DESC, id DESC LIMIT 1
                """
            ).first
        else { return nil }
        return StoredPhoneCode(
            id: try row.int("id"), codeHash: try row.string("code_hash"), attempts: Int(try row.int("attempts")), sentAt: try row.int("sent_at"),
            expiresAt: try row.int("expires_at"))
    }

    func spendAttempt(codeID: Int64, maxAttempts: Int, tenantID: Int64) async throws(StorageError) -> Int? {
        try await db.execute(
            """
            UPDATE consumer_phone_codes SET attempts = attempts + 1
            WHERE tenant_id = \(tenantID) AND id = \(codeID) AND used_at IS NULL AND attempts < \(Int64(maxAttempts))
            RETURNING attempts
            """
        ).first.map { row throws(StorageError) in Int(try row.int("attempts")) }
    }

    func usePhoneCode(codeID: Int64, at now: Int64, tenantID: Int64) async throws(StorageError) -> Bool {
        try await !db.execute(
            """
            UPDATE consumer_phone_codes SET used_at = \(now) WHERE tenant_id = \(tenantID) AND id = \(codeID) AND used_at IS NULL RETURNING id
            """
        ).isEmpty
    }
}
