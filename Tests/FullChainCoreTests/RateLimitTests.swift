import FullChainCore
import Testing

/// The token bucket the public rate limits are made of, and the bounded map that keeps the buckets.
@Suite("Rate limits")
struct RateLimitTests {
    @Test func aBucketAllowsItsBurstThenRefillsAtItsRate() {
        let limit = RateLimit(perMinute: 60, burst: 3)
        var bucket = TokenBucket(limit, now: 0)
        #expect(bucket.take(limit, now: 0) == nil && bucket.take(limit, now: 0) == nil && bucket.take(limit, now: 0) == nil)
        // Empty: one token a second, so the next comes in 1,000 ms.
        #expect(bucket.take(limit, now: 0) == 1_000)
        #expect(bucket.take(limit, now: 400) == 600)
        #expect(bucket.take(limit, now: 1_000) == nil)
        #expect(bucket.take(limit, now: 1_000) == 1_000)
        // A long pause refills it to the burst, no further.
        #expect(bucket.take(limit, now: 3_600_000) == nil)
        #expect(bucket.tokens == 2)
    }

    @Test func slowRatesAddUpAcrossFrequentCalls() {
        // One a minute, asked every 10 ms: the fractions must not be lost between calls.
        let limit = RateLimit(perMinute: 1, burst: 1)
        var bucket = TokenBucket(limit, now: 0)
        #expect(bucket.take(limit, now: 0) == nil)
        var allowedAt: Int64?
        for now in stride(from: Int64(10), through: 61_000, by: 10) where bucket.take(limit, now: now) == nil {
            allowedAt = now
            break
        }
        #expect(allowedAt == 60_000)
    }

    @Test func limitsStayInRange() {
        #expect(RateLimit(perMinute: 0).perMinute == 1 && RateLimit(perMinute: 0).burst == 1)
        #expect(RateLimit(perMinute: 600).burst == 300)
        let huge = RateLimit(perMinute: .max, burst: .max)
        #expect(huge.perMinute == RateLimit.maximum && huge.burst == RateLimit.maximum)
        var bucket = TokenBucket(huge, now: 0)
        #expect(bucket.take(huge, now: .max) == nil, "no overflow over any pause")
        var early = TokenBucket(RateLimit(perMinute: 60), now: .min)
        #expect(early.take(RateLimit(perMinute: 60), now: .max) == nil)
        #expect(TokenBucket.retryAfterSeconds(1) == 1 && TokenBucket.retryAfterSeconds(1_000) == 1 && TokenBucket.retryAfterSeconds(1_001) == 2)
        #expect(TokenBucket.retryAfterSeconds(0) == 1)
    }

    @Test func theCacheForgetsTheLeastRecentlyUsed() {
        var cache = LRUCache<String, Int>(capacity: 3)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        cache.set(3, for: "c")
        #expect(cache.value(for: "a") == 1)
        cache.set(4, for: "d")
        // "b" was the least recently used ("a" was just read).
        #expect(cache.count == 3 && cache.peek("b") == nil && cache.keys == ["d", "a", "c"])
        #expect(
            cache.update("c", initial: 0) { value -> Int in
                value += 10
                return value
            } == 13)
        cache.set(5, for: "e")
        #expect(cache.keys == ["e", "c", "d"])
        #expect(cache.removeValue(for: "c") == 13 && cache.keys == ["e", "d"])
        cache.set(6, for: "f")
        cache.set(7, for: "g")
        #expect(cache.keys == ["g", "f", "e"] && cache.peek("d") == nil)
        cache.removeAll()
        #expect(cache.isEmpty && cache.keys.isEmpty)
    }

    @Test func theCacheStaysConsistentUnderManyOperations() {
        // Against a plain model: a list ordered from the most to the least recently used.
        var cache = LRUCache<Int, Int>(capacity: 16)
        var model: [(key: Int, value: Int)] = []
        var random = SeededRandom(seed: 7)
        for step in 0..<5_000 {
            let key = random.int(below: 40)
            switch random.int(below: 4) {
            case 0:
                #expect(cache.value(for: key) == model.first { $0.key == key }?.value)
                if let index = model.firstIndex(where: { $0.key == key }) { model.insert(model.remove(at: index), at: 0) }
            case 1:
                #expect(cache.removeValue(for: key) == model.first { $0.key == key }?.value)
                model.removeAll { $0.key == key }
            default:
                cache.set(step, for: key)
                model.removeAll { $0.key == key }
                model.insert((key, step), at: 0)
                if model.count > 16 { model.removeLast() }
            }
            #expect(cache.keys == model.map(\.key))
        }
    }
}
