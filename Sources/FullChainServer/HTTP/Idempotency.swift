import Crypto
import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import NIOCore

/// Retried writes have one effect: a client that sends `Idempotency-Key` with a write gets the
/// first response to that key again (marked `Idempotent-Replayed: true`) instead of a second
/// effect. The same key with another method, path or body is refused. Requests with the same key
/// at once wait for the first. Keys are kept a day; `IdempotencyPurger` forgets older ones.
///
/// Keys are not an attack surface:
/// - Authentication comes first: a signed-in endpoint called without a principal is answered 401
///   before its body is read or a key is claimed. The body is read against the endpoint's own
///   limit (JSON, photo or import), refused with 413 beyond it.
/// - Keys of a signed-in caller belong to that user. Public callers (consumer scans) keep theirs
///   per client address, each key named within it by the scan's device ID; an address holds at
///   most `publicKeys` keys and its oldest give way, so a flood of fresh keys from one address
///   cannot grow the table. (The device ID alone does not bound anything: a client makes up as
///   many as it likes.)
/// - Only answers worth replaying are kept: a 401, 429 or server failure frees the key for a
///   retry, and a public caller keeps only successes (a forged code or a refused scan leaves
///   nothing behind).
/// - Responses carrying secrets are never kept: sign-in ignores the key (signing in again is
///   harmless and issues a fresh session); creating an API token keeps only that it happened, and
///   a retry with the same key is answered 409 `token_not_replayed`, since the secret was shown once.
final class Idempotency: Sendable {
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    /// Responses larger than this are not kept (the key is freed; writes answer far less).
    static let responseLimit = 1 << 20
    /// A claim this old whose request never finished belongs to a server that died: taken over.
    static let staleAfter: Int64 = 60_000
    static let retention: Int64 = 86_400_000
    /// How long a request waits for another with the same key.
    static let patience: Duration = .seconds(30)

    /// What is kept of an endpoint's answers for replay.
    enum Replay: Sendable {
        /// The whole answer.
        case answer
        /// Only that the request succeeded: its answer carries a secret shown once.
        case withoutSecret
        /// Nothing: the key is ignored.
        case never
    }

    let storage: any IdempotencyRepository
    let configuration: AppConfiguration

    init(storage: any IdempotencyRepository, configuration: AppConfiguration) {
        self.storage = storage
        self.configuration = configuration
    }

    /// The endpoint's handler, answering retries of a keyed request from the stored first response.
    func wrap(_ endpoint: APIEndpoint) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        let handler = endpoint.handler
        guard endpoint.method != .get, endpoint.method != .head, endpoint.replay != .never else { return handler }
        let bodyLimit = endpoint.bodyLimit(configuration)
        let isPublic = endpoint.access == .anyone
        let replay = endpoint.replay
        let publicKeys = configuration.publicIdempotencyKeys
        return { [self] request, context in
            guard let key = request.headers[Self.header] else { return try await handler(request, context) }
            guard !key.isEmpty, key.utf8.count <= 255, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw APIError.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1–255 visible ASCII characters")
            }
            guard isPublic || context.principal != nil else { throw APIError.unauthenticated }
            if let length = request.headers[.contentLength].flatMap(Int.init), length > bodyLimit {
                throw APIError(.contentTooLarge, code: "payload_too_large", message: "the request body is too large")
            }
            var request = request
            let body = try await request.collectBody(upTo: bodyLimit)
            var digest = SHA256()
            digest.update(data: Array("\(request.method.rawValue) \(request.uri.description)\n".utf8))
            digest.update(data: body.readableBytesView)
            let hash = Self.hex(digest.finalize())
            let scope: String
            let storedKey: String
            let keep: Int?
            if let principal = context.principal {
                scope = "t\(principal.tenantID)/u\(principal.userID)"
                storedKey = key
                keep = nil
            } else {
                scope = "public/\(configuration.clientAddress(request, context)?.description ?? "-")"
                storedKey = "\(Self.device(in: body))/\(key)"
                keep = publicKeys
            }

            let deadline = ContinuousClock.now + Self.patience
            while true {
                let now = currentMillis()
                switch try await storage.claim(
                    scope: scope, key: storedKey, requestHash: hash, now: now, staleBefore: now - Self.staleAfter, keep: keep)
                {
                case .claimed:
                    return try await run(handler, request, context, scope: scope, key: storedKey, keepsRefusals: !isPublic, replay: replay)
                case .replay(let stored):
                    return Self.response(stored, replayed: true)
                case .mismatch:
                    throw APIError(
                        .unprocessableContent, code: "idempotency_key_reused", message: "this Idempotency-Key was used for a different request")
                case .inProgress:
                    guard ContinuousClock.now < deadline else {
                        throw APIError(
                            .conflict, code: "idempotency_in_progress", message: "a request with this Idempotency-Key is still running; retry later")
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
    }

    /// The device a public body names (a short hash of its `deviceID`), or `-`.
    static func device(in body: ByteBuffer) -> String {
        guard case .string(let device)? = FlatJSONObject(body.readableBytesView)?["deviceID"], !device.isEmpty else { return "-" }
        return String(hex(SHA256.hash(data: Array(device.utf8))).prefix(16))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Runs the claimed request and keeps its answer, or frees the key when the answer is not one to replay.
    private func run(
        _ handler: @Sendable (Request, AppRequestContext) async throws -> Response, _ request: Request, _ context: AppRequestContext,
        scope: String, key: String, keepsRefusals: Bool, replay: Replay
    ) async throws -> Response {
        let response: Response
        do {
            response = try await handler(request, context)
        } catch {
            let apiError = APIError.from(error)
            guard Self.keeps(status: apiError.status.code, keepsRefusals: keepsRefusals) else {
                try? await storage.release(scope: scope, key: key)
                throw error
            }
            response = try apiError.response(from: request, context: context)
        }
        guard Self.keeps(status: response.status.code, keepsRefusals: keepsRefusals) else {
            try await storage.release(scope: scope, key: key)
            return response
        }
        if replay == .withoutSecret, (200..<300).contains(response.status.code) {
            let marker = APIError(
                .conflict, code: "token_not_replayed",
                message: "a request with this Idempotency-Key succeeded; its secret was shown once and is not kept")
            let markerBody = try JSONEncoder.api.encode(["error": ["code": marker.code, "message": marker.message]])
            try await storage.complete(
                scope: scope, key: key,
                response: StoredResponse(
                    status: 409, contentType: "application/json; charset=utf-8",
                    body: Array(markerBody)), now: currentMillis())
            return response
        }
        let collector = BodyCollector(limit: Self.responseLimit)
        try await response.body.write(collector)
        guard !collector.overflowed else {
            try await storage.release(scope: scope, key: key)
            throw APIError(.internalServerError, code: "response_too_large", message: "the response is too large to keep for replay")
        }
        let stored = StoredResponse(
            status: Int(response.status.code), contentType: response.headers[.contentType] ?? "application/json",
            body: collector.bytes)
        try await storage.complete(scope: scope, key: key, response: stored, now: currentMillis())
        var answer = Self.response(stored, replayed: false)
        for field in response.headers where field.name != .contentType && field.name != .contentLength { answer.headers.append(field) }
        return answer
    }

    /// Whether an answer with `status` is kept for replay: successes always; refusals only for a
    /// signed-in caller, and never 401 or 429 (a retry may well succeed); server failures never.
    static func keeps(status: Int, keepsRefusals: Bool) -> Bool {
        switch status {
        case 200..<400: true
        case 401, 429: false
        case 400..<500: keepsRefusals
        default: false
        }
    }

    static func response(_ stored: StoredResponse, replayed: Bool) -> Response {
        var headers: HTTPFields = [.contentType: stored.contentType]
        if replayed { headers[Self.replayedHeader] = "true" }
        return Response(status: HTTPResponse.Status(code: stored.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: stored.body)))
    }
}

/// Collects a response body in memory, up to a limit.
private final class BodyCollector: ResponseBodyWriter {
    let limit: Int
    var bytes: [UInt8] = []
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    func write(_ buffer: ByteBuffer) async throws {
        guard !overflowed else { return }
        if bytes.count + buffer.readableBytes > limit {
            overflowed = true
            bytes = []
        } else {
            bytes.append(contentsOf: buffer.readableBytesView)
        }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
