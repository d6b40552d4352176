import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `Idempotency-Key` on writes: a retried request has one effect and gets the first response.
@Suite("Idempotency keys")
struct IdempotencyTests {
    static func keyed(_ key: String) -> HTTPFields {
        [HTTPField.Name("Idempotency-Key")!: key]
    }

    static func replayed(_ response: TestResponse) -> Bool {
        response.headers[HTTPField.Name("Idempotent-Replayed")!] == "true"
    }

    @Test(arguments: APIBackend.all)
    func oneKeySentFiftyTimesAtOnceAndAfterARestartHasOneEffect(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let key = "ship-\(UUID().uuidString)"
            let restarted = TestApp(services: AppServices(storage: app.storage, configuration: app.services.configuration), opened: app.opened)
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "IDEM1")
                let batchID = codes.batch.id
                let body = #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":0,"lastCase":1}]}"#
                let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                    for _ in 0..<50 {
                        group.addTask { try await client.call(.post, "/api/v1/shipments", token: admin, json: body, headers: Self.keyed(key)) }
                    }
                    return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
                }
                // One effect: every answer is the first one's, 49 of them replayed.
                #expect(responses.allSatisfy { $0.status == .created && $0.text == responses[0].text }, "\(Set(responses.map(\.text)))")
                #expect(responses.filter(Self.replayed).count == 49)
                let first = responses[0]
                // The same key with another body, or badly formed keys: refused.
                let other = #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(codes.batch.id),"firstCase":2}]}"#
                #expect(
                    try await client.call(.post, "/api/v1/shipments", token: admin, json: other, headers: Self.keyed(key)).errorCode
                        == "idempotency_key_reused")
                for bad in [String(repeating: "k", count: 256), "has space", ""] {
                    let response = try await client.call(.post, "/api/v1/shipments", token: admin, json: other, headers: Self.keyed(bad))
                    #expect(response.status == .badRequest && response.errorCode == "invalid_idempotency_key", "\(bad.prefix(10)) → \(response.text)")
                }
                // Without a key, shipping again is the usual conflict: the cases were shipped once.
                #expect(try await client.call(.post, "/api/v1/shipments", token: admin, json: body).errorCode == "already_shipped")

                // A restarted server (fresh services, same database) replays the stored answer.
                try await restarted.test { client in
                    let again = try await client.call(.post, "/api/v1/shipments", token: admin, json: body, headers: Self.keyed(key))
                    #expect(again.status == .created && again.text == first.text && Self.replayed(again))
                    // Keys belong to their caller: another user's same key is a request of its own.
                    let manager = try #require(world.actors.first { $0.role == .manager }).token
                    #expect(
                        try await client.call(.post, "/api/v1/shipments", token: manager, json: body, headers: Self.keyed(key)).status == .forbidden)
                }
                let shipped = try await app.storage.logistics.shipments(
                    of: (0..<3).map { CaseRef(batchID: batchID, caseNumber: $0) }, tenantID: world.tenantA.id)
                #expect(shipped.keys.map(\.caseNumber).sorted() == [0, 1])
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func refusalsAreKeptAndConsumerScansAreNotCountedTwice(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "IDEM2")
                // A 422 is the request's answer: the retry gets it again.
                let key = "bad-\(UUID().uuidString)"
                let body = #"{"distributorID":999999,"ranges":[{"batchID":\#(codes.batch.id),"firstCase":0}]}"#
                let refused = try await client.call(.post, "/api/v1/shipments", token: world.adminToken, json: body, headers: Self.keyed(key))
                let again = try await client.call(.post, "/api/v1/shipments", token: world.adminToken, json: body, headers: Self.keyed(key))
                #expect(
                    refused.status == .unprocessableContent && again.status == .unprocessableContent && again.text == refused.text
                        && Self.replayed(again))

                // A phone retrying its scan on a flaky network: counted once.
                let scan = #"{"code":"\#(codes.unit(4))","deviceID":"phone-1"}"#
                let scanKey = "scan-\(UUID().uuidString)"
                let one = try await client.call(.post, "/api/v1/scans", token: nil, json: scan, headers: Self.keyed(scanKey))
                let retry = try await client.call(.post, "/api/v1/scans", token: nil, json: scan, headers: Self.keyed(scanKey))
                #expect(one.json["scanCount"] as? Int == 1 && retry.json["scanCount"] as? Int == 1 && Self.replayed(retry))
                #expect(try await client.call(.post, "/api/v1/scans", token: nil, json: scan).json["scanCount"] as? Int == 2)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func anAbandonedClaimIsTakenOverAndOldKeysArePurged(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let keys = app.storage.idempotency
            let scope = "test/\(UUID().uuidString)"
            #expect(try await keys.claim(scope: scope, key: "k", requestHash: "h", now: 1_000, staleBefore: 0) == .claimed)
            #expect(try await keys.claim(scope: scope, key: "k", requestHash: "h", now: 2_000, staleBefore: 500) == .inProgress)
            #expect(try await keys.claim(scope: scope, key: "k", requestHash: "other", now: 2_000, staleBefore: 500) == .mismatch)
            // Its server died: a minute later the claim is taken over, once.
            #expect(try await keys.claim(scope: scope, key: "k", requestHash: "h", now: 70_000, staleBefore: 10_000) == .claimed)
            #expect(try await keys.claim(scope: scope, key: "k", requestHash: "h", now: 70_001, staleBefore: 10_001) == .inProgress)
            let stored = StoredResponse(status: 201, contentType: "application/json", body: Array(#"{"ok":true}"#.utf8))
            try await keys.complete(scope: scope, key: "k", response: stored, now: 70_002)
            #expect(try await keys.claim(scope: scope, key: "k", requestHash: "h", now: 80_000, staleBefore: 20_000) == .replay(stored))
            // A released claim is free again; purged keys are forgotten.
            #expect(try await keys.claim(scope: scope, key: "r", requestHash: "h", now: 1_000, staleBefore: 0) == .claimed)
            try await keys.release(scope: scope, key: "r")
            #expect(try await keys.claim(scope: scope, key: "r", requestHash: "x", now: 1_100, staleBefore: 0) == .claimed)
            _ = try await keys.purge(before: 100_000, limit: 1_000)
            #expect(try await keys.claim(scope: scope, key: "k", requestHash: "new", now: 200_000, staleBefore: 0) == .claimed)
        }
    }
}
