import Synchronization

/// The consumers this server saw scan and whose profiles have not caught up yet: the scan path
/// notes each, the touch worker takes them every fraction of a second. It lives in memory: what
/// a stopped server held, the periodic rollup catches (it reads the scans themselves).
public final class ProfileTouches: Sendable {
    private struct State {
        /// By brand: consumer scan name → when it was first noted.
        var waiting: [Int64: [String: Int64]] = [:]
        var count = 0
        var dropped = 0
    }

    private let state = Mutex(State())
    /// Past this many waiting consumers, notes are dropped (the rollup catches them).
    let capacity: Int

    public init(capacity: Int = 200_000) {
        self.capacity = capacity
    }

    /// The scan of `consumer` (its scan name, `consumer:…`) was recorded at `at`.
    func note(_ consumer: String, tenantID: Int64, at: Int64) {
        state.withLock { state in
            if state.waiting[tenantID]?[consumer] != nil { return }
            guard state.count < capacity else {
                state.dropped += 1
                return
            }
            state.waiting[tenantID, default: [:]][consumer] = at
            state.count += 1
        }
    }

    /// Takes everything waiting, by brand.
    func take() -> [Int64: [String: Int64]] {
        state.withLock { state in
            defer {
                state.waiting = [:]
                state.count = 0
            }
            return state.waiting
        }
    }

    /// How many notes were dropped because the queue was full (since start).
    public var dropped: Int { state.withLock { $0.dropped } }
}
