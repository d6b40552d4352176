import FullChainCore
import HTTPTypes
import Hummingbird
import NIOCore

/// Markup written in this code. A string literal is HTML as written; every value interpolated into
/// one is escaped, unless it is `Markup` itself. Text from anywhere else (a store's name, a
/// translation, a number) becomes markup only by being escaped, or through `init(trusted:)`,
/// which says where the markup was made.
struct Markup: Sendable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    fileprivate(set) var html: String

    init(stringLiteral value: String) {
        html = value
    }

    init(stringInterpolation: Interpolation) {
        html = stringInterpolation.html
    }

    /// Markup this code built as a string (an SVG path, a chart): never anything a person typed.
    init(trusted html: String) {
        self.html = html
    }

    /// Escaped text.
    init(text: String) {
        html = ""
        html.appendEscaped(text)
    }

    static let empty: Markup = ""

    static func + (left: Markup, right: Markup) -> Markup {
        Markup(trusted: left.html + right.html)
    }

    var isEmpty: Bool { html.isEmpty }

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var html = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            html.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        mutating func appendLiteral(_ literal: String) {
            html += literal
        }

        mutating func appendInterpolation(_ markup: Markup) {
            html += markup.html
        }

        /// Any other value: its text, escaped.
        mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            html.appendEscaped(value.description)
        }
    }
}

/// A page being written. `+=` takes markup as written and escapes every `String`, so a value
/// reaches the page unescaped only as `Markup`.
struct HTMLWriter {
    private(set) var html = ""

    init(capacity: Int = 4_096) {
        html.reserveCapacity(capacity)
    }

    static func += (writer: inout HTMLWriter, markup: Markup) {
        writer.html += markup.html
    }

    /// Text: escaped.
    @_disfavoredOverload
    static func += (writer: inout HTMLWriter, text: String) {
        writer.html.appendEscaped(text)
    }

    /// Text, escaped (the same as `+=` with a `String`).
    mutating func appendEscaped(_ text: String) {
        html.appendEscaped(text)
    }

    /// An optional text escaped, or `placeholder` when it is missing or empty.
    mutating func appendEscaped(_ text: String?, placeholder: String) {
        if let text, !text.isEmpty { html.appendEscaped(text) } else { html.appendEscaped(placeholder) }
    }

    /// Texts, each escaped, with markup between them (table headers and cells).
    mutating func appendJoined(_ texts: [String], separator: Markup) {
        for (index, text) in texts.enumerated() {
            if index > 0 { html += separator.html }
            html.appendEscaped(text)
        }
    }

    /// What was written, as markup to place in another page.
    var markup: Markup { Markup(trusted: html) }
}

/// Pages as responses, redirects, and safe local paths.
enum HTML {
    /// True when the text holds a character that must be escaped.
    static func needsEscaping(_ text: String) -> Bool {
        text.utf8.contains {
            $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
        }
    }

    /// A page as a response: HTML, never cached by shared caches.
    static func response(_ page: HTMLWriter, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "private, no-store"]
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.html)))
    }

    /// Pages load only this site's stylesheets and scripts (files under `/assets`, never inline
    /// code or style attributes), and are never framed.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// A 303 redirect to a local path.
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    /// `next` when it is a path on this site (`/…`, not `//…` or `/\…`), else `/`.
    static func safeLocalPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.utf8.count <= 2_000 else { return "/" }
        let unsafe = next.unicodeScalars.contains { $0 == "\\" || $0.value < 0x21 || $0.value == 0x7F }
        return unsafe ? "/" : next
    }
}

extension String {
    /// Appends `text` with `& < > " '` escaped; text without them is appended as is.
    fileprivate mutating func appendEscaped(_ text: String) {
        guard HTML.needsEscaping(text) else {
            self += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": self += "&amp;"
            case "<": self += "&lt;"
            case ">": self += "&gt;"
            case "\"": self += "&quot;"
            case "'": self += "&#39;"
            default: unicodeScalars.append(scalar)
            }
        }
    }

    /// Percent-encodes everything but unreserved characters and `/`.
    func addingPercentEncodingForQuery() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

/// Name/value pairs from a query string or an `application/x-www-form-urlencoded` body.
struct FormFields: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ encoded: String?) {
        guard let encoded, !encoded.isEmpty else { return }
        for part in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((name, value))
        }
    }

    /// The first value for `name`, trimmed; nil when absent or blank.
    subscript(name: String) -> String? {
        guard let value = pairs.first(where: { $0.name == name })?.value.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    /// The first value for `name` exactly as sent (passwords keep their spaces).
    func raw(_ name: String) -> String? {
        pairs.first(where: { $0.name == name })?.value
    }

    /// A whole number, or nil when absent or not a number.
    func int(_ name: String) -> Int64? {
        self[name].flatMap { Int64($0) }
    }

    /// `+` as space, then `%XX` escapes; malformed escapes are kept as written.
    static func decode(_ text: Substring) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(text) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = bytes[index + 1].hexDigitValue,
                let low = bytes[index + 2].hexDigitValue
            {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Builds `?a=1&b=2` links that keep a page's filters.
struct QueryString {
    private var items: [(String, String)] = []

    init(_ items: [(String, String?)] = []) {
        for (name, value) in items { set(name, value) }
    }

    /// Sets (or, for nil or empty, removes) a parameter.
    mutating func set(_ name: String, _ value: String?) {
        items.removeAll { $0.0 == name }
        if let value, !value.isEmpty { items.append((name, value)) }
    }

    func with(_ name: String, _ value: String?) -> QueryString {
        var copy = self
        copy.set(name, value)
        return copy
    }

    /// `path?…`, or `path` alone when nothing is set.
    func url(_ path: String) -> String {
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { "\($0.0.addingPercentEncodingForQuery())=\($0.1.addingPercentEncodingForQuery())" }.joined(separator: "&")
    }
}
