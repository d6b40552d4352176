/// A campaign running now, with its regions ready for the scan path's many questions.
public struct RunningCampaign: Sendable {
    public let campaign: Campaign
    private let territory: Territory
    private let products: Set<Int64>

    public init(_ campaign: Campaign) {
        self.campaign = campaign
        territory = Territory(campaign.draft.regionCodes)
        products = Set(campaign.draft.productIDs)
    }

    /// Whether a scan of this product, at this time and place, takes part. A campaign limited to
    /// regions, or fenced around stores, needs a scan whose position is known and inside them.
    public func applies(productID: Int64, regionCode: String?, location: GeoPoint? = nil, at millis: Int64) -> Bool {
        guard campaign.draft.isRunning(at: millis), products.contains(productID) else { return false }
        if !campaign.draft.regionCodes.isEmpty && !(regionCode.map(territory.covers) ?? false) { return false }
        guard let fences = campaign.draft.geofences, !fences.isEmpty else { return true }
        return location.map { point in fences.contains { $0.contains(point) } } ?? false
    }
}

/// How a scan's draw in a campaign ended.
public enum DrawOutcome: String, Sendable, Codable, CaseIterable {
    /// The prize is the consumer's (cash and vouchers are in their wallet in the ledger).
    case won
    /// The draw landed on no prize.
    case lost
    /// The code was drawn before, in this campaign: a code never pays twice.
    case alreadyDrawn = "already_drawn"
    /// The consumer or device reached the campaign's daily limit of wins.
    case limitReached = "limit_reached"
    /// The tier's stock is gone.
    case outOfStock = "out_of_stock"
    /// The campaign's budget cannot pay this prize.
    case budgetSpent = "budget_spent"
    /// The scan says neither who scanned nor from which device: there is no one to give a prize to.
    case identityNeeded = "identity_needed"
    /// The code is not active (not yet activated, or voided): it takes no part in campaigns.
    case inactiveCode = "inactive_code"
}

/// One scan's chance in a campaign: the draw was made in memory, storage settles it (a code
/// drawn once per campaign, limits, stock, budget) and books the prize and the store's reward.
public struct RewardClaim: Sendable {
    public var tenantID: Int64
    public var campaign: Campaign
    public var batchID: Int64
    public var serial: Int
    public var drawnAt: Int64
    /// The tier the draw landed on, if any.
    public var tierIndex: Int?
    /// The ledger wallet of whoever scanned (a pseudonym of the consumer, else of the device).
    public var wallet: String
    /// Pseudonyms the daily win limits count, for the device and for the consumer.
    public var deviceSubject: String?
    public var consumerSubject: String?
    public var deviceID: String?
    /// The store that sold the unit (its case's receipt or delivery): it earns the store reward.
    public var storeID: Int64?
    /// The case whose receipt waits for HQ's review: the store reward is held for it.
    public var heldFor: CaseRef?
    /// The budget shard tried first (within the campaign's shards); the others follow when it cannot pay.
    public var firstShard: Int
    /// Who a cash prize is paid out to (`openid:…` or `phone:…`), sealed; nil keeps it in the wallet.
    public var payoutRecipient: String?
    /// The scan's risk: a held claim's cash payout waits for review.
    public var risk: RiskAssessment

    public init(
        tenantID: Int64, campaign: Campaign, batchID: Int64, serial: Int, drawnAt: Int64, tierIndex: Int?, wallet: String,
        deviceSubject: String?, consumerSubject: String?, deviceID: String?, storeID: Int64?, firstShard: Int,
        payoutRecipient: String? = nil, risk: RiskAssessment = .clean, heldFor: CaseRef? = nil
    ) {
        self.tenantID = tenantID
        self.campaign = campaign
        self.batchID = batchID
        self.serial = serial
        self.drawnAt = drawnAt
        self.tierIndex = tierIndex
        self.wallet = wallet
        self.deviceSubject = deviceSubject
        self.consumerSubject = consumerSubject
        self.deviceID = deviceID
        self.storeID = storeID
        self.heldFor = heldFor
        self.payoutRecipient = payoutRecipient
        self.risk = risk
        self.firstShard = (firstShard % campaign.budgetShards + campaign.budgetShards) % campaign.budgetShards
    }

    public var tier: PrizeTier? {
        tierIndex.flatMap { campaign.draft.tiers.indices.contains($0) ? campaign.draft.tiers[$0] : nil }
    }

    /// The business day the daily limits count in.
    public var day: Int64 { BusinessDay.day(ofMillis: drawnAt) }

    /// What the prize takes from the campaign's money budget (cash, or a voucher's reimbursement).
    public var budgetFen: Int64 {
        guard let tier else { return 0 }
        return tier.kind == .cash || tier.kind == .freeItem ? tier.amountFen : 0
    }

    /// What the selling store earns, when there is one.
    public var storeRewardFen: Int64 { storeID == nil ? 0 : campaign.draft.storeRewardFen }

    /// The ledger idempotency key of this code's prize in this campaign, and of its store reward.
    public var prizeKey: String { "draw:\(campaign.id):\(batchID):\(serial)" }
    public var storeRewardKey: String { "store-reward:\(campaign.id):\(batchID):\(serial)" }

    /// The ledger entry booking the prize, taking money from `shard` (nil when the prize moves no value).
    public func prizeEntry(shard: Int) throws(LedgerEntry.Problem) -> LedgerEntry? {
        guard let tier else { return nil }
        let memo = "\(tier.name) · campaign \(campaign.id)"
        switch tier.kind {
        case .cash:
            return try .transfer(
                key: prizeKey, memo: memo, tier.amountFen, .fen,
                from: campaign.budgetAccount(forStore: false, shard: shard), to: .consumerWallet(wallet))
        case .freeItem:
            return try .transfer(
                key: prizeKey, memo: memo, tier.amountFen, .fen,
                from: campaign.budgetAccount(forStore: false, shard: shard), to: .vouchersOutstanding(campaignID: campaign.id))
        case .points:
            return try .transfer(
                key: prizeKey, memo: memo, tier.points, .points,
                from: .campaignPoints(campaignID: campaign.id, shard: shard), to: .consumerWallet(wallet))
        case .coupon:
            return nil
        }
    }

    /// The ledger entry booking the store's reward from `shard` of the store budget.
    public func storeRewardEntry(shard: Int) throws(LedgerEntry.Problem) -> LedgerEntry? {
        guard let storeID, storeRewardFen > 0 else { return nil }
        let to: LedgerAccount =
            heldFor.map {
                .heldStoreReward(storeID: storeID, batchID: $0.batchID, caseNumber: $0.caseNumber, campaignID: campaign.id)
            } ?? .storeWallet(storeID: storeID)
        return try .transfer(
            key: storeRewardKey, memo: "store reward · campaign \(campaign.id)", storeRewardFen, .fen,
            from: campaign.budgetAccount(forStore: true, shard: shard), to: to)
    }
}

/// How a claim was settled.
public struct RewardResult: Sendable, Equatable {
    public var outcome: DrawOutcome
    /// The tier won (set only when `outcome` is `.won`).
    public var tierIndex: Int?
    /// What the selling store earned on this scan.
    public var storeRewardFen: Int64

    public init(outcome: DrawOutcome, tierIndex: Int? = nil, storeRewardFen: Int64 = 0) {
        self.outcome = outcome
        self.tierIndex = tierIndex
        self.storeRewardFen = storeRewardFen
    }
}
