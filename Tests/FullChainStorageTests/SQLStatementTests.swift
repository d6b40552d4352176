import FullChainStorage
import Testing

/// A statement's text and values as each dialect receives them.
@Suite("SQL statements")
struct SQLStatementTests {
    @Test func rendersPlaceholdersInOrderForEachDialect() {
        let rows = (1...11).map { number -> SQLStatement in "(\(Int64(number)), \("第\(number)"))" }
        let statement: SQLStatement =
            "INSERT INTO notes (id, body) VALUES \(SQLStatement.join(rows, separator: ", "))"
            + .dialect(sqlite: " ON CONFLICT DO NOTHING", postgres: " ON CONFLICT (id) DO NOTHING RETURNING \(Int64(99)) AS marker")
        let sqlite = statement.rendered(for: .sqlite)
        let postgres = statement.rendered(for: .postgres)
        #expect(sqlite.sql.hasPrefix("INSERT INTO notes (id, body) VALUES (?, ?), (?, ?), "))
        #expect(sqlite.sql.hasSuffix("(?, ?) ON CONFLICT DO NOTHING"))
        #expect(sqlite.values.count == 22)
        #expect(postgres.sql.hasPrefix("INSERT INTO notes (id, body) VALUES ($1, $2), ($3, $4), "))
        #expect(postgres.sql.hasSuffix("($21, $22) ON CONFLICT (id) DO NOTHING RETURNING $23 AS marker"))
        #expect(postgres.values.count == 23)
        #expect(sqlite.values[0] == .integer(1) && sqlite.values[1] == .text("第1"))
        #expect(postgres.values[21] == .text("第11") && postgres.values[22] == .integer(99))
        #expect(Array(postgres.values.prefix(22)) == sqlite.values)
    }
}
