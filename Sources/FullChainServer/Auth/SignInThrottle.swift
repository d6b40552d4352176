import FullChainCore
import Synchronization

/// Failed sign-ins, per client address and per brand + username, with exponential lockout.
///
/// Each attempt is counted when it starts (so a burst of parallel guesses is counted before any
/// password is checked) and forgotten for the account when it succeeds. Once an address or an
/// account has more than its free failures, it is locked: the attempt that crossed the line still
/// runs, later ones are refused until the lock ends, even with the right password. Each failure
/// after that doubles the lock, from `firstLock` up to `longestLock`.
///
/// The tracker is in memory, per server: a cluster of N servers allows up to N times the free
/// failures. It holds at most `capacity` addresses and `capacity` accounts, evicting the least
/// recently used, so a flood of made-up names cannot grow it; an evicted record starts afresh.
final class SignInThrottle: Sendable {
    /// What the throttle allows for one kind of key.
    struct Policy: Sendable {
        /// Failures allowed before the first lock.
        var freeFailures: Int
        var firstLock: Duration
        var longestLock: Duration

        /// An account (brand + username): a few typing mistakes, then locked.
        static let account = Policy(freeFailures: 5, firstLock: .seconds(30), longestLock: .seconds(3_600))
        /// A client address: higher, since many people may share one (offices, mobile carriers).
        static let address = Policy(freeFailures: 30, firstLock: .seconds(30), longestLock: .seconds(3_600))

        /// The lock after `failures` failures, or nil while they are free.
        func lock(after failures: Int) -> Duration? {
            guard failures > freeFailures else { return nil }
            let doublings = min(failures - freeFailures - 1, 20)
            return min(firstLock * (1 << doublings), longestLock)
        }
    }

    /// The answer to an attempt.
    enum Decision: Equatable {
        case allowed
        /// Refused: try again after this many whole seconds.
        case locked(retryAfter: Int64)
    }

    private struct Record {
        var failures = 0
        var lockedUntil: ContinuousClock.Instant?
    }

    private struct State {
        var accounts: LRUMap<String, Record>
        var addresses: LRUMap<String, Record>
    }

    private let state: Mutex<State>
    let accountPolicy: Policy
    let addressPolicy: Policy

    init(capacity: Int = 100_000, account: Policy = .account, address: Policy = .address) {
        state = Mutex(State(accounts: LRUMap(capacity: capacity), addresses: LRUMap(capacity: capacity)))
        accountPolicy = account
        addressPolicy = address
    }

    /// The account key: brand code and username as typed, case-folded and trimmed.
    static func account(tenant: String, username: String) -> String {
        "\(tenant.trimmingWhitespace().lowercased())\u{1F}\(username.trimmingWhitespace().lowercased())"
    }

    /// Counts an attempt; refuses it while the account or the address is locked.
    func begin(account: String, address: String?, now: ContinuousClock.Instant = .now) -> Decision {
        state.withLock { state in
            var wait: Duration = .zero
            if let until = state.accounts[account]?.lockedUntil, until > now { wait = max(wait, until - now) }
            if let address, let until = state.addresses[address]?.lockedUntil, until > now { wait = max(wait, until - now) }
            if wait > .zero { return .locked(retryAfter: Self.wholeSeconds(wait)) }
            Self.count(&state.accounts, account, policy: accountPolicy, now: now)
            if let address { Self.count(&state.addresses, address, policy: addressPolicy, now: now) }
            return .allowed
        }
    }

    /// The attempt succeeded: the account's failures are forgotten (the address keeps its count,
    /// so one known account cannot launder guesses at others).
    func succeeded(account: String, address: String?) {
        state.withLock { state in
            state.accounts.removeValue(forKey: account)
            if let address, var record = state.addresses[address] {
                record.failures = max(0, record.failures - 1)
                state.addresses[address] = record
            }
        }
    }

    private static func count(_ map: inout LRUMap<String, Record>, _ key: String, policy: Policy, now: ContinuousClock.Instant) {
        var record = map[key] ?? Record()
        record.failures += 1
        record.lockedUntil = policy.lock(after: record.failures).map { now + $0 }
        map[key] = record
    }

    private static func wholeSeconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds + (attoseconds > 0 ? 1 : 0))
    }
}

/// A map of at most `capacity` entries that evicts the least recently used (read or written).
struct LRUMap<Key: Hashable, Value> {
    private struct Node {
        var key: Key
        var value: Value
        var newer: Int?
        var older: Int?
    }

    let capacity: Int
    private var index: [Key: Int] = [:]
    private var nodes: [Node] = []
    private var free: [Int] = []
    private var newest: Int?
    private var oldest: Int?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { index.count }

    /// Reading an entry makes it the most recently used.
    subscript(key: Key) -> Value? {
        mutating get {
            guard let slot = index[key] else { return nil }
            touch(slot)
            return nodes[slot].value
        }
        set {
            guard let newValue else {
                removeValue(forKey: key)
                return
            }
            if let slot = index[key] {
                nodes[slot].value = newValue
                touch(slot)
                return
            }
            if index.count >= capacity, let oldest { remove(slot: oldest) }
            let node = Node(key: key, value: newValue, newer: nil, older: newest)
            let slot: Int
            if let reused = free.popLast() {
                nodes[reused] = node
                slot = reused
            } else {
                nodes.append(node)
                slot = nodes.count - 1
            }
            if let newest { nodes[newest].newer = slot }
            newest = slot
            if oldest == nil { oldest = slot }
            index[key] = slot
        }
    }

    mutating func removeValue(forKey key: Key) {
        if let slot = index[key] { remove(slot: slot) }
    }

    private mutating func remove(slot: Int) {
        unlink(slot)
        index[nodes[slot].key] = nil
        free.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let node = nodes[slot]
        if let newer = node.newer { nodes[newer].older = node.older } else { newest = node.older }
        if let older = node.older { nodes[older].newer = node.newer } else { oldest = node.newer }
        nodes[slot].newer = nil
        nodes[slot].older = nil
    }

    private mutating func touch(_ slot: Int) {
        guard newest != slot else { return }
        unlink(slot)
        nodes[slot].older = newest
        if let newest { nodes[newest].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }
}
