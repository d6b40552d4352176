/// One thing wrong with one field of an input.
public struct FieldError: Codable, Sendable, Equatable, Error {
    /// The input field (JSON key or import column), e.g. `gtin`.
    public var field: String
    /// Machine-readable reason, e.g. `invalid_gtin`, `required`.
    public var code: String
    /// A sentence for people.
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public static func required(_ field: String) -> FieldError {
        FieldError(field: field, code: "required", message: "\(field) is required")
    }
}

/// An input that broke one or more rules; nothing was written.
public struct ValidationError: Error, Sendable, Equatable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}

/// Collects field errors while checking an input, then throws them all at once.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []
    public init() {}

    public mutating func add(_ error: FieldError) { errors.append(error) }

    /// A required, trimmed, non-empty text of at most `maxLength` characters.
    public mutating func text(_ value: String?, field: String, maxLength: Int = 200) -> String {
        let trimmed = (value ?? "").trimmingWhitespace()
        if trimmed.isEmpty {
            add(.required(field))
        } else if trimmed.count > maxLength {
            add(FieldError(field: field, code: "too_long", message: "\(field) is longer than \(maxLength) characters"))
        } else if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            add(FieldError(field: field, code: "invalid_characters", message: "\(field) contains control characters"))
        }
        return trimmed
    }

    /// An optional trimmed text: empty becomes nil.
    public mutating func optionalText(_ value: String?, field: String, maxLength: Int = 500) -> String? {
        let trimmed = (value ?? "").trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        return text(trimmed, field: field, maxLength: maxLength)
    }

    /// A code: letters, digits, `-`, `_`, `.`, 1...64 characters.
    public mutating func code(_ value: String?, field: String) -> String {
        let trimmed = text(value, field: field, maxLength: 64)
        if !trimmed.isEmpty, !trimmed.unicodeScalars.allSatisfy({ $0.isASCIICodeCharacter }) {
            add(FieldError(field: field, code: "invalid_code", message: "\(field) may hold only letters, digits, '-', '_' and '.'"))
        }
        return trimmed
    }

    /// An integer within a range. A value outside it is reported and comes back clamped into the
    /// range, so that arithmetic on it before `check()` cannot overflow.
    public mutating func integer(_ value: Int64?, field: String, in range: ClosedRange<Int64>) -> Int64 {
        guard let value else {
            add(.required(field))
            return range.lowerBound
        }
        if !range.contains(value) {
            add(FieldError(field: field, code: "out_of_range", message: "\(field) must be between \(range.lowerBound) and \(range.upperBound)"))
        }
        return min(max(value, range.lowerBound), range.upperBound)
    }

    /// Throws the collected errors, if any.
    public func check() throws(ValidationError) {
        if !errors.isEmpty { throw ValidationError(errors) }
    }
}

extension Unicode.Scalar {
    var isASCIICodeCharacter: Bool {
        switch value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x2D, 0x5F, 0x2E: true
        default: false
        }
    }
}

extension String {
    /// The string without leading and trailing white space (including full-width spaces).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        guard let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
