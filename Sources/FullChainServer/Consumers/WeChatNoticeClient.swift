import AsyncHTTPClient
public import FullChainApp
public import FullChainCore
import FullChainStorage
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends subscribe notices through `cgi-bin/message/subscribe/bizsend`, keeping each app's
/// access token until shortly before it expires (WeChat limits how often one may be fetched).
public final class WeChatNoticeClient: WeChatNoticeProvider {
    let baseURL: String
    let timeoutMillis: Int64
    private let tokens = Mutex<[String: (token: String, until: Int64)]>([:])

    public init(settings: ConsumerSettings) {
        baseURL = settings.weChatAPIBase
        timeoutMillis = settings.timeoutMillis
    }

    public func send(_ text: String, to openid: String, templateID: String, app: WeChatApp) async -> Result<String, WeChatNoticeFailure> {
        for attempt in 0..<2 {
            let token: String
            switch await accessToken(app, fresh: attempt > 0) {
            case .success(let found): token = found
            case .failure(let failure): return .failure(failure)
            }
            var request = HTTPClientRequest(url: WeChatNotice.sendURL(base: baseURL, token: token))
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: WeChatNotice.body(text: text, openid: openid, templateID: templateID)))
            let answer: (result: Result<String, WeChatNoticeFailure>, tokenExpired: Bool)
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(timeoutMillis))
                let body = try await response.body.collect(upTo: 16 * 1024)
                guard response.status == .ok else { return .failure(.unavailable) }
                answer = WeChatNotice.answer(toSend: Array(body.readableBytesView))
            } catch {
                return .failure(.unavailable)
            }
            // A token WeChat no longer takes (another server fetched a new one): fetch it again, once.
            if answer.tokenExpired && attempt == 0 { continue }
            return answer.result
        }
        return .failure(.unavailable)
    }

    private func accessToken(_ app: WeChatApp, fresh: Bool) async -> Result<String, WeChatNoticeFailure> {
        let now = currentMillis()
        if !fresh, let held = tokens.withLock({ $0[app.appID] }), held.until > now { return .success(held.token) }
        var request = HTTPClientRequest(url: WeChatNotice.tokenURL(base: baseURL, app: app))
        request.method = .GET
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(timeoutMillis))
            let body = try await response.body.collect(upTo: 16 * 1024)
            guard response.status == .ok else { return .failure(.unavailable) }
            switch WeChatNotice.answer(toToken: Array(body.readableBytesView)) {
            case .success(let answer):
                // Kept five minutes less than WeChat gives it.
                tokens.withLock { $0[app.appID] = (answer.token, now + max(answer.expiresIn - 300, answer.expiresIn / 2) * 1_000) }
                return .success(answer.token)
            case .failure(let failure): return .failure(failure)
            }
        } catch {
            return .failure(.unavailable)
        }
    }
}
