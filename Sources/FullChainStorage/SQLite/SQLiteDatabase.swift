import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The embedded backend: one SQLite file in WAL mode, many readers and one writer (GRDB `DatabasePool`).
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    let pool: DatabasePool

    /// Opens (creating if needed) the file at `path` and migrates it to the current schema.
    public init(path: String) throws(StorageError) {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 8
        configuration.prepareDatabase { db in
            // WAL with NORMAL sync: a commit survives the process being killed; the OS keeps what it was handed.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A 64 MiB page cache per connection: the writer keeps the hot index pages of scans and rollups
            // instead of reading them back from the OS for every group commit.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // The writer keeps statement journals in memory: a many-row statement inside a group
            // commit journals the pages it changes, and on disk that is a temporary file created,
            // written and deleted for every batch. (Sorts still spill to temporary files.)
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA temp_store = MEMORY") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            throw StorageError.unavailable("cannot open SQLite database: \(error)")
        }
    }

    public func read(_ statement: SQLStatement) async throws(StorageError) -> [SQLRow] {
        let (sql, values) = statement.rendered(for: .sqlite)
        do {
            return try await pool.read { db in try SQLiteDatabase.fetch(db, sql: sql, values: values) }
        } catch {
            throw SQLiteDatabase.storageError(error)
        }
    }

    public func transaction(_ steps: [SQLStep]) async throws(StorageError) -> [[SQLRow]] {
        let rendered = steps.map { ($0.statement.rendered(for: .sqlite), $0.requireRow) }
        do {
            return try await pool.write { db in
                var results: [[SQLRow]] = []
                results.reserveCapacity(rendered.count)
                for ((sql, values), requireRow) in rendered {
                    let rows = try SQLiteDatabase.fetch(db, sql: sql, values: values)
                    if let requireRow, rows.isEmpty { throw StepFailed(error: requireRow) }
                    results.append(rows)
                }
                return results
            }
        } catch {
            throw SQLiteDatabase.storageError(error)
        }
    }

    public func transaction(phases next: @escaping @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep]) async throws(StorageError) -> [[SQLRow]]
    {
        do {
            return try await pool.write { db in try SQLiteDatabase.run(phases: next, in: db) }
        } catch {
            throw SQLiteDatabase.storageError(error)
        }
    }

    /// How many durable transactions committed with `synchronous = FULL` in effect (read back
    /// inside the transaction), so tests can see that the setting held for those writes.
    public var fullSyncCommits: Int { fullSyncCommitCount.load(ordering: .relaxed) }
    private let fullSyncCommitCount = Atomic<Int>(0)

    /// The writer connection switches to `synchronous = FULL` for this transaction (the WAL is
    /// synced at its commit, so the commit survives power loss, not only a crash of the
    /// process), then back to NORMAL. The setting can only change outside a transaction.
    public func durableTransaction(
        phases next: @escaping @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep]
    ) async throws(StorageError) -> [[SQLRow]] {
        do {
            let (results, level) = try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
                var outcome: ([[SQLRow]], Int64)?
                try db.inTransaction(.immediate) {
                    let level = try Int64.fetchOne(db, sql: "PRAGMA synchronous") ?? 0
                    outcome = (try SQLiteDatabase.run(phases: next, in: db), level)
                    return .commit
                }
                guard let outcome else { throw StorageError.unavailable("SQLite: durable transaction did not run") }
                return outcome
            }
            // 2 is FULL.
            if level == 2 { fullSyncCommitCount.add(1, ordering: .relaxed) }
            return results
        } catch {
            throw SQLiteDatabase.storageError(error)
        }
    }

    /// Runs phases of steps on a connection inside a transaction.
    private static func run(phases next: @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep], in db: Database) throws -> [[SQLRow]] {
        var results: [[SQLRow]] = []
        while true {
            let steps = try next(results)
            if steps.isEmpty { return results }
            for step in steps {
                let (sql, values) = step.statement.rendered(for: .sqlite)
                let rows = try SQLiteDatabase.fetch(db, sql: sql, values: values)
                if let requireRow = step.requireRow, rows.isEmpty { throw StepFailed(error: requireRow) }
                results.append(rows)
            }
        }
    }

    private struct StepFailed: Error { var error: StorageError }

    /// Runs one statement (prepared once per SQL text) and reads its rows. Values are bound and
    /// columns read with SQLite's own calls: the scan writer runs several statements of hundreds
    /// of values each per group commit, and GRDB's argument and row types copy every value twice.
    static func fetch(_ db: Database, sql: String, values: [SQLValue]) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql).sqliteStatement
        func failure(_ code: CInt) -> DatabaseError {
            DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
        }
        // Every parameter is bound below.
        sqlite3_reset(statement)
        // Leave the statement as GRDB expects a cached one: reset, with nothing bound.
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        guard Int(sqlite3_bind_parameter_count(statement)) == values.count else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(values.count) values for the statement's parameters", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = CInt(offset + 1)
            let code =
                switch value {
                case .null: sqlite3_bind_null(statement, index)
                case .integer(let number): sqlite3_bind_int64(statement, index, number)
                case .real(let number): sqlite3_bind_double(statement, index, number)
                case .text(let text): sqlite3_bind_text(statement, index, text, -1, transientText)
                case .blob(let bytes): bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, CInt($0.count), transientText) }
                }
            guard code == SQLITE_OK else { throw failure(code) }
        }
        var rows: [SQLRow] = []
        var columns: [String: Int]?
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw failure(code) }
            let count = sqlite3_column_count(statement)
            let names =
                columns
                ?? Dictionary(
                    (0..<count).map { (String(cString: sqlite3_column_name(statement, $0)), Int($0)) },
                    uniquingKeysWith: { first, _ in first })
            columns = names
            var values: [SQLValue] = []
            values.reserveCapacity(Int(count))
            for column in 0..<count {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_NULL: values.append(.null)
                case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(statement, column)))
                case SQLITE_BLOB:
                    let bytes = sqlite3_column_blob(statement, column)
                    let length = Int(sqlite3_column_bytes(statement, column))
                    values.append(.blob(Array(UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : length))))
                default:
                    let bytes = sqlite3_column_blob(statement, column)
                    let length = Int(sqlite3_column_bytes(statement, column))
                    let buffer = UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : length)
                    values.append(.text(String(decoding: buffer, as: UTF8.self)))
                }
            }
            rows.append(SQLRow(columns: names, values: values))
        }
    }

    /// SQLite copies bound text and bytes (`SQLITE_TRANSIENT`).
    private static let transientText = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    static func storageError(_ error: any Error) -> StorageError {
        if let failed = error as? StepFailed { return failed.error }
        if let storage = error as? StorageError { return storage }
        if let db = error as? DatabaseError {
            switch db.extendedResultCode {
            case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
                return .duplicate(db.message ?? "unique constraint")
            case .SQLITE_CONSTRAINT_FOREIGNKEY:
                return .missingReference(db.message ?? "foreign key")
            default:
                return .unavailable("SQLite: \(db.resultCode) \(db.message ?? "")")
            }
        }
        return .unavailable("\(error)")
    }
}
