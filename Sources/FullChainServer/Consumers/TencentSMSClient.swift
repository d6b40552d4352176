import AsyncHTTPClient
import Foundation
public import FullChainApp
public import FullChainCore
import FullChainStorage
import NIOCore
import NIOHTTP1

/// Sends sign-in codes through Tencent Cloud SMS (`SendSms`, TC3-HMAC-SHA256 signed), or
/// through a local stand-in's address in tests and the demo.
public struct TencentSMSClient: SMSProvider {
    let settings: SMSSettings

    public init(settings: SMSSettings) {
        self.settings = settings
    }

    public func sendSignInCode(_ code: String, to phone: PhoneNumber) async -> Result<String, SMSFailure> {
        await send(TencentCloudSMS.body(account: settings.account, to: phone, code: code))
    }

    public func sendMarketing(_ text: String, to phone: PhoneNumber) async -> Result<String, SMSFailure> {
        guard let template = settings.account.marketingTemplateID else { return .failure(.misconfigured(code: "no marketing template")) }
        return await send(TencentCloudSMS.body(account: settings.account, to: phone, code: text, templateID: template))
    }

    private func send(_ payload: [UInt8]) async -> Result<String, SMSFailure> {
        let account = settings.account
        guard let host = Self.host(of: settings.apiBase) else { return .failure(.unavailable) }
        let timestamp = currentMillis() / 1000
        var request = HTTPClientRequest(url: settings.apiBase + "/")
        request.method = .POST
        request.headers.add(name: "Host", value: host)
        request.headers.add(name: "Content-Type", value: TencentCloudSMS.contentType)
        request.headers.add(name: "X-TC-Action", value: TencentCloudSMS.action)
        request.headers.add(name: "X-TC-Version", value: TencentCloudSMS.version)
        request.headers.add(name: "X-TC-Timestamp", value: String(timestamp))
        request.headers.add(name: "X-TC-Region", value: account.region)
        request.headers.add(
            name: "Authorization",
            value: TencentCloudSMS.authorization(
                secretID: account.secretID, secretKey: account.secretKey, host: host, timestamp: timestamp, payload: payload))
        request.body = .bytes(ByteBuffer(bytes: payload))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(settings.timeoutMillis))
            let body = try await response.body.collect(upTo: 65_536)
            guard response.status == .ok else { return .failure(.unavailable) }
            return TencentCloudSMS.answer(Array(body.readableBytesView))
        } catch {
            return .failure(.unavailable)
        }
    }

    /// `host[:port]` of an `http(s)://host[:port][/…]` address, as the Host header and the signature name it.
    static func host(of base: String) -> String? {
        guard let range = base.range(of: "://") else { return nil }
        let rest = base[range.upperBound...]
        let host = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return host.isEmpty ? nil : host
    }
}
