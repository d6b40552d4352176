public import FullChainCore

/// What deleting a consumer's account did.
public struct ErasureReport: Sendable, Equatable {
    /// Payouts not yet handed to the provider: cancelled, their money back in the campaign's budget.
    public var cancelledPayouts: Int
    /// Payouts the provider has now: they end as the provider says, then lose their recipient.
    public var inFlightPayouts: Int

    public init(cancelledPayouts: Int, inFlightPayouts: Int) {
        self.cancelledPayouts = cancelledPayouts
        self.inFlightPayouts = inFlightPayouts
    }
}

/// Everything the brand holds on a consumer, for their download.
public struct ConsumerExport: Sendable, Equatable {
    public struct LedgerLine: Sendable, Equatable {
        public var at: Int64
        public var memo: String
        public var asset: String
        public var amount: Int64
    }
    public struct ScanLine: Sendable, Equatable {
        public var scannedAt: Int64
        public var product: String?
        public var store: String?
        public var latitude: Double?
        public var longitude: Double?
    }
    public struct StoreLine: Sendable, Equatable {
        public var store: String
        public var purchases: Int64
        public var firstDay: Int64
        public var lastDay: Int64
    }
    public var wallet: ConsumerWallet
    public var consents: [ConsentRecord]
    public var ledger: [LedgerLine]
    public var scans: [ScanLine]
    public var stores: [StoreLine]
    /// Coupons taken in the points mall, newest first.
    public var coupons: [Coupon]
}

extension SQLConsumerRepository {
    /// Payouts whose money is still in the wallet and that no worker holds: cancelled on erasure.
    static func cancellable(wallet: String, tenantID: Int64, now: Int64) -> SQLStatement {
        """
        tenant_id = \(tenantID) AND wallet = \(wallet) AND status IN ('queued', 'held', 'failed') AND (lease_until IS NULL OR lease_until < \(now))
        AND (status = 'failed' OR NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.tenant_id = payouts.tenant_id
            AND e.idempotency_key = 'payout:' || CAST(payouts.tenant_id AS TEXT) || ':' || CAST(payouts.id AS TEXT) || ':handed-off'))
        """
    }

    func erase(
        wallet: String, into replacement: String, phoneHash: String?, at now: Int64, tenantID: Int64
    ) async throws(StorageError)
        -> ErasureReport
    {
        let expected =
            try await db.read(
                "SELECT COUNT(*) AS n FROM payouts WHERE " + Self.cancellable(wallet: wallet, tenantID: tenantID, now: now)
            ).first?.optionalInt("n") ?? 0
        // Ids for the cancellations' ledger entries, with room for payouts queued meanwhile.
        let slots = expected + 8
        let firstID = try await db.allocateIDs("ledger_entries", tenantID: tenantID, count: Int(slots))
        let (old, new) = (LedgerAccount.consumerWallet(wallet).code, LedgerAccount.consumerWallet(replacement).code)
        let (oldName, newName) = ("consumer:" + wallet, "consumer:" + replacement)
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                return [
                    SQLStep(
                        "UPDATE payouts SET status = 'rejected', last_error = 'account_deleted', updated_at = \(now) WHERE "
                            + Self.cancellable(wallet: wallet, tenantID: tenantID, now: now) + " RETURNING " + SQLPayoutRepository.columns,
                        name: "cancelled"),
                    SQLStep(
                        """
                        SELECT COUNT(*) AS n FROM payouts WHERE tenant_id = \(tenantID) AND wallet = \(wallet) AND status IN ('queued', 'sending', 'unknown', 'held')
                        """, name: "inFlight"),
                ]
            case 1:
                let cancelled = try done["cancelled"].map { (row) throws(StorageError) in try SQLPayoutRepository.payout(row) }
                guard Int64(cancelled.count) <= slots else { throw .unavailable("payouts queued during the erasure: try again") }
                var steps: [SQLStep] = []
                for (index, payout) in cancelled.enumerated() {
                    // The prize goes back to the campaign's budget, as a rejection in review does.
                    let entry = try SQLPayoutRepository.entry { () throws(LedgerEntry.Problem) in try payout.rejectedEntry() }
                    let id = firstID + Int64(index)
                    steps +=
                        [LedgerSteps.entry(entry, id: id, tenantID: tenantID, at: now)]
                        + LedgerSteps.postings(of: entry.postings, entryID: id, tenantID: tenantID)
                }
                // The consumer's history keeps its figures under a random name nobody can trace back.
                steps += [
                    // The postings reference their account: the new one first, then them, then the old one goes.
                    SQLStep(
                        """
                        INSERT INTO ledger_accounts (tenant_id, code, asset, floor, balance)
                        SELECT tenant_id, \(new), asset, floor, balance FROM ledger_accounts WHERE tenant_id = \(tenantID) AND code = \(old)
                        """),
                    SQLStep("UPDATE ledger_postings SET account_code = \(new) WHERE tenant_id = \(tenantID) AND account_code = \(old)"),
                    SQLStep("DELETE FROM ledger_accounts WHERE tenant_id = \(tenantID) AND code = \(old)"),
                    SQLStep(
                        """
                        UPDATE payouts SET wallet = \(replacement),
                        recipient = CASE WHEN status IN ('paid', 'rejected', 'failed') THEN '' ELSE recipient END
                        WHERE tenant_id = \(tenantID) AND wallet = \(wallet)
                        """),
                    SQLStep("UPDATE campaign_draws SET wallet = \(replacement) WHERE tenant_id = \(tenantID) AND wallet = \(wallet)"),
                    SQLStep("UPDATE campaign_win_counts SET subject = \(newName) WHERE tenant_id = \(tenantID) AND subject = \(oldName)"),
                    SQLStep("UPDATE scan_events SET consumer = \(newName) WHERE tenant_id = \(tenantID) AND consumer = \(oldName)"),
                    SQLStep("UPDATE store_consumers SET consumer = \(newName) WHERE tenant_id = \(tenantID) AND consumer = \(oldName)"),
                    // The contact a journey would message goes with the account.
                    SQLStep("DELETE FROM consumer_contacts WHERE tenant_id = \(tenantID) AND wallet = \(wallet)"),
                    // The consents stay as evidence of what was agreed, under the random name too.
                    SQLStep("UPDATE consumer_consents SET wallet = \(replacement) WHERE tenant_id = \(tenantID) AND wallet = \(wallet)"),
                    // Coupons stay redeemable by whoever holds their code, and count against the item's limit.
                    SQLStep("UPDATE coupons SET wallet = \(replacement) WHERE tenant_id = \(tenantID) AND wallet = \(wallet)"),
                    SQLStep("UPDATE mall_holdings SET wallet = \(replacement) WHERE tenant_id = \(tenantID) AND wallet = \(wallet)"),
                    // The profile keeps its figures; its label (a masked identity) goes.
                    SQLStep("UPDATE consumer_identities SET pseudonym = \(replacement) WHERE tenant_id = \(tenantID) AND pseudonym = \(wallet)"),
                    SQLStep(
                        """
                        UPDATE consumer_profiles SET label = '#erased', verified = 0 WHERE tenant_id = \(tenantID)
                        AND id IN (SELECT profile_id FROM consumer_identities WHERE tenant_id = \(tenantID) AND pseudonym = \(replacement))
                        """),
                    SQLStep("INSERT INTO consumer_erasures (tenant_id, wallet, erased_at) VALUES (\(tenantID), \(replacement), \(now))"),
                ]
                if let phoneHash {
                    steps += [
                        SQLStep("DELETE FROM consumer_phone_codes WHERE tenant_id = \(tenantID) AND phone_hash = \(phoneHash)"),
                        SQLStep("DELETE FROM consumer_phones WHERE tenant_id = \(tenantID) AND phone_hash = \(phoneHash)"),
                    ]
                }
                return steps
            default:
                return []
            }
        })
        return ErasureReport(
            cancelledPayouts: done["cancelled"].count, inFlightPayouts: Int(done["inFlight"].first?.optionalInt("n") ?? 0))
    }

    func clearErasedRecipients(tenantID: Int64) async throws(StorageError) -> Int {
        // A payout in flight at the erasure keeps its sealed recipient until it ends.
        let rows = try await db.execute(
            """
            UPDATE payouts SET recipient = '' WHERE tenant_id = \(tenantID) AND recipient <> '' AND status IN ('paid', 'rejected', 'failed')
            AND wallet IN (SELECT wallet FROM consumer_erasures WHERE tenant_id = \(tenantID) AND recipients_cleared = 0)
            RETURNING id
            """)
        _ = try await db.execute(
            """
            UPDATE consumer_erasures SET recipients_cleared = 1 WHERE tenant_id = \(tenantID) AND recipients_cleared = 0
            AND NOT EXISTS (SELECT 1 FROM payouts p WHERE p.tenant_id = consumer_erasures.tenant_id AND p.wallet = consumer_erasures.wallet AND p.recipient <> '')
            """)
        return rows.count
    }

    func export(wallet: String, tenantID: Int64) async throws(StorageError) -> ConsumerExport {
        let holdings = try await self.wallet(wallet, limit: 200, tenantID: tenantID)
        var ledger: [ConsumerExport.LedgerLine] = []
        for row in try await db.read(
            """
            SELECT e.created_at, e.memo, p.asset, p.amount FROM ledger_postings p
            JOIN ledger_entries e ON e.tenant_id = p.tenant_id AND e.id = p.entry_id
            WHERE p.tenant_id = \(tenantID) AND p.account_code = \(LedgerAccount.consumerWallet(wallet).code)
            ORDER BY e.created_at, e.id LIMIT 10000
            """)
        {
            ledger.append(
                .init(at: try row.int("created_at"), memo: try row.string("memo"), asset: try row.string("asset"), amount: try row.int("amount")))
        }
        var scans: [ConsumerExport.ScanLine] = []
        for row in try await db.read(
            """
            SELECT e.scanned_at, e.latitude, e.longitude, p.name AS product, s.name AS store FROM scan_events e
            JOIN code_batches b ON b.tenant_id = e.tenant_id AND b.id = e.batch_id
            LEFT JOIN products p ON p.tenant_id = b.tenant_id AND p.id = b.product_id
            LEFT JOIN stores s ON s.tenant_id = e.tenant_id AND s.id = e.store_id
            WHERE e.tenant_id = \(tenantID) AND e.consumer = \("consumer:" + wallet)
            ORDER BY e.scanned_at LIMIT 10000
            """)
        {
            scans.append(
                .init(
                    scannedAt: try row.int("scanned_at"), product: row.optionalString("product"), store: row.optionalString("store"),
                    latitude: row.double("latitude"), longitude: row.double("longitude")))
        }
        var stores: [ConsumerExport.StoreLine] = []
        for row in try await db.read(
            """
            SELECT s.name, c.purchases, c.first_day, c.last_day FROM store_consumers c
            JOIN stores s ON s.tenant_id = c.tenant_id AND s.id = c.store_id
            WHERE c.tenant_id = \(tenantID) AND c.consumer = \("consumer:" + wallet) ORDER BY c.last_day DESC LIMIT 1000
            """)
        {
            stores.append(
                .init(
                    store: try row.string("name"), purchases: try row.int("purchases"), firstDay: try row.int("first_day"),
                    lastDay: try row.int("last_day")))
        }
        return ConsumerExport(
            wallet: holdings, consents: try await consents(wallet: wallet, tenantID: tenantID), ledger: ledger, scans: scans, stores: stores,
            coupons: try await SQLMallRepository(db: db).coupons(wallet: wallet, limit: 500, tenantID: tenantID))
    }

    func recordConsents(_ records: [ConsentRecord], wallet: String, tenantID: Int64) async throws(StorageError) {
        guard !records.isEmpty else { return }
        _ = try await db.transaction(
            records.map { record in
                SQLStep(
                    """
                    INSERT INTO consumer_consents (tenant_id, wallet, purpose, granted, notice_version, at)
                    VALUES (\(tenantID), \(wallet), \(record.purpose.rawValue), \(record.granted ? 1 : 0), \(record.noticeVersion), \(record.at))
                    ON CONFLICT (tenant_id, wallet, purpose, at) DO UPDATE SET granted = excluded.granted, notice_version = excluded.notice_version
                    """)
            })
    }

    func consents(wallet: String, tenantID: Int64) async throws(StorageError) -> [ConsentRecord] {
        var records: [ConsentRecord] = []
        for row in try await db.read(
            """
            SELECT purpose, granted, notice_version, at FROM consumer_consents WHERE tenant_id = \(tenantID) AND wallet = \(wallet)
            ORDER BY at, purpose LIMIT 1000
            """)
        {
            guard let purpose = ConsentPurpose(rawValue: try row.string("purpose")) else { throw .corruptRow("consent purpose") }
            records.append(
                ConsentRecord(
                    purpose: purpose, granted: try row.int("granted") != 0, noticeVersion: try row.string("notice_version"), at: try row.int("at")))
        }
        return records
    }
}
