import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import Logging

/// Sign-in for the API and the web, and personal API tokens.
enum AuthAPI {
    struct LoginInput: Decodable {
        var tenant: String
        var username: String
        var password: String
    }

    struct LoginResult: Encodable {
        var token: String
        var expiresAt: Int64
        var user: User
    }

    struct TokenInput: Decodable {
        var name: String?
    }

    struct CreatedToken: Encodable {
        /// Shown once; only its hash is kept.
        var token: String
        var info: AuthToken
    }

    struct Me: Encodable {
        var userID: Int64
        var username: String
        var displayName: String
        var role: Role
        var tenantID: Int64
    }

    /// Checks a tenant code, username and password; on success issues a session token. Failed
    /// attempts are throttled per client address and per account (429 with `Retry-After` while
    /// locked) and logged with who and from where, never with the password.
    static func signIn(
        tenant code: String, username: String, password: String, address: String?, services: AppServices,
        logger: Logger
    ) async throws -> LoginResult {
        let storage = services.storage
        let account = SignInThrottle.account(tenant: code, username: username)
        var metadata: Logger.Metadata = ["tenant": "\(code.prefix(64))", "username": "\(username.prefix(64))", "ip": "\(address ?? "-")"]
        if case .locked(let seconds) = services.signIns.begin(account: account, address: address) {
            metadata["retry_after"] = "\(seconds)"
            logger.notice("sign-in refused: too many failed attempts", metadata: metadata)
            var error = APIError(.tooManyRequests, code: "too_many_attempts", message: "too many failed sign-ins; try again in \(seconds) seconds")
            error.headers[.retryAfter] = "\(seconds)"
            throw error
        }
        let failure = APIError(.unauthorized, code: "invalid_credentials", message: "unknown brand, user or password")
        // No brand code or username holds control characters or runs long: such a sign-in fails like any unknown one.
        func plausible(_ text: String) -> Bool {
            text.utf8.count <= 64 && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }
        let found = plausible(code) && plausible(username) ? try await storage.tenants.find(code: code.trimmingWhitespace()) : nil
        let user = try await found.asyncMap { try await storage.users.credentials(tenantID: $0.id, username: username.trimmingWhitespace()) } ?? nil
        let hash = user.flatMap { $0.user.active ? $0.passwordHash : nil }
        // Unknown brands and users check a decoy hash, so the time taken does not tell which part was wrong.
        guard try await services.passwords.matches(password, hash: hash), let tenant = found, let credentials = user else {
            logger.notice("sign-in failed", metadata: metadata)
            throw failure
        }
        services.signIns.succeeded(account: account, address: address)
        let token = TokenCodec.generate(tenantID: tenant.id)
        let expiresAt = currentMillis() + services.configuration.sessionSeconds * 1000
        _ = try await storage.tokens.create(
            tenantID: tenant.id, userID: credentials.user.id, kind: .session, name: "session",
            tokenHash: TokenCodec.hash(token), expiresAt: expiresAt)
        return LoginResult(token: token, expiresAt: expiresAt, user: credentials.user)
    }

    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .post, "/api/v1/auth/login", id: "login", tag: "auth",
                summary:
                    "Sign in with brand code, username and password; returns a session token. Repeated failures lock the account and the address for a while (429 with Retry-After)",
                access: .anyone, request: "LoginInput", response: "LoginResult"
            ) { request, context in
                let input = try await request.decodeJSON(LoginInput.self, limit: limit)
                return try .json(
                    try await signIn(
                        tenant: input.tenant, username: input.username, password: input.password,
                        address: services.clientAddress(request, context)?.description, services: services, logger: context.logger))
            }.replaying(.never),
            APIEndpoint(
                .post, "/api/v1/auth/logout", id: "logout", tag: "auth", summary: "Revoke the bearer token used for this call", response: nil,
                status: .noContent
            ) { request, context in
                let principal = try context.requirePrincipal()
                if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
                    try await storage.tokens.revoke(
                        tenantID: principal.tenantID, tokenHash: TokenCodec.hash(String(header.dropFirst(7))), now: currentMillis())
                }
                return Response(status: .noContent)
            },
            APIEndpoint(.get, "/api/v1/me", id: "me", tag: "auth", summary: "Who am I", response: "Me") { _, context in
                let p = try context.requirePrincipal()
                return try .json(Me(userID: p.userID, username: p.username, displayName: p.displayName, role: p.role, tenantID: p.tenantID))
            },
            APIEndpoint(
                .get, "/api/v1/tokens", id: "listTokens", tag: "auth", summary: "My API tokens (never their secrets)", response: "AuthTokenList"
            ) { _, context in
                let p = try context.requirePrincipal()
                return try .json(try await storage.tokens.list(tenantID: p.tenantID, userID: p.userID, kind: .api))
            },
            APIEndpoint(
                .post, "/api/v1/tokens", id: "createToken", tag: "auth", summary: "Create an API token; the secret is shown once",
                request: "TokenInput", response: "CreatedToken", status: .created
            ) { request, context in
                let p = try context.require(.manageTokens)
                let input = try await request.decodeJSON(TokenInput.self, limit: limit)
                var v = Validator()
                let name = v.text(input.name, field: "name", maxLength: 100)
                try v.check()
                let token = TokenCodec.generate(tenantID: p.tenantID)
                let info = try await storage.tokens.create(
                    tenantID: p.tenantID, userID: p.userID, kind: .api, name: name, tokenHash: TokenCodec.hash(token),
                    expiresAt: currentMillis() + services.configuration.apiTokenSeconds * 1000)
                return try .json(CreatedToken(token: token, info: info), status: .created)
            }.replaying(.withoutSecret),
            APIEndpoint(
                .delete, "/api/v1/tokens/{id}", id: "revokeToken", tag: "auth", summary: "Revoke one of my API tokens", response: nil,
                status: .noContent
            ) { _, context in
                let p = try context.requirePrincipal()
                try await storage.tokens.revoke(tenantID: p.tenantID, userID: p.userID, id: try context.id(), now: currentMillis())
                return Response(status: .noContent)
            },
        ]
    }
}
