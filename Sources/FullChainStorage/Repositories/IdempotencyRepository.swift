import Foundation

/// A response kept for replay: what the first request with an idempotency key got.
public struct StoredResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// What claiming an idempotency key found.
public enum IdempotencyClaim: Sendable, Equatable {
    /// The key is new (or its earlier request was abandoned): run the request.
    case claimed
    /// The request already ran: answer with its response.
    case replay(StoredResponse)
    /// The key was used for a different request.
    case mismatch
    /// A request with this key is running now.
    case inProgress
}

/// Idempotency keys of writes clients may retry, per caller, with the first response.
public protocol IdempotencyRepository: Sendable {
    /// Claims `key` for a request with `requestHash`; a claim still pending since before
    /// `staleBefore` (its server died) is taken over.
    func claim(scope: String, key: String, requestHash: String, now: Int64, staleBefore: Int64) async throws(StorageError) -> IdempotencyClaim
    /// Stores the response of a claimed key.
    func complete(scope: String, key: String, response: StoredResponse, now: Int64) async throws(StorageError)
    /// Gives up a claim (the request failed in a way a retry may fix).
    func release(scope: String, key: String) async throws(StorageError)
    /// Forgets keys first used before `before`.
    func purge(before: Int64) async throws(StorageError)
}

struct SQLIdempotencyRepository: IdempotencyRepository {
    let db: any SQLDatabase

    func claim(scope: String, key: String, requestHash: String, now: Int64, staleBefore: Int64) async throws(StorageError) -> IdempotencyClaim {
        let inserted = try await db.execute("""
            INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, status, content_type, body, created_at, updated_at)
            VALUES (\(scope), \(key), \(requestHash), 'pending', 0, '', '', \(now), \(now))
            ON CONFLICT (scope, idempotency_key) DO NOTHING
            RETURNING idempotency_key
            """)
        if !inserted.isEmpty { return .claimed }
        guard let row = try await db.read("""
            SELECT request_hash, state, status, content_type, body, updated_at FROM idempotency_keys WHERE scope = \(scope) AND idempotency_key = \(key)
            """).first else {
            // Purged between the two statements: try once more.
            return try await claim(scope: scope, key: key, requestHash: requestHash, now: now, staleBefore: now - 1)
        }
        guard try row.string("request_hash") == requestHash else { return .mismatch }
        if try row.string("state") == "done" {
            guard let body = Data(base64Encoded: try row.string("body")) else { throw .corruptRow("idempotency_keys.body") }
            return .replay(StoredResponse(status: Int(try row.int("status")), contentType: try row.string("content_type"), body: Array(body)))
        }
        guard try row.int("updated_at") < staleBefore else { return .inProgress }
        let taken = try await db.execute("""
            UPDATE idempotency_keys SET updated_at = \(now)
            WHERE scope = \(scope) AND idempotency_key = \(key) AND state = 'pending' AND updated_at < \(staleBefore)
            RETURNING idempotency_key
            """)
        return taken.isEmpty ? .inProgress : .claimed
    }

    func complete(scope: String, key: String, response: StoredResponse, now: Int64) async throws(StorageError) {
        try await db.execute("""
            UPDATE idempotency_keys SET state = 'done', status = \(Int64(response.status)), content_type = \(response.contentType),
                body = \(Data(response.body).base64EncodedString()), updated_at = \(now)
            WHERE scope = \(scope) AND idempotency_key = \(key)
            """)
    }

    func release(scope: String, key: String) async throws(StorageError) {
        try await db.execute("DELETE FROM idempotency_keys WHERE scope = \(scope) AND idempotency_key = \(key) AND state = 'pending'")
    }

    func purge(before: Int64) async throws(StorageError) {
        try await db.execute("DELETE FROM idempotency_keys WHERE created_at < \(before)")
    }
}
