import AsyncHTTPClient
public import FullChainApp
public import FullChainCore
import NIOCore
import NIOHTTP1

/// Exchanges WeChat web-authorisation codes at `sns/oauth2/access_token` over HTTPS (or at a
/// local stand-in's address in tests and the demo).
public struct WeChatOAuthClient: WeChatAuthProvider {
    let baseURL: String
    let timeoutMillis: Int64

    public init(settings: ConsumerSettings) {
        baseURL = settings.weChatAPIBase
        timeoutMillis = settings.timeoutMillis
    }

    public func exchange(code: String, app: WeChatApp) async -> Result<WeChatIdentity, WeChatAuthFailure> {
        var request = HTTPClientRequest(url: WeChatWebAuth.tokenURL(base: baseURL, app: app, code: code))
        request.method = .GET
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(timeoutMillis))
            let body = try await response.body.collect(upTo: 16 * 1024)
            guard response.status == .ok else { return .failure(.unavailable) }
            return WeChatWebAuth.answer(toToken: Array(body.readableBytesView), appID: app.appID)
        } catch {
            return .failure(.unavailable)
        }
    }
}
