import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HummingbirdTesting
import Testing

/// The dashboard in a real browser (`Tests/Browser/dashboard_pages.py`), in Chinese and English, on
/// a desktop and a phone: each person sees their own slice and menu, opens a row one level down,
/// and a phone shows the page without sideways scrolling.
@Suite("Dashboard in a browser")
struct DashboardBrowserTests {
    @Test func eachPersonSeesTheirSliceAndDrillsDown() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            _ = try await DashboardTests.seed(app, world, today: BusinessDay.day(ofMillis: currentMillis()))
            try await app.live { port in
                let lines = try await BrowserScript.run("dashboard_pages.py", ["http://127.0.0.1:\(port)", world.tenantA.code, "secret-123"])
                let steps = Dictionary(lines.map { ($0["step"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
                #expect(steps.count == 16, "\(lines)")
                let all = 7 * (DashboardTests.st1PerDay + DashboardTests.st2PerDay), mine = 7 * DashboardTests.st1PerDay
                for window in ["desktop", "phone"] {
                    for lang in ["zh", "en"] {
                        let hq = steps["admin-\(window)-\(lang)"]
                        #expect(hq?["units"] == String(all), "\(String(describing: hq))")
                        #expect(hq?["rows"]?.contains("华北大区") == true && hq?["rows"]?.contains("OUTSIDE 华南大区") == true)
                        #expect(hq?["trend"] == "1" && hq?["map"] == "2", "\(String(describing: hq))")
                        #expect(hq?["opened"]?.contains("unit=") == true, "\(String(describing: hq))")
                        for user in ["mgr-r1", "sp-s1", "store-st1"] {
                            let step = steps["\(user)-\(window)-\(lang)"]
                            #expect(step?["units"] == String(mine), "\(user): \(String(describing: step))")
                            #expect(step?["body"]?.contains("OUTSIDE") == false, "\(user)")
                        }
                        #expect(steps["mgr-r1-\(window)-\(lang)"]?["rows"] == "京津地区")
                        #expect(steps["mgr-r1-\(window)-\(lang)"]?["trail"]?.contains("京津地区") == true)
                        #expect(steps["sp-s1-\(window)-\(lang)"]?["rows"] == "朝阳便利店")
                        #expect(steps["sp-s1-\(window)-\(lang)"]?["opened"] == "/stores/\(world.storeST1)")
                        // A store owner's menu offers no org, users or imports.
                        let menu = (steps["store-st1-\(window)-\(lang)"]?["menu"] ?? "").split(separator: "|").map(String.init)
                        #expect(!menu.isEmpty && !menu.contains("/org") && !menu.contains("/users") && !menu.contains("/imports"), "\(menu)")
                    }
                    // Chinese pages carry the Chinese texts only; English pages the English ones.
                    for user in ["admin", "mgr-r1", "sp-s1", "store-st1"] {
                        let zh = steps["\(user)-\(window)-zh"]?["body"] ?? ""
                        let en = steps["\(user)-\(window)-en"]?["body"] ?? ""
                        #expect(zh.contains("动销件数") && !zh.contains("Units sold") && !zh.contains("Daily trend"), "\(user)")
                        #expect(en.contains("Units sold") && !en.contains("动销件数"), "\(user)")
                    }
                }
                for user in ["admin", "mgr-r1", "sp-s1", "store-st1"] {
                    #expect(steps["\(user)-phone-zh"]?["overflow"] == "False", "\(user) scrolls sideways on a phone")
                }
            }
        }
    }
}
