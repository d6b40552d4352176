/// A map of at most `capacity` entries that forgets the least recently used one to make room:
/// the in-memory counters of the public paths (rate limits, risk signals) stay bounded however
/// many devices and addresses call, and a flood of new keys only pushes out the quietest ones.
///
/// Every operation is O(1): entries live in one array, linked from newest to oldest by index.
public struct LRUCache<Key: Hashable, Value> {
    fileprivate struct Node {
        var key: Key
        var value: Value
        /// The next newer and next older entries (-1 when none).
        var newer: Int
        var older: Int
    }

    public let capacity: Int
    private var slots: [Key: Int] = [:]
    private var nodes: [Node] = []
    private var newest = -1
    private var oldest = -1

    /// A cache of at most `capacity` entries (at least one).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { nodes.count }
    public var isEmpty: Bool { nodes.isEmpty }

    /// The value, without marking it used.
    public func peek(_ key: Key) -> Value? {
        slots[key].map { nodes[$0].value }
    }

    /// The value, marked as the most recently used.
    public mutating func value(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        touch(slot)
        return nodes[slot].value
    }

    /// The keys from the most to the least recently used.
    public var keys: [Key] {
        var out: [Key] = []
        out.reserveCapacity(nodes.count)
        var slot = newest
        while slot >= 0 {
            out.append(nodes[slot].key)
            slot = nodes[slot].older
        }
        return out
    }

    /// Changes the key's value in place (starting from `initial` when it is missing) and marks it
    /// the most recently used; a new key in a full cache takes the least recently used one's place.
    public mutating func update<Result>(_ key: Key, initial: @autoclosure () -> Value, _ change: (inout Value) -> Result) -> Result {
        if let slot = slots[key] {
            touch(slot)
            return change(&nodes[slot].value)
        }
        let slot: Int
        if nodes.count < capacity {
            slot = nodes.count
            nodes.append(Node(key: key, value: initial(), newer: -1, older: -1))
        } else {
            // Reuse the oldest entry's slot for the new key.
            slot = oldest
            unlink(slot)
            slots[nodes[slot].key] = nil
            nodes[slot] = Node(key: key, value: initial(), newer: -1, older: -1)
        }
        slots[key] = slot
        pushNewest(slot)
        return change(&nodes[slot].value)
    }

    /// Sets the key's value and marks it the most recently used.
    public mutating func set(_ value: Value, for key: Key) {
        update(key, initial: value) { $0 = value }
    }

    /// Forgets the key; returns its value.
    @discardableResult
    public mutating func removeValue(for key: Key) -> Value? {
        guard let slot = slots.removeValue(forKey: key) else { return nil }
        unlink(slot)
        let value = nodes[slot].value
        // Move the last node into the freed slot so the array stays dense.
        let last = nodes.count - 1
        if slot != last {
            let moved = nodes[last]
            nodes[slot] = moved
            slots[moved.key] = slot
            if moved.newer >= 0 { nodes[moved.newer].older = slot } else { newest = slot }
            if moved.older >= 0 { nodes[moved.older].newer = slot } else { oldest = slot }
        }
        nodes.removeLast()
        return value
    }

    /// Forgets everything.
    public mutating func removeAll() {
        slots.removeAll()
        nodes.removeAll()
        newest = -1
        oldest = -1
    }

    private mutating func touch(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        pushNewest(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (nodes[slot].newer, nodes[slot].older)
        if newer >= 0 { nodes[newer].older = older } else { newest = older }
        if older >= 0 { nodes[older].newer = newer } else { oldest = newer }
        nodes[slot].newer = -1
        nodes[slot].older = -1
    }

    private mutating func pushNewest(_ slot: Int) {
        nodes[slot].older = newest
        nodes[slot].newer = -1
        if newest >= 0 { nodes[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }
}

extension LRUCache: Sendable where Key: Sendable, Value: Sendable {}

extension LRUCache.Node: Sendable where Key: Sendable, Value: Sendable {}
