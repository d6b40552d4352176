public import FullChainCore
import HTTPTypes
import Synchronization

/// Callers' token buckets under one limit, in this server's memory: at most `capacity` callers,
/// the least recently seen forgotten first (a forgotten caller starts again with a full bucket).
/// Each server counts the requests it serves, so behind a balancer of N servers a caller gets up
/// to N times the limit; the limits are set far above what real use needs, to stop floods.
final class RateLimiter<Key: Hashable & Sendable>: Sendable {
    let limit: RateLimit
    private let buckets: Mutex<LRUCache<Key, TokenBucket>>

    init(_ limit: RateLimit, capacity: Int) {
        self.limit = limit
        buckets = Mutex(LRUCache(capacity: capacity))
    }

    /// Takes a token for the caller: nil when the request may go ahead, else the milliseconds to wait.
    func take(_ key: Key, now: Int64 = MonotonicMillis.now()) -> Int64? {
        let limit = self.limit
        return buckets.withLock { buckets in
            buckets.update(key, initial: TokenBucket(limit, now: now)) { $0.take(limit, now: now) }
        }
    }

    /// Callers remembered.
    var count: Int { buckets.withLock { $0.count } }
}

/// Milliseconds of a monotonic clock since the process started (a wall clock may jump).
enum MonotonicMillis {
    private static let epoch = ContinuousClock.now

    static func now() -> Int64 {
        let elapsed = epoch.duration(to: .now).components
        return elapsed.seconds * 1_000 + elapsed.attoseconds / 1_000_000_000_000_000
    }
}

/// The limits on the public endpoints (see `PublicRateLimits`), per server.
public final class PublicLimits: Sendable {
    let scansPerDevice: RateLimiter<String>?
    let scansPerIP: RateLimiter<IPAddress>?
    let pagesPerIP: RateLimiter<IPAddress>?
    let qrImagesPerIP: RateLimiter<IPAddress>?

    public init(_ settings: PublicRateLimits) {
        let enabled = settings.enabled
        let capacity = max(1, settings.trackedCallers)
        scansPerDevice = enabled ? RateLimiter(settings.scansPerDevice, capacity: capacity) : nil
        scansPerIP = enabled ? RateLimiter(settings.scansPerIP, capacity: capacity) : nil
        pagesPerIP = enabled ? RateLimiter(settings.pagesPerIP, capacity: capacity) : nil
        qrImagesPerIP = enabled ? RateLimiter(settings.qrImagesPerIP, capacity: capacity) : nil
    }

    /// 429 when the caller used up its allowance under `limiter` (an address counts by `IPAddress.subscriber`).
    func admit(_ limiter: RateLimiter<IPAddress>?, _ address: IPAddress?) throws(APIError) {
        guard let limiter, let address, let wait = limiter.take(address.subscriber) else { return }
        throw Self.limited(wait)
    }

    /// 429 when the device used up its allowance of scans.
    func admitScan(device: String?) throws(APIError) {
        guard let limiter = scansPerDevice, let device, let wait = limiter.take(device) else { return }
        throw Self.limited(wait)
    }

    /// The answer to a caller over its limit: 429 with `Retry-After` in whole seconds.
    static func limited(_ waitMillis: Int64) -> APIError {
        let seconds = TokenBucket.retryAfterSeconds(waitMillis)
        var error = APIError(.tooManyRequests, code: "rate_limited", message: "too many requests; try again in \(seconds) s")
        error.headers[.retryAfter] = String(seconds)
        return error
    }
}
