import Foundation

/// Why a WeChat subscribe notice did not go.
public enum WeChatNoticeFailure: Error, Sendable, Equatable {
    /// 43101: the consumer has not subscribed to the brand's notices (or unsubscribed).
    case notSubscribed
    /// 45009 and 45011: the account's quota or rate limit; try later.
    case throttled
    /// 40001, 40013, 40125, 40037, 47003 and the like: the brand's app, secret, template or text is wrong.
    case misconfigured(code: Int)
    /// No readable answer: a network error, a timeout, or a body that is not WeChat's (it may have gone).
    case unavailable
}

/// The official account's subscribe notices (`订阅通知`), as WeChat's server API documents them:
/// an access token from `cgi-bin/token` (client credential, 7,200 s), then
/// `cgi-bin/message/subscribe/bizsend` with the openid, the template and its fields.
public enum WeChatNotice {
    public static let tokenPath = "/cgi-bin/token"
    public static let sendPath = "/cgi-bin/message/subscribe/bizsend"
    /// The one field of the brand's notice template that carries a journey's text (a `thing`: at most 20 characters).
    public static let textField = "thing1"
    public static let maxTextLength = 20

    public static func tokenURL(base: String, app: WeChatApp) -> String {
        base + tokenPath + "?grant_type=client_credential&appid=" + WeChatWebAuth.percentEncoded(app.appID) + "&secret="
            + WeChatWebAuth.percentEncoded(app.secret)
    }

    public static func sendURL(base: String, token: String) -> String {
        base + sendPath + "?access_token=" + WeChatWebAuth.percentEncoded(token)
    }

    /// The send request's body.
    public static func body(text: String, openid: String, templateID: String) -> [UInt8] {
        let object: [String: Any] = ["touser": openid, "template_id": templateID, "data": [textField: ["value": text]]]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// The access token and how many seconds it lasts, or why not.
    public static func answer(toToken body: [UInt8]) -> Result<(token: String, expiresIn: Int64), WeChatNoticeFailure> {
        guard let object = json(body) else { return .failure(.unavailable) }
        if let token = object["access_token"] as? String, !token.isEmpty {
            let seconds = (object["expires_in"] as? NSNumber)?.int64Value ?? 7_200
            return .success((token, max(60, min(seconds, 7_200))))
        }
        return .failure(failure(errcode: (object["errcode"] as? NSNumber)?.intValue ?? -1))
    }

    /// The message id, or why the notice did not go; `tokenExpired` when the token must be fetched again.
    public static func answer(toSend body: [UInt8]) -> (result: Result<String, WeChatNoticeFailure>, tokenExpired: Bool) {
        guard let object = json(body), let code = (object["errcode"] as? NSNumber)?.intValue else { return (.failure(.unavailable), false) }
        if code == 0 { return (.success((object["msgid"] as? NSNumber)?.stringValue ?? ""), false) }
        return (.failure(failure(errcode: code)), code == 40001 || code == 42001 || code == 40014)
    }

    static func failure(errcode: Int) -> WeChatNoticeFailure {
        switch errcode {
        case 43101: .notSubscribed
        case 45009, 45011: .throttled
        case -1: .unavailable
        default: .misconfigured(code: errcode)
        }
    }

    private static func json(_ body: [UInt8]) -> [String: Any]? {
        guard body.count <= 16_384 else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}
