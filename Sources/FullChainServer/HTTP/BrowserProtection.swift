import HTTPTypes
import Hummingbird

/// Refuses a state-changing request that a browser sent from another site (cross-site request
/// forgery): what a session cookie authenticates must come from this site's own pages.
enum SameOrigin {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")

    static let refused = APIError(
        .forbidden, code: "cross_site_request", message: "a request authenticated by the session cookie must come from this site's own pages")

    /// GET, HEAD and OPTIONS change nothing; every other method may.
    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        method != .get && method != .head && method != .options
    }

    /// Whether the request provably comes from this site: the browser says so in
    /// `Sec-Fetch-Site` (`same-origin`, or `none` for what the person did themselves), or, from
    /// a browser that does not send it, `Origin` names the host the request was sent to. A
    /// request with neither is refused: browsers send `Origin` with every such request.
    static func allows(_ request: Request) -> Bool {
        if let name = secFetchSite, let site = request.headers[name] {
            return site == "same-origin" || site == "none"
        }
        guard let origin = request.headers[.origin], let authority = request.head.authority else { return false }
        let parts = origin.lowercased().split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "http" || parts[0] == "https" else { return false }
        let scheme = String(parts[0])
        return withoutDefaultPort(String(parts[1]), scheme: scheme) == withoutDefaultPort(authority.lowercased(), scheme: scheme)
    }

    /// `host:80` for http and `host:443` for https are `host`.
    private static func withoutDefaultPort(_ hostPort: String, scheme: String) -> String {
        let port = scheme == "https" ? ":443" : ":80"
        return hostPort.hasSuffix(port) ? String(hostPort.dropLast(port.count)) : hostPort
    }

    /// Throws `cross_site_request` (403) unless the request comes from this site.
    static func require(_ request: Request) throws {
        guard allows(request) else { throw refused }
    }
}

/// Tells browsers to reach the site only over HTTPS from now on (HSTS, a year, subdomains
/// included) when the request came over HTTPS. The server speaks plain HTTP behind a proxy
/// that terminates TLS, so that is what the proxy says in `X-Forwarded-Proto`; browsers
/// ignore the header on plain HTTP, so a client claiming HTTPS gains nothing.
struct StrictTransportSecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    static var value: String { "max-age=31536000; includeSubDomains" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if LoginPage.isHTTPS(request) { response.headers[.strictTransportSecurity] = Self.value }
        return response
    }
}
