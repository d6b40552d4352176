import FullChainCore
import Testing

@Suite("Receipt review rules")
struct ReceiptReviewRulesTests {
    @Test func onlyReceiptsOutsideTheChannelRecordedByOthersAreHeld() {
        #expect(ReceiptReview.initial(flag: .otherDistributor, byStoreStaff: false) == .held)
        #expect(ReceiptReview.initial(flag: .otherStore, byStoreStaff: false) == .held)
        #expect(ReceiptReview.initial(flag: .ok, byStoreStaff: false) == .none)
        // The store's own staff receive what is in their hands: flagged as evidence, not held.
        #expect(ReceiptReview.initial(flag: .otherDistributor, byStoreStaff: true) == .none)
        #expect(ReceiptReview.allCases.map(\.storeReward) == [.toStore, .held, .toStore, .withheld])
    }

    @Test func heldRewardAccountsAreNamedByStoreCaseAndCampaign() {
        let account = LedgerAccount.heldStoreReward(storeID: 7, batchID: 3, caseNumber: 12, campaignID: 41)
        #expect(account.code == "store:7:held:3:12:41" && account.floor == 0)
        #expect(account.code.hasPrefix(LedgerAccount.heldStoreRewardPrefix(storeID: 7, batchID: 3, caseNumber: 12)))
        #expect(LedgerAccount.heldStoreReward(code: account.code, storeID: 7, batchID: 3, caseNumber: 12) == account)
        // Another case whose number starts the same, the store's wallet, or junk: not this case's.
        #expect(LedgerAccount.heldStoreReward(code: "store:7:held:3:120:41", storeID: 7, batchID: 3, caseNumber: 12) == nil)
        #expect(LedgerAccount.heldStoreReward(code: "store:7", storeID: 7, batchID: 3, caseNumber: 12) == nil)
        #expect(LedgerAccount.heldStoreReward(code: "store:7:held:3:12:x", storeID: 7, batchID: 3, caseNumber: 12) == nil)
    }
}
