/// Facts about the whole deployment, shared by every node on the database.
public protocol DeploymentRepository: Sendable {
    /// The stored check value of the deployment's master key. When none is stored yet,
    /// `proposed` is stored (the first node to start wins) and returned; otherwise nothing is
    /// written and the stored value is returned for the caller to compare.
    func masterKeyCheck(proposing proposed: String) async throws(StorageError) -> String
}

struct SQLDeploymentRepository: DeploymentRepository {
    let db: any SQLDatabase

    func masterKeyCheck(proposing proposed: String) async throws(StorageError) -> String {
        if let stored = try await stored() { return stored }
        let now = currentMillis()
        try await db.execute(
            """
            INSERT INTO deployment_settings (name, value, created_at) VALUES ('master_key_check', \(proposed), \(now))
            ON CONFLICT (name) DO NOTHING
            """)
        guard let stored = try await stored() else { throw .corruptRow("deployment_settings") }
        return stored
    }

    private func stored() async throws(StorageError) -> String? {
        try await db.read("SELECT value FROM deployment_settings WHERE name = 'master_key_check'").first.map { row throws(StorageError) in
            try row.string("value")
        }
    }
}
