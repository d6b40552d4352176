public import FullChainCore

/// Exchanges a WeChat web-authorisation code for the consumer's identity (the server's client
/// talks to `api.weixin.qq.com`, or to a local stand-in in tests and the demo).
public protocol WeChatAuthProvider: Sendable {
    func exchange(code: String, app: WeChatApp) async -> Result<WeChatIdentity, WeChatAuthFailure>
}

/// Where WeChat's web authorisation and the SMS gateway answer, and how consumers' sign-ins and claims last.
public struct ConsumerSettings: Sendable {
    /// The page that asks the consumer (`https://open.weixin.qq.com` in production).
    public var weChatAuthorizeBase: String
    /// The code exchange (`https://api.weixin.qq.com` in production).
    public var weChatAPIBase: String
    /// Where WeChat sends the consumer back: this server's public address as phones reach it;
    /// nil uses `https://` and the scan host.
    public var publicBaseURL: String?
    /// How long a consumer stays signed in.
    public var sessionSeconds: Int64
    /// How long a sign-in may take on WeChat's side.
    public var signInSeconds: Int64
    /// How long a cash prize won on a device before sign-in stays claimable by who signs in there.
    public var claimWindowSeconds: Int64
    public var timeoutMillis: Int64
    /// The SMS gateway for phone sign-in; nil offers WeChat sign-in only.
    public var sms: SMSSettings?
    /// How often sign-in codes may be sent and tried.
    public var codes = OneTimeCodeRules()
    /// Scans keep their exact position this long; then it is rounded to `positionDecimals`
    /// places (2: about a kilometre).
    public var positionRetentionDays: Int64 = 90
    public var positionDecimals = 2

    public init(
        weChatAuthorizeBase: String = "https://open.weixin.qq.com", weChatAPIBase: String = "https://api.weixin.qq.com",
        publicBaseURL: String? = nil, sessionSeconds: Int64 = 30 * 86_400, signInSeconds: Int64 = 600,
        claimWindowSeconds: Int64 = 72 * 3_600, timeoutMillis: Int64 = 5_000
    ) {
        self.weChatAuthorizeBase = weChatAuthorizeBase
        self.weChatAPIBase = weChatAPIBase
        self.publicBaseURL = publicBaseURL
        self.sessionSeconds = sessionSeconds
        self.signInSeconds = signInSeconds
        self.claimWindowSeconds = claimWindowSeconds
        self.timeoutMillis = timeoutMillis
    }
}
