import Foundation

/// A brand's WeChat official account as web sign-in uses it: its app id and secret (the
/// secret from the brand's settings, sealed at rest, never logged).
public struct WeChatApp: Sendable, Equatable, CustomStringConvertible {
    public var appID: String
    public var secret: String

    public init(appID: String, secret: String) {
        self.appID = appID
        self.secret = secret
    }

    public var description: String { "WeChatApp(\(appID), secret redacted)" }
}

/// What WeChat web authorisation may be asked for.
public enum WeChatAuthScope: String, Sendable, Codable {
    /// Silent: the openid only.
    case base = "snsapi_base"
    /// The consumer agrees on WeChat's page: openid, and nickname and picture with a further call.
    case userInfo = "snsapi_userinfo"
}

/// Who WeChat says signed in: the openid under the brand's app, and the unionid when the app is
/// bound to the brand's open platform account.
public struct WeChatIdentity: Sendable, Equatable {
    public var appID: String
    public var openid: String
    public var unionid: String?
    public var scope: WeChatAuthScope

    public init(appID: String, openid: String, unionid: String?, scope: WeChatAuthScope) {
        self.appID = appID
        self.openid = openid
        self.unionid = unionid
        self.scope = scope
    }
}

/// Why a sign-in did not give an identity.
public enum WeChatAuthFailure: Error, Sendable, Equatable {
    /// 40029: the code is not one WeChat gave, or it expired (five minutes).
    case invalidCode
    /// 40163: the code was exchanged before (a code works once).
    case codeUsed
    /// 40013, 40125, 40001, 41004: the brand's app id or secret is wrong.
    case badCredentials
    /// Another error code WeChat answered.
    case refused(code: Int)
    /// No readable answer: a network error, a timeout, or a body that is not WeChat's.
    case unavailable
}

/// WeChat's web authorisation for official accounts (OAuth 2.0 code flow): the page that asks
/// the consumer, and the exchange of its one-time code for the openid. Pure: building, reading.
public enum WeChatWebAuth {
    /// On `https://open.weixin.qq.com` in production.
    public static let authorizePath = "/connect/oauth2/authorize"
    /// On `https://api.weixin.qq.com` in production.
    public static let tokenPath = "/sns/oauth2/access_token"
    /// WeChat takes a `state` of at most 128 letters and digits.
    public static let maxStateLength = 128

    /// The address the consumer's browser is sent to; WeChat sends it back to `redirect` with
    /// `code` and `state`.
    public static func authorizeURL(base: String, appID: String, redirect: String, scope: WeChatAuthScope, state: String) -> String {
        base + authorizePath + "?appid=" + percentEncoded(appID) + "&redirect_uri=" + percentEncoded(redirect)
            + "&response_type=code&scope=" + scope.rawValue + "&state=" + percentEncoded(state) + "#wechat_redirect"
    }

    /// The exchange's address: the app's credentials and the code, as WeChat's documentation has them.
    public static func tokenURL(base: String, app: WeChatApp, code: String) -> String {
        base + tokenPath + "?appid=" + percentEncoded(app.appID) + "&secret=" + percentEncoded(app.secret) + "&code="
            + percentEncoded(code) + "&grant_type=authorization_code"
    }

    /// Reads the exchange's answer: the identity, or why there is none. WeChat answers HTTP 200
    /// with `errcode` in the body when it refuses.
    public static func answer(toToken body: [UInt8], appID: String) -> Result<WeChatIdentity, WeChatAuthFailure> {
        guard body.count <= 16_384, let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return .failure(.unavailable)
        }
        if let code = object["errcode"] as? Int, code != 0 {
            switch code {
            case 40029: return .failure(.invalidCode)
            case 40163: return .failure(.codeUsed)
            case 40001, 40013, 40125, 41004: return .failure(.badCredentials)
            default: return .failure(.refused(code: code))
            }
        }
        guard let openid = object["openid"] as? String, isIdentifier(openid), object["access_token"] is String else {
            return .failure(.unavailable)
        }
        let unionid = (object["unionid"] as? String).flatMap { isIdentifier($0) ? $0 : nil }
        let scope = (object["scope"] as? String).flatMap { text in
            text.split(separator: ",").contains("snsapi_userinfo") ? WeChatAuthScope.userInfo : nil
        }
        return .success(WeChatIdentity(appID: appID, openid: openid, unionid: unionid, scope: scope ?? .base))
    }

    /// Openids and unionids are up to 64 letters, digits, `-` and `_`.
    public static func isIdentifier(_ text: String) -> Bool {
        isToken(text, maxLength: 64)
    }

    /// A code, state or app id as WeChat gives them: letters, digits, `-` and `_`, at most `maxLength`.
    public static func isToken(_ text: String, maxLength: Int = maxStateLength) -> Bool {
        !text.isEmpty && text.utf8.count <= maxLength && text.utf8.allSatisfy { isUnreserved($0) }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
    }

    /// Every byte but letters, digits and `-._~` percent-encoded (RFC 3986), for query values.
    public static func percentEncoded(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        var out = String.UnicodeScalarView()
        for byte in text.utf8 {
            if isUnreserved(byte) || byte == 0x2E || byte == 0x7E {
                out.append(Unicode.Scalar(byte))
            } else {
                out.append(contentsOf: ["%", digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
            }
        }
        return String(out)
    }
}
