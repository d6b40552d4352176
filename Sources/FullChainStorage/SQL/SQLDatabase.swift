import Foundation
import Synchronization

/// What went wrong in storage, in terms the API can answer with.
public enum StorageError: Error, Sendable, Equatable {
    /// A unique key already exists (e.g. a duplicate store code); names the constraint or column.
    case duplicate(String)
    /// A referenced row does not exist.
    case missingReference(String)
    /// The row is not there, or not within the caller's scope (indistinguishable on purpose).
    case notFound
    /// A row could not be read back as a domain value.
    case corruptRow(String)
    /// The database is unreachable or failed; the message is for logs, not for clients.
    case unavailable(String)
    /// A numbering has no values left (e.g. every batch number of a tenant is used).
    case exhausted(String)
    /// A ledger account would fall below its floor (e.g. a budget spent); names the account.
    case floorReached(String)
}

/// One statement of an atomic batch, with what it must achieve.
public struct SQLStep: Sendable {
    public var statement: SQLStatement
    /// When set, the statement must return at least one row (use `RETURNING`), or the whole batch rolls back with this error.
    public var requireRow: StorageError?
    /// What a phased transaction's later phases call this step's rows (`SQLResults[name]`).
    public var name: String?

    public init(_ statement: SQLStatement, requireRow: StorageError? = nil, name: String? = nil) {
        self.statement = statement
        self.requireRow = requireRow
        self.name = name
    }
}

/// The rows of a phased transaction's steps so far, by the names the steps were given, and how
/// many phases have run.
public struct SQLResults: Sendable {
    /// Phases run so far (0 before the first).
    public let phase: Int
    private let rows: [[SQLRow]]
    private let names: [String: Int]

    init(phase: Int, rows: [[SQLRow]], names: [String?]) {
        self.phase = phase
        self.rows = rows
        var byName: [String: Int] = [:]
        for (index, name) in names.enumerated() where index < rows.count {
            if let name { byName[name] = index }
        }
        self.names = byName
    }

    /// The rows of the step called `name`; empty when no such step ran.
    public subscript(name: String) -> [SQLRow] {
        names[name].map { rows[$0] } ?? []
    }

    /// Whether a step called `name` ran.
    public func ran(_ name: String) -> Bool { names[name] != nil }
}

/// Names a phased transaction's steps as it emits them, so each phase reads earlier rows by name.
private final class SQLPhaseNames: Sendable {
    private let state = Mutex<(phase: Int, names: [String?])>((0, []))

    /// No rows yet is the first phase, or a transaction that started again (PostgreSQL retries a
    /// deadlock victim from the start): the names start afresh.
    func results(_ rows: [[SQLRow]]) -> SQLResults {
        state.withLock {
            if rows.isEmpty { $0 = (0, []) }
            return SQLResults(phase: $0.phase, rows: rows, names: $0.names)
        }
    }

    /// The phases as `transaction(phases:)` runs them: each gets the rows so far by name.
    func phases(
        _ next: @escaping @Sendable (SQLResults) throws(StorageError) -> [SQLStep]
    ) -> @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep] {
        { (done: [[SQLRow]]) throws(StorageError) -> [SQLStep] in
            let steps = try next(self.results(done))
            self.emitted(steps)
            return steps
        }
    }

    private func emitted(_ steps: [SQLStep]) {
        state.withLock {
            $0.phase += 1
            $0.names += steps.map(\.name)
        }
    }
}

/// A SQL database FullChain's repositories run on: SQLite (embedded) or PostgreSQL.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one read-only statement and returns its rows.
    func read(_ statement: SQLStatement) async throws(StorageError) -> [SQLRow]
    /// Runs the steps in one transaction: all or nothing. Returns each step's rows.
    @discardableResult
    func transaction(_ steps: [SQLStep]) async throws(StorageError) -> [[SQLRow]]
    /// Runs phases of steps in one transaction: `next` gets the rows of every step so far and
    /// returns the next phase's steps, or none to commit. A thrown error rolls everything back.
    @discardableResult
    func transaction(phases next: @escaping @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep]) async throws(StorageError) -> [[SQLRow]]
    /// `transaction(phases:)` whose commit survives power loss, for the few writes that must
    /// (SQLite: synchronous=FULL for this commit; PostgreSQL's commits always are).
    @discardableResult
    func durableTransaction(phases next: @escaping @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep]) async throws(StorageError) -> [[SQLRow]]
}

extension SQLDatabase {
    /// A database whose every commit is durable needs nothing more than a transaction.
    @discardableResult
    public func durableTransaction(
        phases next: @escaping @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep]
    ) async throws(StorageError) -> [[SQLRow]] {
        try await transaction(phases: next)
    }

    /// `transaction(phases:)` whose phases read earlier rows by step name (`SQLStep(…, name:)`).
    @discardableResult
    public func transaction(named next: @escaping @Sendable (SQLResults) throws(StorageError) -> [SQLStep]) async throws(StorageError) -> SQLResults {
        let names = SQLPhaseNames()
        return names.results(try await transaction(phases: names.phases(next)))
    }

    /// `durableTransaction(phases:)` whose phases read earlier rows by step name.
    @discardableResult
    public func durableTransaction(
        named next: @escaping @Sendable (SQLResults) throws(StorageError) -> [SQLStep]
    ) async throws(StorageError) -> SQLResults {
        let names = SQLPhaseNames()
        return names.results(try await durableTransaction(phases: names.phases(next)))
    }

    /// Reserves `count` consecutive ids for a table within a tenant and returns the first.
    public func allocateIDs(_ sequence: String, tenantID: Int64, count: Int = 1) async throws(StorageError) -> Int64 {
        let n = Int64(max(1, count))
        let rows = try await execute(
            """
            INSERT INTO id_sequences (tenant_id, name, next_id) VALUES (\(tenantID), \(sequence), \(n + 1))
            ON CONFLICT (tenant_id, name) DO UPDATE SET next_id = id_sequences.next_id + \(n)
            RETURNING next_id
            """)
        guard let next = rows.first?.optionalInt("next_id") else { throw .corruptRow("id_sequences") }
        return next - n
    }

    /// Runs one write in its own transaction.
    @discardableResult
    public func execute(_ statement: SQLStatement, requireRow: StorageError? = nil) async throws(StorageError) -> [SQLRow] {
        try await transaction([SQLStep(statement, requireRow: requireRow)]).first ?? []
    }
}

/// Milliseconds since 1970 (UTC), the time unit of every stored timestamp.
public func currentMillis() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
}
