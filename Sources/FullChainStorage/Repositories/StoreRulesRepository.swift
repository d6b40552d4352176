import Foundation
public import FullChainCore

/// A brand's rules for the store job (thresholds, windows, the default scan rate), defaults until saved.
public protocol StoreRulesRepository: Sendable {
    func rules(tenantID: Int64) async throws(StorageError) -> StoreRules
    func saveRules(_ rules: StoreRules, tenantID: Int64) async throws(StorageError)
}

struct SQLStoreRulesRepository: StoreRulesRepository {
    let db: any SQLDatabase

    func rules(tenantID: Int64) async throws(StorageError) -> StoreRules {
        guard let text = try await db.read("SELECT rules FROM store_rule_settings WHERE tenant_id = \(tenantID)").first?.optionalString("rules")
        else {
            return StoreRules()
        }
        do {
            return try JSONCoding.decode(StoreRules.self, from: text)
        } catch {
            throw .corruptRow("store_rule_settings.rules")
        }
    }

    func saveRules(_ rules: StoreRules, tenantID: Int64) async throws(StorageError) {
        let text = JSONCoding.encode(rules)
        try await db.execute(
            """
            INSERT INTO store_rule_settings (tenant_id, rules, updated_at) VALUES (\(tenantID), \(text), \(currentMillis()))
            ON CONFLICT (tenant_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at
            """)
    }
}
