import AsyncHTTPClient
public import FullChainCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Pays cash prizes as WeChat Pay red packets (`sendredpack`), one merchant bill number per
/// payout. An unclear outcome (a system error, a timeout, a lost response) is `.unknown`: the
/// outbox then asks `gethbinfo` before it sends again, with the same bill number.
public final class WeChatRedPacketProvider: PayoutProvider {
    /// Where the API answers and how to reach it.
    public struct Settings: Sendable {
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

        public init(baseURL: String = "https://api.mch.weixin.qq.com", merchants: [WeChatMerchant], certificateFile: String? = nil,
                    privateKeyFile: String? = nil, clientIP: String = "127.0.0.1", actName: String = "扫码有礼", wishing: String = "感谢您的支持",
                    timeoutMillis: Int64 = 10_000) {
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

    private let settings: Settings
    private let client: HTTPClient
    private let ownsClient: Bool

    public init(_ settings: Settings) throws {
        self.settings = settings
        if let certificate = settings.certificateFile, let key = settings.privateKeyFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
            ownsClient = true
        } else {
            client = HTTPClient.shared
            ownsClient = false
        }
    }

    public var merchants: [String] { settings.merchants.map(\.mchID) }

    private func merchant(of payout: Payout) -> WeChatMerchant? {
        settings.merchants.first { $0.mchID == payout.merchant }
    }

    public func send(_ payout: Payout, to recipient: String) async -> PayoutAnswer {
        guard recipient.hasPrefix("openid:") else { return .refused(reason: "openid_required") }
        guard let merchant = merchant(of: payout), let bill = payout.billNumber else { return .refused(reason: "merchant_not_configured") }
        let parameters = WeChatRedPacket.sendParameters(
            billNumber: bill, merchant: merchant, openid: String(recipient.dropFirst("openid:".count)), amountFen: payout.amountFen,
            actName: settings.actName, wishing: settings.wishing, remark: "campaign \(payout.campaignID)", clientIP: settings.clientIP,
            nonce: Self.nonce())
        guard let fields = await post(WeChatRedPacket.sendPath, parameters) else { return .unknown(reason: "no_answer") }
        return WeChatRedPacket.answer(toSend: fields)
    }

    public func query(_ payout: Payout) async -> PayoutAnswer {
        guard let merchant = merchant(of: payout), let bill = payout.billNumber else { return .notFound }
        let parameters = WeChatRedPacket.queryParameters(billNumber: bill, merchant: merchant, nonce: Self.nonce())
        guard let fields = await post(WeChatRedPacket.queryPath, parameters) else { return .unknown(reason: "no_answer") }
        return WeChatRedPacket.answer(toQuery: fields)
    }

    /// Posts the XML body; nil when no readable answer came back in time.
    private func post(_ path: String, _ parameters: [String: String]) async -> [String: String]? {
        var request = HTTPClientRequest(url: settings.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/xml; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: WeChatRedPacket.xml(parameters)))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(settings.timeoutMillis))
            let body = try await response.body.collect(upTo: 64 * 1024)
            guard response.status == .ok else { return nil }
            return WeChatRedPacket.parse(String(buffer: body))
        } catch {
            return nil
        }
    }

    /// 32 random letters and digits.
    private static func nonce() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var random = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
    }

    public func shutdown() async {
        if ownsClient { try? await client.shutdown() }
    }
}
