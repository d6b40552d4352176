import FullChainCore
import FullChainStorage
import Hummingbird

/// The brand's double-entry ledger (HQ).
enum LedgerAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        return [
            APIEndpoint(
                .get, "/api/v1/ledger/check", id: "checkLedger", tag: "ledger",
                summary:
                    "Proves the brand's books balance: debits equal credits in every entry, balances equal their postings, no account below its floor",
                response: "LedgerCheck"
            ) { _, context in
                let p = try context.require(.auditLedger)
                let check = try await storage.ledger.check(tenantID: p.tenantID)
                return try .json(LedgerCheckView(check))
            }
        ]
    }
}

/// The check as the API answers it.
struct LedgerCheckView: Codable, Sendable {
    var balanced: Bool
    var entries: Int
    var accounts: Int
    var debits: [String: Int64]
    var credits: [String: Int64]
    var unbalancedEntries: [Int64]
    var mismatchedAccounts: [String]
    var accountsBelowFloor: [String]

    init(_ check: LedgerCheck) {
        balanced = check.isBalanced
        entries = check.entries
        accounts = check.accounts
        debits = check.debits
        credits = check.credits
        unbalancedEntries = check.unbalancedEntries
        mismatchedAccounts = check.mismatchedAccounts
        accountsBelowFloor = check.accountsBelowFloor
    }
}
