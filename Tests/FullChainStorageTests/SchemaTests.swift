import Foundation
import FullChainStorage
import Logging
import Testing

/// The schema is written once for both dialects: each landed migration keeps its text (pinned
/// in `LandedMigrations/`), and both dialects build the same tables, columns, keys and indexes.
@Suite("Schema")
struct SchemaTests {
    /// A statement as the pins hold it: SQL comments dropped, white space collapsed.
    static func normalized(_ sql: String) -> String {
        sql.split(separator: "\n")
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\t" })
            .joined(separator: " ")
    }

    /// The pinned migrations of a dialect: name → statements, in order.
    static func pinned(_ dialect: SQLDialect) throws -> [(name: String, statements: [String])] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("LandedMigrations/\(dialect == .sqlite ? "sqlite" : "postgres").sql")
        var migrations: [(name: String, statements: [String])] = []
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("-- ") {
                migrations.append((String(line.dropFirst(3)), []))
            } else if !line.isEmpty, line.hasSuffix(";"), !migrations.isEmpty {
                migrations[migrations.count - 1].statements.append(String(line.dropLast()))
            }
        }
        return migrations
    }

    @Test(arguments: [SQLDialect.sqlite, .postgres])
    func landedMigrationsKeepTheirText(_ dialect: SQLDialect) throws {
        let pinned = try Self.pinned(dialect)
        let current = SchemaSQL.migrations(for: dialect).map { ($0.name, $0.statements.map(Self.normalized)) }
        #expect(pinned.count >= (dialect == .sqlite ? 22 : 21), "the pins hold every landed migration")
        // Every landed migration is still there, in its place, with the same text.
        for (index, landed) in pinned.enumerated() {
            guard index < current.count else {
                Issue.record("landed migration \(landed.name) is gone")
                continue
            }
            #expect(current[index].0 == landed.name, "migration \(index + 1) is \(current[index].0), landed as \(landed.name)")
            #expect(current[index].1 == landed.statements, "landed migration \(landed.name) changed: add a new migration instead")
        }
        // A new migration is pinned when it lands.
        for (name, statements) in current.dropFirst(pinned.count) {
            Issue.record(
                """
                migration \(name) is not pinned: append to LandedMigrations/\(dialect == .sqlite ? "sqlite" : "postgres").sql
                -- \(name)
                \(statements.map { $0 + ";" }.joined(separator: "\n"))
                """)
        }
    }

    @Test func bothDialectsRunTheSameMigrationsButOne() {
        // Each migration runs the same statements on both, but the one that rebuilt a SQLite table.
        let sqlite = SchemaSQL.migrations(for: .sqlite)
        let postgres = Dictionary(uniqueKeysWithValues: SchemaSQL.migrations(for: .postgres).map { ($0.name, $0.statements) })
        #expect(Set(postgres.keys).isSubset(of: Set(sqlite.map(\.name))))
        for migration in sqlite {
            guard let other = postgres[migration.name] else { continue }
            #expect(other.count == migration.statements.count, "\(migration.name) runs a different number of statements")
        }
        #expect(postgres["v18_scan_events_in_time_order"] == nil, "PostgreSQL's tables have no rowid order to rebuild")
    }

    // MARK: - Live schemas

    /// A table as both databases describe it: columns (name, type class, NOT NULL), its primary
    /// key, other indexes (unique, columns) and foreign keys (columns → table).
    struct TableShape: Equatable, CustomStringConvertible {
        var columns: [String] = []
        var primaryKey: [String] = []
        var indexes: Set<String> = []
        var foreignKeys: Set<String> = []
        var description: String { "columns \(columns) pk \(primaryKey) indexes \(indexes.sorted()) fks \(foreignKeys.sorted())" }
    }

    static func typeClass(_ type: String) -> String {
        switch type.lowercased() {
        case "integer", "bigint", "smallint": "integer"
        case "real", "double precision": "real"
        case "text": "text"
        case "blob", "bytea": "blob"
        default: type.lowercased()
        }
    }

    static func sqliteShapes(_ db: SQLiteDatabase) async throws -> [String: TableShape] {
        var shapes: [String: TableShape] = [:]
        let tables = try await db.read(
            """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name
            """
        ).map { try $0.string("name") }
        for table in tables {
            var shape = TableShape()
            var keyed: [(Int64, String)] = []
            for row in try await db.read("SELECT name, type, \"notnull\" AS required, pk FROM pragma_table_info(\(table)) ORDER BY cid") {
                let name = try row.string("name")
                let pk = row.optionalInt("pk") ?? 0
                if pk > 0 { keyed.append((pk, name)) }
                let required = (row.optionalInt("required") ?? 0) == 1 || pk > 0
                shape.columns.append("\(name) \(typeClass(try row.string("type")))\(required ? " not null" : "")")
            }
            shape.primaryKey = keyed.sorted { $0.0 < $1.0 }.map(\.1)
            for index in try await db.read("SELECT name, \"unique\" AS is_unique, origin FROM pragma_index_list(\(table))")
            where try index.string("origin") != "pk" {
                let name = try index.string("name")
                let columns = try await db.read("SELECT name FROM pragma_index_info(\(name)) ORDER BY seqno").map { try $0.string("name") }
                shape.indexes.insert("\((index.optionalInt("is_unique") ?? 0) == 1 ? "unique " : "")(\(columns.joined(separator: ", ")))")
            }
            var keys: [Int64: (String, [String])] = [:]
            for key in try await db.read(
                "SELECT id, seq, \"table\" AS target, \"from\" AS source FROM pragma_foreign_key_list(\(table)) ORDER BY id, seq")
            {
                let id = try key.int("id")
                let target = try key.string("target")
                keys[id, default: (target, [])].1.append(try key.string("source"))
            }
            shape.foreignKeys = Set(keys.values.map { "(\($0.1.joined(separator: ", "))) → \($0.0)" })
            shapes[table] = shape
        }
        return shapes
    }

    static func postgresShapes(_ db: PostgresDatabase) async throws -> [String: TableShape] {
        var shapes: [String: TableShape] = [:]
        for row in try await db.read(
            """
            SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position
            """)
        {
            let required = try row.string("is_nullable") == "NO"
            shapes[try row.string("table_name"), default: TableShape()].columns
                .append("\(try row.string("column_name")) \(typeClass(try row.string("data_type")))\(required ? " not null" : "")")
        }
        for row in try await db.read(
            """
            SELECT t.relname AS table_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
                (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
            FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = current_schema() AND t.relname <> 'schema_migrations'
            """)
        {
            let table = try row.string("table_name")
            let columns = try row.string("columns")
            if row.bool("is_primary") {
                shapes[table, default: TableShape()].primaryKey = columns.components(separatedBy: ", ")
            } else {
                shapes[table, default: TableShape()].indexes.insert("\(row.bool("is_unique") ? "unique " : "")(\(columns))")
            }
        }
        for row in try await db.read(
            """
            SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS target,
                (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns
            FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
            """)
        {
            shapes[try row.string("table_name"), default: TableShape()].foreignKeys.insert(
                "(\(try row.string("columns"))) → \(try row.string("target"))")
        }
        return shapes
    }

    @Test(.enabled(if: Backend.runsPostgres, "needs FULLCHAIN_TEST_POSTGRES_URL"))
    func bothDialectsBuildTheSameTablesColumnsKeysAndIndexes() async throws {
        var sqliteShapes: [String: TableShape] = [:]
        try await withSQLitePath { path in
            sqliteShapes = try await Self.sqliteShapes(try SQLiteDatabase(path: path))
        }
        var logger = Logger(label: "fullchain.schema-tests")
        logger.logLevel = .error
        let postgres = try PostgresDatabase(url: try #require(Backend.postgresURL), logger: logger, maximumConnections: 2)
        var postgresShapes: [String: TableShape] = [:]
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await postgres.run() }
            defer { group.cancelAll() }
            try await postgres.migrate()
            postgresShapes = try await Self.postgresShapes(postgres)
        }
        // SQLite keeps scan events in time order in a rowid table (its `id`, and an index by time);
        // PostgreSQL's heap keys them by unit and scan number. Their columns are the same.
        let removedSQLite = sqliteShapes.removeValue(forKey: "scan_events")
        let removedPostgres = postgresShapes.removeValue(forKey: "scan_events")
        var sqliteEvents = try #require(removedSQLite)
        let postgresEvents = try #require(removedPostgres)
        #expect(sqliteEvents.columns.first == "id integer not null" && sqliteEvents.primaryKey == ["id"])
        sqliteEvents.columns.removeFirst()
        #expect(sqliteEvents.columns == postgresEvents.columns)
        #expect(postgresEvents.primaryKey == ["tenant_id", "batch_id", "serial", "scan_number"])
        #expect(sqliteShapes.count >= 30)
        #expect(Set(sqliteShapes.keys) == Set(postgresShapes.keys))
        for table in sqliteShapes.keys.sorted() {
            #expect(
                sqliteShapes[table] == postgresShapes[table],
                "\(table):\nSQLite     \(String(describing: sqliteShapes[table]))\nPostgreSQL \(String(describing: postgresShapes[table]))")
        }
    }
}
