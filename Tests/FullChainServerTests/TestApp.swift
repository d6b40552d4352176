import AsyncHTTPClient
import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Glibc
import Hummingbird
import HummingbirdTesting
import Logging
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing

/// The storage backends every API test runs on: SQLite always, PostgreSQL when configured.
enum APIBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["FULLCHAIN_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// The test command runs PostgreSQL and says so: then a missing database fails the suites instead of skipping them.
    static var postgresExpected: Bool { ProcessInfo.processInfo.environment["FULLCHAIN_TEST_EXPECT_POSTGRES"] == "1" }

    /// Whether the PostgreSQL tests run (and fail when it is expected but missing).
    static var runsPostgres: Bool { postgresURL != nil || postgresExpected }

    static var all: [APIBackend] { [.sqlite] + (runsPostgres ? [.postgres] : []) }

    var testDescription: String { rawValue }
}

/// The application under test, with its services for seeding data directly.
struct TestApp {
    let services: AppServices
    let opened: OpenedStorage

    var storage: AppStorage { services.storage }

    /// The master key of every test server. Like every node of one deployment, all servers over
    /// the shared PostgreSQL test database hold the same key: each server's jobs (retention
    /// renames consumers to keyed pseudonyms) run over every brand in the database.
    static let masterKey = MasterKey.generate()

    /// Builds the real application on a fresh database and runs `body` with it; storage services
    /// (PostgreSQL's pool) run for the duration.
    static func with(
        _ backend: APIBackend, configure: (inout AppConfiguration) -> Void = { _ in }, _ body: (TestApp) async throws -> Void
    ) async throws {
        var logger = Logger(label: "fullchain-tests")
        logger.logLevel = .error
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fullchain-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database: AppConfiguration.Database
        switch backend {
        case .sqlite: database = .sqlite(path: directory.appendingPathComponent("api.sqlite").path)
        case .postgres:
            database = .postgres(url: try #require(APIBackend.postgresURL, "the test command expected PostgreSQL (FULLCHAIN_TEST_POSTGRES_URL)"))
        }
        // Port 0: a live test server listens on a free port.
        var configuration = AppConfiguration(
            port: 0, database: database, maxJSONBytes: 64 * 1024, maxImportBytes: 8 << 20, bcryptCost: 4,
            masterKey: Self.masterKey, scanHost: "fc.example.cn")
        configure(&configuration)
        let opened = try openStorage(configuration.database, logger: logger)
        let app = TestApp(services: AppServices(storage: opened.storage, configuration: configuration), opened: opened)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in opened.services {
                group.addTask { try await service.run() }
            }
            defer { group.cancelAll() }
            try await opened.prepare()
            try await body(app)
        }
    }

    /// A database of the test's own (on PostgreSQL, created afresh and dropped after; nil on
    /// SQLite, whose test databases are already the test's own). A real server binary runs every
    /// background job (payouts, journeys, rollups) over every brand of its database, and must not
    /// touch other tests' brands in the shared one.
    static func withOwnDatabase(
        _ backend: APIBackend, _ own: OwnDatabase, _ body: (AppConfiguration.Database?) async throws -> Void
    ) async throws {
        guard backend == .postgres else { return try await body(nil) }
        let adminURL = try #require(MasterKeyTests.adminURL, "the test command sets FULLCHAIN_TEST_POSTGRES_ADMIN_URL")
        var logger = Logger(label: "fullchain-tests-own-database")
        logger.logLevel = .error
        let admin = try PostgresDatabase(url: adminURL, logger: logger, maximumConnections: 2)
        let base = try #require(adminURL.range(of: "/", options: .backwards).map { adminURL[..<$0.lowerBound] })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await admin.run() }
            defer { group.cancelAll() }
            _ = try await admin.read(own.drop)
            _ = try await admin.read(own.create)
            try await body(.postgres(url: String(base) + "/" + own.rawValue))
            _ = try await admin.read(own.drop)
        }
    }

    /// The PostgreSQL databases tests make for themselves.
    enum OwnDatabase: String {
        case journeyCrash = "fullchain_journey_crash"
        case prizeCrash = "fullchain_prize_crash"

        var drop: SQLStatement {
            switch self {
            case .journeyCrash: "DROP DATABASE IF EXISTS fullchain_journey_crash WITH (FORCE)"
            case .prizeCrash: "DROP DATABASE IF EXISTS fullchain_prize_crash WITH (FORCE)"
            }
        }

        var create: SQLStatement {
            switch self {
            case .journeyCrash: "CREATE DATABASE fullchain_journey_crash"
            case .prizeCrash: "CREATE DATABASE fullchain_prize_crash"
            }
        }
    }

    /// Another server over the same database (its own connections, caches and write queues, the
    /// same configuration), as a second `serve` node would be.
    func secondNode(_ body: (TestApp) async throws -> Void) async throws {
        var logger = Logger(label: "fullchain-tests-node-2")
        logger.logLevel = .error
        let opened = try openStorage(services.configuration.database, logger: logger)
        let node = TestApp(services: AppServices(storage: opened.storage, configuration: services.configuration), opened: opened)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in opened.services {
                group.addTask { try await service.run() }
            }
            defer { group.cancelAll() }
            try await opened.prepare()
            try await body(node)
        }
    }

    /// Runs requests against the router (`.router`, the default), or over real connections to
    /// the application listening on a free loopback port (`.live`: the server sees the peer's address).
    func test(_ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var logger = Logger(label: "fullchain-tests")
        logger.logLevel = .error
        let application = buildApplication(
            services: services, opened: OpenedStorage(storage: opened.storage, services: [], prepare: {}), logger: logger)
        try await application.test(setup, body)
    }

    /// Serves the application on a free loopback port (fresh services over the same storage) and
    /// runs `body` with the port, for clients outside the process such as a browser.
    func live(port: Int = 0, _ body: @Sendable @escaping (Int) async throws -> Void) async throws {
        var logger = Logger(label: "fullchain-tests")
        logger.logLevel = .error
        var configuration = services.configuration
        configuration.port = port
        let application = buildApplication(
            services: AppServices(storage: storage, configuration: configuration),
            opened: OpenedStorage(storage: opened.storage, services: [], prepare: {}), logger: logger)
        guard port != 0 else {
            try await application.test(.live) { client in
                try await body(try #require(client.port))
            }
            return
        }
        // On the port asked for (a page that must know its own address before it starts).
        // A busy two-core machine may take seconds to start it; a server that stopped (the port
        // was taken meanwhile) is reported at once, with its error.
        let stopped = LockedBox<String?>(nil)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await application.runService()
                    stopped.set("the server stopped")
                } catch {
                    stopped.set("the server stopped: \(error)")
                }
            }
            defer { group.cancelAll() }
            let deadline = ContinuousClock.now.advanced(by: .seconds(60))
            var ready = false
            while !ready, stopped.value == nil, ContinuousClock.now < deadline {
                ready =
                    (try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(2)))?
                    .status == .ok
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(ready, "the server did not start on port \(port): \(stopped.value ?? "no answer in 60 s")")
            try await body(port)
        }
    }

    /// A loopback port nothing listens on now, for a server that must know its address before it
    /// starts. Below Linux's ephemeral range (32768–60999): an outgoing connection of another test
    /// cannot take it between now and the server's start.
    static func freeLoopbackPort() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20_000...32_000)
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            try #require(socket >= 0)
            defer { close(socket) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
            if bound == 0 { return port }
        }
        struct NoFreePort: Error, CustomStringConvertible {
            var description: String { "no free loopback port between 20000 and 32000" }
        }
        throw NoFreePort()
    }

    /// An API token for a user, made directly in storage.
    func token(tenantID: Int64, userID: Int64) async throws -> String {
        let token = TokenCodec.generate(tenantID: tenantID)
        _ = try await storage.tokens.create(
            tenantID: tenantID, userID: userID, kind: .api, name: "test", tokenHash: TokenCodec.hash(token), expiresAt: nil)
        return token
    }
}

extension TestClientProtocol {
    /// A request with a bearer token and an optional JSON or raw body.
    func call(
        _ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil, body: [UInt8]? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(string: json)
        } else if let body {
            buffer = ByteBuffer(bytes: body)
        }
        return try await execute(uri: path, method: method, headers: headers, body: buffer)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The `error.code` of an error envelope.
    var errorCode: String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let error = object["error"] as? [String: Any]
        else { return nil }
        return error["code"] as? String
    }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }
}

/// A value shared between tasks.
final class LockedBox<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ value: Value) { state = Mutex(value) }

    var value: Value { state.withLock { $0 } }

    func set(_ value: Value) { state.withLock { $0 = value } }
}
