import FullChainCore
import Synchronization

/// Campaign draws settled in storage: each code drawn at most once per campaign, the daily win
/// limits, tier stock and budgets checked by the writes themselves (so concurrent servers can
/// neither overspend a budget nor pay a code twice), and every prize booked in the ledger.
///
/// The phases of one batch of claims, in one transaction. Each phase's statements are decided
/// from what the previous phase returned:
/// 1. the draw rows (a code's second draw in a campaign finds its row taken);
/// 2. the device's and 3. the consumer's daily wins (counted only below the limit);
/// 4. the tier's stock; 5. the budgets: each payment is taken from the claim's own shard, which
///    pays only if it holds enough; when it cannot, every shard of that budget is read (and on
///    PostgreSQL locked) and the payment taken from one that can, the shards first gathered
///    into one when only together they can (so what is left is never stranded in pieces too
///    small for a prize); 6. the ledger entries, the draws' outcomes, and giving back
///    the limit and stock a prize took when a later check refused it.
/// Within a phase, rows are touched in key order, so concurrent writers lock alike.
final class RewardSettlement: Sendable {
    private enum Stage {
        case draw, deviceLimit, consumerLimit, stock, pay, shards, payFromShards, book, done
    }

    /// One budget of one campaign: consumers' prizes, or stores' rewards.
    private struct Budget: Hashable, Comparable {
        var tenantID: Int64
        var campaignID: Int64
        var forStore: Bool

        static func < (a: Budget, b: Budget) -> Bool {
            (a.tenantID, a.campaignID, a.forStore ? 1 : 0) < (b.tenantID, b.campaignID, b.forStore ? 1 : 0)
        }
    }

    /// A payment from a budget: the claim's prize or its store reward.
    private struct Debit {
        var claim: Int
        var forStore: Bool
    }

    private struct State {
        var stage = Stage.draw
        /// Rows of the steps run so far that were already read.
        var seen = 0
        /// What each step of the last phase was for: a claim, or a debit.
        var owners: [Int?] = []
        var debits: [Debit] = []
        /// The debits each step of the pay phase took together from one shard.
        var payGroups: [[Int]] = []
        /// The winners (subject, claim) whose daily win count each step of a limit phase raised.
        var limitGroups: [[(subject: String, claim: Int)]] = []
        /// Budgets whose own shard could not pay some claim, read whole (with a claim of each).
        var shortBudgets: [(budget: Budget, claim: Int)] = []
        var shardRows: [[SQLRow]] = []
        var outcome: [DrawOutcome]
        var inserted: [Bool]
        /// Subjects whose win count a claim raised.
        var counted: [[String]]
        var stockTaken: [Bool]
        var prizeShard: [Int?]
        var storeShard: [Int?]

        init(count: Int) {
            outcome = Array(repeating: .alreadyDrawn, count: count)
            inserted = Array(repeating: false, count: count)
            counted = Array(repeating: [], count: count)
            stockTaken = Array(repeating: false, count: count)
            prizeShard = Array(repeating: nil, count: count)
            storeShard = Array(repeating: nil, count: count)
        }
    }

    private struct DrawKey: Hashable, Comparable {
        var tenantID: Int64
        var campaignID: Int64
        var batchID: Int64
        var serial: Int64

        static func < (a: DrawKey, b: DrawKey) -> Bool {
            (a.tenantID, a.campaignID, a.batchID, a.serial) < (b.tenantID, b.campaignID, b.batchID, b.serial)
        }
    }

    private let claims: [RewardClaim]
    private let firstEntryIDs: [Int64: Int64]
    private let entryOrdinals: [Int]
    private let now: Int64
    private let state: Mutex<State>

    init(claims: [RewardClaim], firstEntryIDs: [Int64: Int64], now: Int64) {
        self.claims = Self.onOneShard(claims)
        self.firstEntryIDs = firstEntryIDs
        self.now = now
        var perTenant: [Int64: Int] = [:]
        entryOrdinals = claims.map { claim in
            defer { perTenant[claim.tenantID, default: 0] += 1 }
            return perTenant[claim.tenantID, default: 0]
        }
        state = Mutex(State(count: claims.count))
    }

    /// The claims, each to pay first from the shard the batch's first claim drew (within its own
    /// campaign's shards). A batch paying from shards drawn claim by claim would lock every shard
    /// of the budget, and concurrent batches (other writers, other servers) would wait for one
    /// another; one shard a batch, drawn anew each batch, lets them pay side by side.
    static func onOneShard(_ claims: [RewardClaim]) -> [RewardClaim] {
        guard let shard = claims.first?.firstShard else { return claims }
        return claims.map { claim in
            var claim = claim
            claim.firstShard = shard % max(1, claim.campaign.budgetShards)
            return claim
        }
    }

    /// The settlement of the claims, with the ledger entry ids it books under: four per claim
    /// (the prize, the store's reward, and gathering a budget's shards when it runs low).
    static func make(claims: [RewardClaim], entryIDs: IDBlocks) async throws(StorageError) -> RewardSettlement? {
        guard !claims.isEmpty else { return nil }
        var firstEntryIDs: [Int64: Int64] = [:]
        for (tenantID, count) in Dictionary(grouping: claims, by: \.tenantID).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
            firstEntryIDs[tenantID] = try await entryIDs.reserve(4 * count, tenantID: tenantID)
        }
        return RewardSettlement(claims: claims, firstEntryIDs: firstEntryIDs, now: currentMillis())
    }

    /// How each claim ended, once the transaction committed.
    func results() -> [RewardResult] {
        state.withLock { state in
            claims.indices.map { i in
                RewardResult(
                    outcome: state.outcome[i], tierIndex: state.outcome[i] == .won ? claims[i].tierIndex : nil,
                    storeRewardFen: state.storeShard[i] == nil ? 0 : claims[i].storeRewardFen)
            }
        }
    }

    /// Whether the phase `next` returned last is the bookings, the last one: what else the
    /// transaction writes may go with it.
    var booking: Bool { state.withLock { $0.stage == .book } }

    /// The next phase's statements, or none to commit.
    @Sendable func next(_ results: [[SQLRow]]) throws(StorageError) -> [SQLStep] {
        try state.withLock { (state: inout State) throws(StorageError) -> [SQLStep] in
            // A transaction run again from the start (after a deadlock) starts afresh.
            if results.isEmpty {
                state = State(count: claims.count)
            } else {
                try read(Array(results[min(state.seen, results.count)...]), into: &state)
            }
            state.seen = results.count
            while state.stage != .done {
                let steps = try steps(for: &state)
                if !steps.isEmpty { return steps }
                // A phase with nothing to write ends as one whose statements returned nothing.
                try read([], into: &state)
            }
            return []
        }
    }

    // MARK: - Reading what a phase returned

    /// Takes in the rows the last phase's steps returned and moves to the next stage.
    private func read(_ rows: [[SQLRow]], into state: inout State) throws(StorageError) {
        switch state.stage {
        case .draw:
            var taken = Set<DrawKey>()
            for row in rows.first ?? [] {
                taken.insert(
                    DrawKey(
                        tenantID: try row.int("tenant_id"), campaignID: try row.int("campaign_id"), batchID: try row.int("batch_id"),
                        serial: try row.int("serial")))
            }
            for (i, claim) in claims.enumerated() where state.inserted[i] {
                state.inserted[i] = taken.remove(key(of: claim)) != nil
                if !state.inserted[i] { state.outcome[i] = .alreadyDrawn }
            }
            advance(&state)
        case .deviceLimit, .consumerLimit:
            // Each step raised the counts of some winners' subjects and returned those still below the limit.
            for (group, stepRows) in zip(state.limitGroups, rows) {
                var raised = Set<String>()
                for row in stepRows { raised.insert(try row.string("subject")) }
                for (subject, i) in group {
                    if raised.contains(subject) { state.counted[i].append(subject) } else { state.outcome[i] = .limitReached }
                }
            }
            state.limitGroups = []
            advance(&state)
        case .stock:
            for (owner, stepRows) in zip(state.owners, rows) {
                guard let i = owner else { continue }
                if stepRows.isEmpty { state.outcome[i] = .outOfStock } else { state.stockTaken[i] = true }
            }
            advance(&state)
        case .pay:
            var unpaid: [Debit] = []
            for (group, stepRows) in zip(state.payGroups, rows) {
                for d in group where state.debits.indices.contains(d) {
                    let debit = state.debits[d]
                    if stepRows.isEmpty {
                        unpaid.append(debit)
                    } else {
                        paid(debit, shard: claims[debit.claim].firstShard, &state)
                    }
                }
            }
            state.payGroups = []
            state.debits = unpaid
            var seen = Set<Budget>()
            state.shortBudgets = unpaid.compactMap { debit in seen.insert(budget(of: debit)).inserted ? (budget(of: debit), debit.claim) : nil }
                .sorted { $0.budget < $1.budget }
            advance(&state)
        case .shards:
            // Decided in `payFromShardsSteps`, from these rows.
            state.shardRows = rows
            advance(&state)
        case .payFromShards:
            for (owner, stepRows) in zip(state.owners, rows) {
                guard let d = owner, state.debits.indices.contains(d), let code = stepRows.first.flatMap({ $0.optionalString("code") }) else {
                    continue
                }
                if let shard = shard(named: code, of: state.debits[d]) { paid(state.debits[d], shard: shard, &state) }
            }
            // A prize no shard could pay, even gathered, is refused.
            for debit in state.debits where !debit.forStore && state.prizeShard[debit.claim] == nil { state.outcome[debit.claim] = .budgetSpent }
            state.debits = []
            advance(&state)
        case .book:
            advance(&state)
        case .done:
            break
        }
    }

    private func advance(_ state: inout State) {
        state.owners = []
        state.stage =
            switch state.stage {
            case .draw: .deviceLimit
            case .deviceLimit: .consumerLimit
            case .consumerLimit: .stock
            case .stock: .pay
            case .pay: .shards
            case .shards: .payFromShards
            case .payFromShards: .book
            case .book, .done: .done
            }
    }

    // MARK: - Writing a phase

    private func steps(for state: inout State) throws(StorageError) -> [SQLStep] {
        switch state.stage {
        case .draw: drawSteps(&state)
        case .deviceLimit: limitSteps(&state, device: true)
        case .consumerLimit: limitSteps(&state, device: false)
        case .stock: stockSteps(&state)
        case .pay: paySteps(&state)
        case .shards: shardSteps(&state)
        case .payFromShards: try payFromShardsSteps(&state)
        case .book: try bookSteps(state)
        case .done: []
        }
    }

    private func key(of claim: RewardClaim) -> DrawKey {
        DrawKey(tenantID: claim.tenantID, campaignID: claim.campaign.id, batchID: claim.batchID, serial: Int64(claim.serial))
    }

    /// One insert for every code's first claim in the batch; a code claimed twice in one batch is drawn once.
    private func drawSteps(_ state: inout State) -> [SQLStep] {
        var firsts: [DrawKey: Int] = [:]
        for (i, claim) in claims.enumerated() where firsts[key(of: claim)] == nil {
            firsts[key(of: claim)] = i
            state.outcome[i] = claim.tierIndex == nil ? .lost : .won
            state.inserted[i] = true
        }
        let rows = firsts.sorted { $0.key < $1.key }.map { key, i -> SQLStatement in
            let claim = claims[i]
            let outcome = state.outcome[i].rawValue
            return
                "(\(key.tenantID), \(key.campaignID), \(key.batchID), \(key.serial), \(claim.drawnAt), \(claim.wallet), \(claim.deviceID), \(claim.storeID), \(claim.tierIndex), \(outcome))"
        }
        return [
            SQLStep(
                """
                INSERT INTO campaign_draws (tenant_id, campaign_id, batch_id, serial, drawn_at, wallet, device_id, store_id, tier, outcome)
                VALUES \(SQLStatement.join(rows, separator: ", "))
                ON CONFLICT (tenant_id, campaign_id, batch_id, serial) DO NOTHING
                RETURNING tenant_id, campaign_id, batch_id, serial
                """)
        ]
    }

    /// Raises the day's win count of each winner's device (or consumer), unless it reached the limit.
    private func limitSteps(_ state: inout State, device: Bool) -> [SQLStep] {
        var pending: [(subject: String, claim: Int)] = []
        for (i, claim) in claims.enumerated() where state.outcome[i] == .won {
            guard let subject = device ? claim.deviceSubject : claim.consumerSubject else { continue }
            pending.append((subject, i))
        }
        pending.sort {
            (claims[$0.claim].tenantID, claims[$0.claim].campaign.id, $0.subject) < (
                claims[$1.claim].tenantID, claims[$1.claim].campaign.id, $1.subject
            )
        }
        // One statement per campaign and day raises each subject's count once (a row may change
        // only once per statement); a subject that won again in the same batch is raised once more
        // by a statement of its own for each further win.
        struct Round: Hashable {
            var tenantID: Int64
            var campaignID: Int64
            var day: Int64
            var pass: Int
        }
        var rounds: [Round: [(subject: String, claim: Int)]] = [:]
        var order: [Round] = []
        var seen: [String: Int] = [:]
        for (subject, i) in pending {
            let claim = claims[i]
            let key = "\(claim.tenantID)/\(claim.campaign.id)/\(claim.day)/\(subject)"
            let round = Round(tenantID: claim.tenantID, campaignID: claim.campaign.id, day: claim.day, pass: seen[key, default: 0])
            seen[key, default: 0] += 1
            if rounds[round] == nil { order.append(round) }
            rounds[round, default: []].append((subject, i))
        }
        order.sort { ($0.pass, $0.tenantID, $0.campaignID, $0.day) < ($1.pass, $1.tenantID, $1.campaignID, $1.day) }
        state.limitGroups = order.map { rounds[$0] ?? [] }
        return order.map { round in
            let group = rounds[round] ?? []
            let limits = claims[group[0].claim].campaign.draft.limits
            let limit = device ? limits.perDevicePerDay : limits.perConsumerPerDay
            let rows = group.map { subject, _ -> SQLStatement in "(\(round.tenantID), \(round.campaignID), \(subject), \(round.day), 1)" }
            return SQLStep(
                """
                INSERT INTO campaign_win_counts (tenant_id, campaign_id, subject, day, wins) VALUES \(SQLStatement.join(rows, separator: ", "))
                ON CONFLICT (tenant_id, campaign_id, subject, day) DO UPDATE SET wins = campaign_win_counts.wins + 1 WHERE campaign_win_counts.wins < \(limit)
                RETURNING subject
                """)
        }
    }

    /// Takes one of the tier's stock for each winner of a tier with limited stock.
    private func stockSteps(_ state: inout State) -> [SQLStep] {
        let pending = claims.indices.filter { state.outcome[$0] == .won && claims[$0].tier?.stock != nil }
            .sorted {
                (claims[$0].tenantID, claims[$0].campaign.id, claims[$0].tierIndex ?? 0) < (
                    claims[$1].tenantID, claims[$1].campaign.id, claims[$1].tierIndex ?? 0
                )
            }
        var steps: [SQLStep] = []
        for i in pending {
            let claim = claims[i]
            let tier = claim.tierIndex ?? 0
            steps.append(
                SQLStep(
                    """
                    INSERT INTO campaign_stock (tenant_id, campaign_id, tier, remaining) VALUES (\(claim.tenantID), \(claim.campaign.id), \(tier), \(claim.tier?.stock ?? 0))
                    ON CONFLICT (tenant_id, campaign_id, tier) DO NOTHING
                    """))
            state.owners.append(nil)
            steps.append(
                SQLStep(
                    """
                    UPDATE campaign_stock SET remaining = remaining - 1
                    WHERE tenant_id = \(claim.tenantID) AND campaign_id = \(claim.campaign.id) AND tier = \(tier) AND remaining > 0
                    RETURNING remaining
                    """))
            state.owners.append(i)
        }
        return steps
    }

    private func budget(of debit: Debit) -> Budget {
        let claim = claims[debit.claim]
        return Budget(tenantID: claim.tenantID, campaignID: claim.campaign.id, forStore: debit.forStore)
    }

    /// The shard of the debit's budget that a ledger account code names.
    private func shard(named code: String, of debit: Debit) -> Int? {
        claims[debit.claim].campaign.budgetAccounts(forStore: debit.forStore).firstIndex { $0.code == code }
    }

    /// Takes `amount` from a budget shard only if it holds that much; returns the account's code when it did.
    private func debitStep(_ account: LedgerAccount, _ amount: Int64, tenantID: Int64) -> SQLStep {
        SQLStep(
            """
            UPDATE ledger_accounts SET balance = balance - \(amount)
            WHERE tenant_id = \(tenantID) AND code = \(account.code) AND asset = 'fen' AND balance >= \(amount)
            RETURNING code
            """)
    }

    private func paid(_ debit: Debit, shard: Int, _ state: inout State) {
        if debit.forStore { state.storeShard[debit.claim] = shard } else { state.prizeShard[debit.claim] = shard }
    }

    /// Takes the payments from each claim's own shard of the budget: one statement per shard for
    /// all the payments it owes, taken only if the shard holds them all (those it cannot pay
    /// together go on to be paid one by one from any shard).
    private func paySteps(_ state: inout State) -> [SQLStep] {
        state.debits = []
        for (i, claim) in claims.enumerated() where state.inserted[i] {
            if state.outcome[i] == .won && claim.budgetFen > 0 { state.debits.append(Debit(claim: i, forStore: false)) }
            if claim.storeRewardFen > 0 { state.debits.append(Debit(claim: i, forStore: true)) }
        }
        let own = { (debit: Debit) -> LedgerAccount in
            let claim = self.claims[debit.claim]
            return claim.campaign.budgetAccount(forStore: debit.forStore, shard: claim.firstShard)
        }
        struct ShardKey: Hashable, Comparable {
            var tenantID: Int64
            var code: String
            static func < (a: ShardKey, b: ShardKey) -> Bool { (a.tenantID, a.code) < (b.tenantID, b.code) }
        }
        var groups: [ShardKey: (account: LedgerAccount, amount: Int64, debits: [Int])] = [:]
        for (d, debit) in state.debits.enumerated() {
            let account = own(debit)
            let key = ShardKey(tenantID: claims[debit.claim].tenantID, code: account.code)
            groups[key, default: (account, 0, [])].amount += amount(debit)
            groups[key]?.debits.append(d)
        }
        // Shards in key order, so concurrent transactions lock them in the same order.
        let ordered = groups.sorted { $0.key < $1.key }
        state.payGroups = ordered.map(\.value.debits)
        return ordered.map { key, group in debitStep(group.account, group.amount, tenantID: key.tenantID) }
    }

    private func amount(_ debit: Debit) -> Int64 {
        debit.forStore ? claims[debit.claim].storeRewardFen : claims[debit.claim].budgetFen
    }

    /// Reads (and on PostgreSQL locks) every shard of each budget that could not pay.
    private func shardSteps(_ state: inout State) -> [SQLStep] {
        state.shortBudgets.map { budget, i in
            let claim = claims[i]
            let shards = SQLStatement.join(claim.campaign.budgetAccounts(forStore: budget.forStore).map { "\($0.code)" }, separator: ", ")
            return SQLStep(
                """
                SELECT code, balance FROM ledger_accounts
                WHERE tenant_id = \(claim.tenantID) AND asset = 'fen' AND code IN (\(shards)) ORDER BY code
                """ + .dialect(sqlite: "", postgres: " FOR UPDATE"))
        }
    }

    /// Pays each waiting claim from a shard that holds enough, as the shards' balances say.
    /// When no shard can but all of them together could, one entry first gathers the budget's
    /// shards into its richest one.
    private func payFromShardsSteps(_ state: inout State) throws(StorageError) -> [SQLStep] {
        var steps: [SQLStep] = []
        var owners: [Int?] = []
        var perTenantIndex: [Int64: Int] = [:]
        for ((budget, first), shardRows) in zip(state.shortBudgets, state.shardRows) {
            let claim = claims[first]
            let accounts = claim.campaign.budgetAccounts(forStore: budget.forStore)
            var balances: [(account: LedgerAccount, balance: Int64)] = []
            for row in shardRows {
                let code = try row.string("code")
                guard let account = accounts.first(where: { $0.code == code }) else { continue }
                balances.append((account, try row.int("balance")))
            }
            var gathered = false
            for (d, debit) in state.debits.enumerated() where self.budget(of: debit) == budget {
                let need = amount(debit)
                if !balances.contains(where: { $0.balance >= need }) && !gathered && balances.reduce(0, { $0 + $1.balance }) >= need {
                    gathered = true
                    let index = perTenantIndex[claim.tenantID, default: 0]
                    perTenantIndex[claim.tenantID] = index + 1
                    let gather = try gatherEntry(balances, claim: claim, forStore: budget.forStore, index: index)
                    steps += gather.steps
                    owners += Array(repeating: nil, count: gather.steps.count)
                    balances = gather.balances
                }
                guard let richest = balances.indices.filter({ balances[$0].balance >= need }).max(by: { balances[$0].balance < balances[$1].balance })
                else { continue }
                balances[richest].balance -= need
                steps.append(debitStep(balances[richest].account, need, tenantID: claim.tenantID))
                owners.append(d)
            }
        }
        state.owners = owners
        return steps
    }

    /// The entry moving every shard's balance of one budget into its richest shard, and the balances after it.
    private func gatherEntry(
        _ balances: [(account: LedgerAccount, balance: Int64)], claim: RewardClaim, forStore: Bool,
        index: Int
    ) throws(StorageError) -> (steps: [SQLStep], balances: [(account: LedgerAccount, balance: Int64)]) {
        guard let richest = balances.max(by: { ($0.balance, $1.account.code) < ($1.balance, $0.account.code) }) else { return ([], balances) }
        var postings = balances.filter { $0.account != richest.account && $0.balance > 0 }.map { LedgerPosting($0.account, .fen, -$0.balance) }
        guard !postings.isEmpty else { return ([], balances) }
        let total = balances.reduce(0) { $0 + $1.balance }
        postings.append(LedgerPosting(richest.account, .fen, total - richest.balance))
        let perTenant = claims.count(where: { $0.tenantID == claim.tenantID })
        let id = (firstEntryIDs[claim.tenantID] ?? 0) + 2 * Int64(perTenant) + Int64(index)
        do {
            let entry = try LedgerEntry(
                key: "gather:\(claim.campaign.id):\(forStore ? "store" : "consumer"):\(id)",
                memo: "budget shards of campaign \(claim.campaign.id) gathered", postings: postings)
            let steps =
                [LedgerSteps.entry(entry, id: id, tenantID: claim.tenantID, at: now)]
                + LedgerSteps.postings(of: entry.postings, entryID: id, tenantID: claim.tenantID)
            return (steps, balances.map { ($0.account, $0.account == richest.account ? total : 0) })
        } catch {
            throw .corruptRow("gathering campaign \(claim.campaign.id)'s shards: \(error)")
        }
    }

    /// The ledger entries of what was paid, the draws' final outcomes, and the limits and
    /// stock given back by prizes a later check refused.
    private func bookSteps(_ state: State) throws(StorageError) -> [SQLStep] {
        struct AccountKey: Hashable, Comparable {
            var tenantID: Int64
            var code: String
            var asset: String
            static func < (a: AccountKey, b: AccountKey) -> Bool { (a.tenantID, a.code, a.asset) < (b.tenantID, b.code, b.asset) }
        }
        var entries: [(entry: LedgerEntry, id: Int64, tenantID: Int64)] = []
        var postings: [(posting: LedgerPosting, entryID: Int64, tenantID: Int64)] = []
        /// Amounts to add to accounts the earlier phases did not touch (credits, and points issued).
        var applied: [AccountKey: (account: LedgerAccount, asset: LedgerAsset, amount: Int64)] = [:]
        /// Draws whose outcome or amounts differ from what phase 1 wrote, by their new values.
        struct DrawChange: Hashable {
            var tenantID: Int64
            var campaignID: Int64
            var outcome: String
            var amountFen: Int64
            var points: Int64
            var storeRewardFen: Int64
        }
        struct WinCount: Hashable, Comparable {
            var tenantID: Int64
            var campaignID: Int64
            var subject: String
            var day: Int64
            static func < (a: WinCount, b: WinCount) -> Bool {
                (a.tenantID, a.campaignID, a.subject, a.day) < (b.tenantID, b.campaignID, b.subject, b.day)
            }
        }
        var changedDraws: [DrawChange: [SQLStatement]] = [:]
        var givenBack: [WinCount: Int] = [:]
        var refunds: [SQLStep] = []
        var payouts: [SQLStatement] = []
        for (i, claim) in claims.enumerated() where state.inserted[i] {
            let firstID = (firstEntryIDs[claim.tenantID] ?? 0) + 2 * Int64(entryOrdinals[i])
            var amountFen: Int64 = 0
            var points: Int64 = 0
            var booked: [(LedgerEntry, Int64, debited: LedgerAccount?)] = []
            do {
                if state.outcome[i] == .won, let entry = try claim.prizeEntry(shard: state.prizeShard[i] ?? claim.firstShard) {
                    let debited: LedgerAccount? =
                        claim.budgetFen > 0 ? state.prizeShard[i].map { claim.campaign.budgetAccount(forStore: false, shard: $0) } : nil
                    if claim.budgetFen > 0 && debited == nil { throw StorageError.corruptRow("prize \(claim.prizeKey) has no paying shard") }
                    booked.append((entry, firstID, debited))
                    amountFen = claim.budgetFen
                    points = claim.tier?.kind == .points ? claim.tier?.points ?? 0 : 0
                    // Cash goes out through the payout outbox, under the prize entry's id.
                    if claim.tier?.kind == .cash, let recipient = claim.payoutRecipient {
                        let status = claim.risk.held ? PayoutStatus.held : .queued
                        payouts.append(
                            """
                            (\(claim.tenantID), \(firstID), \(claim.campaign.id), \(claim.wallet), \(recipient), \(claim.budgetFen), \(status.rawValue), \(now), \(now), \(now),
                            \(Int64(claim.risk.score)), \(claim.risk.reasons.joined(separator: ",")))
                            """)
                    }
                }
                if let shard = state.storeShard[i], let entry = try claim.storeRewardEntry(shard: shard) {
                    booked.append((entry, firstID + 1, claim.campaign.budgetAccount(forStore: true, shard: shard)))
                }
            } catch let problem as LedgerEntry.Problem {
                throw .corruptRow("ledger entry of \(claim.prizeKey): \(problem)")
            } catch let error as StorageError {
                throw error
            } catch {
                throw .unavailable("\(error)")
            }
            for (entry, id, debited) in booked {
                entries.append((entry, id, claim.tenantID))
                for posting in entry.postings {
                    postings.append((posting, id, claim.tenantID))
                    // The paying shard's balance was taken in the pay phase; every other account changes now.
                    if posting.account == debited { continue }
                    let key = AccountKey(tenantID: claim.tenantID, code: posting.account.code, asset: posting.asset.rawValue)
                    applied[key, default: (posting.account, posting.asset, 0)].amount += posting.amount
                }
            }
            let storeReward = state.storeShard[i] == nil ? Int64(0) : claim.storeRewardFen
            let initial: DrawOutcome = claim.tierIndex == nil ? .lost : .won
            if state.outcome[i] != initial || amountFen != 0 || points != 0 || storeReward != 0 {
                let change = DrawChange(
                    tenantID: claim.tenantID, campaignID: claim.campaign.id, outcome: state.outcome[i].rawValue, amountFen: amountFen,
                    points: points, storeRewardFen: storeReward)
                changedDraws[change, default: []].append("(\(claim.batchID), \(Int64(claim.serial)))")
            }
            if state.outcome[i] != .won {
                for subject in state.counted[i] {
                    givenBack[WinCount(tenantID: claim.tenantID, campaignID: claim.campaign.id, subject: subject, day: claim.day), default: 0] += 1
                }
                if state.stockTaken[i] {
                    refunds.append(
                        SQLStep(
                            """
                            UPDATE campaign_stock SET remaining = remaining + 1
                            WHERE tenant_id = \(claim.tenantID) AND campaign_id = \(claim.campaign.id) AND tier = \(claim.tierIndex ?? 0)
                            """))
                }
            }
        }
        // Every entry, posting and changed account in a few many-row statements, accounts in key order.
        let accounts = LedgerSteps.credits(
            applied.sorted { $0.key < $1.key }.map { key, change in (key.tenantID, change.account, change.asset, change.amount) })
        // One update per kind of change, and the wins a refused prize had counted given back. The
        // codes are joined as a table, so each is found by its whole key (SQLite reads `(a, b) IN
        // (VALUES …)` by scanning every draw of the campaign).
        let draws = changedDraws.map { change, codes in
            SQLStep(
                """
                WITH changed(batch_id, serial) AS (VALUES \(SQLStatement.join(codes, separator: ", ")))
                UPDATE campaign_draws SET outcome = \(change.outcome), amount_fen = \(change.amountFen), points = \(change.points), store_reward_fen = \(change.storeRewardFen)
                FROM changed
                WHERE campaign_draws.tenant_id = \(change.tenantID) AND campaign_draws.campaign_id = \(change.campaignID)
                AND campaign_draws.batch_id = changed.batch_id AND campaign_draws.serial = changed.serial
                """)
        }
        let counts = givenBack.sorted { $0.key < $1.key }.map { count, wins in
            SQLStep(
                """
                UPDATE campaign_win_counts SET wins = wins - \(Int64(wins))
                WHERE tenant_id = \(count.tenantID) AND campaign_id = \(count.campaignID) AND subject = \(count.subject) AND day = \(count.day)
                """)
        }
        let outbox =
            payouts.isEmpty
            ? []
            : [
                SQLStep(
                    """
                    INSERT INTO payouts (tenant_id, id, campaign_id, wallet, recipient, amount_fen, status, next_attempt_at, created_at, updated_at, risk_score, risk_reasons)
                    VALUES \(SQLStatement.join(payouts, separator: ", "))
                    """)
            ]
        return LedgerSteps.entries(entries, at: now) + accounts + LedgerSteps.records(postings) + draws + counts + refunds + outbox
    }
}
