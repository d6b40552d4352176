import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Testing

/// The consumer's H5 page in a real browser (headless Chromium driven by Selenium,
/// `Tests/Browser/scan_page.py`): its script records the scan and shows the answer.
@Suite("Scan page in a browser")
struct ScanPageBrowserTests {
    @Test func aPhoneOpeningTheCodeSeesGenuineTheStoreAndNearbyStoresThenTheRepeat() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first)
            let signer = try await app.services.codeKeys.currentSigner(tenantID: tenantID)
            let batch = try await app.storage.codes.createBatch(
                productID: product.id, lot: "BROWSER1", quantity: 24, unitsPerCase: 12,
                keyID: signer.keyID, tenantID: tenantID)
            _ = try await app.storage.codes.recordRangeAction(.activate, cases: 0...1, batchID: batch.id, tenantID: tenantID)
            let ref = CaseRef(batchID: batch.id, caseNumber: 0)
            try await app.storage.logistics.ship([ref], distributorID: world.distributorD1, tenantID: tenantID)
            try await app.storage.logistics.receive(
                [
                    CaseReceipt(
                        batchID: batch.id, caseNumber: 0, storeID: world.storeST1, distributorID: world.distributorD1,
                        flag: .ok, receivedAt: currentMillis())
                ], tenantID: tenantID)
            let page = signer.text(for: batch.unitCode(2))
            // A running campaign where every draw wins a red packet.
            let now = currentMillis()
            let campaign = try await app.storage.campaigns.create(
                CampaignDraft(
                    name: "开盖有奖", productIDs: [product.id], regionCodes: [], startsAt: now - 60_000, endsAt: now + 86_400_000,
                    tiers: [PrizeTier(name: "现金红包", kind: .cash, amountFen: 288, ppm: PrizeDraw.rolls)], budgetFen: 10_000, storeRewardFen: 0,
                    storeBudgetFen: 0,
                    limits: CampaignLimits()), budgetShards: 2, tenantID: tenantID)
            try await app.live { port in
                let lines = try await BrowserScript.run("scan_page.py", ["http://127.0.0.1:\(port)/c/\(page)", "39.921", "116.441"])
                #expect(lines.count == 2, "\(lines)")
                guard lines.count == 2 else { return }
                #expect(lines[0]["verdict"]?.contains("您是第一位扫码的消费者") == true, "\(lines[0])")
                #expect(lines[0]["store"]?.contains("朝阳便利店") == true, "\(lines[0])")
                #expect(lines[0]["nearby"]?.contains("朝阳便利店") == true && lines[0]["nearby"]?.contains("公里") == true, "\(lines[0])")
                #expect(lines[0]["prize"]?.contains("恭喜中奖") == true && lines[0]["prize"]?.contains("¥2.88") == true, "\(lines[0])")
                #expect(lines[1]["prize"]?.contains("此码的奖励已被领取") == true, "\(lines[1])")
                // The second visit is the second scan, first made in Beijing.
                #expect(lines[1]["verdict"]?.contains("此码已被扫描 2 次") == true && lines[1]["verdict"]?.contains("北京市") == true, "\(lines[1])")
                // Its time in Chinese, in the brand's time zone (China): today's date, no AM/PM.
                let date = CalendarDate(dayNumber: Int(BusinessDay.day(ofMillis: currentMillis())))
                let chinese = "\(date.year)年\(date.month)月\(date.day)日"
                #expect(lines[1]["verdict"]?.contains(chinese) == true && lines[1]["verdict"]?.contains("M") == false, "\(lines[1])")
            }
            // Exactly two scans were recorded (the page's retry key never counts one twice), one of them the store's sale.
            let today = BusinessDay.day(ofMillis: currentMillis())
            let days = try await app.storage.scans.storeDays((today - 1)...(today + 1), scope: .wholeTenant(world.tenantA.id))
            let rows = days.filter { $0.productID == batch.productID && $0.key == "\(world.storeST1)" }
            #expect(rows.reduce(0) { $0 + $1.scans } == 2 && rows.reduce(0) { $0 + $1.unitsSold } == 1, "\(days)")
            // One prize, paid once.
            let stats = try await app.storage.rewards.stats(campaignID: campaign.id, tenantID: tenantID)
            #expect(stats.draws == 1 && stats.winners == 1 && stats.prizesFen == 288)
        }
    }
}
