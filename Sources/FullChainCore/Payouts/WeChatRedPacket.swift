import Crypto
import Foundation

/// A WeChat Pay merchant account that sends red packets (its API key signs every request).
public struct WeChatMerchant: Sendable, Equatable, CustomStringConvertible {
    public var mchID: String
    /// The official account's app id the consumers' openids belong to.
    public var appID: String
    /// The merchant's API key (v2): a secret from configuration, never logged.
    public var apiKey: String
    /// The sender's name shown on the red packet.
    public var sendName: String

    public init(mchID: String, appID: String, apiKey: String, sendName: String) {
        self.mchID = mchID
        self.appID = appID
        self.apiKey = apiKey
        self.sendName = sendName
    }

    public var description: String { "WeChatMerchant(\(mchID), key redacted)" }
}

/// WeChat Pay's cash red-packet API (v2, `sendredpack` and `gethbinfo`): XML bodies signed with
/// MD5 over the sorted parameters and the merchant's key. Pure: building, signing, reading.
public enum WeChatRedPacket {
    public static let sendPath = "/mmpaymkttransfers/sendredpack"
    public static let queryPath = "/mmpaymkttransfers/gethbinfo"

    /// The signed parameters of a red packet for `openid`.
    public static func sendParameters(
        billNumber: String, merchant: WeChatMerchant, openid: String, amountFen: Int64, actName: String,
        wishing: String, remark: String, clientIP: String, nonce: String
    ) -> [String: String] {
        signed(
            [
                "nonce_str": nonce,
                "mch_billno": billNumber,
                "mch_id": merchant.mchID,
                "wxappid": merchant.appID,
                "send_name": String(merchant.sendName.prefix(32)),
                "re_openid": openid,
                "total_amount": String(amountFen),
                "total_num": "1",
                "wishing": String(wishing.prefix(128)),
                "client_ip": clientIP,
                "act_name": String(actName.prefix(32)),
                "remark": String(remark.prefix(256)),
            ], key: merchant.apiKey)
    }

    /// The signed parameters asking what became of a bill number.
    public static func queryParameters(billNumber: String, merchant: WeChatMerchant, nonce: String) -> [String: String] {
        signed(
            ["nonce_str": nonce, "mch_billno": billNumber, "mch_id": merchant.mchID, "appid": merchant.appID, "bill_type": "MCHT"],
            key: merchant.apiKey)
    }

    /// The parameters with their `sign` added.
    public static func signed(_ parameters: [String: String], key: String) -> [String: String] {
        var out = parameters
        out["sign"] = sign(parameters, key: key)
        return out
    }

    /// MD5 of `k1=v1&k2=v2…&key=KEY` over the non-empty parameters but `sign`, sorted by name, in upper-case hex.
    public static func sign(_ parameters: [String: String], key: String) -> String {
        let text =
            parameters.filter { $0.key != "sign" && !$0.value.isEmpty }.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "&") + "&key=" + key
        let digest = Insecure.MD5.hash(data: Array(text.utf8))
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// Whether parameters carry the signature their key makes.
    public static func verify(_ parameters: [String: String], key: String) -> Bool {
        parameters["sign"] == sign(parameters, key: key)
    }

    /// The parameters as the XML body WeChat Pay reads: `<xml><name><![CDATA[value]]></name>…</xml>`.
    public static func xml(_ parameters: [String: String]) -> String {
        var out = "<xml>"
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            // A value holding "]]>" is split over two CDATA sections.
            out += "<\(name)><![CDATA[\(value.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>"))]]></\(name)>"
        }
        return out + "</xml>"
    }

    /// The child elements of a flat `<xml>` document, by name; nil when it is not one.
    public static func parse(_ text: String) -> [String: String]? {
        var rest = Substring(text)
        guard let open = rest.range(of: "<xml>"), let close = rest.range(of: "</xml>", options: .backwards), open.upperBound <= close.lowerBound
        else {
            return nil
        }
        rest = rest[open.upperBound..<close.lowerBound]
        var fields: [String: String] = [:]
        while true {
            rest = rest.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
            if rest.isEmpty { return fields }
            guard rest.first == "<", let nameEnd = rest.firstIndex(of: ">") else { return nil }
            let name = String(rest[rest.index(after: rest.startIndex)..<nameEnd])
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            rest = rest[rest.index(after: nameEnd)...]
            guard let end = rest.range(of: "</\(name)>") else { return nil }
            fields[name] = content(of: rest[..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
    }

    /// An element's text: CDATA sections as they are, other text with its entities decoded.
    private static func content(of raw: Substring) -> String {
        var out = ""
        var rest = raw
        while let start = rest.range(of: "<![CDATA[") {
            out += decodeEntities(rest[..<start.lowerBound])
            rest = rest[start.upperBound...]
            guard let end = rest.range(of: "]]>") else { return out + rest }
            out += rest[..<end.lowerBound]
            rest = rest[end.upperBound...]
        }
        return out + decodeEntities(rest)
    }

    private static func decodeEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// What a `sendredpack` answer means for the payout.
    public static func answer(toSend fields: [String: String]) -> PayoutAnswer {
        switch fields["return_code"] {
        case "SUCCESS": break
        // A request the gateway did not take (a bad signature, a malformed body) paid nothing.
        case "FAIL": return .refused(reason: "return:" + (fields["return_msg"] ?? "FAIL"))
        // An answer that says neither: what happened is not known.
        default: return .unknown(reason: "malformed_answer")
        }
        switch fields["result_code"] {
        case "SUCCESS": return .paid(reference: fields["send_listid"] ?? fields["mch_billno"] ?? "")
        case "FAIL": break
        default: return .unknown(reason: "malformed_answer")
        }
        let code = fields["err_code"] ?? "UNKNOWN"
        switch code {
        // "Accepted; ask with the same bill number later": the outcome is not known.
        case "SYSTEMERROR", "PROCESSING": return .unknown(reason: code)
        case "NOTENOUGH", "FREQ_LIMIT": return .later(reason: code, nextDay: false)
        case "SENDNUMLIMIT", "RCVDAMOUNT_LIMIT", "SENDAMOUNT_LIMIT": return .later(reason: code, nextDay: true)
        // Documented refusals: nothing was paid under this bill number, and sending it again will not pay.
        case _ where refusals.contains(code): return .refused(reason: code)
        // A code this server does not know may mean anything, paid included: ask before sending again.
        default: return .unknown(reason: code)
        }
    }

    /// The `sendredpack` error codes that mean the red packet was not and will not be paid.
    static let refusals: Set<String> = [
        "NO_AUTH", "ILLEGAL_APPID", "OPENID_ERROR", "MONEY_LIMIT", "PARAM_ERROR", "SIGN_ERROR", "CA_ERROR", "XML_ERROR",
        "MSGAPPID_ERROR", "ACCEPTMODE_ERROR", "API_METHOD_CLOSED", "FATAL_ERROR", "SEND_FAILED",
    ]

    /// What a `gethbinfo` answer says became of a bill number.
    public static func answer(toQuery fields: [String: String]) -> PayoutAnswer {
        guard fields["return_code"] == "SUCCESS" else { return .unknown(reason: "return:" + (fields["return_msg"] ?? "FAIL")) }
        guard fields["result_code"] == "SUCCESS" else {
            let code = fields["err_code"] ?? "UNKNOWN"
            return code == "NOT_FOUND" ? .notFound : .unknown(reason: code)
        }
        switch fields["status"] ?? "" {
        // Sent, received, or (not received within 24 hours) being refunded to the merchant: paid out by us.
        case "SENT", "RECEIVED", "RFUND_ING", "REFUND": return .paid(reference: fields["detail_id"] ?? fields["mch_billno"] ?? "")
        case "FAILED": return .refused(reason: "FAILED")
        default: return .unknown(reason: fields["status"] ?? "no status")
        }
    }
}
