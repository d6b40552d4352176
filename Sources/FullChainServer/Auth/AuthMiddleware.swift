import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
public import Hummingbird

/// Resolves the caller from `Authorization: Bearer …` or the session cookie, and the page language.
/// A bad bearer token is refused outright; a stale cookie just leaves the caller signed out. A
/// state-changing request that carries the session cookie must come from this site's own pages
/// (`SameOrigin`); bearer tokens are not sent by browsers on their own, so they need no such check.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    static let sessionCookie = "fc_session"
    static let languageCookie = "fc_lang"

    let services: AppServices

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.language = Self.language(of: request)
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer "), let principal = try await principal(for: String(header.dropFirst(7))) else {
                throw APIError(.unauthorized, code: "invalid_token", message: "the bearer token is unknown, revoked or expired")
            }
            context.principal = principal
        } else if let cookie = request.cookie(named: Self.sessionCookie) {
            if SameOrigin.changesState(request.method) { try SameOrigin.require(request) }
            context.principal = try await principal(for: cookie)
        }
        if let tenantID = context.principal?.tenantID { context.timeZone = try await services.timeZones.zone(of: tenantID) }
        return try await next(request, context)
    }

    private func principal(for token: String) async throws -> Principal? {
        guard let tenantID = TokenCodec.tenantID(of: token) else { return nil }
        guard let userID = try await services.storage.tokens.userID(tenantID: tenantID, tokenHash: TokenCodec.hash(token), now: currentMillis())
        else { return nil }
        return try await services.storage.users.principal(tenantID: tenantID, userID: userID)
    }

    static func language(of request: Request) -> Language {
        if let value = request.uri.queryParameters["lang"], let language = Language(rawValue: String(value)) { return language }
        if let value = request.cookie(named: languageCookie), let language = Language(rawValue: value) { return language }
        return .zh
    }
}
