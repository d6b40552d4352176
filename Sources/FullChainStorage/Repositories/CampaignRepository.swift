import Foundation
public import FullChainCore

/// The brand's scan campaigns (HQ): the checked definition, stored whole.
public protocol CampaignRepository: Sendable {
    /// Stores the campaign and funds its budgets from the brand, split over `budgetShards`
    /// ledger accounts each, in one transaction.
    func create(_ draft: CampaignDraft, budgetShards: Int, tenantID: Int64) async throws(StorageError) -> Campaign
    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> Campaign?
    /// Newest first; `q` searches the name.
    func list(_ query: ListQuery, tenantID: Int64) async throws(StorageError) -> Page<Campaign>
    /// The campaigns running at `millis` (or starting within `lookahead` ms after it), newest first.
    func running(at millis: Int64, lookahead: Int64, tenantID: Int64) async throws(StorageError) -> [Campaign]
    /// Pauses (`at` a time) or resumes (`at` nil) a campaign; the campaign as it is now, nil when
    /// there is no such campaign.
    func setPaused(id: Int64, at: Int64?, tenantID: Int64) async throws(StorageError) -> Campaign?
    /// Replaces a campaign's definition (name, end, limits: what may change once it is funded); nil when there is no such campaign.
    func update(id: Int64, _ draft: CampaignDraft, tenantID: Int64) async throws(StorageError) -> Campaign?
}

struct SQLCampaignRepository: CampaignRepository {
    let db: any SQLDatabase

    func create(_ draft: CampaignDraft, budgetShards: Int, tenantID: Int64) async throws(StorageError) -> Campaign {
        let id = try await db.allocateIDs("campaigns", tenantID: tenantID)
        let entryID = try await db.allocateIDs("ledger_entries", tenantID: tenantID)
        let now = currentMillis()
        let campaign = Campaign(id: id, draft: draft, createdAt: now, budgetShards: budgetShards)
        let definition = try Self.definition(of: draft)
        var steps = [
            SQLStep(
                """
                INSERT INTO campaigns (tenant_id, id, name, starts_at, ends_at, definition, created_at, budget_shards)
                VALUES (\(tenantID), \(id), \(draft.name), \(draft.startsAt), \(draft.endsAt), \(definition), \(now), \(campaign.budgetShards))
                """)
        ]
        if let funding = try Self.funding(of: campaign) {
            steps.append(LedgerSteps.entry(funding, id: entryID, tenantID: tenantID, at: now))
            steps += LedgerSteps.postings(of: funding.postings, entryID: entryID, tenantID: tenantID)
        }
        try await db.transaction(steps)
        return campaign
    }

    /// The brand puts the budgets in, spread over the shards.
    static func funding(of campaign: Campaign) throws(StorageError) -> LedgerEntry? {
        let draft = campaign.draft
        var postings: [LedgerPosting] = []
        for (forStore, total) in [(false, draft.budgetFen), (true, draft.storeBudgetFen)] {
            for (account, amount) in zip(campaign.budgetAccounts(forStore: forStore), Campaign.split(total, shards: campaign.budgetShards))
            where amount > 0 {
                postings.append(LedgerPosting(account, .fen, amount))
            }
        }
        guard !postings.isEmpty else { return nil }
        postings.append(LedgerPosting(.brandFunding, .fen, -(draft.budgetFen + draft.storeBudgetFen)))
        do {
            return try LedgerEntry(key: "campaign:\(campaign.id):funding", memo: "budgets of campaign \(campaign.id)", postings: postings)
        } catch {
            throw .corruptRow("campaign \(campaign.id) funding: \(error)")
        }
    }

    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> Campaign? {
        try await db.read("SELECT * FROM campaigns WHERE tenant_id = \(tenantID) AND id = \(id)").first.map(Self.decode)
    }

    func list(_ query: ListQuery, tenantID: Int64) async throws(StorageError) -> Page<Campaign> {
        var conditions: [SQLStatement] = ["tenant_id = \(tenantID)"]
        if let search = query.search { conditions.append("name\(ScopeSQL.like)\(ScopeSQL.containsPattern(search)) ESCAPE '\\'") }
        let whereClause = SQLStatement.join(conditions, separator: " AND ")
        let rows = try await db.read("SELECT * FROM campaigns WHERE \(whereClause) ORDER BY id DESC LIMIT \(query.limit) OFFSET \(query.offset)")
        let count = try await db.read("SELECT COUNT(*) AS n FROM campaigns WHERE \(whereClause)")
        return Page(items: try rows.map(Self.decode), total: Int(count.first?.optionalInt("n") ?? 0), limit: query.limit, offset: query.offset)
    }

    func running(at millis: Int64, lookahead: Int64, tenantID: Int64) async throws(StorageError) -> [Campaign] {
        try await db.read(
            """
            SELECT * FROM campaigns
            WHERE tenant_id = \(tenantID) AND ends_at > \(millis) AND starts_at <= \(millis + lookahead) AND paused_at IS NULL
            ORDER BY id DESC LIMIT 100
            """
        ).map(Self.decode)
    }

    func update(id: Int64, _ draft: CampaignDraft, tenantID: Int64) async throws(StorageError) -> Campaign? {
        let definition = try Self.definition(of: draft)
        try await db.execute(
            """
            UPDATE campaigns SET name = \(draft.name), ends_at = \(draft.endsAt), definition = \(definition)
            WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
        return try await get(id: id, tenantID: tenantID)
    }

    static func definition(of draft: CampaignDraft) throws(StorageError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
        } catch {
            throw .corruptRow("campaigns.definition")
        }
    }

    func setPaused(id: Int64, at: Int64?, tenantID: Int64) async throws(StorageError) -> Campaign? {
        try await db.execute("UPDATE campaigns SET paused_at = \(at) WHERE tenant_id = \(tenantID) AND id = \(id)")
        return try await get(id: id, tenantID: tenantID)
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> Campaign {
        guard let draft = try? JSONDecoder().decode(CampaignDraft.self, from: Data(try row.string("definition").utf8)) else {
            throw .corruptRow("campaigns.definition")
        }
        return Campaign(
            id: try row.int("id"), draft: draft, createdAt: try row.int("created_at"), budgetShards: Int(row.optionalInt("budget_shards") ?? 1),
            pausedAt: row.optionalInt("paused_at"))
    }
}
