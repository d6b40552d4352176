public import FullChainCore

/// Synthetic consumers for benchmarks: millions of profiles, each with an identity, loaded in
/// large statements (a recursive series on SQLite, `generate_series` on PostgreSQL).
public struct SyntheticConsumers: Sendable {
    let db: any SQLDatabase

    public init(storage: AppStorage) { db = storage.database }

    /// Profiles `first…last` (ids), spread over `stores` stores from `firstStore` on, their scans
    /// in the last 400 days; each with a synthetic identity `syn<id>`.
    public func load(first: Int64, last: Int64, firstStore: Int64, stores: Int64, now: Int64, tenantID: Int64) async throws(StorageError) {
        let day: Int64 = 86_400_000
        let series: SQLStatement = .dialect(
            sqlite: "WITH RECURSIVE n(i) AS (SELECT \(first) UNION ALL SELECT i + 1 FROM n WHERE i < \(last)) ",
            postgres: "")
        let from: SQLStatement = .dialect(sqlite: " FROM n", postgres: " FROM generate_series(\(first), \(last)) AS n(i)")
        let label: SQLStatement = .dialect(
            sqlite: "'139****' || substr('000' || (i % 10000), -4)", postgres: "'139****' || lpad(CAST(i % 10000 AS TEXT), 4, '0')")
        let key: SQLStatement = .dialect(sqlite: "'syn' || i", postgres: "'syn' || CAST(i AS TEXT)")
        _ = try await db.transaction([
            SQLStep(
                series
                    + """
                    INSERT INTO consumer_profiles (tenant_id, id, label, verified, stage, scans, first_scan_at, last_scan_at, store_id, created_at, updated_at)
                    SELECT \(tenantID), i, \(label), 1,
                        CASE WHEN i % 97 >= 60 THEN 'dormant' WHEN i % 9 >= 5 THEN 'loyal' WHEN i % 9 >= 1 THEN 'active' ELSE 'new' END,
                        1 + i % 9, \(now) - (i % 97) * \(day) - (i % 300) * \(day), \(now) - (i % 97) * \(day) - (i % 86400) * 1000,
                        \(firstStore) + i % \(stores), \(now), \(now)
                    """ + from),
            SQLStep(
                series
                    + """
                    INSERT INTO consumer_identities (tenant_id, pseudonym, kind, profile_id, first_seen)
                    SELECT \(tenantID), \(key), 'phone', i, \(now)
                    """ + from),
        ])
    }

    /// Gives profiles the identities a person can search by (pseudonyms the app computed).
    public func addIdentities(
        _ identities: [(pseudonym: String, profileID: Int64)], kind: IdentityKind, at now: Int64, tenantID: Int64
    )
        async throws(StorageError)
    {
        for start in stride(from: 0, to: identities.count, by: 500) {
            let rows = identities[start..<min(start + 500, identities.count)].map { row -> SQLStatement in
                "(\(tenantID), \(row.pseudonym), \(kind.rawValue), \(row.profileID), \(now))"
            }
            try await db.execute(
                "INSERT INTO consumer_identities (tenant_id, pseudonym, kind, profile_id, first_seen) VALUES "
                    + SQLStatement.join(rows, separator: ", ") + " ON CONFLICT (tenant_id, pseudonym) DO NOTHING")
        }
    }

    /// Scan events of a consumer (`consumer:` and a pseudonym) of units of one batch, scan number
    /// 1,000 and up (apart from any real scan of the unit).
    public func addScans(
        _ scans: [(consumer: String, serial: Int64, storeID: Int64, at: Int64)], batchID: Int64, tenantID: Int64
    )
        async throws(StorageError)
    {
        for start in stride(from: 0, to: scans.count, by: 500) {
            let rows = scans[start..<min(start + 500, scans.count)].enumerated().map { index, row -> SQLStatement in
                "(\(tenantID), \(batchID), \(row.serial), \(Int64(1_000 + start + index)), \(row.at), \(row.consumer), \(row.storeID), 'active')"
            }
            try await db.execute(
                "INSERT INTO scan_events (tenant_id, batch_id, serial, scan_number, scanned_at, consumer, store_id, status) VALUES "
                    + SQLStatement.join(rows, separator: ", "))
        }
    }

    /// Refreshes the planner's statistics after the load.
    public func analyze() async throws(StorageError) {
        try await db.execute("ANALYZE")
    }
}
