import Foundation
import FullChainCore
import FullChainStorage
import Logging
import Testing

/// A database backend the conformance suite runs against.
enum Backend: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// The PostgreSQL test database, when one is configured.
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["FULLCHAIN_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// The test command runs PostgreSQL and says so: then a missing database fails the suites instead of skipping them.
    static var postgresExpected: Bool { ProcessInfo.processInfo.environment["FULLCHAIN_TEST_EXPECT_POSTGRES"] == "1" }

    /// Whether the PostgreSQL tests run (and fail when it is expected but missing).
    static var runsPostgres: Bool { postgresURL != nil || postgresExpected }

    /// SQLite always; PostgreSQL when `FULLCHAIN_TEST_POSTGRES_URL` is set or the test command expects it.
    static var all: [Backend] {
        [.sqlite] + (runsPostgres ? [.postgres] : [])
    }

    var testDescription: String { rawValue }
}

/// Runs `body` with storage on a fresh database of the backend: a new SQLite file in its
/// own temporary directory (removed afterwards), or the shared PostgreSQL test database
/// with its connection pool running for the duration of the body.
func withBackend(_ backend: Backend, _ body: (AppStorage) async throws -> Void) async throws {
    switch backend {
    case .sqlite:
        try await withSQLitePath { path in try await runSQLite(path: path, body) }
    case .postgres:
        guard let url = Backend.postgresURL else {
            Issue.record("FULLCHAIN_TEST_POSTGRES_URL is not set")
            return
        }
        var logger = Logger(label: "fullchain.storage-tests")
        logger.logLevel = .error
        let database = try PostgresDatabase(url: url, logger: logger, maximumConnections: 8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await database.run() }
            defer { group.cancelAll() }
            try await database.migrate()
            try await body(AppStorage(database: database))
        }
    }
}

/// Runs `body` with the path of a new SQLite file in its own temporary directory, removed afterwards.
func withSQLitePath(_ body: (String) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("fullchain-storage-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory.appendingPathComponent("test.sqlite").path)
}

/// Opens the SQLite file, runs the body, and lets the database close before the caller removes the file.
private func runSQLite(path: String, _ body: (AppStorage) async throws -> Void) async throws {
    let database = try SQLiteDatabase(path: path)
    try await body(AppStorage(database: database))
}

// MARK: - Errors

/// The case of a `StorageError`, without its message.
enum StorageErrorKind: Equatable, Sendable {
    case duplicate
    case missingReference
    case notFound
    case corruptRow
    case unavailable
    case exhausted
    case floorReached
}

extension StorageError {
    var kind: StorageErrorKind {
        switch self {
        case .duplicate: .duplicate
        case .missingReference: .missingReference
        case .notFound: .notFound
        case .corruptRow: .corruptRow
        case .unavailable: .unavailable
        case .exhausted: .exhausted
        case .floorReached: .floorReached
        }
    }
}

/// Expects `body` to throw a `StorageError` of the given kind.
func expectStorageError(
    _ expected: StorageErrorKind,
    _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected StorageError.\(expected), but nothing was thrown\(comment.map { ": \($0)" } ?? "")", sourceLocation: sourceLocation)
    } catch let error as StorageError {
        #expect(
            error.kind == expected, "expected StorageError.\(expected), got \(error)\(comment.map { ": \($0)" } ?? "")",
            sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected StorageError.\(expected), got \(error)\(comment.map { ": \($0)" } ?? "")", sourceLocation: sourceLocation)
    }
}

// MARK: - Fixtures

/// A tenant code no other test uses, so tests sharing one PostgreSQL database stay apart.
func uniqueCode(_ label: String) -> String {
    "\(label)-\(UUID().uuidString.lowercased())"
}

/// A new tenant with a unique code.
func makeTenant(_ storage: AppStorage, _ label: String = "brand") async throws -> Tenant {
    try await storage.tenants.create(code: uniqueCode(label), name: "Brand \(label)", timeZone: "Asia/Shanghai")
}

/// A GTIN from its body digits plus the computed check digit.
func makeGTIN(_ body: String) throws -> GTIN {
    let digits = body.compactMap { $0.wholeNumberValue }
    return try #require(GTIN(body + String(GTIN.checkDigit(for: digits))))
}

/// One tenant's sales org:
///
///     north 华北大区 ─ northArea 京津地区 ─ beijing 北京 ─ repA1 业代A1, repA2 业代A2
///     south 华南大区 ─ southArea 粤东地区 ─ shenzhen 深圳 ─ repB1 业代B1
struct Org {
    let tenant: Tenant
    let north: OrgNode
    let northArea: OrgNode
    let beijing: OrgNode
    let repA1: OrgNode
    let repA2: OrgNode
    let south: OrgNode
    let southArea: OrgNode
    let shenzhen: OrgNode
    let repB1: OrgNode

    var hq: AccessScope { .wholeTenant(tenant.id) }

    /// The scope of a manager (or salesperson) attached to `node`.
    func scope(_ node: OrgNode) -> AccessScope {
        AccessScope(tenantID: tenant.id, reach: .orgSubtree(path: node.path))
    }

    var allNodes: [OrgNode] { [north, northArea, beijing, repA1, repA2, south, southArea, shenzhen, repB1] }
}

func makeOrg(_ storage: AppStorage, tenant: Tenant? = nil) async throws -> Org {
    let tenant = if let tenant { tenant } else { try await makeTenant(storage, "org") }
    let hq = AccessScope.wholeTenant(tenant.id)
    let north = try await storage.org.create(parentID: nil, code: "N", name: "华北大区", scope: hq)
    let northArea = try await storage.org.create(parentID: north.id, code: "N-JJ", name: "京津地区", scope: hq)
    let beijing = try await storage.org.create(parentID: northArea.id, code: "N-JJ-BJ", name: "北京", scope: hq)
    let repA1 = try await storage.org.create(parentID: beijing.id, code: "N-JJ-BJ-1", name: "业代A1", scope: hq)
    let repA2 = try await storage.org.create(parentID: beijing.id, code: "N-JJ-BJ-2", name: "业代A2", scope: hq)
    let south = try await storage.org.create(parentID: nil, code: "S", name: "华南大区", scope: hq)
    let southArea = try await storage.org.create(parentID: south.id, code: "S-YD", name: "粤东地区", scope: hq)
    let shenzhen = try await storage.org.create(parentID: southArea.id, code: "S-YD-SZ", name: "深圳", scope: hq)
    let repB1 = try await storage.org.create(parentID: shenzhen.id, code: "S-YD-SZ-1", name: "业代B1", scope: hq)
    return Org(
        tenant: tenant, north: north, northArea: northArea, beijing: beijing, repA1: repA1, repA2: repA2,
        south: south, southArea: southArea, shenzhen: shenzhen, repB1: repB1)
}

/// Region codes used by the fixtures.
enum Regions {
    static let beijing = "110000000000"
    static let chaoyang = "110105000000"
    static let haidian = "110108000000"
    static let dongcheng = "110101000000"
    static let shenzhenCity = "440300000000"
    static let nanshan = "440305000000"
}

func storeDraft(
    _ code: String,
    name: String? = nil,
    type: StoreType = .supermarket,
    region: String = Regions.chaoyang,
    distributor: Distributor? = nil,
    rep: OrgNode? = nil,
    status: MasterDataStatus = .active
) -> StoreDraft {
    StoreDraft(
        code: code, name: name ?? "门店 \(code)", type: type, address: "地址 \(code)", regionCode: region,
        location: GeoPoint(latitude: 39.92, longitude: 116.44), distributorID: distributor?.id,
        salespersonNodeID: rep?.id, status: status)
}

/// An org with distributors and stores:
///
/// - `distA` managed by 北京, supplies `s1` (业代A1) and `s2` (业代A2);
/// - `distB` managed by 深圳, supplies `s3` (业代B1);
/// - `distX` managed by 深圳 but supplies `s4` (业代A1, in the north).
struct World {
    let org: Org
    let distA: Distributor
    let distB: Distributor
    let distX: Distributor
    let s1: Store
    let s2: Store
    let s3: Store
    let s4: Store

    var tenant: Tenant { org.tenant }
    var hq: AccessScope { org.hq }
    func scope(_ node: OrgNode) -> AccessScope { org.scope(node) }
    func scope(_ distributor: Distributor) -> AccessScope { AccessScope(tenantID: tenant.id, reach: .distributor(id: distributor.id)) }
    func scope(_ store: Store) -> AccessScope { AccessScope(tenantID: tenant.id, reach: .store(id: store.id)) }
}

func makeWorld(_ storage: AppStorage) async throws -> World {
    let org = try await makeOrg(storage)
    let hq = org.hq
    let distA = try await storage.distributors.create(
        DistributorDraft(
            code: "D-A", name: "北京朝海商贸", contactName: "张三", phone: "010-12345678", address: "北京市朝阳区",
            orgNodeID: org.beijing.id, territory: [Regions.chaoyang, Regions.haidian]),
        scope: hq)
    let distB = try await storage.distributors.create(
        DistributorDraft(code: "D-B", name: "深圳南山贸易", orgNodeID: org.shenzhen.id, territory: [Regions.nanshan]),
        scope: hq)
    let distX = try await storage.distributors.create(
        DistributorDraft(code: "D-X", name: "跨区物流", orgNodeID: org.shenzhen.id, territory: [Regions.chaoyang]),
        scope: hq)
    let s1 = try await storage.stores.create(
        storeDraft("S001", name: "朝阳一号店", type: .supermarket, region: Regions.chaoyang, distributor: distA, rep: org.repA1), scope: hq)
    let s2 = try await storage.stores.create(
        storeDraft("S002", name: "海淀便利", type: .convenience, region: Regions.haidian, distributor: distA, rep: org.repA2), scope: hq)
    let s3 = try await storage.stores.create(
        storeDraft("S003", name: "南山杂货", type: .grocery, region: Regions.nanshan, distributor: distB, rep: org.repB1), scope: hq)
    let s4 = try await storage.stores.create(
        storeDraft(
            "S004", name: "朝阳二号店", type: .convenience, region: Regions.chaoyang, distributor: distX, rep: org.repA1,
            status: .inactive),
        scope: hq)
    return World(org: org, distA: distA, distB: distB, distX: distX, s1: s1, s2: s2, s3: s3, s4: s4)
}
