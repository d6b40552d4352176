import FullChainCore
import HTTPTypes
import Hummingbird

/// Answers 429 (with `Retry-After`) to a client address over its allowance on the public
/// endpoints, before any other work (authentication, idempotency keys, reading the body):
/// consumer scans, the scan pages and GS1 Digital Link URLs, nearby stores and QR images.
/// The per-device limit of scans needs the body and is checked by the scan endpoint itself.
struct PublicLimitsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let services: AppServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let limiter = limiter(for: request) {
            try services.limits.admit(limiter, services.clientAddress(request, context))
        }
        return try await next(request, context)
    }

    /// The limit a request counts against, if any.
    private func limiter(for request: Request) -> RateLimiter<IPAddress>? {
        let limits = services.limits
        guard limits.scansPerIP != nil else { return nil }
        var path = Substring(request.uri.path)
        while path.count > 1 && path.last == "/" { path = path.dropLast() }
        switch request.method {
        case .post:
            return path == "/api/v1/scans" ? limits.scansPerIP : nil
        case .get, .head:
            if path.hasPrefix("/c/") || path.hasPrefix("/01/") || path == "/api/v1/scans/nearby-stores" || path.hasPrefix("/consumer/")
                || path == "/me"
            {
                return limits.pagesPerIP
            }
            if path.hasPrefix("/api/v1/code-batches/") && (path.hasSuffix("/qr") || path.hasSuffix("/qr-sheet")) { return limits.qrImagesPerIP }
            return nil
        default:
            return nil
        }
    }
}
