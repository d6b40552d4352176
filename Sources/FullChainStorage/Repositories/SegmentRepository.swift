public import FullChainCore

/// Where a read of changed profiles stopped: the last one's change time and id.
public struct SegmentChangeCursor: Sendable, Equatable {
    public var updatedAt: Int64
    public var id: Int64

    public init(updatedAt: Int64, id: Int64) {
        self.updatedAt = updatedAt
        self.id = id
    }
}

/// Segments: the brand's saved rules, and the reads that build and refresh the segment index
/// (profiles by id or by when they changed, tags' members, stores' regions) and answer its
/// event conditions from the events.
public protocol SegmentRepository: Sendable {
    func create(_ draft: SegmentDraft, owner: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> Segment
    /// The brand's segments by name.
    func list(tenantID: Int64) async throws(StorageError) -> [Segment]
    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> Segment?
    func delete(id: Int64, tenantID: Int64) async throws(StorageError)

    /// Up to `limit` profiles (live or merged) with ids above `after`, in id order.
    func profiles(after: Int64, limit: Int, tenantID: Int64) async throws(StorageError) -> [SegmentIndex.Entry]
    /// Up to `limit` profiles changed at or after `since` (after `cursor`, the last one a page
    /// before ended on), in order of change, and where this page ends.
    func profiles(
        changedSince since: Int64, after cursor: SegmentChangeCursor?, limit: Int, tenantID: Int64
    ) async throws(StorageError) -> (entries: [SegmentIndex.Entry], end: SegmentChangeCursor?)
    /// The brand's tag ids.
    func tagIDs(tenantID: Int64) async throws(StorageError) -> Set<Int64>
    /// Up to `limit` members of a tag with ids above `after`, in id order.
    func members(ofTag tagID: Int64, after: Int64, limit: Int, tenantID: Int64) async throws(StorageError) -> [Int64]
    /// The tags these profiles carry.
    func tags(ofProfiles profileIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [Int64: Set<Int64>]
    /// Every store's region code.
    func storeRegions(tenantID: Int64) async throws(StorageError) -> [(storeID: Int64, regionCode: String)]
    /// The stores within a scope's reach.
    func stores(in scope: AccessScope) async throws(StorageError) -> [Int64]
    /// The profiles an event condition holds for at `now`, in id order.
    func members(of condition: SegmentCondition, now: Int64, tenantID: Int64) async throws(StorageError) -> [Int64]
}

struct SQLSegmentRepository: SegmentRepository {
    let db: any SQLDatabase

    private static let columns: SQLStatement = "id, name, description, owner, rule, created_at"

    private static func segment(_ row: SQLRow) throws(StorageError) -> Segment {
        let rule: SegmentRuleInput
        do { rule = try JSONCoding.decode(SegmentRuleInput.self, from: try row.string("rule")) } catch { throw .corruptRow("segment rule") }
        return Segment(
            id: try row.int("id"), name: try row.string("name"), description: try row.string("description"), owner: try row.string("owner"),
            rule: rule, createdAt: try row.int("created_at"))
    }

    func create(_ draft: SegmentDraft, owner: String, at now: Int64, tenantID: Int64) async throws(StorageError) -> Segment {
        let id = try await db.allocateIDs("segments", tenantID: tenantID)
        let rows = try await db.execute(
            """
            INSERT INTO segments (tenant_id, id, name, description, owner, rule, created_at)
            VALUES (\(tenantID), \(id), \(draft.name), \(draft.description), \(owner), \(JSONCoding.encode(SegmentRuleInput(draft.rule))), \(now))
            RETURNING \(Self.columns)
            """)
        guard let row = rows.first else { throw .corruptRow("segments") }
        return try Self.segment(row)
    }

    func list(tenantID: Int64) async throws(StorageError) -> [Segment] {
        try await db.read("SELECT \(Self.columns) FROM segments WHERE tenant_id = \(tenantID) ORDER BY name, id LIMIT 1000").map(Self.segment)
    }

    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> Segment? {
        try await db.read("SELECT \(Self.columns) FROM segments WHERE tenant_id = \(tenantID) AND id = \(id)").first.map(Self.segment)
    }

    func delete(id: Int64, tenantID: Int64) async throws(StorageError) {
        try await db.execute("DELETE FROM segments WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING id", requireRow: .notFound)
    }

    private static func entry(_ row: SQLRow) throws(StorageError) -> SegmentIndex.Entry {
        guard let stage = ConsumerStage(rawValue: try row.string("stage")) else { throw .corruptRow("consumer stage") }
        return SegmentIndex.Entry(
            id: try row.int("id"), stage: stage, storeID: row.optionalInt("store_id"), verified: try row.int("verified") != 0,
            live: row.optionalInt("merged_into") == nil)
    }

    func profiles(after: Int64, limit: Int, tenantID: Int64) async throws(StorageError) -> [SegmentIndex.Entry] {
        try await db.read(
            """
            SELECT id, stage, store_id, verified, merged_into FROM consumer_profiles
            WHERE tenant_id = \(tenantID) AND id > \(after) ORDER BY id LIMIT \(Int64(max(1, limit)))
            """
        ).map(Self.entry)
    }

    func profiles(
        changedSince since: Int64, after cursor: SegmentChangeCursor?, limit: Int, tenantID: Int64
    ) async throws(StorageError) -> (entries: [SegmentIndex.Entry], end: SegmentChangeCursor?) {
        var after: SQLStatement = ""
        if let cursor {
            let at = cursor.updatedAt, id = cursor.id
            after = "AND (updated_at > \(at) OR (updated_at = \(at) AND id > \(id)))"
        }
        let rows = try await db.read(
            """
            SELECT id, stage, store_id, verified, merged_into, updated_at FROM consumer_profiles
            WHERE tenant_id = \(tenantID) AND updated_at >= \(since) \(after) ORDER BY updated_at, id LIMIT \(Int64(max(1, limit)))
            """)
        var end: SegmentChangeCursor? = nil
        if let last = rows.last { end = SegmentChangeCursor(updatedAt: try last.int("updated_at"), id: try last.int("id")) }
        return (try rows.map(Self.entry), end)
    }

    func tagIDs(tenantID: Int64) async throws(StorageError) -> Set<Int64> {
        Set(
            try await db.read("SELECT id FROM consumer_tags WHERE tenant_id = \(tenantID) LIMIT 1000").map {
                (row: SQLRow) throws(StorageError) in try row.int("id")
            })
    }

    func members(ofTag tagID: Int64, after: Int64, limit: Int, tenantID: Int64) async throws(StorageError) -> [Int64] {
        try await db.read(
            """
            SELECT profile_id FROM consumer_tag_members WHERE tenant_id = \(tenantID) AND tag_id = \(tagID) AND profile_id > \(after)
            ORDER BY profile_id LIMIT \(Int64(max(1, limit)))
            """
        ).map { (row: SQLRow) throws(StorageError) in try row.int("profile_id") }
    }

    func tags(ofProfiles profileIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [Int64: Set<Int64>] {
        var carried: [Int64: Set<Int64>] = [:]
        for chunk in stride(from: 0, to: profileIDs.count, by: 500).map({ Array(profileIDs[$0..<min($0 + 500, profileIDs.count)]) }) {
            for row in try await db.read(
                """
                SELECT profile_id, tag_id FROM consumer_tag_members WHERE tenant_id = \(tenantID)
                AND profile_id IN (\(SQLStatement.join(chunk.map { "\($0)" }, separator: ", ")))
                """)
            {
                carried[try row.int("profile_id"), default: []].insert(try row.int("tag_id"))
            }
        }
        return carried
    }

    func storeRegions(tenantID: Int64) async throws(StorageError) -> [(storeID: Int64, regionCode: String)] {
        try await db.read("SELECT id, region_code FROM stores WHERE tenant_id = \(tenantID) AND region_code IS NOT NULL").map {
            (row: SQLRow) throws(StorageError) in (try row.int("id"), try row.string("region_code"))
        }
    }

    func stores(in scope: AccessScope) async throws(StorageError) -> [Int64] {
        try await db.read("SELECT s.id FROM stores s WHERE \(ScopeSQL.stores(scope)) ORDER BY s.id").map {
            (row: SQLRow) throws(StorageError) in try row.int("id")
        }
    }

    func members(of condition: SegmentCondition, now: Int64, tenantID: Int64) async throws(StorageError) -> [Int64] {
        let day: Int64 = 86_400_000
        let statement: SQLStatement
        switch condition {
        case .scanned(let product, let atLeast, let days):
            // A scan event's consumer is "consumer:" and the person's pseudonym.
            var byProduct: SQLStatement = ""
            if let product { byProduct = "JOIN code_batches b ON b.tenant_id = e.tenant_id AND b.id = e.batch_id AND b.product_id = \(product)" }
            statement = """
                SELECT i.profile_id AS id FROM scan_events e \(byProduct)
                JOIN consumer_identities i ON i.tenant_id = e.tenant_id AND i.pseudonym = SUBSTR(e.consumer, 10)
                WHERE e.tenant_id = \(tenantID) AND e.scanned_at >= \(now - days * day) AND e.consumer LIKE 'consumer:%'
                GROUP BY i.profile_id HAVING COUNT(*) >= \(atLeast) ORDER BY i.profile_id
                """
        case .redeemed(let days):
            statement = """
                SELECT DISTINCT i.profile_id AS id FROM coupons c
                JOIN consumer_identities i ON i.tenant_id = c.tenant_id AND i.pseudonym = c.wallet
                WHERE c.tenant_id = \(tenantID) AND c.redeemed_at >= \(now - days * day) ORDER BY i.profile_id
                """
        default:
            return []
        }
        return try await db.read(statement).map { (row: SQLRow) throws(StorageError) in try row.int("id") }
    }
}
