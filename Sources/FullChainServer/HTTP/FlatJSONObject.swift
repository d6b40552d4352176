/// A JSON object of plain members (strings without escapes, numbers, `true`, `false`, `null`),
/// read straight from the body's bytes. The busiest public bodies (a consumer's scan) are such
/// objects; anything else (nesting, escapes, bad UTF-8, a repeated key, a syntax error) reads as
/// nil, and the caller decodes with `JSONDecoder`, whose answers and errors stay the reference.
struct FlatJSONObject {
    enum Value: Equatable {
        case string(String)
        /// A number as written, e.g. `-12.5e3`.
        case number(String)
        case bool(Bool)
        case null
    }

    private(set) var members: [String: Value] = [:]

    subscript(_ key: String) -> Value? { members[key] }

    init?(_ bytes: some Collection<UInt8>) {
        let parsed: [String: Value]?? = bytes.withContiguousStorageIfAvailable { buffer in
            var reader = Reader(bytes: buffer)
            return reader.object()
        }
        guard let parsed, let parsed else { return nil }
        members = parsed
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func object() -> [String: Value]? {
            skipWhitespace()
            guard take(UInt8(ascii: "{")) else { return nil }
            var members: [String: Value] = [:]
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return end() ? members : nil }
            while true {
                skipWhitespace()
                guard let key = string() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                guard let value = value(), members.updateValue(value, forKey: key) == nil else { return nil }
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")) else { return nil }
                return end() ? members : nil
            }
        }

        private mutating func end() -> Bool {
            skipWhitespace()
            return index == bytes.count
        }

        private mutating func value() -> Value? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return number().map(Value.number)
            }
        }

        /// A string without escapes or control characters, valid UTF-8.
        private mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        /// A number by JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        private mutating func number() -> String? {
            let start = index
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
            } else if digits() == 0 {
                return nil
            }
            if take(UInt8(ascii: ".")), digits() == 0 { return nil }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                if digits() == 0 { return nil }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        private mutating func digits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }
    }
}

/// A body type that can be read from a flat JSON object without `JSONDecoder`: nil when the
/// object holds anything the type's decoder would treat otherwise (a wrong type, a number out of range).
protocol FlatJSONDecodable: Decodable {
    init?(flat object: FlatJSONObject)
}

extension FlatJSONObject {
    /// The member as text: nil when absent or null, `.some(nil)` when of another type.
    func string(_ key: String) -> String?? {
        switch self[key] {
        case nil, .null?: return .some(nil)
        case .string(let text)?: return text
        default: return nil
        }
    }

    /// The member as a number of type `Double`, as `JSONDecoder` reads it.
    func double(_ key: String) -> Double?? {
        switch self[key] {
        case nil, .null?: return .some(nil)
        case .number(let text)?:
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        default: return nil
        }
    }

    /// The member as a whole number written without fraction or exponent.
    func int64(_ key: String) -> Int64?? {
        switch self[key] {
        case nil, .null?: return .some(nil)
        case .number(let text)?:
            guard let value = Int64(text) else { return nil }
            return value
        default: return nil
        }
    }
}
