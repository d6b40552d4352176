import Foundation
public import FullChainCore
public import Hummingbird
import Synchronization

/// A local stand-in for Tencent Cloud SMS's `SendSms` (API 3.0), behaving as its documentation
/// says: it checks the TC3-HMAC-SHA256 signature (`AuthFailure.SignatureFailure`), the
/// timestamp within five minutes (`AuthFailure.SignatureExpire`), the key (`AuthFailure.SecretIdNotFound`),
/// the action, the SMS application, signature and template, and the number
/// (`InvalidParameterValue.IncorrectPhoneNumber`); one message per number per 30 seconds
/// (`LimitExceeded.PhoneNumberThirtySecondLimit`); the sign-in template, and the marketing
/// template when the account has one. What it "sends" waits in an inbox that tests
/// read and the demo shows at `/inbox`. It never calls out.
public final class FakeSMSGateway: Sendable {
    /// What the next requests get instead of an answer.
    public enum Fault: Sendable {
        /// HTTP 500 with no body.
        case serverError
        /// A body that is not JSON.
        case garbage
    }

    /// One message the gateway accepted.
    public struct Message: Sendable, Equatable {
        /// `+86…`
        public var phone: String
        /// The template's parameters: the sign-in code.
        public var parameters: [String]
        public var text: String
        public var sentAt: Int64
    }

    struct State {
        var inbox: [Message] = []
        var faults: [Fault] = []
        var requests = 0
        var clockOffset: Int64 = 0
        var rateLimited = 0
    }

    private let account: SMSAccount
    private let state = Mutex(State())

    /// Accepts requests signed with `account`'s key pair for its application, signature and template.
    public init(account: SMSAccount) {
        self.account = account
    }

    /// Messages sent to a number (`+86…` or the 11 digits), oldest first.
    public func messages(to phone: String) -> [Message] {
        let e164 = PhoneNumber(phone)?.e164 ?? phone
        return state.withLock { $0.inbox.filter { $0.phone == e164 } }
    }

    /// The newest sign-in code sent to a number.
    public func lastCode(to phone: String) -> String? { messages(to: phone).last?.parameters.first }

    /// The next `count` requests are refused with the API's frequency limit (`RequestLimitExceeded`).
    public func rateLimit(next count: Int) { state.withLock { $0.rateLimited += count } }

    /// The next requests fail this way, one each.
    public func fail(_ faults: [Fault]) { state.withLock { $0.faults += faults } }

    /// Moves the fake's clock on (the 30-second rule, the five-minute timestamp window).
    public func advanceClock(millis: Int64) { state.withLock { $0.clockOffset += millis } }

    /// How many requests reached the gateway.
    public var requests: Int { state.withLock { $0.requests } }

    private func clock() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) + state.withLock { $0.clockOffset } }

    // MARK: - The endpoints

    /// Adds `SendSms` at `prefix` + `/` and the inbox page at `prefix` + `/inbox`.
    public func register<Context: RequestContext>(on router: Router<Context>, prefix: String = "") {
        router.post(RouterPath(prefix.isEmpty ? "/" : prefix)) { request, _ in
            let body = try await request.body.collect(upTo: 65_536)
            return self.send(request, body: Array(body.readableBytesView))
        }
        router.get(RouterPath(prefix + "/inbox")) { request, _ in self.inbox(phone: request.uri.queryParameters.get("phone")) }
    }

    func send(_ request: Request, body: [UInt8]) -> Response {
        func header(_ name: String) -> String? { request.headers.first { $0.name.canonicalName == name }?.value }
        let now = clock()
        let fault: Fault? = state.withLock { state in
            state.requests += 1
            return state.faults.isEmpty ? nil : state.faults.removeFirst()
        }
        switch fault {
        case .serverError?: return Response(status: .internalServerError)
        case .garbage?: return Self.json("<html>502 Bad Gateway</html>")
        case nil: break
        }
        guard header("x-tc-action") == TencentCloudSMS.action else { return Self.error("InvalidAction", "action not found") }
        guard header("x-tc-version") == TencentCloudSMS.version else { return Self.error("InvalidParameter", "version") }
        guard let authorization = header("authorization"), let timestamp = header("x-tc-timestamp").flatMap({ Int64($0) }),
            let host = request.head.authority, let fields = Self.fields(of: authorization), fields.signedHeaders == TencentCloudSMS.signedHeaders,
            header("content-type") == TencentCloudSMS.contentType
        else { return Self.error("AuthFailure.InvalidAuthorization", "Authorization is invalid") }
        guard fields.secretID == account.secretID else { return Self.error("AuthFailure.SecretIdNotFound", "secret id not found") }
        guard abs(now / 1000 - timestamp) <= 300, fields.date == TencentCloudSMS.utcDate(timestamp) else {
            return Self.error("AuthFailure.SignatureExpire", "signature expired")
        }
        guard fields.signature == TencentCloudSMS.signature(secretKey: account.secretKey, host: host, timestamp: timestamp, payload: body) else {
            return Self.error("AuthFailure.SignatureFailure", "signature verification failed")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
            let numbers = object["PhoneNumberSet"] as? [String], !numbers.isEmpty, numbers.count <= 200
        else { return Self.error("InvalidParameter", "PhoneNumberSet") }
        guard object["SmsSdkAppId"] as? String == account.sdkAppID else {
            return Self.error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId not exist")
        }
        guard object["SignName"] as? String == account.signName else {
            return Self.error("FailedOperation.SignatureIncorrectOrUnapproved", "signature incorrect or unapproved")
        }
        let template = object["TemplateId"] as? String
        guard template == account.templateID || (template != nil && template == account.marketingTemplateID) else {
            return Self.error("FailedOperation.TemplateIncorrectOrUnapproved", "template incorrect or unapproved")
        }
        let marketing = template != account.templateID
        let parameters = object["TemplateParamSet"] as? [String] ?? []
        let limited = state.withLock { state -> Bool in
            guard state.rateLimited > 0 else { return false }
            state.rateLimited -= 1
            return true
        }
        if limited { return Self.error("RequestLimitExceeded", "request limit exceeded") }
        var statuses: [[String: Any]] = []
        for number in numbers {
            let (code, message): (String, String) = state.withLock { state in
                guard PhoneNumber(number)?.e164 == number else { return ("InvalidParameterValue.IncorrectPhoneNumber", "incorrect phone number") }
                if let last = state.inbox.last(where: { $0.phone == number }), now - last.sentAt < 30_000 {
                    return ("LimitExceeded.PhoneNumberThirtySecondLimit", "phone number thirty second limit")
                }
                let text =
                    marketing
                    ? "【\(account.signName)】\(parameters.first ?? "") 拒收请回复R"
                    : "【\(account.signName)】您的登录验证码为 \(parameters.first ?? "")，5 分钟内有效。如非本人操作，请忽略本短信。"
                state.inbox.append(Message(phone: number, parameters: parameters, text: text, sentAt: now))
                return ("Ok", "send success")
            }
            statuses.append([
                "SerialNo": code == "Ok" ? UUID().uuidString.lowercased() : "", "PhoneNumber": number, "Fee": code == "Ok" ? 1 : 0,
                "SessionContext": "", "Code": code, "Message": message, "IsoCode": "CN",
            ])
        }
        return Self.answer(["SendStatusSet": statuses, "RequestId": UUID().uuidString.lowercased()])
    }

    /// The demo's phone: the messages sent to a number, newest first.
    func inbox(phone: String?) -> Response {
        let list = phone.map { messages(to: $0) } ?? state.withLock { $0.inbox }
        var items = ""
        for message in list.reversed().prefix(20) {
            items += "<li><strong>\(Self.escape(message.phone))</strong><br>\(Self.escape(message.text))</li>"
        }
        let body =
            #"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>短信收件箱</title></head><body><h1>模拟短信收件箱（本地演示）</h1><ul id="inbox">"#
            + (items.isEmpty ? "<li>暂无短信</li>" : items) + "</ul></body></html>"
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// `TC3-HMAC-SHA256 Credential=ID/DATE/sms/tc3_request, SignedHeaders=…, Signature=…`.
    static func fields(of authorization: String) -> (secretID: String, date: String, signedHeaders: String, signature: String)? {
        let prefix = "TC3-HMAC-SHA256 "
        guard authorization.hasPrefix(prefix) else { return nil }
        var values: [String: String] = [:]
        for part in authorization.dropFirst(prefix.count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            values[String(pair[0])] = String(pair[1])
        }
        let credential = values["Credential"]?.split(separator: "/").map(String.init) ?? []
        guard credential.count == 4, credential[2] == TencentCloudSMS.service, credential[3] == "tc3_request",
            let signed = values["SignedHeaders"], let signature = values["Signature"]
        else { return nil }
        return (credential[0], credential[1], signed, signature)
    }

    private static func error(_ code: String, _ message: String) -> Response {
        answer(["Error": ["Code": code, "Message": message], "RequestId": UUID().uuidString.lowercased()])
    }

    private static func answer(_ response: [String: Any]) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["Response": response], options: [.sortedKeys])) ?? Data()
        return json(String(decoding: body, as: UTF8.self))
    }

    private static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
