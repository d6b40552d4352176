import Foundation

/// A small, fast, reproducible random number generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed always yields the same sequence on every platform, so demo data built from
/// it is identical run after run. The helpers below use only integer arithmetic and plain
/// IEEE-754 operations (no standard-library sampling whose algorithm may change).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var state = seed
        s0 = SeededRandom.splitMix64(&state)
        s1 = SeededRandom.splitMix64(&state)
        s2 = SeededRandom.splitMix64(&state)
        s3 = SeededRandom.splitMix64(&state)
        // SplitMix64 never yields four zero words in a row, but keep the all-zero state impossible.
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// An independent stream for one part of a larger generation, e.g. `SeededRandom(seed: 7, stream: 2)`.
    public init(seed: UInt64, stream: UInt64) {
        var state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        self.init(seed: SeededRandom.splitMix64(&state))
    }

    /// SplitMix64: advances `state` and returns the next output.
    public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// A uniform integer in `0..<bound` (Lemire's method, unbiased); 0 when `bound` is not positive.
    public mutating func int(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold {
                product = next().multipliedFullWidth(by: n)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with the given probability.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniformly chosen element; the array must not be empty.
    public mutating func element<T>(of array: [T]) -> T {
        precondition(!array.isEmpty, "element(of:) needs a non-empty array")
        return array[int(below: array.count)]
    }

    /// An index chosen with probability proportional to `cumulative[i] - cumulative[i - 1]`,
    /// given ascending cumulative weights whose last value is the total.
    public mutating func index(cumulative: [Double]) -> Int {
        guard let total = cumulative.last, total > 0 else { return 0 }
        let target = unit() * total
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// A pair of independent standard normal values (Box–Muller).
    public mutating func gaussianPair() -> (Double, Double) {
        let u1 = 1.0 - unit() // (0, 1]: log stays finite
        let u2 = unit()
        let radius = (-2.0 * log(u1)).squareRoot()
        let angle = 2.0 * Double.pi * u2
        return (radius * cos(angle), radius * sin(angle))
    }

    /// Shuffles in place (Fisher–Yates) with this generator's own sampling.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = int(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}
