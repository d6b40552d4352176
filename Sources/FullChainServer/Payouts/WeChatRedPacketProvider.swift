import AsyncHTTPClient
import Foundation
public import FullChainApp
public import FullChainCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// Pays cash prizes as WeChat Pay red packets (`sendredpack`), one merchant bill number per
/// payout. An unclear outcome (a system error, a timeout, a lost response) is `.unknown`: the
/// outbox then asks `gethbinfo` before it sends again, with the same bill number.
public final class WeChatRedPacketProvider: PayoutProvider {
    /// Where the API answers and how to reach it.
    public typealias Settings = WeChatPaySettings

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
            nonce: RandomToken.alphanumeric(32))
        guard let fields = await post(WeChatRedPacket.sendPath, parameters) else { return .unknown(reason: "no_answer") }
        return WeChatRedPacket.answer(toSend: fields)
    }

    public func query(_ payout: Payout) async -> PayoutAnswer {
        guard let merchant = merchant(of: payout), let bill = payout.billNumber else { return .notFound }
        let parameters = WeChatRedPacket.queryParameters(billNumber: bill, merchant: merchant, nonce: RandomToken.alphanumeric(32))
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

    public func shutdown() async {
        if ownsClient { try? await client.shutdown() }
    }
}
