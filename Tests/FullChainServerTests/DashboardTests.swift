import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Testing

/// The dashboard on both backends: each level sees its own slice, its totals are the sum of its
/// rows, the page, the API and the file agree, and nothing outside the caller's reach shows.
@Suite("Dashboard")
struct DashboardTests {
    /// Units sold a day at ST1 (inside R1) and ST2 (R2, outside every non-HQ actor's reach).
    static let (st1PerDay, st2PerDay, st1LastYear) = (5, 3, 1)

    /// ST1 and ST2 sell every day of the last ten; ST1 sold a little on the same days a year ago.
    static func seed(_ app: TestApp, _ world: TestWorld, today: Int64) async throws -> Int64 {
        let storage = app.storage
        let tenantID = world.tenantA.id
        let a = AccessScope.wholeTenant(tenantID)
        let product = try #require(try await storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first)
        let st2 = try #require(try await storage.stores.list(ListQuery(search: "ST2"), filter: StoreFilter(), scope: a).items.first).store
        var days: [StoreDayFigures] = []
        for day in (today - 9)...today {
            days.append(
                StoreDayFigures(storeID: world.storeST1, productID: product.id, day: day, scanned: st1PerDay, receivedUnits: 0, receivedCases: 0))
            days.append(StoreDayFigures(storeID: st2.id, productID: product.id, day: day, scanned: st2PerDay, receivedUnits: 0, receivedCases: 0))
        }
        for day in DashboardPeriod.Preset.last7.period(today: today).lastYear.days {
            days.append(
                StoreDayFigures(storeID: world.storeST1, productID: product.id, day: day, scanned: st1LastYear, receivedUnits: 0, receivedCases: 0))
        }
        try await storage.storeJob.recordHistory(days, tenantID: tenantID)
        try await app.services.dashboards.rebuildAll(tenantID: tenantID, today: today)
        return product.priceFen
    }

    static func figures(_ object: Any?) -> [String: Int] {
        (object as? [String: Any])?.compactMapValues { $0 as? Int } ?? [:]
    }

    @Test(arguments: APIBackend.all)
    func eachLevelSeesItsSliceAndTheFiguresAgree(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let today = BusinessDay.day(ofMillis: currentMillis())
            let price = try await Self.seed(app, world, today: today)
            let manager = try #require(world.actors.first { $0.role == .manager })
            let salesperson = try #require(world.actors.first { $0.role == .salesperson })
            let owner = try #require(world.actors.first { $0.role == .store })
            let distributor = try #require(world.actors.first { $0.role == .distributor })

            try await app.test { client in
                // HQ: the whole brand over the last seven days, with both 大区 as rows.
                let hq = try await client.call(.get, "/api/v1/dashboard?preset=last7", token: world.adminToken)
                #expect(hq.status == .ok, "\(hq.text)")
                let unit = hq.json["unit"] as? [String: Any]
                let total = Self.figures(unit?["current"])
                #expect(total["unitsSold"] == 7 * (Self.st1PerDay + Self.st2PerDay), "\(hq.text)")
                #expect(total["salesFen"] == 7 * (Self.st1PerDay + Self.st2PerDay) * Int(price))
                #expect(total["activeStoreDays"] == 14)
                // 环比: the seven days before hold three days of both stores; 同比: ST1's days a year ago.
                #expect(Self.figures(unit?["previous"])["unitsSold"] == 3 * (Self.st1PerDay + Self.st2PerDay))
                #expect(Self.figures(unit?["lastYear"])["unitsSold"] == 7 * Self.st1LastYear)
                // The alerts the world raised today (a 窜货 alert and a store alert, both in R2) count too.
                #expect(total["diversionAlerts"] == 1 && total["storeAlerts"] == 1, "\(total)")
                let rows = try #require(hq.json["children"] as? [[String: Any]])
                #expect(rows.compactMap { $0["name"] as? String }.sorted() == ["OUTSIDE 华南大区", "华北大区"])
                for key in ["unitsSold", "salesFen", "scans", "activeStoreDays", "diversionAlerts", "storeAlerts"] {
                    #expect(rows.map { Self.figures($0["current"])[key] ?? 0 }.reduce(0, +) == total[key], "\(key)")
                }
                #expect((hq.json["trend"] as? [[String: Any]])?.count == 7)
                #expect((hq.json["cities"] as? [String: Any]).map { Set($0.keys) } == ["110100000000", "440300000000"])

                // A 大区 manager: their 大区 only, drilling down to the salesperson's stores.
                let mine = try await client.call(.get, "/api/v1/dashboard?preset=last7", token: manager.token)
                #expect(Self.figures((mine.json["unit"] as? [String: Any])?["current"])["unitsSold"] == 7 * Self.st1PerDay, "\(mine.text)")
                #expect(!mine.text.contains("OUTSIDE"), "\(mine.text)")
                var unitID = try #require((mine.json["children"] as? [[String: Any]])?.first?["id"] as? Int)
                var levels: [String] = []
                for _ in 0..<3 {
                    let down = try await client.call(.get, "/api/v1/dashboard?preset=last7&unit=\(unitID)", token: manager.token)
                    #expect(down.status == .ok && Self.figures((down.json["unit"] as? [String: Any])?["current"])["unitsSold"] == 35, "\(down.text)")
                    levels.append(down.json["childKind"] as? String ?? "")
                    unitID = try #require((down.json["children"] as? [[String: Any]])?.first?["id"] as? Int)
                }
                #expect(levels == ["org", "org", "store"])
                #expect(unitID == Int(world.storeST1))
                // Nothing outside: R2's node, another brand's node, and junk are refused.
                let r2 = try #require(world.outsideA["org/nodes"])
                #expect(try await client.call(.get, "/api/v1/dashboard?unit=\(r2)", token: manager.token).status == .notFound)
                let foreign = try #require(world.foreignB["org/nodes"])
                #expect(try await client.call(.get, "/api/v1/dashboard?unit=\(foreign)", token: manager.token).status == .notFound)
                for bad in [
                    "preset=bogus", "from=2026-01-01", "from=2026-02-01&to=2026-01-01", "from=2025-01-01&to=2026-06-01", "unit=abc", "unit=-3",
                    "metric=price", "sort=x", "format=pdf", "from=2026-13-01&to=2026-13-02", "from=9999-01-01&to=9999-01-02",
                ] {
                    let response = try await client.call(.get, "/api/v1/dashboard?" + bad, token: manager.token)
                    #expect(response.status == .badRequest && response.errorCode == "invalid_query", "\(bad): \(response.text)")
                }

                // The salesperson sees their territory's stores; the store owner and the distributor their own.
                for token in [salesperson.token, owner.token, distributor.token] {
                    let own = try await client.call(.get, "/api/v1/dashboard?preset=last7", token: token)
                    #expect(own.status == .ok, "\(own.text)")
                    #expect(own.json["childKind"] as? String == "store")
                    #expect((own.json["children"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [Int(world.storeST1)], "\(own.text)")
                    #expect(Self.figures((own.json["unit"] as? [String: Any])?["current"])["unitsSold"] == 35)
                    // The sales force's store alerts are not the distributor's or the store's to see.
                    if token != salesperson.token {
                        #expect(Self.figures((own.json["unit"] as? [String: Any])?["current"])["storeAlerts"] == 0)
                    }
                    #expect(try await client.call(.get, "/api/v1/dashboard?unit=\(r2)", token: token).status == .notFound)
                }

                // The table as a file, in the caller's language.
                let csv = try await client.call(.get, "/api/v1/dashboard?preset=last7&format=csv", token: manager.token)
                #expect(csv.status == .ok && csv.text.contains("京津地区") && csv.text.contains("动销件数") && !csv.text.contains("OUTSIDE"), "\(csv.text)")

                // The page shows the same figures, and nothing outside.
                let page = try await client.call(.get, "/?preset=last7", token: manager.token)
                #expect(page.status == .ok && page.text.contains("经营看板") && page.text.contains("京津地区"), "\(page.text.prefix(300))")
                #expect(page.text.contains(#"<div class="value">35</div>"#) && !page.text.contains("OUTSIDE"))
                #expect(try await client.call(.get, "/?preset=bogus", token: manager.token).status == .badRequest)
            }

            // In the data layer, a manager's scope reads no row of another subtree.
            let storage = app.storage
            let r2ID = try #require(world.outsideA["org/nodes"])
            let r2Node = try #require(try await storage.org.get(id: r2ID, scope: .wholeTenant(world.tenantA.id)))
            let r1 = try #require(try await r1Root(storage, world))
            let managerScope = AccessScope(tenantID: world.tenantA.id, reach: .orgSubtree(path: OrgNode.rootPath(id: r1)))
            let days = (today - 6)...today
            #expect(try await storage.dashboard.nodeDays(paths: [r2Node.path, "/"], days: days, scope: managerScope).isEmpty)
            #expect(try await storage.dashboard.nodeDays(paths: [r2Node.path], days: days, scope: .wholeTenant(world.tenantA.id)).count == 1)
            // Brand B sold nothing (its rows, if a server over the shared database rebuilt them, hold only its own alert).
            let brandB = try await storage.dashboard.nodeDays(paths: ["/"], days: days, scope: .wholeTenant(world.tenantB.id))
            #expect(brandB["/"].map { $0.values.reduce(.zero, +).unitsSold } ?? 0 == 0, "\(brandB)")
        }
    }

    /// The id of the 大区 above R1's salesperson.
    func r1Root(_ storage: AppStorage, _ world: TestWorld) async throws -> Int64? {
        let node = try await storage.org.get(id: world.salespersonNodeR1, scope: .wholeTenant(world.tenantA.id))
        return node.flatMap { OrgRollup.ancestors(of: $0.path).dropFirst().first }.flatMap { Int64($0.dropFirst().dropLast()) }
    }

    /// Rebuilding a day twice (or on several servers at once) writes the same rows, and a day with nothing leaves none.
    @Test(arguments: APIBackend.all)
    func rebuildingIsRepeatable(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let today = BusinessDay.day(ofMillis: currentMillis())
            _ = try await Self.seed(app, world, today: today)
            let storage = app.storage
            let hq = AccessScope.wholeTenant(world.tenantA.id)
            let before = try await storage.dashboard.nodeDays(paths: ["/"], days: (today - 9)...today, scope: hq)
            try await app.services.dashboards.rebuild(tenantID: world.tenantA.id, days: (today - 9)...today)
            let after = try await storage.dashboard.nodeDays(paths: ["/"], days: (today - 9)...today, scope: hq)
            #expect(before == after && after["/"]?.count == 10)
            // Servers rebuilding the same days at once all succeed and agree.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await app.services.dashboards.rebuild(tenantID: world.tenantA.id, days: (today - 9)...today) }
                }
                try await group.waitForAll()
            }
            #expect(try await storage.dashboard.nodeDays(paths: ["/"], days: (today - 9)...today, scope: hq) == after)
            #expect(after["/"]?[today - 3]?.unitsSold == Int64(Self.st1PerDay + Self.st2PerDay))
            #expect(try await storage.dashboard.nodeDays(paths: ["/"], days: (today - 30)...(today - 20), scope: hq).isEmpty)
        }
    }
}
