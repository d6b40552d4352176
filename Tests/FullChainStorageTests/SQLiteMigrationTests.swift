import Foundation
import GRDB
import Testing

@testable import FullChainStorage

/// Landed SQLite databases keep their rows through later migrations.
@Suite("SQLite migrations")
struct SQLiteMigrationTests {
    @Test func scanEventsMoveIntoTimeOrderAndAreFoundByTime() throws {
        let queue = try DatabaseQueue()
        try SQLiteSchema.migrator.migrate(queue, upTo: "v17_store_alert_feed")
        try queue.write { db in
            for (serial, at) in [(3, 300), (1, 100), (2, 200)] {
                try db.execute(
                    sql: """
                        INSERT INTO scan_events (tenant_id, batch_id, serial, scan_number, scanned_at, device_id, consumer, status)
                        VALUES (1, 9, ?, 1, ?, 'd', 'phone:1', 'active')
                        """, arguments: [serial, at])
            }
        }
        try SQLiteSchema.migrator.migrate(queue)
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT serial, scanned_at, device_id, consumer FROM scan_events ORDER BY id") }
        #expect(rows.map { $0["serial"] as Int } == [1, 2, 3])
        #expect(rows.map { $0["scanned_at"] as Int } == [100, 200, 300])
        #expect(rows.allSatisfy { ($0["device_id"] as String) == "d" && ($0["consumer"] as String) == "phone:1" })
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM scan_events WHERE tenant_id = 1 AND scanned_at >= 150 AND scanned_at < 250")
        }
        #expect(plan.contains { ($0["detail"] as String).contains("scan_events_time") })
    }

    @Test func visitPhotosBecomeBytes() throws {
        let queue = try DatabaseQueue()
        try SQLiteSchema.migrator.migrate(queue, upTo: "v23_scan_rate_estimates")
        let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0x00, 0x7F, 0x80, 0x0A]
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO visit_photos (tenant_id, visit_id, number, content_type, size, data_base64) VALUES (1, 2, 1, 'image/jpeg', 7, ?)
                    """, arguments: [Data(photo).base64EncodedString()])
        }
        try SQLiteSchema.migrator.migrate(queue)
        let row = try #require(try queue.read { db in try Row.fetchOne(db, sql: "SELECT data, typeof(data) AS kind FROM visit_photos") })
        #expect(row["kind"] as String == "blob")
        #expect([UInt8](row["data"] as Data) == photo)
        let columns = try queue.read { db in try db.columns(in: "visit_photos").map(\.name) }
        #expect(!columns.contains("data_base64"))
    }
}
