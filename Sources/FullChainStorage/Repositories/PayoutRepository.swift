public import FullChainCore

/// A due payout a worker took, and whether it must ask the provider what became of it before
/// sending (its last answer was lost or unclear, or the worker that had it vanished).
public struct PayoutJob: Sendable, Equatable {
    public var payout: Payout
    public var askFirst: Bool
    /// The worker's lease: its answers are recorded only while the payout is still leased to it.
    public var lease: String
}

/// How a hand-off went.
public enum HandOff: Sendable, Equatable {
    /// Ready to send, its merchant and bill number fixed.
    case handedOff(Payout)
    /// A daily limit would be broken: `consumer_daily_limit` or `merchant_daily_limit`.
    case limitReached(String)
    /// The lease ran out or another worker took the payout: nothing was written.
    case leaseLost
}

/// How many payouts, and how much, are in one status.
public struct PayoutTally: Sendable, Equatable, Codable {
    public var count: Int
    public var amountFen: Int64

    public init(count: Int = 0, amountFen: Int64 = 0) {
        self.count = count
        self.amountFen = amountFen
    }
}

/// The payout outbox. Cash prizes enter it with the draw that won them (in the same
/// transaction); workers on any server take due payouts under a lease, hand them off (the money
/// moves from the consumer's wallet into payout clearing, and the merchant account and bill
/// number are fixed for good), and record what the provider answered.
public protocol PayoutRepository: Sendable {
    /// Takes up to `limit` due payouts (of one tenant, or of all) under the lease `lease` until
    /// `leaseUntil`. A payout whose lease ran out comes back with `askFirst` set.
    func claimDue(tenantID: Int64?, now: Int64, lease: String, leaseUntil: Int64, limit: Int) async throws(StorageError) -> [PayoutJob]
    /// Extends the job's lease to `leaseUntil` if the payout is still leased to it (its lease not
    /// run out, no other worker holding it); false when the lease is lost.
    func renewLease(_ job: PayoutJob, now: Int64, leaseUntil: Int64) async throws(StorageError) -> Bool
    /// What a merchant account paid (or has in flight) on a business day, other payouts than `excluding`.
    func merchantDay(merchant: String, day: Int64, excluding id: Int64, tenantID: Int64) async throws(StorageError) -> PayoutTally
    /// Fixes the payout's merchant and bill number (kept when already set) for `day` and moves its
    /// money from the wallet into clearing once, unless the consumer's or the merchant's daily
    /// limits would be broken (checked with the consumer's wallet locked, so they hold exactly
    /// for a consumer however many servers pay at once). Only while the job's lease holds, which it
    /// extends to `leaseUntil`. The commit survives power loss (it is what makes the bill number
    /// the payout's for good, before the money is sent).
    func handOff(
        _ job: PayoutJob, merchant: String, billNumber: String, day: Int64, limits: PayoutLimits, now: Int64,
        leaseUntil: Int64
    ) async throws(StorageError) -> HandOff
    /// Records what the provider answered (`retryAt` for answers that wait), only while the
    /// job's lease holds; false (nothing written) when it was lost. A paid or refused payout
    /// leaves clearing: to paid-out, or back to the wallet.
    func record(_ job: PayoutJob, answer: PayoutAnswer, retryAt: Int64, now: Int64) async throws(StorageError) -> Bool
    /// The next bill serial, unique across the deployment: merchant accounts serve every brand,
    /// so a bill number cannot take a payout's id, which is unique only within its brand.
    func nextBillSerial() async throws(StorageError) -> Int64
    /// Takes one slot of a merchant account's pace for a second; false when that second is full.
    func takePace(merchant: String, second: Int64, limit: Int) async throws(StorageError) -> Bool
    /// The tenant's payouts, newest first, optionally of one status.
    func list(tenantID: Int64, status: PayoutStatus?, limit: Int) async throws(StorageError) -> [Payout]
    /// Counts and amounts by status.
    func summary(tenantID: Int64) async throws(StorageError) -> [PayoutStatus: PayoutTally]
    /// One campaign's payouts by status (its backlog: held, queued, sending, unknown).
    func summary(campaignID: Int64, tenantID: Int64) async throws(StorageError) -> [PayoutStatus: PayoutTally]
    /// HQ's review of a held payout: approved, it is queued to be sent; rejected, its money goes
    /// back to the campaign's budget. Nil when there is no such payout.
    func review(id: Int64, approve: Bool, tenantID: Int64, now: Int64) async throws(StorageError) -> Review?
}

/// How a review went.
public enum Review: Sendable, Equatable {
    case reviewed(Payout)
    /// The payout is not held (already reviewed, or never risky).
    case notHeld(PayoutStatus)
}

struct SQLPayoutRepository: PayoutRepository {
    let db: any SQLDatabase

    static let columns: SQLStatement = """
        tenant_id, id, campaign_id, wallet, recipient, amount_fen, status, merchant, bill_no, attempts, ask_first, created_at, risk_score, risk_reasons
        """

    static func payout(_ row: SQLRow) throws(StorageError) -> Payout {
        let status = try row.string("status")
        guard let parsed = PayoutStatus(rawValue: status) else { throw .corruptRow("payout status \(status)") }
        return Payout(
            tenantID: try row.int("tenant_id"), id: try row.int("id"), campaignID: try row.int("campaign_id"), wallet: try row.string("wallet"),
            recipient: try row.string("recipient"), amountFen: try row.int("amount_fen"), status: parsed,
            merchant: row.optionalString("merchant"), billNumber: row.optionalString("bill_no"),
            attempts: Int(row.optionalInt("attempts") ?? 0), createdAt: try row.int("created_at"), riskScore: Int(row.optionalInt("risk_score") ?? 0),
            riskReasons: (row.optionalString("risk_reasons") ?? "").split(separator: ",").map(String.init))
    }

    func claimDue(tenantID: Int64?, now: Int64, lease: String, leaseUntil: Int64, limit: Int) async throws(StorageError) -> [PayoutJob] {
        let tenant: SQLStatement = tenantID.map { "AND tenant_id = \($0)" } ?? ""
        // The old status is what every SET expression reads: a lease that ran out means the
        // last hand-off's outcome is not known.
        let rows = try await db.execute(
            """
            UPDATE payouts SET status = 'sending', lease_owner = \(lease), lease_until = \(leaseUntil), attempts = attempts + 1, updated_at = \(now),
                ask_first = CASE WHEN status = 'sending' THEN 1 ELSE ask_first END
            WHERE (tenant_id, id) IN (
                SELECT tenant_id, id FROM payouts
                WHERE ((status IN ('queued', 'unknown') AND next_attempt_at <= \(now)) OR (status = 'sending' AND lease_until < \(now))) \(tenant)
                ORDER BY next_attempt_at, tenant_id, id LIMIT \(Int64(limit))
            """ + .dialect(sqlite: ")", postgres: " FOR UPDATE SKIP LOCKED)") + " RETURNING " + Self.columns)
        var jobs: [PayoutJob] = []
        for row in rows { jobs.append(PayoutJob(payout: try Self.payout(row), askFirst: row.bool("ask_first"), lease: lease)) }
        return jobs.sorted { ($0.payout.tenantID, $0.payout.id) < ($1.payout.tenantID, $1.payout.id) }
    }

    /// The condition of every write a lease holder makes: still sending, under its lease, in time.
    private static func held(_ job: PayoutJob, now: Int64) -> SQLStatement {
        "tenant_id = \(job.payout.tenantID) AND id = \(job.payout.id) AND status = 'sending' AND lease_owner = \(job.lease) AND lease_until >= \(now)"
    }

    func renewLease(_ job: PayoutJob, now: Int64, leaseUntil: Int64) async throws(StorageError) -> Bool {
        !(try await db.execute(
            "UPDATE payouts SET lease_until = \(leaseUntil), updated_at = \(now) WHERE " + Self.held(job, now: now) + " RETURNING id")).isEmpty
    }

    private static let inFlightOrPaid: SQLStatement = " status IN ('sending', 'unknown', 'paid')"

    func merchantDay(merchant: String, day: Int64, excluding id: Int64, tenantID: Int64) async throws(StorageError) -> PayoutTally {
        let probe = Payout(
            tenantID: tenantID, id: id, campaignID: 0, wallet: "", recipient: "", amountFen: 0, status: .queued, merchant: merchant,
            billNumber: nil, attempts: 0, createdAt: 0)
        return Self.tally(try await db.read(Self.merchantDayStep(probe, merchant: merchant, day: day).statement))
    }

    func handOff(
        _ job: PayoutJob, merchant: String, billNumber: String, day: Int64, limits: PayoutLimits, now: Int64,
        leaseUntil: Int64
    ) async throws(StorageError) -> HandOff {
        let payout = job.payout
        let entryID = try await db.allocateIDs("ledger_entries", tenantID: payout.tenantID)
        var fixed = payout
        fixed.merchant = payout.merchant ?? merchant
        fixed.billNumber = payout.billNumber ?? billNumber
        let handedOff = fixed
        let steps: @Sendable (SQLResults) throws(StorageError) -> [SQLStep] = { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                // The consumer's wallet, locked on PostgreSQL: one consumer's hand-offs take turns, so the daily limits hold exactly.
                return [
                    SQLStep(
                        """
                        SELECT balance FROM ledger_accounts WHERE tenant_id = \(payout.tenantID) AND code = \(LedgerAccount.consumerWallet(payout.wallet).code) AND asset = 'fen'
                        """ + .dialect(sqlite: "", postgres: " FOR UPDATE"), name: "wallet")
                ]
            case 1:
                var consumerDay = Self.consumerDayStep(payout, day: day),
                    merchantDay = Self.merchantDayStep(payout, merchant: handedOff.merchant ?? merchant, day: day)
                consumerDay.name = "consumerDay"
                merchantDay.name = "merchantDay"
                return [
                    consumerDay, merchantDay,
                    SQLStep(
                        "SELECT id FROM ledger_entries WHERE tenant_id = \(payout.tenantID) AND idempotency_key = \(payout.handOffKey)",
                        name: "handOffEntry"),
                ]
            case 2:
                guard Self.limitReached(consumer: done["consumerDay"], merchant: done["merchantDay"], payout: payout, limits: limits) == nil else {
                    return []
                }
                var steps = [
                    SQLStep(
                        """
                        UPDATE payouts SET merchant = \(handedOff.merchant), bill_no = \(handedOff.billNumber), send_day = \(day), updated_at = \(now),
                        lease_until = \(leaseUntil)
                        """ + " WHERE " + Self.held(job, now: now) + " RETURNING id", requireRow: .notFound)
                ]
                if done["handOffEntry"].isEmpty {
                    // First hand-off: the money leaves the wallet for clearing.
                    let entry = try Self.entry { () throws(LedgerEntry.Problem) in try handedOff.handOffEntry() }
                    steps +=
                        [LedgerSteps.entry(entry, id: entryID, tenantID: payout.tenantID, at: now)]
                        + LedgerSteps.postings(of: entry.postings, entryID: entryID, tenantID: payout.tenantID)
                }
                return steps
            default:
                return []
            }
        }
        let done: SQLResults
        do throws(StorageError) {
            done = try await db.durableTransaction(named: steps)
        } catch .notFound {
            return .leaseLost
        }
        if done.ran("consumerDay"),
            let reason = Self.limitReached(consumer: done["consumerDay"], merchant: done["merchantDay"], payout: payout, limits: limits)
        {
            return .limitReached(reason)
        }
        return .handedOff(handedOff)
    }

    private static func consumerDayStep(_ payout: Payout, day: Int64) -> SQLStep {
        SQLStep(
            """
            SELECT COUNT(*) AS n, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS fen FROM payouts
            WHERE tenant_id = \(payout.tenantID) AND wallet = \(payout.wallet) AND send_day = \(day) AND id <> \(payout.id) AND
            """ + inFlightOrPaid)
    }

    private static func merchantDayStep(_ payout: Payout, merchant: String, day: Int64) -> SQLStep {
        SQLStep(
            """
            SELECT COUNT(*) AS n, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS fen FROM payouts
            WHERE merchant = \(merchant) AND send_day = \(day) AND NOT (tenant_id = \(payout.tenantID) AND id = \(payout.id)) AND
            """ + inFlightOrPaid)
    }

    private static func tally(_ rows: [SQLRow]) -> PayoutTally {
        PayoutTally(count: Int(rows.first?.optionalInt("n") ?? 0), amountFen: rows.first?.optionalInt("fen") ?? 0)
    }

    /// Which daily limit the payout would break, if any.
    private static func limitReached(consumer: [SQLRow], merchant: [SQLRow], payout: Payout, limits: PayoutLimits) -> String? {
        let consumer = tally(consumer)
        if !limits.consumerAllows(count: consumer.count, fen: consumer.amountFen, amountFen: payout.amountFen) { return "consumer_daily_limit" }
        if !limits.merchantAllows(fen: tally(merchant).amountFen, amountFen: payout.amountFen) { return "merchant_daily_limit" }
        return nil
    }

    /// Turns a ledger entry problem (a bug, not bad input) into a storage error.
    static func entry(_ make: () throws(LedgerEntry.Problem) -> LedgerEntry) throws(StorageError) -> LedgerEntry {
        do { return try make() } catch { throw .corruptRow("payout ledger entry: \(error)") }
    }

    func record(_ job: PayoutJob, answer: PayoutAnswer, retryAt: Int64, now: Int64) async throws(StorageError) -> Bool {
        let payout = job.payout
        // The new columns, and where the money goes: out of clearing when paid (true) or refused (false).
        let (update, settles): (SQLStatement, Bool?) =
            switch answer {
            case .paid(let reference): ("status = 'paid', provider_ref = \(reference), last_error = NULL, ask_first = 0", true)
            case .refused(let reason): ("status = 'failed', last_error = \(reason), ask_first = 0", false)
            case .later(let reason, _): ("status = 'queued', last_error = \(reason), next_attempt_at = \(retryAt), ask_first = 0", nil)
            case .unknown(let reason): ("status = 'unknown', last_error = \(reason), next_attempt_at = \(retryAt), ask_first = 1", nil)
            case .notFound: ("status = 'queued', last_error = 'not_found', next_attempt_at = \(retryAt), ask_first = 0", nil)
            }
        let entryID = try await db.allocateIDs("ledger_entries", tenantID: payout.tenantID)
        do throws(StorageError) {
            try await record(payout, update: update, settles: settles, held: Self.held(job, now: now), entryID: entryID, now: now)
            return true
        } catch .notFound {
            return false
        }
    }

    private func record(
        _ payout: Payout, update: SQLStatement, settles: Bool?, held: SQLStatement, entryID: Int64, now: Int64
    ) async throws(StorageError) {
        let keys = [payout.handOffKey, payout.settledKey]
        try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                return [
                    SQLStep(
                        "UPDATE payouts SET " + update + ", lease_until = NULL, lease_owner = NULL, updated_at = \(now) WHERE " + held
                            + " RETURNING id, wallet",
                        requireRow: .notFound, name: "payout"),
                    SQLStep(
                        """
                        SELECT idempotency_key FROM ledger_entries WHERE tenant_id = \(payout.tenantID)
                        AND idempotency_key IN (\(SQLStatement.join(keys.map { "\($0)" }, separator: ", ")))
                        """, name: "posted"),
                ]
            case 1:
                // The money leaves clearing once, and only if it entered it.
                let posted = Set(done["posted"].compactMap { $0.optionalString("idempotency_key") })
                guard let paid = settles, posted.contains(payout.handOffKey), !posted.contains(payout.settledKey) else { return [] }
                // A refused payout goes back to the wallet as it is named now (a deleted account's is renamed meanwhile).
                var current = payout
                current.wallet = done["payout"].first?.optionalString("wallet") ?? payout.wallet
                let entry = try Self.entry { () throws(LedgerEntry.Problem) in try current.settledEntry(paid: paid) }
                return [LedgerSteps.entry(entry, id: entryID, tenantID: payout.tenantID, at: now)]
                    + LedgerSteps.postings(of: entry.postings, entryID: entryID, tenantID: payout.tenantID)
            default:
                return []
            }
        })
    }

    func nextBillSerial() async throws(StorageError) -> Int64 {
        // Tenant 0 is no brand: the deployment's own sequences.
        try await db.allocateIDs("payout_bills", tenantID: 0)
    }

    func takePace(merchant: String, second: Int64, limit: Int) async throws(StorageError) -> Bool {
        let rows = try await db.execute(
            """
            INSERT INTO payout_pace (merchant, second, sent) VALUES (\(merchant), \(second), 1)
            ON CONFLICT (merchant, second) DO UPDATE SET sent = payout_pace.sent + 1 WHERE payout_pace.sent < \(Int64(limit))
            RETURNING sent
            """)
        if !rows.isEmpty && second % 60 == 0 {
            // Once a minute, the seconds long past are forgotten.
            _ = try await db.execute("DELETE FROM payout_pace WHERE merchant = \(merchant) AND second < \(second - 60)")
        }
        return !rows.isEmpty
    }

    func list(tenantID: Int64, status: PayoutStatus?, limit: Int) async throws(StorageError) -> [Payout] {
        let filter: SQLStatement = status.map { "AND status = \($0.rawValue)" } ?? ""
        var payouts: [Payout] = []
        for row in try await db.read(
            "SELECT " + Self.columns + " FROM payouts WHERE tenant_id = \(tenantID) " + filter
                + " ORDER BY id DESC LIMIT \(Int64(min(max(limit, 1), 1000)))")
        {
            payouts.append(try Self.payout(row))
        }
        return payouts
    }

    func review(id: Int64, approve: Bool, tenantID: Int64, now: Int64) async throws(StorageError) -> Review? {
        let entryID = try await db.allocateIDs("ledger_entries", tenantID: tenantID)
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                let status: SQLStatement = approve ? "status = 'queued', next_attempt_at = \(now)" : "status = 'rejected'"
                return [
                    SQLStep(
                        "UPDATE payouts SET " + status
                            + ", updated_at = \(now) WHERE tenant_id = \(tenantID) AND id = \(id) AND status = 'held' RETURNING "
                            + Self.columns, name: "reviewed")
                ]
            case 1 where !approve:
                guard let row = done["reviewed"].first else { return [] }
                let rejected = try Self.payout(row)
                let entry = try Self.entry { () throws(LedgerEntry.Problem) in try rejected.rejectedEntry() }
                return [LedgerSteps.entry(entry, id: entryID, tenantID: tenantID, at: now)]
                    + LedgerSteps.postings(of: entry.postings, entryID: entryID, tenantID: tenantID)
            default:
                return []
            }
        })
        if let row = done["reviewed"].first { return .reviewed(try Self.payout(row)) }
        guard let existing = try await db.read("SELECT status FROM payouts WHERE tenant_id = \(tenantID) AND id = \(id)").first else { return nil }
        return .notHeld(PayoutStatus(rawValue: try existing.string("status")) ?? .queued)
    }

    func summary(tenantID: Int64) async throws(StorageError) -> [PayoutStatus: PayoutTally] {
        try Self.tallies(
            try await db.read(
                """
                SELECT status, COUNT(*) AS n, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS fen FROM payouts WHERE tenant_id = \(tenantID) GROUP BY status
                """))
    }

    func summary(campaignID: Int64, tenantID: Int64) async throws(StorageError) -> [PayoutStatus: PayoutTally] {
        try Self.tallies(
            try await db.read(
                """
                SELECT status, COUNT(*) AS n, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS fen FROM payouts
                WHERE tenant_id = \(tenantID) AND campaign_id = \(campaignID) GROUP BY status
                """))
    }

    private static func tallies(_ rows: [SQLRow]) throws(StorageError) -> [PayoutStatus: PayoutTally] {
        var tallies: [PayoutStatus: PayoutTally] = [:]
        for row in rows {
            guard let status = PayoutStatus(rawValue: try row.string("status")) else { continue }
            tallies[status] = PayoutTally(count: Int(row.optionalInt("n") ?? 0), amountFen: row.optionalInt("fen") ?? 0)
        }
        return tallies
    }
}
