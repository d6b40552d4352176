import Foundation
public import FullChainApp
public import FullChainCore
import FullChainStorage
public import HTTPTypes
public import Hummingbird
import NIOCore
import NIOHTTP1

/// An error a client sees: an HTTP status and `{"error": {"code", "message", "details"}}`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: ErrorDetails?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, details: ErrorDetails? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public static let unauthenticated = APIError(.unauthorized, code: "unauthenticated", message: "sign in or send a bearer token")
    public static let forbidden = APIError(.forbidden, code: "forbidden", message: "your role may not do this")
    public static let notFound = APIError(.notFound, code: "not_found", message: "no such object within your reach")

    public static func badRequest(_ code: String, _ message: String) -> APIError {
        APIError(.badRequest, code: code, message: message)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        var (message, details) = (self.message, self.details)
        // A client asking for Chinese reads the catalogue's text for the code (the code stays the same).
        if Self.asksForChinese(request) {
            message = L10n.chineseError(code) ?? (status.code >= 500 ? "服务器出错了，请稍后再试" : "请求有误")
            if case .fields(let fields) = details {
                details = .fields(
                    fields.map { field in
                        var field = field
                        field.message = L10n.chineseError(field.code) ?? field.message
                        return field
                    })
            }
        }
        let body = ErrorEnvelope(error: .init(code: code, message: message, details: details))
        let data = (try? JSONEncoder.api.encode(body)) ?? Data(#"{"error":{"code":"internal","message":"error"}}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// True when the client's `Accept-Language` prefers Chinese (`zh`, `zh-CN`, … with the highest weight).
    static func asksForChinese(_ request: Request) -> Bool {
        guard let header = request.headers[.acceptLanguage] else { return false }
        var best: (weight: Double, chinese: Bool)?
        for part in header.split(separator: ",").prefix(20) {
            let pieces = part.split(separator: ";")
            let tag = (pieces.first.map { String($0).trimmingWhitespace() } ?? "").lowercased()
            var weight = 1.0
            for piece in pieces.dropFirst() {
                let parameter = String(piece).trimmingWhitespace()
                if parameter.hasPrefix("q="), let value = Double(parameter.dropFirst(2)), value.isFinite { weight = value }
            }
            guard !tag.isEmpty, weight > 0 else { continue }
            if weight > (best?.weight ?? -1) { best = (weight, tag == "zh" || tag.hasPrefix("zh-")) }
        }
        return best?.chinese ?? false
    }

    /// The API's answer to any error a handler throws.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as ValidationError:
            return APIError(
                .unprocessableContent, code: "validation_failed", message: "the input breaks \(error.errors.count) rule(s)",
                details: .fields(error.errors))
        case let error as StorageError:
            return from(storage: error)
        case let error as AppError:
            let status: HTTPResponse.Status =
                switch error.kind {
                case .notFound: .notFound
                case .unreadable: .unprocessableContent
                case .unsupported: .badRequest
                case .notAllowed: .forbidden
                case .conflict: .conflict
                case .unavailable: .serviceUnavailable
                }
            return APIError(status, code: error.code, message: error.message)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: "payload_too_large", message: "the request body is too large")
        case is HTTPParserError:
            // The client sent a malformed request, or left before its body was complete.
            return APIError(.badRequest, code: "unreadable_request", message: "the request could not be read to its end")
        case let error as DecodingError:
            return APIError(.badRequest, code: "invalid_json", message: describe(error))
        case let error as HTTPError:
            switch error.status {
            case .contentTooLarge: return APIError(.contentTooLarge, code: "payload_too_large", message: "the request body is too large")
            case .notFound: return APIError(.notFound, code: "not_found", message: "no such route")
            case .methodNotAllowed: return APIError(.methodNotAllowed, code: "method_not_allowed", message: "method not allowed here")
            default: return APIError(error.status, code: "http_\(error.status.code)", message: error.body ?? error.status.reasonPhrase)
            }
        default:
            return APIError(.internalServerError, code: "internal", message: "something went wrong on our side")
        }
    }

    static func from(storage error: StorageError) -> APIError {
        switch error {
        case .duplicate(let what):
            APIError(.conflict, code: "duplicate", message: "an object with the same unique key exists (\(conciseConstraint(what)))")
        case .missingReference(let field):
            APIError(
                .unprocessableContent, code: "invalid_reference", message: "\(field) names nothing within your reach",
                details: .fields([FieldError(field: field, code: "invalid_reference", message: "\(field) names nothing within your reach")]))
        case .notFound: .notFound
        case .corruptRow, .unavailable: APIError(.serviceUnavailable, code: "storage_unavailable", message: "storage is unavailable; try again")
        case .exhausted(let what): APIError(.conflict, code: "exhausted", message: what)
        case .floorReached(let account): APIError(.conflict, code: "insufficient_balance", message: "\(account) has not enough left")
        }
    }

    private static func conciseConstraint(_ text: String) -> String {
        // Keep the column list of SQLite's "UNIQUE constraint failed: stores.tenant_id, stores.code" or PostgreSQL's constraint name.
        if let range = text.range(of: "failed: ") { return String(text[range.upperBound...]) }
        return text
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "body" : keys.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context): return "\(path(context)) has the wrong type"
        case .valueNotFound(_, let context): return "\(path(context)) is missing"
        case .keyNotFound(let key, _): return "\(key.stringValue) is missing"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context)) is invalid"
        @unknown default: return "the body is not valid JSON"
        }
    }
}

/// Extra facts about an error: which fields broke which rules, or an import's row report.
public enum ErrorDetails: Sendable, Encodable {
    case fields([FieldError])
    case importReport(ImportReport)
    /// The cases a logistics request was refused for.
    case cases([CaseRef])

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .fields(let errors): try errors.encode(to: encoder)
        case .importReport(let report): try report.encode(to: encoder)
        case .cases(let cases): try cases.encode(to: encoder)
        }
    }
}

struct ErrorEnvelope: Encodable {
    struct Body: Encodable {
        var code: String
        var message: String
        var details: ErrorDetails?
    }
    var error: Body
}
