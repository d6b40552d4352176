import Foundation
public import Logging
import NIOCore
import PostgresNIO
public import ServiceLifecycle

/// The scale-out backend: several stateless server nodes share one PostgreSQL.
/// Its connection pool is a long-lived service: run it in the application's `ServiceGroup`.
public final class PostgresDatabase: SQLDatabase, Service {
    public let dialect = SQLDialect.postgres
    let client: PostgresClient
    let logger: Logger

    /// Connects lazily to the server named by a `postgres://user[:password]@host[:port]/database` URL.
    public init(url: String, logger: Logger, maximumConnections: Int = 20) throws(StorageError) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw .unavailable("not a postgres:// URL")
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: String(components.path.drop(while: { $0 == "/" })).nilIfEmpty,
            tls: .disable
        )
        configuration.options.maximumConnections = maximumConnections
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// Runs the connection pool until the service group shuts down.
    public func run() async throws {
        await client.run()
    }

    /// Brings the schema up to date; safe when several nodes start at once (advisory lock).
    /// The names of the schema's migrations, oldest first.
    public static var migrationNames: [String] { Schema.migrations(for: .postgres).map(\.name) }

    public func migrate() async throws(StorageError) {
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(727274)", logger: self.logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)", logger: self.logger)
                var applied = Set<String>()
                for try await name in try await connection.query("SELECT name FROM schema_migrations", logger: self.logger).decode(String.self) {
                    applied.insert(name)
                }
                for migration in Schema.migrations(for: .postgres) where !applied.contains(migration.name) {
                    for statement in migration.statements {
                        try await connection.query(PostgresDatabase.postgresQuery(statement), logger: self.logger)
                    }
                    let name = migration.name
                    let now = currentMillis()
                    try await connection.query("INSERT INTO schema_migrations (name, applied_at) VALUES (\(name), \(now))", logger: self.logger)
                }
            }
        } catch {
            throw PostgresDatabase.storageError(error)
        }
    }

    public func read(_ statement: SQLStatement) async throws(StorageError) -> [SQLRow] {
        do {
            let rows = try await client.query(PostgresDatabase.postgresQuery(statement), logger: logger)
            return try await PostgresDatabase.collect(rows)
        } catch {
            throw PostgresDatabase.storageError(error)
        }
    }

    public func transaction(_ steps: [SQLStep]) async throws(StorageError) -> [[SQLRow]] {
        let queries = steps.map { (PostgresDatabase.postgresQuery($0.statement), $0.requireRow) }
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var results: [[SQLRow]] = []
                for (query, requireRow) in queries {
                    let rows = try await PostgresDatabase.collect(connection.query(query, logger: self.logger))
                    if let requireRow, rows.isEmpty { throw StepFailed(error: requireRow) }
                    results.append(rows)
                }
                return results
            }
        } catch {
            throw PostgresDatabase.storageError(error)
        }
    }

    public func transaction(phases next: @escaping @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep]) async throws(StorageError) -> [[SQLRow]]
    {
        // Writers that lock rows in an order decided by what they read may meet head-on; the
        // server then cancels one of them, which runs again from the start.
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    var results: [[SQLRow]] = []
                    while true {
                        let steps = try next(results)
                        if steps.isEmpty { return results }
                        for step in steps {
                            let rows = try await PostgresDatabase.collect(
                                connection.query(PostgresDatabase.postgresQuery(step.statement), logger: self.logger))
                            if let requireRow = step.requireRow, rows.isEmpty { throw StepFailed(error: requireRow) }
                            results.append(rows)
                        }
                    }
                }
            } catch {
                if attempt < 5, PostgresDatabase.mayRetry(error) {
                    logger.debug("transaction retried", metadata: ["attempt": "\(attempt)"])
                    continue
                }
                throw PostgresDatabase.storageError(error)
            }
        }
    }

    /// Whether the server cancelled the transaction for a deadlock or a serialization conflict.
    static func mayRetry(_ error: any Error) -> Bool {
        if let transaction = error as? PostgresTransactionError, let closureError = transaction.closureError { return mayRetry(closureError) }
        guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    private struct StepFailed: Error { var error: StorageError }

    /// The statement as a PostgresNIO query. Its text holds only literals from this module's
    /// source (`SQLStatement` accepts no other text); every value travels as a bound parameter.
    static func postgresQuery(_ statement: SQLStatement) -> PostgresQuery {
        let (sql, values) = statement.rendered(for: .postgres)
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: binds.appendNull()
            case .integer(let v): binds.append(v)
            case .real(let v): binds.append(v)
            case .text(let v): binds.append(v)
            case .blob(let v): binds.append(ByteBuffer(bytes: v))
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    static func collect(_ sequence: PostgresRowSequence) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        var columns: [String: Int]?
        for try await row in sequence {
            var values: [SQLValue] = []
            var names: [String: Int] = columns ?? [:]
            for (index, cell) in row.enumerated() {
                if columns == nil, names[cell.columnName] == nil { names[cell.columnName] = index }
                values.append(try value(of: cell))
            }
            columns = names
            rows.append(SQLRow(columns: names, values: values))
        }
        return rows
    }

    static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8: return .integer(try cell.decode(Int64.self))
        case .int4: return .integer(Int64(try cell.decode(Int32.self)))
        case .int2: return .integer(Int64(try cell.decode(Int16.self)))
        case .float8: return .real(try cell.decode(Double.self))
        case .float4: return .real(Double(try cell.decode(Float.self)))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(cell.bytes.map { Array($0.readableBytesView) } ?? [])
        case .numeric:
            let text = try cell.decode(String.self)
            if let int = Int64(text) { return .integer(int) }
            return .real(Double(text) ?? 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    static func storageError(_ error: any Error) -> StorageError {
        if let failed = error as? StepFailed { return failed.error }
        if let storage = error as? StorageError { return storage }
        if let transaction = error as? PostgresTransactionError {
            if let closureError = transaction.closureError { return storageError(closureError) }
            return .unavailable(
                "PostgreSQL transaction: \(String(describing: transaction.beginError ?? transaction.commitError ?? transaction.rollbackError))")
        }
        if let psql = error as? PSQLError {
            let state = psql.serverInfo?[.sqlState]
            let detail = psql.serverInfo?[.constraintName] ?? psql.serverInfo?[.message] ?? ""
            switch state {
            case "23505": return .duplicate(detail)
            case "23503": return .missingReference(detail)
            default: return .unavailable("PostgreSQL \(state ?? "-"): \(psql.serverInfo?[.message] ?? String(describing: psql.code))")
            }
        }
        return .unavailable("\(error)")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
