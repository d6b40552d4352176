import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import FullChainServer

/// Consumers' data is kept no longer and no clearer than needed: scan events and store
/// customer lists name consumers by keyed pseudonyms (never an openid or phone, asserted or
/// verified), early rows that named them in clear are rewritten, and exact positions are
/// rounded once older than the retention (90 days).
@Suite("Consumer data retention")
struct RetentionTests {
    @Test(arguments: APIBackend.all)
    func scansNameConsumersByPseudonymsAndOldPositionsAreCoarsened(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let consumers = app.services.consumers
            let made = Mutex<CodeBatch?>(nil)
            try await app.test { client in
                let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "RET", quantity: 10)
                let signedIn = try app.consumerHeaders("openid:o-retention-1", tenantID: tenantID)
                let first = try await client.call(
                    .post, "/api/v1/scans", token: nil,
                    json: #"{"code":"\#(signer.text(for: batch.unitCode(0)))","deviceID":"phone-r1","latitude":31.2345678,"longitude":121.4737651}"#,
                    headers: signedIn)
                #expect(first.status == .ok && first.json["signedIn"] as? Bool == true, "\(first.text)")
                let asserted = try await client.call(
                    .post, "/api/v1/scans", token: nil,
                    json: #"{"code":"\#(signer.text(for: batch.unitCode(1)))","deviceID":"phone-r2","openid":"o-asserted-2","phone":"13900001111"}"#)
                #expect(asserted.status == .ok, "\(asserted.text)")
                made.withLock { $0 = batch }
            }
            let holder = try #require(made.withLock { $0 })
            let scans = try await app.storage.database.read("SELECT serial, consumer FROM scan_events WHERE tenant_id = \(tenantID) ORDER BY serial")
            let named = try scans.map { try $0.string("consumer") }
            #expect(
                named == [
                    consumers.scanPseudonym(of: "openid:o-retention-1", tenantID: tenantID),
                    consumers.scanPseudonym(of: "openid:o-asserted-2", tenantID: tenantID),
                ])
            #expect(named.allSatisfy { $0.hasPrefix("consumer:") && !$0.contains("o-retention") && !$0.contains("o-asserted") })
            let customers = try await app.storage.database.read(
                "SELECT consumer FROM store_consumers WHERE tenant_id = \(tenantID) AND store_id = \(world.storeST1) ORDER BY consumer")
            #expect(try customers.map { try $0.string("consumer") } == named.sorted())

            // Rows written before pseudonyms, and old positions.
            let now = currentMillis()
            let day = BusinessDay.day(ofMillis: now)
            let legacy = "openid:legacy-1"
            for (serial, at, consumer) in [(5, now - 92 * 86_400_000, legacy), (6, now - 10 * 86_400_000, "phone:13800000000")] {
                _ = try await app.storage.database.execute(
                    """
                    INSERT INTO scan_events (tenant_id, batch_id, serial, scan_number, scanned_at, latitude, longitude, device_id, ip, consumer, store_id, status)
                    VALUES (\(tenantID), \(holder.id), \(Int64(serial)), 1, \(at), 31.2345678, 121.4737651, 'phone-old', '10.0.0.1', \(consumer), \(world.storeST1), 'active')
                    """)
            }
            _ = try await app.storage.database.execute(
                """
                INSERT INTO store_consumers (tenant_id, store_id, consumer, purchases, first_day, last_day)
                VALUES (\(tenantID), \(world.storeST1), \(legacy), 2, \(day - 100), \(day - 90)),
                       (\(tenantID), \(world.storeST1), \(consumers.scanPseudonym(of: legacy, tenantID: tenantID)), 1, \(day - 5), \(day - 5))
                """)

            // (A server of another test on the same database may have run its retention meanwhile: the
            // rows' end state is what counts, whoever got there.)
            let report = try await consumers.applyRetention(tenantID: tenantID, now: now)
            #expect(report.coarsened <= 1 && report.pseudonymized <= 3, "\(report)")
            let after = try await app.storage.database.read(
                "SELECT serial, latitude, longitude, consumer FROM scan_events WHERE tenant_id = \(tenantID) ORDER BY serial")
            #expect(try after.map { try $0.string("consumer") }.allSatisfy { $0.hasPrefix("consumer:") })
            for row in after where row.double("latitude") != nil {
                let serial = try row.int("serial")
                let latitude = try #require(row.double("latitude"), "serial \(serial)")
                let longitude = try #require(row.double("longitude"))
                if serial == 5 {
                    // 92 days old: about a kilometre, no finer.
                    #expect(abs(latitude - 31.23) < 1e-9 && abs(longitude - 121.47) < 1e-9, "\(latitude), \(longitude)")
                } else if serial == 6 || serial == 0 {
                    #expect(abs(latitude - 31.2345678) < 1e-9, "serial \(serial): \(latitude)")
                }
            }
            // The store's legacy customer joined its pseudonym: three purchases, first 100 days ago (once, however many ran).
            let merged = try await app.storage.database.read(
                "SELECT consumer, purchases, first_day, last_day FROM store_consumers WHERE tenant_id = \(tenantID) AND store_id = \(world.storeST1) AND consumer = \(consumers.scanPseudonym(of: legacy, tenantID: tenantID))"
            )
            #expect(merged.count == 1 && merged.first?.optionalInt("purchases") == 3 && merged.first?.optionalInt("first_day") == day - 100)
            #expect(merged.first?.optionalInt("last_day") == day - 5)
            #expect(
                try await app.storage.database.read(
                    "SELECT consumer FROM store_consumers WHERE tenant_id = \(tenantID) AND (consumer LIKE 'openid:%' OR consumer LIKE 'phone:%')"
                ).isEmpty)

            // Run again: nothing left to do.
            #expect(try await consumers.applyRetention(tenantID: tenantID, now: now + 60_000) == RetentionReport(coarsened: 0, pseudonymized: 0))
            // Another brand's rows are not touched.
            #expect(try await consumers.applyRetention(tenantID: world.tenantB.id, now: now) == RetentionReport(coarsened: 0, pseudonymized: 0))
        }
    }
}
