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

/// Consumers sign in with WeChat on the scan page (against a local stand-in that behaves as
/// WeChat documents): cash is paid only to the openid WeChat confirmed, a prize won on the
/// phone before sign-in is claimed once by who signs in there, and forged, replayed, expired
/// or failed sign-ins get a clear 4xx (or 503 when WeChat cannot answer) and change nothing.
@Suite("Consumer sign-in")
struct ConsumerSignInTests {
    static let app = WeChatApp(appID: "wx1234567890abcdef", secret: "s3cr3t0123456789abcdef0123456789")

    /// A fake WeChat, an application whose consumers sign in through it, a received batch and a
    /// campaign where every scan wins ¥1.88 in cash; the brand's app set through the API.
    static func world(
        _ backend: APIBackend, fake: FakeWeChatAuth = FakeWeChatAuth(apps: [app]), apiBase: String? = nil,
        _ body: @Sendable @escaping (TestApp, TestWorld, FakeWeChatAuth, CodeBatch, CodeSigner) async throws -> Void
    ) async throws {
        try await fake.serve { base in
            try await TestApp.with(
                backend,
                configure: {
                    $0.consumers.weChatAuthorizeBase = base
                    $0.consumers.weChatAPIBase = apiBase ?? base
                }
            ) { app in
                let world = try await TestWorld.build(app)
                let made = Mutex<(CodeBatch, CodeSigner)?>(nil)
                try await app.test { client in
                    let received = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "WX", quantity: 20)
                    made.withLock { $0 = received }
                    _ = try await CampaignDrawTests.campaign(
                        client, app, world, tiers: #"[{"name":"红包","kind":"cash","amountFen":188,"probability":1}]"#, budgetFen: 1_000_000)
                    let set = try await client.call(
                        .put, "/api/v1/consumer-sign-in/wechat", token: world.adminToken,
                        json: #"{"appID":"\#(Self.app.appID)","secret":"\#(Self.app.secret)"}"#)
                    #expect(set.status == .ok && set.json["configured"] as? Bool == true, "\(set.text)")
                    #expect(!set.text.contains(Self.app.secret))
                }
                let (batch, signer) = try #require(made.withLock { $0 })
                try await body(app, world, fake, batch, signer)
            }
        }
    }

    /// The `name=value` of a response's cookie.
    static func cookie(_ response: TestResponse, _ name: String) -> String? {
        for value in response.headers[values: .setCookie] where value.hasPrefix(name + "=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    /// A query value of a URL.
    static func parameter(_ url: String, _ name: String) -> String? {
        URLComponents(string: url.split(separator: "#").first.map(String.init) ?? url)?.queryItems?.first { $0.name == name }?.value
    }

    /// Starts a sign-in from the unit's page on `device`: the state WeChat will send back and the attempt cookie.
    static func start(_ client: some TestClientProtocol, code: String, device: String) async throws -> (state: String, attempt: String) {
        let started = try await client.call(.get, "/c/\(code)/wechat?device=\(device)", token: nil)
        #expect(started.status == .found, "\(started.text)")
        let location = try #require(started.headers[.location])
        #expect(location.contains(WeChatWebAuth.authorizePath) && location.contains("appid=\(app.appID)") && location.hasSuffix("#wechat_redirect"))
        #expect(location.contains("redirect_uri=https%3A%2F%2Ffc.example.cn%2Fconsumer%2Fwechat%2Fcallback"))
        return (try #require(parameter(location, "state")), try #require(cookie(started, ConsumerPages.attemptCookie)))
    }

    static func callback(_ client: some TestClientProtocol, code: String, state: String, attempt: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let attempt { headers[.cookie] = "\(ConsumerPages.attemptCookie)=\(attempt)" }
        return try await client.call(.get, "/consumer/wechat/callback?code=\(code)&state=\(state)", token: nil, headers: headers)
    }

    static func payouts(_ app: TestApp, _ tenantID: Int64) async throws -> [(wallet: String, status: String, amount: Int64)] {
        try await app.storage.database.read("SELECT wallet, status, amount_fen FROM payouts WHERE tenant_id = \(tenantID) ORDER BY id").map {
            (try $0.string("wallet"), try $0.string("status"), try $0.int("amount_fen"))
        }
    }

    @Test(arguments: APIBackend.all)
    func signingInClaimsThePrizeWonBeforeAndPaysOnlyTheVerifiedOpenid(_ backend: APIBackend) async throws {
        try await Self.world(backend) { app, world, fake, batch, signer in
            let tenantID = world.tenantA.id
            try await app.test { client in
                // A scan that only claims an openid wins, but nothing is paid to it: the prize waits on the phone.
                let first = signer.text(for: batch.unitCode(0))
                let asserted = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(first)","deviceID":"phone-1","openid":"o-asserted"}"#)
                #expect(CampaignDrawTests.outcome(asserted.text) == "won" && asserted.json["signedIn"] as? Bool == false, "\(asserted.text)")
                #expect(try await Self.payouts(app, tenantID).isEmpty)
                // The page offers WeChat sign-in.
                let page = try await client.call(.get, "/c/\(first)", token: nil)
                #expect(page.text.contains(#"data-sign-in-url="/c/\#(first)/wechat""#))

                // Sign in on that phone: WeChat sends the consumer back with a code; the phone's prize is theirs.
                let (state, attempt) = try await Self.start(client, code: first, device: "phone-1")
                let code = fake.issueCode(user: "alice", appID: Self.app.appID)
                let back = try await Self.callback(client, code: code, state: state, attempt: attempt)
                #expect(back.status == .seeOther, "\(back.text)")
                #expect(back.headers[.location]?.hasPrefix("/me?claimed=1&code=") == true)
                let session = try #require(Self.cookie(back, ConsumerPages.sessionCookie))
                let openid = fake.openid(user: "alice", appID: Self.app.appID)
                let paid = try await Self.payouts(app, tenantID)
                #expect(paid.count == 1 && paid.first?.status == "queued" && paid.first?.amount == 188)
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
                // The payout goes to the openid WeChat confirmed, sealed; the page shows it.
                let me = try await client.call(.get, "/me", token: nil, headers: [.cookie: "\(ConsumerPages.sessionCookie)=\(session)"])
                #expect(me.status == .ok && me.text.contains("¥1.88") && me.text.contains(#"data-status="queued""#), "\(me.text)")
                #expect(!me.text.contains(openid) && me.text.contains(String(openid.prefix(4)) + "…"))
                let signedIn: HTTPFields = [.cookie: "\(ConsumerPages.sessionCookie)=\(session)", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]

                // Signed in, a win is paid at once, to the same wallet.
                let second = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(signer.text(for: batch.unitCode(1)))","deviceID":"phone-1"}"#,
                    headers: signedIn)
                #expect(second.json["signedIn"] as? Bool == true, "\(second.text)")
                let both = try await Self.payouts(app, tenantID)
                #expect(both.count == 2 && Set(both.map(\.wallet)).count == 1)
                let page2 = try await client.call(.get, "/c/\(first)", token: nil, headers: signedIn)
                #expect(page2.text.contains("data-me-url=") && !page2.text.contains("data-sign-in-url"))

                // The same code again: WeChat says it was used; nothing more is claimed.
                let replay = try await Self.callback(client, code: code, state: state, attempt: attempt)
                #expect(replay.status == .badRequest && replay.text.contains(#"data-error="authorization_code_used""#), "\(replay.text)")
                // The same phone signing in again (another person) finds nothing left to claim.
                let (state2, attempt2) = try await Self.start(client, code: first, device: "phone-1")
                let bob = try await Self.callback(
                    client, code: fake.issueCode(user: "bob", appID: Self.app.appID), state: state2, attempt: attempt2)
                #expect(bob.headers[.location]?.hasPrefix("/me?claimed=0") == true)
                #expect(try await Self.payouts(app, tenantID).count == 2)

                // A session cookie sent from another site may not scan; a tampered one signs nobody in.
                var crossSite = signedIn
                crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
                let refused = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(signer.text(for: batch.unitCode(2)))","deviceID":"phone-1"}"#,
                    headers: crossSite)
                #expect(refused.status == .forbidden && refused.errorCode == "cross_site_request")
                let tampered: HTTPFields = [
                    .cookie: "\(ConsumerPages.sessionCookie)=\(tenantID).AAAA\(session.suffix(20))", HTTPField.Name("Sec-Fetch-Site")!: "same-origin",
                ]
                let anonymous = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(signer.text(for: batch.unitCode(3)))","deviceID":"phone-2"}"#,
                    headers: tampered)
                #expect(anonymous.status == .ok && anonymous.json["signedIn"] as? Bool == false)
                // A session of another brand pays nothing here.
                let foreign = try app.consumerHeaders("openid:" + openid, tenantID: world.tenantB.id)
                let elsewhere = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(signer.text(for: batch.unitCode(4)))","deviceID":"phone-3"}"#,
                    headers: foreign)
                #expect(elsewhere.json["signedIn"] as? Bool == false)
                #expect(try await Self.payouts(app, tenantID).count == 2)
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func pointsWonBeforeSignInAreClaimedToo(_ backend: APIBackend) async throws {
        try await Self.world(backend) { app, world, fake, batch, signer in
            try await app.test { client in
                // A newer campaign gives 30 points a scan; the phone wins twice before anyone signs in.
                _ = try await CampaignDrawTests.campaign(
                    client, app, world, tiers: #"[{"name":"积分","kind":"points","points":30,"probability":1}]"#, budgetFen: 0)
                for index in 0..<2 {
                    let won = try await client.call(
                        .post, "/api/v1/scans", token: nil,
                        json: #"{"code":"\#(signer.text(for: batch.unitCode(index)))","deviceID":"phone-p"}"#)
                    #expect((won.json["prize"] as? [String: Any])?["points"] as? Int == 30, "\(won.text)")
                }
                let unit = signer.text(for: batch.unitCode(0))
                let (state, attempt) = try await Self.start(client, code: unit, device: "phone-p")
                let back = try await Self.callback(client, code: fake.issueCode(user: "frank", appID: Self.app.appID), state: state, attempt: attempt)
                #expect(back.headers[.location]?.hasPrefix("/me?claimed=2") == true, "\(back.text)")
                let session = try #require(Self.cookie(back, ConsumerPages.sessionCookie))
                let me = try await client.call(.get, "/me", token: nil, headers: [.cookie: "\(ConsumerPages.sessionCookie)=\(session)"])
                #expect(me.text.contains(#"<strong id="points">60</strong>"#), "\(me.text)")
                // Points are not paid out; the ledger holds them in the consumer's wallet.
                #expect(try await Self.payouts(app, world.tenantA.id).isEmpty)
                #expect(try await app.storage.ledger.check(tenantID: world.tenantA.id).isBalanced)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func forgedExpiredAndFailedSignInsAreRefused(_ backend: APIBackend) async throws {
        try await Self.world(backend) { app, world, fake, batch, signer in
            try await app.test { client in
                let unit = signer.text(for: batch.unitCode(0))
                _ = try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(unit)","deviceID":"phone-9"}"#)
                let (state, attempt) = try await Self.start(client, code: unit, device: "phone-9")
                func expect(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: String) {
                    #expect(response.status == status && response.text.contains(#"data-error="\#(code)""#), "\(code): \(response.text)")
                    #expect(Self.cookie(response, ConsumerPages.sessionCookie) == nil)
                }
                // No attempt cookie (a link made elsewhere), or another state: not this browser's sign-in.
                expect(
                    try await Self.callback(client, code: fake.issueCode(user: "eve", appID: Self.app.appID), state: state, attempt: nil),
                    .badRequest, "sign_in_state_invalid")
                expect(
                    try await Self.callback(client, code: fake.issueCode(user: "eve", appID: Self.app.appID), state: "forged", attempt: attempt),
                    .badRequest, "sign_in_state_invalid")
                expect(try await Self.callback(client, code: "a", state: state, attempt: "garbage"), .badRequest, "sign_in_state_invalid")
                // A code WeChat never gave, and one that expired (five minutes).
                expect(
                    try await Self.callback(client, code: "made-up-code", state: state, attempt: attempt), .badRequest, "authorization_code_invalid")
                let late = fake.issueCode(user: "carol", appID: Self.app.appID)
                fake.advanceClock(millis: 301_000)
                expect(try await Self.callback(client, code: late, state: state, attempt: attempt), .badRequest, "authorization_code_invalid")
                // WeChat failing: a 500, then a body that is not its JSON.
                fake.fail([.serverError, .garbage])
                let code = fake.issueCode(user: "carol", appID: Self.app.appID)
                expect(try await Self.callback(client, code: code, state: state, attempt: attempt), .serviceUnavailable, "sign_in_unavailable")
                expect(try await Self.callback(client, code: code, state: state, attempt: attempt), .serviceUnavailable, "sign_in_unavailable")
                // Nothing was claimed by any of it; the code still works once WeChat answers.
                #expect(try await Self.payouts(app, world.tenantA.id).isEmpty)
                let good = try await Self.callback(client, code: code, state: state, attempt: attempt)
                #expect(good.status == .seeOther && good.headers[.location]?.hasPrefix("/me?claimed=1") == true, "\(good.text)")

                // A wrong secret is the brand's mistake: WeChat refuses (40125) and consumers are told it is unavailable.
                _ = try await client.call(
                    .put, "/api/v1/consumer-sign-in/wechat", token: world.adminToken, json: #"{"appID":"\#(Self.app.appID)","secret":"wrong"}"#)
                let (state2, attempt2) = try await Self.start(client, code: unit, device: "phone-9")
                expect(
                    try await Self.callback(client, code: fake.issueCode(user: "dan", appID: Self.app.appID), state: state2, attempt: attempt2),
                    .serviceUnavailable, "sign_in_misconfigured")
                // Hostile settings are refused whole.
                for body in [#"{"appID":"wx<script>","secret":"x"}"#, #"{"appID":"wx1","secret":""}"#, #"{"appID":"wx1"}"#, "[]"] {
                    let bad = try await client.call(.put, "/api/v1/consumer-sign-in/wechat", token: world.adminToken, json: body)
                    #expect(bad.status.code >= 400 && bad.status.code < 500, "\(body): \(bad.text)")
                }
                let salesperson = try #require(world.actors.first { $0.role == .salesperson })
                #expect(try await client.call(.get, "/api/v1/consumer-sign-in/wechat", token: salesperson.token).status == .forbidden)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func whenWeChatCannotBeReachedTheConsumerIsToldSo(_ backend: APIBackend) async throws {
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        try await Self.world(backend, apiBase: "http://127.0.0.1:9") { app, _, fake, batch, signer in
            try await app.test { client in
                let unit = signer.text(for: batch.unitCode(0))
                let (state, attempt) = try await Self.start(client, code: unit, device: "phone-1")
                let answer = try await Self.callback(
                    client, code: fake.issueCode(user: "alice", appID: Self.app.appID), state: state, attempt: attempt)
                #expect(answer.status == .serviceUnavailable && answer.text.contains(#"data-error="sign_in_unavailable""#))
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func aPhonesPrizesAreClaimedOnceWithinTheWindow(_ backend: APIBackend) async throws {
        try await Self.world(backend) { app, world, _, batch, signer in
            let tenantID = world.tenantA.id
            try await app.test { client in
                for index in 0..<3 {
                    _ = try await client.call(
                        .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(signer.text(for: batch.unitCode(index)))","deviceID":"shared-phone"}"#
                    )
                }
            }
            let consumers = app.services.consumers
            let now = currentMillis()
            let window = app.services.configuration.consumers.claimWindowSeconds * 1_000
            let session = ConsumerSession(
                tenantID: tenantID, subject: "openid:o-claimer", appID: Self.app.appID, unionid: nil, expiresAt: now + 60_000)
            // After the window nothing is left to claim.
            #expect(try await consumers.claimPrizes(of: "shared-phone", for: session, now: now + window + 60_000) == 0)
            // Ten sign-ins at once on that phone: the three prizes are claimed once in all.
            let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 { group.addTask { try await consumers.claimPrizes(of: "shared-phone", for: session, now: now) } }
                return try await group.reduce(0, +)
            }
            #expect(claimed == 3)
            let paid = try await Self.payouts(app, tenantID)
            #expect(paid.count == 3 && paid.allSatisfy { $0.status == "queued" })
            #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
        }
    }
}
