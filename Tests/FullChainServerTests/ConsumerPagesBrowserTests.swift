import Foundation
import FullChainApp
import FullChainCore
import FullChainFakes
import FullChainServer
import FullChainStorage
import Testing

/// A consumer's phone in a real browser (headless Chromium, `Tests/Browser/consumer_sign_in.py`
/// and `phone_sign_in.py`): the unit's page wins a red packet and offers WeChat and phone
/// sign-in; the stand-ins for WeChat and SMS agree; "我的" shows the red packet on its way to the
/// consumer's WeChat balance; the consumer downloads their data and deletes the account; points
/// won by a scan buy a coupon in the mall, which the store's staff redeem (`points_mall.py`).
@Suite("Consumer pages in a browser")
struct ConsumerPagesBrowserTests {
    /// A brand whose every scan wins a ¥2.88 red packet, with its WeChat app set: its tenant and a batch's first case, activated.
    static func cashCampaign(_ app: TestApp, lot: String, weChat: WeChatApp) async throws -> (Int64, CodeSigner, CodeBatch) {
        let (world, signer, batch) = try await campaign(
            app, lot: lot, weChat: weChat, tier: PrizeTier(name: "现金红包", kind: .cash, amountFen: 288, ppm: PrizeDraw.rolls))
        return (world.tenantA.id, signer, batch)
    }

    /// A brand whose every scan wins `tier`, with its WeChat app set: its world and a batch's first case, activated.
    static func campaign(_ app: TestApp, lot: String, weChat: WeChatApp, tier: PrizeTier) async throws -> (TestWorld, CodeSigner, CodeBatch) {
        let world = try await TestWorld.build(app)
        let tenantID = world.tenantA.id
        let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first)
        let signer = try await app.services.codeKeys.currentSigner(tenantID: tenantID)
        let batch = try await app.storage.codes.createBatch(
            productID: product.id, lot: lot, quantity: 12, unitsPerCase: 12, keyID: signer.keyID, tenantID: tenantID)
        _ = try await app.storage.codes.recordRangeAction(.activate, cases: 0...0, batchID: batch.id, tenantID: tenantID)
        let now = currentMillis()
        _ = try await app.storage.campaigns.create(
            CampaignDraft(
                name: "开盖有奖", productIDs: [product.id], regionCodes: [], startsAt: now - 60_000, endsAt: now + 86_400_000,
                tiers: [tier], budgetFen: tier.kind == .cash ? 10_000 : 0, storeRewardFen: 0, storeBudgetFen: 0, limits: CampaignLimits()),
            budgetShards: 2, tenantID: tenantID)
        try await app.services.consumers.configureWeChat(appID: weChat.appID, secret: weChat.secret, tenantID: tenantID, at: now)
        return (world, signer, batch)
    }

    @Test func aConsumerSignsInFromTheScanPageAndFindsThePrizeInMine() async throws {
        let weChatApp = WeChatApp(appID: "wxbrowser0000test", secret: RandomToken.alphanumeric(32))
        let fake = FakeWeChatAuth(apps: [weChatApp])
        let port = try TestApp.freeLoopbackPort()
        try await fake.serve { base in
            try await TestApp.with(
                .sqlite,
                configure: {
                    $0.consumers.weChatAuthorizeBase = base
                    $0.consumers.weChatAPIBase = base
                    $0.consumers.publicBaseURL = "http://127.0.0.1:\(port)"
                }
            ) { app in
                let (tenantID, signer, batch) = try await Self.cashCampaign(app, lot: "WXPAGE", weChat: weChatApp)
                try await app.live(port: port) { port in
                    let lines = try await BrowserScript.run(
                        "consumer_sign_in.py", ["http://127.0.0.1:\(port)/c/\(signer.text(for: batch.unitCode(3)))"])
                    let line = try #require(lines.first, "the script printed nothing")
                    #expect(line["prize"]?.contains("¥2.88，用微信登录即可领取到零钱") == true, "\(line)")
                    #expect(line["signIn"] == "微信登录领取", "\(line)")
                    #expect(line["meURL"]?.contains("/me?claimed=1") == true, "\(line)")
                    #expect(
                        line["me"]?.contains("本机此前赢得的 1 个奖品已归入您的账户") == true && line["me"]?.contains("¥2.88 等待发放") == true,
                        "\(line)")
                    #expect(line["me"]?.contains(fake.openid(user: "browser-consumer", appID: weChatApp.appID)) == false)
                    #expect(line["again"]?.contains("已登录") == true && line["again"]?.contains("我的奖品") == true, "\(line)")
                    #expect(line["signedOut"]?.contains("您还没有登录") == true, "\(line)")
                }
                let payouts = try await app.storage.payouts.summary(tenantID: tenantID)
                #expect(payouts[.queued] == PayoutTally(count: 1, amountFen: 288))
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
            }
        }
    }

    @Test func aConsumerSignsInWithTheirPhoneAndReceivesTheCashWithWeChat() async throws {
        let weChatApp = WeChatApp(appID: "wxbrowser0000test", secret: RandomToken.alphanumeric(32))
        let weChat = FakeWeChatAuth(apps: [weChatApp])
        let sms = FakeSMSGateway(account: PhoneSignInTests.account)
        let port = try TestApp.freeLoopbackPort()
        try await sms.serve { smsBase in
            try await weChat.serve { base in
                try await TestApp.with(
                    .sqlite,
                    configure: {
                        $0.consumers.weChatAuthorizeBase = base
                        $0.consumers.weChatAPIBase = base
                        $0.consumers.publicBaseURL = "http://127.0.0.1:\(port)"
                        $0.consumers.sms = SMSSettings(apiBase: smsBase, account: PhoneSignInTests.account)
                    }
                ) { app in
                    let (tenantID, signer, batch) = try await Self.cashCampaign(app, lot: "SMSPAGE", weChat: weChatApp)
                    try await app.live(port: port) { port in
                        let lines = try await BrowserScript.run(
                            "phone_sign_in.py",
                            ["http://127.0.0.1:\(port)/c/\(signer.text(for: batch.unitCode(5)))", smsBase + "/inbox", "13912345678"])
                        let line = try #require(lines.first, "the script printed nothing")
                        #expect(line["phoneLink"] == "手机号登录", "\(line)")
                        #expect(line["sent"]?.contains("139****5678") == true, "\(line)")
                        #expect(line["message"]?.contains("【FullChain】您的登录验证码为") == true, "\(line)")
                        #expect(line["me"]?.contains("手机用户 139****5678") == true && line["me"]?.contains("¥2.88 待领取") == true, "\(line)")
                        #expect(line["claimed"]?.contains("1 个奖品已归入您的账户") == true && line["claimed"]?.contains("¥2.88 等待发放") == true, "\(line)")
                        #expect(line["claimed"]?.contains("待领取") == false, "\(line)")
                        // The download names the consumer's WeChat identity and the red packet; then the account is gone.
                        let exported = try #require(line["exported"]?.data(using: .utf8))
                        let data = try #require(try JSONSerialization.jsonObject(with: exported) as? [String: Any], "\(line)")
                        #expect((data["identity"] as? [String: Any])?["kind"] as? String == "openid" && (data["payouts"] as? [Any])?.count == 1)
                        #expect(line["deleted"]?.contains("账户已删除") == true && line["after"]?.contains("您还没有登录") == true, "\(line)")
                    }
                    // The red packet was still waiting to be sent when the account went: cancelled, back to the budget.
                    let payouts = try await app.storage.payouts.summary(tenantID: tenantID)
                    #expect(payouts[.queued] == nil && payouts[.rejected] == PayoutTally(count: 1, amountFen: 288))
                    #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
                }
            }
        }
    }

    @Test func pointsWonByAScanBuyACouponThatTheStoreRedeems() async throws {
        let weChatApp = WeChatApp(appID: "wxbrowser0000mall", secret: RandomToken.alphanumeric(32))
        let fake = FakeWeChatAuth(apps: [weChatApp])
        let port = try TestApp.freeLoopbackPort()
        try await fake.serve { base in
            try await TestApp.with(
                .sqlite,
                configure: {
                    $0.consumers.weChatAuthorizeBase = base
                    $0.consumers.weChatAPIBase = base
                    $0.consumers.publicBaseURL = "http://127.0.0.1:\(port)"
                }
            ) { app in
                let (world, signer, batch) = try await Self.campaign(
                    app, lot: "MALLPAGE", weChat: weChatApp, tier: PrizeTier(name: "200 积分", kind: .points, points: 200, ppm: PrizeDraw.rolls))
                let tenantID = world.tenantA.id
                let now = currentMillis()
                _ = try await app.storage.mall.create(
                    MallItemDraft(
                        name: "满20减5元券", kind: .coupon, pricePoints: 150, faceValueFen: 500, stock: 10, perPersonLimit: 1,
                        availableFrom: now - 60_000, availableUntil: now + 86_400_000, validDays: 7), at: now, tenantID: tenantID)
                try await app.live(port: port) { port in
                    let lines = try await BrowserScript.run(
                        "points_mall.py",
                        [
                            "http://127.0.0.1:\(port)/c/\(signer.text(for: batch.unitCode(2)))", "http://127.0.0.1:\(port)", world.tenantA.code,
                            "secret-123", fake.openid(user: "mall-consumer", appID: weChatApp.appID),
                        ])
                    let line = try #require(lines.first, "the script printed nothing")
                    #expect(
                        line["points"] == "200" && line["mall"]?.contains("满20减5元券") == true && line["mall"]?.contains("150 积分") == true, "\(line)")
                    #expect(line["taken"]?.contains("兑换成功") == true && line["pointsAfter"] == "50", "\(line)")
                    let code = try #require(line["code"])
                    #expect(line["coupon"]?.contains(CouponCode.grouped(code)) == true && line["qr"] == "1", "\(line)")
                    #expect(line["prefilled"] == code && line["ready"]?.contains("面值 ¥5.00") == true, "\(line)")
                    #expect(line["redeemed"]?.contains("已核销：满20减5元券") == true && line["againError"] == "already_redeemed", "\(line)")
                    // HQ found the consumer (masked, proven by WeChat) and sees the points claimed, the coupon taken and redeemed.
                    #expect(line["found"]?.contains("已验证") == true && line["identities"]?.contains("微信 openid") == true, "\(line)")
                    #expect(line["figures"]?.contains("200") == true, "\(line)")
                    #expect(
                        line["timeline"]?.contains("获得积分 200") == true && line["timeline"]?.contains("兑换券 · 满20减5元券") == true
                            && line["timeline"]?.contains("到店核销 · 满20减5元券") == true, "\(line)")
                    #expect(line["found"]?.contains(fake.openid(user: "mall-consumer", appID: weChatApp.appID)) == false)
                    // HQ's tags: the rule tag went on the consumer who spent points as it was defined; the manual one from the profile page.
                    #expect(line["tags"]?.contains("积分商城累计消费至少 100 积分 admin 1") == true && line["tags"]?.contains("手工标签") == true, "\(line)")
                    #expect(line["ruleTags"]?.contains("兑换过") == true && line["tagged"]?.contains("重点会员") == true, "\(line)")
                    #expect(line["byTag"] == "1", "\(line)")
                    // The segment editor's live count followed each change; the saved segment lists the consumer.
                    #expect(line["liveTagged"] == "当前人数：1" && line["liveNarrowed"] == "当前人数：0", "\(line)")
                    #expect(line["tagFieldShownForCoupons"] == "False", "\(line)")
                    #expect(line["segmentRule"] == "带标签「兑换过」" && line["segmentCount"] == "当前人数：1" && line["segmentMembers"] == "1", "\(line)")
                    // The lifecycle page shows every stage of the funnel with its count, and the cohort table; the KOC page opens.
                    // (This consumer's scan came before they signed in, so it is their phone's, not theirs: they are not acquired.)
                    let funnel = (line["funnel"] ?? "").split(separator: ",").map { $0.split(separator: "=") }
                    #expect(funnel.map { String($0[0]) } == LifecycleStage.allCases.map(\.rawValue), "\(line)")
                    #expect(funnel.allSatisfy { $0.count == 2 && Int($0[1]) != nil } && line["cohortRows"].flatMap { Int($0) } != nil, "\(line)")
                    #expect(line["kocsTitle"] == "关键意见消费者", "\(line)")
                }
                let rows = try await app.storage.database.read(
                    "SELECT store_id FROM coupons WHERE tenant_id = \(tenantID) AND redeemed_at IS NOT NULL")
                #expect(rows.count == 1 && rows.first?.optionalInt("store_id") == world.storeST1)
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
            }
        }
    }
}
