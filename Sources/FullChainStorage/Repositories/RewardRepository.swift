public import FullChainCore

/// What a campaign's draws add up to.
public struct CampaignStats: Sendable, Equatable, Codable {
    /// Codes drawn (each code once per campaign).
    public var draws: Int
    /// Draws by outcome (`won`, `lost`, `limit_reached`, …).
    public var outcomes: [String: Int]
    /// Distinct consumers (or devices) who took part, and who won.
    public var participants: Int
    public var winners: Int
    /// What prizes took from the money budget (cash and vouchers), and the points given.
    public var prizesFen: Int64
    public var points: Int64
    /// What stores earned.
    public var storeRewardsFen: Int64

    public init(
        draws: Int = 0, outcomes: [String: Int] = [:], participants: Int = 0, winners: Int = 0, prizesFen: Int64 = 0, points: Int64 = 0,
        storeRewardsFen: Int64 = 0
    ) {
        self.draws = draws
        self.outcomes = outcomes
        self.participants = participants
        self.winners = winners
        self.prizesFen = prizesFen
        self.points = points
        self.storeRewardsFen = storeRewardsFen
    }
}

/// Campaign draws settled in storage (phases in `RewardSettlement`), and what they add up to.
/// Draws settle with their scans (`ScanRepository.record(_:claims:rules:)`) or, here, on their own.
public protocol RewardRepository: Sendable {
    /// Settles the claims in one transaction, all or none; the results come back in the same order.
    func settle(_ claims: [RewardClaim]) async throws(StorageError) -> [RewardResult]
    /// A campaign's figures.
    func stats(campaignID: Int64, tenantID: Int64) async throws(StorageError) -> CampaignStats
}

struct SQLRewardRepository: RewardRepository {
    let db: any SQLDatabase
    /// Ledger entry ids for the draws' bookings.
    let entryIDs: IDBlocks

    func settle(_ claims: [RewardClaim]) async throws(StorageError) -> [RewardResult] {
        guard let settlement = try await RewardSettlement.make(claims: claims, entryIDs: entryIDs) else { return [] }
        try await db.transaction(phases: settlement.next)
        return settlement.results()
    }

    func stats(campaignID: Int64, tenantID: Int64) async throws(StorageError) -> CampaignStats {
        var stats = CampaignStats()
        for row in try await db.read(
            """
            SELECT outcome, COUNT(*) AS n, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS fen, CAST(COALESCE(SUM(points), 0) AS BIGINT) AS points,
                CAST(COALESCE(SUM(store_reward_fen), 0) AS BIGINT) AS store_fen
            FROM campaign_draws WHERE tenant_id = \(tenantID) AND campaign_id = \(campaignID) GROUP BY outcome
            """)
        {
            let n = Int(try row.int("n"))
            stats.draws += n
            stats.outcomes[try row.string("outcome")] = n
            stats.prizesFen += row.optionalInt("fen") ?? 0
            stats.points += row.optionalInt("points") ?? 0
            stats.storeRewardsFen += row.optionalInt("store_fen") ?? 0
        }
        let people = try await db.read(
            """
            SELECT COUNT(DISTINCT wallet) AS participants, COUNT(DISTINCT CASE WHEN outcome = 'won' THEN wallet END) AS winners
            FROM campaign_draws WHERE tenant_id = \(tenantID) AND campaign_id = \(campaignID)
            """
        ).first
        stats.participants = Int(people?.optionalInt("participants") ?? 0)
        stats.winners = Int(people?.optionalInt("winners") ?? 0)
        return stats
    }
}
