public import FullChainCore

/// What a scan needs to know of the store that sold a unit.
public struct StoreFacts: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var address: String?
    public var regionCode: String
    public var orgPath: String
    public var location: GeoPoint?
    public var distributorID: Int64?
}

/// What a scan needs to know of the distributor a case was shipped to.
public struct DistributorFacts: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var orgPath: String
    public var territory: Territory
}

/// Reads of the sales channel for the public scan path (whole tenant: the code named the brand,
/// and only names and places go back to the consumer).
public protocol ChannelFactsRepository: Sendable {
    func store(id: Int64, tenantID: Int64) async throws(StorageError) -> StoreFacts?
    func distributor(id: Int64, tenantID: Int64) async throws(StorageError) -> DistributorFacts?
    /// Active stores nearest to a point: those in the same county, else the same city, nearest first.
    func nearbyStores(regionCode: String, around point: GeoPoint, limit: Int, tenantID: Int64) async throws(StorageError) -> [StoreFacts]
}

struct SQLChannelFactsRepository: ChannelFactsRepository {
    let db: any SQLDatabase

    private static let storeColumns: SQLStatement = "s.id, s.name, s.address, s.region_code, s.org_path, s.latitude, s.longitude, s.distributor_id"

    func store(id: Int64, tenantID: Int64) async throws(StorageError) -> StoreFacts? {
        try await db.read("SELECT \(Self.storeColumns) FROM stores s WHERE s.tenant_id = \(tenantID) AND s.id = \(id)").first
            .map { row throws(StorageError) in try Self.decodeStore(row) }
    }

    func distributor(id: Int64, tenantID: Int64) async throws(StorageError) -> DistributorFacts? {
        guard
            let row = try await db.read("SELECT d.id, d.name, d.org_path FROM distributors d WHERE d.tenant_id = \(tenantID) AND d.id = \(id)").first
        else {
            return nil
        }
        let territory = try await db.read(
            """
            SELECT region_code FROM distributor_territories WHERE tenant_id = \(tenantID) AND distributor_id = \(id) ORDER BY region_code
            """)
        var codes: [String] = []
        for region in territory { codes.append(try region.string("region_code")) }
        return DistributorFacts(id: try row.int("id"), name: try row.string("name"), orgPath: try row.string("org_path"), territory: Territory(codes))
    }

    func nearbyStores(regionCode: String, around point: GeoPoint, limit: Int, tenantID: Int64) async throws(StorageError) -> [StoreFacts] {
        var found: [StoreFacts] = []
        // The county first, then the whole city (codes sharing the first four digits).
        for wholeCity in [false, true] {
            let (low, high) = ScopeSQL.pathRange(String(regionCode.prefix(4)))
            let area: SQLStatement = wholeCity ? "s.region_code >= \(low) AND s.region_code < \(high)" : "s.region_code = \(regionCode)"
            let rows = try await db.read(
                """
                SELECT \(Self.storeColumns) FROM stores s
                WHERE s.tenant_id = \(tenantID) AND \(area) AND s.status = 'active'
                  AND s.latitude IS NOT NULL AND s.longitude IS NOT NULL
                LIMIT 2000
                """)
            found = []
            for row in rows { found.append(try Self.decodeStore(row)) }
            if found.count >= limit { break }
        }
        return Array(found.sorted { ($0.location?.distance(to: point) ?? .infinity) < ($1.location?.distance(to: point) ?? .infinity) }.prefix(limit))
    }

    static func decodeStore(_ row: SQLRow) throws(StorageError) -> StoreFacts {
        let location = row.geoPoint()
        return StoreFacts(
            id: try row.int("id"), name: try row.string("name"), address: row.optionalString("address"), regionCode: try row.string("region_code"),
            orgPath: try row.string("org_path"), location: location, distributorID: row.optionalInt("distributor_id"))
    }
}
