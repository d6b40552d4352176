public import FullChainCore

/// The sales org tree (大区 → 地区 → 城市 → 业代).
public protocol OrgRepository: Sendable {
    /// Adds a node under `parentID` (nil for a 大区 root; only HQ may add roots). The parent must be in scope.
    func create(parentID: Int64?, code: String, name: String, scope: AccessScope) async throws(StorageError) -> OrgNode
    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> OrgNode?
    func find(code: String, scope: AccessScope) async throws(StorageError) -> OrgNode?
    /// Every node in scope, ordered by path (a depth-first walk of the tree).
    func list(scope: AccessScope, level: OrgLevel?) async throws(StorageError) -> [OrgNode]
    func rename(id: Int64, code: String, name: String, scope: AccessScope) async throws(StorageError) -> OrgNode
    /// The nodes just below `parent` (the 大区 when nil) within scope, by code.
    func children(of parent: OrgNode?, scope: AccessScope) async throws(StorageError) -> [OrgNode]
}

struct SQLOrgRepository: OrgRepository {
    let db: any SQLDatabase

    func create(parentID: Int64?, code: String, name: String, scope: AccessScope) async throws(StorageError) -> OrgNode {
        var parent: OrgNode?
        if let parentID {
            guard let found = try await get(id: parentID, scope: scope) else { throw .missingReference("parentID") }
            parent = found
        } else if scope.reach != .wholeTenant {
            throw .missingReference("parentID")
        }
        let level: OrgLevel
        if let parent {
            guard let child = parent.level.childLevel else { throw .missingReference("parentID: a salesperson node has no children") }
            level = child
        } else {
            level = .region
        }
        let id = try await db.allocateIDs("org_nodes", tenantID: scope.tenantID)
        let path = parent?.childPath(id: id) ?? OrgNode.rootPath(id: id)
        let now = currentMillis()
        try await db.execute(
            """
            INSERT INTO org_nodes (tenant_id, id, parent_id, level, code, name, path, created_at)
            VALUES (\(scope.tenantID), \(id), \(parentID), \(level.rawValue), \(code), \(name), \(path), \(now))
            """)
        return OrgNode(id: id, parentID: parentID, level: level, code: code, name: name, path: path, createdAt: now)
    }

    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> OrgNode? {
        try await db.read("SELECT o.* FROM org_nodes o WHERE \(ScopeSQL.orgNodes(scope)) AND o.id = \(id)").first.map(Self.decode)
    }

    func find(code: String, scope: AccessScope) async throws(StorageError) -> OrgNode? {
        try await db.read("SELECT o.* FROM org_nodes o WHERE \(ScopeSQL.orgNodes(scope)) AND o.code = \(code)").first.map(Self.decode)
    }

    func list(scope: AccessScope, level: OrgLevel?) async throws(StorageError) -> [OrgNode] {
        let levelFilter: SQLStatement = level.map { (level: OrgLevel) -> SQLStatement in "AND o.level = \(level.rawValue)" } ?? ""
        return try await db.read("SELECT o.* FROM org_nodes o WHERE \(ScopeSQL.orgNodes(scope)) \(levelFilter) ORDER BY o.path").map(Self.decode)
    }

    func children(of parent: OrgNode?, scope: AccessScope) async throws(StorageError) -> [OrgNode] {
        guard let parent else {
            return try await db.read("SELECT o.* FROM org_nodes o WHERE \(ScopeSQL.orgNodes(scope)) AND o.level = 1 ORDER BY o.code").map(Self.decode)
        }
        guard let level = parent.level.childLevel else { return [] }
        let (low, high) = ScopeSQL.pathRange(parent.path)
        return try await db.read(
            """
            SELECT o.* FROM org_nodes o
            WHERE \(ScopeSQL.orgNodes(scope)) AND o.path >= \(low) AND o.path < \(high) AND o.level = \(level.rawValue) ORDER BY o.code
            """
        ).map(Self.decode)
    }

    func rename(id: Int64, code: String, name: String, scope: AccessScope) async throws(StorageError) -> OrgNode {
        let rows = try await db.execute(
            """
            UPDATE org_nodes AS o SET code = \(code), name = \(name)
            WHERE \(ScopeSQL.orgNodes(scope)) AND o.id = \(id)
            RETURNING *
            """, requireRow: .notFound)
        guard let row = rows.first else { throw .notFound }
        return try Self.decode(row)
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> OrgNode {
        guard let level = OrgLevel(rawValue: Int(try row.int("level"))) else { throw .corruptRow("org_nodes.level") }
        return OrgNode(
            id: try row.int("id"), parentID: row.optionalInt("parent_id"), level: level, code: try row.string("code"),
            name: try row.string("name"), path: try row.string("path"), createdAt: try row.int("created_at"))
    }
}
