import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Testing

/// HQ's code pages in a real browser (`Tests/Browser/codes_pages.py`): a batch is created,
/// activated and shipped from its page, refusals are said in the page's language, and what the
/// clicks did is in the books. Other roles neither see nor open the pages.
@Suite("Code pages in a browser")
struct CodesPagesBrowserTests {
    @Test func hqCreatesActivatesAndShipsABatchFromItsPage() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            try await app.test { client in
                for actor in world.actors where actor.role != .admin {
                    #expect(try await client.call(.get, "/codes", token: actor.token).status == .forbidden, "\(actor.name)")
                    let menu = try await client.call(.get, "/", token: actor.token).text
                    #expect(!menu.contains(#"href="/codes""#), "\(actor.name)")
                }
                #expect(try await client.call(.get, "/codes/999999", token: world.adminToken).status == .notFound)
            }
            try await app.live { port in
                let lines = try await BrowserScript.run(
                    "codes_pages.py", ["http://127.0.0.1:\(port)", world.tenantA.code, "secret-123", String(world.distributorD1)])
                let steps = Dictionary(lines.map { ($0["step"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
                #expect(steps.count == 8, "\(lines)")
                #expect(steps["empty"]?["body"]?.contains("还没有码批次：先新建一个") == true && steps["empty"]?["menu"]?.contains("/codes") == true)
                #expect(steps["created"]?["url"]?.hasPrefix("/codes/") == true && steps["created"]?["runs"]?.contains("未激活") == true)
                #expect(steps["activated"]?["history"]?.contains("激活 0") == true, "\(String(describing: steps["activated"]))")
                let refusal = steps["refused"]?["outcome"] ?? ""
                #expect(!refusal.isEmpty && refusal.allSatisfy { !$0.isASCII || !$0.isLetter }, "Chinese only: \(refusal)")
                #expect(steps["shipped"]?["runs"]?.contains("0–1") == true && steps["shipped"]?["runs"]?.contains("已激活") == true)
                let again = steps["ship-again"]?["outcome"] ?? ""
                #expect(!again.isEmpty && again.allSatisfy { !$0.isASCII || !$0.isLetter }, "Chinese only: \(again)")
                #expect(steps["english"]?["body"]?.contains("Where the cases are") == true && steps["english"]?["body"]?.contains("箱码去向") == false)
                #expect(steps["phone"]?["overflows"] == "False", "\(String(describing: steps["phone"]))")
            }
            // What the clicks did: one batch of two cases, both activated and shipped to D1.
            let batch = try #require(try await app.storage.codes.batches(ListQuery(limit: 10), productID: nil, tenantID: tenantID).items.first)
            #expect(batch.lot == "WEB1" && batch.quantity == 48 && batch.caseCount == 2)
            let actions = try await app.storage.codes.rangeActions(batchID: batch.id, tenantID: tenantID)
            #expect(actions.map(\.action) == [.activate, .activate] && batch.status(ofCase: 1, actions: actions) == .active)
            let cases = [CaseRef(batchID: batch.id, caseNumber: 0), CaseRef(batchID: batch.id, caseNumber: 1)]
            #expect(
                try await app.storage.logistics.shipments(of: cases, tenantID: tenantID).values.sorted() == [
                    world.distributorD1, world.distributorD1,
                ])
        }
    }

    @Test(arguments: APIBackend.all)
    func pagesShowTimesInTheBrandsTimeZone(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.storage.database.execute("UPDATE tenants SET time_zone = 'America/New_York' WHERE id = \(world.tenantA.id)")
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
            try await app.test { client in
                let created = try await client.call(
                    .post, "/api/v1/code-batches", token: world.adminToken, json: #"{"productID":\#(product.id),"lot":"TZ1","quantity":24}"#)
                let id = try #require(created.json["id"] as? Int, "\(created.text)")
                let createdAt = try #require(created.json["createdAt"] as? Int)
                let at = Date(timeIntervalSince1970: Double(createdAt) / 1000)
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.dateFormat = "yyyy-MM-dd HH:mm"
                formatter.timeZone = TimeZone(identifier: "America/New_York")
                let newYork = formatter.string(from: at)
                formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
                let china = formatter.string(from: at)
                let page = try await client.call(.get, "/codes/\(id)", token: world.adminToken)
                #expect(page.status == .ok && page.text.contains(newYork) && !page.text.contains(china), "\(newYork) / \(china)")
            }
        }
    }
}
