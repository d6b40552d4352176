import Foundation
import GRDB

/// The schema's migrations as GRDB runs them on SQLite (the migrations themselves are `Schema`'s).
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Schema.migrations(for: .sqlite) {
            let statements = migration.statements.map { $0.rendered(for: .sqlite).sql }
            migrator.registerMigration(migration.name) { db in
                db.add(function: unbase64)
                for statement in statements { try db.execute(sql: statement) }
            }
        }
        return migrator
    }

    /// `fullchain_unbase64(text)`: the bytes a base64 text holds (SQLite has no such function);
    /// NULL for NULL, an error for text that is not base64.
    static let unbase64 = DatabaseFunction("fullchain_unbase64", argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]) else { return nil }
        guard let data = Data(base64Encoded: text) else { throw DatabaseError(message: "fullchain_unbase64: not base64") }
        return data
    }
}
