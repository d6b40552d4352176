import Crypto
import Foundation

/// The deployment's Tencent Cloud SMS account: the API key pair (from configuration, never
/// logged), the SMS application, and the approved signature and sign-in template.
public struct SMSAccount: Sendable, Equatable, CustomStringConvertible {
    public var secretID: String
    public var secretKey: String
    /// `SmsSdkAppId`.
    public var sdkAppID: String
    /// The approved signature (`SignName`), e.g. the brand's name.
    public var signName: String
    /// The approved template whose one parameter is the code.
    public var templateID: String
    /// The approved marketing template whose one parameter is a journey message's text (none: journeys send no SMS).
    public var marketingTemplateID: String?
    public var region: String

    public init(
        secretID: String, secretKey: String, sdkAppID: String, signName: String, templateID: String, marketingTemplateID: String? = nil,
        region: String = "ap-guangzhou"
    ) {
        self.secretID = secretID
        self.secretKey = secretKey
        self.sdkAppID = sdkAppID
        self.signName = signName
        self.templateID = templateID
        self.marketingTemplateID = marketingTemplateID
        self.region = region
    }

    public var description: String { "SMSAccount(\(secretID), app \(sdkAppID), key redacted)" }
}

/// Why an SMS was not sent.
public enum SMSFailure: Error, Sendable, Equatable {
    /// The gateway's own limit for the number (`LimitExceeded.PhoneNumber…`).
    case numberLimited
    /// The gateway's limit on requests (`RequestLimitExceeded`): nothing was sent; try later.
    case throttled
    /// The gateway says the number is not one (`InvalidParameterValue.IncorrectPhoneNumber`) or blocks it.
    case numberRefused
    /// The key pair, the signature or the template is wrong (`AuthFailure.…`, `FailedOperation.…Template…`).
    case misconfigured(code: String)
    /// No readable answer: a network error, a timeout, an HTTP error, or a body that is not the gateway's.
    case unavailable
}

/// Tencent Cloud's SMS API 3.0 (`SendSms`, version 2021-01-11) as its documentation describes
/// it: a JSON body, `X-TC-*` headers and a TC3-HMAC-SHA256 signature. Pure: building, signing, reading.
public enum TencentCloudSMS {
    public static let service = "sms"
    public static let action = "SendSms"
    public static let version = "2021-01-11"
    public static let contentType = "application/json; charset=utf-8"
    public static let signedHeaders = "content-type;host;x-tc-action"

    /// The body of a sign-in code's message (or, with another template, of a marketing message
    /// whose one parameter is `code`).
    public static func body(account: SMSAccount, to phone: PhoneNumber, code: String, templateID: String? = nil) -> [UInt8] {
        let object: [String: Any] = [
            "PhoneNumberSet": [phone.e164], "SmsSdkAppId": account.sdkAppID, "SignName": account.signName,
            "TemplateId": templateID ?? account.templateID, "TemplateParamSet": [code],
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { Array($0) } ?? []
    }

    /// The `Authorization` header for `payload` sent to `host` at `timestamp` (seconds, UTC).
    public static func authorization(secretID: String, secretKey: String, host: String, timestamp: Int64, payload: [UInt8]) -> String {
        let date = utcDate(timestamp)
        let scope = "\(date)/\(service)/tc3_request"
        return "TC3-HMAC-SHA256 Credential=\(secretID)/\(scope), SignedHeaders=\(signedHeaders), Signature="
            + signature(secretKey: secretKey, host: host, timestamp: timestamp, payload: payload)
    }

    /// The request's signature: HMAC-SHA256 of the string to sign under a key derived from the
    /// secret key, the day, the service and `tc3_request`.
    public static func signature(secretKey: String, host: String, timestamp: Int64, payload: [UInt8]) -> String {
        let date = utcDate(timestamp)
        let canonical = [
            "POST", "/", "", "content-type:\(contentType)\nhost:\(host)\nx-tc-action:\(action.lowercased())\n", signedHeaders,
            hex(SHA256.hash(data: payload)),
        ].joined(separator: "\n")
        let toSign = ["TC3-HMAC-SHA256", String(timestamp), "\(date)/\(service)/tc3_request", hex(SHA256.hash(data: Array(canonical.utf8)))]
            .joined(separator: "\n")
        let dateKey = hmac(Array(("TC3" + secretKey).utf8), date)
        let serviceKey = hmac(dateKey, service)
        let signingKey = hmac(serviceKey, "tc3_request")
        return hex(hmac(signingKey, toSign))
    }

    /// Reads `SendSms`'s answer for the one number sent to: its serial number, or why not.
    public static func answer(_ body: [UInt8]) -> Result<String, SMSFailure> {
        guard body.count <= 65_536, let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
            let response = object["Response"] as? [String: Any]
        else { return .failure(.unavailable) }
        if let error = response["Error"] as? [String: Any] {
            let code = error["Code"] as? String ?? ""
            if code.hasPrefix("RequestLimitExceeded") { return .failure(.throttled) }
            return .failure(code.hasPrefix("AuthFailure") || code.hasPrefix("FailedOperation") ? .misconfigured(code: code) : .unavailable)
        }
        guard let statuses = response["SendStatusSet"] as? [[String: Any]], let status = statuses.first, let code = status["Code"] as? String
        else { return .failure(.unavailable) }
        switch code {
        case "Ok": return .success(status["SerialNo"] as? String ?? "")
        case _ where code.hasPrefix("LimitExceeded.PhoneNumber"): return .failure(.numberLimited)
        case "InvalidParameterValue.IncorrectPhoneNumber", "FailedOperation.PhoneNumberInBlacklist": return .failure(.numberRefused)
        default: return .failure(.misconfigured(code: code))
        }
    }

    /// `yyyy-MM-dd` of a UTC timestamp in seconds.
    public static func utcDate(_ timestamp: Int64) -> String {
        let days = timestamp >= 0 ? timestamp / 86_400 : (timestamp - 86_399) / 86_400
        return CalendarDate(dayNumber: Int(days)).text
    }

    static func hmac(_ key: [UInt8], _ text: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key)))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
