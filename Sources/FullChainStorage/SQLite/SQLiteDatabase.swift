import Foundation
import GRDB

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

    public func transaction(phases next: @escaping @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep]) async throws(StorageError) -> [[SQLRow]] {
        do {
            return try await pool.write { db in
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
        } catch {
            throw SQLiteDatabase.storageError(error)
        }
    }

    private struct StepFailed: Error { var error: StorageError }

    static func fetch(_ db: Database, sql: String, values: [SQLValue]) throws -> [SQLRow] {
        let arguments = StatementArguments(values.map(\.databaseValue))
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        var rows: [SQLRow] = []
        var columns: [String: Int]?
        while let row = try cursor.next() {
            let names = columns ?? Dictionary(row.columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            columns = names
            rows.append(SQLRow(columns: names, values: row.databaseValues.map(SQLValue.init)))
        }
        return rows
    }

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

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let v): self = .integer(v)
        case .double(let v): self = .real(v)
        case .string(let v): self = .text(v)
        case .blob(let data): self = .text(String(decoding: data, as: UTF8.self))
        }
    }
}
