import Foundation
import FullChainCore
import FullChainStorage
import HTTPTypes
import Testing

@testable import FullChainApp
@testable import FullChainServer

/// The daily job learns each SKU's scan rate from receipts and scans pooled over stores, stores it with
/// its standard error and source, and the store figures look it up narrowest first: province and store
/// type, province, every province, then the default.
@Suite("Scan rate fallback")
struct ScanRateFallbackTests {
    @Test(arguments: APIBackend.all)
    func theJobLearnsTheRateFromReceiptsAndScans(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let storage = app.storage
            let tenantID = world.tenantA.id
            let scope = AccessScope.wholeTenant(tenantID)
            let first = try #require(try await storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first).id
            let second = try await storage.products.create(
                ProductDraft(
                    sku: "TEA-1L", gtin: try #require(GTIN("6901234567908")), name: "清爽绿茶 1L", category: "茶饮料",
                    priceFen: 600, unitsPerCase: 12), tenantID: tenantID
            ).id
            var stores = [world.storeST1]
            for i in 2...6 {
                stores.append(
                    try await storage.stores.create(
                        StoreDraft(
                            code: "RT\(i)", name: "朝阳便利店 \(i)", type: .convenience, regionCode: "110105000000",
                            distributorID: world.distributorD1, salespersonNodeID: world.salespersonNodeR1),
                        scope: scope
                    ).id)
            }
            let yesterday = StoreIntelligenceService.lastCompleteDay()
            // Store k receives 10·k units a day and its consumers scan 4·k: 40% of what it sells. The second SKU sells at one store only.
            var days: [StoreDayFigures] = []
            for (index, store) in stores.enumerated() {
                let k = index + 1
                for offset in 0..<90 {
                    days.append(
                        StoreDayFigures(
                            storeID: store, productID: first, day: yesterday - 89 + Int64(offset), scanned: 4 * k, receivedUnits: 10 * k,
                            receivedCases: 1))
                }
            }
            days += StoreIntelligenceTests.history(storeID: world.storeST1, productID: second, through: yesterday, perDay: 6, quietDays: 0)
            try await storage.storeJob.recordHistory(days, tenantID: tenantID)
            _ = try await StoreIntelligenceService(storage: storage).run(tenantID: tenantID, day: yesterday)
            try await app.test { client in
                let metrics = try await client.call(.get, "/api/v1/stores/\(world.storeST1)/metrics", token: world.adminToken)
                let stock = try #require(metrics.json["stock"] as? [[String: Any]], "\(metrics.text)")
                let figures = { (product: Int64) in stock.first { $0["productID"] as? Int == Int(product) } ?? [:] }
                let learned = figures(first)
                #expect(abs((learned["scanRate"] as? Double ?? 0) - 0.4) < 1e-9, "\(learned)")
                #expect(learned["scanRateSource"] as? String == "mass_balance", "\(learned)")
                let error = learned["scanRateError"] as? Double ?? 0
                #expect(error > 0 && error < 0.02, "\(learned)")
                let low = learned["stockLow"] as? Double ?? -1, high = learned["stockHigh"] as? Double ?? -1
                #expect(low >= 0 && high >= low, "\(learned)")
                // One store is no pool: the default rate, said to be one.
                let unmeasured = figures(second)
                #expect(
                    unmeasured["scanRate"] as? Double == StoreRules().defaultScanRate && unmeasured["scanRateSource"] as? String == "default",
                    "\(unmeasured)")
                let page = try await client.call(.get, "/stores/\(world.storeST1)", token: nil, headers: [.cookie: "fc_session=\(world.adminToken)"])
                #expect(page.text.contains("进销平衡") && page.text.contains("默认值，未测得"), "\(page.text.prefix(300))")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func storeFiguresUseTheNarrowestMeasuredRate(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let storage = app.storage
            let tenantID = world.tenantA.id
            let first = try #require(try await storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first).id
            let second = try await storage.products.create(
                ProductDraft(
                    sku: "TEA-1L", gtin: try #require(GTIN("6901234567908")), name: "清爽绿茶 1L", category: "茶饮料",
                    priceFen: 600, unitsPerCase: 12), tenantID: tenantID
            ).id
            let yesterday = StoreIntelligenceService.lastCompleteDay()
            try await storage.storeJob.recordHistory(
                StoreIntelligenceTests.history(storeID: world.storeST1, productID: first, through: yesterday, perDay: 6, quietDays: 0)
                    + StoreIntelligenceTests.history(storeID: world.storeST1, productID: second, through: yesterday, perDay: 6, quietDays: 0),
                tenantID: tenantID)
            // ST1 is a Beijing (11) convenience store: the first SKU has a rate for that, for Beijing and across provinces; the second only the last.
            let rate = { (rate: Double, source: ScanRateEstimate.Source) in
                ScanRateEstimate(rate: rate, standardError: 0.01, source: source, sample: 900)
            }
            let rows = [
                ScanRateRow(productID: first, province: "11", storeType: "convenience", estimate: rate(0.45, .counts)),
                ScanRateRow(productID: first, province: "11", storeType: ScanRateRow.everyStoreType, estimate: rate(0.4, .massBalance)),
                ScanRateRow(
                    productID: first, province: ScanRateRow.everyProvince, storeType: ScanRateRow.everyStoreType, estimate: rate(0.6, .massBalance)),
                ScanRateRow(
                    productID: second, province: ScanRateRow.everyProvince, storeType: ScanRateRow.everyStoreType, estimate: rate(0.7, .massBalance)),
                ScanRateRow(productID: second, province: "44", storeType: ScanRateRow.everyStoreType, estimate: rate(0.2, .counts)),
            ]
            _ = try await storage.storeJob.applyJob(
                findings: [], outcomes: [], profiles: [], scanRates: rows, day: yesterday,
                at: currentMillis(), tenantID: tenantID)
            try await app.test { client in
                let metrics = try await client.call(.get, "/api/v1/stores/\(world.storeST1)/metrics", token: world.adminToken)
                let stock = try #require(metrics.json["stock"] as? [[String: Any]], "\(metrics.text)")
                let figures = { (product: Int64) in stock.first { $0["productID"] as? Int == Int(product) } ?? [:] }
                #expect(figures(first)["scanRate"] as? Double == 0.45 && figures(first)["scanRateSource"] as? String == "counts", "\(metrics.text)")
                #expect(
                    figures(second)["scanRate"] as? Double == 0.7 && figures(second)["scanRateSource"] as? String == "mass_balance", "\(metrics.text)"
                )
                #expect(figures(first)["scanRateError"] as? Double == 0.01, "\(metrics.text)")
            }
        }
    }
}
