public import FullChainCore

/// One spreadsheet import: what was sent and what came of it.
public struct ImportRun: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var fileName: String
    public var format: String
    public var userID: Int64
    public var totalRows: Int
    public var importedRows: Int
    public var errorCount: Int
    /// The per-row error report as JSON (`[{"row":…,"column":…,"code":…,"message":…}]`).
    public var errorsJSON: String
    public var createdAt: Int64

    public init(
        id: Int64, kind: String, fileName: String, format: String, userID: Int64, totalRows: Int, importedRows: Int, errorCount: Int,
        errorsJSON: String, createdAt: Int64
    ) {
        self.id = id
        self.kind = kind
        self.fileName = fileName
        self.format = format
        self.userID = userID
        self.totalRows = totalRows
        self.importedRows = importedRows
        self.errorCount = errorCount
        self.errorsJSON = errorsJSON
        self.createdAt = createdAt
    }
}

/// The history of imports, scoped like the org.
public protocol ImportRunRepository: Sendable {
    func record(_ run: ImportRun, orgPath: String, tenantID: Int64) async throws(StorageError) -> ImportRun
    func list(_ query: ListQuery, scope: AccessScope) async throws(StorageError) -> Page<ImportRun>
    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> ImportRun?
}

struct SQLImportRunRepository: ImportRunRepository {
    let db: any SQLDatabase

    func record(_ run: ImportRun, orgPath: String, tenantID: Int64) async throws(StorageError) -> ImportRun {
        var saved = run
        saved.id = try await db.allocateIDs("import_runs", tenantID: tenantID)
        try await db.execute(
            """
            INSERT INTO import_runs (tenant_id, id, kind, file_name, format, user_id, org_path, total_rows, imported_rows, error_count, errors_json, created_at)
            VALUES (\(tenantID), \(saved.id), \(run.kind), \(run.fileName), \(run.format), \(run.userID), \(orgPath), \(run.totalRows),
                \(run.importedRows), \(run.errorCount), \(run.errorsJSON), \(run.createdAt))
            """)
        return saved
    }

    func list(_ query: ListQuery, scope: AccessScope) async throws(StorageError) -> Page<ImportRun> {
        let rows = try await db.read(
            """
            SELECT r.* FROM import_runs r WHERE \(ScopeSQL.importRuns(scope)) ORDER BY r.id DESC LIMIT \(query.limit) OFFSET \(query.offset)
            """)
        let count = try await db.read("SELECT COUNT(*) AS n FROM import_runs r WHERE \(ScopeSQL.importRuns(scope))")
        return Page(items: try rows.map(Self.decode), total: Int(count.first?.optionalInt("n") ?? 0), limit: query.limit, offset: query.offset)
    }

    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> ImportRun? {
        try await db.read("SELECT r.* FROM import_runs r WHERE \(ScopeSQL.importRuns(scope)) AND r.id = \(id)").first.map(Self.decode)
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> ImportRun {
        ImportRun(
            id: try row.int("id"), kind: try row.string("kind"), fileName: try row.string("file_name"), format: try row.string("format"),
            userID: try row.int("user_id"), totalRows: Int(try row.int("total_rows")), importedRows: Int(try row.int("imported_rows")),
            errorCount: Int(try row.int("error_count")), errorsJSON: try row.string("errors_json"), createdAt: try row.int("created_at"))
    }
}
