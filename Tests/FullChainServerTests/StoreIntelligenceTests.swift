import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Store intelligence end to end on both backends: the daily job finds an abnormal store and
/// raises a task for its salesperson; the salesperson checks in on site, counts stock and
/// resolves; the job later judges the conversion. Another salesperson can neither see nor act
/// on the store; bad visit data changes nothing.
@Suite("Store intelligence")
struct StoreIntelligenceTests {
    /// 90 days of a store selling `perDay` scanned units of the product, quiet for the last `quietDays`, with seven cases of 24 a week.
    static func history(storeID: Int64, productID: Int64, through day: Int64, perDay: Int, quietDays: Int) -> [StoreDayFigures] {
        (0..<90).map { offset in
            let d = day - 89 + Int64(offset)
            let quiet = offset >= 90 - quietDays
            return StoreDayFigures(
                storeID: storeID, productID: productID, day: d, scanned: quiet ? 0 : perDay + offset % 3,
                receivedUnits: !quiet && offset % 7 == 0 ? 168 : 0, receivedCases: !quiet && offset % 7 == 0 ? 7 : 0)
        }
    }

    @Test(arguments: APIBackend.all)
    func anAbnormalStoreBecomesATaskVisitedResolvedAndConverted(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let storage = app.storage
            let tenantID = world.tenantA.id
            let a = AccessScope.wholeTenant(tenantID)
            let manager = try #require(world.actors.first { $0.role == .manager })
            let salesperson = try #require(world.actors.first { $0.role == .salesperson })
            // A second salesperson in the same city, with a store of their own.
            let s2 = try await storage.org.create(parentID: world.cityR1, code: "R1-A1-C1-S2", name: "业代二", scope: a)
            let st3 = try await storage.stores.create(
                StoreDraft(
                    code: "ST3", name: "国贸超市", type: .supermarket, regionCode: "110105000000",
                    location: GeoPoint(latitude: 39.91, longitude: 116.46), distributorID: world.distributorD1,
                    salespersonNodeID: s2.id), scope: a)
            let other = try await storage.users.create(
                UserDraft(username: "sp-s2", displayName: "业代乙", role: .salesperson, orgNodeID: s2.id),
                passwordHash: app.services.passwords.hash("secret-123"), scope: a)
            let otherToken = try await app.token(tenantID: tenantID, userID: other.id)
            let product = try #require(try await storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first)
            let yesterday = StoreIntelligenceService.lastCompleteDay()
            // ST1 sold every day, then went quiet for 20 days; ST3 keeps selling.
            try await storage.storeJob.recordHistory(
                Self.history(storeID: world.storeST1, productID: product.id, through: yesterday, perDay: 6, quietDays: 20)
                    + Self.history(storeID: st3.id, productID: product.id, through: yesterday, perDay: 6, quietDays: 0),
                tenantID: tenantID)

            try await app.test { client in
                // Only HQ runs the job by hand.
                #expect(try await client.call(.post, "/api/v1/store-intelligence/run", token: manager.token, json: "{}").status == .forbidden)
                let run = try await client.call(.post, "/api/v1/store-intelligence/run", token: world.adminToken, json: "{}")
                #expect(run.status == .ok, "\(run.text)")
                #expect((run.json["byKind"] as? [String: Int])?["dormant"] == 1, "\(run.text)")

                // The manager sees the alert with its numbers; the store's salesperson has it as a task; the other salesperson sees nothing.
                let feed = try await client.call(.get, "/api/v1/store-alerts?kind=dormant", token: manager.token)
                let items = try #require(feed.json["items"] as? [[String: Any]], "\(feed.text)")
                #expect(items.count == 1 && items.first?["storeID"] as? Int == Int(world.storeST1), "\(feed.text)")
                let alert = try #require(items.first)
                let alertID = try #require(alert["id"] as? Int)
                #expect(
                    alert["score"] as? Double == 20 && (alert["reason"] as? String)?.contains("no consumer scans for 20 days") == true, "\(alert)")
                #expect(alert["status"] as? String == "open" && alert["dueDay"] as? Int == Int(yesterday) + 7)
                let tasks = try await client.call(.get, "/api/v1/tasks", token: salesperson.token).json["items"] as? [[String: Any]]
                #expect(tasks?.map { $0["id"] as? Int } == [alertID])
                #expect((try await client.call(.get, "/api/v1/tasks", token: otherToken).json["items"] as? [[String: Any]])?.isEmpty == true)
                #expect(try await client.call(.get, "/api/v1/store-alerts/\(alertID)", token: otherToken).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/store-alerts/\(alertID)", token: world.foreignToken(app)).status == .notFound)

                // The other salesperson can neither check in at ST1 nor resolve its task.
                let atStore =
                    #"{"storeID":\#(world.storeST1),"alertID":\#(alertID),"latitude":39.9201,"longitude":116.4401,"counts":[{"sku":"TEA-500","units":40,"facings":6}],"notes":"货架空了一半"}"#
                #expect(try await client.call(.post, "/api/v1/visits", token: otherToken, json: atStore).status == .notFound)
                #expect(
                    try await client.call(.post, "/api/v1/store-alerts/\(alertID)/resolve", token: otherToken, json: #"{"reason":"restocked"}"#)
                        .status == .notFound)

                // Bad visits: 5 km away, negative units, an unknown SKU; none leaves a trace.
                let far = try await client.call(
                    .post, "/api/v1/visits", token: salesperson.token,
                    json: #"{"storeID":\#(world.storeST1),"latitude":39.965,"longitude":116.44,"counts":[]}"#)
                #expect(far.status == .unprocessableContent && far.errorCode == "too_far", "\(far.text)")
                let negative = try await client.call(
                    .post, "/api/v1/visits", token: salesperson.token,
                    json: #"{"storeID":\#(world.storeST1),"latitude":39.92,"longitude":116.44,"counts":[{"sku":"TEA-500","units":-3}]}"#)
                #expect(negative.status == .unprocessableContent && negative.errorCode == "validation_failed", "\(negative.text)")
                let unknown = try await client.call(
                    .post, "/api/v1/visits", token: salesperson.token,
                    json: #"{"storeID":\#(world.storeST1),"latitude":39.92,"longitude":116.44,"counts":[{"sku":"NO-SUCH","units":3}]}"#)
                #expect(unknown.status == .unprocessableContent && unknown.text.contains("unknown_product"), "\(unknown.text)")
                let noStore = try await client.call(.post, "/api/v1/visits", token: salesperson.token, json: #"{"latitude":"north"}"#)
                #expect(noStore.status == .badRequest, "\(noStore.text)")
                let untouched = try await storage.storeFigures.detail(storeID: world.storeST1, today: yesterday + 1, days: 90, scope: a)
                #expect(untouched.visits.isEmpty && untouched.skus.allSatisfy { $0.countedUnits == nil })
                #expect(try await storage.storeTasks.alert(id: Int64(alertID), scope: a)?.status == .open)

                // The visit on site: counted, the task marked visited.
                let visit = try await client.call(.post, "/api/v1/visits", token: salesperson.token, json: atStore)
                #expect(visit.status == .created, "\(visit.text)")
                let visitID = try #require(visit.json["id"] as? Int)
                #expect((visit.json["distanceMeters"] as? Double ?? 99) < 20)
                #expect(try await storage.storeTasks.alert(id: Int64(alertID), scope: a)?.status == .visited)

                // Photos: a real PNG is kept and served back; too large, or not what it says, is refused.
                let png = PNG.encode(MonochromeImage(width: 8, height: 8))
                var headers: HTTPFields = [.contentType: "image/png"]
                let added = try await client.call(.post, "/api/v1/visits/\(visitID)/photos", token: salesperson.token, body: png, headers: headers)
                #expect(added.status == .created && added.json["number"] as? Int == 1, "\(added.text)")
                let back = try await client.call(.get, "/api/v1/visits/\(visitID)/photos/1", token: manager.token)
                #expect(back.status == .ok && Array(back.body.readableBytesView) == png && back.headers[.contentType] == "image/png")
                headers[.contentType] = "image/jpeg"
                let mislabelled = try await client.call(
                    .post, "/api/v1/visits/\(visitID)/photos", token: salesperson.token, body: png, headers: headers)
                #expect(mislabelled.status == .unsupportedMediaType && mislabelled.errorCode == "unsupported_image", "\(mislabelled.text)")
                headers[.contentType] = "image/gif"
                let gif = try await client.call(
                    .post, "/api/v1/visits/\(visitID)/photos", token: salesperson.token, body: Array("GIF89a....".utf8), headers: headers)
                #expect(gif.status == .unsupportedMediaType)
                headers[.contentType] = "image/jpeg"
                let huge = [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 7, count: 3 << 20)
                let large = try await client.call(.post, "/api/v1/visits/\(visitID)/photos", token: salesperson.token, body: huge, headers: headers)
                #expect(large.status == .contentTooLarge, "\(large.status)")
                #expect(try await client.call(.get, "/api/v1/visits/\(visitID)", token: salesperson.token).json["photos"] as? Int == 1)
                #expect(try await client.call(.get, "/api/v1/visits/\(visitID)/photos/1", token: otherToken).status == .notFound)

                // The count now anchors the stock estimate.
                let metrics = try await client.call(.get, "/api/v1/stores/\(world.storeST1)/metrics", token: salesperson.token)
                let stock = try #require((metrics.json["stock"] as? [[String: Any]])?.first, "\(metrics.text)")
                #expect(stock["countedUnits"] as? Int == 40 && stock["estimatedStock"] as? Double == 40, "\(stock)")
                #expect((metrics.json["sold"] as? [Int])?.count == 90)
                #expect(try await client.call(.get, "/api/v1/stores/\(world.storeST1)/metrics", token: otherToken).status == .notFound)

                // Resolve with a reason; a second time is a conflict.
                #expect(
                    try await client.call(.post, "/api/v1/store-alerts/\(alertID)/resolve", token: salesperson.token, json: #"{"reason":"slept"}"#)
                        .status == .unprocessableContent)
                // Only the job closes a task for its cause being gone.
                #expect(
                    try await client.call(
                        .post, "/api/v1/store-alerts/\(alertID)/resolve", token: salesperson.token,
                        json: #"{"reason":"cause_gone"}"#
                    ).status == .unprocessableContent)
                let resolved = try await client.call(
                    .post, "/api/v1/store-alerts/\(alertID)/resolve", token: salesperson.token,
                    json: #"{"reason":"consumers_activated","note":"店主休假回来了"}"#)
                #expect(
                    resolved.status == .ok && resolved.json["status"] as? String == "resolved" && resolved.json["outcome"] as? String == "pending",
                    "\(resolved.text)")
                let again = try await client.call(
                    .post, "/api/v1/store-alerts/\(alertID)/resolve", token: salesperson.token, json: #"{"reason":"restocked"}"#)
                #expect(again.status == .conflict && again.errorCode == "already_resolved")

                // Two weeks on, ST1 sells again: the job judges the task converted.
                let later = yesterday + 15
                try await storage.storeJob.recordHistory(
                    (1...15).map {
                        StoreDayFigures(
                            storeID: world.storeST1, productID: product.id, day: yesterday + Int64($0), scanned: 6, receivedUnits: 0, receivedCases: 0
                        )
                    }, tenantID: tenantID)
                let report = try await StoreIntelligenceService(storage: storage).run(tenantID: tenantID, day: later)
                #expect(report.outcomesJudged == 1 && report.converted == 1, "\(report)")
                let judged = try await storage.storeTasks.alert(id: Int64(alertID), scope: a)
                #expect(judged?.outcome == .converted && judged?.outcomeDay == later)

                // The ranking: the manager sees both salespeople; a salesperson only their own line.
                let ranking = try await client.call(.get, "/api/v1/salespeople/ranking", token: manager.token)
                let lines = try #require(try JSONSerialization.jsonObject(with: Data(ranking.text.utf8)) as? [[String: Any]], "\(ranking.text)")
                #expect(Set(lines.compactMap { $0["nodeID"] as? Int }) == [Int(world.salespersonNodeR1), Int(s2.id)], "\(ranking.text)")
                let mine = try #require(lines.first { $0["nodeID"] as? Int == Int(world.salespersonNodeR1) })
                #expect(mine["visits"] as? Int == 1 && mine["alertsVisited"] as? Int == 1 && mine["converted"] as? Int == 1, "\(mine)")
                let own = try await client.call(.get, "/api/v1/salespeople/ranking", token: salesperson.token)
                let ownLines = try #require(try JSONSerialization.jsonObject(with: Data(own.text.utf8)) as? [[String: Any]], "\(own.text)")
                #expect(
                    ownLines.count == 1 && ownLines.first?["nodeID"] as? Int == Int(world.salespersonNodeR1) && ownLines.first?["rank"] as? Int != nil
                )

                // The pages: the feed and the store page show the alert and its resolution; the other salesperson sees neither.
                let page = { (path: String, token: String) in try await client.call(.get, path, token: nil, headers: [.cookie: "fc_session=\(token)"])
                }
                let feedPage = try await page("/store-alerts?kind=dormant", manager.token)
                #expect(
                    feedPage.status == .ok && feedPage.text.contains("朝阳便利店") && feedPage.text.contains("连续 20 天没有消费者扫码")
                        && feedPage.text.contains("已转化"), "\(feedPage.status)")
                let storePage = try await page("/stores/\(world.storeST1)", salesperson.token)
                #expect(
                    storePage.status == .ok && storePage.text.contains("近 90 天动销与到货") && storePage.text.contains("<svg class=\"chart daily\"")
                        && storePage.text.contains("/api/v1/visits/\(visitID)/photos/1")
                        && storePage.text.contains("货架空了一半"), "\(storePage.status)")
                // Visits, photos, stock, the chart and the feed: every value escaped, no markup shown as text.
                #expect(BrowserProtectionTests.escapedMarkup(in: storePage.text + feedPage.text).isEmpty)
                // The recommended strategies say why in Chinese on a Chinese page.
                let strategies = try #require(
                    storePage.text.range(of: #"<ul class="strategies">"#).map { storePage.text[$0.upperBound...] }
                        .flatMap { rest in rest.range(of: "</ul>").map { String(rest[..<$0.lowerBound]) } }, "the store page lists strategies")
                let words = strategies.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
                #expect(strategies.contains("<li>") && words.range(of: "[A-Za-z]{3,}", options: .regularExpression) == nil, "\(words)")
                #expect(try await page("/stores/\(world.storeST1)", otherToken).status == .notFound)
                #expect(try await page("/store-alerts", otherToken).text.contains("朝阳便利店") == false)
                let rankingPage = try await page("/rankings", manager.token)
                #expect(rankingPage.status == .ok && rankingPage.text.contains("业代一") && rankingPage.text.contains("业代二"))
                let ownPage = try await page("/rankings", salesperson.token)
                #expect(ownPage.status == .ok && ownPage.text.contains("业代一") && !ownPage.text.contains("业代二"))
                // A store's phone is set through the API (refused when it is not one).
                let badPhone = try await client.call(
                    .patch, "/api/v1/stores/\(world.storeST1)", token: world.adminToken, json: #"{"phone":"call me"}"#)
                #expect(badPhone.status == .unprocessableContent && badPhone.text.contains("invalid_phone"), "\(badPhone.text)")
                let phoned = try await client.call(
                    .patch, "/api/v1/stores/\(world.storeST1)", token: world.adminToken, json: #"{"phone":"010-6500 1234"}"#)
                #expect(phoned.status == .ok && phoned.json["phone"] as? String == "010-6500 1234", "\(phoned.text)")
                #expect(try await page("/m/tasks", salesperson.token).text.contains("我的任务"))

                // Rules: partial changes keep the rest; nonsense is refused whole.
                let put = try await client.call(.put, "/api/v1/store-rules", token: world.adminToken, json: #"{"checkInRadiusMeters":300}"#)
                #expect(
                    put.status == .ok && put.json["checkInRadiusMeters"] as? Double == 300 && put.json["dormantDays"] as? Int == 14, "\(put.text)")
                let bad = try await client.call(
                    .put, "/api/v1/store-rules", token: world.adminToken, json: #"{"checkInRadiusMeters":1,"colour":"red"}"#)
                #expect(bad.status == .unprocessableContent, "\(bad.text)")
                #expect(try await storage.storeRules.rules(tenantID: tenantID).checkInRadiusMeters == 300)
            }
        }
    }
}

extension TestWorld {
    /// A token of brand B's admin.
    func foreignToken(_ app: TestApp) async throws -> String {
        try await app.token(
            tenantID: tenantB.id,
            userID: try #require(try await app.storage.users.list(ListQuery(), role: nil, scope: .wholeTenant(tenantB.id)).items.first).id)
    }
}
