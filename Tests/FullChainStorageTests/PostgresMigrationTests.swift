import Foundation
import FullChainCore
import FullChainStorage
import Logging
import Testing

/// Several `serve` nodes may start at once against one PostgreSQL: migrations take an
/// advisory lock, so they apply once and every node ends up on the same schema.
@Suite("PostgreSQL migrations")
struct PostgresMigrationTests {
    static var adminURL: String? {
        guard let url = ProcessInfo.processInfo.environment["FULLCHAIN_TEST_POSTGRES_ADMIN_URL"], !url.isEmpty else { return nil }
        return url
    }

    @Test(.enabled(if: adminURL != nil || Backend.postgresExpected, "needs FULLCHAIN_TEST_POSTGRES_ADMIN_URL"))
    func nodesStartingTogetherMigrateOnce() async throws {
        var logger = Logger(label: "fullchain.migration-tests")
        logger.logLevel = .error
        let adminURL = try #require(Self.adminURL)
        let admin = try PostgresDatabase(url: adminURL, logger: logger, maximumConnections: 2)
        let base = try #require(adminURL.range(of: "/", options: .backwards).map { adminURL[..<$0.lowerBound] })
        let freshURL = String(base) + "/fullchain_migration_test"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await admin.run() }
            defer { group.cancelAll() }
            _ = try await admin.read("DROP DATABASE IF EXISTS fullchain_migration_test")
            _ = try await admin.read("CREATE DATABASE fullchain_migration_test")

            let nodes = try (0..<4).map { _ in try PostgresDatabase(url: freshURL, logger: logger, maximumConnections: 2) }
            try await withThrowingTaskGroup(of: Void.self) { pools in
                for node in nodes { pools.addTask { try await node.run() } }
                defer { pools.cancelAll() }
                try await withThrowingTaskGroup(of: Void.self) { starts in
                    for node in nodes { starts.addTask { try await node.migrate() } }
                    try await starts.waitForAll()
                }
                let applied = try await nodes[0].read("SELECT name FROM schema_migrations ORDER BY name")
                #expect(try applied.map { try $0.string("name") } == PostgresDatabase.migrationNames.sorted())
                // Every node works on the shared schema.
                let tenant = try await AppStorage(database: nodes[1]).tenants.create(code: "migrated", name: "Migrated", timeZone: "Asia/Shanghai")
                #expect(try await AppStorage(database: nodes[2]).tenants.find(code: "migrated")?.id == tenant.id)
            }
            _ = try await admin.read("DROP DATABASE IF EXISTS fullchain_migration_test WITH (FORCE)")
        }
    }
}
