import Foundation
@testable import FullChainApp
import FullChainCore
@testable import FullChainServer
import FullChainStorage
import HTTPTypes
import Testing

/// A SKU with too few stock counts in a store's province takes the rate measured across all
/// provinces, on the store's figures as in the daily job; the province's own rate wins when there is one.
@Suite("Scan rate fallback")
struct ScanRateFallbackTests {
    @Test func theJobKeepsTheRateAcrossProvincesForStorePages() throws {
        let rules = StoreRules()
        let samples: [(productID: Int64, province: String, sold: Int, scanned: Int)] = [
            (7, "44", rules.minScanRateSample * 2, rules.minScanRateSample), (7, "31", rules.minScanRateSample / 2, rules.minScanRateSample / 4),
        ]
        let rates = StoreIntelligenceService.scanRates(samples, rules: rules)
        let all = rates.rows.first { $0.province == ScanRateRow.everyProvince }
        #expect(all != nil && all?.productID == 7 && all?.sample == rules.minScanRateSample * 5 / 2 && all?.rate == rates.rate(product: 7, province: "11", rules: rules))
        #expect(rates.rows.filter { $0.province == "31" }.isEmpty && rates.rows.contains { $0.province == "44" })
    }

    @Test(arguments: APIBackend.all)
    func storeFiguresUseTheProvinceRateThenTheRateAcrossProvinces(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let storage = app.storage
            let tenantID = world.tenantA.id
            let first = try #require(try await storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first).id
            let second = try await storage.products.create(ProductDraft(sku: "TEA-1L", gtin: try #require(GTIN("6901234567908")), name: "清爽绿茶 1L", category: "茶饮料",
                                                                        priceFen: 600, unitsPerCase: 12), tenantID: tenantID).id
            let yesterday = StoreIntelligenceService.lastCompleteDay()
            try await storage.storeIntelligence.recordHistory(
                StoreIntelligenceTests.history(storeID: world.storeST1, productID: first, through: yesterday, perDay: 6, quietDays: 0)
                    + StoreIntelligenceTests.history(storeID: world.storeST1, productID: second, through: yesterday, perDay: 6, quietDays: 0),
                tenantID: tenantID)
            // ST1 is in Beijing (11): the first SKU has a Beijing rate and one across provinces; the second only the latter.
            let rows = [ScanRateRow(productID: first, province: "11", rate: 0.4, sample: 900), ScanRateRow(productID: first, province: ScanRateRow.everyProvince, rate: 0.6, sample: 5_000),
                        ScanRateRow(productID: second, province: ScanRateRow.everyProvince, rate: 0.7, sample: 5_000), ScanRateRow(productID: second, province: "44", rate: 0.2, sample: 900)]
            _ = try await storage.storeIntelligence.applyJob(findings: [], outcomes: [], profiles: [], scanRates: rows, day: yesterday,
                                                             at: currentMillis(), tenantID: tenantID)
            try await app.test { client in
                let metrics = try await client.call(.get, "/api/v1/stores/\(world.storeST1)/metrics", token: world.adminToken)
                let stock = try #require(metrics.json["stock"] as? [[String: Any]], "\(metrics.text)")
                let rate = { (product: Int64) in stock.first { $0["productID"] as? Int == Int(product) }?["scanRate"] as? Double }
                #expect(rate(first) == 0.4 && rate(second) == 0.7, "\(metrics.text)")
            }
        }
    }
}
