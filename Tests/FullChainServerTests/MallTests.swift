import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FullChainServer

/// The points mall: HQ lists items, consumers take them with points won by scanning (each
/// coupon with its own code and QR on "我的"), store staff redeem a coupon once, and the store
/// is owed its face value on its settlement statement — the ledger balanced throughout.
@Suite("Points mall")
struct MallTests {
    static let hundredPoints = #"[{"name":"积分","kind":"points","points":100,"probability":1}]"#

    /// A received batch, a campaign where every scan wins 100 points, and the brand's world.
    static func world(
        _ app: TestApp, _ client: some TestClientProtocol, units: Int
    ) async throws -> (TestWorld, [String]) {
        let world = try await TestWorld.build(app)
        let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "MALL", quantity: units)
        _ = try await CampaignDrawTests.campaign(client, app, world, tiers: hundredPoints, budgetFen: 0)
        return (world, (0..<units).map { signer.text(for: batch.unitCode($0)) })
    }

    /// The consumer signed in as `subject` scans `code` and wins 100 points.
    static func scan(_ client: some TestClientProtocol, _ app: TestApp, _ code: String, as subject: String, tenantID: Int64) async throws {
        let scanned = try await client.call(
            .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code)","deviceID":"d-\#(subject.suffix(8))"}"#,
            headers: try app.consumerHeaders(subject, tenantID: tenantID))
        #expect(scanned.status == .ok && scanned.text.contains(#""points":100"#), "\(scanned.text)")
    }

    static func item(_ client: some TestClientProtocol, _ world: TestWorld, stock: Int, price: Int = 150, perPerson: Int = 1) async throws -> Int64 {
        let now = currentMillis()
        let created = try await client.call(
            .post, "/api/v1/mall/items", token: world.adminToken,
            json: """
                {"name":"满20减5元券","kind":"coupon","pricePoints":\(price),"faceValueFen":500,"stock":\(stock),"perPersonLimit":\(perPerson),
                 "availableFrom":\(now - 60_000),"availableUntil":\(now + 86_400_000),"validDays":7}
                """)
        #expect(created.status == .created, "\(created.text)")
        return Int64(try #require(created.json["id"] as? Int))
    }

    static func take(_ client: some TestClientProtocol, _ app: TestApp, item: Int64, as subject: String, tenantID: Int64) async throws -> TestResponse
    {
        try await client.call(.post, "/mall/\(item)/take", token: nil, headers: try app.consumerHeaders(subject, tenantID: tenantID))
    }

    @Test(arguments: APIBackend.all)
    func pointsBuyACouponThatOneStoreRedeemsOnce(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await Self.world(app, client, units: 4)
                let tenantID = world.tenantA.id
                let store = try #require(world.actors.first { $0.role == .store })

                // Only HQ lists items, and only sound ones.
                let bad = try await client.call(
                    .post, "/api/v1/mall/items", token: world.adminToken,
                    json: #"{"name":"","kind":"points","pricePoints":0,"stock":-1,"availableFrom":10,"availableUntil":5}"#)
                #expect(bad.status == .unprocessableContent && bad.errorCode == "validation_failed", "\(bad.text)")
                for field in ["name", "kind", "pricePoints", "stock", "availableUntil"] {
                    #expect(bad.text.contains(#""field":"\#(field)""#), "\(field)")
                }
                let byStore = try await client.call(
                    .post, "/api/v1/mall/items", token: store.token,
                    json: #"{"name":"x","kind":"gift","pricePoints":1,"stock":1,"availableFrom":0,"availableUntil":5}"#)
                #expect(byStore.status == .forbidden)
                let item = try await Self.item(client, world, stock: 5)

                // 100 points do not buy a 150-point coupon: nothing is taken.
                try await Self.scan(client, app, codes[0], as: "openid:o-mall", tenantID: tenantID)
                let short = try await Self.take(client, app, item: item, as: "openid:o-mall", tenantID: tenantID)
                #expect(short.status == .conflict && short.text.contains(#"data-error="not_enough_points""#), "\(short.text)")
                #expect(try await app.storage.mall.item(id: item, tenantID: tenantID)?.stockLeft == 5)

                // 200 do; the second try is over the per-person limit.
                try await Self.scan(client, app, codes[1], as: "openid:o-mall", tenantID: tenantID)
                let taken = try await Self.take(client, app, item: item, as: "openid:o-mall", tenantID: tenantID)
                #expect(taken.status == .seeOther || taken.status == .found, "\(taken.status) \(taken.text)")
                #expect(taken.headers[.location]?.hasPrefix("/me?taken=") == true)
                let again = try await Self.take(client, app, item: item, as: "openid:o-mall", tenantID: tenantID)
                #expect(again.status == .conflict && again.text.contains(#"data-error="limit_reached""#), "\(again.text)")
                #expect(try await app.storage.mall.item(id: item, tenantID: tenantID)?.stockLeft == 4)
                // Taking needs a form from this site.
                var crossSite = try app.consumerHeaders("openid:o-mall", tenantID: tenantID)
                crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
                #expect(try await client.call(.post, "/mall/\(item)/take", token: nil, headers: crossSite).status == .forbidden)
                #expect(try await Self.take(client, app, item: 999_999, as: "openid:o-mall", tenantID: tenantID).status == .conflict)

                // "我的": 50 points left, the coupon with its code and QR, the points history.
                let me = try await client.call(
                    .get, try #require(taken.headers[.location]), token: nil, headers: try app.consumerHeaders("openid:o-mall", tenantID: tenantID))
                #expect(me.text.contains(#"id="points">50<"#) && me.text.contains(#"id="taken""#), "\(me.text)")
                let code = try #require(me.text.firstMatch(of: /data-code="([0-9A-Z]{12})" data-status="valid"/)?.1).description
                #expect(me.text.contains("<svg") && me.text.contains("-150") && me.text.contains("+100"), "\(me.text)")
                // The consumer's download lists it.
                let export = try await client.call(
                    .get, "/me/export", token: nil, headers: try app.consumerHeaders("openid:o-mall", tenantID: tenantID))
                #expect((export.json["coupons"] as? [[String: Any]])?.first?["code"] as? String == code, "\(export.text)")
                // Nobody else's: another consumer sees no coupon.
                let other = try await client.call(.get, "/me", token: nil, headers: try app.consumerHeaders("openid:o-other", tenantID: tenantID))
                #expect(!other.text.contains(code))

                // Two stores at once: exactly one redeems it.
                let outside = try #require(world.outsideA["stores"])
                async let first = client.call(.post, "/api/v1/coupons/redemptions", token: store.token, json: #"{"code":"\#(code)"}"#)
                async let second = client.call(
                    .post, "/api/v1/coupons/redemptions", token: world.adminToken, json: #"{"code":"\#(code.lowercased())","storeID":\#(outside)}"#)
                let answers = try await [first, second]
                #expect(answers.map(\.status.code).sorted() == [201, 409], "\(answers.map(\.text))")
                #expect(answers.contains { $0.errorCode == "already_redeemed" })
                let winner: Int64 = answers[0].status == .created ? world.storeST1 : outside
                let redeemed = try #require(try await app.storage.mall.coupon(code: code, tenantID: tenantID))
                #expect(redeemed.storeID == winner && redeemed.redeemedAt != nil)
                let third = try await client.call(
                    .post, "/api/v1/coupons/redemptions", token: world.adminToken, json: #"{"code":"\#(code)","storeID":\#(world.storeST1)}"#)
                #expect(third.status == .conflict && third.errorCode == "already_redeemed")

                // Made-up codes, another brand, and a store outside the caller's reach find nothing.
                let madeUp = try await client.call(.post, "/api/v1/coupons/redemptions", token: store.token, json: #"{"code":"0000-0000-0000"}"#)
                #expect(madeUp.status == .notFound && madeUp.errorCode == "coupon_not_found")
                let garbage = try await client.call(.post, "/api/v1/coupons/redemptions", token: store.token, json: #"{"code":"<script>"}"#)
                #expect(garbage.status == .notFound && garbage.errorCode == "coupon_not_found")
                let foreign = try await app.token(tenantID: world.tenantB.id, userID: try #require(world.foreignB["users"]))
                let fromB = try await client.call(
                    .post, "/api/v1/coupons/redemptions", token: foreign,
                    json: #"{"code":"\#(code)","storeID":\#(try #require(world.foreignB["stores"]))}"#)
                #expect(fromB.status == .notFound)
                let elsewhere = try await client.call(
                    .post, "/api/v1/coupons/redemptions", token: store.token, json: #"{"code":"\#(code)","storeID":\#(outside)}"#)
                #expect(elsewhere.status == .notFound)

                // The store that redeemed it is owed ¥5 on its statement; the ledger balances and nothing is left outstanding.
                let today = BusinessDay.day(ofMillis: currentMillis())
                let lines = try await app.storage.settlements.stores(from: today - 1, to: today + 1, scope: .wholeTenant(tenantID))
                let line = try #require(lines.first { $0.storeID == winner })
                #expect(line.couponsRedeemed == 1 && line.couponsFen == 500 && line.dueFen >= 500, "\(line)")
                let check = try await app.storage.ledger.check(tenantID: tenantID)
                #expect(check.isBalanced, "\(check)")
                let outstanding = try await app.storage.database.read(
                    "SELECT balance FROM ledger_accounts WHERE tenant_id = \(tenantID) AND code = 'mall:coupons' AND asset = 'fen'")
                #expect(outstanding.first?.optionalInt("balance") == 0)

                // A coupon past its validity is refused.
                try await Self.scan(client, app, codes[2], as: "openid:o-late", tenantID: tenantID)
                try await Self.scan(client, app, codes[3], as: "openid:o-late", tenantID: tenantID)
                let late = try await Self.take(client, app, item: item, as: "openid:o-late", tenantID: tenantID)
                #expect(late.status == .seeOther || late.status == .found)
                let lateCoupon = try #require(
                    try await app.services.consumers.coupons(
                        of: ConsumerSession(
                            tenantID: tenantID, subject: "openid:o-late", appID: nil, unionid: nil, expiresAt: currentMillis() + 60_000)
                    ).first)
                let expired = try await app.storage.mall.redeem(
                    code: lateCoupon.code, storeID: world.storeST1, at: lateCoupon.expiresAt + 1, tenantID: tenantID)
                guard case .expired = expired else {
                    Issue.record("\(String(describing: expired))")
                    return
                }
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func theLastItemGoesToExactlyOneOfFiftyAcrossTwoNodes(_ backend: APIBackend) async throws {
        try await TestApp.with(backend, configure: { $0.rateLimits.scansPerDevice = RateLimit(perMinute: 600) }) { app in
            try await app.test { client in
                let (world, codes) = try await Self.world(app, client, units: 50)
                let tenantID = world.tenantA.id
                for (index, code) in codes.enumerated() { try await Self.scan(client, app, code, as: "openid:o-fifty-\(index)", tenantID: tenantID) }
                let item = try await Self.item(client, world, stock: 1, price: 100)
                try await app.secondNode { node in
                    try await node.test { second in
                        let statuses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                            for index in 0..<50 {
                                let on: any TestClientProtocol = index % 2 == 0 ? client : second
                                group.addTask {
                                    try await Self.take(on, app, item: item, as: "openid:o-fifty-\(index)", tenantID: tenantID)
                                }
                            }
                            var answers: [TestResponse] = []
                            for try await answer in group { answers.append(answer) }
                            return answers
                        }
                        let won = statuses.filter { $0.status == .seeOther || $0.status == .found }
                        #expect(won.count == 1, "\(statuses.map(\.status))")
                        #expect(statuses.filter { $0.text.contains(#"data-error="out_of_stock""#) }.count == 49)
                    }
                }
                let coupons = try await app.storage.database.read("SELECT COUNT(*) AS n FROM coupons WHERE tenant_id = \(tenantID)")
                #expect(coupons.first?.optionalInt("n") == 1)
                #expect(try await app.storage.mall.item(id: item, tenantID: tenantID)?.stockLeft == 0)
                let spent = try await app.storage.database.read(
                    "SELECT balance FROM ledger_accounts WHERE tenant_id = \(tenantID) AND code = 'mall:points' AND asset = 'points'")
                #expect(spent.first?.optionalInt("balance") == 100)
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func cashGoesOnlyToAWeChatBalanceAndBackToTheBrandWhenCancelled(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test { client in
                let (world, codes) = try await Self.world(app, client, units: 2)
                let tenantID = world.tenantA.id
                let now = currentMillis()
                let cheap = try await client.call(
                    .post, "/api/v1/mall/items", token: world.adminToken,
                    json:
                        #"{"name":"红包","kind":"cash","pricePoints":100,"faceValueFen":50,"stock":5,"availableFrom":0,"availableUntil":\#(now + 86_400_000)}"#
                )
                #expect(cheap.status == .unprocessableContent && cheap.text.contains(#""field":"faceValueFen""#), "\(cheap.text)")
                let created = try await client.call(
                    .post, "/api/v1/mall/items", token: world.adminToken,
                    json:
                        #"{"name":"1.88元红包","kind":"cash","pricePoints":100,"faceValueFen":188,"stock":5,"availableFrom":0,"availableUntil":\#(now + 86_400_000)}"#
                )
                let item = Int64(try #require(created.json["id"] as? Int, "\(created.text)"))

                // A phone's points buy no cash: it goes only to whom WeChat confirmed.
                try await Self.scan(client, app, codes[0], as: "phone:13912345678", tenantID: tenantID)
                let phone = try await Self.take(client, app, item: item, as: "phone:13912345678", tenantID: tenantID)
                #expect(phone.status == .conflict && phone.text.contains(#"data-error="cash_needs_wechat""#), "\(phone.text)")

                // A WeChat consumer's do: a red packet queued for the payout worker, shown on 我的.
                try await Self.scan(client, app, codes[1], as: "openid:o-cash", tenantID: tenantID)
                let taken = try await Self.take(client, app, item: item, as: "openid:o-cash", tenantID: tenantID)
                #expect(taken.status == .seeOther || taken.status == .found, "\(taken.text)")
                #expect(try await app.storage.payouts.summary(tenantID: tenantID)[.queued] == PayoutTally(count: 1, amountFen: 188))
                let headers = try app.consumerHeaders("openid:o-cash", tenantID: tenantID)
                let me = try await client.call(.get, "/me", token: nil, headers: headers)
                #expect(me.text.contains("已转入微信零钱发放") && me.text.contains("¥1.88") && me.text.contains("积分商城 ·"), "\(me.text)")
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)

                // Deleting the account cancels it: the money goes back to the brand, the ledger balances.
                var form = headers
                form[.contentType] = "application/x-www-form-urlencoded"
                let deleted = try await client.call(.post, "/me/delete", token: nil, body: Array("confirm=yes".utf8), headers: form)
                #expect(deleted.status == .ok, "\(deleted.text)")
                #expect(try await app.storage.payouts.summary(tenantID: tenantID)[.rejected] == PayoutTally(count: 1, amountFen: 188))
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func hqListsItemsOnItsPage(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
                let listed = try await client.call(
                    .post, "/mall-items", token: world.adminToken,
                    body: Array(
                        "name=%E5%BC%80%E7%93%B6%E5%99%A8&kind=gift&pricePoints=50&faceValueYuan=8&stock=10&perPersonLimit=1&availableFrom=2026-01-01&availableUntil=2099-12-31&validDays=60"
                            .utf8),
                    headers: form)
                #expect(listed.status == .seeOther || listed.status == .found, "\(listed.text)")
                let page = try await client.call(.get, "/mall-items", token: world.adminToken)
                #expect(page.status == .ok && page.text.contains("开瓶器") && page.text.contains("¥8.00"), "\(page.text)")
                let item = try #require(try await app.storage.mall.items(limit: 10, tenantID: world.tenantA.id).first)
                #expect(item.draft.faceValueFen == 800 && item.draft.kind == .gift && item.draft.validDays == 60)
                let wrong = try await client.call(
                    .post, "/mall-items", token: world.adminToken, body: Array("name=x&kind=points&pricePoints=-5".utf8), headers: form)
                #expect(wrong.status == .unprocessableContent && wrong.text.contains(#"data-field="kind""#), "\(wrong.text)")
                let store = try #require(world.actors.first { $0.role == .store })
                #expect(try await client.call(.get, "/mall-items", token: store.token).status == .forbidden)
            }
        }
    }
}
