public import FullChainCore

/// Where the WeChat Pay API answers and how to reach it (the red packet provider's settings).
public struct WeChatPaySettings: Sendable {
    /// `https://api.mch.weixin.qq.com` in production.
    public var baseURL: String
    public var merchants: [WeChatMerchant]
    /// The merchant's API client certificate and key (PEM files), which `sendredpack` requires over TLS.
    public var certificateFile: String?
    public var privateKeyFile: String?
    /// The server's address as the red packet records it.
    public var clientIP: String
    public var actName: String
    public var wishing: String
    public var timeoutMillis: Int64

    public init(
        baseURL: String = "https://api.mch.weixin.qq.com", merchants: [WeChatMerchant], certificateFile: String? = nil,
        privateKeyFile: String? = nil, clientIP: String = "127.0.0.1", actName: String = "扫码有礼", wishing: String = "感谢您的支持",
        timeoutMillis: Int64 = 10_000
    ) {
        self.baseURL = baseURL
        self.merchants = merchants
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.clientIP = clientIP
        self.actName = actName
        self.wishing = wishing
        self.timeoutMillis = timeoutMillis
    }

    /// Merchants from `mchid:appid:key[:send name]` items separated by `;` (as `FULLCHAIN_WECHAT_MERCHANTS` holds them).
    public static func merchants(from text: String) -> [WeChatMerchant]? {
        let items = text.split(separator: ";").map { $0.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init) }
        guard !items.isEmpty, items.allSatisfy({ $0.count >= 3 && !$0[0].isEmpty && !$0[1].isEmpty && !$0[2].isEmpty }) else { return nil }
        return items.map { WeChatMerchant(mchID: $0[0], appID: $0[1], apiKey: $0[2], sendName: $0.count > 3 ? $0[3] : "FullChain") }
    }
}
