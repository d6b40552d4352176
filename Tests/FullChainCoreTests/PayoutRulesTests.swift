import FullChainCore
import Testing

/// The payout rules and WeChat Pay's red-packet message format, with no I/O.
@Suite("Payout rules")
struct PayoutRulesTests {
    let merchant = WeChatMerchant(mchID: "1234567890", appID: "wx8888888888888888", apiKey: "192006250b4c09247ec02edce69f6a2d", sendName: "品牌")

    @Test
    func signatureIsUpperCaseMD5OverSortedNonEmptyParametersAndTheKey() {
        let parameters = [
            "wxappid": "wx8888888888888888", "mch_id": "1234567890", "mch_billno": "1234567890202611230000000042",
            "re_openid": "oxTWIuGaIt6gTKsQRLau2M0yL16E",
            "total_amount": "188", "total_num": "1", "act_name": "扫码有礼", "nonce_str": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "remark": "",
        ]
        // printf '%s' 'act_name=扫码有礼&mch_billno=…&wxappid=wx8888888888888888&key=192006…' | md5sum (the empty remark left out)
        #expect(WeChatRedPacket.sign(parameters, key: merchant.apiKey) == "F9F8348E1F2AA977BA1C1CD687AEAE04")
        let signed = WeChatRedPacket.signed(parameters, key: merchant.apiKey)
        #expect(WeChatRedPacket.verify(signed, key: merchant.apiKey))
        var tampered = signed
        tampered["total_amount"] = "18800"
        #expect(!WeChatRedPacket.verify(tampered, key: merchant.apiKey))
        #expect(!WeChatRedPacket.verify(signed, key: "another-key"))
        #expect(!merchant.description.contains(merchant.apiKey))
    }

    @Test
    func xmlBodiesSurviveTheRoundTripWhateverTheyHold() {
        let parameters = ["act_name": "开盖<有奖>&\"再来\"", "remark": "a]]>b", "wishing": "恭喜发财", "nonce_str": "x"]
        #expect(WeChatRedPacket.parse(WeChatRedPacket.xml(parameters)) == parameters)
        let answer =
            "<xml>\n  <return_code><![CDATA[SUCCESS]]></return_code>\n  <return_msg>ok &amp; fine</return_msg>\n  <total_amount>188</total_amount>\n</xml>"
        #expect(WeChatRedPacket.parse(answer) == ["return_code": "SUCCESS", "return_msg": "ok & fine", "total_amount": "188"])
        for broken in ["", "<html>502 Bad Gateway</html>", "<xml><a>1</b></xml>", "<xml><a>1</a><b></xml>", "<xml><a b=1>x</a></xml>"] {
            #expect(WeChatRedPacket.parse(broken) == nil, "\(broken)")
        }
    }

    @Test
    func answersMapToWhatTheOutboxDoesNext() {
        func send(_ fields: [String: String]) -> PayoutAnswer { WeChatRedPacket.answer(toSend: fields) }
        let ok = ["return_code": "SUCCESS", "result_code": "SUCCESS", "send_listid": "L1"]
        #expect(send(ok) == .paid(reference: "L1"))
        func failing(_ code: String) -> [String: String] { ["return_code": "SUCCESS", "result_code": "FAIL", "err_code": code] }
        #expect(send(failing("SYSTEMERROR")) == .unknown(reason: "SYSTEMERROR"))
        #expect(send(failing("PROCESSING")) == .unknown(reason: "PROCESSING"))
        #expect(send(failing("NOTENOUGH")) == .later(reason: "NOTENOUGH", nextDay: false))
        #expect(send(failing("FREQ_LIMIT")) == .later(reason: "FREQ_LIMIT", nextDay: false))
        #expect(send(failing("SENDNUMLIMIT")) == .later(reason: "SENDNUMLIMIT", nextDay: true))
        #expect(send(failing("OPENID_ERROR")) == .refused(reason: "OPENID_ERROR"))
        #expect(send(["return_code": "FAIL", "return_msg": "签名错误"]) == .refused(reason: "return:签名错误"))
        // An error code not documented, or an answer that is not one, leaves the outcome unknown: never refused.
        #expect(send(failing("SOMETHING_NEW")) == .unknown(reason: "SOMETHING_NEW"))
        #expect(send(["return_code": "SUCCESS", "result_code": "FAIL"]) == .unknown(reason: "UNKNOWN"))
        #expect(send(["return_code": "SUCCESS"]) == .unknown(reason: "malformed_answer"))
        #expect(send(["result_code": "SUCCESS"]) == .unknown(reason: "malformed_answer"))
        #expect(send([:]) == .unknown(reason: "malformed_answer"))

        func query(_ fields: [String: String]) -> PayoutAnswer { WeChatRedPacket.answer(toQuery: fields) }
        #expect(query(failing("NOT_FOUND")) == .notFound)
        #expect(query(failing("SYSTEMERROR")) == .unknown(reason: "SYSTEMERROR"))
        for status in ["SENT", "RECEIVED", "RFUND_ING", "REFUND"] {
            #expect(query(["return_code": "SUCCESS", "result_code": "SUCCESS", "status": status, "detail_id": "D"]) == .paid(reference: "D"))
        }
        #expect(query(["return_code": "SUCCESS", "result_code": "SUCCESS", "status": "SENDING"]) == .unknown(reason: "SENDING"))
        #expect(query(["return_code": "SUCCESS", "result_code": "SUCCESS", "status": "FAILED"]) == .refused(reason: "FAILED"))
    }

    @Test
    func billNumbersAndLimits() {
        // 2026-11-23 16:00 in China time.
        let day = BusinessDay.day(ofMillis: 1_795_420_800_000)
        #expect(Payout.billNumber(merchant: "1234567890", day: day, serial: 42) == "1234567890202611230000000042")
        #expect(Payout.billNumber(merchant: "1234567890", day: day, serial: 12_345_678_901) == "1234567890202611232345678901")

        let limits = PayoutLimits(
            minimumFen: 100, maximumFen: 20_000, perConsumerDailyCount: 3, perConsumerDailyFen: 1_000, perMerchantDailyFen: 5_000,
            retryAfterMillis: 1_000, maximumRetryAfterMillis: 10_000)
        #expect(limits.refusal(amountFen: 99) == "below_minimum")
        #expect(limits.refusal(amountFen: 100) == nil && limits.refusal(amountFen: 20_000) == nil)
        #expect(limits.refusal(amountFen: 20_001) == "above_maximum")
        #expect(limits.consumerAllows(count: 2, fen: 800, amountFen: 200))
        #expect(!limits.consumerAllows(count: 3, fen: 0, amountFen: 100))
        #expect(!limits.consumerAllows(count: 0, fen: 900, amountFen: 200))
        #expect(limits.merchantAllows(fen: 4_800, amountFen: 200) && !limits.merchantAllows(fen: 4_900, amountFen: 200))
        #expect([1, 2, 3, 4, 5, 10].map(limits.retryDelay(afterAttempts:)) == [1_000, 2_000, 4_000, 8_000, 10_000, 10_000])
    }

    @Test
    func handOffAndSettlementMoveTheMoneyThroughClearing() throws {
        let payout = Payout(
            tenantID: 7, id: 42, campaignID: 3, wallet: "abc", recipient: "sealed", amountFen: 188, status: .sending, merchant: "m",
            billNumber: "b", attempts: 1, createdAt: 0)
        let handOff = try payout.handOffEntry()
        #expect(Set(handOff.postings) == [LedgerPosting(.consumerWallet("abc"), .fen, -188), LedgerPosting(.payoutClearing, .fen, 188)])
        #expect(
            Set(try payout.settledEntry(paid: true).postings) == [LedgerPosting(.payoutClearing, .fen, -188), LedgerPosting(.paidOut, .fen, 188)])
        #expect(
            Set(try payout.settledEntry(paid: false).postings) == [
                LedgerPosting(.payoutClearing, .fen, -188), LedgerPosting(.consumerWallet("abc"), .fen, 188),
            ])
        #expect(handOff.key != payout.settledKey)
    }
}
