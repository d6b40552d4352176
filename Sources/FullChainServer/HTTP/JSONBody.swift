import Foundation
import FullChainApp
public import HTTPTypes
public import Hummingbird
import NIOCore

extension Request {
    /// Decodes a JSON body of at most `limit` bytes; a larger one is refused with 413.
    public func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        try JSONDecoder().decode(T.self, from: Data(try await strictJSONBody(limit: limit).readableBytesView))
    }

    /// Decodes a JSON body of at most `limit` bytes, reading a flat object directly and anything
    /// else with `JSONDecoder` (which gives the same value, or the error).
    func decodeJSON<T: FlatJSONDecodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer = try await jsonBody(limit: limit)
        if let object = FlatJSONObject(buffer.readableBytesView), let value = T(flat: object) { return value }
        try Self.checkStrict(buffer)
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    /// A body of at most `limit` bytes that is strict JSON (see `StrictJSON`); 400 otherwise.
    func strictJSONBody(limit: Int) async throws -> ByteBuffer {
        let buffer = try await jsonBody(limit: limit)
        try Self.checkStrict(buffer)
        return buffer
    }

    private static func checkStrict(_ buffer: ByteBuffer) throws(APIError) {
        try StrictJSON.checkForAPI(buffer.readableBytesView)
    }

    /// A body of at most `limit` bytes (413 beyond), refused when empty.
    private func jsonBody(limit: Int) async throws -> ByteBuffer {
        let buffer = try await body.collect(upTo: limit)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("invalid_json", "the body is empty; send a JSON object") }
        return buffer
    }

    /// The raw body of at most `limit` bytes.
    public func bytes(limit: Int) async throws -> [UInt8] {
        let buffer = try await body.collect(upTo: limit)
        return Array(buffer.readableBytesView)
    }

    /// A query parameter as an integer, 400 when it is there but not a number.
    public func intQuery(_ name: String) throws(APIError) -> Int64? {
        guard let text = uri.queryParameters[Substring(name)], !text.isEmpty else { return nil }
        guard let value = Int64(text) else { throw .badRequest("invalid_query", "\(name) must be a whole number") }
        return value
    }

    /// A query parameter as text.
    public func query(_ name: String) -> String? {
        guard let text = uri.queryParameters[Substring(name)], !text.isEmpty else { return nil }
        return String(text)
    }
}

extension Response {
    /// A JSON response with sorted keys.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A file download.
    public static func download(_ bytes: [UInt8], contentType: String, fileName: String) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers[.contentDisposition] = "attachment; filename=\"\(fileName)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension StrictJSON {
    /// Checks `bytes` as `check` does, answering a refusal with 400 and its code.
    static func checkForAPI(_ bytes: some Collection<UInt8>) throws(APIError) {
        do {
            try check(bytes)
        } catch {
            throw APIError.badRequest(error.code, error.message)
        }
    }

    /// Decodes strict JSON bytes already read.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try checkForAPI(bytes)
        return try JSONDecoder().decode(T.self, from: Data(bytes))
    }
}
