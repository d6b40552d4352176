import GRDB

/// The schema's migrations as GRDB runs them on SQLite (the migrations themselves are `Schema`'s).
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Schema.migrations(for: .sqlite) {
            let statements = migration.statements.map { $0.rendered(for: .sqlite).sql }
            migrator.registerMigration(migration.name) { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }
        return migrator
    }
}
