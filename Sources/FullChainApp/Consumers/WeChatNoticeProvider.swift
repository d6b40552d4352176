public import FullChainCore

/// Sends the brand's WeChat subscribe notices (the server's client talks to
/// `api.weixin.qq.com`, or to a local stand-in in tests and the demo). Answers WeChat's message id.
public protocol WeChatNoticeProvider: Sendable {
    func send(_ text: String, to openid: String, templateID: String, app: WeChatApp) async -> Result<String, WeChatNoticeFailure>
}
