import Foundation
import FullChainStorage
import Testing

/// The checkpointer copies the log into the database file off the commit path, keeps the log
/// from growing without end, and gives the writer its own checkpoints back when it stops.
@Suite("SQLite checkpointer")
struct SQLiteCheckpointerTests {
    @Test func checkpointsOffTheWriterAndKeepsTheLogShort() async throws {
        try await withSQLitePath { path in
            let database = try SQLiteDatabase(path: path)
            try await database.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            let body = String(repeating: "x", count: 3_000)
            let rows = 3_000
            // A second server on the same file, with a checkpointer of its own: their checkpoints meet.
            let other = try SQLiteDatabase(path: path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await SQLiteCheckpointer(database: database, interval: .milliseconds(5), restartFrames: 300).run() }
                group.addTask { try await SQLiteCheckpointer(database: other, interval: .milliseconds(1), restartFrames: 300).run() }
                // The writer leaves checkpoints to the service while it runs.
                var writerPages: Int64?
                for _ in 0..<200 where writerPages != 0 {
                    try await Task.sleep(for: .milliseconds(5))
                    writerPages = try await database.transaction([SQLStep("PRAGMA wal_autocheckpoint")]).first?.first?.optionalInt(
                        "wal_autocheckpoint")
                }
                #expect(writerPages == 0)
                for id in 0..<rows {
                    try await (id % 2 == 0 ? database : other).execute("INSERT INTO filler (id, body) VALUES (\(Int64(id)), \(body))")
                }
                try await Task.sleep(for: .milliseconds(100))
                group.cancelAll()
                try await group.waitForAll() // neither checkpointer gave up
            }
            let written = Int64(rows * body.utf8.count)
            let size = { (file: String) in (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0 }
            // The pages reached the database file, and the log was started over rather than holding them all.
            #expect(size(path) > written)
            #expect(size(path + "-wal") < written / 2)
            let count = try await database.read("SELECT COUNT(*) AS n FROM filler").first?.optionalInt("n")
            #expect(count == Int64(rows))
            let writerPages = try await database.transaction([SQLStep("PRAGMA wal_autocheckpoint")]).first?.first?.optionalInt("wal_autocheckpoint")
            #expect(writerPages == 1_000, "the writer checkpoints for itself again once the service stopped")
        }
    }
}
