/// A compressed set of 32-bit integers (a roaring bitmap): the values split by their high 16 bits
/// into chunks, each a sorted array of low halves when sparse (up to 4,096) or a 65,536-bit set
/// when dense. Intersections, unions and differences work chunk by chunk, word by word.
public struct RoaringBitmap: Sendable, Equatable {
    /// A chunk's low halves.
    enum Container: Sendable, Equatable {
        /// Sorted, distinct, at most `arrayMax`.
        case array([UInt16])
        /// 1,024 words; more than `arrayMax` bits set.
        case bits([UInt64])
    }

    static let arrayMax = 4_096
    static let words = 1_024

    /// The chunks' high halves, ascending, and their chunks (never empty).
    private(set) var keys: [UInt16] = []
    private(set) var containers: [Container] = []

    public init() {}

    /// The set of these values.
    public init<S: Sequence>(_ values: S) where S.Element == UInt32 {
        for value in values.sorted() { append(value) }
    }

    /// How many values it holds.
    public var count: Int {
        containers.reduce(0) { $0 + Self.cardinality($1) }
    }

    public var isEmpty: Bool { keys.isEmpty }

    public func contains(_ value: UInt32) -> Bool {
        guard let index = index(of: UInt16(value >> 16)) else { return false }
        let low = UInt16(truncatingIfNeeded: value)
        switch containers[index] {
        case .array(let values): return Self.search(values, low) >= 0
        case .bits(let words): return words[Int(low >> 6)] & (1 << UInt64(low & 63)) != 0
        }
    }

    /// Adds a value; false when it was there.
    @discardableResult
    public mutating func insert(_ value: UInt32) -> Bool {
        let high = UInt16(value >> 16), low = UInt16(truncatingIfNeeded: value)
        let position = lowerBound(high)
        guard position < keys.count, keys[position] == high else {
            keys.insert(high, at: position)
            containers.insert(.array([low]), at: position)
            return true
        }
        switch containers[position] {
        case .array(var values):
            let found = Self.search(values, low)
            guard found < 0 else { return false }
            values.insert(low, at: -found - 1)
            containers[position] = values.count > Self.arrayMax ? .bits(Self.words(of: values)) : .array(values)
        case .bits(var words):
            let word = Int(low >> 6), bit = UInt64(1) << UInt64(low & 63)
            guard words[word] & bit == 0 else { return false }
            words[word] |= bit
            containers[position] = .bits(words)
        }
        return true
    }

    /// Adds a value larger than every value held (the fast way to build from sorted values);
    /// any other value is inserted.
    public mutating func append(_ value: UInt32) {
        let high = UInt16(value >> 16), low = UInt16(truncatingIfNeeded: value)
        guard let lastKey = keys.last, lastKey >= high else {
            keys.append(high)
            containers.append(.array([low]))
            return
        }
        guard lastKey == high, case .array(var values) = containers[containers.count - 1], let last = values.last, last < low else {
            insert(value)
            return
        }
        containers[containers.count - 1] = .array([]) // hand the storage over, so appending does not copy it
        values.append(low)
        containers[containers.count - 1] = values.count > Self.arrayMax ? .bits(Self.words(of: values)) : .array(values)
    }

    /// Takes a value out; false when it was not there.
    @discardableResult
    public mutating func remove(_ value: UInt32) -> Bool {
        guard let index = index(of: UInt16(value >> 16)) else { return false }
        let low = UInt16(truncatingIfNeeded: value)
        switch containers[index] {
        case .array(var values):
            let found = Self.search(values, low)
            guard found >= 0 else { return false }
            values.remove(at: found)
            set(index, .array(values))
        case .bits(var words):
            let word = Int(low >> 6), bit = UInt64(1) << UInt64(low & 63)
            guard words[word] & bit != 0 else { return false }
            words[word] &= ~bit
            set(index, Self.normalized(words))
        }
        return true
    }

    /// The values in both.
    public func intersection(_ other: RoaringBitmap) -> RoaringBitmap {
        var result = RoaringBitmap()
        var i = 0, j = 0
        while i < keys.count, j < other.keys.count {
            if keys[i] < other.keys[j] {
                i += 1
            } else if keys[i] > other.keys[j] {
                j += 1
            } else {
                result.push(keys[i], Self.and(containers[i], other.containers[j]))
                i += 1
                j += 1
            }
        }
        return result
    }

    /// The values in either.
    public func union(_ other: RoaringBitmap) -> RoaringBitmap {
        var result = RoaringBitmap()
        var i = 0, j = 0
        while i < keys.count || j < other.keys.count {
            if j == other.keys.count || (i < keys.count && keys[i] < other.keys[j]) {
                result.push(keys[i], containers[i])
                i += 1
            } else if i == keys.count || keys[i] > other.keys[j] {
                result.push(other.keys[j], other.containers[j])
                j += 1
            } else {
                result.push(keys[i], Self.or(containers[i], other.containers[j]))
                i += 1
                j += 1
            }
        }
        return result
    }

    /// The values in this one and not in `other`.
    public func subtracting(_ other: RoaringBitmap) -> RoaringBitmap {
        var result = RoaringBitmap()
        var j = 0
        for i in keys.indices {
            while j < other.keys.count, other.keys[j] < keys[i] { j += 1 }
            if j < other.keys.count, other.keys[j] == keys[i] {
                result.push(keys[i], Self.andNot(containers[i], other.containers[j]))
            } else {
                result.push(keys[i], containers[i])
            }
        }
        return result
    }

    /// The union of many, each chunk built once (a bit set filled in place when large).
    public static func union(_ bitmaps: [RoaringBitmap]) -> RoaringBitmap {
        var chunks: [(key: UInt16, container: Container)] = []
        for bitmap in bitmaps { chunks.append(contentsOf: zip(bitmap.keys, bitmap.containers).map { ($0, $1) }) }
        chunks.sort { $0.key < $1.key }
        var result = RoaringBitmap()
        var start = 0
        while start < chunks.count {
            var end = start + 1
            while end < chunks.count, chunks[end].key == chunks[start].key { end += 1 }
            let group = chunks[start..<end]
            if group.count == 1 {
                result.push(chunks[start].key, chunks[start].container)
            } else if group.reduce(0, { $0 + cardinality($1.container) }) <= arrayMax {
                result.push(chunks[start].key, group.dropFirst().reduce(chunks[start].container) { or($0, $1.container) })
            } else {
                var words = [UInt64](repeating: 0, count: Self.words)
                for (_, container) in group {
                    switch container {
                    case .array(let values): for low in values { words[Int(low >> 6)] |= 1 << UInt64(low & 63) }
                    case .bits(let other): for w in 0..<Self.words { words[w] |= other[w] }
                    }
                }
                result.push(chunks[start].key, normalized(words))
            }
            start = end
        }
        return result
    }

    /// Up to `limit` values after skipping `offset`, largest first when `descending`.
    public func values(offset: Int, limit: Int, descending: Bool = false) -> [UInt32] {
        var skipped = 0, out: [UInt32] = []
        guard limit > 0 else { return [] }
        let order = descending ? Array(keys.indices.reversed()) : Array(keys.indices)
        for index in order {
            let size = Self.cardinality(containers[index])
            if skipped + size <= offset {
                skipped += size
                continue
            }
            var lows = Self.lows(containers[index])
            if descending { lows.reverse() }
            let base = UInt32(keys[index]) << 16
            for low in lows.dropFirst(max(0, offset - skipped)) {
                out.append(base | UInt32(low))
                if out.count == limit { return out }
            }
            skipped += size
        }
        return out
    }

    // MARK: - Chunks

    private func index(of high: UInt16) -> Int? {
        let position = lowerBound(high)
        return position < keys.count && keys[position] == high ? position : nil
    }

    private func lowerBound(_ high: UInt16) -> Int {
        var low = 0, upper = keys.count
        while low < upper {
            let mid = (low + upper) / 2
            if keys[mid] < high { low = mid + 1 } else { upper = mid }
        }
        return low
    }

    /// Replaces a chunk, dropping it when empty.
    private mutating func set(_ index: Int, _ container: Container) {
        if Self.cardinality(container) == 0 {
            keys.remove(at: index)
            containers.remove(at: index)
        } else {
            containers[index] = container
        }
    }

    /// Appends a chunk with a larger key, unless empty.
    private mutating func push(_ key: UInt16, _ container: Container) {
        guard Self.cardinality(container) > 0 else { return }
        keys.append(key)
        containers.append(container)
    }

    /// The index of `value` in sorted `values`, or -(insertion point) - 1.
    static func search(_ values: [UInt16], _ value: UInt16) -> Int {
        var low = 0, upper = values.count
        while low < upper {
            let mid = (low + upper) / 2
            if values[mid] < value { low = mid + 1 } else { upper = mid }
        }
        return low < values.count && values[low] == value ? low : -low - 1
    }

    static func cardinality(_ container: Container) -> Int {
        switch container {
        case .array(let values): values.count
        case .bits(let words): words.reduce(0) { $0 + $1.nonzeroBitCount }
        }
    }

    static func words(of values: [UInt16]) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: Self.words)
        for low in values { words[Int(low >> 6)] |= 1 << UInt64(low & 63) }
        return words
    }

    static func lows(_ container: Container) -> [UInt16] {
        switch container {
        case .array(let values):
            return values
        case .bits(let words):
            var out: [UInt16] = []
            for (index, word) in words.enumerated() where word != 0 {
                var rest = word
                while rest != 0 {
                    out.append(UInt16(index << 6 | rest.trailingZeroBitCount))
                    rest &= rest - 1
                }
            }
            return out
        }
    }

    /// A bit set as the smaller form.
    static func normalized(_ words: [UInt64]) -> Container {
        let count = words.reduce(0) { $0 + $1.nonzeroBitCount }
        return count > arrayMax ? .bits(words) : .array(lows(.bits(words)))
    }

    static func and(_ a: Container, _ b: Container) -> Container {
        switch (a, b) {
        case (.array(let x), .array(let y)):
            var out: [UInt16] = []
            var i = 0, j = 0
            while i < x.count, j < y.count {
                if x[i] < y[j] {
                    i += 1
                } else if x[i] > y[j] {
                    j += 1
                } else {
                    out.append(x[i])
                    i += 1
                    j += 1
                }
            }
            return .array(out)
        case (.array(let x), .bits(let words)), (.bits(let words), .array(let x)):
            return .array(x.filter { words[Int($0 >> 6)] & (1 << UInt64($0 & 63)) != 0 })
        case (.bits(let x), .bits(let y)):
            var out = [UInt64](repeating: 0, count: Self.words)
            for w in 0..<Self.words { out[w] = x[w] & y[w] }
            return normalized(out)
        }
    }

    static func or(_ a: Container, _ b: Container) -> Container {
        switch (a, b) {
        case (.array(let x), .array(let y)):
            var out: [UInt16] = []
            out.reserveCapacity(x.count + y.count)
            var i = 0, j = 0
            while i < x.count || j < y.count {
                if j == y.count || (i < x.count && x[i] < y[j]) {
                    out.append(x[i])
                    i += 1
                } else if i == x.count || x[i] > y[j] {
                    out.append(y[j])
                    j += 1
                } else {
                    out.append(x[i])
                    i += 1
                    j += 1
                }
            }
            return out.count > arrayMax ? .bits(words(of: out)) : .array(out)
        case (.array(let x), .bits(var words)), (.bits(var words), .array(let x)):
            for low in x { words[Int(low >> 6)] |= 1 << UInt64(low & 63) }
            return .bits(words)
        case (.bits(let x), .bits(let y)):
            var out = [UInt64](repeating: 0, count: Self.words)
            for w in 0..<Self.words { out[w] = x[w] | y[w] }
            return .bits(out)
        }
    }

    static func andNot(_ a: Container, _ b: Container) -> Container {
        switch (a, b) {
        case (.array(let x), .array(let y)):
            var out: [UInt16] = []
            var j = 0
            for value in x {
                while j < y.count, y[j] < value { j += 1 }
                if j == y.count || y[j] != value { out.append(value) }
            }
            return .array(out)
        case (.array(let x), .bits(let words)):
            return .array(x.filter { words[Int($0 >> 6)] & (1 << UInt64($0 & 63)) == 0 })
        case (.bits(var words), .array(let y)):
            for low in y { words[Int(low >> 6)] &= ~(1 << UInt64(low & 63)) }
            return normalized(words)
        case (.bits(let x), .bits(let y)):
            var out = [UInt64](repeating: 0, count: Self.words)
            for w in 0..<Self.words { out[w] = x[w] & ~y[w] }
            return normalized(out)
        }
    }
}
