import FullChainCore

/// What a token is for: a browser session or a personal API token. Both expire, and both are revoked
/// when their user's password changes.
public enum AuthTokenKind: String, Codable, Sendable {
    case session
    case api
}

/// A token's public facts; the secret itself is never stored, only its hash.
public struct AuthToken: Codable, Sendable, Equatable {
    public var id: Int64
    public var userID: Int64
    public var kind: AuthTokenKind
    public var name: String
    public var createdAt: Int64
    public var expiresAt: Int64?
    public var revokedAt: Int64?
}

/// Hashed session and API tokens.
public protocol AuthTokenRepository: Sendable {
    func create(
        tenantID: Int64, userID: Int64, kind: AuthTokenKind, name: String, tokenHash: String, expiresAt: Int64?
    ) async throws(StorageError) -> AuthToken
    /// The user a live (unrevoked, unexpired) token belongs to.
    func userID(tenantID: Int64, tokenHash: String, now: Int64) async throws(StorageError) -> Int64?
    func list(tenantID: Int64, userID: Int64, kind: AuthTokenKind) async throws(StorageError) -> [AuthToken]
    /// Revokes one of the user's tokens by id.
    func revoke(tenantID: Int64, userID: Int64, id: Int64, now: Int64) async throws(StorageError)
    /// Revokes a token by its hash (sign-out).
    func revoke(tenantID: Int64, tokenHash: String, now: Int64) async throws(StorageError)
    /// Revokes every live token of a user (sessions and API tokens); returns how many.
    @discardableResult
    func revokeAll(tenantID: Int64, userID: Int64, now: Int64) async throws(StorageError) -> Int
}

struct SQLAuthTokenRepository: AuthTokenRepository {
    let db: any SQLDatabase

    func create(
        tenantID: Int64, userID: Int64, kind: AuthTokenKind, name: String, tokenHash: String, expiresAt: Int64?
    ) async throws(StorageError) -> AuthToken {
        let id = try await db.allocateIDs("auth_tokens", tenantID: tenantID)
        let now = currentMillis()
        try await db.execute(
            """
            INSERT INTO auth_tokens (tenant_id, token_hash, id, user_id, kind, name, created_at, expires_at)
            VALUES (\(tenantID), \(tokenHash), \(id), \(userID), \(kind.rawValue), \(name), \(now), \(expiresAt))
            """)
        return AuthToken(id: id, userID: userID, kind: kind, name: name, createdAt: now, expiresAt: expiresAt, revokedAt: nil)
    }

    func userID(tenantID: Int64, tokenHash: String, now: Int64) async throws(StorageError) -> Int64? {
        try await db.read(
            """
            SELECT user_id FROM auth_tokens
            WHERE tenant_id = \(tenantID) AND token_hash = \(tokenHash) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(now))
            """
        ).first?.optionalInt("user_id")
    }

    func list(tenantID: Int64, userID: Int64, kind: AuthTokenKind) async throws(StorageError) -> [AuthToken] {
        try await db.read(
            """
            SELECT * FROM auth_tokens WHERE tenant_id = \(tenantID) AND user_id = \(userID) AND kind = \(kind.rawValue) ORDER BY id
            """
        ).map(Self.decode)
    }

    func revoke(tenantID: Int64, userID: Int64, id: Int64, now: Int64) async throws(StorageError) {
        try await db.execute(
            """
            UPDATE auth_tokens SET revoked_at = \(now)
            WHERE tenant_id = \(tenantID) AND user_id = \(userID) AND id = \(id) AND revoked_at IS NULL
            RETURNING id
            """, requireRow: .notFound)
    }

    func revoke(tenantID: Int64, tokenHash: String, now: Int64) async throws(StorageError) {
        try await db.execute(
            "UPDATE auth_tokens SET revoked_at = \(now) WHERE tenant_id = \(tenantID) AND token_hash = \(tokenHash) AND revoked_at IS NULL")
    }

    func revokeAll(tenantID: Int64, userID: Int64, now: Int64) async throws(StorageError) -> Int {
        try await db.execute(Self.revokeAll(tenantID: tenantID, userID: userID, now: now)).count
    }

    /// Revokes every live token of a user (also a step of a password change).
    static func revokeAll(tenantID: Int64, userID: Int64, now: Int64) -> SQLStatement {
        """
        UPDATE auth_tokens SET revoked_at = \(now)
        WHERE tenant_id = \(tenantID) AND user_id = \(userID) AND revoked_at IS NULL
        RETURNING id
        """
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> AuthToken {
        AuthToken(
            id: try row.int("id"), userID: try row.int("user_id"), kind: AuthTokenKind(rawValue: try row.string("kind")) ?? .api,
            name: try row.string("name"), createdAt: try row.int("created_at"), expiresAt: row.optionalInt("expires_at"),
            revokedAt: row.optionalInt("revoked_at"))
    }
}
