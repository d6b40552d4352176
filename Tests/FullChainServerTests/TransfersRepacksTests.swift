import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZIPFoundation

/// A distributor's deliveries to stores, re-packed units, and GS1 Digital Link URLs resolved to the unit.
@Suite("Deliveries, re-packing and Digital Link")
struct TransfersRepacksTests {
    static func storeID(_ response: TestResponse) -> Int? {
        (response.json["store"] as? [String: Any])?["id"] as? Int
    }

    @Test(arguments: APIBackend.all)
    func aDistributorsDeliveryMakesTheAssociationUntilTheStoreReceives(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let distributor = try #require(world.actors.first { $0.role == .distributor }).token
            let storeUser = try #require(world.actors.first { $0.role == .store }).token
            let d2 = try #require(world.outsideA["distributors"])
            let st2 = try #require(world.outsideA["stores"])
            // A second store of D1, in its territory.
            let st3 = try await app.storage.stores.create(
                StoreDraft(
                    code: "ST3", name: "东城小卖部", type: .convenience, regionCode: "110105000000",
                    location: GeoPoint(latitude: 39.93, longitude: 116.43), distributorID: world.distributorD1,
                    salespersonNodeID: world.salespersonNodeR1), scope: .wholeTenant(world.tenantA.id))
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "DELIVER1")
                let batchID = codes.batch.id
                func caseCode(_ n: Int) -> String { codes.signer.text(for: codes.batch.caseCode(n)) }
                func deliver(_ token: String, store: Int64, cases: [Int]) async throws -> TestResponse {
                    let list = cases.map { #""\#(caseCode($0))""# }.joined(separator: ",")
                    return try await client.call(.post, "/api/v1/transfers", token: token, json: #"{"storeID":\#(store),"cases":[\#(list)]}"#)
                }
                #expect(
                    try await client.call(
                        .post, "/api/v1/shipments", token: admin,
                        json: #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(batchID),"firstCase":0,"lastCase":1}]}"#
                    ).status == .created)
                #expect(
                    try await client.call(
                        .post, "/api/v1/shipments", token: admin,
                        json: #"{"distributorID":\#(d2),"ranges":[{"batchID":\#(batchID),"firstCase":2}]}"#
                    ).status == .created)

                // D1's staff deliver case 0 to ST1: a consumer's scan is ST1's sale before ST1 scans its receipt.
                let delivered = try await deliver(distributor, store: world.storeST1, cases: [0])
                #expect(
                    delivered.status == .created && delivered.json["cases"] as? Int == 1 && delivered.json["flagged"] as? Int == 0,
                    "\(delivered.text)")
                let scanned = try await ScanAlertsTests.scan(client, codes.unit(3), latitude: 39.92, longitude: 116.44, device: "t1")
                #expect(Self.storeID(scanned) == Int(world.storeST1) && scanned.json["countsAsSale"] as? Bool == true, "\(scanned.text)")
                let checked = try await client.call(.post, "/api/v1/codes/check", token: admin, json: #"{"code":"\#(codes.unit(4))"}"#)
                #expect(checked.json["storeID"] as? Int == Int(world.storeST1))

                // Refused, nothing recorded: again; a store's staff; a case D2 got; a store D1 does not supply; a case never shipped.
                #expect(try await deliver(distributor, store: world.storeST1, cases: [0]).errorCode == "already_delivered")
                #expect(try await deliver(storeUser, store: world.storeST1, cases: [1]).status == .forbidden)
                // A case shipped to another distributor is refused like a forged one: the refusal tells nothing about it.
                let elsewhere = try await deliver(distributor, store: world.storeST1, cases: [1, 2])
                #expect(
                    elsewhere.errorCode == "validation_failed" && elsewhere.text.contains(#""field":"cases[1]""#)
                        && elsewhere.text.contains("not_held"),
                    "\(elsewhere.text)")
                #expect(!elsewhere.text.contains("shipped") && !elsewhere.text.contains("\(d2)"))
                #expect(try await deliver(distributor, store: st2, cases: [1]).status == .notFound)
                let unshipped = try await client.call(
                    .post, "/api/v1/code-batches", token: admin,
                    json: #"{"productID":\#(codes.batch.productID),"lot":"DELIVER2","quantity":12,"unitsPerCase":12}"#)
                let otherID = try #require(unshipped.json["id"] as? Int)
                let other = try #require(try await app.storage.codes.batch(id: Int64(otherID), tenantID: world.tenantA.id))
                #expect(
                    try await client.call(
                        .post, "/api/v1/transfers", token: distributor,
                        json: #"{"storeID":\#(world.storeST1),"cases":["\#(codes.signer.text(for: other.caseCode(0)))"]}"#
                    ).errorCode == "validation_failed")
                #expect(
                    try await client.call(.post, "/api/v1/transfers", token: distributor, json: #"{"cases":["\#(caseCode(1))"]}"#).errorCode
                        == "validation_failed")

                // Case 1 goes to ST3, but ST1 receives it: recorded, flagged as another store's.
                #expect(try await deliver(distributor, store: st3.id, cases: [1]).status == .created)
                let misdelivered = try await client.call(.post, "/api/v1/receipts", token: storeUser, json: #"{"cases":["\#(caseCode(1))"]}"#)
                #expect(misdelivered.status == .created && misdelivered.json["flagged"] as? Int == 1, "\(misdelivered.text)")
                // The receipt wins: the unit is ST1's now.
                #expect(Self.storeID(try await ScanAlertsTests.scan(client, codes.unit(13))) == Int(world.storeST1))
                // Once received, a case is not delivered again.
                #expect(try await deliver(distributor, store: st3.id, cases: [1]).errorCode == "already_received")
                // HQ records D2's delivery of case 2 to ST1, outside D2's territory: 窜货 alert.
                let diverted = try await deliver(admin, store: world.storeST1, cases: [2])
                #expect(diverted.status == .created && diverted.json["flagged"] as? Int == 1)
                let alerts = try await app.storage.alerts.list(ListQuery(), filter: AlertFilter(), scope: .wholeTenant(world.tenantA.id)).items
                #expect(alerts.contains { $0.subject == "store:\(world.storeST1):from:\(d2)" && $0.detail.contains("delivered") })

                let refs = (0..<3).map { CaseRef(batchID: batchID, caseNumber: $0) }
                let transfers = try await app.storage.logistics.transfers(of: refs, tenantID: world.tenantA.id)
                #expect(transfers.mapValues(\.storeID) == [refs[0]: world.storeST1, refs[1]: st3.id, refs[2]: world.storeST1])
                let receipts = try await app.storage.logistics.receipts(of: refs, tenantID: world.tenantA.id)
                #expect(receipts.mapValues(\.flag) == [refs[1]: .otherStore])
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func repackedUnitsBelongToTheirNewCase(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let manager = try #require(world.actors.first { $0.role == .manager }).token
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "REPACK1")
                let other = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "REPACK2")
                let batchID = codes.batch.id
                func caseCode(_ n: Int) -> String { codes.signer.text(for: codes.batch.caseCode(n)) }
                func repack(_ target: String, _ units: [String], token: String? = nil) async throws -> TestResponse {
                    let list = units.map { #""\#($0)""# }.joined(separator: ",")
                    return try await client.call(.post, "/api/v1/repacks", token: token ?? admin, json: #"{"case":"\#(target)","units":[\#(list)]}"#)
                }
                // Units 0 and 1 (packed in case 0) go into case 2, which ST1 receives; case 0 stays with the brand.
                let moved = try await repack(caseCode(2), [codes.unit(0), codes.unit(1), codes.unit(1)])
                #expect(moved.status == .created && moved.json["moved"] as? Int == 2 && moved.json["unchanged"] as? Int == 0, "\(moved.text)")
                #expect(try await repack(caseCode(2), [codes.unit(0), codes.unit(30)]).json["unchanged"] as? Int == 2)
                _ = try await client.call(
                    .post, "/api/v1/shipments", token: admin,
                    json: #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(batchID),"firstCase":2}]}"#)
                _ = try await client.call(
                    .post, "/api/v1/receipts", token: admin, json: #"{"storeID":\#(world.storeST1),"cases":["\#(caseCode(2))"]}"#)

                let repacked = try await ScanAlertsTests.scan(client, codes.unit(0))
                #expect(Self.storeID(repacked) == Int(world.storeST1) && repacked.json["countsAsSale"] as? Bool == true, "\(repacked.text)")
                #expect(Self.storeID(try await ScanAlertsTests.scan(client, codes.unit(5))) == nil)
                let checked = try await client.call(.post, "/api/v1/codes/check", token: admin, json: #"{"code":"\#(codes.unit(1))"}"#)
                #expect(checked.json["caseNumber"] as? Int == 2 && checked.json["storeID"] as? Int == Int(world.storeST1))

                // Refused, nothing recorded: another batch's unit, a forged unit, a unit code as the case, a voided case, too many units, no units, not HQ.
                _ = try await client.call(
                    .post, "/api/v1/code-batches/\(batchID)/activations", token: admin, json: #"{"action":"void","firstCase":1,"lastCase":1}"#)
                var forged = Array(codes.unit(7))
                forged[12] = forged[12] == "A" ? "B" : "A"
                for (target, units, field) in [
                    (caseCode(0), [codes.unit(6), other.unit(0)], "other_batch"),
                    (caseCode(0), [String(forged)], "invalid_code"),
                    (codes.unit(0), [codes.unit(6)], "invalid_code"),
                    (caseCode(1), [codes.unit(6)], "voided"),
                    (caseCode(0), (12..<25).map { codes.unit($0) }, "out_of_range"),
                    (caseCode(0), [], "out_of_range"),
                ] {
                    let response = try await repack(target, units)
                    let fields = (response.json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
                    #expect(
                        response.status == .unprocessableContent && fields.contains { $0["code"] as? String == field }, "\(field) → \(response.text)")
                }
                #expect(try await repack(caseCode(0), [codes.unit(6)], token: manager).status == .forbidden)
                // Back into its own case: where it is now follows the latest re-packing.
                #expect(try await repack(caseCode(0), [codes.unit(1)]).json["moved"] as? Int == 1)
                let back = try await client.call(.post, "/api/v1/codes/check", token: admin, json: #"{"code":"\#(codes.unit(1))"}"#)
                #expect(back.json["caseNumber"] as? Int == 0 && back.json["storeID"] == nil)
                let current = try await app.storage.logistics.repackedCases(ofUnits: Array(0..<12), batchID: batchID, tenantID: world.tenantA.id)
                #expect(current == [0: 2, 1: 0])
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func digitalLinksResolveToTheUnit(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "DL-1.A_b")
                let product = try #require(try await app.storage.products.get(id: codes.batch.productID, tenantID: world.tenantA.id))
                // The URLs exactly as the GS1 print export writes them.
                let export = try await client.call(.get, "/api/v1/code-batches/\(codes.batch.id)/export?format=txt&link=gs1", token: world.adminToken)
                #expect(export.status == .ok)
                let archive = try Archive(data: Data(export.body.readableBytesView), accessMode: .read)
                let entry = try #require(archive.first { $0.path.hasSuffix(".txt") })
                var data = Data()
                _ = try archive.extract(entry) { data.append($0) }
                let urls = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
                #expect(urls.count == 36)
                for (serial, url) in urls.enumerated() where serial % 7 == 0 {
                    let path = try #require(url.range(of: "/01/").map { String(url[$0.lowerBound...]) })
                    let response = try await client.call(.get, path, token: nil)
                    #expect(response.status == .found && response.headers[.location] == "/c/\(codes.unit(serial))", "\(path) → \(response.status)")
                }
                let serialText = try #require(urls[5].split(separator: "/").last.map(String.init))
                let gtin = product.gtin.digits
                // Without the lot (AI 21 qualifies the GTIN alone), and with the GTIN-13 form.
                #expect(try await client.call(.get, "/01/\(gtin)/21/\(serialText)", token: nil).headers[.location] == "/c/\(codes.unit(5))")
                #expect(try await client.call(.get, "/01/\(product.gtin.shortForm)/10/DL-1.A_b/21/\(serialText)", token: nil).status == .found)
                // A wrong tag still names the brand's unit: its page says the code is not genuine.
                let (keyID, serial, tag) = try #require(DigitalLinkSerial.parse(serialText))
                let wrongTag = DigitalLinkSerial.text(keyID: keyID, serial: serial, tag: tag ^ 1)
                let forged = try await client.call(.get, "/01/\(gtin)/10/DL-1.A_b/21/\(wrongTag)", token: nil)
                let location = try #require(forged.headers[.location])
                #expect(forged.status == .found && location != "/c/\(codes.unit(5))")
                let page = try await client.call(.get, location, token: nil)
                #expect(page.status == .ok && page.text.contains(#"class="verdict bad""#), "\(page.text.prefix(300))")
                // Unknown: another lot, a serial past the batch, a bad check digit, a made-up key, garbage.
                let past = DigitalLinkSerial.text(keyID: keyID, serial: 36, tag: tag)
                for path in [
                    "/01/\(gtin)/10/OTHER/21/\(serialText)", "/01/\(gtin)/10/DL-1.A_b/21/\(past)", "/01/06901234567893/21/\(serialText)",
                    "/01/\(gtin)/21/\(DigitalLinkSerial.text(keyID: 65_000, serial: serial, tag: tag))", "/01/\(gtin)/21/%3Cscript%3E",
                ] {
                    let response = try await client.call(.get, path, token: nil)
                    #expect(response.status == .notFound && !response.text.contains("<script>alert"), "\(path) → \(response.status)")
                }
            }
        }
    }
}
