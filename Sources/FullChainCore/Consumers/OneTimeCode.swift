/// The six digits of an SMS sign-in code and the rules that keep them from being guessed:
/// how often a code may be sent (per phone, per address, per device) and how many wrong tries
/// end a code and then lock the phone. Pure: the counts come from storage.
public struct OneTimeCodeRules: Sendable, Equatable {
    /// How long a sent code works.
    public var lifetimeMillis: Int64 = 5 * 60_000
    /// Wrong tries that end a code.
    public var attemptsPerCode = 5
    /// A phone waits this long between codes.
    public var resendMillis: Int64 = 60_000
    /// Codes per phone, per address and per device within `windowMillis`.
    public var sendsPerPhone = 5
    public var sendsPerAddress = 20
    public var sendsPerDevice = 10
    public var windowMillis: Int64 = 3_600_000
    /// Wrong tries on a phone's codes within `windowMillis` that lock the phone until they age out.
    public var failuresToLock = 10

    public init() {}

    /// Why a code may not be sent, or be checked, now.
    public enum Refusal: Error, Sendable, Equatable {
        /// The phone had a code less than `resendMillis` ago.
        case tooSoon(retryAfterMillis: Int64)
        /// Too many codes for the phone, the address or the device this hour.
        case phoneLimit, addressLimit, deviceLimit
        /// Too many wrong tries on the phone's codes this hour.
        case phoneLocked
    }

    /// What storage counted for a phone (and the address and device asking) within the window.
    public struct Counts: Sendable, Equatable {
        public var phoneSends: Int
        public var addressSends: Int
        public var deviceSends: Int
        /// Wrong tries on the phone's codes.
        public var failures: Int
        /// When the phone's newest code was sent.
        public var lastSentAt: Int64?

        public init(phoneSends: Int, addressSends: Int, deviceSends: Int, failures: Int, lastSentAt: Int64?) {
            self.phoneSends = phoneSends
            self.addressSends = addressSends
            self.deviceSends = deviceSends
            self.failures = failures
            self.lastSentAt = lastSentAt
        }
    }

    /// Whether a new code may be sent now; a locked phone is told so before any other limit.
    public func maySend(_ counts: Counts, now: Int64) -> Refusal? {
        if counts.failures >= failuresToLock { return .phoneLocked }
        if let last = counts.lastSentAt, now - last < resendMillis { return .tooSoon(retryAfterMillis: resendMillis - (now - last)) }
        if counts.phoneSends >= sendsPerPhone { return .phoneLimit }
        if counts.addressSends >= sendsPerAddress { return .addressLimit }
        if counts.deviceSends >= sendsPerDevice { return .deviceLimit }
        return nil
    }

    /// Six digits from the system's secure source.
    public static func generate() -> String {
        var random = SystemRandomNumberGenerator()
        let value = UInt32.random(in: 0..<1_000_000, using: &random)
        let text = String(value)
        return String(repeating: "0", count: 6 - text.count) + text
    }

    /// Six ASCII digits, as a consumer types them (spaces dropped).
    public static func normalized(_ text: String) -> String? {
        let digits = text.utf8.filter { $0 != 0x20 }
        guard digits.count == 6, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return String(decoding: digits, as: UTF8.self)
    }
}
