/// A small, allocation-light pull scanner for the XML found in Office Open XML packages.
///
/// It reports start tags, end tags and text; comments, processing instructions and DOCTYPE are
/// skipped, CDATA is reported as raw text. Entities other than the five predefined ones and
/// character references are left as written (no DTD is ever processed). Element and attribute
/// names are matched by local name, ignoring any namespace prefix.
struct XMLScanner {
    /// A start tag: where its local name and its attribute text lie in the input.
    struct Tag {
        var name: Range<Int>
        var attributes: Range<Int>
        var selfClosing: Bool
    }

    enum Token {
        case start(Tag)
        case end(name: Range<Int>)
        /// Character data; `raw` is true for CDATA (no entity decoding).
        case text(Range<Int>, raw: Bool)
    }

    let bytes: [UInt8]
    private var index = 0
    /// Set when the input ends inside markup.
    private(set) var malformed = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    private static let lessThan = UInt8(ascii: "<")
    private static let greaterThan = UInt8(ascii: ">")

    /// The next token, or nil at the end of input (check `malformed` afterwards).
    mutating func next() -> Token? {
        let count = bytes.count
        while index < count {
            if bytes[index] != Self.lessThan {
                let start = index
                while index < count, bytes[index] != Self.lessThan { index += 1 }
                return .text(start..<index, raw: false)
            }
            // Markup.
            guard index + 1 < count else { return fail() }
            let second = bytes[index + 1]
            if second == UInt8(ascii: "/") {
                let nameStart = index + 2
                guard let close = find(Self.greaterThan, from: nameStart) else { return fail() }
                var nameEnd = nameStart
                while nameEnd < close, !Self.isSpace(bytes[nameEnd]) { nameEnd += 1 }
                index = close + 1
                return .end(name: localName(nameStart..<nameEnd))
            }
            if second == UInt8(ascii: "?") {
                guard let end = find(sequence: [UInt8(ascii: "?"), Self.greaterThan], from: index + 2) else {
                    return fail()
                }
                index = end
                continue
            }
            if second == UInt8(ascii: "!") {
                if matches("<!--", at: index) {
                    guard let end = find(sequence: Array("-->".utf8), from: index + 4) else { return fail() }
                    index = end
                    continue
                }
                if matches("<![CDATA[", at: index) {
                    let start = index + 9
                    guard let end = find(sequence: Array("]]>".utf8), from: start) else { return fail() }
                    index = end
                    return .text(start..<(end - 3), raw: true)
                }
                // DOCTYPE or other declaration, possibly with an internal subset in brackets.
                var depth = 0
                var cursor = index + 2
                while cursor < count {
                    let byte = bytes[cursor]
                    if byte == UInt8(ascii: "[") { depth += 1 }
                    if byte == UInt8(ascii: "]") { depth -= 1 }
                    if byte == Self.greaterThan, depth <= 0 { break }
                    cursor += 1
                }
                guard cursor < count else { return fail() }
                index = cursor + 1
                continue
            }
            // Start tag: find the closing '>' outside quoted attribute values.
            let nameStart = index + 1
            var cursor = nameStart
            while cursor < count, !Self.isSpace(bytes[cursor]),
                bytes[cursor] != Self.greaterThan, bytes[cursor] != UInt8(ascii: "/")
            {
                cursor += 1
            }
            let name = localName(nameStart..<cursor)
            let attributesStart = cursor
            var quote: UInt8 = 0
            while cursor < count {
                let byte = bytes[cursor]
                if quote != 0 {
                    if byte == quote { quote = 0 }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == Self.greaterThan {
                    break
                }
                cursor += 1
            }
            guard cursor < count else { return fail() }
            let selfClosing = cursor > attributesStart && bytes[cursor - 1] == UInt8(ascii: "/")
            let attributesEnd = selfClosing ? cursor - 1 : cursor
            index = cursor + 1
            return .start(Tag(name: name, attributes: attributesStart..<attributesEnd, selfClosing: selfClosing))
        }
        return nil
    }

    /// Whether the bytes in `range` equal the ASCII string `name`.
    func equals(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { expected in
            var position = range.lowerBound
            for byte in expected {
                if bytes[position] != byte { return false }
                position += 1
            }
            return true
        }
    }

    /// The raw value range of the attribute with this local name; with `prefixed`, only an attribute
    /// carrying a namespace prefix (like `r:id`) matches.
    func attribute(_ tag: Tag, _ name: StaticString, prefixed: Bool = false) -> Range<Int>? {
        var cursor = tag.attributes.lowerBound
        let end = tag.attributes.upperBound
        while cursor < end {
            while cursor < end, Self.isSpace(bytes[cursor]) { cursor += 1 }
            let nameStart = cursor
            while cursor < end, bytes[cursor] != UInt8(ascii: "="), !Self.isSpace(bytes[cursor]) { cursor += 1 }
            let nameEnd = cursor
            while cursor < end, bytes[cursor] != UInt8(ascii: "\""), bytes[cursor] != UInt8(ascii: "'") {
                cursor += 1
            }
            guard cursor < end else { return nil }
            let quote = bytes[cursor]
            let valueStart = cursor + 1
            cursor = valueStart
            while cursor < end, bytes[cursor] != quote { cursor += 1 }
            let valueEnd = cursor
            cursor += 1
            let local = localName(nameStart..<nameEnd)
            if equals(local, name), !prefixed || local.lowerBound > nameStart {
                return valueStart..<valueEnd
            }
        }
        return nil
    }

    /// The decoded text of an attribute, or nil when it is absent.
    func attributeString(_ tag: Tag, _ name: StaticString, prefixed: Bool = false) -> String? {
        guard let range = attribute(tag, name, prefixed: prefixed) else { return nil }
        var buffer: [UInt8] = []
        appendText(range, raw: false, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends character data to `buffer`, decoding entities and normalising line ends (CRLF and
    /// lone CR become LF) as an XML parser must.
    func appendText(_ range: Range<Int>, raw: Bool, to buffer: inout [UInt8]) {
        var runStart = range.lowerBound
        var cursor = range.lowerBound
        let end = range.upperBound
        while cursor < end {
            let byte = bytes[cursor]
            if byte == 0x0D {
                buffer.append(contentsOf: bytes[runStart..<cursor])
                buffer.append(0x0A)
                cursor += 1
                if cursor < end, bytes[cursor] == 0x0A { cursor += 1 }
                runStart = cursor
            } else if byte == UInt8(ascii: "&"), !raw, let (decoded, next) = entity(at: cursor, end: end) {
                buffer.append(contentsOf: bytes[runStart..<cursor])
                buffer.append(contentsOf: decoded)
                cursor = next
                runStart = cursor
            } else {
                cursor += 1
            }
        }
        buffer.append(contentsOf: bytes[runStart..<end])
    }

    /// Parses the whole input as a number made of ASCII digits; nil if anything else is there.
    func integer(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for position in range {
            let digit = Int(bytes[position]) - 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    // MARK: - Helpers

    private mutating func fail() -> Token? {
        malformed = true
        index = bytes.count
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func localName(_ range: Range<Int>) -> Range<Int> {
        var position = range.upperBound
        while position > range.lowerBound {
            if bytes[position - 1] == UInt8(ascii: ":") { return position..<range.upperBound }
            position -= 1
        }
        return range
    }

    private func find(_ byte: UInt8, from start: Int) -> Int? {
        var position = start
        while position < bytes.count {
            if bytes[position] == byte { return position }
            position += 1
        }
        return nil
    }

    /// The index just past the first occurrence of `sequence` at or after `start`.
    private func find(sequence: [UInt8], from start: Int) -> Int? {
        guard let first = sequence.first else { return start }
        var position = start
        while position + sequence.count <= bytes.count {
            if bytes[position] == first, bytes[position..<(position + sequence.count)].elementsEqual(sequence) {
                return position + sequence.count
            }
            position += 1
        }
        return nil
    }

    private func matches(_ literal: StaticString, at position: Int) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard position + length <= bytes.count else { return false }
        return equals(position..<(position + length), literal)
    }

    /// Decodes `&name;` or `&#...;` at `start`; nil for anything unknown (left as written).
    private func entity(at start: Int, end: Int) -> ([UInt8], Int)? {
        var semicolon = start + 1
        while semicolon < end, semicolon - start <= 10, bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < end, bytes[semicolon] == UInt8(ascii: ";") else { return nil }
        let body = (start + 1)..<semicolon
        let next = semicolon + 1
        if equals(body, "amp") { return ([UInt8(ascii: "&")], next) }
        if equals(body, "lt") { return ([UInt8(ascii: "<")], next) }
        if equals(body, "gt") { return ([UInt8(ascii: ">")], next) }
        if equals(body, "quot") { return ([UInt8(ascii: "\"")], next) }
        if equals(body, "apos") { return ([UInt8(ascii: "'")], next) }
        guard body.count >= 2, bytes[body.lowerBound] == UInt8(ascii: "#") else { return nil }
        var value: UInt32 = 0
        var position = body.lowerBound + 1
        let hex = bytes[position] == UInt8(ascii: "x") || bytes[position] == UInt8(ascii: "X")
        if hex { position += 1 }
        guard position < body.upperBound else { return nil }
        while position < body.upperBound {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: digit = UInt32(byte - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: digit = UInt32(byte - 55)
            default: return nil
            }
            value = value * (hex ? 16 : 10) + digit
            guard value <= 0x10FFFF else { return nil }
            position += 1
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (Array(String(Character(scalar)).utf8), next)
    }
}
