import AsyncHTTPClient
import Foundation
import FullChainApp
import FullChainServer
import FullChainStorage
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// The master key fails safe: only a missing key file is created; a file that cannot be read
/// or holds no key stops the start and stays as it was; a node whose key is not the
/// deployment's refuses to start.
@Suite("Master key")
struct MasterKeyTests {
    @Test func theApplicationsErrorsReachClientsWithTheirStatusAndCode() {
        // A key ring without the master key, an import that clashes: their own errors, answered with a status and their code.
        let unavailable = APIError.from(AppError(.unavailable, code: "no_master_key", message: "no key"))
        #expect(unavailable.status == .serviceUnavailable && unavailable.code == "no_master_key" && unavailable.message == "no key")
        #expect(APIError.from(AppError(.notFound, code: "gone", message: "m")).status == .notFound)
        #expect(APIError.from(AppError(.conflict, code: "duplicate", message: "m")).status == .conflict)
        #expect(APIError.from(AppError(.unreadable, code: "missing_columns", message: "m")).status == .unprocessableContent)
    }

    static var adminURL: String? {
        guard let url = ProcessInfo.processInfo.environment["FULLCHAIN_TEST_POSTGRES_ADMIN_URL"], !url.isEmpty else { return nil }
        return url
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fullchain-master-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs `fullchain serve` until it exits or answers `/healthz` (then stops it). Returns the
    /// exit status when it refused to start (nil when it served) and what it printed on stderr.
    static func start(database: String, keyFile: String? = nil, key: MasterKey? = nil) async throws -> (refused: Int32?, stderr: String) {
        let port = Int.random(in: 20_000...32_000)
        let process = Process()
        process.executableURL = try CrashRecoveryTests.executable()
        process.arguments =
            ["serve", "--database", database, "--port", "\(port)", "--log-level", "error"] + (keyFile.map { ["--master-key-file", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["FULLCHAIN_MASTER_KEY"] = key?.base64
        process.environment = environment
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        for _ in 0..<600 {
            if !process.isRunning {
                process.waitUntilExit()
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                return (process.terminationStatus, text)
            }
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(1)),
                response.status == .ok
            {
                process.terminate()
                process.waitUntilExit()
                return (nil, "")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the server neither started nor stopped")
        return (nil, "")
    }

    @Test func aMissingKeyFileIsCreatedForTheOwnerOnly() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("node.master-key").path
        let (key, created) = try MasterKey.load(environment: [:], file: file)
        #expect(created)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let (again, createdAgain) = try MasterKey.load(environment: [:], file: file)
        #expect(!createdAgain)
        #expect(again.base64 == key.base64)
    }

    @Test(arguments: ["", "not a key\n", "c2hvcnQ=\n", String(repeating: "A", count: 10_000)])
    func aKeyFileWithoutAKeyStopsTheStartUntouched(_ content: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("node.master-key").path
        try Data(content.utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: MasterKeyError.self) { try MasterKey.load(environment: [:], file: file) }
        #expect(FileManager.default.contents(atPath: file) == Data(content.utf8))
    }

    @Test func aKeyFileOfInvalidUTF8StopsTheStartUntouched() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("node.master-key").path
        let bytes = Data([0xFF, 0xFE, 0x41, 0x80, 0x0A])
        try bytes.write(to: URL(fileURLWithPath: file))
        #expect(throws: MasterKeyError.self) { try MasterKey.load(environment: [:], file: file) }
        #expect(FileManager.default.contents(atPath: file) == bytes)
    }

    @Test func anUnreadableKeyPathStopsTheStartUntouched() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A directory where the key file should be: reading fails, and not because it is missing.
        let path = directory.appendingPathComponent("node.master-key")
        try FileManager.default.createDirectory(at: path, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: path.appendingPathComponent("inside"))
        #expect(throws: MasterKeyError.self) { try MasterKey.load(environment: [:], file: path.path) }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path.path) == ["inside"])
    }

    @Test func theServerRefusesToStartOnACorruptKeyFile() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("node.master-key").path
        let corrupt = Data("QUJD-this-is-not-a-key==\n".utf8)
        try corrupt.write(to: URL(fileURLWithPath: file))
        let (refused, stderr) = try await Self.start(database: directory.appendingPathComponent("db.sqlite").path, keyFile: file)
        #expect(refused != nil && refused != 0)
        #expect(stderr.contains("master key"))
        #expect(FileManager.default.contents(atPath: file) == corrupt)
    }

    @Test func aNodeWithAnotherKeyRefusesToStartOnSQLite() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("db.sqlite").path
        try await Self.secondNodeWithAnotherKeyIsRefused(database: database) {
            try await AppStorage(database: SQLiteDatabase(path: database)).deployment.masterKeyCheck(proposing: "unused")
        }
    }

    @Test(.enabled(if: MasterKeyTests.adminURL != nil || APIBackend.postgresExpected, "needs FULLCHAIN_TEST_POSTGRES_ADMIN_URL"))
    func aNodeWithAnotherKeyRefusesToStartOnPostgreSQL() async throws {
        var logger = Logger(label: "fullchain.master-key-tests")
        logger.logLevel = .error
        let adminURL = try #require(MasterKeyTests.adminURL)
        let admin = try PostgresDatabase(url: adminURL, logger: logger, maximumConnections: 2)
        let base = try #require(adminURL.range(of: "/", options: .backwards).map { adminURL[..<$0.lowerBound] })
        let database = String(base) + "/fullchain_master_key_test"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await admin.run() }
            defer { group.cancelAll() }
            _ = try await admin.read("DROP DATABASE IF EXISTS fullchain_master_key_test")
            _ = try await admin.read("CREATE DATABASE fullchain_master_key_test")
            try await Self.secondNodeWithAnotherKeyIsRefused(database: database) {
                let node = try PostgresDatabase(url: database, logger: logger, maximumConnections: 1)
                return try await withThrowingTaskGroup(of: String?.self) { pool in
                    pool.addTask {
                        try await node.run()
                        return nil
                    }
                    defer { pool.cancelAll() }
                    return try await AppStorage(database: node).deployment.masterKeyCheck(proposing: "unused")
                }
            }
            _ = try await admin.read("DROP DATABASE IF EXISTS fullchain_master_key_test WITH (FORCE)")
        }
    }

    /// The first node stores its key's check value; a node with another key is refused and
    /// changes nothing; the first key still starts.
    static func secondNodeWithAnotherKeyIsRefused(database: String, storedCheck: () async throws -> String) async throws {
        let deployment = MasterKey.generate()
        let stranger = MasterKey.generate()
        #expect(try await start(database: database, key: deployment).refused == nil)
        #expect(try await storedCheck() == deployment.checkValue)
        let (refused, stderr) = try await start(database: database, key: stranger)
        #expect(refused != nil && refused != 0)
        #expect(stderr.contains("master key"))
        #expect(try await storedCheck() == deployment.checkValue)
        #expect(try await start(database: database, key: deployment).refused == nil)
    }
}
