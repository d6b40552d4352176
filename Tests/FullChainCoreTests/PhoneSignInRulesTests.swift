import Foundation
import FullChainCore
import Testing

/// Phone sign-in's pure rules: which numbers are mobile numbers, when a code may be sent, and
/// Tencent Cloud SMS's signed request and its answers.
@Suite("Phone sign-in rules")
struct PhoneSignInRulesTests {
    @Test func mobileNumbersAreReadAsTyped() {
        for text in ["13812345678", "138 1234 5678", "138-1234-5678", "+8613812345678", "8613812345678"] {
            #expect(PhoneNumber(text)?.digits == "13812345678", "\(text)")
        }
        #expect(PhoneNumber("13812345678")?.e164 == "+8613812345678")
        #expect(PhoneNumber("13812345678")?.masked == "138****5678")
        #expect(PhoneNumber("13812345678")?.subject == "phone:13812345678")
        for text in ["", "1381234567", "138123456789", "12812345678", "23812345678", "1381234567a", "+4413812345678", "１３８１２３４５６７８"] {
            #expect(PhoneNumber(text) == nil, "\(text)")
        }
        #expect(PhoneNumber(String(repeating: "1", count: 10_000)) == nil)
    }

    @Test func codesAreSentWithinTheLimits() {
        let rules = OneTimeCodeRules()
        let now: Int64 = 10_000_000
        func counts(phone: Int = 0, address: Int = 0, device: Int = 0, failures: Int = 0, last: Int64? = nil) -> OneTimeCodeRules.Counts {
            OneTimeCodeRules.Counts(phoneSends: phone, addressSends: address, deviceSends: device, failures: failures, lastSentAt: last)
        }
        #expect(rules.maySend(counts(), now: now) == nil)
        #expect(rules.maySend(counts(phone: 1, last: now - 10_000), now: now) == .tooSoon(retryAfterMillis: 50_000))
        #expect(rules.maySend(counts(phone: 1, last: now - 60_000), now: now) == nil)
        #expect(rules.maySend(counts(phone: 5, last: now - 600_000), now: now) == .phoneLimit)
        #expect(rules.maySend(counts(address: 20), now: now) == .addressLimit)
        #expect(rules.maySend(counts(device: 10), now: now) == .deviceLimit)
        #expect(rules.maySend(counts(device: 10, failures: 10), now: now) == .phoneLocked)
        #expect(rules.maySend(counts(failures: 9), now: now) == nil)
    }

    @Test func codesAreSixDigits() {
        let codes = (0..<200).map { _ in OneTimeCodeRules.generate() }
        #expect(codes.allSatisfy { $0.count == 6 && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } })
        #expect(Set(codes).count > 150)
        #expect(OneTimeCodeRules.normalized("123 456") == "123456")
        for text in ["12345", "1234567", "12a456", "١٢٣٤٥٦", ""] { #expect(OneTimeCodeRules.normalized(text) == nil, "\(text)") }
    }

    @Test func theRequestIsSignedAsTencentCloudDocuments() throws {
        let account = SMSAccount(secretID: "AKIDexample", secretKey: "keyExample", sdkAppID: "1400006666", signName: "腾讯云", templateID: "1234")
        let phone = try #require(PhoneNumber("13711112222"))
        let body = TencentCloudSMS.body(account: account, to: phone, code: "123456")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["PhoneNumberSet"] as? [String] == ["+8613711112222"] && object["TemplateParamSet"] as? [String] == ["123456"])
        #expect(object["SmsSdkAppId"] as? String == "1400006666" && object["SignName"] as? String == "腾讯云")
        // 2019-02-25 00:44:30 UTC, the documentation's example moment.
        let timestamp: Int64 = 1_551_055_470
        #expect(TencentCloudSMS.utcDate(timestamp) == "2019-02-25")
        let authorization = TencentCloudSMS.authorization(
            secretID: "AKIDexample", secretKey: "keyExample", host: "sms.tencentcloudapi.com", timestamp: timestamp, payload: body)
        #expect(
            authorization.hasPrefix(
                "TC3-HMAC-SHA256 Credential=AKIDexample/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature="))
        let signature = String(authorization.suffix(64))
        #expect(signature.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        // The signature covers the key, the host, the moment and every byte of the body.
        let same = TencentCloudSMS.signature(secretKey: "keyExample", host: "sms.tencentcloudapi.com", timestamp: timestamp, payload: body)
        #expect(same == signature)
        #expect(TencentCloudSMS.signature(secretKey: "keyExamplf", host: "sms.tencentcloudapi.com", timestamp: timestamp, payload: body) != signature)
        #expect(TencentCloudSMS.signature(secretKey: "keyExample", host: "sms.tencentcloudapi.co", timestamp: timestamp, payload: body) != signature)
        #expect(
            TencentCloudSMS.signature(secretKey: "keyExample", host: "sms.tencentcloudapi.com", timestamp: timestamp + 1, payload: body) != signature)
        #expect(
            TencentCloudSMS.signature(secretKey: "keyExample", host: "sms.tencentcloudapi.com", timestamp: timestamp, payload: body + [0x20])
                != signature)
    }

    @Test func theAnswersAreReadAsDocumented() {
        func answer(_ text: String) -> Result<String, SMSFailure> { TencentCloudSMS.answer(Array(text.utf8)) }
        let ok =
            #"{"Response":{"SendStatusSet":[{"SerialNo":"5000:1045710669157053657849499619","PhoneNumber":"+8613711112222","Fee":1,"SessionContext":"test","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"a0aabda6-cf91-4f3e-a81f-9198114a2279"}}"#
        #expect(answer(ok) == .success("5000:1045710669157053657849499619"))
        func status(_ code: String) -> String {
            #"{"Response":{"SendStatusSet":[{"SerialNo":"","PhoneNumber":"+8613711112222","Fee":0,"Code":"\#(code)","Message":"x"}],"RequestId":"r"}}"#
        }
        #expect(answer(status("LimitExceeded.PhoneNumberThirtySecondLimit")) == .failure(.numberLimited))
        #expect(answer(status("LimitExceeded.PhoneNumberDailyLimit")) == .failure(.numberLimited))
        #expect(answer(status("InvalidParameterValue.IncorrectPhoneNumber")) == .failure(.numberRefused))
        #expect(
            answer(status("FailedOperation.TemplateIncorrectOrUnapproved"))
                == .failure(.misconfigured(code: "FailedOperation.TemplateIncorrectOrUnapproved")))
        let error =
            #"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated."},"RequestId":"r"}}"#
        #expect(answer(error) == .failure(.misconfigured(code: "AuthFailure.SignatureFailure")))
        #expect(answer(#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r"}}"#) == .failure(.unavailable))
        for garbage in ["", "<html>502</html>", "{}", #"{"Response":{}}"#, #"{"Response":{"SendStatusSet":[]}}"#] {
            #expect(answer(garbage) == .failure(.unavailable), "\(garbage)")
        }
    }
}
