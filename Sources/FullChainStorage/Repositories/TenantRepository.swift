public import FullChainCore

/// Brands (tenants).
public protocol TenantRepository: Sendable {
    func create(code: String, name: String, timeZone: String) async throws(StorageError) -> Tenant
    func find(code: String) async throws(StorageError) -> Tenant?
    func get(id: Int64) async throws(StorageError) -> Tenant?
    /// Every brand, by id (for deployment-wide jobs such as the ledger check).
    func all() async throws(StorageError) -> [Tenant]
}

struct SQLTenantRepository: TenantRepository {
    let db: any SQLDatabase

    func create(code: String, name: String, timeZone: String) async throws(StorageError) -> Tenant {
        let id = try await db.allocateIDs("tenants", tenantID: 0)
        let now = currentMillis()
        try await db.execute("INSERT INTO tenants (id, code, name, time_zone, created_at) VALUES (\(id), \(code), \(name), \(timeZone), \(now))")
        return Tenant(id: id, code: code, name: name, timeZone: timeZone, createdAt: now)
    }

    func find(code: String) async throws(StorageError) -> Tenant? {
        try await db.read("SELECT * FROM tenants WHERE code = \(code)").first.map(Self.decode)
    }

    func get(id: Int64) async throws(StorageError) -> Tenant? {
        try await db.read("SELECT * FROM tenants WHERE id = \(id)").first.map(Self.decode)
    }

    func all() async throws(StorageError) -> [Tenant] {
        try await db.read("SELECT * FROM tenants ORDER BY id").map(Self.decode)
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> Tenant {
        Tenant(
            id: try row.int("id"), code: try row.string("code"), name: try row.string("name"),
            timeZone: try row.string("time_zone"), createdAt: try row.int("created_at"))
    }
}
