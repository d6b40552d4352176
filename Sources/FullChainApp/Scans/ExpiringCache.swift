import Synchronization

/// A small in-memory map whose entries expire: what the public scan path reads instead of the
/// database for facts that change rarely (batches, stores, distributors, products).
///
/// Concurrent misses of one key share one load: when an entry expires under heavy traffic,
/// the database sees one read, not one per waiting request.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Keys being loaded, with the callers waiting for the load.
        var loading: [Key: [CheckedContinuation<Value?, any Error>]] = [:]
    }

    private let state = Mutex(State())
    private let lifetime: Duration
    private let capacity: Int

    init(lifetime: Duration, capacity: Int = 100_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The cached value, or the loaded one (cached for `lifetime`, or `shortLifetime` when given).
    /// A hit is answered in the caller's frame (the function is inlined); only a miss makes the
    /// call that may suspend. The public scan path makes several lookups a request.
    @inline(__always)
    func value(for key: Key, load: () async throws -> Value, shortLifetime: ((Value) -> Duration?)? = nil) async throws -> Value {
        if let hit = fresh(key) { return hit }
        return try await loadValue(for: key, load: load, shortLifetime: shortLifetime)
    }

    /// The cached value while it has not expired, else nil.
    func fresh(_ key: Key) -> Value? {
        let now = ContinuousClock.now
        guard let hit = state.withLock({ $0.entries[key] }), hit.expires > now else { return nil }
        return hit.value
    }

    /// Waits for the key's load in progress, or loads it and answers those waiting.
    @inline(never)
    private func loadValue(for key: Key, load: () async throws -> Value, shortLifetime: ((Value) -> Duration?)?) async throws -> Value {
        let now = ContinuousClock.now
        // Wait for a load in progress, or lead one (nil).
        let shared: Value? = try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Value?? in
                if let hit = state.entries[key], hit.expires > now { return .some(hit.value) }
                if state.loading[key] != nil {
                    state.loading[key, default: []].append(continuation)
                    return .none
                }
                state.loading[key] = []
                return .some(nil)
            }
            if case .some(let value) = ready { continuation.resume(returning: value) }
        }
        if let shared { return shared }
        let value: Value
        do {
            value = try await load()
        } catch {
            for waiter in state.withLock({ $0.loading.removeValue(forKey: key) ?? [] }) { waiter.resume(throwing: error) }
            throw error
        }
        let expires = ContinuousClock.now + (shortLifetime?(value) ?? lifetime)
        let waiters = state.withLock { state in
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(value: value, expires: expires)
            return state.loading.removeValue(forKey: key) ?? []
        }
        for waiter in waiters { waiter.resume(returning: value) }
        return value
    }

    /// Forgets an entry (after a write in this process), so the next read loads fresh.
    func remove(_ key: Key) {
        _ = state.withLock { $0.entries.removeValue(forKey: key) }
    }

    func removeAll() {
        state.withLock { $0.entries.removeAll() }
    }
}
