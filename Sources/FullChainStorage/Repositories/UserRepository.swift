public import FullChainCore

/// A user's stored credentials, for signing in.
public struct UserCredentials: Sendable {
    public var user: User
    public var passwordHash: String?
}

/// People who sign in, with what they are attached to.
public protocol UserRepository: Sendable {
    func create(_ draft: UserDraft, passwordHash: String?, scope: AccessScope) async throws(StorageError) -> User
    /// Creates many users in one transaction: all or none.
    func createMany(_ users: [(draft: UserDraft, passwordHash: String?)], scope: AccessScope) async throws(StorageError) -> Int
    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> User?
    func list(_ query: ListQuery, role: Role?, scope: AccessScope) async throws(StorageError) -> Page<User>
    /// Replaces a user's fields; the password only when a new hash is given.
    /// Changes a user; with a new password, every token of theirs is revoked in the same transaction.
    func update(id: Int64, _ draft: UserDraft, passwordHash: String?, scope: AccessScope) async throws(StorageError) -> User
    /// Credentials by tenant and username (sign-in only; no scope applies before one is known).
    func credentials(tenantID: Int64, username: String) async throws(StorageError) -> UserCredentials?
    /// The signed-in caller for an active user: their role and the scope it gives.
    func principal(tenantID: Int64, userID: Int64) async throws(StorageError) -> Principal?
}

struct SQLUserRepository: UserRepository {
    let db: any SQLDatabase

    func create(_ draft: UserDraft, passwordHash: String?, scope: AccessScope) async throws(StorageError) -> User {
        let path = try await attachmentPath(draft, scope: scope)
        let id = try await db.allocateIDs("users", tenantID: scope.tenantID)
        let now = currentMillis()
        try await db.execute(insert(draft, id: id, orgPath: path, passwordHash: passwordHash, tenantID: scope.tenantID, now: now))
        return User(
            id: id, username: draft.username, displayName: draft.displayName, role: draft.role, orgNodeID: draft.orgNodeID,
            distributorID: draft.distributorID, storeID: draft.storeID, active: draft.active, createdAt: now)
    }

    func createMany(_ users: [(draft: UserDraft, passwordHash: String?)], scope: AccessScope) async throws(StorageError) -> Int {
        guard !users.isEmpty else { return 0 }
        var paths: [String] = []
        for user in users { paths.append(try await attachmentPath(user.draft, scope: scope)) }
        let first = try await db.allocateIDs("users", tenantID: scope.tenantID, count: users.count)
        let now = currentMillis()
        var steps: [SQLStep] = []
        for (offset, user) in users.enumerated() {
            steps.append(
                SQLStep(
                    insert(
                        user.draft, id: first + Int64(offset), orgPath: paths[offset], passwordHash: user.passwordHash, tenantID: scope.tenantID,
                        now: now)))
        }
        try await db.transaction(steps)
        return users.count
    }

    private func insert(_ draft: UserDraft, id: Int64, orgPath: String, passwordHash: String?, tenantID: Int64, now: Int64) -> SQLStatement {
        """
        INSERT INTO users (tenant_id, id, username, display_name, role, org_node_id, org_path, distributor_id, store_id, password_hash, active, created_at, updated_at)
        VALUES (\(tenantID), \(id), \(draft.username), \(draft.displayName), \(draft.role.rawValue), \(draft.orgNodeID), \(orgPath),
            \(draft.distributorID), \(draft.storeID), \(passwordHash), \(draft.active), \(now), \(now))
        """
    }

    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> User? {
        try await db.read("SELECT u.* FROM users u WHERE \(ScopeSQL.users(scope)) AND u.id = \(id)").first.map(Self.decode)
    }

    func list(_ query: ListQuery, role: Role?, scope: AccessScope) async throws(StorageError) -> Page<User> {
        var conditions: [SQLStatement] = [ScopeSQL.users(scope)]
        if let search = query.search {
            let pattern = ScopeSQL.containsPattern(search)
            conditions.append("(u.username\(ScopeSQL.like)\(pattern) ESCAPE '\\' OR u.display_name\(ScopeSQL.like)\(pattern) ESCAPE '\\')")
        }
        if let role { conditions.append("u.role = \(role.rawValue)") }
        let whereClause = SQLStatement.join(conditions, separator: " AND ")
        let rows = try await db.read("SELECT u.* FROM users u WHERE \(whereClause) ORDER BY u.id LIMIT \(query.limit) OFFSET \(query.offset)")
        let count = try await db.read("SELECT COUNT(*) AS n FROM users u WHERE \(whereClause)")
        return Page(items: try rows.map(Self.decode), total: Int(count.first?.optionalInt("n") ?? 0), limit: query.limit, offset: query.offset)
    }

    func update(id: Int64, _ draft: UserDraft, passwordHash: String?, scope: AccessScope) async throws(StorageError) -> User {
        let path = try await attachmentPath(draft, scope: scope)
        let now = currentMillis()
        let passwordClause: SQLStatement = passwordHash.map { (hash: String) -> SQLStatement in ", password_hash = \(hash)" } ?? ""
        var steps = [
            SQLStep(
                """
                UPDATE users AS u SET username = \(draft.username), display_name = \(draft.displayName), role = \(draft.role.rawValue),
                    org_node_id = \(draft.orgNodeID), org_path = \(path), distributor_id = \(draft.distributorID), store_id = \(draft.storeID),
                    active = \(draft.active), updated_at = \(now)\(passwordClause)
                WHERE \(ScopeSQL.users(scope)) AND u.id = \(id)
                RETURNING *
                """, requireRow: .notFound)
        ]
        // A new password signs the user out everywhere: every session and API token is revoked with it.
        if passwordHash != nil {
            steps.append(SQLStep(SQLAuthTokenRepository.revokeAll(tenantID: scope.tenantID, userID: id, now: now)))
        }
        let rows = try await db.transaction(steps).first ?? []
        guard let row = rows.first else { throw .notFound }
        return try Self.decode(row)
    }

    func credentials(tenantID: Int64, username: String) async throws(StorageError) -> UserCredentials? {
        guard let row = try await db.read("SELECT * FROM users WHERE tenant_id = \(tenantID) AND username = \(username)").first else { return nil }
        return UserCredentials(user: try Self.decode(row), passwordHash: row.optionalString("password_hash"))
    }

    func principal(tenantID: Int64, userID: Int64) async throws(StorageError) -> Principal? {
        guard let row = try await db.read("SELECT * FROM users WHERE tenant_id = \(tenantID) AND id = \(userID) AND active = 1").first else {
            return nil
        }
        let user = try Self.decode(row)
        let reach: AccessScope.Reach
        switch user.role {
        case .admin: reach = .wholeTenant
        case .manager, .salesperson: reach = .orgSubtree(path: try row.string("org_path"))
        case .distributor:
            guard let id = user.distributorID else { return nil }
            reach = .distributor(id: id)
        case .store:
            guard let id = user.storeID else { return nil }
            reach = .store(id: id)
        }
        return Principal(
            tenantID: tenantID, userID: user.id, username: user.username, displayName: user.displayName, role: user.role,
            scope: AccessScope(tenantID: tenantID, reach: reach))
    }

    /// The org path that scopes a user, from what the role attaches them to; it must be within the caller's scope.
    private func attachmentPath(_ draft: UserDraft, scope: AccessScope) async throws(StorageError) -> String {
        let path: String
        switch draft.role {
        case .admin:
            guard scope.reach == .wholeTenant else { throw .missingReference("role") }
            return ""
        case .manager, .salesperson:
            guard let nodeID = draft.orgNodeID,
                let row = try await db.read("SELECT o.path, o.level FROM org_nodes o WHERE \(ScopeSQL.orgNodes(scope)) AND o.id = \(nodeID)").first
            else { throw .missingReference("orgNodeID") }
            let isSalespersonNode = try row.int("level") == Int64(OrgLevel.salesperson.rawValue)
            guard isSalespersonNode == (draft.role == .salesperson) else { throw .missingReference("orgNodeID") }
            path = try row.string("path")
        case .distributor:
            guard let id = draft.distributorID,
                let row = try await db.read("SELECT d.org_path FROM distributors d WHERE \(ScopeSQL.distributors(scope)) AND d.id = \(id)").first
            else { throw .missingReference("distributorID") }
            path = try row.string("org_path")
        case .store:
            guard let id = draft.storeID,
                let row = try await db.read("SELECT s.org_path FROM stores s WHERE \(ScopeSQL.stores(scope)) AND s.id = \(id)").first
            else { throw .missingReference("storeID") }
            path = try row.string("org_path")
        }
        guard scope.reach == .wholeTenant || scope.covers(orgPath: path) else { throw .missingReference("orgNodeID") }
        return path
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> User {
        guard let role = Role(rawValue: try row.string("role")) else { throw .corruptRow("users.role") }
        return User(
            id: try row.int("id"), username: try row.string("username"), displayName: try row.string("display_name"), role: role,
            orgNodeID: row.optionalInt("org_node_id"), distributorID: row.optionalInt("distributor_id"), storeID: row.optionalInt("store_id"),
            active: row.bool("active"), createdAt: try row.int("created_at"))
    }
}
