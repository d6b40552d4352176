import FullChainCore
import HTTPTypes
public import Hummingbird

/// Refuses a query string that no page or endpoint takes: control characters (a NUL that
/// PostgreSQL would refuse deep in a query, a line break in a search) or bytes that are not
/// UTF-8, in any parameter's name or value. The answer is 400 `invalid_query` before any handler runs.
public struct QueryCheckMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let query = request.uri.query, !query.isEmpty, !Self.isClean(query) {
            throw APIError.badRequest("invalid_query", "the query holds control characters or bytes that are not UTF-8")
        }
        return try await next(request, context)
    }

    /// Whether a raw query string, once percent-decoded, is UTF-8 text without control characters.
    static func isClean(_ query: String) -> Bool {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(query.utf8.count)
        var iterator = query.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next()?.hexDigitValue, let low = iterator.next()?.hexDigitValue else { return false }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { return false }
        return !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
