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

/// Sign-in under guessing: lockout per account and per address, tokens that expire and die with
/// a password change, failures logged without the password.
@Suite("Sign-in under guessing")
struct SignInTests {
    static func login(
        _ client: any TestClientProtocol, tenant: String, username: String, password: String, from address: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let address { headers[HTTPField.Name("X-Forwarded-For")!] = address }
        return try await client.call(
            .post, "/api/v1/auth/login", token: nil,
            json: #"{"tenant":"\#(tenant)","username":"\#(username)","password":"\#(password)"}"#, headers: headers)
    }

    @Test(arguments: APIBackend.all)
    func fiftyParallelWrongPasswordsLockTheAccountWhileTheServerServes(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenant = world.tenantA.code
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "LOCK1")
                let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                    for attempt in 0..<50 {
                        group.addTask { try await Self.login(client, tenant: tenant, username: "admin", password: "guess-\(attempt)") }
                    }
                    // The server keeps serving while the guesses run.
                    group.addTask { try await client.call(.get, "/healthz", token: nil) }
                    group.addTask { try await ScanAlertsTests.scan(client, codes.unit(3), device: "phone-lock") }
                    return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
                }
                #expect(answers.filter { $0.status == .ok }.count == 2, "healthz and the scan answer")
                let refused = answers.filter { $0.status == .unauthorized }
                let locked = answers.filter { $0.status == .tooManyRequests }
                #expect(refused.count + locked.count == 50, "\(answers.map { "\($0.status.code) \($0.text.prefix(80))" })")
                #expect(refused.count <= SignInThrottle.Policy.account.freeFailures + 1, "only the free attempts are checked: \(refused.count)")
                #expect(locked.allSatisfy { $0.errorCode == "too_many_attempts" && Int($0.headers[.retryAfter] ?? "") ?? 0 > 0 })

                // Even the right password waits for the lock to end.
                let right = try await Self.login(client, tenant: tenant, username: "admin", password: "secret-123")
                #expect(right.status == .tooManyRequests && Int(right.headers[.retryAfter] ?? "") ?? 0 > 0, "\(right.status)")
                // The web form says so too.
                let form = try await client.execute(
                    uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .origin: "http://localhost"],
                    body: ByteBuffer(string: "tenant=\(tenant)&username=admin&password=secret-123"))
                #expect(form.status == .tooManyRequests && form.headers[.retryAfter] != nil)
                // Another account is not locked by them, and the server still serves scans.
                #expect(try await Self.login(client, tenant: tenant, username: "mgr-r1", password: "secret-123").status == .ok)
                #expect(try await ScanAlertsTests.scan(client, codes.unit(4), device: "phone-lock").status == .ok)
            }
        }
    }

    @Test func oneAddressGuessingAcrossAccountsIsLockedToo() async throws {
        try await TestApp.with(.sqlite, configure: IdempotencyAbuseTests.trustLoopback) { app in
            let world = try await TestWorld.build(app)
            try await app.test(.live) { client in
                let address = "203.0.113.7"
                let free = SignInThrottle.Policy.address.freeFailures
                for attempt in 0..<free {
                    let answer = try await Self.login(
                        client, tenant: world.tenantA.code, username: "user-\(attempt)", password: "guess-guess", from: address)
                    #expect(answer.status == .unauthorized)
                }
                // Past the address's free failures: the next attempt still runs, then the address is locked.
                _ = try await Self.login(client, tenant: world.tenantA.code, username: "user-x", password: "guess-guess", from: address)
                let locked = try await Self.login(client, tenant: world.tenantA.code, username: "admin", password: "secret-123", from: address)
                #expect(locked.status == .tooManyRequests && locked.headers[.retryAfter] != nil)
                // Another address signs in as usual.
                #expect(
                    try await Self.login(client, tenant: world.tenantA.code, username: "admin", password: "secret-123", from: "203.0.113.8").status
                        == .ok)
            }
        }
    }

    @Test func lockoutsDoubleAndEndWhileTheTrackerStaysBounded() {
        let throttle = SignInThrottle(
            capacity: 4, account: .init(freeFailures: 2, firstLock: .seconds(10), longestLock: .seconds(35)), address: .address)
        let start = ContinuousClock.now
        #expect(throttle.begin(account: "a", address: nil, now: start) == .allowed)
        #expect(throttle.begin(account: "a", address: nil, now: start) == .allowed)
        #expect(throttle.begin(account: "a", address: nil, now: start) == .allowed) // the third runs and locks for 10 s
        #expect(throttle.begin(account: "a", address: nil, now: start + .seconds(1)) == .locked(retryAfter: 9))
        #expect(throttle.begin(account: "a", address: nil, now: start + .seconds(11)) == .allowed) // and locks for 20 s
        #expect(throttle.begin(account: "a", address: nil, now: start + .seconds(12)) == .locked(retryAfter: 19))
        #expect(throttle.begin(account: "a", address: nil, now: start + .seconds(32)) == .allowed) // 40 s, capped at 35
        #expect(throttle.begin(account: "a", address: nil, now: start + .seconds(33)) == .locked(retryAfter: 34))
        // A success forgets the account's failures.
        throttle.succeeded(account: "a", address: nil)
        #expect(throttle.begin(account: "a", address: nil, now: start + .seconds(34)) == .allowed)
        // Made-up accounts evict the least recently used, never everyone at once.
        for name in ["b", "c", "d", "e", "f"] {
            for _ in 0..<3 { _ = throttle.begin(account: name, address: nil, now: start) }
        }
        #expect(throttle.begin(account: "f", address: nil, now: start + .seconds(1)) != .allowed)
        #expect(throttle.begin(account: "b", address: nil, now: start + .seconds(1)) == .allowed, "b was the least recently used, evicted")
    }

    @Test func theLRUMapEvictsTheLeastRecentlyUsed() {
        var map = LRUMap<String, Int>(capacity: 3)
        map["a"] = 1
        map["b"] = 2
        map["c"] = 3
        _ = map["a"]
        map["d"] = 4
        #expect(map["b"] == nil && map["a"] == 1 && map["c"] == 3 && map["d"] == 4 && map.count == 3)
        map.removeValue(forKey: "c")
        map["e"] = 5
        map["f"] = 6
        #expect(map.count == 3 && map["a"] == nil && map["d"] == 4 && map["e"] == 5 && map["f"] == 6)
    }

    @Test(arguments: APIBackend.all)
    func aNewPasswordRevokesTheUsersTokensAndAPITokensExpire(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let manager = try #require(world.actors.first { $0.role == .manager }).token
            try await app.test { client in
                let me = try await client.call(.get, "/api/v1/me", token: manager)
                let managerID = try #require(me.json["userID"] as? Int)
                let session = try #require(
                    try await Self.login(client, tenant: world.tenantA.code, username: "mgr-r1", password: "secret-123").json["token"] as? String)
                // A change without a password keeps the tokens.
                let renamed = try await client.call(.patch, "/api/v1/users/\(managerID)", token: world.adminToken, json: #"{"displayName":"大区经理乙"}"#)
                #expect(renamed.status == .ok)
                #expect(try await client.call(.get, "/api/v1/me", token: manager).status == .ok)
                // A new password revokes every token of that user, and only theirs.
                let changed = try await client.call(
                    .patch, "/api/v1/users/\(managerID)", token: world.adminToken, json: #"{"password":"new-secret-456"}"#)
                #expect(changed.status == .ok, "\(changed.text)")
                for token in [manager, session] {
                    let old = try await client.call(.get, "/api/v1/me", token: token)
                    #expect(old.status == .unauthorized && old.errorCode == "invalid_token")
                }
                #expect(try await client.call(.get, "/api/v1/me", token: world.adminToken).status == .ok)
                #expect(try await Self.login(client, tenant: world.tenantA.code, username: "mgr-r1", password: "new-secret-456").status == .ok)

                // A personal API token expires after the configured time (30 days by default).
                let created = try await client.call(.post, "/api/v1/tokens", token: world.adminToken, json: #"{"name":"ci"}"#)
                let expiresAt = try #require((created.json["info"] as? [String: Any])?["expiresAt"] as? Int)
                let expected = Int(currentMillis() + app.services.configuration.apiTokenSeconds * 1000)
                #expect(app.services.configuration.apiTokenSeconds == 30 * 86_400)
                #expect(abs(expiresAt - expected) < 120_000, "\(expiresAt) vs \(expected)")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func anExpiredAPITokenIsRefused(_ backend: APIBackend) async throws {
        try await TestApp.with(backend, configure: { $0.apiTokenSeconds = -1 }) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let created = try await client.call(.post, "/api/v1/tokens", token: world.adminToken, json: #"{"name":"short"}"#)
                let token = try #require(created.json["token"] as? String)
                #expect(try await client.call(.get, "/api/v1/me", token: token).status == .unauthorized)
            }
        }
    }

    final class Records: Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test func aFailedSignInIsLoggedWithoutThePassword() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let records = Records()
            let logger = Logger(label: "sign-in") { _ in RecordingLogHandler(into: records) }
            let password = "Hunter2-very-secret"
            await #expect(throws: APIError.self) {
                try await AuthAPI.signIn(
                    tenant: world.tenantA.code, username: "admin", password: password, address: "192.0.2.9",
                    services: app.services, logger: logger)
            }
            let lines = records.lines.withLock { $0 }
            #expect(lines.contains { $0.contains("sign-in failed") && $0.contains("admin") && $0.contains("192.0.2.9") }, "\(lines)")
            #expect(!lines.contains { $0.contains(password) })
        }
    }

    /// Writes every record, with its metadata, into a shared list.
    struct RecordingLogHandler: LogHandler {
        let into: Records
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            into.lines.withLock { $0.append("\(event.message) \(all)") }
        }
    }
}
