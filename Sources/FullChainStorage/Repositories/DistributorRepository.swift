public import FullChainCore

/// Distributors and their territories.
public protocol DistributorRepository: Sendable {
    func create(_ draft: DistributorDraft, scope: AccessScope) async throws(StorageError) -> Distributor
    func createMany(_ drafts: [DistributorDraft], scope: AccessScope) async throws(StorageError) -> Int
    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> Distributor?
    func list(_ query: ListQuery, status: MasterDataStatus?, scope: AccessScope) async throws(StorageError) -> Page<Distributor>
    func update(id: Int64, _ draft: DistributorDraft, scope: AccessScope) async throws(StorageError) -> Distributor
}

struct SQLDistributorRepository: DistributorRepository {
    let db: any SQLDatabase
    /// Store list totals, forgotten when a move carries stores to another subtree.
    let storeTotals: ListTotals

    func create(_ draft: DistributorDraft, scope: AccessScope) async throws(StorageError) -> Distributor {
        let path = try await managingPath(draft.orgNodeID, scope: scope)
        let id = try await db.allocateIDs("distributors", tenantID: scope.tenantID)
        let now = currentMillis()
        try await db.transaction(insertSteps(draft, id: id, orgPath: path, tenantID: scope.tenantID, now: now))
        return Self.make(draft, id: id, createdAt: now, updatedAt: now)
    }

    func createMany(_ drafts: [DistributorDraft], scope: AccessScope) async throws(StorageError) -> Int {
        guard !drafts.isEmpty else { return 0 }
        let links = try await ReferenceResolver(db: db, scope: scope).load()
        let first = try await db.allocateIDs("distributors", tenantID: scope.tenantID, count: drafts.count)
        let now = currentMillis()
        var steps: [SQLStep] = []
        for (offset, draft) in drafts.enumerated() {
            guard let node = links.nodePaths[draft.orgNodeID] else { throw .missingReference("orgNodeID") }
            steps += insertSteps(draft, id: first + Int64(offset), orgPath: node.path, tenantID: scope.tenantID, now: now)
        }
        try await db.transaction(steps)
        return drafts.count
    }

    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> Distributor? {
        let rows = try await db.read("SELECT d.* FROM distributors d WHERE \(ScopeSQL.distributors(scope)) AND d.id = \(id)")
        return try await withTerritories(rows).first
    }

    func list(_ query: ListQuery, status: MasterDataStatus?, scope: AccessScope) async throws(StorageError) -> Page<Distributor> {
        var conditions: [SQLStatement] = [ScopeSQL.distributors(scope)]
        if let search = query.search {
            let pattern = ScopeSQL.containsPattern(search)
            conditions.append("(d.name\(ScopeSQL.like)\(pattern) ESCAPE '\\' OR d.code\(ScopeSQL.like)\(pattern) ESCAPE '\\')")
        }
        if let status { conditions.append("d.status = \(status.rawValue)") }
        let whereClause = SQLStatement.join(conditions, separator: " AND ")
        let rows = try await db.read("SELECT d.* FROM distributors d WHERE \(whereClause) ORDER BY d.id LIMIT \(query.limit) OFFSET \(query.offset)")
        let count = try await db.read("SELECT COUNT(*) AS n FROM distributors d WHERE \(whereClause)")
        return Page(items: try await withTerritories(rows), total: Int(count.first?.optionalInt("n") ?? 0), limit: query.limit, offset: query.offset)
    }

    func update(id: Int64, _ draft: DistributorDraft, scope: AccessScope) async throws(StorageError) -> Distributor {
        let path = try await managingPath(draft.orgNodeID, scope: scope)
        let now = currentMillis()
        var steps = [
            SQLStep(
                """
                UPDATE distributors AS d SET code = \(draft.code), name = \(draft.name), contact_name = \(draft.contactName), phone = \(draft.phone),
                    address = \(draft.address), org_node_id = \(draft.orgNodeID), org_path = \(path), status = \(draft.status.rawValue), updated_at = \(now)
                WHERE \(ScopeSQL.managedDistributors(scope)) AND d.id = \(id)
                RETURNING id, created_at
                """, requireRow: .notFound)
        ]
        // Stores scoped through this distributor (no salesperson of their own) and its people follow it.
        steps.append(
            SQLStep(
                "UPDATE stores SET org_path = \(path) WHERE tenant_id = \(scope.tenantID) AND distributor_id = \(id) AND salesperson_node_id IS NULL")
        )
        steps.append(SQLStep("UPDATE users SET org_path = \(path) WHERE tenant_id = \(scope.tenantID) AND distributor_id = \(id)"))
        steps.append(
            SQLStep(
                """
                UPDATE users SET org_path = \(path)
                WHERE tenant_id = \(scope.tenantID) AND store_id IN
                    (SELECT s.id FROM stores s WHERE s.tenant_id = \(scope.tenantID) AND s.distributor_id = \(id) AND s.salesperson_node_id IS NULL)
                """))
        steps.append(SQLStep("DELETE FROM distributor_territories WHERE tenant_id = \(scope.tenantID) AND distributor_id = \(id)"))
        steps += draft.territory.map {
            SQLStep("INSERT INTO distributor_territories (tenant_id, distributor_id, region_code) VALUES (\(scope.tenantID), \(id), \($0))")
        }
        defer { storeTotals.invalidate(tenantID: scope.tenantID) }
        let results = try await db.transaction(steps)
        let createdAt = results.first?.first?.optionalInt("created_at") ?? now
        return Self.make(draft, id: id, createdAt: createdAt, updatedAt: now)
    }

    /// The path of the managing org node, which must be visible to the caller.
    private func managingPath(_ nodeID: Int64, scope: AccessScope) async throws(StorageError) -> String {
        let rows = try await db.read("SELECT o.path FROM org_nodes o WHERE \(ScopeSQL.orgNodes(scope)) AND o.id = \(nodeID)")
        guard let row = rows.first else { throw .missingReference("orgNodeID") }
        return try row.string("path")
    }

    private func insertSteps(_ draft: DistributorDraft, id: Int64, orgPath: String, tenantID: Int64, now: Int64) -> [SQLStep] {
        var steps = [
            SQLStep(
                """
                INSERT INTO distributors (tenant_id, id, code, name, contact_name, phone, address, org_node_id, org_path, status, created_at, updated_at)
                VALUES (\(tenantID), \(id), \(draft.code), \(draft.name), \(draft.contactName), \(draft.phone), \(draft.address),
                    \(draft.orgNodeID), \(orgPath), \(draft.status.rawValue), \(now), \(now))
                """)
        ]
        steps += draft.territory.map {
            SQLStep("INSERT INTO distributor_territories (tenant_id, distributor_id, region_code) VALUES (\(tenantID), \(id), \($0))")
        }
        return steps
    }

    private func withTerritories(_ rows: [SQLRow]) async throws(StorageError) -> [Distributor] {
        var distributors = try rows.map(Self.decode)
        guard let tenantID = rows.first?.optionalInt("tenant_id") else { return distributors }
        let ids = SQLStatement.join(distributors.map { (d: Distributor) -> SQLStatement in "\(d.id)" }, separator: ", ")
        var territories: [Int64: [String]] = [:]
        for row in try await db.read(
            "SELECT distributor_id, region_code FROM distributor_territories WHERE tenant_id = \(tenantID) AND distributor_id IN (\(ids)) ORDER BY region_code"
        ) {
            territories[try row.int("distributor_id"), default: []].append(try row.string("region_code"))
        }
        for index in distributors.indices { distributors[index].territory = territories[distributors[index].id] ?? [] }
        return distributors
    }

    static func make(_ draft: DistributorDraft, id: Int64, createdAt: Int64, updatedAt: Int64) -> Distributor {
        Distributor(
            id: id, code: draft.code, name: draft.name, contactName: draft.contactName, phone: draft.phone, address: draft.address,
            orgNodeID: draft.orgNodeID, territory: draft.territory, status: draft.status, createdAt: createdAt, updatedAt: updatedAt)
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> Distributor {
        Distributor(
            id: try row.int("id"), code: try row.string("code"), name: try row.string("name"), contactName: row.optionalString("contact_name"),
            phone: row.optionalString("phone"), address: row.optionalString("address"), orgNodeID: try row.int("org_node_id"),
            territory: [], status: MasterDataStatus(rawValue: try row.string("status")) ?? .inactive,
            createdAt: try row.int("created_at"), updatedAt: try row.int("updated_at"))
    }
}
