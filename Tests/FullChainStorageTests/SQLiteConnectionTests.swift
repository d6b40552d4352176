import FullChainStorage
import Testing

/// How the embedded backend sets up its connections.
@Suite("SQLite connections")
struct SQLiteConnectionTests {
    @Test func theWriterJournalsStatementsInMemoryAndReadersKeepTheDefault() async throws {
        try await withSQLitePath { path in
            let database = try SQLiteDatabase(path: path)
            // 2 is MEMORY, 0 the default (temporary files).
            let writer = try await database.transaction([SQLStep("PRAGMA temp_store")]).first?.first?.optionalInt("temp_store")
            let reader = try await database.read("PRAGMA temp_store").first?.optionalInt("temp_store")
            #expect(writer == 2)
            #expect(reader == 0)
            // A many-row statement that fails part way leaves nothing written (its journal was in memory).
            try await database.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            try await database.execute("INSERT INTO notes (id, body) VALUES (1, 'kept')")
            await #expect(throws: StorageError.self) {
                try await database.transaction([SQLStep("INSERT INTO notes (id, body) VALUES (2, 'new'), (3, 'new'), (1, 'clash')")])
            }
            let rows = try await database.read("SELECT COUNT(*) AS n FROM notes").first?.optionalInt("n")
            #expect(rows == 1)
        }
    }
}
