/// How fast a caller may call: `perMinute` requests a minute on average, `burst` of them at once.
public struct RateLimit: Sendable, Equatable {
    /// The largest rate and burst a limit takes (larger values mean the same: no limit in practice).
    public static let maximum = 1_000_000_000

    public var perMinute: Int
    public var burst: Int

    /// A limit of `perMinute` with bursts of `burst`, by default half a minute's worth; both are
    /// kept within 1…`maximum`.
    public init(perMinute: Int, burst: Int? = nil) {
        self.perMinute = min(max(1, perMinute), Self.maximum)
        self.burst = min(max(1, burst ?? self.perMinute / 2), Self.maximum)
    }
}

/// One caller's allowance under a `RateLimit`: it holds up to `burst` tokens, refilled
/// continuously at `perMinute`; each request takes one. A plain value: the caller supplies the
/// time (milliseconds of a monotonic clock) and keeps the bucket.
public struct TokenBucket: Sendable, Equatable {
    /// One token in the bucket's units: a millisecond adds `perMinute` units, so refills are exact.
    private static let unitsPerToken: Int64 = 60_000

    private var units: Int64
    private var updatedAt: Int64

    /// A full bucket at `now`.
    public init(_ limit: RateLimit, now: Int64) {
        units = Int64(limit.burst) * Self.unitsPerToken
        updatedAt = now
    }

    /// Whole tokens left.
    public var tokens: Int { Int(units / Self.unitsPerToken) }

    /// Takes a token at `now`: nil when the request may go ahead, else the milliseconds until a
    /// token will be there.
    public mutating func take(_ limit: RateLimit, now: Int64) -> Int64? {
        let capacity = Int64(limit.burst) * Self.unitsPerToken
        let rate = Int64(limit.perMinute)
        if now > updatedAt {
            // An empty bucket is full again after capacity / rate ms: a longer pause adds nothing (nor overflows).
            let (gap, overflow) = now.subtractingReportingOverflow(updatedAt)
            let elapsed = overflow ? capacity / rate + 1 : min(gap, capacity / rate + 1)
            units = min(capacity, units + elapsed * rate)
            updatedAt = now
        }
        units = min(units, capacity)
        if units >= Self.unitsPerToken {
            units -= Self.unitsPerToken
            return nil
        }
        return (Self.unitsPerToken - units + rate - 1) / rate
    }

    /// The whole seconds a client is asked to wait for `milliseconds` (`Retry-After`; at least 1).
    public static func retryAfterSeconds(_ milliseconds: Int64) -> Int64 {
        max(1, (milliseconds + 999) / 1_000)
    }
}

/// The limits on the public endpoints (consumer scans, the scan pages and their lookups, QR
/// images), counted per server. The defaults leave room no real consumer reaches: a phone
/// scans a few bottles in a row, and many consumers share one carrier address (NAT).
public struct PublicRateLimits: Sendable, Equatable {
    /// Off for load tests from one machine (every request then comes from one address).
    public var enabled: Bool
    /// `POST /api/v1/scans` per device (the `deviceID` it sends).
    public var scansPerDevice: RateLimit
    /// `POST /api/v1/scans` per client address (an IPv6 client by its /64).
    public var scansPerIP: RateLimit
    /// The scan pages (`/c/{code}`), GS1 Digital Link URLs and nearby stores, per client address.
    public var pagesPerIP: RateLimit
    /// QR images, per client address.
    public var qrImagesPerIP: RateLimit
    /// How many callers each limit remembers (least recently seen forgotten first).
    public var trackedCallers: Int

    public init(
        enabled: Bool = true, scansPerDevice: RateLimit = RateLimit(perMinute: 60, burst: 30),
        scansPerIP: RateLimit = RateLimit(perMinute: 600, burst: 300), pagesPerIP: RateLimit = RateLimit(perMinute: 600, burst: 300),
        qrImagesPerIP: RateLimit = RateLimit(perMinute: 600, burst: 300), trackedCallers: Int = 100_000
    ) {
        self.enabled = enabled
        self.scansPerDevice = scansPerDevice
        self.scansPerIP = scansPerIP
        self.pagesPerIP = pagesPerIP
        self.qrImagesPerIP = qrImagesPerIP
        self.trackedCallers = trackedCallers
    }
}
