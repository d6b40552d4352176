import Foundation
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import FullChainApp
@testable import FullChainServer

/// `Idempotency-Key` is no way in: no claim before authentication, nothing kept of failures,
/// forgeries or secrets, public keys bounded per address, expired keys purged in batches.
@Suite("Idempotency abuse")
struct IdempotencyAbuseTests {
    static func keyed(_ key: String, from address: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [HTTPField.Name("Idempotency-Key")!: key]
        if let address { fields[HTTPField.Name("X-Forwarded-For")!] = address }
        return fields
    }

    /// Rows holding `key` (public keys are stored as `device/key`).
    static func rows(_ app: TestApp, key: String) async throws -> Int {
        let rows = try await app.storage.database.read("SELECT scope FROM idempotency_keys WHERE idempotency_key LIKE \("%" + key)")
        return rows.count
    }

    /// Whether any kept response, decoded, contains `secret`.
    static func kept(_ app: TestApp, _ secret: String) async throws -> Bool {
        let rows = try await app.storage.database.read("SELECT body FROM idempotency_keys")
        return try rows.contains { row in
            let text = try row.string("body")
            let decoded = Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return text.contains(secret) || decoded.contains(secret)
        }
    }

    /// An address of the benchmarking range no other test uses at once (the PostgreSQL test database is shared).
    static func uniqueAddress() -> String {
        "198.\(Int.random(in: 18...19)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
    }

    /// Requests come over loopback connections, through a trusted proxy that names the client.
    static func trustLoopback(_ configuration: inout AppConfiguration) {
        if let loopback = IPNetwork("127.0.0.0/8") { configuration.trustedProxies = TrustedProxies([loopback]) }
    }

    @Test(arguments: APIBackend.all)
    func unauthenticatedAndOversizedKeyedWritesAreRefusedEarlyAndKeepNothing(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                // 64 MiB with a fresh key and no caller: 401, the body never read, no key claimed.
                let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 64 << 20)
                let key = "anon-\(UUID().uuidString)"
                let anonymous = try await client.call(.post, "/api/v1/shipments", token: nil, body: huge, headers: Self.keyed(key))
                #expect(anonymous.status == .unauthorized && anonymous.errorCode == "unauthenticated", "\(anonymous.status)")
                #expect(try await Self.rows(app, key: key) == 0)

                // A signed-in caller's body beyond the JSON limit (64 KiB here): 413, nothing kept.
                let oversized = #"{"distributorID":1,"pad":""# + String(repeating: "x", count: 200 * 1024) + #""}"#
                let bigKey = "big-\(UUID().uuidString)"
                let refused = try await client.call(.post, "/api/v1/shipments", token: world.adminToken, json: oversized, headers: Self.keyed(bigKey))
                #expect(refused.status == .contentTooLarge && refused.errorCode == "payload_too_large", "\(refused.status) \(refused.text)")
                #expect(try await Self.rows(app, key: bigKey) == 0)
                // An import file may be larger than a JSON body: its own limit applies.
                let file = [UInt8](repeating: UInt8(ascii: "a"), count: 100 * 1024)
                let importKey = "import-\(UUID().uuidString)"
                let upload = try await client.call(
                    .post, "/api/v1/imports/stores", token: world.adminToken, body: file, headers: Self.keyed(importKey))
                #expect(upload.status != .contentTooLarge, "\(upload.status) \(upload.text)")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func failedSignInsForgedCodesAndSecretsAreNotKept(_ backend: APIBackend) async throws {
        try await TestApp.with(backend, configure: Self.trustLoopback) { app in
            let world = try await TestWorld.build(app)
            let address = Self.uniqueAddress()
            let scope = "public/\(address)"
            try await app.test(.live) { client in
                let login = { (password: String, key: String) in
                    try await client.call(
                        .post, "/api/v1/auth/login", token: nil,
                        json: #"{"tenant":"\#(world.tenantA.code)","username":"admin","password":"\#(password)"}"#,
                        headers: Self.keyed(key, from: address))
                }
                // A failed sign-in writes nothing, and a retry with the key is checked again.
                let failKey = "login-\(UUID().uuidString)"
                #expect(try await login("wrong-password", failKey).status == .unauthorized)
                #expect(try await Self.rows(app, key: failKey) == 0)
                // A successful one keeps no token: a retry signs in afresh.
                let okKey = "login-\(UUID().uuidString)"
                let first = try await login("secret-123", okKey)
                let token = try #require(first.json["token"] as? String)
                let again = try await login("secret-123", okKey)
                #expect(again.status == .ok && again.json["token"] as? String != token)
                #expect(try await Self.rows(app, key: okKey) == 0)
                #expect(try await Self.kept(app, token) == false)

                // A personal token's secret is shown once: the retry says so instead of repeating it.
                let tokenKey = "token-\(UUID().uuidString)"
                let created = try await client.call(
                    .post, "/api/v1/tokens", token: world.adminToken, json: #"{"name":"ci"}"#, headers: Self.keyed(tokenKey))
                #expect(created.status == .created)
                let secret = try #require(created.json["token"] as? String)
                let retried = try await client.call(
                    .post, "/api/v1/tokens", token: world.adminToken, json: #"{"name":"ci"}"#, headers: Self.keyed(tokenKey))
                #expect(retried.status == .conflict && retried.errorCode == "token_not_replayed", "\(retried.text)")
                #expect(try await Self.rows(app, key: tokenKey) == 1)
                #expect(try await Self.kept(app, secret) == false)
                let listed = try await client.call(.get, "/api/v1/tokens", token: world.adminToken)
                #expect(listed.text.components(separatedBy: #""name":"ci""#).count == 2, "one token made: \(listed.text)")

                // A forged code keeps nothing; a genuine scan from the same address is kept.
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "ABUSE1")
                var forged = Array(codes.unit(1))
                forged[10] = forged[10] == "A" ? "B" : "A"
                let forgedKey = "forged-\(UUID().uuidString)"
                let refused = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(String(forged))","deviceID":"p1"}"#,
                    headers: Self.keyed(forgedKey, from: address))
                #expect(refused.errorCode == "invalid_code")
                #expect(try await Self.rows(app, key: forgedKey) == 0)
                let genuineKey = "genuine-\(UUID().uuidString)"
                let scanned = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(codes.unit(1))","deviceID":"p1"}"#,
                    headers: Self.keyed(genuineKey, from: address))
                #expect(scanned.status == .ok)
                #expect(try await app.storage.idempotency.count(scope: scope) == 1)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func freshKeysFromOnePublicAddressStayBounded(_ backend: APIBackend) async throws {
        try await TestApp.with(
            backend,
            configure: {
                $0.publicIdempotencyKeys = 3
                Self.trustLoopback(&$0)
            }
        ) { app in
            let world = try await TestWorld.build(app)
            let address = Self.uniqueAddress()
            try await app.test(.live) { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "ABUSE2")
                var keys: [String] = []
                for attempt in 0..<8 {
                    let key = "flood-\(attempt)-\(UUID().uuidString)"
                    keys.append(key)
                    // Devices are the client's own word: inventing new ones does not lift the bound.
                    let response = try await client.call(
                        .post, "/api/v1/scans", token: nil,
                        json: #"{"code":"\#(codes.unit(2))","deviceID":"dev-\#(attempt % 3)"}"#,
                        headers: Self.keyed(key, from: address))
                    #expect(response.status == .ok)
                    #expect(try await app.storage.idempotency.count(scope: "public/\(address)") <= 3)
                }
                #expect(try await app.storage.idempotency.count(scope: "public/\(address)") == 3)
                // The newest keys still replay; the oldest gave way.
                let retryNewest = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(codes.unit(2))","deviceID":"dev-1"}"#,
                    headers: Self.keyed(keys[7], from: address))
                #expect(IdempotencyTests.replayed(retryNewest))
                let retryOldest = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(codes.unit(2))","deviceID":"dev-0"}"#,
                    headers: Self.keyed(keys[0], from: address))
                #expect(retryOldest.status == .ok && !IdempotencyTests.replayed(retryOldest))
            }
        }
    }

    /// Counts the purge batches a purger makes.
    final class PurgeSpy: IdempotencyRepository, Sendable {
        let base: any IdempotencyRepository
        let batches = Mutex<[Int]>([])

        init(_ base: any IdempotencyRepository) { self.base = base }

        func claim(
            scope: String, key: String, requestHash: String, now: Int64, staleBefore: Int64, keep: Int?
        ) async throws(StorageError) -> IdempotencyClaim {
            try await base.claim(scope: scope, key: key, requestHash: requestHash, now: now, staleBefore: staleBefore, keep: keep)
        }
        func complete(scope: String, key: String, response: StoredResponse, now: Int64) async throws(StorageError) {
            try await base.complete(scope: scope, key: key, response: response, now: now)
        }
        func release(scope: String, key: String) async throws(StorageError) { try await base.release(scope: scope, key: key) }
        func purge(before: Int64, limit: Int) async throws(StorageError) -> Int {
            let purged = try await base.purge(before: before, limit: limit)
            batches.withLock { $0.append(purged) }
            return purged
        }
        func count(scope: String) async throws(StorageError) -> Int { try await base.count(scope: scope) }
    }

    @Test(arguments: APIBackend.all)
    func thePurgerForgetsExpiredKeysInBatches(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let keys = app.storage.idempotency
            let scope = "purge/\(UUID().uuidString)"
            // Expired keys from before 1970, so that this purge (on a database other tests share)
            // forgets only them: the purger runs as if it were then.
            let then: Int64 = -1_000_000_000
            for index in 0..<28 {
                let old = index < 25
                let claim = try await keys.claim(
                    scope: scope, key: "\(old ? "old" : "new")-\(index)", requestHash: "h",
                    now: old ? then - Idempotency.retention - 1_000 + Int64(index) : currentMillis(), staleBefore: 0)
                #expect(claim == .claimed)
            }
            let spy = PurgeSpy(keys)
            let purger = IdempotencyPurger(storage: spy, logger: Logger(label: "purge-test"), batchSize: 10)
            let purged = await purger.purgeExpired(now: then)
            // The expired keys are gone, the fresh ones stay, and no batch was larger than asked.
            #expect(try await keys.count(scope: scope) == 3)
            let batches = spy.batches.withLock { $0 }
            #expect(batches.allSatisfy { $0 <= 10 } && batches.last.map { $0 < 10 } == true, "\(batches)")
            #expect(purged == batches.reduce(0, +))
            if backend == .sqlite {
                // Alone in its database: exactly 10, 10 and 5.
                #expect(batches == [10, 10, 5])
            }
        }
    }
}
