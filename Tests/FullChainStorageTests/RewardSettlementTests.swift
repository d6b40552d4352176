import FullChainCore
import Testing

@testable import FullChainStorage

/// How a batch of claims is settled, before any database sees it.
@Suite("Reward settlement")
struct RewardSettlementTests {
    private func campaign(id: Int64, shards: Int) -> Campaign {
        let draft = CampaignDraft(
            name: "c\(id)", productIDs: [1], regionCodes: [], startsAt: 0, endsAt: 1_000,
            tiers: [
                PrizeTier(name: "red packet", kind: .cash, amountFen: 188, ppm: 1_000_000)
            ], budgetFen: 100_000, storeRewardFen: 20, storeBudgetFen: 10_000, limits: CampaignLimits())
        return Campaign(id: id, draft: draft, createdAt: 0, budgetShards: shards)
    }

    private func claim(_ campaign: Campaign, serial: Int, shard: Int) -> RewardClaim {
        RewardClaim(
            tenantID: 1, campaign: campaign, batchID: 1, serial: serial, drawnAt: 10, tierIndex: 0, wallet: "w\(serial)",
            deviceSubject: nil, consumerSubject: nil, deviceID: nil, storeID: 7, firstShard: shard)
    }

    /// Claims that drew shards one by one pay from the first claim's: a batch locks one shard of a
    /// budget, not all of them, and so does not wait on a concurrent batch paying from another.
    @Test func aBatchPaysFromTheShardItsFirstClaimDrew() {
        let eight = campaign(id: 1, shards: 8), three = campaign(id: 2, shards: 3)
        let claims = [
            claim(eight, serial: 1, shard: 5), claim(eight, serial: 2, shard: 0), claim(three, serial: 3, shard: 1),
            claim(eight, serial: 4, shard: 7),
        ]
        let settled = RewardSettlement.onOneShard(claims)
        #expect(settled.map(\.firstShard) == [5, 5, 2, 5])
        #expect(settled.map(\.serial) == [1, 2, 3, 4])
        #expect(RewardSettlement.onOneShard([]).isEmpty)
    }
}
