public import FullChainCore

/// The brand's products (SKUs). Every role in the tenant reads them; HQ writes them.
public protocol ProductRepository: Sendable {
    func create(_ draft: ProductDraft, tenantID: Int64) async throws(StorageError) -> Product
    func createMany(_ drafts: [ProductDraft], tenantID: Int64) async throws(StorageError) -> Int
    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> Product?
    /// The product with this GTIN (unique within the tenant).
    func get(gtin: GTIN, tenantID: Int64) async throws(StorageError) -> Product?
    func list(_ query: ListQuery, category: String?, tenantID: Int64) async throws(StorageError) -> Page<Product>
    func update(id: Int64, _ draft: ProductDraft, tenantID: Int64) async throws(StorageError) -> Product
}

struct SQLProductRepository: ProductRepository {
    let db: any SQLDatabase

    func create(_ draft: ProductDraft, tenantID: Int64) async throws(StorageError) -> Product {
        let id = try await db.allocateIDs("products", tenantID: tenantID)
        let now = currentMillis()
        try await db.execute(insert(draft, id: id, tenantID: tenantID, now: now))
        return Self.make(draft, id: id, createdAt: now, updatedAt: now)
    }

    func createMany(_ drafts: [ProductDraft], tenantID: Int64) async throws(StorageError) -> Int {
        guard !drafts.isEmpty else { return 0 }
        let first = try await db.allocateIDs("products", tenantID: tenantID, count: drafts.count)
        let now = currentMillis()
        try await db.transaction(drafts.enumerated().map { SQLStep(insert($1, id: first + Int64($0), tenantID: tenantID, now: now)) })
        return drafts.count
    }

    func get(id: Int64, tenantID: Int64) async throws(StorageError) -> Product? {
        try await db.read("SELECT * FROM products WHERE tenant_id = \(tenantID) AND id = \(id)").first.map(Self.decode)
    }

    func get(gtin: GTIN, tenantID: Int64) async throws(StorageError) -> Product? {
        try await db.read("SELECT * FROM products WHERE tenant_id = \(tenantID) AND gtin = \(gtin.digits)").first.map(Self.decode)
    }

    func list(_ query: ListQuery, category: String?, tenantID: Int64) async throws(StorageError) -> Page<Product> {
        var conditions: [SQLStatement] = ["tenant_id = \(tenantID)"]
        if let search = query.search {
            let pattern = ScopeSQL.containsPattern(search)
            conditions.append(
                "(name\(ScopeSQL.like)\(pattern) ESCAPE '\\' OR sku\(ScopeSQL.like)\(pattern) ESCAPE '\\' OR gtin\(ScopeSQL.like)\(pattern) ESCAPE '\\')"
            )
        }
        if let category { conditions.append("category = \(category)") }
        let whereClause = SQLStatement.join(conditions, separator: " AND ")
        let rows = try await db.read("SELECT * FROM products WHERE \(whereClause) ORDER BY id LIMIT \(query.limit) OFFSET \(query.offset)")
        let count = try await db.read("SELECT COUNT(*) AS n FROM products WHERE \(whereClause)")
        return Page(items: try rows.map(Self.decode), total: Int(count.first?.optionalInt("n") ?? 0), limit: query.limit, offset: query.offset)
    }

    func update(id: Int64, _ draft: ProductDraft, tenantID: Int64) async throws(StorageError) -> Product {
        let now = currentMillis()
        let rows = try await db.execute(
            """
            UPDATE products SET sku = \(draft.sku), gtin = \(draft.gtin.digits), name = \(draft.name), category = \(draft.category),
                price_fen = \(draft.priceFen), units_per_case = \(draft.unitsPerCase), launch_date = \(draft.launchDate),
                status = \(draft.status.rawValue), updated_at = \(now)
            WHERE tenant_id = \(tenantID) AND id = \(id)
            RETURNING *
            """, requireRow: .notFound)
        guard let row = rows.first else { throw .notFound }
        return try Self.decode(row)
    }

    private func insert(_ draft: ProductDraft, id: Int64, tenantID: Int64, now: Int64) -> SQLStatement {
        """
        INSERT INTO products (tenant_id, id, sku, gtin, name, category, price_fen, units_per_case, launch_date, status, created_at, updated_at)
        VALUES (\(tenantID), \(id), \(draft.sku), \(draft.gtin.digits), \(draft.name), \(draft.category), \(draft.priceFen),
            \(draft.unitsPerCase), \(draft.launchDate), \(draft.status.rawValue), \(now), \(now))
        """
    }

    static func make(_ draft: ProductDraft, id: Int64, createdAt: Int64, updatedAt: Int64) -> Product {
        Product(
            id: id, sku: draft.sku, gtin: draft.gtin, name: draft.name, category: draft.category, priceFen: draft.priceFen,
            unitsPerCase: draft.unitsPerCase, launchDate: draft.launchDate, status: draft.status, createdAt: createdAt, updatedAt: updatedAt)
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> Product {
        guard let gtin = GTIN(try row.string("gtin")) else { throw .corruptRow("products.gtin") }
        return Product(
            id: try row.int("id"), sku: try row.string("sku"), gtin: gtin, name: try row.string("name"),
            category: try row.string("category"), priceFen: try row.int("price_fen"), unitsPerCase: try row.int("units_per_case"),
            launchDate: row.optionalString("launch_date"), status: MasterDataStatus(rawValue: try row.string("status")) ?? .inactive,
            createdAt: try row.int("created_at"), updatedAt: try row.int("updated_at"))
    }
}
