import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Testing

/// HQ's campaign pages in a real browser (`Tests/Browser/campaign_pages.py`): the editor posts a
/// campaign (its refusal shown field by field), the campaign's page shows its figures, the review
/// queue approves a held red packet, and the settlement statements list the store's reward.
@Suite("Campaign pages in a browser")
struct CampaignPagesBrowserTests {
    @Test func hqCreatesACampaignApprovesAHeldRedPacketAndReadsTheStatements() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first)
            try await app.test { client in
                let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "PAGES", quantity: 4)
                _ = try await CampaignDrawTests.campaign(
                    client, app, world, tiers: #"[{"name":"红包","kind":"cash","amountFen":188,"probability":1}]"#,
                    budgetFen: 10_000, storeRewardFen: 20, storeBudgetFen: 1_000)
                let listed = try await client.call(
                    .post, "/api/v1/risk/blacklist", token: world.adminToken, json: #"[{"kind":"device","value":"farm-1"}]"#)
                #expect(listed.status == .created)
                let held = try await RiskControlTests.scan(
                    client, signer.text(for: batch.unitCode(0)), device: "farm-1", openid: "o-farm",
                    signedIn: try app.consumerHeaders("openid:o-farm", tenantID: tenantID))
                let clean = try await RiskControlTests.scan(
                    client, signer.text(for: batch.unitCode(1)), device: "phone-2", openid: "o-2",
                    signedIn: try app.consumerHeaders("openid:o-2", tenantID: tenantID))
                #expect(held["underReview"] as? Bool == true && clean["underReview"] as? Bool == false)
            }
            try await app.live { port in
                let lines = try await BrowserScript.run(
                    "campaign_pages.py", ["http://127.0.0.1:\(port)", world.tenantA.code, "admin", "secret-123", String(product.id)])
                let steps = Dictionary(lines.map { ($0["step"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
                #expect(steps.count == 8, "\(lines)")
                #expect(steps["changed"]?["heading"] == "夏日畅饮节（加长）", "\(String(describing: steps["changed"]))")
                #expect(steps["list"]?["body"]?.contains("开盖有奖") == true && steps["list"]?["body"]?.contains("进行中") == true, "\(lines)")
                // The refusal names the field as the page does, in Chinese.
                let refusal = steps["refused"]?["status"] ?? ""
                #expect(refusal.contains("奖项 1") && !refusal.contains("tiers"), "\(refusal)")
                #expect(
                    steps["picked"]?["chips"]?.contains("北京市") == true && steps["picked"]?["tiers"] == "4", "\(String(describing: steps["picked"]))")
                #expect(
                    steps["paused"]?["head"]?.contains("已暂停") == true && steps["paused"]?["head"]?.contains("恢复活动") == true
                        && steps["paused"]?["backlog"]?.contains("还没有红包要发") == true, "\(String(describing: steps["paused"]))")
                let created = steps["created"]
                #expect(created?["heading"] == "夏日畅饮节", "\(String(describing: created))")
                #expect(
                    created?["body"]?.contains("¥0.00 / ¥1,000.00") == true && created?["body"]?.contains("进行中") == true,
                    "\(String(describing: created))")
                #expect(steps["review"]?["before"] == "1" && steps["review"]?["after"] == "0", "\(String(describing: steps["review"]))")
                #expect(
                    steps["review"]?["reasons"]?.contains("设备在黑名单") == true && steps["review"]?["outcome"]?.contains("已通过") == true,
                    "\(String(describing: steps["review"]))")
                #expect(
                    steps["settlements"]?["heading"] == "Settlements" && steps["settlements"]?["body"]?.contains("朝阳便利店") == true
                        && steps["settlements"]?["body"]?.contains("¥0.40") == true, "\(String(describing: steps["settlements"]))")
            }
            // What the clicks did: one campaign created and funded, the held red packet queued to be paid.
            let campaigns = try await app.storage.campaigns.list(ListQuery(), tenantID: tenantID).items
            let summer = try #require(campaigns.first { $0.draft.name == "夏日畅饮节（加长）" })
            #expect(campaigns.count == 2 && summer.draft.tiers.count == 1 && summer.draft.budgetFen == 100_000 && summer.draft.storeRewardFen == 20)
            #expect(summer.draft.regionCodes == ["110000000000"] && summer.pausedAt != nil)
            let outbox = try await app.storage.payouts.summary(tenantID: tenantID)
            #expect(outbox[.held] == nil && outbox[.queued]?.count == 2, "\(outbox)")
            #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
        }
    }
}
