import Crypto
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Retried writes have one effect: a client that sends `Idempotency-Key` with a write gets the
/// first response to that key again (marked `Idempotent-Replayed: true`) instead of a second
/// effect. Keys belong to the caller (the signed-in user, or the public for consumer scans) and
/// to one request: the same key with another method, path or body is refused. Requests with the
/// same key at once wait for the first; 4xx answers are kept like successes, while a server
/// failure or a 429 (retry later) frees the key for a retry. Keys are kept a day.
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

    let storage: any IdempotencyRepository
    let bodyLimit: Int
    private let claims = Atomic<Int>(0)

    init(storage: any IdempotencyRepository, bodyLimit: Int) {
        self.storage = storage
        self.bodyLimit = bodyLimit
    }

    /// The handler, answering retries of a keyed request from the stored first response.
    func wrap(_ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { [self] request, context in
            guard let key = request.headers[Self.header] else { return try await handler(request, context) }
            guard !key.isEmpty, key.utf8.count <= 255, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw APIError.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1–255 visible ASCII characters")
            }
            var request = request
            let body = try await request.collectBody(upTo: bodyLimit)
            var digest = SHA256()
            digest.update(data: Array("\(request.method.rawValue) \(request.uri.description)\n".utf8))
            digest.update(data: body.readableBytesView)
            let hash = digest.finalize().map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            let scope = context.principal.map { "t\($0.tenantID)/u\($0.userID)" } ?? "public"
            if claims.add(1, ordering: .relaxed).newValue % 1_000 == 0 {
                try await storage.purge(before: currentMillis() - Self.retention)
            }

            let deadline = ContinuousClock.now + Self.patience
            while true {
                let now = currentMillis()
                switch try await storage.claim(scope: scope, key: key, requestHash: hash, now: now, staleBefore: now - Self.staleAfter) {
                case .claimed:
                    return try await run(handler, request, context, scope: scope, key: key)
                case .replay(let stored):
                    return Self.response(stored, replayed: true)
                case .mismatch:
                    throw APIError(.unprocessableContent, code: "idempotency_key_reused", message: "this Idempotency-Key was used for a different request")
                case .inProgress:
                    guard ContinuousClock.now < deadline else {
                        throw APIError(.conflict, code: "idempotency_in_progress", message: "a request with this Idempotency-Key is still running; retry later")
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
    }

    /// Runs the claimed request and keeps its answer.
    private func run(_ handler: @Sendable (Request, AppRequestContext) async throws -> Response, _ request: Request, _ context: AppRequestContext,
                     scope: String, key: String) async throws -> Response {
        let response: Response
        do {
            response = try await handler(request, context)
        } catch {
            let apiError = APIError.from(error)
            guard apiError.status.code < 500 && apiError.status != .tooManyRequests else {
                try? await storage.release(scope: scope, key: key)
                throw error
            }
            response = try apiError.response(from: request, context: context)
        }
        let collector = BodyCollector(limit: Self.responseLimit)
        try await response.body.write(collector)
        guard !collector.overflowed else {
            try await storage.release(scope: scope, key: key)
            throw APIError(.internalServerError, code: "response_too_large", message: "the response is too large to keep for replay")
        }
        let stored = StoredResponse(status: Int(response.status.code), contentType: response.headers[.contentType] ?? "application/json",
                                    body: collector.bytes)
        try await storage.complete(scope: scope, key: key, response: stored, now: currentMillis())
        var answer = Self.response(stored, replayed: false)
        for field in response.headers where field.name != .contentType && field.name != .contentLength { answer.headers.append(field) }
        return answer
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
