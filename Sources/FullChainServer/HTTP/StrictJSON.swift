/// Checks that a request body is strict JSON (RFC 8259) before any decoder sees it: one value,
/// valid UTF-8, no trailing commas or comments, no key twice in one object, numbers that fit a
/// double, and nesting at most `maxDepth` deep. A decoder that silently took the last of two
/// keys, or a parser that recursed 10,000 levels, is what this stands in front of.
enum StrictJSON {
    static let maxDepth = 64

    /// Why a body is refused: an error code and a sentence for the client.
    struct Refusal: Error, Equatable {
        var code: String
        var message: String
    }

    /// Throws the first thing wrong with `bytes`, or returns when it is strict JSON.
    static func check(_ bytes: some Collection<UInt8>) throws(Refusal) {
        let result: Refusal?? = bytes.withContiguousStorageIfAvailable { buffer -> Refusal? in
            var reader = Reader(bytes: buffer)
            do throws(Refusal) {
                try reader.document()
                return nil
            } catch {
                return error
            }
        }
        switch result {
        case .some(.some(let refusal)): throw refusal
        case .some(.none): return
        case .none: try check(Array(bytes))
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var depth = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func document() throws(Refusal) {
            try value()
            skipWhitespace()
            guard index == bytes.count else { throw invalid("unexpected text after the JSON value") }
        }

        private func invalid(_ what: String) -> Refusal {
            Refusal(code: "invalid_json", message: "the body is not valid JSON: \(what) at byte \(index)")
        }

        private mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
        }

        private mutating func value() throws(Refusal) {
            skipWhitespace()
            guard index < bytes.count else { throw invalid("a value is missing") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object()
            case UInt8(ascii: "["): try array()
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        private mutating func enter() throws(Refusal) {
            depth += 1
            guard depth <= StrictJSON.maxDepth else {
                throw Refusal(code: "json_too_deep", message: "the body nests more than \(StrictJSON.maxDepth) levels deep")
            }
        }

        private mutating func object() throws(Refusal) {
            try enter()
            index += 1
            var keys = Set<[UInt8]>()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw invalid("a key is missing (trailing comma?)") }
                let key = try string()
                guard keys.insert(key).inserted else {
                    let name = String(decoding: key.prefix(64), as: UTF8.self)
                    throw Refusal(code: "duplicate_key", message: "the key \"\(name)\" appears twice in one object")
                }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw invalid("':' is missing") }
                index += 1
                try value()
                skipWhitespace()
                guard index < bytes.count else { throw invalid("the object is not closed") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { throw invalid("',' or '}' is missing") }
                index += 1
                depth -= 1
                return
            }
        }

        private mutating func array() throws(Refusal) {
            try enter()
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return
            }
            while true {
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { throw invalid("a trailing comma") }
                try value()
                skipWhitespace()
                guard index < bytes.count else { throw invalid("the array is not closed") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { throw invalid("',' or ']' is missing") }
                index += 1
                depth -= 1
                return
            }
        }

        private mutating func literal(_ word: StaticString) throws(Refusal) {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { throw invalid("an unknown word") }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw invalid("an unknown word") }
            index += count
        }

        /// A string's content with escapes decoded, as UTF-8 bytes (keys are compared this way).
        private mutating func string() throws(Refusal) -> [UInt8] {
            index += 1
            var content: [UInt8] = []
            while true {
                guard index < bytes.count else { throw invalid("a string is not closed") }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return content
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw invalid("a string is not closed") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): content.append(escape)
                    case UInt8(ascii: "b"): content.append(0x08)
                    case UInt8(ascii: "f"): content.append(0x0C)
                    case UInt8(ascii: "n"): content.append(0x0A)
                    case UInt8(ascii: "r"): content.append(0x0D)
                    case UInt8(ascii: "t"): content.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800...0xDBFF).contains(scalar) {
                            // A high surrogate must be followed by an escaped low one.
                            guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                                throw invalid("a lone surrogate")
                            }
                            index += 2
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw invalid("a lone surrogate") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(scalar) {
                            throw invalid("a lone surrogate")
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw invalid("an invalid escape") }
                        content.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default:
                        throw invalid("an invalid escape")
                    }
                case 0..<0x20:
                    throw invalid("a control character in a string")
                case 0..<0x80:
                    content.append(byte)
                    index += 1
                default:
                    try utf8Sequence(into: &content)
                }
            }
        }

        private mutating func hex4() throws(Refusal) -> UInt32 {
            guard bytes.count - index >= 4 else { throw invalid("an invalid \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw invalid("an invalid \\u escape")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        /// One multi-byte UTF-8 sequence, checked (no overlong forms, no surrogates, at most U+10FFFF).
        private mutating func utf8Sequence(into content: inout [UInt8]) throws(Refusal) {
            let lead = bytes[index]
            let length: Int
            var scalar: UInt32
            switch lead {
            case 0xC2...0xDF:
                length = 2
                scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF:
                length = 3
                scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF4:
                length = 4
                scalar = UInt32(lead & 0x07)
            default: throw Refusal(code: "invalid_utf8", message: "the body is not valid UTF-8 at byte \(index)")
            }
            guard bytes.count - index >= length else { throw Refusal(code: "invalid_utf8", message: "the body is not valid UTF-8 at byte \(index)") }
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { throw Refusal(code: "invalid_utf8", message: "the body is not valid UTF-8 at byte \(index)") }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            let smallest: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
            guard scalar >= smallest, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
                throw Refusal(code: "invalid_utf8", message: "the body is not valid UTF-8 at byte \(index)")
            }
            for offset in 0..<length { content.append(bytes[index + offset]) }
            index += length
        }

        private mutating func number() throws(Refusal) {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw invalid("an unknown value") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw invalid("a number without digits after '.'") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw invalid("a number without an exponent") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard index - start <= 400, let value = Double(text), value.isFinite else {
                throw Refusal(code: "number_out_of_range", message: "the number \(text.prefix(40)) is too large")
            }
        }

        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }
}
