import Foundation
public import FullChainCore

/// The brand's scan campaigns (HQ): the checked definition, stored whole.
public protocol CampaignRepository: Sendable {
    func create(_ draft: CampaignDraft, tenantID: Int64) async throws(StorageError) -> Campaign
    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> Campaign?
    /// Newest first; `q` searches the name.
    func list(_ query: ListQuery, tenantID: Int64) async throws(StorageError) -> Page<Campaign>
}

struct SQLCampaignRepository: CampaignRepository {
    let db: any SQLDatabase

    func create(_ draft: CampaignDraft, tenantID: Int64) async throws(StorageError) -> Campaign {
        let id = try await db.allocateIDs("campaigns", tenantID: tenantID)
        let now = currentMillis()
        let definition: String
        do {
            definition = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
        } catch {
            throw .corruptRow("campaigns.definition")
        }
        try await db.execute("""
            INSERT INTO campaigns (tenant_id, id, name, starts_at, ends_at, definition, created_at)
            VALUES (\(tenantID), \(id), \(draft.name), \(draft.startsAt), \(draft.endsAt), \(definition), \(now))
            """)
        return Campaign(id: id, draft: draft, createdAt: now)
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

    static func decode(_ row: SQLRow) throws(StorageError) -> Campaign {
        guard let draft = try? JSONDecoder().decode(CampaignDraft.self, from: Data(try row.string("definition").utf8)) else {
            throw .corruptRow("campaigns.definition")
        }
        return Campaign(id: try row.int("id"), draft: draft, createdAt: try row.int("created_at"))
    }
}
