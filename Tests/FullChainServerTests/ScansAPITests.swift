import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Consumer scans of unit codes.
@Suite("Scans API")
struct ScansAPITests {
    @Test(arguments: APIBackend.all)
    func twoHundredConcurrentScansOfOneCodeCountExactlyAndOneIsFirst(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
            try await app.test { client in
                let created = try await client.call(
                    .post, "/api/v1/code-batches", token: admin, json: #"{"productID":\#(product.id),"lot":"SCAN1","quantity":24,"unitsPerCase":12}"#)
                let batchID = try #require(created.json["id"] as? Int)
                let batch = try #require(try await app.storage.codes.batch(id: Int64(batchID), tenantID: world.tenantA.id))
                let signer = try #require(try await app.services.codeKeys.entry(keyID: batch.keyID)).signer
                let code = signer.text(for: batch.unitCode(3))

                // Before activation and receipt: genuine, recorded, flagged, not a sale.
                let early = try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(signer.text(for: batch.unitCode(20)))"}"#)
                #expect(early.status == .ok, "\(early.text)")
                #expect(early.json["status"] as? String == "inactive" && early.json["countsAsSale"] as? Bool == false)

                _ = try await client.call(.post, "/api/v1/code-batches/\(batch.id)/activations", token: admin, json: #"{"action":"activate"}"#)
                _ = try await client.call(
                    .post, "/api/v1/shipments", token: admin,
                    json: #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(batch.id),"firstCase":0}]}"#)
                _ = try await client.call(
                    .post, "/api/v1/receipts", token: admin,
                    json: #"{"storeID":\#(world.storeST1),"ranges":[{"batchID":\#(batch.id),"firstCase":0}]}"#)

                let texts = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            // A GCJ-02 position (as WeChat sends it) near the store.
                            try await client.call(
                                .post, "/api/v1/scans", token: nil,
                                json:
                                    #"{"code":"\#(code)","latitude":39.9214,"longitude":116.4462,"coordinateSystem":"gcj02","deviceID":"d\#(index)"}"#
                            ).text
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                let results = texts.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) ?? [:] }
                #expect(results.count == 200)
                #expect(Set(results.compactMap { $0["scanCount"] as? Int }) == Set(1...200))
                #expect(results.filter { $0["firstScan"] as? Bool == true }.count == 1)
                let first = try #require(results.first { $0["scanCount"] as? Int == 1 })
                #expect(first["countsAsSale"] as? Bool == true)
                #expect((first["store"] as? [String: Any])?["id"] as? Int == Int(world.storeST1))
                #expect(Set(results.compactMap { $0["firstScannedAt"] as? Int }).count == 1)
                // Stored in WGS-84: GCJ-02 is shifted a few hundred metres back. The answer names the
                // first scan's district, never its coordinates.
                let stored = try await app.storage.database.read(
                    "SELECT latitude FROM scan_events WHERE tenant_id = \(world.tenantA.id) AND scan_number = 1 AND latitude IS NOT NULL")
                let latitude = try #require(stored.first?.double("latitude"))
                #expect(latitude < 39.9214 && latitude > 39.918)
                #expect(results.allSatisfy { $0["firstLatitude"] == nil && $0["firstLongitude"] == nil })
                #expect(results.allSatisfy { ($0["firstPlace"] as? String)?.contains("北京市") == true }, "\(first)")

                // Refused before any storage work, and bad positions.
                var typo = Array(code)
                typo[10] = typo[10] == "A" ? "B" : "A"
                for (body, codeName) in [
                    (#"{"code":"\#(String(typo))"}"#, "invalid_code"),
                    (#"{"code":"\#(signer.text(for: batch.caseCode(0)))"}"#, "invalid_code"),
                    (#"{"code":"\#(code)","latitude":91,"longitude":116}"#, "validation_failed"),
                    (#"{"code":"\#(code)","latitude":39.9}"#, "validation_failed"),
                    (#"{"code":"\#(code)","latitude":39.9,"longitude":116.4,"coordinateSystem":"mars"}"#, "validation_failed"),
                ] {
                    let response = try await client.call(.post, "/api/v1/scans", token: nil, json: body)
                    #expect(response.status == .unprocessableContent && response.errorCode == codeName, "\(body) → \(response.text)")
                }
                let after = try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code)"}"#)
                #expect(after.json["scanCount"] as? Int == 201 && after.json["firstScan"] as? Bool == false)
            }
        }
    }
}
