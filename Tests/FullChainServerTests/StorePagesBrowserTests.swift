import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HummingbirdTesting
import Testing

/// The store intelligence pages in a real browser (`Tests/Browser/store_pages.py`): the
/// salesperson's phone page refuses a check-in 5 km away, takes one at the store with a count,
/// a note and a photo, and resolves the task; the manager then sees the resolution in the feed,
/// the visit on the store page, and the salesperson in the ranking.
@Suite("Store pages in a browser")
struct StorePagesBrowserTests {
    @Test func aSalespersonWorksATaskOnThePhoneAndTheManagerSeesIt() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let storage = app.storage
            let tenantID = world.tenantA.id
            let a = AccessScope.wholeTenant(tenantID)
            let product = try #require(try await storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first)
            let yesterday = StoreIntelligenceService.lastCompleteDay()
            // ST1 sold every day, then went quiet for 20 days: the job raises a dormant task for sp-s1.
            try await storage.storeJob.recordHistory(
                StoreIntelligenceTests.history(storeID: world.storeST1, productID: product.id, through: yesterday, perDay: 6, quietDays: 20),
                tenantID: tenantID)
            let report = try await StoreIntelligenceService(storage: storage).run(tenantID: tenantID, day: yesterday)
            #expect(report.byKind["dormant"] == 1, "\(report)")
            let location = try #require(try await storage.stores.get(id: world.storeST1, scope: a)?.store.location)
            let photo = FileManager.default.temporaryDirectory.appendingPathComponent("shelf-\(UUID().uuidString).png")
            try Data(PNG.encode(MonochromeImage(width: 8, height: 8))).write(to: photo)
            defer { try? FileManager.default.removeItem(at: photo) }

            try await app.live { port in
                let lines = try await BrowserScript.run(
                    "store_pages.py",
                    [
                        "http://127.0.0.1:\(port)", world.tenantA.code, "secret-123", String(world.storeST1),
                        String(location.latitude), String(location.longitude), photo.path,
                    ])
                let steps = Dictionary(lines.map { ($0["step"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
                #expect(steps.count == 8, "\(lines)")
                #expect(
                    steps["tasks"]?["count"] == "1" && steps["tasks"]?["body"]?.contains("朝阳便利店") == true
                        && steps["tasks"]?["body"]?.contains("连续 20 天没有消费者扫码") == true, "\(String(describing: steps["tasks"]))")
                #expect(steps["far"]?["outcome"]?.contains("保存失败") == true, "\(String(describing: steps["far"]))")
                #expect(steps["checked-in"]?["outcome"] == "已提交", "\(String(describing: steps["checked-in"]))")
                #expect(steps["resolved"]?["outcome"] == "已提交", "\(String(describing: steps["resolved"]))")
                #expect(steps["tasks-after"]?["count"] == "0", "\(String(describing: steps["tasks-after"]))")
                #expect(
                    steps["feed"]?["rows"] == "1" && steps["feed"]?["body"]?.contains("朝阳便利店") == true
                        && steps["feed"]?["body"]?.contains("已补货") == true, "\(String(describing: steps["feed"]))")
                #expect(
                    steps["store"]?["visits"]?.contains("货架空了一半，已补货") == true && steps["store"]?["visits"]?.contains(" 40/6") == true
                        && steps["store"]?["photos"] == "1", "\(String(describing: steps["store"]))")
                #expect(steps["ranking"]?["body"]?.contains("业代一") == true, "\(String(describing: steps["ranking"]))")
            }
            // What the taps did: one visit on site with its count and photo (none from 5 km away), the task resolved.
            let detail = try await storage.storeFigures.detail(storeID: world.storeST1, today: yesterday + 1, days: 90, scope: a)
            #expect(detail.visits.count == 1, "\(detail.visits)")
            let visit = try #require(detail.visits.first)
            #expect(
                visit.distanceMeters < 50 && visit.photos == 1 && visit.counts.map(\.units) == [40] && visit.counts.map(\.facings) == [6], "\(visit)")
            let alert = try #require(detail.alerts.first)
            #expect(
                alert.status == .resolved && alert.resolution == .restocked && alert.resolutionNote == "补货 40 瓶"
                    && alert.firstVisitAt == visit.checkedInAt,
                "\(alert)")
        }
    }
}
