public import FullChainCore

/// A tenant's code key as stored: sealed under the deployment's master key, never in clear.
public struct StoredCodeKey: Sendable, Equatable {
    public var tenantID: Int64
    public var keyID: UInt32
    /// The AES-GCM sealed box (nonce, ciphertext, tag), base64.
    public var sealedKey: String
    public var createdAt: Int64
    public var retiredAt: Int64?
}

/// Code keys and code batches. Keys are numbered across the deployment (a code names its key,
/// and so its tenant); batches are numbered within the tenant.
public protocol CodeRepository: Sendable {
    /// Stores a new key for the tenant under the next free key id.
    func createKey(tenantID: Int64, sealedKey: String) async throws(StorageError) -> StoredCodeKey
    /// Stores the sealed form of a key made by `createKey` (the seal is bound to the key id).
    func sealKey(keyID: UInt32, tenantID: Int64, sealedKey: String) async throws(StorageError)
    /// Every key of every tenant: what the server's key ring holds in memory.
    func allKeys() async throws(StorageError) -> [StoredCodeKey]
    func createBatch(
        productID: Int64, lot: String, quantity: Int, unitsPerCase: Int, keyID: UInt32, tenantID: Int64
    ) async throws(StorageError) -> CodeBatch
    func batch(id: Int64, tenantID: Int64) async throws(StorageError) -> CodeBatch?
    func batches(_ query: ListQuery, productID: Int64?, tenantID: Int64) async throws(StorageError) -> Page<CodeBatch>
    /// A product's batches (with this lot, when given), oldest first: what a GS1 Digital Link names.
    func batches(productID: Int64, lot: String?, tenantID: Int64) async throws(StorageError) -> [CodeBatch]
    /// Records an activation or voiding of the batch's cases `cases`.
    func recordRangeAction(
        _ action: CodeRangeAction.Action, cases: ClosedRange<Int>, batchID: Int64, tenantID: Int64
    ) async throws(StorageError) -> CodeRangeAction
    /// The batch's range actions, oldest first.
    func rangeActions(batchID: Int64, tenantID: Int64) async throws(StorageError) -> [CodeRangeAction]
}

struct SQLCodeRepository: CodeRepository {
    let db: any SQLDatabase

    /// Key ids come from one sequence for the whole deployment (tenant 0).
    static let keySequenceTenant: Int64 = 0

    func createKey(tenantID: Int64, sealedKey: String) async throws(StorageError) -> StoredCodeKey {
        let keyID = try await db.allocateIDs("code_keys", tenantID: Self.keySequenceTenant)
        guard keyID >= 1, keyID <= Int64(ScanCode.maxKeyID) else { throw .exhausted("no code key ids left") }
        let now = currentMillis()
        try await db.execute(
            """
            INSERT INTO code_keys (tenant_id, key_id, sealed_key, created_at) VALUES (\(tenantID), \(keyID), \(sealedKey), \(now))
            """)
        return StoredCodeKey(tenantID: tenantID, keyID: UInt32(keyID), sealedKey: sealedKey, createdAt: now, retiredAt: nil)
    }

    func sealKey(keyID: UInt32, tenantID: Int64, sealedKey: String) async throws(StorageError) {
        try await db.execute(
            """
            UPDATE code_keys SET sealed_key = \(sealedKey) WHERE tenant_id = \(tenantID) AND key_id = \(Int64(keyID)) RETURNING key_id
            """, requireRow: .notFound)
    }

    func allKeys() async throws(StorageError) -> [StoredCodeKey] {
        try await db.read("SELECT * FROM code_keys ORDER BY key_id").map { (row) throws(StorageError) -> StoredCodeKey in
            StoredCodeKey(
                tenantID: try row.int("tenant_id"), keyID: UInt32(truncatingIfNeeded: try row.int("key_id")),
                sealedKey: try row.string("sealed_key"), createdAt: try row.int("created_at"), retiredAt: row.optionalInt("retired_at"))
        }
    }

    func createBatch(
        productID: Int64, lot: String, quantity: Int, unitsPerCase: Int, keyID: UInt32, tenantID: Int64
    ) async throws(StorageError) -> CodeBatch {
        let id = try await db.allocateIDs("code_batches", tenantID: tenantID)
        guard id <= Int64(ScanCode.maxBatch) else { throw .exhausted("the brand has used every batch number") }
        let now = currentMillis()
        try await db.execute(
            """
            INSERT INTO code_batches (tenant_id, id, product_id, lot, quantity, units_per_case, key_id, created_at)
            SELECT \(tenantID), \(id), p.id, \(lot), \(Int64(quantity)), \(Int64(unitsPerCase)), \(Int64(keyID)), \(now)
            FROM products p WHERE p.tenant_id = \(tenantID) AND p.id = \(productID)
            RETURNING id
            """, requireRow: .missingReference("productID"))
        return CodeBatch(id: id, productID: productID, lot: lot, quantity: quantity, unitsPerCase: unitsPerCase, keyID: keyID, createdAt: now)
    }

    func batch(id: Int64, tenantID: Int64) async throws(StorageError) -> CodeBatch? {
        try await db.read("SELECT * FROM code_batches WHERE tenant_id = \(tenantID) AND id = \(id)").first.map(Self.decode)
    }

    func batches(_ query: ListQuery, productID: Int64?, tenantID: Int64) async throws(StorageError) -> Page<CodeBatch> {
        var conditions: [SQLStatement] = ["tenant_id = \(tenantID)"]
        if let productID { conditions.append("product_id = \(productID)") }
        if let search = query.search { conditions.append("lot\(ScopeSQL.like)\(ScopeSQL.containsPattern(search)) ESCAPE '\\'") }
        let whereClause = SQLStatement.join(conditions, separator: " AND ")
        let rows = try await db.read("SELECT * FROM code_batches WHERE \(whereClause) ORDER BY id DESC LIMIT \(query.limit) OFFSET \(query.offset)")
        let count = try await db.read("SELECT COUNT(*) AS n FROM code_batches WHERE \(whereClause)")
        return Page(items: try rows.map(Self.decode), total: Int(count.first?.optionalInt("n") ?? 0), limit: query.limit, offset: query.offset)
    }

    func batches(productID: Int64, lot: String?, tenantID: Int64) async throws(StorageError) -> [CodeBatch] {
        let lotCondition: SQLStatement = lot.map { "AND lot = \($0)" } ?? ""
        return try await db.read(
            """
            SELECT * FROM code_batches WHERE tenant_id = \(tenantID) AND product_id = \(productID) \(lotCondition) ORDER BY id LIMIT 1000
            """
        ).map(Self.decode)
    }

    func recordRangeAction(
        _ action: CodeRangeAction.Action, cases: ClosedRange<Int>, batchID: Int64, tenantID: Int64
    ) async throws(StorageError) -> CodeRangeAction {
        let id = try await db.allocateIDs("code_range_actions", tenantID: tenantID)
        let now = currentMillis()
        try await db.execute(
            """
            INSERT INTO code_range_actions (tenant_id, batch_id, id, action, first_case, last_case, created_at)
            SELECT b.tenant_id, b.id, \(id), \(action.rawValue), \(Int64(cases.lowerBound)), \(Int64(cases.upperBound)), \(now)
            FROM code_batches b WHERE b.tenant_id = \(tenantID) AND b.id = \(batchID)
            RETURNING id
            """, requireRow: .notFound)
        return CodeRangeAction(id: id, action: action, firstCase: cases.lowerBound, lastCase: cases.upperBound, createdAt: now)
    }

    func rangeActions(batchID: Int64, tenantID: Int64) async throws(StorageError) -> [CodeRangeAction] {
        try await db.read("SELECT * FROM code_range_actions WHERE tenant_id = \(tenantID) AND batch_id = \(batchID) ORDER BY id").map {
            (row) throws(StorageError) -> CodeRangeAction in
            guard let action = CodeRangeAction.Action(rawValue: try row.string("action")) else { throw .corruptRow("code_range_actions.action") }
            return CodeRangeAction(
                id: try row.int("id"), action: action, firstCase: Int(try row.int("first_case")), lastCase: Int(try row.int("last_case")),
                createdAt: try row.int("created_at"))
        }
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> CodeBatch {
        CodeBatch(
            id: try row.int("id"), productID: try row.int("product_id"), lot: try row.string("lot"), quantity: Int(try row.int("quantity")),
            unitsPerCase: Int(try row.int("units_per_case")), keyID: UInt32(truncatingIfNeeded: try row.int("key_id")),
            createdAt: try row.int("created_at"))
    }
}
