/// Where a payout is in the outbox.
public enum PayoutStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its turn (first try, or a retry the provider asked for later).
    case queued
    /// Handed to a worker, which is talking to the provider now.
    case sending
    /// The provider's answer was lost or unclear: the next try asks the provider first, then
    /// sends again with the same bill number.
    case unknown
    /// The provider confirmed it paid.
    case paid
    /// The provider refused it for good: the money went back to the consumer's wallet.
    case failed
    /// The scan that won it looked risky: it waits for HQ's review before it is sent.
    case held
    /// HQ rejected it in review: the money went back to the campaign's budget.
    case rejected
}

/// One payout as the outbox worker handles it.
public struct Payout: Sendable, Equatable {
    public var tenantID: Int64
    public var id: Int64
    public var campaignID: Int64
    /// The consumer's ledger wallet (a pseudonym); daily limits per consumer count by it.
    public var wallet: String
    /// Who receives it (`openid:…` or `phone:…`), sealed at rest.
    public var recipient: String
    public var amountFen: Int64
    public var status: PayoutStatus
    /// The merchant account and bill number, fixed at the first hand-off and never changed:
    /// every retry of an unclear outcome repeats them.
    public var merchant: String?
    public var billNumber: String?
    public var attempts: Int
    public var createdAt: Int64
    /// The risk of the scan that won it, and why (held payouts wait for review).
    public var riskScore: Int
    public var riskReasons: [String]

    public init(
        tenantID: Int64, id: Int64, campaignID: Int64, wallet: String, recipient: String, amountFen: Int64, status: PayoutStatus,
        merchant: String?, billNumber: String?, attempts: Int, createdAt: Int64, riskScore: Int = 0, riskReasons: [String] = []
    ) {
        self.tenantID = tenantID
        self.id = id
        self.campaignID = campaignID
        self.wallet = wallet
        self.recipient = recipient
        self.amountFen = amountFen
        self.status = status
        self.merchant = merchant
        self.billNumber = billNumber
        self.attempts = attempts
        self.createdAt = createdAt
        self.riskScore = riskScore
        self.riskReasons = riskReasons
    }

    /// The ledger keys of the hand-off (wallet → clearing) and of its end (clearing → paid out,
    /// or back to the wallet).
    public var handOffKey: String { "payout:\(tenantID):\(id):handed-off" }
    public var settledKey: String { "payout:\(tenantID):\(id):settled" }

    /// Moves the amount from the consumer's wallet into payout clearing.
    public func handOffEntry() throws(LedgerEntry.Problem) -> LedgerEntry {
        try .transfer(
            key: handOffKey, memo: "payout \(billNumber ?? "\(id)") handed to the provider", amountFen, .fen,
            from: .consumerWallet(wallet), to: .payoutClearing)
    }

    /// Moves the amount out of clearing: to paid-out when the provider paid, else back to the wallet.
    public func settledEntry(paid: Bool) throws(LedgerEntry.Problem) -> LedgerEntry {
        try .transfer(
            key: settledKey, memo: paid ? "payout \(billNumber ?? "\(id)") paid" : "payout \(billNumber ?? "\(id)") refused, back to the wallet",
            amountFen, .fen, from: .payoutClearing, to: paid ? .paidOut : .consumerWallet(wallet))
    }

    /// HQ rejected the payout in review: the prize goes from the wallet back to the campaign's
    /// budget (cash from the points mall, campaign 0, back to the brand's funding).
    public var rejectedKey: String { "payout:\(tenantID):\(id):rejected" }

    public func rejectedEntry() throws(LedgerEntry.Problem) -> LedgerEntry {
        try .transfer(
            key: rejectedKey, memo: "payout \(id) rejected in review", amountFen, .fen, from: .consumerWallet(wallet),
            to: campaignID > 0 ? .campaignBudget(campaignID: campaignID, shard: 0) : .brandFunding)
    }

    /// A bill number as WeChat Pay asks for one: the merchant id, the date (yyyymmdd) and ten
    /// digits unique for that merchant (a serial of the deployment's), 28 characters for a 10-digit merchant id.
    public static func billNumber(merchant: String, day: Int64, serial: Int64) -> String {
        let date = BusinessDay.date(ofDay: day).filter { $0 != "-" }
        let digits = String(serial % 10_000_000_000)
        return merchant + date + String(repeating: "0", count: 10 - digits.count) + digits
    }
}

/// A provider's limits and the pace the outbox keeps (WeChat red packets by default).
public struct PayoutLimits: Sendable, Equatable, Codable {
    /// Payouts per second per merchant account (WeChat allows about 30).
    public var perSecondPerMerchant: Int
    /// The smallest and largest single payout.
    public var minimumFen: Int64
    public var maximumFen: Int64
    /// Per consumer and business day.
    public var perConsumerDailyCount: Int
    public var perConsumerDailyFen: Int64
    /// Per merchant account and business day.
    public var perMerchantDailyFen: Int64
    /// The first wait before retrying an unclear or refused-for-now payout (doubled each try).
    public var retryAfterMillis: Int64
    /// The longest wait between retries.
    public var maximumRetryAfterMillis: Int64

    public init(
        perSecondPerMerchant: Int = 30, minimumFen: Int64 = 100, maximumFen: Int64 = 20_000, perConsumerDailyCount: Int = 10,
        perConsumerDailyFen: Int64 = 100_000, perMerchantDailyFen: Int64 = 100_000_000, retryAfterMillis: Int64 = 2_000,
        maximumRetryAfterMillis: Int64 = 600_000
    ) {
        self.perSecondPerMerchant = perSecondPerMerchant
        self.minimumFen = minimumFen
        self.maximumFen = maximumFen
        self.perConsumerDailyCount = perConsumerDailyCount
        self.perConsumerDailyFen = perConsumerDailyFen
        self.perMerchantDailyFen = perMerchantDailyFen
        self.retryAfterMillis = retryAfterMillis
        self.maximumRetryAfterMillis = maximumRetryAfterMillis
    }

    /// What a payout's amount allows, whatever the day: nil when it may be sent.
    public func refusal(amountFen: Int64) -> String? {
        if amountFen < minimumFen { return "below_minimum" }
        if amountFen > maximumFen { return "above_maximum" }
        return nil
    }

    /// Whether a consumer who was paid `count` payouts worth `fen` today may be paid `amountFen` more.
    public func consumerAllows(count: Int, fen: Int64, amountFen: Int64) -> Bool {
        count < perConsumerDailyCount && fen + amountFen <= perConsumerDailyFen
    }

    /// Whether a merchant account that paid `fen` today may pay `amountFen` more.
    public func merchantAllows(fen: Int64, amountFen: Int64) -> Bool {
        fen + amountFen <= perMerchantDailyFen
    }

    /// How long to wait before the try after `attempts` tries.
    public func retryDelay(afterAttempts attempts: Int) -> Int64 {
        let doubled = retryAfterMillis << Int64(min(max(attempts - 1, 0), 20))
        return min(doubled, maximumRetryAfterMillis)
    }
}

/// What a provider said about one payout.
public enum PayoutAnswer: Sendable, Equatable {
    /// Paid, with the provider's reference.
    case paid(reference: String)
    /// Not paid and never will be under this bill number.
    case refused(reason: String)
    /// Not paid now; the same bill number may be tried again later (tomorrow when `nextDay`).
    case later(reason: String, nextDay: Bool)
    /// The outcome is not known (a system error, a timeout, a lost response): ask before sending again.
    case unknown(reason: String)
    /// Asked about a bill number, the provider has no record of it: sending it is safe.
    case notFound
}
