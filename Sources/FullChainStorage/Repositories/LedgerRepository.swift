public import FullChainCore

/// How posting an entry went.
public enum LedgerPostResult: Sendable, Equatable {
    case posted(entryID: Int64)
    /// An entry with this key was posted before (with the same postings): nothing changed.
    case alreadyPosted(entryID: Int64)
}

/// The brand's double-entry ledger: entries posted at most once per key, balances kept with
/// them in the same transaction, and a check that proves the books balance.
public protocol LedgerRepository: Sendable {
    /// Posts the entry, all or nothing: `.floorReached` when an account would fall below its
    /// floor (nothing is posted); `.duplicate` when the key was used for other postings.
    func post(_ entry: LedgerEntry, tenantID: Int64) async throws(StorageError) -> LedgerPostResult
    /// An account's balance (0 for an account never used).
    func balance(of account: LedgerAccount, asset: LedgerAsset, tenantID: Int64) async throws(StorageError) -> Int64
    /// What several accounts hold together (e.g. every shard of a budget).
    func total(of accounts: [LedgerAccount], asset: LedgerAsset, tenantID: Int64) async throws(StorageError) -> Int64
    /// Checks the tenant's books.
    func check(tenantID: Int64) async throws(StorageError) -> LedgerCheck
}

struct SQLLedgerRepository: LedgerRepository {
    let db: any SQLDatabase

    func post(_ entry: LedgerEntry, tenantID: Int64) async throws(StorageError) -> LedgerPostResult {
        let id = try await db.allocateIDs("ledger_entries", tenantID: tenantID)
        let now = currentMillis()
        let postings = entry.postings
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                return [LedgerSteps.entryOnce(entry, id: id, tenantID: tenantID, at: now)]
            case 1 where !done["entry"].isEmpty:
                return LedgerSteps.postings(of: postings, entryID: id, tenantID: tenantID)
            default:
                return []
            }
        })
        if !done["entry"].isEmpty { return .posted(entryID: id) }
        // Posted before under this key: the same postings, or a misuse of the key.
        guard
            let existing = try await db.read(
                """
                SELECT id FROM ledger_entries WHERE tenant_id = \(tenantID) AND idempotency_key = \(entry.key)
                """
            ).first?.optionalInt("id")
        else { throw .unavailable("ledger entry \(entry.key) vanished") }
        var stored = Set<String>()
        for row in try await db.read(
            "SELECT account_code, asset, amount FROM ledger_postings WHERE tenant_id = \(tenantID) AND entry_id = \(existing)")
        {
            stored.insert("\(try row.string("account_code"))/\(try row.string("asset"))/\(try row.int("amount"))")
        }
        guard stored == Set(postings.map { "\($0.account.code)/\($0.asset.rawValue)/\($0.amount)" }) else {
            throw .duplicate("ledger_entries.idempotency_key")
        }
        return .alreadyPosted(entryID: existing)
    }

    func balance(of account: LedgerAccount, asset: LedgerAsset, tenantID: Int64) async throws(StorageError) -> Int64 {
        try await db.read(
            """
            SELECT balance FROM ledger_accounts WHERE tenant_id = \(tenantID) AND code = \(account.code) AND asset = \(asset.rawValue)
            """
        ).first?.optionalInt("balance") ?? 0
    }

    func total(of accounts: [LedgerAccount], asset: LedgerAsset, tenantID: Int64) async throws(StorageError) -> Int64 {
        guard !accounts.isEmpty else { return 0 }
        let codes = SQLStatement.join(accounts.map { "\($0.code)" }, separator: ", ")
        return try await db.read(
            """
            SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) AS total FROM ledger_accounts
            WHERE tenant_id = \(tenantID) AND asset = \(asset.rawValue) AND code IN (\(codes))
            """
        ).first?.optionalInt("total") ?? 0
    }

    func check(tenantID: Int64) async throws(StorageError) -> LedgerCheck {
        let entries = try await db.read("SELECT COUNT(*) AS n FROM ledger_entries WHERE tenant_id = \(tenantID)").first?.optionalInt("n") ?? 0
        let accounts = try await db.read("SELECT COUNT(*) AS n FROM ledger_accounts WHERE tenant_id = \(tenantID)").first?.optionalInt("n") ?? 0
        var debits: [String: Int64] = [:]
        var credits: [String: Int64] = [:]
        for row in try await db.read(
            """
            SELECT asset, CAST(SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END) AS BIGINT) AS debits,
                CAST(SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS BIGINT) AS credits
            FROM ledger_postings WHERE tenant_id = \(tenantID) GROUP BY asset
            """)
        {
            let asset = try row.string("asset")
            debits[asset] = row.optionalInt("debits") ?? 0
            credits[asset] = row.optionalInt("credits") ?? 0
        }
        let unbalanced = try await db.read(
            """
            SELECT entry_id FROM ledger_postings WHERE tenant_id = \(tenantID) GROUP BY entry_id, asset HAVING SUM(amount) <> 0 ORDER BY entry_id LIMIT 100
            """
        ).map { (row) throws(StorageError) -> Int64 in try row.int("entry_id") }
        let mismatched = try await db.read(
            """
            SELECT a.code, a.asset FROM ledger_accounts a
            LEFT JOIN ledger_postings p ON p.tenant_id = a.tenant_id AND p.account_code = a.code AND p.asset = a.asset
            WHERE a.tenant_id = \(tenantID)
            GROUP BY a.code, a.asset, a.balance HAVING a.balance <> COALESCE(SUM(p.amount), 0) ORDER BY a.code LIMIT 100
            """
        ).map { (row) throws(StorageError) -> String in "\(try row.string("code"))/\(try row.string("asset"))" }
        let below = try await db.read(
            """
            SELECT code, asset FROM ledger_accounts WHERE tenant_id = \(tenantID) AND floor IS NOT NULL AND balance < floor ORDER BY code LIMIT 100
            """
        ).map { (row) throws(StorageError) -> String in "\(try row.string("code"))/\(try row.string("asset"))" }
        return LedgerCheck(
            entries: Int(entries), accounts: Int(accounts), debits: debits, credits: credits, unbalancedEntries: unbalanced,
            mismatchedAccounts: mismatched, accountsBelowFloor: below)
    }
}

/// The statements that book an entry, shared by every writer of the ledger.
enum LedgerSteps {
    /// Inserts the entry row (its key must be new, or the transaction fails).
    static func entry(_ entry: LedgerEntry, id: Int64, tenantID: Int64, at now: Int64) -> SQLStep {
        SQLStep(
            """
            INSERT INTO ledger_entries (tenant_id, id, idempotency_key, memo, created_at) VALUES (\(tenantID), \(id), \(entry.key), \(entry.memo), \(now))
            """)
    }

    /// Inserts the entry row unless its key was used before; the step is named `entry` and
    /// returns the row only when it was inserted (so the next phase posts only then).
    static func entryOnce(_ entry: LedgerEntry, id: Int64, tenantID: Int64, at now: Int64) -> SQLStep {
        SQLStep(
            """
            INSERT INTO ledger_entries (tenant_id, id, idempotency_key, memo, created_at) VALUES (\(tenantID), \(id), \(entry.key), \(entry.memo), \(now))
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id
            """, name: "entry")
    }

    /// Applies each posting to its account (created on first use) and records it. The floor is
    /// checked by the update itself, so concurrent entries cannot overdraw an account.
    static func postings(of postings: [LedgerPosting], entryID id: Int64, tenantID: Int64) -> [SQLStep] {
        var steps: [SQLStep] = []
        for posting in postings {
            let (code, asset, amount) = (posting.account.code, posting.asset.rawValue, posting.amount)
            steps.append(
                SQLStep(
                    """
                    INSERT INTO ledger_accounts (tenant_id, code, asset, floor, balance) VALUES (\(tenantID), \(code), \(asset), \(posting.account.floor), 0)
                    ON CONFLICT (tenant_id, code, asset) DO NOTHING
                    """))
            steps.append(
                SQLStep(
                    """
                    UPDATE ledger_accounts SET balance = balance + \(amount)
                    WHERE tenant_id = \(tenantID) AND code = \(code) AND asset = \(asset) AND (floor IS NULL OR balance + \(amount) >= floor)
                    RETURNING balance
                    """, requireRow: .floorReached(code)))
            steps.append(record(posting, entryID: id, tenantID: tenantID))
        }
        return steps
    }

    /// Rows a many-row insert takes at once (well within both databases' limits on bound values).
    static let rowsPerInsert = 500

    /// Inserts many entry rows in a few statements (any key that is not new fails the transaction).
    static func entries(_ entries: [(entry: LedgerEntry, id: Int64, tenantID: Int64)], at now: Int64) -> [SQLStep] {
        chunked(entries).map { chunk in
            let rows = chunk.map { row -> SQLStatement in "(\(row.tenantID), \(row.id), \(row.entry.key), \(row.entry.memo), \(now))" }
            return SQLStep(
                "INSERT INTO ledger_entries (tenant_id, id, idempotency_key, memo, created_at) VALUES " + SQLStatement.join(rows, separator: ", "))
        }
    }

    /// Records many postings whose amounts the accounts' balances already hold, in a few statements.
    static func records(_ postings: [(posting: LedgerPosting, entryID: Int64, tenantID: Int64)]) -> [SQLStep] {
        chunked(postings).map { chunk in
            let rows = chunk.map { row -> SQLStatement in
                "(\(row.tenantID), \(row.entryID), \(row.posting.account.code), \(row.posting.asset.rawValue), \(row.posting.amount))"
            }
            return SQLStep(
                "INSERT INTO ledger_postings (tenant_id, entry_id, account_code, asset, amount) VALUES " + SQLStatement.join(rows, separator: ", "))
        }
    }

    /// Adds amounts that cannot break a floor (credits, and debits of accounts with none),
    /// creating the accounts on first use; each account once, in key order, in a few statements.
    static func credits(_ changes: [(tenantID: Int64, account: LedgerAccount, asset: LedgerAsset, amount: Int64)]) -> [SQLStep] {
        chunked(changes).map { chunk in
            let rows = chunk.map { row -> SQLStatement in
                "(\(row.tenantID), \(row.account.code), \(row.asset.rawValue), \(row.account.floor), \(row.amount))"
            }
            return SQLStep(
                "INSERT INTO ledger_accounts (tenant_id, code, asset, floor, balance) VALUES " + SQLStatement.join(rows, separator: ", ")
                    + " ON CONFLICT (tenant_id, code, asset) DO UPDATE SET balance = ledger_accounts.balance + excluded.balance")
        }
    }

    private static func chunked<T>(_ items: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: rowsPerInsert).map { items[$0..<min($0 + rowsPerInsert, items.count)] }
    }

    /// Records a posting whose amount the account's balance already holds.
    static func record(_ posting: LedgerPosting, entryID id: Int64, tenantID: Int64) -> SQLStep {
        SQLStep(
            """
            INSERT INTO ledger_postings (tenant_id, entry_id, account_code, asset, amount)
            VALUES (\(tenantID), \(id), \(posting.account.code), \(posting.asset.rawValue), \(posting.amount))
            """)
    }
}
