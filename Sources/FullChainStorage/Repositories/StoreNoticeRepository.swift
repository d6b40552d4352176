public import FullChainCore

/// A notice a journey left for a store: a consumer of the store to look after, in HQ's words.
public struct StoreNotice: Sendable, Equatable, Codable {
    public var id: Int64
    public var storeID: Int64
    public var storeName: String
    public var journeyID: Int64
    public var text: String
    public var createdAt: Int64
    public var readAt: Int64?

    public init(id: Int64, storeID: Int64, storeName: String, journeyID: Int64, text: String, createdAt: Int64, readAt: Int64?) {
        self.id = id
        self.storeID = storeID
        self.storeName = storeName
        self.journeyID = journeyID
        self.text = text
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

/// The notices stores get, read within the caller's scope (filtered in SQL): a store's staff
/// their store's, a distributor's staff the stores it supplies, managers their subtree's.
public protocol StoreNoticeRepository: Sendable {
    /// Newest first, at most `limit`; unread only when asked.
    func notices(limit: Int, unreadOnly: Bool, scope: AccessScope) async throws(StorageError) -> [StoreNotice]
    /// Marks a notice read; nil when it is not within reach.
    func markRead(id: Int64, at now: Int64, scope: AccessScope) async throws(StorageError) -> StoreNotice?
}

struct SQLStoreNoticeRepository: StoreNoticeRepository {
    let db: any SQLDatabase

    private static let columns: SQLStatement = "n.id, n.store_id, s.name AS store_name, n.journey_id, n.text, n.created_at, n.read_at"

    private static func notice(_ row: SQLRow) throws(StorageError) -> StoreNotice {
        StoreNotice(
            id: try row.int("id"), storeID: try row.int("store_id"), storeName: try row.string("store_name"), journeyID: try row.int("journey_id"),
            text: try row.string("text"), createdAt: try row.int("created_at"), readAt: row.optionalInt("read_at"))
    }

    func notices(limit: Int, unreadOnly: Bool, scope: AccessScope) async throws(StorageError) -> [StoreNotice] {
        let unread: SQLStatement = unreadOnly ? "AND n.read_at IS NULL" : ""
        return try await db.read(
            """
            SELECT \(Self.columns) FROM store_notices n JOIN stores s ON s.tenant_id = n.tenant_id AND s.id = n.store_id
            WHERE \(ScopeSQL.stores(scope)) \(unread)
            ORDER BY n.id DESC LIMIT \(Int64(max(1, min(limit, 500))))
            """
        ).map { (row: SQLRow) throws(StorageError) in try Self.notice(row) }
    }

    func markRead(id: Int64, at now: Int64, scope: AccessScope) async throws(StorageError) -> StoreNotice? {
        let found = try await db.read(
            """
            SELECT \(Self.columns) FROM store_notices n JOIN stores s ON s.tenant_id = n.tenant_id AND s.id = n.store_id
            WHERE \(ScopeSQL.stores(scope)) AND n.id = \(id)
            """)
        guard var notice = try found.first.map({ (row: SQLRow) throws(StorageError) in try Self.notice(row) }) else { return nil }
        guard notice.readAt == nil else { return notice }
        try await db.execute(
            "UPDATE store_notices SET read_at = \(now) WHERE tenant_id = \(scope.tenantID) AND id = \(id) AND read_at IS NULL")
        notice.readAt = now
        return notice
    }
}
