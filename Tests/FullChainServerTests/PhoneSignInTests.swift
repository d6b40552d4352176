import Foundation
import FullChainApp
import FullChainCore
import FullChainFakes
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import FullChainServer

/// Consumers sign in with a code texted to their phone (through a local stand-in for Tencent
/// Cloud SMS that checks signatures as the provider documents): codes are sent within limits
/// per phone, address and device, a code takes five guesses and a phone ten before it locks,
/// phones and codes are stored only sealed or hashed, and a phone's cash waits until its owner
/// signs in with WeChat.
@Suite("Phone sign-in")
struct PhoneSignInTests {
    static let account = SMSAccount(
        secretID: "AKIDtestFULLCHAIN0001", secretKey: "testSecretKey0123456789abcdef", sdkAppID: "1400000001", signName: "FullChain",
        templateID: "1000001")
    static let phone = "13812345678"
    static let sameSite: HTTPFields = [
        HTTPField.Name("Sec-Fetch-Site")!: "same-origin", .contentType: "application/x-www-form-urlencoded",
    ]

    /// Both stand-ins served, an application using them, a received batch and a campaign where
    /// every scan wins ¥1.88 in cash.
    static func world(
        _ backend: APIBackend, sms: FakeSMSGateway = FakeSMSGateway(account: account), account: SMSAccount = account,
        rules: @Sendable @escaping (inout OneTimeCodeRules) -> Void = { _ in },
        _ body: @Sendable @escaping (TestApp, TestWorld, FakeSMSGateway, FakeWeChatAuth, CodeBatch, CodeSigner) async throws -> Void
    ) async throws {
        let weChat = FakeWeChatAuth(apps: [ConsumerSignInTests.app])
        try await sms.serve { smsBase in
            try await weChat.serve { weChatBase in
                try await TestApp.with(
                    backend,
                    configure: {
                        $0.consumers.weChatAuthorizeBase = weChatBase
                        $0.consumers.weChatAPIBase = weChatBase
                        $0.consumers.sms = SMSSettings(apiBase: smsBase, account: account)
                        rules(&$0.consumers.codes)
                    }
                ) { app in
                    let world = try await TestWorld.build(app)
                    let made = Mutex<(CodeBatch, CodeSigner)?>(nil)
                    try await app.test { client in
                        let received = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "SMS", quantity: 20)
                        made.withLock { $0 = received }
                        _ = try await CampaignDrawTests.campaign(
                            client, app, world, tiers: #"[{"name":"红包","kind":"cash","amountFen":188,"probability":1}]"#, budgetFen: 1_000_000)
                        let set = try await client.call(
                            .put, "/api/v1/consumer-sign-in/wechat", token: world.adminToken,
                            json: #"{"appID":"\#(ConsumerSignInTests.app.appID)","secret":"\#(ConsumerSignInTests.app.secret)"}"#)
                        #expect(set.status == .ok)
                    }
                    let (batch, signer) = try #require(made.withLock { $0 })
                    try await body(app, world, sms, weChat, batch, signer)
                }
            }
        }
    }

    static func send(
        _ client: some TestClientProtocol, code: String, phone: String = phone, device: String = "phone-1", headers: HTTPFields = sameSite
    ) async throws -> TestResponse {
        try await client.call(.post, "/c/\(code)/phone/send", token: nil, body: Array("phone=\(phone)&device=\(device)".utf8), headers: headers)
    }

    static func verify(
        _ client: some TestClientProtocol, code: String, phone: String = phone, otp: String, device: String = "phone-1"
    ) async throws -> TestResponse {
        try await client.call(
            .post, "/c/\(code)/phone/verify", token: nil, body: Array("phone=\(phone)&code=\(otp)&device=\(device)".utf8), headers: sameSite)
    }

    static func error(_ response: TestResponse) -> String? {
        guard let range = response.text.range(of: #"data-error=""#) else { return nil }
        return String(response.text[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test(arguments: APIBackend.all)
    func aTextedCodeSignsInAndThePhonesCashWaitsForWeChat(_ backend: APIBackend) async throws {
        try await Self.world(backend) { app, world, sms, weChat, batch, signer in
            let tenantID = world.tenantA.id
            try await app.test { client in
                let unit = signer.text(for: batch.unitCode(0))
                // The page offers both ways in; the phone's form asks for the number.
                let page = try await client.call(.get, "/c/\(unit)", token: nil)
                #expect(page.text.contains(#"data-phone-sign-in-url="/c/\#(unit)/phone""#) && page.text.contains("data-sign-in-url="))
                let form = try await client.call(.get, "/c/\(unit)/phone?device=phone-1", token: nil)
                #expect(form.status == .ok && form.text.contains(#"name="phone""#) && form.text.contains(#"value="phone-1""#))

                // A win before sign-in waits on the phone.
                _ = try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(unit)","deviceID":"phone-1"}"#)

                // The code is texted, signed as the gateway checks; the page asks for it.
                let sent = try await Self.send(client, code: unit)
                #expect(sent.status == .ok && sent.text.contains("138****5678") && sent.text.contains(#"id="verify""#), "\(sent.text)")
                let otp = try #require(sms.lastCode(to: Self.phone))
                #expect(otp.count == 6 && otp.allSatisfy(\.isNumber))
                #expect(sms.messages(to: Self.phone).first?.text.contains("【FullChain】") == true)
                // Neither the number nor the code is stored in clear.
                let stored =
                    try await app.storage.database.read("SELECT * FROM consumer_phones WHERE tenant_id = \(tenantID)")
                    + app.storage.database.read("SELECT * FROM consumer_phone_codes WHERE tenant_id = \(tenantID)")
                #expect(stored.count == 2)
                for row in stored {
                    #expect(!"\(row)".contains(Self.phone) && !"\(row)".contains(otp), "\(row)")
                }

                // A wrong code: four tries left. The right one signs in and takes the phone's prize into the phone's wallet.
                let wrong = try await Self.verify(client, code: unit, otp: otp == "000000" ? "111111" : "000000")
                #expect(wrong.status == .badRequest && Self.error(wrong) == "code_incorrect" && wrong.text.contains("4"), "\(wrong.text)")
                let good = try await Self.verify(client, code: unit, otp: otp)
                #expect(good.status == .seeOther && good.headers[.location]?.hasPrefix("/me?claimed=1") == true, "\(good.text)")
                let session = try #require(ConsumerSignInTests.cookie(good, ConsumerPages.sessionCookie))
                // The code works once.
                #expect(Self.error(try await Self.verify(client, code: unit, otp: otp)) == "code_expired")

                // Signed in with the phone, a win is the phone's, but no payout: cash goes only to WeChat.
                var signedIn = Self.sameSite
                signedIn[.cookie] = "\(ConsumerPages.sessionCookie)=\(session)"
                let scan = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(signer.text(for: batch.unitCode(1)))","deviceID":"phone-1"}"#,
                    headers: signedIn)
                #expect(scan.json["signedIn"] as? Bool == true && scan.json["cashPaid"] as? Bool == false, "\(scan.text)")
                #expect(try await ConsumerSignInTests.payouts(app, tenantID).isEmpty)
                let me = try await client.call(.get, "/me?code=\(unit)", token: nil, headers: signedIn)
                #expect(me.text.contains("手机用户 138****5678") && me.text.contains(#"id="cash-waiting""#) && me.text.contains("¥3.76"), "\(me.text)")
                #expect(me.text.contains(#"href="/c/\#(unit)/wechat""#))

                // Signing in with WeChat in the same browser pays both prizes to the openid.
                let started = try await client.call(.get, "/c/\(unit)/wechat", token: nil)
                let location = try #require(started.headers[.location])
                let state = try #require(ConsumerSignInTests.parameter(location, "state"))
                let attempt = try #require(ConsumerSignInTests.cookie(started, ConsumerPages.attemptCookie))
                let back = try await client.call(
                    .get, "/consumer/wechat/callback?code=\(weChat.issueCode(user: "alice", appID: ConsumerSignInTests.app.appID))&state=\(state)",
                    token: nil, headers: [.cookie: "\(ConsumerPages.attemptCookie)=\(attempt); \(ConsumerPages.sessionCookie)=\(session)"])
                #expect(back.headers[.location]?.hasPrefix("/me?claimed=2") == true, "\(back.text)")
                let paid = try await ConsumerSignInTests.payouts(app, tenantID)
                #expect(paid.count == 2 && paid.allSatisfy { $0.status == "queued" && $0.amount == 188 })
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func aCodeGuessedAThousandTimesLocksThePhone(_ backend: APIBackend) async throws {
        try await Self.world(backend, rules: { $0.resendMillis = 0 }) { app, world, sms, _, batch, signer in
            try await app.test { client in
                let unit = signer.text(for: batch.unitCode(0))
                #expect(try await Self.send(client, code: unit).status == .ok)
                let otp = try #require(sms.lastCode(to: Self.phone))
                // A thousand guesses, fifty at a time: only five are ever compared.
                let answers = Mutex<[String: Int]>([:])
                for round in 0..<20 {
                    try await withThrowingTaskGroup(of: String.self) { group in
                        for guess in 0..<50 {
                            let number = (round * 50 + guess + 1) % 1_000_000
                            let text = String(format: "%06d", number == Int(otp) ? 999_999 - number : number)
                            group.addTask { Self.error(try await Self.verify(client, code: unit, otp: text)) ?? "none" }
                        }
                        for try await answer in group { answers.withLock { $0[answer, default: 0] += 1 } }
                    }
                }
                let counts = answers.withLock { $0 }
                #expect(counts["code_incorrect"] == 5 && counts["code_locked"] == 995, "\(counts)")
                // The right code no longer works; a new one does not either, after a second burned code.
                #expect(Self.error(try await Self.verify(client, code: unit, otp: otp)) == "code_locked")
                sms.advanceClock(millis: 31_000)
                #expect(try await Self.send(client, code: unit).status == .ok)
                let second = try #require(sms.lastCode(to: Self.phone))
                for _ in 0..<5 {
                    let wrong = try await Self.verify(client, code: unit, otp: second == "123456" ? "654321" : "123456")
                    #expect(Self.error(wrong) == "code_incorrect", "\(wrong.text)")
                }
                let locked = try await Self.verify(client, code: unit, otp: second)
                #expect(locked.status == .tooManyRequests && Self.error(locked) == "phone_locked", "\(locked.text)")
                sms.advanceClock(millis: 31_000)
                let noMore = try await Self.send(client, code: unit)
                #expect(noMore.status == .tooManyRequests && Self.error(noMore) == "phone_locked")
                #expect(sms.messages(to: Self.phone).count == 2)
                #expect(
                    try await app.storage.database.read(
                        "SELECT * FROM consumer_phone_codes WHERE tenant_id = \(world.tenantA.id) AND used_at IS NOT NULL"
                    ).isEmpty)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func codesAreSentWithinTheirLimits(_ backend: APIBackend) async throws {
        try await Self.world(backend) { app, _, sms, _, batch, signer in
            try await app.test { client in
                let unit = signer.text(for: batch.unitCode(0))
                // Twenty requests for one phone at once: one code is texted.
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<20 { group.addTask { try await Self.send(client, code: unit).status } }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .tooManyRequests }.count == 19, "\(statuses)")
                #expect(sms.messages(to: Self.phone).count == 1)
                let again = try await Self.send(client, code: unit)
                #expect(again.status == .tooManyRequests && Self.error(again) == "code_sent_recently")
                // One device asking for codes to many phones: ten, then no more this hour.
                var texted = 0
                for index in 0..<12 {
                    let response = try await Self.send(client, code: unit, phone: "1390000\(String(format: "%04d", index))", device: "farm-1")
                    if response.status == .ok { texted += 1 } else { #expect(Self.error(response) == "send_limit_reached") }
                }
                #expect(texted == 10)
                // Not a mobile number: refused before the gateway is asked.
                let requests = sms.requests
                for bad in ["12345678901", "1381234567", "abc", "%2B4412345678901", String(repeating: "1", count: 40)] {
                    let response = try await Self.send(client, code: unit, phone: bad, device: "phone-x")
                    #expect(response.status == .badRequest && Self.error(response) == "phone_invalid", "\(bad): \(response.text)")
                }
                #expect(sms.requests == requests)
                // A form posted from another site sends nothing.
                var crossSite = Self.sameSite
                crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
                #expect(try await Self.send(client, code: unit, phone: "13700000000", headers: crossSite).status == .forbidden)
                // A code for a unit that is not genuine: no such page.
                #expect(try await Self.send(client, code: "NOTACODE", phone: "13700000000").status == .notFound)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func theGatewayFailingOrRefusingIsToldApart(_ backend: APIBackend) async throws {
        // The deployment's key pair is wrong: the gateway refuses the signature.
        var wrongKey = Self.account
        wrongKey.secretKey = "anotherKey0123456789"
        try await Self.world(
            backend, account: wrongKey,
            rules: {
                $0.resendMillis = 0
                $0.lifetimeMillis = 1
            }
        ) { app, _, sms, _, batch, signer in
            try await app.test { client in
                let unit = signer.text(for: batch.unitCode(0))
                let refused = try await Self.send(client, code: unit)
                #expect(refused.status == .serviceUnavailable && Self.error(refused) == "sign_in_misconfigured", "\(refused.text)")
                #expect(sms.messages(to: Self.phone).isEmpty)
                sms.fail([.serverError, .garbage])
                for _ in 0..<2 {
                    let down = try await Self.send(client, code: unit)
                    #expect(down.status == .serviceUnavailable && Self.error(down) == "sign_in_unavailable", "\(down.text)")
                }
                // No code waiting (none was texted, and codes here last a millisecond): expired.
                try await Task.sleep(for: .milliseconds(5))
                #expect(Self.error(try await Self.verify(client, code: unit, otp: "123456")) == "code_expired")
                #expect(Self.error(try await Self.verify(client, code: unit, otp: "12ab56")) == "code_expired")
            }
        }
    }
}
