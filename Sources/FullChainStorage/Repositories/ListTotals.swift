import Synchronization

/// Remembers the totals of list queries for a few seconds, so paging through a long, filtered
/// list counts its matches once instead of on every page.
///
/// A total is dropped as soon as this process writes to the tenant's stores (`invalidate`), so
/// what a caller just changed shows at once; writes made by another `serve` process on the same
/// PostgreSQL show in totals within `lifetime`. The items of a page are always read fresh.
final class ListTotals: Sendable {
    struct Key: Hashable {
        var tenantID: Int64
        var sql: String
        var values: [SQLValue]
    }

    private struct Entry {
        var total: Int
        var version: UInt64
        var at: ContinuousClock.Instant
    }

    private struct State {
        var versions: [Int64: UInt64] = [:]
        var entries: [Key: Entry] = [:]
    }

    let lifetime: Duration
    let capacity: Int
    private let state = Mutex(State())

    init(lifetime: Duration = .seconds(5), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The total for a count statement: remembered, or counted now by `count`.
    func total(tenantID: Int64, of statement: SQLStatement, count: () async throws(StorageError) -> Int) async throws(StorageError) -> Int {
        let (sql, values) = statement.rendered(for: .sqlite)
        let key = Key(tenantID: tenantID, sql: sql, values: values)
        let now = ContinuousClock.now
        let (cached, version) = state.withLock { state -> (Int?, UInt64) in
            let version = state.versions[tenantID, default: 0]
            guard let entry = state.entries[key], entry.version == version, now - entry.at < lifetime else { return (nil, version) }
            return (entry.total, version)
        }
        if let cached { return cached }
        let total = try await count()
        state.withLock { state in
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(total: total, version: version, at: now)
        }
        return total
    }

    /// Forgets every total of the tenant: call after any write that can change what its lists count.
    func invalidate(tenantID: Int64) {
        state.withLock { state in state.versions[tenantID, default: 0] &+= 1 }
    }
}
