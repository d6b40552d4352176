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
    /// With `keep`, the scope holds at most that many keys: its oldest give way to a new one
    /// (public callers, whose keys must not grow the table without bound).
    func claim(
        scope: String, key: String, requestHash: String, now: Int64, staleBefore: Int64, keep: Int?
    ) async throws(StorageError) -> IdempotencyClaim
    /// Stores the response of a claimed key.
    func complete(scope: String, key: String, response: StoredResponse, now: Int64) async throws(StorageError)
    /// Gives up a claim (the request failed in a way a retry may fix).
    func release(scope: String, key: String) async throws(StorageError)
    /// Forgets at most `limit` keys first used before `before`, oldest first; returns how many.
    func purge(before: Int64, limit: Int) async throws(StorageError) -> Int
    /// How many keys a scope holds.
    func count(scope: String) async throws(StorageError) -> Int
}

extension IdempotencyRepository {
    /// Claims a key in a scope without a bound (signed-in callers).
    public func claim(scope: String, key: String, requestHash: String, now: Int64, staleBefore: Int64) async throws(StorageError) -> IdempotencyClaim
    {
        try await claim(scope: scope, key: key, requestHash: requestHash, now: now, staleBefore: staleBefore, keep: nil)
    }
}

struct SQLIdempotencyRepository: IdempotencyRepository {
    let db: any SQLDatabase

    func claim(
        scope: String, key: String, requestHash: String, now: Int64, staleBefore: Int64, keep: Int?
    ) async throws(StorageError) -> IdempotencyClaim {
        var steps: [SQLStep] = []
        if let keep {
            // Keep the scope's `keep - 1` newest keys (and this one), then add this one.
            steps.append(
                SQLStep(
                    """
                    DELETE FROM idempotency_keys WHERE scope = \(scope) AND idempotency_key <> \(key) AND (created_at, idempotency_key) <= (
                        SELECT created_at, idempotency_key FROM idempotency_keys WHERE scope = \(scope) AND idempotency_key <> \(key)
                        ORDER BY created_at DESC, idempotency_key DESC LIMIT 1 OFFSET \(Int64(max(0, keep - 1))))
                    """))
        }
        steps.append(
            SQLStep(
                """
                INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, status, content_type, body, created_at, updated_at)
                VALUES (\(scope), \(key), \(requestHash), 'pending', 0, '', '', \(now), \(now))
                ON CONFLICT (scope, idempotency_key) DO NOTHING
                RETURNING idempotency_key
                """))
        let inserted = try await db.transaction(steps).last ?? []
        if !inserted.isEmpty { return .claimed }
        guard
            let row = try await db.read(
                """
                SELECT request_hash, state, status, content_type, body, updated_at FROM idempotency_keys WHERE scope = \(scope) AND idempotency_key = \(key)
                """
            ).first
        else {
            // Purged between the two statements: try once more.
            return try await claim(scope: scope, key: key, requestHash: requestHash, now: now, staleBefore: now - 1, keep: keep)
        }
        guard try row.string("request_hash") == requestHash else { return .mismatch }
        if try row.string("state") == "done" {
            guard let body = Data(base64Encoded: try row.string("body")) else { throw .corruptRow("idempotency_keys.body") }
            return .replay(StoredResponse(status: Int(try row.int("status")), contentType: try row.string("content_type"), body: Array(body)))
        }
        guard try row.int("updated_at") < staleBefore else { return .inProgress }
        let taken = try await db.execute(
            """
            UPDATE idempotency_keys SET updated_at = \(now)
            WHERE scope = \(scope) AND idempotency_key = \(key) AND state = 'pending' AND updated_at < \(staleBefore)
            RETURNING idempotency_key
            """)
        return taken.isEmpty ? .inProgress : .claimed
    }

    func complete(scope: String, key: String, response: StoredResponse, now: Int64) async throws(StorageError) {
        try await db.execute(
            """
            UPDATE idempotency_keys SET state = 'done', status = \(Int64(response.status)), content_type = \(response.contentType),
                body = \(Data(response.body).base64EncodedString()), updated_at = \(now)
            WHERE scope = \(scope) AND idempotency_key = \(key)
            """)
    }

    func release(scope: String, key: String) async throws(StorageError) {
        try await db.execute("DELETE FROM idempotency_keys WHERE scope = \(scope) AND idempotency_key = \(key) AND state = 'pending'")
    }

    func purge(before: Int64, limit: Int) async throws(StorageError) -> Int {
        try await db.execute(
            """
            DELETE FROM idempotency_keys WHERE (scope, idempotency_key) IN (
                SELECT scope, idempotency_key FROM idempotency_keys WHERE created_at < \(before) ORDER BY created_at LIMIT \(Int64(max(0, limit))))
            RETURNING created_at
            """
        ).count
    }

    func count(scope: String) async throws(StorageError) -> Int {
        Int(try await db.read("SELECT count(*) AS n FROM idempotency_keys WHERE scope = \(scope)").first?.int("n") ?? 0)
    }
}
