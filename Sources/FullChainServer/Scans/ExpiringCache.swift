import Synchronization

/// A small in-memory map whose entries expire: what the public scan path reads instead of the
/// database for facts that change rarely (batches, stores, distributors, products).
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let lifetime: Duration
    private let capacity: Int

    init(lifetime: Duration, capacity: Int = 100_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The cached value, or the loaded one (cached for `lifetime`, or `shortLifetime` when given).
    func value(for key: Key, load: () async throws -> Value, shortLifetime: ((Value) -> Duration?)? = nil) async throws -> Value {
        let now = ContinuousClock.now
        if let hit = entries.withLock({ $0[key] }), hit.expires > now { return hit.value }
        let value = try await load()
        let expires = now + (shortLifetime?(value) ?? lifetime)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(value: value, expires: expires)
        }
        return value
    }

    /// Forgets an entry (after a write in this process), so the next read loads fresh.
    func remove(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
