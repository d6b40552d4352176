public import FullChainCore

/// A brand's WeChat official account for consumers' sign-in, its secret sealed.
public struct StoredWeChatApp: Sendable, Equatable {
    public var appID: String
    public var sealedSecret: String
    public var updatedAt: Int64
    /// The account's subscribe-notice template journeys send with (one `thing1` field), if any.
    public var noticeTemplateID: String?

    public init(appID: String, sealedSecret: String, updatedAt: Int64, noticeTemplateID: String? = nil) {
        self.appID = appID
        self.sealedSecret = sealedSecret
        self.updatedAt = updatedAt
        self.noticeTemplateID = noticeTemplateID
    }
}

/// A prize (cash or points) a device won before anyone signed in on it: still in the device's
/// wallet (or, once claimed by a phone, in the phone's).
public struct DevicePrize: Sendable, Equatable {
    /// The prize's ledger key (`draw:campaign:batch:serial`).
    public var prizeKey: String
    public var campaignID: Int64
    public var asset: LedgerAsset
    /// In the asset's unit: fen, or points.
    public var amount: Int64
    public var wonAt: Int64

    public init(prizeKey: String, campaignID: Int64, asset: LedgerAsset, amount: Int64, wonAt: Int64) {
        self.prizeKey = prizeKey
        self.campaignID = campaignID
        self.asset = asset
        self.amount = amount
        self.wonAt = wonAt
    }

    /// The ledger key of moving it out of `source` (a prize moves once from each wallet it is in:
    /// from a device to a phone, from the phone to the openid).
    public func claimKey(from source: String) -> String { "claim:" + prizeKey + "@" + source }

    /// The prize a claim's ledger key moved (keys of early claims carry no source).
    static func prizeKey(ofClaim key: String) -> String? {
        guard key.hasPrefix("claim:") else { return nil }
        return String(key.dropFirst(6).prefix { $0 != "@" })
    }
}

/// One cash prize on its way to the consumer, as their "我的" page lists it (campaign 0 and no
/// name: cash from the points mall).
public struct ConsumerPayoutLine: Sendable, Equatable {
    public var id: Int64
    public var campaignID: Int64
    public var campaign: String
    public var amountFen: Int64
    public var status: PayoutStatus
    public var createdAt: Int64
}

/// What a signed-in consumer holds: cash and points in their wallet, and their payouts.
public struct ConsumerWallet: Sendable, Equatable {
    /// Cash won and not yet handed to a payout.
    public var cashFen: Int64
    public var points: Int64
    /// Newest first.
    public var payouts: [ConsumerPayoutLine]
}

/// Consumers' side of the brand: the WeChat app they sign in with, prizes claimed from the
/// device they scanned on, their wallet, SMS sign-in codes, retention, consents, their data and
/// the deletion of their account.
public protocol ConsumerRepository: Sendable {
    func weChatApp(tenantID: Int64) async throws(StorageError) -> StoredWeChatApp?
    /// Sets (or replaces) the brand's app.
    func setWeChatApp(_ app: StoredWeChatApp, tenantID: Int64) async throws(StorageError)
    /// Prizes (cash and points) credited to `deviceWallet` (a device's or a phone's) since `since` and not yet claimed, oldest first.
    func unclaimedPrizes(deviceWallet: String, since: Int64, tenantID: Int64) async throws(StorageError) -> [DevicePrize]
    /// Moves a prize from a device's (or a phone's) wallet to the consumer's and, for cash with a
    /// `recipient` (sealed), queues its payout, in one transaction; false when it was claimed before.
    func claim(
        _ prize: DevicePrize, from deviceWallet: String, to wallet: String, recipient: String?, at now: Int64, tenantID: Int64
    )
        async throws(StorageError) -> Bool
    /// The wallet's balances and its newest `limit` payouts.
    func wallet(_ wallet: String, limit: Int, tenantID: Int64) async throws(StorageError) -> ConsumerWallet

    // MARK: SMS sign-in

    /// What a phone, an address and a device were sent, and the phone's wrong tries, since `since`.
    func phoneCodeCounts(
        phoneHash: String, addressHash: String?, deviceHash: String?, since: Int64, tenantID: Int64
    )
        async throws(StorageError) -> OneTimeCodeRules.Counts
    /// Records a code about to be sent, unless the phone had one after `notAfter` (then nil):
    /// one code per phone per interval however many requests race. Keeps the phone, sealed.
    func insertPhoneCode(_ code: NewPhoneCode, phoneSealed: String, notAfter: Int64, tenantID: Int64) async throws(StorageError) -> Int64?
    /// The phone's newest code that is unused and unexpired at `now`.
    func livePhoneCode(phoneHash: String, now: Int64, tenantID: Int64) async throws(StorageError) -> StoredPhoneCode?
    /// Counts one try on the code, unless it has had `maxAttempts` or was used: the tries so far, or nil.
    func spendAttempt(codeID: Int64, maxAttempts: Int, tenantID: Int64) async throws(StorageError) -> Int?
    /// Marks the code used; false when it was used before.
    func usePhoneCode(codeID: Int64, at now: Int64, tenantID: Int64) async throws(StorageError) -> Bool

    // MARK: Retention

    /// Rounds the positions of scans made before `before` (not rounded yet) to `decimals` places; the rows rounded.
    func coarsenPositions(before: Int64, decimals: Int, tenantID: Int64) async throws(StorageError) -> Int
    /// Up to `limit` scan events and up to `limit` store customers that still name a consumer in clear.
    func clearConsumers(limit: Int, tenantID: Int64) async throws(StorageError) -> [ClearConsumer]
    /// Replaces those names by `pseudonym(name)`, merging a store's customer into its pseudonym's row.
    func pseudonymize(_ found: [ClearConsumer], as pseudonym: @Sendable (String) -> String, tenantID: Int64) async throws(StorageError)

    // MARK: The consumer's rights

    /// Deletes a consumer's account in one transaction: payouts not yet with the provider are
    /// cancelled (back to the budget), and every row that named the wallet — ledger, payouts,
    /// draws, win counts, scans, store customers — names `replacement` instead; the phone (by
    /// its keyed hash) and its codes are deleted.
    func erase(
        wallet: String, into replacement: String, phoneHash: String?, at now: Int64, tenantID: Int64
    ) async throws(StorageError)
        -> ErasureReport
    /// Drops the sealed recipient of erased consumers' payouts that have ended since; the count.
    func clearErasedRecipients(tenantID: Int64) async throws(StorageError) -> Int
    /// What the brand holds on the wallet's consumer.
    func export(wallet: String, tenantID: Int64) async throws(StorageError) -> ConsumerExport
    /// Records consents the consumer gave or withdrew.
    func recordConsents(_ records: [ConsentRecord], wallet: String, tenantID: Int64) async throws(StorageError)
    /// Every consent the consumer gave or withdrew, oldest first.
    func consents(wallet: String, tenantID: Int64) async throws(StorageError) -> [ConsentRecord]
}

/// A sign-in code about to be sent: whose phone (by keyed hash), from which address and device
/// (keyed hashes too), and the code's keyed hash.
public struct NewPhoneCode: Sendable, Equatable {
    public var phoneHash: String
    public var addressHash: String?
    public var deviceHash: String?
    public var codeHash: String
    public var sentAt: Int64
    public var expiresAt: Int64

    public init(phoneHash: String, addressHash: String?, deviceHash: String?, codeHash: String, sentAt: Int64, expiresAt: Int64) {
        self.phoneHash = phoneHash
        self.addressHash = addressHash
        self.deviceHash = deviceHash
        self.codeHash = codeHash
        self.sentAt = sentAt
        self.expiresAt = expiresAt
    }
}

/// A sent sign-in code as storage keeps it: never the digits, only their keyed hash.
public struct StoredPhoneCode: Sendable, Equatable {
    public var id: Int64
    public var codeHash: String
    public var attempts: Int
    public var sentAt: Int64
    public var expiresAt: Int64
}

struct SQLConsumerRepository: ConsumerRepository {
    let db: any SQLDatabase

    func weChatApp(tenantID: Int64) async throws(StorageError) -> StoredWeChatApp? {
        guard
            let row = try await db.read(
                "SELECT app_id, secret_sealed, updated_at, notice_template_id FROM consumer_wechat_apps WHERE tenant_id = \(tenantID)"
            ).first
        else { return nil }
        return StoredWeChatApp(
            appID: try row.string("app_id"), sealedSecret: try row.string("secret_sealed"), updatedAt: try row.int("updated_at"),
            noticeTemplateID: row.optionalString("notice_template_id"))
    }

    func setWeChatApp(_ app: StoredWeChatApp, tenantID: Int64) async throws(StorageError) {
        try await db.execute(
            """
            INSERT INTO consumer_wechat_apps (tenant_id, app_id, secret_sealed, updated_at, notice_template_id)
            VALUES (\(tenantID), \(app.appID), \(app.sealedSecret), \(app.updatedAt), \(app.noticeTemplateID))
            ON CONFLICT (tenant_id) DO UPDATE SET app_id = excluded.app_id, secret_sealed = excluded.secret_sealed, updated_at = excluded.updated_at,
                notice_template_id = excluded.notice_template_id
            """)
    }

    func unclaimedPrizes(deviceWallet: String, since: Int64, tenantID: Int64) async throws(StorageError) -> [DevicePrize] {
        // Every posting of the device's wallet since then: prizes in, claims out.
        let rows = try await db.read(
            """
            SELECT e.idempotency_key, e.created_at, p.asset, p.amount FROM ledger_postings p
            JOIN ledger_entries e ON e.tenant_id = p.tenant_id AND e.id = p.entry_id
            WHERE p.tenant_id = \(tenantID) AND p.account_code = \(LedgerAccount.consumerWallet(deviceWallet).code)
            AND e.created_at >= \(since)
            ORDER BY e.created_at, e.id
            """)
        // A prize is in the wallet when it was won there or claimed into it, and not claimed out.
        var prizes: [DevicePrize] = []
        var claimed: Set<String> = []
        for row in rows {
            let key = try row.string("idempotency_key")
            let amount = try row.int("amount")
            let prizeKey = DevicePrize.prizeKey(ofClaim: key) ?? key
            if amount < 0, key.hasPrefix("claim:") {
                claimed.insert(prizeKey)
            } else if amount > 0, prizeKey.hasPrefix("draw:"), let asset = LedgerAsset(rawValue: try row.string("asset")),
                let campaignID = prizeKey.split(separator: ":").dropFirst().first.flatMap({ Int64($0) })
            {
                prizes.append(DevicePrize(prizeKey: prizeKey, campaignID: campaignID, asset: asset, amount: amount, wonAt: try row.int("created_at")))
            }
        }
        return prizes.filter { !claimed.contains($0.prizeKey) }
    }

    func claim(
        _ prize: DevicePrize, from deviceWallet: String, to wallet: String, recipient: String?, at now: Int64, tenantID: Int64
    )
        async throws(StorageError) -> Bool
    {
        let entry: LedgerEntry
        do {
            entry = try .transfer(
                key: prize.claimKey(from: deviceWallet), memo: "claimed on sign-in · campaign \(prize.campaignID)", prize.amount, prize.asset,
                from: .consumerWallet(deviceWallet), to: .consumerWallet(wallet))
        } catch {
            throw .corruptRow("claim of \(prize.prizeKey): \(error)")
        }
        let id = try await db.allocateIDs("ledger_entries", tenantID: tenantID)
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                // A claim made at the same moment elsewhere wins; this one then does nothing.
                return [LedgerSteps.entryOnce(entry, id: id, tenantID: tenantID, at: now)]
            case 1 where !done["entry"].isEmpty:
                guard let recipient, prize.asset == .fen else { return LedgerSteps.postings(of: entry.postings, entryID: id, tenantID: tenantID) }
                return LedgerSteps.postings(of: entry.postings, entryID: id, tenantID: tenantID) + [
                    SQLStep(
                        """
                        INSERT INTO payouts (tenant_id, id, campaign_id, wallet, recipient, amount_fen, status, next_attempt_at, created_at, updated_at)
                        VALUES (\(tenantID), \(id), \(prize.campaignID), \(wallet), \(recipient), \(prize.amount), \(PayoutStatus.queued.rawValue), \(now), \(now), \(now))
                        """)
                ]
            default:
                return []
            }
        })
        return !done["entry"].isEmpty
    }

    func wallet(_ wallet: String, limit: Int, tenantID: Int64) async throws(StorageError) -> ConsumerWallet {
        let account = LedgerAccount.consumerWallet(wallet).code
        var cash: Int64 = 0
        var points: Int64 = 0
        for row in try await db.read("SELECT asset, balance FROM ledger_accounts WHERE tenant_id = \(tenantID) AND code = \(account)") {
            switch try row.string("asset") {
            case LedgerAsset.fen.rawValue: cash = try row.int("balance")
            case LedgerAsset.points.rawValue: points = try row.int("balance")
            default: break
            }
        }
        var payouts: [ConsumerPayoutLine] = []
        for row in try await db.read(
            """
            SELECT p.id, p.campaign_id, COALESCE(c.name, '') AS name, p.amount_fen, p.status, p.created_at FROM payouts p
            LEFT JOIN campaigns c ON c.tenant_id = p.tenant_id AND c.id = p.campaign_id
            WHERE p.tenant_id = \(tenantID) AND p.wallet = \(wallet)
            ORDER BY p.created_at DESC, p.id DESC LIMIT \(Int64(max(1, min(limit, 200))))
            """)
        {
            guard let status = PayoutStatus(rawValue: try row.string("status")) else { throw .corruptRow("payout status") }
            payouts.append(
                ConsumerPayoutLine(
                    id: try row.int("id"), campaignID: try row.int("campaign_id"), campaign: try row.string("name"),
                    amountFen: try row.int("amount_fen"), status: status, createdAt: try row.int("created_at")))
        }
        return ConsumerWallet(cashFen: cash, points: points, payouts: payouts)
    }
}
