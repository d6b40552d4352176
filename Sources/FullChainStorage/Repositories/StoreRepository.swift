public import FullChainCore

/// Filters a store list understands.
public struct StoreFilter: Sendable, Equatable {
    /// Stores in this region or below it (province, city or county code).
    public var regionCode: String?
    public var distributorID: Int64?
    public var salespersonNodeID: Int64?
    public var type: StoreType?
    public var status: MasterDataStatus?

    public init(
        regionCode: String? = nil, distributorID: Int64? = nil, salespersonNodeID: Int64? = nil, type: StoreType? = nil,
        status: MasterDataStatus? = nil
    ) {
        self.regionCode = regionCode
        self.distributorID = distributorID
        self.salespersonNodeID = salespersonNodeID
        self.type = type
        self.status = status
    }
}

/// Retail stores.
public protocol StoreRepository: Sendable {
    func create(_ draft: StoreDraft, scope: AccessScope) async throws(StorageError) -> Store
    /// Creates many stores in one transaction: all or none.
    func createMany(_ drafts: [StoreDraft], scope: AccessScope) async throws(StorageError) -> Int
    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreSummary?
    func list(_ query: ListQuery, filter: StoreFilter, scope: AccessScope) async throws(StorageError) -> Page<StoreSummary>
    func update(id: Int64, _ draft: StoreDraft, scope: AccessScope) async throws(StorageError) -> Store
    /// Codes already taken in the tenant, among these.
    func existingCodes(_ codes: [String], tenantID: Int64) async throws(StorageError) -> Set<String>
}

struct SQLStoreRepository: StoreRepository {
    let db: any SQLDatabase
    /// Totals of list queries, forgotten on every write to the tenant's stores.
    let totals: ListTotals

    func create(_ draft: StoreDraft, scope: AccessScope) async throws(StorageError) -> Store {
        let orgPath = try await orgPath(for: draft, scope: scope)
        let id = try await db.allocateIDs("stores", tenantID: scope.tenantID)
        let now = currentMillis()
        defer { totals.invalidate(tenantID: scope.tenantID) }
        try await db.transaction(
            [SQLStep(insert(draft, id: id, orgPath: orgPath, tenantID: scope.tenantID, now: now))]
                + StoreSearch.reindex(tenantID: scope.tenantID, ids: id...id))
        return Store(
            id: id, code: draft.code, name: draft.name, type: draft.type, address: draft.address, regionCode: draft.regionCode,
            location: draft.location, distributorID: draft.distributorID, salespersonNodeID: draft.salespersonNodeID,
            status: draft.status, createdAt: now, updatedAt: now, phone: draft.phone)
    }

    func createMany(_ drafts: [StoreDraft], scope: AccessScope) async throws(StorageError) -> Int {
        guard !drafts.isEmpty else { return 0 }
        let links = try await ReferenceResolver(db: db, scope: scope).load()
        var steps: [SQLStep] = []
        steps.reserveCapacity(drafts.count)
        let first = try await db.allocateIDs("stores", tenantID: scope.tenantID, count: drafts.count)
        let now = currentMillis()
        for (offset, draft) in drafts.enumerated() {
            let path = try links.orgPath(salespersonNodeID: draft.salespersonNodeID, distributorID: draft.distributorID)
            guard scope.reach == .wholeTenant || scope.covers(orgPath: path) else { throw .missingReference("salespersonNodeID") }
            steps.append(SQLStep(insert(draft, id: first + Int64(offset), orgPath: path, tenantID: scope.tenantID, now: now)))
        }
        steps += StoreSearch.reindex(tenantID: scope.tenantID, ids: first...(first + Int64(drafts.count) - 1))
        defer { totals.invalidate(tenantID: scope.tenantID) }
        try await db.transaction(steps)
        return drafts.count
    }

    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreSummary? {
        try await db.read("\(Self.select) WHERE \(ScopeSQL.stores(scope)) AND s.id = \(id)").first.map(Self.decodeSummary)
    }

    func list(_ query: ListQuery, filter: StoreFilter, scope: AccessScope) async throws(StorageError) -> Page<StoreSummary> {
        var conditions: [SQLStatement] = [ScopeSQL.stores(scope)]
        var source: SQLStatement = "stores s"
        // Lists come in the order their index has; search results by store id, as the search index has them.
        var order = Self.order(scope)
        var pageOrder = order
        if let search = query.search {
            guard let plan = try await StoreSearch.plan(search, tenantID: scope.tenantID, db: db) else {
                return Page(items: [], total: 0, limit: query.limit, offset: query.offset)
            }
            source = plan.source
            conditions.append(plan.condition)
            if let searchOrder = plan.order { (order, pageOrder) = (searchOrder, "s.id") }
        }
        if let region = filter.regionCode, let level = Region.level(ofCode: region) {
            let prefix: String =
                switch level {
                case .province: String(region.prefix(2))
                case .city: String(region.prefix(4))
                case .county: String(region.prefix(6))
                }
            conditions.append("s.region_code >= \(prefix) AND s.region_code < \(ScopeSQL.pathRange(prefix).1)")
        }
        if let distributor = filter.distributorID { conditions.append("s.distributor_id = \(distributor)") }
        if let node = filter.salespersonNodeID { conditions.append("s.salesperson_node_id = \(node)") }
        if let type = filter.type { conditions.append("s.store_type = \(type.rawValue)") }
        if let status = filter.status { conditions.append("s.status = \(status.rawValue)") }
        let whereClause = SQLStatement.join(conditions, separator: " AND ")
        // The page's ids first, from the index alone, then the joins for just those rows: a deep
        // offset skips index entries, not joined rows.
        let rows = try await db.read(
            """
            \(Self.select) WHERE s.tenant_id = \(scope.tenantID) AND s.id IN (
                SELECT s.id FROM \(source) WHERE \(whereClause) ORDER BY \(order) LIMIT \(query.limit) OFFSET \(query.offset))
            ORDER BY \(pageOrder)
            """)
        let countStatement: SQLStatement = "SELECT COUNT(*) AS n FROM \(source) WHERE \(whereClause)"
        let total = try await totals.total(tenantID: scope.tenantID, of: countStatement) { () async throws(StorageError) -> Int in
            Int(try await db.read(countStatement).first?.optionalInt("n") ?? 0)
        }
        return Page(items: try rows.map(Self.decodeSummary), total: total, limit: query.limit, offset: query.offset)
    }

    func update(id: Int64, _ draft: StoreDraft, scope: AccessScope) async throws(StorageError) -> Store {
        let orgPath = try await orgPath(for: draft, scope: scope)
        let now = currentMillis()
        defer { totals.invalidate(tenantID: scope.tenantID) }
        let results = try await db.transaction(
            [
                SQLStep(
                    """
                    UPDATE stores AS s SET code = \(draft.code), name = \(draft.name), store_type = \(draft.type.rawValue), address = \(draft.address),
                        region_code = \(draft.regionCode), latitude = \(draft.location?.latitude), longitude = \(draft.location?.longitude),
                        distributor_id = \(draft.distributorID), salesperson_node_id = \(draft.salespersonNodeID), org_path = \(orgPath),
                        status = \(draft.status.rawValue), phone = \(draft.phone), updated_at = \(now)
                    WHERE \(ScopeSQL.stores(scope)) AND s.id = \(id)
                    RETURNING *
                    """, requireRow: .notFound),
                // The store's own staff follow the store.
                SQLStep("UPDATE users SET org_path = \(orgPath) WHERE tenant_id = \(scope.tenantID) AND store_id = \(id)"),
            ] + StoreSearch.reindex(tenantID: scope.tenantID, ids: id...id))
        guard let row = results.first?.first else { throw .notFound }
        return try Self.decode(row)
    }

    func existingCodes(_ codes: [String], tenantID: Int64) async throws(StorageError) -> Set<String> {
        var found = Set<String>()
        for chunk in codes.chunked(into: 500) {
            let list = SQLStatement.join(chunk.map { (code: String) -> SQLStatement in "\(code)" }, separator: ", ")
            for row in try await db.read("SELECT code FROM stores WHERE tenant_id = \(tenantID) AND code IN (\(list))") {
                found.insert(try row.string("code"))
            }
        }
        return found
    }

    /// The org path that scopes a store: its salesperson's node, else its distributor's, checked against the caller's scope.
    private func orgPath(for draft: StoreDraft, scope: AccessScope) async throws(StorageError) -> String {
        let links = try await ReferenceResolver(db: db, scope: scope).load()
        let path = try links.orgPath(salespersonNodeID: draft.salespersonNodeID, distributorID: draft.distributorID)
        guard scope.reach == .wholeTenant || scope.covers(orgPath: path) else { throw .missingReference("salespersonNodeID") }
        return path
    }

    private func insert(_ draft: StoreDraft, id: Int64, orgPath: String, tenantID: Int64, now: Int64) -> SQLStatement {
        """
        INSERT INTO stores (tenant_id, id, code, name, store_type, address, region_code, latitude, longitude,
            distributor_id, salesperson_node_id, org_path, status, created_at, updated_at, phone)
        VALUES (\(tenantID), \(id), \(draft.code), \(draft.name), \(draft.type.rawValue), \(draft.address), \(draft.regionCode),
            \(draft.location?.latitude), \(draft.location?.longitude), \(draft.distributorID), \(draft.salespersonNodeID),
            \(orgPath), \(draft.status.rawValue), \(now), \(now), \(draft.phone))
        """
    }

    /// List order that the scope's index already has: a subtree walks `(tenant_id, org_path, id)`, so its
    /// stores come grouped by salesperson territory; everyone else sees them by id.
    static func order(_ scope: AccessScope) -> SQLStatement {
        if case .orgSubtree = scope.reach { return "s.org_path, s.id" }
        return "s.id"
    }

    static let select: SQLStatement = """
        SELECT s.*, d.name AS distributor_name, o.name AS salesperson_name
        FROM stores s
        LEFT JOIN distributors d ON d.tenant_id = s.tenant_id AND d.id = s.distributor_id
        LEFT JOIN org_nodes o ON o.tenant_id = s.tenant_id AND o.id = s.salesperson_node_id
        """

    static func decode(_ row: SQLRow) throws(StorageError) -> Store {
        let location = row.geoPoint()
        return Store(
            id: try row.int("id"), code: try row.string("code"), name: try row.string("name"),
            type: StoreType(rawValue: try row.string("store_type")) ?? .other, address: row.optionalString("address"),
            regionCode: try row.string("region_code"), location: location, distributorID: row.optionalInt("distributor_id"),
            salespersonNodeID: row.optionalInt("salesperson_node_id"),
            status: MasterDataStatus(rawValue: try row.string("status")) ?? .inactive,
            createdAt: try row.int("created_at"), updatedAt: try row.int("updated_at"), phone: row.optionalString("phone"))
    }

    static func decodeSummary(_ row: SQLRow) throws(StorageError) -> StoreSummary {
        StoreSummary(
            store: try decode(row), distributorName: row.optionalString("distributor_name"), salespersonName: row.optionalString("salesperson_name"))
    }
}

/// Looks up, within a scope, the org nodes and distributors that stores and users link to.
struct ReferenceResolver {
    let db: any SQLDatabase
    let scope: AccessScope
    var nodePaths: [Int64: (path: String, level: OrgLevel)] = [:]
    var distributorPaths: [Int64: String] = [:]

    init(db: any SQLDatabase, scope: AccessScope) {
        self.db = db
        self.scope = scope
    }

    /// Loads every node and distributor visible in scope (for bulk imports).
    func load() async throws(StorageError) -> ReferenceResolver {
        var copy = self
        for row in try await db.read("SELECT o.id, o.path, o.level FROM org_nodes o WHERE \(ScopeSQL.orgNodes(scope))") {
            copy.nodePaths[try row.int("id")] = (try row.string("path"), OrgLevel(rawValue: Int(try row.int("level"))) ?? .region)
        }
        for row in try await db.read("SELECT d.id, d.org_path FROM distributors d WHERE \(ScopeSQL.distributors(scope))") {
            copy.distributorPaths[try row.int("id")] = try row.string("org_path")
        }
        return copy
    }

    /// The salesperson node's path (a 业代 node in scope), else the distributor's path (in scope), else "".
    func orgPath(salespersonNodeID: Int64?, distributorID: Int64?) throws(StorageError) -> String {
        var distributorPath: String?
        if let distributorID {
            guard let known = distributorPaths[distributorID] else { throw .missingReference("distributorID") }
            distributorPath = known
        }
        if let salespersonNodeID {
            guard let node = nodePaths[salespersonNodeID], node.level == .salesperson else { throw .missingReference("salespersonNodeID") }
            return node.path
        }
        return distributorPath ?? ""
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
