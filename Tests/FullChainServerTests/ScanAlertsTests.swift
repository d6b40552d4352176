import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Diversion and counterfeit alerts, rollups, queued-scan times and the code's H5 page.
@Suite("Scan alerts")
struct ScanAlertsTests {
    /// A batch of 3 cases of 12 for brand A, activated, with its signer.
    struct Batch {
        var batch: CodeBatch
        var signer: CodeSigner

        func unit(_ serial: Int) -> String { signer.text(for: batch.unitCode(serial)) }
    }

    static func makeBatch(_ app: TestApp, _ world: TestWorld, client: any TestClientProtocol, lot: String) async throws -> Batch {
        let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
        let created = try await client.call(
            .post, "/api/v1/code-batches", token: world.adminToken,
            json: #"{"productID":\#(product.id),"lot":"\#(lot)","quantity":36,"unitsPerCase":12}"#)
        let id = try #require(created.json["id"] as? Int)
        let batch = try #require(try await app.storage.codes.batch(id: Int64(id), tenantID: world.tenantA.id))
        let signer = try #require(try await app.services.codeKeys.entry(keyID: batch.keyID)).signer
        let activated = try await client.call(
            .post, "/api/v1/code-batches/\(batch.id)/activations", token: world.adminToken, json: #"{"action":"activate"}"#)
        #expect(activated.status == .created)
        return Batch(batch: batch, signer: signer)
    }

    static func scan(
        _ client: any TestClientProtocol, _ code: String, latitude: Double? = nil, longitude: Double? = nil, device: String? = nil,
        scannedAt: Int64? = nil
    ) async throws -> TestResponse {
        var fields = [#""code":"\#(code)""#]
        if let latitude, let longitude { fields.append(#""latitude":\#(latitude),"longitude":\#(longitude)"#) }
        if let device { fields.append(#""deviceID":"\#(device)""#) }
        if let scannedAt { fields.append(#""scannedAt":\#(scannedAt)"#) }
        return try await client.call(.post, "/api/v1/scans", token: nil, json: "{" + fields.joined(separator: ",") + "}")
    }

    static func alerts(_ client: any TestClientProtocol, token: String, query: String = "") async throws -> [[String: Any]] {
        let response = try await client.call(.get, "/api/v1/alerts" + query, token: token)
        #expect(response.status == .ok, "\(response.text)")
        return response.json["items"] as? [[String: Any]] ?? []
    }

    // Places: 朝阳 (inside D1's territory), 广州 and 上海 (outside).
    static let beijing = (39.95, 116.48)
    static let guangzhou = (23.13, 113.32)
    static let shanghai = (31.23, 121.47)

    @Test(arguments: APIBackend.all)
    func consumerScansOutsideTheTerritoryNeedKDistinctDevices(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let codes = try await Self.makeBatch(app, world, client: client, lot: "DIV1")
                let shipped = try await client.call(
                    .post, "/api/v1/shipments", token: world.adminToken,
                    json: #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":0}]}"#)
                #expect(shipped.status == .created)
                // Two devices (one of them twice) in 广州: not yet enough evidence.
                for (serial, device) in [(0, "phone-a"), (1, "phone-b"), (2, "phone-b")] {
                    let response = try await Self.scan(
                        client, codes.unit(serial), latitude: Self.guangzhou.0, longitude: Self.guangzhou.1, device: device)
                    #expect(response.status == .ok, "\(response.text)")
                }
                // Scans inside the territory are no evidence.
                _ = try await Self.scan(client, codes.unit(3), latitude: Self.beijing.0, longitude: Self.beijing.1, device: "phone-c")
                #expect(try await Self.alerts(client, token: world.adminToken, query: "?reason=consumer_scans").isEmpty)
                // A third device: the case is diverted.
                _ = try await Self.scan(client, codes.unit(4), latitude: Self.guangzhou.0, longitude: Self.guangzhou.1, device: "phone-d")
                let found = try await Self.alerts(client, token: world.adminToken, query: "?reason=consumer_scans")
                #expect(found.count == 1)
                let alert = try #require(found.first)
                #expect(alert["reason"] as? String == "consumer_scans")
                #expect(alert["devices"] as? Int == 3)
                #expect(alert["distributorID"] as? Int == Int(world.distributorD1))
                #expect((alert["regionCode"] as? String)?.hasPrefix("4401") == true)
                #expect(alert["subject"] as? String == "case:\(codes.batch.id):0")
                // One more scan adds to the same alert.
                _ = try await Self.scan(client, codes.unit(5), latitude: Self.guangzhou.0, longitude: Self.guangzhou.1, device: "phone-e")
                let again = try #require(try await Self.alerts(client, token: world.adminToken, query: "?reason=consumer_scans").first)
                #expect(again["devices"] as? Int == 4 && again["events"] as? Int == 2)

                // Managers over the distributor see it; R2's manager, distributor and store staff do not.
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                #expect(try await Self.alerts(client, token: manager.token).count == 1)
                for name in ["dist-d1", "store-st1"] {
                    let actor = try #require(world.actors.first { $0.name == name })
                    #expect(try await Self.alerts(client, token: actor.token).isEmpty, "\(name)")
                }
                let id = try #require(alert["id"] as? Int)
                let one = try await client.call(.get, "/api/v1/alerts/\(id)", token: manager.token)
                #expect(one.status == .ok && one.json["devices"] as? Int == 4)
                let hidden = try await client.call(
                    .get, "/api/v1/alerts/\(id)", token: try #require(world.actors.first { $0.name == "dist-d1" }).token)
                #expect(hidden.status == .notFound)
                // Bad filters are refused.
                let bad = try await client.call(.get, "/api/v1/alerts?kind=everything", token: world.adminToken)
                #expect(bad.status == .badRequest)

                // The web page lists it and plots it.
                let page = try await client.execute(uri: "/alerts", method: .get, headers: [.cookie: "fc_session=\(world.adminToken)"])
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(html.contains("class=\"alert-dot\"") && html.contains("区域外消费者扫码") && html.contains("广东省 广州市"))
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func farApartScansInvalidCodesAndDivertedReceiptsRaiseAlerts(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let codes = try await Self.makeBatch(app, world, client: client, lot: "FAR1")
                // One unit scanned in 北京, then in 上海 (over 1,000 km away): a copied code.
                _ = try await Self.scan(client, codes.unit(7), latitude: Self.beijing.0, longitude: Self.beijing.1, device: "p1")
                let second = try await Self.scan(client, codes.unit(7), latitude: Self.shanghai.0, longitude: Self.shanghai.1, device: "p2")
                #expect(second.json["scanCount"] as? Int == 2 && second.json["firstScan"] as? Bool == false)
                #expect((second.json["firstPlace"] as? String)?.hasPrefix("北京市") == true, "\(second.text)")
                let far = try await Self.alerts(client, token: world.adminToken, query: "?reason=far_apart")
                #expect(
                    far.count == 1 && far.first?["kind"] as? String == "counterfeit" && far.first?["subject"] as? String == "unit:\(codes.batch.id):7"
                )
                // A third scan next to the first is no new alert, only more evidence.
                _ = try await Self.scan(client, codes.unit(7), latitude: Self.shanghai.0, longitude: Self.shanghai.1, device: "p3")
                #expect(try await Self.alerts(client, token: world.adminToken, query: "?reason=far_apart").first?["events"] as? Int == 2)

                // Forged codes naming brand A's key from one phone: an alert at the 20th, none before.
                let unit = codes.batch.unitCode(8)
                for attempt in 0..<20 {
                    let forged = unit.text(tag: codes.signer.tag(for: unit) ^ UInt64(attempt + 1))
                    let response = try await Self.scan(client, forged, device: "bad-phone")
                    #expect(response.status == .unprocessableContent && response.errorCode == "invalid_code")
                    if attempt == 18 { #expect(try await Self.alerts(client, token: world.adminToken, query: "?reason=invalid_codes").isEmpty) }
                }
                let invalid = try await Self.alerts(client, token: world.adminToken, query: "?reason=invalid_codes")
                #expect(invalid.count == 1 && invalid.first?["subject"] as? String == "device:bad-phone" && invalid.first?["events"] as? Int == 20)
                // HQ's alone: no org path.
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                #expect(try await Self.alerts(client, token: manager.token, query: "?reason=invalid_codes").isEmpty)

                // A case shipped to D1 (北京朝阳) received by R2's store in 深圳: flagged and alerted.
                _ = try await client.call(
                    .post, "/api/v1/shipments", token: world.adminToken,
                    json: #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":2}]}"#)
                let received = try await client.call(
                    .post, "/api/v1/receipts", token: world.adminToken,
                    json: #"{"storeID":\#(try #require(world.outsideA["stores"])),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":2}]}"#)
                #expect(received.status == .created && received.json["flagged"] as? Int == 1)
                let receipt = try await Self.alerts(client, token: manager.token, query: "?reason=store_receipt")
                let outsideStore = try #require(world.outsideA["stores"])
                #expect(receipt.count == 1 && receipt.first?["storeID"] as? Int == Int(outsideStore))
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func rollupsCountScansAndUnitsSoldPerStoreAndRegionPerDay(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let codes = try await Self.makeBatch(app, world, client: client, lot: "ROLL1")
                _ = try await client.call(
                    .post, "/api/v1/shipments", token: world.adminToken,
                    json: #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":0}]}"#)
                let received = try await client.call(
                    .post, "/api/v1/receipts", token: world.adminToken,
                    json: #"{"storeID":\#(world.storeST1),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":0}]}"#)
                #expect(received.status == .created)
                let now = currentMillis()
                let twoDaysAgo = now - 2 * 86_400_000
                // Today: units 0 and 1 once each, unit 0 again (one more scan, no more sales).
                for serial in [0, 1, 0] {
                    let response = try await Self.scan(
                        client, codes.unit(serial), latitude: Self.beijing.0, longitude: Self.beijing.1, device: "d\(serial)")
                    #expect(response.status == .ok)
                }
                // A queued scan from two days ago; absurd times are refused.
                let queued = try await Self.scan(client, codes.unit(2), latitude: Self.beijing.0, longitude: Self.beijing.1, scannedAt: twoDaysAgo)
                #expect(queued.status == .ok && queued.json["firstScannedAt"] as? Int == Int(twoDaysAgo))
                for absurd in [now - 8 * 86_400_000, now + 3_600_000, Int64(-1), Int64.max] {
                    let response = try await Self.scan(client, codes.unit(3), scannedAt: absurd)
                    #expect(response.status == .unprocessableContent && response.errorCode == "validation_failed", "\(absurd): \(response.text)")
                }
                // A unit of a case no store received: counted in its region, no store sale.
                _ = try await Self.scan(client, codes.unit(20), latitude: Self.beijing.0, longitude: Self.beijing.1)

                let today = BusinessDay.day(ofMillis: now)
                let earlier = BusinessDay.day(ofMillis: twoDaysAgo)
                let stores = try await app.storage.scans.storeDays(earlier...today, scope: .wholeTenant(world.tenantA.id))
                #expect(
                    stores.map { [$0.key, String($0.day), String($0.scans), String($0.unitsSold)] } == [
                        [String(world.storeST1), String(earlier), "1", "1"], [String(world.storeST1), String(today), "3", "2"],
                    ])
                // The store's own staff see its figures; R2's manager sees none.
                let outside = AccessScope(tenantID: world.tenantA.id, reach: .orgSubtree(path: "zz"))
                #expect(try await app.storage.scans.storeDays(earlier...today, scope: outside).isEmpty)
                let point = try #require(GeoPoint(latitude: Self.beijing.0, longitude: Self.beijing.1))
                let region = try #require(RegionLocator.shared.regionCode(at: point))
                let regions = try await app.storage.scans.regionDays(earlier...today, tenantID: world.tenantA.id)
                #expect(
                    regions.filter { $0.key == region }.map { [$0.day, Int64($0.scans), Int64($0.unitsSold)] } == [[earlier, 1, 1], [today, 4, 2]])
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func theCodesPageShowsTheProductAndRefusesForgedCodes(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let codes = try await Self.makeBatch(app, world, client: client, lot: "H5-1")
                let page = try await client.execute(uri: "/c/\(codes.unit(1))", method: .get)
                let html = String(buffer: page.body)
                #expect(page.status == .ok && html.contains("清爽绿茶 500ml") && html.contains("H5-1") && html.contains("/api/v1/scans"))
                // Opening the page records nothing by itself: the phone's script does.
                #expect(try await app.storage.scans.regionDays(0...Int64.max / 86_400_001, tenantID: world.tenantA.id).isEmpty)
                var forged = Array(codes.unit(1))
                forged[20] = forged[20] == "A" ? "B" : "A"
                let fake = String(buffer: try await client.execute(uri: "/c/\(String(forged))", method: .get).body)
                #expect(fake.contains("不是本品牌的正品码") && !fake.contains("<script>"))
                let english = String(buffer: try await client.execute(uri: "/c/%3Cscript%3E?lang=en", method: .get).body)
                #expect(english.contains("not a genuine code") && !english.contains("<script>"))

                // Nearby stores: the brand's active stores in the county, nearest first.
                let nearby = try await client.call(
                    .get, "/api/v1/scans/nearby-stores?code=\(codes.unit(1))&latitude=39.921&longitude=116.443", token: nil)
                #expect(nearby.status == .ok && nearby.text.contains("朝阳便利店"), "\(nearby.text)")
                let missing = try await client.call(.get, "/api/v1/scans/nearby-stores?code=\(codes.unit(1))", token: nil)
                #expect(missing.status == .unprocessableContent)
                let forgedNearby = try await client.call(
                    .get, "/api/v1/scans/nearby-stores?code=\(String(forged))&latitude=39.921&longitude=116.443", token: nil)
                #expect(forgedNearby.text == "[]")
            }
        }
    }
}
