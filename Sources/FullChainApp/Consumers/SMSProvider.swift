public import FullChainCore

/// Sends a sign-in code by SMS (the server's client talks to Tencent Cloud SMS, or to a local
/// stand-in in tests and the demo). Answers the gateway's serial number.
public protocol SMSProvider: Sendable {
    func sendSignInCode(_ code: String, to phone: PhoneNumber) async -> Result<String, SMSFailure>
    /// Sends a journey's marketing text through the brand's approved marketing template.
    func sendMarketing(_ text: String, to phone: PhoneNumber) async -> Result<String, SMSFailure>
}

/// Where the SMS gateway answers and the deployment's account there.
public struct SMSSettings: Sendable {
    /// `https://sms.tencentcloudapi.com` in production.
    public var apiBase: String
    public var account: SMSAccount
    public var timeoutMillis: Int64

    public init(apiBase: String = "https://sms.tencentcloudapi.com", account: SMSAccount, timeoutMillis: Int64 = 5_000) {
        self.apiBase = apiBase
        self.account = account
        self.timeoutMillis = timeoutMillis
    }
}
