/// What a ledger amount counts: money in fen (分) or loyalty points.
public enum LedgerAsset: String, Sendable, Codable, CaseIterable, Comparable {
    case fen
    case points

    public static func < (lhs: LedgerAsset, rhs: LedgerAsset) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An account of a brand's ledger. Every money and points movement moves amounts between
/// accounts; an account's balance is the sum of its postings.
///
/// The brand's funding account gives and may go below zero (what the brand put in); every
/// other account holds value and never goes below zero (its floor).
public enum LedgerAccount: Sendable, Hashable, Comparable {
    /// Money and points the brand puts into campaigns.
    case brandFunding
    /// One shard of what a campaign may still pay consumers. A budget is split into shards so
    /// that concurrent winners (on many servers) do not all wait for one row.
    case campaignBudget(campaignID: Int64, shard: Int)
    /// One shard of what a campaign may still pay stores (BC double reward).
    case storeRewardBudget(campaignID: Int64, shard: Int)
    /// The points a campaign gives out (it may go below zero: points are issued, not spent).
    case campaignPoints(campaignID: Int64, shard: Int)
    /// "再来一瓶" vouchers won and not yet redeemed: what the brand owes the redeeming store.
    case vouchersOutstanding(campaignID: Int64)
    /// A consumer's winnings, by pseudonym (no phone or openid in the ledger).
    case consumerWallet(String)
    /// A store's rewards and voucher reimbursements, until settled.
    case storeWallet(storeID: Int64)
    /// A campaign's rewards for a store from the units of one case whose receipt waits for HQ's
    /// review (see `ReceiptReview`).
    case heldStoreReward(storeID: Int64, batchID: Int64, caseNumber: Int, campaignID: Int64)
    /// Payouts handed to a provider, until it confirms them.
    case payoutClearing
    /// What left the brand through providers or settlement.
    case paidOut
    /// Points consumers spent in the points mall.
    case mallPoints
    /// What the brand owes for mall coupons taken and not yet redeemed at a store.
    case couponsOutstanding
    /// The points the brand set aside to reward consumers who bring newcomers.
    case referralBudget
    /// Points a journey may award (funded when it starts).
    case journeyBudget(journeyID: Int64)

    /// The stored name, e.g. `campaign:12:budget`.
    public var code: String {
        switch self {
        case .brandFunding: "brand:funding"
        case .campaignBudget(let id, let shard): "campaign:\(id):budget:\(shard)"
        case .storeRewardBudget(let id, let shard): "campaign:\(id):store-budget:\(shard)"
        case .campaignPoints(let id, let shard): "campaign:\(id):points:\(shard)"
        case .vouchersOutstanding(let id): "campaign:\(id):vouchers"
        case .consumerWallet(let pseudonym): "consumer:\(pseudonym)"
        case .storeWallet(let id): "store:\(id)"
        case .heldStoreReward(let store, let batch, let number, let campaign):
            Self.heldStoreRewardPrefix(storeID: store, batchID: batch, caseNumber: number) + "\(campaign)"
        case .payoutClearing: "payout:clearing"
        case .paidOut: "payout:paid"
        case .mallPoints: "mall:points"
        case .couponsOutstanding: "mall:coupons"
        case .referralBudget: "referral:budget"
        case .journeyBudget(let id): "journey:\(id):budget"
        }
    }

    /// What the codes of every campaign's held rewards for one store and case start with.
    public static func heldStoreRewardPrefix(storeID: Int64, batchID: Int64, caseNumber: Int) -> String {
        "store:\(storeID):held:\(batchID):\(caseNumber):"
    }

    /// The held-reward account a code names, given the store and case its prefix names.
    public static func heldStoreReward(code: String, storeID: Int64, batchID: Int64, caseNumber: Int) -> LedgerAccount? {
        let prefix = heldStoreRewardPrefix(storeID: storeID, batchID: batchID, caseNumber: caseNumber)
        guard code.hasPrefix(prefix), let campaignID = Int64(code.dropFirst(prefix.count)), campaignID > 0 else { return nil }
        return .heldStoreReward(storeID: storeID, batchID: batchID, caseNumber: caseNumber, campaignID: campaignID)
    }

    /// The lowest balance the account may reach; nil when it may go below zero.
    public var floor: Int64? {
        switch self {
        case .brandFunding, .paidOut, .campaignPoints: nil
        default: 0
        }
    }

    public static func < (lhs: LedgerAccount, rhs: LedgerAccount) -> Bool { lhs.code < rhs.code }
}

/// One line of an entry: `amount` added to the account's balance (negative: taken from it).
public struct LedgerPosting: Sendable, Hashable {
    public var account: LedgerAccount
    public var asset: LedgerAsset
    public var amount: Int64

    public init(_ account: LedgerAccount, _ asset: LedgerAsset, _ amount: Int64) {
        self.account = account
        self.asset = asset
        self.amount = amount
    }
}

/// A balanced movement between accounts (double entry: what some accounts lose, others gain),
/// posted at most once per idempotency key.
public struct LedgerEntry: Sendable, Hashable {
    public var key: String
    public var memo: String
    public var postings: [LedgerPosting]

    /// The largest amount one posting may carry (¥100 billion in fen).
    public static let maxAmount: Int64 = 10_000_000_000_000

    public enum Problem: Error, Sendable, Equatable {
        case invalidKey
        case tooFewPostings
        case zeroAmount
        case amountTooLarge
        case unbalanced(LedgerAsset, Int64)
        case repeatedAccount(String)
    }

    /// A checked entry: a key of 1…200 characters, two or more postings with non-zero amounts,
    /// each account once per asset, and every asset summing to zero.
    public init(key: String, memo: String, postings: [LedgerPosting]) throws(Problem) {
        guard !key.isEmpty, key.utf8.count <= 200 else { throw .invalidKey }
        guard postings.count >= 2 else { throw .tooFewPostings }
        var sums: [LedgerAsset: Int64] = [:]
        var seen = Set<String>()
        for posting in postings {
            guard posting.amount != 0 else { throw .zeroAmount }
            guard posting.amount.magnitude <= UInt64(Self.maxAmount) else { throw .amountTooLarge }
            guard seen.insert("\(posting.account.code)/\(posting.asset.rawValue)").inserted else { throw .repeatedAccount(posting.account.code) }
            sums[posting.asset, default: 0] += posting.amount
        }
        if let (asset, sum) = sums.sorted(by: { $0.key < $1.key }).first(where: { $0.value != 0 }) { throw .unbalanced(asset, sum) }
        self.key = key
        self.memo = String(memo.prefix(200))
        // A fixed order: concurrent entries touch accounts in the same order.
        self.postings = postings.sorted { ($0.account.code, $0.asset) < ($1.account.code, $1.asset) }
    }

    /// Moves `amount` of `asset` from one account to another.
    public static func transfer(
        key: String, memo: String, _ amount: Int64, _ asset: LedgerAsset, from: LedgerAccount, to: LedgerAccount
    ) throws(Problem) -> LedgerEntry {
        try LedgerEntry(key: key, memo: memo, postings: [LedgerPosting(from, asset, -amount), LedgerPosting(to, asset, amount)])
    }
}

/// What a ledger check found: debits equal credits in every entry, every account's balance
/// equals the sum of its postings, and no account is below its floor.
public struct LedgerCheck: Sendable, Equatable, Codable {
    public var entries: Int
    public var accounts: Int
    /// Sums of what postings took from accounts and gave to accounts, per asset.
    public var debits: [String: Int64]
    public var credits: [String: Int64]
    /// Entries whose postings do not sum to zero (by id).
    public var unbalancedEntries: [Int64]
    /// Accounts whose stored balance differs from the sum of their postings.
    public var mismatchedAccounts: [String]
    /// Accounts below their floor.
    public var accountsBelowFloor: [String]

    public init(
        entries: Int, accounts: Int, debits: [String: Int64], credits: [String: Int64], unbalancedEntries: [Int64],
        mismatchedAccounts: [String], accountsBelowFloor: [String]
    ) {
        self.entries = entries
        self.accounts = accounts
        self.debits = debits
        self.credits = credits
        self.unbalancedEntries = unbalancedEntries
        self.mismatchedAccounts = mismatchedAccounts
        self.accountsBelowFloor = accountsBelowFloor
    }

    public var isBalanced: Bool {
        debits == credits && unbalancedEntries.isEmpty && mismatchedAccounts.isEmpty && accountsBelowFloor.isEmpty
    }
}
