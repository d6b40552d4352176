/// A GS1 Global Trade Item Number (GTIN-8, -12, -13 or -14), held as 14 digits.
public struct GTIN: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The GTIN-14 form: left-padded with zeros.
    public let digits: String

    /// Parses a GTIN of 8, 12, 13 or 14 digits and checks its check digit; nil when invalid.
    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        let bytes = Array(trimmed.utf8)
        guard [8, 12, 13, 14].contains(bytes.count), bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let values = bytes.map { Int($0 - 0x30) }
        guard GTIN.checkDigit(for: values.dropLast()) == values[values.count - 1] else { return nil }
        digits = String(repeating: "0", count: 14 - bytes.count) + trimmed
    }

    /// The GS1 mod-10 check digit for the given digits (all but the check digit).
    public static func checkDigit<C: Collection>(for body: C) -> Int where C.Element == Int {
        var sum = 0
        // Weights run 3, 1, 3, … from the rightmost body digit.
        for (offset, digit) in body.reversed().enumerated() {
            sum += digit * (offset % 2 == 0 ? 3 : 1)
        }
        return (10 - sum % 10) % 10
    }

    /// The GTIN-13 form when the GTIN-14 starts with a zero, else the GTIN-14.
    public var shortForm: String { digits.hasPrefix("0") ? String(digits.dropFirst()) : digits }

    public var description: String { digits }

    /// The 14-digit form GS1 Digital Link puts after `/01/` (shorter GTINs padded with zeros).
    public var gtin14: String { String(repeating: "0", count: max(0, 14 - digits.count)) + digits }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let gtin = GTIN(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid GTIN"))
        }
        self = gtin
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}
