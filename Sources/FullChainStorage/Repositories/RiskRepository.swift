public import FullChainCore

/// The brand's blacklist (consumers, devices, IP addresses, phones).
public protocol RiskRepository: Sendable {
    /// Every entry, by kind and value.
    func blacklist(tenantID: Int64) async throws(StorageError) -> [BlacklistEntry]
    /// Adds the entries (an entry already listed keeps its note); returns how many were new. All or none.
    func addToBlacklist(_ entries: [BlacklistEntry], tenantID: Int64) async throws(StorageError) -> Int
    /// Removes one entry; false when it was not listed.
    func removeFromBlacklist(kind: BlacklistKind, value: String, tenantID: Int64) async throws(StorageError) -> Bool
}

struct SQLRiskRepository: RiskRepository {
    let db: any SQLDatabase

    func blacklist(tenantID: Int64) async throws(StorageError) -> [BlacklistEntry] {
        var entries: [BlacklistEntry] = []
        for row in try await db.read("SELECT kind, value, note FROM risk_blacklist WHERE tenant_id = \(tenantID) ORDER BY kind, value") {
            guard let kind = BlacklistKind(rawValue: try row.string("kind")) else { continue }
            entries.append(BlacklistEntry(kind: kind, value: try row.string("value"), note: row.optionalString("note") ?? ""))
        }
        return entries
    }

    func addToBlacklist(_ entries: [BlacklistEntry], tenantID: Int64) async throws(StorageError) -> Int {
        let now = currentMillis()
        var steps: [SQLStep] = []
        var seen = Set<String>()
        for chunk in stride(from: 0, to: entries.count, by: 500).map({ entries[$0..<min($0 + 500, entries.count)] }) {
            let rows = chunk.filter { seen.insert($0.subject).inserted }.map { entry -> SQLStatement in
                "(\(tenantID), \(entry.kind.rawValue), \(entry.value), \(entry.note), \(now))"
            }
            guard !rows.isEmpty else { continue }
            steps.append(
                SQLStep(
                    """
                    INSERT INTO risk_blacklist (tenant_id, kind, value, note, created_at) VALUES \(SQLStatement.join(rows, separator: ", "))
                    ON CONFLICT (tenant_id, kind, value) DO NOTHING RETURNING value
                    """))
        }
        guard !steps.isEmpty else { return 0 }
        return try await db.transaction(steps).reduce(0) { $0 + $1.count }
    }

    func removeFromBlacklist(kind: BlacklistKind, value: String, tenantID: Int64) async throws(StorageError) -> Bool {
        !(try await db.execute(
            """
            DELETE FROM risk_blacklist WHERE tenant_id = \(tenantID) AND kind = \(kind.rawValue) AND value = \(value) RETURNING value
            """)).isEmpty
    }
}
