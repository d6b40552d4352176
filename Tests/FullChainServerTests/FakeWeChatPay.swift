import Foundation
import FullChainCore
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A local stand-in for WeChat Pay's red-packet API that behaves as its documentation says:
/// it checks each request's signature, pays a bill number at most once (a repeat of a paid bill
/// with the same parameters answers success again; with other parameters, FATAL_ERROR), answers
/// `gethbinfo` from what it paid, and fails in the documented ways when told to.
final class FakeWeChatPay: Sendable {
    /// What the next `sendredpack` does.
    enum Behaviour: Sendable {
        /// Pays and answers SUCCESS.
        case pay
        /// Answers SYSTEMERROR without paying.
        case systemErrorUnpaid
        /// Pays, then answers SYSTEMERROR.
        case paidThenSystemError
        /// Answers only after the client gave up, without paying (a timeout).
        case slowUnpaid
        /// Pays, then answers only after the client gave up (the response is lost).
        case paidThenSlow
        /// NOTENOUGH: the merchant's balance is short; nothing paid.
        case notEnough
        /// FREQ_LIMIT: too fast; nothing paid.
        case freqLimit
        /// An error code the documentation does not list; nothing paid.
        case unlistedError
    }

    struct State {
        var script: [Behaviour] = []
        var paid: [String: [String: String]] = [:]
        /// How often each bill number was sent, and was asked about.
        var sends: [String: Int] = [:]
        var queries = 0
        /// When each merchant paid (milliseconds), in order.
        var paidAt: [String: [Int64]] = [:]
        var badSignatures = 0
    }

    let keys: [String: String]
    let slowMillis: Int64
    let state = Mutex(State())

    init(merchants: [WeChatMerchant], script: [Behaviour], slowMillis: Int64) {
        keys = Dictionary(uniqueKeysWithValues: merchants.map { ($0.mchID, $0.apiKey) })
        self.slowMillis = slowMillis
        state.withLock { $0.script = script }
    }

    /// Serves the fake on a loopback port while `body` runs.
    func serve(_ body: @Sendable @escaping (_ baseURL: String) async throws -> Void) async throws {
        let router = Router()
        router.post(RouterPath(WeChatRedPacket.sendPath)) { request, _ in try await self.reply(self.send(try await Self.fields(request))) }
        router.post(RouterPath(WeChatRedPacket.queryPath)) { request, _ in self.reply(self.query(try await Self.fields(request))) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))")
        }
    }

    private static func fields(_ request: Request) async throws -> [String: String] {
        WeChatRedPacket.parse(String(buffer: try await request.body.collect(upTo: 64 * 1024))) ?? [:]
    }

    private func reply(_ fields: [String: String]) -> Response {
        Response(status: .ok, headers: [.contentType: "text/xml"], body: .init(byteBuffer: ByteBuffer(string: WeChatRedPacket.xml(fields))))
    }

    private func fail(_ code: String) -> [String: String] {
        ["return_code": "SUCCESS", "result_code": "FAIL", "err_code": code, "err_code_des": code]
    }

    private func send(_ fields: [String: String]) async throws -> [String: String] {
        guard let mch = fields["mch_id"], let key = keys[mch], WeChatRedPacket.verify(fields, key: key), let bill = fields["mch_billno"] else {
            state.withLock { $0.badSignatures += 1 }
            return ["return_code": "FAIL", "return_msg": "签名错误"]
        }
        // What identifies the red packet: everything but the nonce and the signature.
        let request = fields.filter { $0.key != "nonce_str" && $0.key != "sign" }
        enum Step { case answer([String: String]), slow(pay: Bool) }
        let step: Step = state.withLock { state in
            state.sends[bill, default: 0] += 1
            if let earlier = state.paid[bill] {
                return .answer(
                    earlier == request
                        ? ["return_code": "SUCCESS", "result_code": "SUCCESS", "mch_billno": bill, "send_listid": "L" + bill]
                        : fail("FATAL_ERROR"))
            }
            let behaviour = state.script.isEmpty ? .pay : state.script.removeFirst()
            let pays = [Behaviour.pay, .paidThenSystemError, .paidThenSlow].contains(behaviour)
            if pays {
                state.paid[bill] = request
                state.paidAt[mch, default: []].append(Int64(Date().timeIntervalSince1970 * 1000))
            }
            switch behaviour {
            case .pay: return .answer(["return_code": "SUCCESS", "result_code": "SUCCESS", "mch_billno": bill, "send_listid": "L" + bill])
            case .systemErrorUnpaid, .paidThenSystemError: return .answer(fail("SYSTEMERROR"))
            case .slowUnpaid: return .slow(pay: false)
            case .paidThenSlow: return .slow(pay: true)
            case .notEnough: return .answer(fail("NOTENOUGH"))
            case .freqLimit: return .answer(fail("FREQ_LIMIT"))
            case .unlistedError: return .answer(fail("NEW_UNLISTED_ERROR"))
            }
        }
        switch step {
        case .answer(let answer): return answer
        case .slow:
            try await Task.sleep(for: .milliseconds(slowMillis))
            return fail("SYSTEMERROR")
        }
    }

    private func query(_ fields: [String: String]) -> [String: String] {
        guard let mch = fields["mch_id"], let key = keys[mch], WeChatRedPacket.verify(fields, key: key), let bill = fields["mch_billno"] else {
            return ["return_code": "FAIL", "return_msg": "签名错误"]
        }
        return state.withLock { state in
            state.queries += 1
            guard state.paid[bill] != nil else { return fail("NOT_FOUND") }
            return ["return_code": "SUCCESS", "result_code": "SUCCESS", "mch_billno": bill, "detail_id": "L" + bill, "status": "SENT"]
        }
    }
}
