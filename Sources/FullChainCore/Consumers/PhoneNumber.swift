/// A mainland China mobile number (11 digits, `1[3-9]…`), as consumers type it: spaces and
/// dashes dropped, `+86`/`86` allowed in front.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// The 11 digits.
    public let digits: String

    public init?(_ text: String) {
        guard text.utf8.count <= 32 else { return nil }
        var bytes = Array(text.utf8.filter { $0 != 0x20 && $0 != 0x2D })
        if bytes.first == 0x2B { bytes.removeFirst() }
        if bytes.count == 13, bytes[0] == 0x38, bytes[1] == 0x36 { bytes.removeFirst(2) }
        guard bytes.count == 11, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), bytes[0] == 0x31, bytes[1] >= 0x33 else { return nil }
        digits = String(decoding: bytes, as: UTF8.self)
    }

    /// `+86` and the digits, as SMS gateways take numbers.
    public var e164: String { "+86" + digits }

    /// `138****5678`, for pages.
    public var masked: String { String(digits.prefix(3)) + "****" + String(digits.suffix(4)) }

    /// The subject a signed-in consumer is known by.
    public var subject: String { "phone:" + digits }

    public var description: String { masked }
}
