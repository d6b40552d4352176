import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The EPCIS 2.0 export, validated against GS1's own JSON Schema (draft-07, `Tests/Fixtures/epcis`).
@Suite("EPCIS export")
struct EPCISExportTests {
    @Test(arguments: APIBackend.all)
    func logisticsAndScansExportAsValidEPCIS(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "EPCIS1")
                let admin = world.adminToken
                _ = try await client.call(
                    .post, "/api/v1/shipments", token: admin,
                    json: #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":0,"lastCase":1}]}"#)
                // Two units of case 2 re-packed into case 1, which D1 delivers to ST1 (case 0 is received).
                let repacked = try await client.call(
                    .post, "/api/v1/repacks", token: admin,
                    json: #"{"case":"\#(codes.signer.text(for: codes.batch.caseCode(1)))","units":["\#(codes.unit(24))","\#(codes.unit(25))"]}"#)
                #expect(repacked.status == .created)
                _ = try await client.call(
                    .post, "/api/v1/transfers", token: admin,
                    json: #"{"storeID":\#(world.storeST1),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":1}]}"#)
                _ = try await client.call(
                    .post, "/api/v1/receipts", token: admin,
                    json: #"{"storeID":\#(world.storeST1),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":0}]}"#)
                for serial in [0, 0, 13] {
                    let scanned = try await ScanAlertsTests.scan(client, codes.unit(serial), latitude: 39.95, longitude: 116.48, device: "e\(serial)")
                    #expect(scanned.status == .ok)
                }
                let response = try await client.call(.get, "/api/v1/epcis/events", token: admin)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/ld+json")
                let document = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
                let events = try #require((document["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]])
                let types = events.map { "\($0["type"] ?? "")/\($0["bizStep"] ?? "")" }
                #expect(types.filter { $0 == "AggregationEvent/packing" }.count == 2)
                // Shipping to D1, and D1's delivery to ST1.
                #expect(types.filter { $0 == "ObjectEvent/shipping" }.count == 2)
                let repacking = events.filter { $0["bizStep"] as? String == "repackaging" }
                #expect(repacking.map { $0["action"] as? String } == ["DELETE", "ADD"])
                #expect(repacking.allSatisfy { ($0["childEPCs"] as? [String])?.count == 2 })
                #expect(repacking.last?["parentID"] as? String == "https://fc.example.cn/c/\(codes.signer.text(for: codes.batch.caseCode(1)))")
                #expect(types.filter { $0 == "ObjectEvent/receiving" }.count == 1)
                // Unit 0's first scan and unit 13's (case 1, delivered) are sales; unit 0's second scan is not.
                #expect(types.filter { $0 == "ObjectEvent/retail_selling" }.count == 2)
                #expect(types.filter { $0 == "ObjectEvent/inspecting" }.count == 1)
                let packing = try #require(events.first { $0["type"] as? String == "AggregationEvent" })
                #expect((packing["childEPCs"] as? [String])?.count == 12)
                #expect((packing["childEPCs"] as? [String])?.first == "https://fc.example.cn/c/\(codes.unit(0))")
                #expect(Set(events.compactMap { $0["eventID"] as? String }).count == events.count)
                try EPCISValidator.validate(response.text)

                // HQ only, and bad windows are refused.
                let manager = try #require(world.actors.first { $0.name == "mgr-r1" })
                #expect(try await client.call(.get, "/api/v1/epcis/events", token: manager.token).status == .forbidden)
                #expect(try await client.call(.get, "/api/v1/epcis/events?limit=0", token: admin).status == .badRequest)
                #expect(try await client.call(.get, "/api/v1/epcis/events?since=10&until=5", token: admin).status == .badRequest)
                let empty = try await client.call(.get, "/api/v1/epcis/events?since=0&until=1000", token: admin)
                #expect(empty.status == .ok && empty.text.contains(#""eventList":[]"#))
                try EPCISValidator.validate(empty.text)
            }
        }
    }

    @Test func timestampsAreChinaTimeWithTheOffset() {
        #expect(EPCISTime.text(0) == "1970-01-01T08:00:00.000+08:00")
        #expect(EPCISTime.text(1_795_363_200_123) == "2026-11-23T00:00:00.123+08:00")
        #expect(EPCISTime.text(951_782_400_000) == "2000-02-29T08:00:00.000+08:00")
    }
}

/// Validates a document against GS1's EPCIS 2.0 JSON Schema with Python's `jsonschema`
/// (installed by the test script); a document the schema rejects fails the test.
enum EPCISValidator {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/epcis/EPCIS-JSON-Schema.json")

    static func validate(_ json: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("epcis-\(UUID().uuidString).jsonld")
        try Data(json.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            document = json.load(open(sys.argv[2]))
            validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
            errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
            for error in errors[:5]: print(list(error.path), error.message[:300])
            sys.exit(1 if errors else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema.path, file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "EPCIS schema: \(text)")
    }
}
