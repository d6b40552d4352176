import FullChainCore
import Testing

@Suite("Ledger entries")
struct LedgerEntryTests {
    @Test func entriesBalancePerAssetAndNameEachAccountOnce() throws {
        let entry = try LedgerEntry(
            key: "scan:1", memo: "prize",
            postings: [
                LedgerPosting(.consumerWallet("c1"), .fen, 88), LedgerPosting(.campaignBudget(campaignID: 3, shard: 0), .fen, -88),
                LedgerPosting(.campaignBudget(campaignID: 3, shard: 0), .points, -10), LedgerPosting(.consumerWallet("c1"), .points, 10),
            ])
        // Postings in a fixed order, so concurrent entries lock accounts in the same order.
        #expect(entry.postings.map(\.account.code) == ["campaign:3:budget:0", "campaign:3:budget:0", "consumer:c1", "consumer:c1"])
        #expect(LedgerAccount.brandFunding.floor == nil && LedgerAccount.paidOut.floor == nil && LedgerAccount.storeWallet(storeID: 1).floor == 0)

        func problem(_ postings: [LedgerPosting], key: String = "k") -> LedgerEntry.Problem? {
            do {
                _ = try LedgerEntry(key: key, memo: "", postings: postings)
                return nil
            } catch { return error }
        }
        let budget = LedgerAccount.campaignBudget(campaignID: 1, shard: 0)
        #expect(problem([LedgerPosting(budget, .fen, -5), LedgerPosting(.consumerWallet("a"), .fen, 4)]) == .unbalanced(.fen, -1))
        #expect(problem([LedgerPosting(budget, .fen, -5), LedgerPosting(.consumerWallet("a"), .points, 5)]) == .unbalanced(.fen, -5))
        #expect(problem([LedgerPosting(budget, .fen, -5)]) == .tooFewPostings)
        #expect(problem([LedgerPosting(budget, .fen, 0), LedgerPosting(.consumerWallet("a"), .fen, 0)]) == .zeroAmount)
        #expect(problem([LedgerPosting(budget, .fen, -5), LedgerPosting(budget, .fen, 5)]) == .repeatedAccount("campaign:1:budget:0"))
        #expect(problem([LedgerPosting(budget, .fen, Int64.min), LedgerPosting(.consumerWallet("a"), .fen, Int64.max)]) == .amountTooLarge)
        #expect(problem([LedgerPosting(budget, .fen, -5), LedgerPosting(.consumerWallet("a"), .fen, 5)], key: "") == .invalidKey)
        #expect(
            problem([LedgerPosting(budget, .fen, -5), LedgerPosting(.consumerWallet("a"), .fen, 5)], key: String(repeating: "k", count: 201))
                == .invalidKey)
    }

    @Test func aCheckIsBalancedOnlyWhenNothingIsWrong() {
        let good = LedgerCheck(
            entries: 2, accounts: 3, debits: ["fen": 10], credits: ["fen": 10], unbalancedEntries: [], mismatchedAccounts: [],
            accountsBelowFloor: [])
        #expect(good.isBalanced)
        var skewed = good
        skewed.credits["fen"] = 11
        #expect(!skewed.isBalanced)
        var below = good
        below.accountsBelowFloor = ["consumer:x/fen"]
        #expect(!below.isBalanced)
    }
}
