public import FullChainStorage
public import Logging
public import ServiceLifecycle

/// The opened database and the long-lived services it needs (PostgreSQL's connection pool).
public struct OpenedStorage: Sendable {
    public var storage: AppStorage
    public var services: [any Service]
    /// Work to finish before serving (PostgreSQL migrations, which need the pool running).
    public var prepare: @Sendable () async throws -> Void

    public init(storage: AppStorage, services: [any Service], prepare: @escaping @Sendable () async throws -> Void) {
        self.storage = storage
        self.services = services
        self.prepare = prepare
    }
}

/// Opens the configured database: SQLite is migrated at once; PostgreSQL when its pool runs.
public func openStorage(_ database: AppConfiguration.Database, logger: Logger) throws -> OpenedStorage {
    switch database {
    case .sqlite(let path):
        let db = try SQLiteDatabase(path: path)
        return OpenedStorage(storage: AppStorage(database: db), services: [SQLiteCheckpointer(database: db)], prepare: {})
    case .postgres(let url):
        let db = try PostgresDatabase(url: url, logger: logger)
        return OpenedStorage(storage: AppStorage(database: db), services: [db], prepare: { try await db.migrate() })
    }
}
