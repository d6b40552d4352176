import Foundation
import FullChainCore
import Testing

/// Scan rates from the mass balance: pooled over stores with a standard error, outlying stores dropped,
/// thin groups shrunk toward the wider one, stock counts sharpening; the stock range and the alerts that follow from it.
@Suite("Scan rate estimate")
struct ScanRateEstimateTests {
    @Test func scansOverReceiptsPooledOverStores() throws {
        // Five stores scanning 40% of what they received over 74 days: 0.4; the error is the binomial over 1,500 units
        // and a day's sales of stock the stores may have gained or lost together (0.4 ÷ 74).
        let even = [(received: 100, scanned: 40), (200, 80), (300, 120), (400, 160), (500, 200)].map { (received: $0.0, scanned: $0.1) }
        let rate = try #require(ScanRateEstimator.pooled(even, minUnits: 100, windowDays: 74))
        #expect(rate.rate == 0.4 && rate.source == .massBalance && rate.sample == 1_500)
        #expect(abs(rate.standardError - (0.4 * 0.6 / 1_500 + (0.4 / 74) * (0.4 / 74)).squareRoot()) < 1e-12)
        // Four stores are too few to pool; too few units as well.
        #expect(ScanRateEstimator.pooled(Array(even.prefix(4)), minUnits: 100, windowDays: 74) == nil)
        #expect(ScanRateEstimator.pooled(even, minUnits: 2_000, windowDays: 74) == nil)
        // A store that took in a year's stock (scans ÷ receipts far below the others) is left out.
        let overstocked = even + [(received: 5_000, scanned: 40)]
        #expect(try #require(ScanRateEstimator.pooled(overstocked, minUnits: 100, windowDays: 74)).rate == 0.4)
        // Stores that differ widen the error beyond the binomial.
        let uneven = [(received: 100, scanned: 30), (200, 90), (300, 110), (400, 170), (500, 200)].map { (received: $0.0, scanned: $0.1) }
        let wide = try #require(ScanRateEstimator.pooled(uneven, minUnits: 100, windowDays: 74))
        #expect(wide.rate == 0.4 && wide.standardError > rate.standardError)
    }

    @Test func thinGroupsShrinkTowardTheWiderOne() {
        let nationwide = ScanRateEstimate(rate: 0.40, standardError: 0.005, source: .massBalance, sample: 50_000)
        let thin = ScanRateEstimate(rate: 0.30, standardError: 0.10, source: .massBalance, sample: 40)
        let thick = ScanRateEstimate(rate: 0.30, standardError: 0.005, source: .massBalance, sample: 40_000)
        let spread = 0.02 * 0.02
        let shrunkThin = ScanRateEstimator.shrunk(thin, toward: nationwide, betweenGroups: spread)
        let shrunkThick = ScanRateEstimator.shrunk(thick, toward: nationwide, betweenGroups: spread)
        #expect(abs(shrunkThin.rate - 0.40) < 0.01 && abs(shrunkThick.rate - 0.30) < 0.01, "\(shrunkThin) \(shrunkThick)")
        #expect(shrunkThin.standardError < thin.standardError)
        // No spread between groups: every group is the wider one.
        #expect(abs(ScanRateEstimator.shrunk(thick, toward: nationwide, betweenGroups: 0).rate - 0.35) < 0.01)
    }

    @Test func stockCountsSharpenTheMassBalance() throws {
        let massBalance = ScanRateEstimate(rate: 0.40, standardError: 0.02, source: .massBalance, sample: 5_000)
        // 1,000 units sold between counts, 300 scanned: the counts pull the rate toward 0.3 and narrow it.
        let sharpened = try #require(ScanRateEstimator.sharpened(massBalance, sold: 1_000, scanned: 300, minUnits: 100))
        #expect(sharpened.source == .counts && sharpened.rate < 0.40 && sharpened.rate > 0.30 && sharpened.standardError < 0.02)
        #expect(sharpened.sample == 6_000)
        // Too few units counted, or more scanned than sold: the mass balance stands.
        #expect(ScanRateEstimator.sharpened(massBalance, sold: 50, scanned: 15, minUnits: 100) == massBalance)
        #expect(ScanRateEstimator.sharpened(massBalance, sold: 200, scanned: 300, minUnits: 100) == massBalance)
        // Counts alone where there is no mass balance.
        #expect(ScanRateEstimator.sharpened(nil, sold: 1_000, scanned: 300, minUnits: 100)?.rate == 0.3)
    }

    @Test func theTableFallsBackFromStoreTypeToProvinceToNationwideToTheDefault() {
        let rules = StoreRules()
        // Guangdong supermarkets: 30 stores at 0.4; Beijing: 6 grocery stores at 0.4. Product 2 is counted only (Beijing).
        var stores: [ScanRateEstimator.StoreSample] = []
        for i in 0..<30 {
            stores.append(.init(productID: 1, province: "44", storeType: "supermarket", received: 300 + 10 * i, scanned: (300 + 10 * i) * 2 / 5))
        }
        for i in 0..<6 {
            stores.append(.init(productID: 1, province: "11", storeType: "grocery", received: 300 + 10 * i, scanned: (300 + 10 * i) * 2 / 5))
        }
        let counts = [ScanRateEstimator.CountSample(productID: 2, province: "11", sold: 500, scanned: 150)]
        let table = ScanRateEstimator.estimate(stores: stores, counts: counts, rules: rules, windowDays: 74)
        let bySupermarket = table.estimate(productID: 1, province: "44", storeType: "supermarket", rules: rules)
        #expect(abs(bySupermarket.rate - 0.4) < 1e-9 && bySupermarket.source == .massBalance)
        #expect(table.estimates[.init(productID: 1, province: "44", storeType: "supermarket")] != nil)
        // A type with no stores takes its province's rate; a province with none the nationwide one.
        #expect(
            table.estimate(productID: 1, province: "44", storeType: "restaurant", rules: rules)
                == table.estimates[.init(productID: 1, province: "44", storeType: "")])
        #expect(
            table.estimate(productID: 1, province: "31", storeType: "grocery", rules: rules)
                == table.estimates[.init(productID: 1, province: "", storeType: "")])
        #expect(table.estimate(productID: 2, province: "11", storeType: "grocery", rules: rules).source == .counts)
        #expect(table.estimate(productID: 3, province: "11", storeType: "grocery", rules: rules) == .fallback(rules))
    }

    @Test func theStockCarriesARangeAndABelowZeroEstimateIsUnknown() {
        let rules = StoreRules()
        let sure = ScanRateEstimate(rate: 0.5, standardError: 0, source: .massBalance, sample: 10_000)
        let unsure = ScanRateEstimate(rate: 0.5, standardError: 0.05, source: .massBalance, sample: 500)
        // 100 counted + 50 received − 50 scanned ÷ ½ = 50; the range widens with the rate's error.
        let position = SKUPosition(
            productID: 1, unitsPerCase: 12, scanRate: sure, countedUnits: 100, countedDay: 10, receivedSince: 50, scannedSince: 50,
            scanned7: 14, scanned28: 56)
        let figures = position.figures(today: 20, rules: rules)
        let sampling = StockFigures.rangeZ * (50 * 0.5).squareRoot() / 0.5
        #expect(figures.estimatedStock == 50 && abs(figures.stockHigh - (50 + sampling)) < 1e-9 && abs(figures.stockLow - (50 - sampling)) < 1e-9)
        var widened = position
        widened.scanRate = unsure
        let wide = widened.figures(today: 20, rules: rules)
        #expect(
            wide.stockHigh > figures.stockHigh && wide.stockLow < figures.stockLow && wide.scanRateError == 0.05
                && wide.scanRateSource == .massBalance)
        // More scanned than the count and receipts allow: unknown, not 0.
        var over = position
        over.scannedSince = 200
        let unknown = over.figures(today: 20, rules: rules)
        #expect(unknown.estimatedStock == nil && unknown.daysOfCover == nil && unknown.stockLow == 0)
    }

    @Test func noStockAlertFromTheDefaultRate() {
        let rules = StoreRules()
        var sold = (0..<90).map { $0 % 7 == 5 ? 14 : 10 }
        for i in 84..<90 { sold[i] = 0 }
        // An empty shelf by the measured rate; the same figures with the default rate raise nothing about stock.
        let measured = ScanRateEstimate(rate: 0.5, standardError: 0.005, source: .massBalance, sample: 20_000)
        let empty = SKUPosition(
            productID: 1, unitsPerCase: 12, scanRate: measured, countedUnits: 30, countedDay: 87, receivedSince: 0, scannedSince: 20,
            scanned7: 10, scanned28: 250)
        let found = AnomalyDetector.assess([StoreHistory(storeID: 1, peerGroup: "g", sold: sold, skus: [empty])], rules: rules, today: 89)[0]
        #expect(found.anomalies.map(\.kind) == [.outOfStockRisk])
        var unmeasured = empty
        unmeasured.scanRate = .fallback(rules)
        let quiet = AnomalyDetector.assess([StoreHistory(storeID: 1, peerGroup: "g", sold: sold, skus: [unmeasured])], rules: rules, today: 89)[0]
        #expect(!quiet.anomalies.contains { $0.kind == .outOfStockRisk }, "\(quiet.anomalies)")
        // 50 left of a usual 23 a day: raised with a sure rate, not when the rate is so unsure the high end covers more than 3 days.
        var counted = empty
        counted.countedUnits = 90
        let sure = AnomalyDetector.assess([StoreHistory(storeID: 1, peerGroup: "g", sold: sold, skus: [counted])], rules: rules, today: 89)[0]
        #expect(sure.anomalies.map(\.kind) == [.outOfStockRisk], "\(sure.stock)")
        var unsure = counted
        unsure.scanRate = ScanRateEstimate(rate: 0.5, standardError: 0.2, source: .massBalance, sample: 50)
        let maybe = AnomalyDetector.assess([StoreHistory(storeID: 1, peerGroup: "g", sold: sold, skus: [unsure])], rules: rules, today: 89)[0]
        #expect(!maybe.anomalies.contains { $0.kind == .outOfStockRisk }, "\(maybe.stock)")
    }
}
