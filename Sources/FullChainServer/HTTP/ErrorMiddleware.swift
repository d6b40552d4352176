import FullChainStorage
import HTTPTypes
public import Hummingbird
import Logging

/// Turns every error into a clear answer: the JSON envelope for the API, a page for browsers.
/// Nothing a client sends makes the server answer with a bare 500 or crash.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            if request.uri.path.hasPrefix("/api/") || request.uri.path == "/healthz" || request.uri.path == "/metrics" {
                return try apiError.response(from: request, context: context)
            }
            return ErrorPage.response(apiError, request: request, context: context)
        }
    }
}
