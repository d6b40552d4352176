import Crypto
import Foundation
public import FullChainCore
public import Hummingbird
import Synchronization

/// A local stand-in for WeChat's web authorisation, behaving as its documentation says: the
/// authorise page sends the browser back to `redirect_uri` with a one-time `code` and the
/// `state`; `sns/oauth2/access_token` exchanges a code once, within five minutes, for the
/// openid (per app) and, for apps bound to an open platform account, the unionid; otherwise it
/// answers HTTP 200 with `errcode` (40013 appid, 40125 secret, 40002 grant_type, 41008 missing
/// code, 40029 invalid or expired code, 40163 code been used). Tests and the demo use it; it
/// never calls out.
///
/// It also sends the official account's subscribe notices: `cgi-bin/token` gives an access token
/// for the app id and secret (40013, 40125 otherwise); `cgi-bin/message/subscribe/bizsend` takes
/// a notice for an openid that subscribed (43101 otherwise), with a valid token (40001), a
/// template (40037) and `thing` fields of at most 20 characters (47003).
public final class FakeWeChatAuth: Sendable {
    /// What the next exchanges do instead of answering.
    public enum Fault: Sendable {
        /// HTTP 500 with no body.
        case serverError
        /// A body that is not JSON.
        case garbage
    }

    struct Issued {
        var appID: String
        var user: String
        var scope: WeChatAuthScope
        var issuedAt: Int64
        var used = false
    }

    /// What the next notices get instead of being sent.
    public enum NoticeFault: Sendable {
        /// 45009: the account's daily quota.
        case throttled
        /// -1: system busy.
        case busy
        /// No answer within the client's patience (the notice may have gone).
        case hang
    }

    /// A notice the fake took.
    public struct SentNotice: Sendable, Equatable {
        public var appID: String
        public var openid: String
        public var templateID: String
        public var text: String
    }

    struct State {
        var codes: [String: Issued] = [:]
        var faults: [Fault] = []
        var tokens: [String: String] = [:]
        var subscribed: Set<String> = []
        var noticeFaults: [NoticeFault] = []
        var notices: [SentNotice] = []
        var exchanges = 0
        /// Added to the clock, to let codes expire.
        var clockOffset: Int64 = 0
    }

    private let apps: [String: (secret: String, unionBound: Bool)]
    private let codeLifetime: Int64
    private let state = Mutex(State())

    /// `unionBound` apps also answer the person's unionid (the same across the brand's apps).
    public init(apps: [WeChatApp], unionBound: Set<String> = [], codeLifetimeMillis: Int64 = 300_000) {
        self.apps = Dictionary(uniqueKeysWithValues: apps.map { ($0.appID, ($0.secret, unionBound.contains($0.appID))) })
        codeLifetime = codeLifetimeMillis
    }

    // MARK: - What WeChat knows

    /// The openid a person has under an app: stable, different for each app.
    public func openid(user: String, appID: String) -> String {
        "o" + Self.digest("openid/\(appID)/\(user)").prefix(27)
    }

    /// The person's unionid, the same under every bound app.
    public func unionid(user: String) -> String {
        "u" + Self.digest("unionid/\(user)").prefix(27)
    }

    /// The code WeChat gives when `user` agrees to sign in to `appID`.
    public func issueCode(user: String, appID: String, scope: WeChatAuthScope = .base) -> String {
        let code = Self.digest("code/\(UUID().uuidString)").prefix(32)
        let now = clock()
        state.withLock { $0.codes[String(code)] = Issued(appID: appID, user: user, scope: scope, issuedAt: now) }
        return String(code)
    }

    /// The next exchanges fail this way, one each.
    public func fail(_ faults: [Fault]) {
        state.withLock { $0.faults += faults }
    }

    /// Moves the fake's clock on (codes expire after five minutes).
    public func advanceClock(millis: Int64) {
        state.withLock { $0.clockOffset += millis }
    }

    /// The person agrees to the app's notices (WeChat's subscribe prompt), as their openid.
    public func subscribe(user: String, appID: String) {
        let id = openid(user: user, appID: appID)
        state.withLock { _ = $0.subscribed.insert(id) }
    }

    /// The next notices fail this way, one each.
    public func failNotices(_ faults: [NoticeFault]) {
        state.withLock { $0.noticeFaults += faults }
    }

    /// The notices sent so far.
    public var notices: [SentNotice] { state.withLock { $0.notices } }

    /// How many exchanges were asked for.
    public var exchanges: Int { state.withLock { $0.exchanges } }

    private func clock() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000) + state.withLock { $0.clockOffset }
    }

    private static func digest(_ text: String) -> String {
        Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        ).replacingOccurrences(of: "=", with: "")
    }

    // MARK: - The endpoints

    /// Adds the authorise page and the exchange under `prefix` (e.g. `""`, or `/fake-wechat` in the demo).
    public func register<Context: RequestContext>(on router: Router<Context>, prefix: String = "") {
        router.get(RouterPath(prefix + WeChatWebAuth.authorizePath)) { request, _ in self.authorize(request) }
        router.get(RouterPath(prefix + WeChatWebAuth.tokenPath)) { request, _ in self.exchange(request) }
        router.get(RouterPath(prefix + WeChatNotice.tokenPath)) { request, _ in self.accessToken(request) }
        router.post(RouterPath(prefix + WeChatNotice.sendPath)) { request, _ in
            try await self.sendNotice(request, body: try await request.body.collect(upTo: 16 * 1024))
        }
    }

    /// `cgi-bin/token` (client credential).
    func accessToken(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard query.get("grant_type") == "client_credential" else { return Self.error(40002, "invalid grant_type") }
        guard let appID = query.get("appid"), let app = apps[appID] else { return Self.error(40013, "invalid appid") }
        guard query.get("secret") == app.secret else { return Self.error(40125, "invalid appsecret") }
        let token = Self.digest("access/\(appID)/\(UUID().uuidString)")
        // A new token replaces the app's old one, as WeChat's does (after a short overlap, here none).
        state.withLock { state in
            state.tokens = state.tokens.filter { $0.value != appID }
            state.tokens[token] = appID
        }
        return Self.json(#"{"access_token":"\#(token)","expires_in":7200}"#)
    }

    /// `cgi-bin/message/subscribe/bizsend`.
    func sendNotice(_ request: Request, body: ByteBuffer) async throws -> Response {
        let fault: NoticeFault? = state.withLock { $0.noticeFaults.isEmpty ? nil : $0.noticeFaults.removeFirst() }
        switch fault {
        case .throttled?: return Self.error(45009, "reach max api daily quota limit")
        case .busy?: return Self.error(-1, "system error")
        case .hang?:
            try await Task.sleep(for: .seconds(30))
            return Self.error(-1, "system error")
        case nil: break
        }
        guard let token = request.uri.queryParameters.get("access_token"), let appID = state.withLock({ $0.tokens[token] }) else {
            return Self.error(40001, "invalid credential, access_token is invalid or not latest")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
            return Self.error(47001, "data format error")
        }
        guard let touser = object["touser"] as? String, !touser.isEmpty else { return Self.error(40003, "invalid openid") }
        guard let template = object["template_id"] as? String, !template.isEmpty else { return Self.error(40037, "invalid template_id") }
        guard let data = object["data"] as? [String: Any], !data.isEmpty else { return Self.error(47003, "argument invalid! data is empty") }
        var text = ""
        for (key, value) in data {
            guard let field = value as? [String: Any], let content = field["value"] as? String else {
                return Self.error(47003, "argument invalid! data.\(key).value is empty")
            }
            if key.hasPrefix("thing") && content.count > WeChatNotice.maxTextLength {
                return Self.error(47003, "argument invalid! data.\(key).value exceeds limit")
            }
            text = content
        }
        let sent: Bool = state.withLock { state in
            guard state.subscribed.contains(touser) else { return false }
            state.notices.append(SentNotice(appID: appID, openid: touser, templateID: template, text: text))
            return true
        }
        guard sent else { return Self.error(43101, "user refuse to accept the msg") }
        return Self.json(#"{"errcode":0,"errmsg":"ok","msgid":\#(Int.random(in: 1_000_000...9_999_999))}"#)
    }

    /// WeChat's page: in WeChat the person is known, so the fake asks who they are once (a form,
    /// then a cookie) and sends the browser back with a code, as WeChat does after consent.
    func authorize(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard let appID = query.get("appid"), apps[appID] != nil else { return Self.page(status: .badRequest, "appid 参数错误") }
        guard let redirect = query.get("redirect_uri"), redirect.hasPrefix("http://") || redirect.hasPrefix("https://"),
            query.get("response_type") == "code", let scope = query.get("scope").flatMap(WeChatAuthScope.init(rawValue:))
        else { return Self.page(status: .badRequest, "redirect_uri 参数错误") }
        let user = query.get("user") ?? request.cookies["fake_wechat_user"]?.value
        guard let user, !user.isEmpty, user.utf8.count <= 32 else {
            // Who is this? A form that sends the same request again with `user`.
            var form = #"<form method="get"><p>模拟微信用户（本地演示）</p>"#
            for (name, value) in query where name != "user" {
                form += #"<input type="hidden" name="\#(Self.escape(String(name)))" value="\#(Self.escape(String(value)))">"#
            }
            form += #"<p><input name="user" value="demo-consumer" maxlength="32" autofocus></p><p><button type="submit">同意授权</button></p></form>"#
            return Self.page(status: .ok, form, markup: true)
        }
        let code = issueCode(user: user, appID: appID, scope: scope)
        let state = query.get("state") ?? ""
        let target = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code + "&state=" + WeChatWebAuth.percentEncoded(state)
        var response = Response(status: .found, headers: [.location: target])
        response.setCookie(Cookie(name: "fake_wechat_user", value: user, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    /// `sns/oauth2/access_token`.
    func exchange(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        let now = clock()
        let fault: Fault? = state.withLock { state in
            state.exchanges += 1
            return state.faults.isEmpty ? nil : state.faults.removeFirst()
        }
        switch fault {
        case .serverError?: return Response(status: .internalServerError)
        case .garbage?: return Self.json("<html>502 Bad Gateway</html>")
        case nil: break
        }
        guard let appID = query.get("appid"), let app = apps[appID] else { return Self.error(40013, "invalid appid") }
        guard query.get("secret") == app.secret else { return Self.error(40125, "invalid appsecret") }
        guard query.get("grant_type") == "authorization_code" else { return Self.error(40002, "invalid grant_type") }
        guard let code = query.get("code"), !code.isEmpty else { return Self.error(41008, "missing code") }
        let lifetime = codeLifetime
        let answer: (issued: Issued?, errcode: Int) = state.withLock { state in
            guard var issued = state.codes[code], issued.appID == appID, now - issued.issuedAt <= lifetime else { return (nil, 40029) }
            guard !issued.used else { return (nil, 40163) }
            issued.used = true
            state.codes[code] = issued
            return (issued, 0)
        }
        switch answer.issued {
        case nil: return Self.error(answer.errcode, answer.errcode == 40163 ? "code been used" : "invalid code")
        case let issued?:
            var fields: [String: Any] = [
                "access_token": Self.digest("token/\(code)"), "expires_in": 7200, "refresh_token": Self.digest("refresh/\(code)"),
                "openid": openid(user: issued.user, appID: appID), "scope": issued.scope.rawValue, "is_snapshotuser": 0,
            ]
            if app.unionBound { fields["unionid"] = unionid(user: issued.user) }
            let body = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
            return Self.json(String(decoding: body, as: UTF8.self))
        }
    }

    /// WeChat answers errors with HTTP 200 and a JSON body (`text/plain`).
    private static func error(_ code: Int, _ message: String) -> Response {
        json(#"{"errcode":\#(code),"errmsg":"\#(message)"}"#)
    }

    private static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func page(status: HTTPResponse.Status, _ text: String, markup: Bool = false) -> Response {
        let body =
            #"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>微信授权</title></head><body>"#
            + (markup ? text : escape(text)) + "</body></html>"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
