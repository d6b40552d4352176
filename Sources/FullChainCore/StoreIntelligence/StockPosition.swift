import Foundation

/// What the system knows of one SKU at one store: the last stock count on a visit and what
/// came in (case receipts) and went out (consumer scans) since.
public struct SKUPosition: Sendable, Equatable {
    public var productID: Int64
    public var unitsPerCase: Int
    /// The share of sold units consumers scan, for this SKU where the store is, with its uncertainty.
    public var scanRate: ScanRateEstimate
    /// Units counted at the last visit, and the business day; nil when never counted.
    public var countedUnits: Int?
    public var countedDay: Int64?
    /// Units received and consumer-scanned since the count (since the beginning when never counted).
    public var receivedSince: Int
    public var scannedSince: Int
    /// Consumer-scanned units in the last 7 and 28 days.
    public var scanned7: Int
    public var scanned28: Int

    public init(
        productID: Int64, unitsPerCase: Int, scanRate: ScanRateEstimate, countedUnits: Int?, countedDay: Int64?, receivedSince: Int,
        scannedSince: Int,
        scanned7: Int, scanned28: Int
    ) {
        self.productID = productID
        self.unitsPerCase = unitsPerCase
        self.scanRate = scanRate
        self.countedUnits = countedUnits
        self.countedDay = countedDay
        self.receivedSince = receivedSince
        self.scannedSince = scannedSince
        self.scanned7 = scanned7
        self.scanned28 = scanned28
    }

    /// Estimated stock with its range, velocity, days of cover and a reorder suggestion, as of `today`.
    public func figures(today: Int64, rules: StoreRules) -> StockFigures {
        let rate = min(1, max(0.01, scanRate.rate.isFinite ? scanRate.rate : rules.defaultScanRate))
        let rateError = scanRate.standardError.isFinite ? min(1, max(0, scanRate.standardError)) : ScanRateEstimate.defaultStandardError
        let base = Double(countedUnits ?? 0) + Double(receivedSince)
        let scanned = Double(max(0, scannedSince))
        let raw = base - scanned / rate
        // The range (90%): the rate's standard error and the scans' sampling of the units sold, in quadrature.
        let fromRate = scanned * rateError / (rate * rate)
        let fromSampling = (scanned * (1 - rate)).squareRoot() / rate
        let spread = StockFigures.rangeZ * (fromRate * fromRate + fromSampling * fromSampling).squareRoot()
        let high = max(0, raw + spread)
        let low = max(0, raw - spread)
        // Smoothed: the last week and the last four weeks weigh alike, corrected by the scan rate.
        let velocity = (0.5 * Double(scanned7) / 7 + 0.5 * Double(scanned28) / 28) / rate
        let stock = max(0, raw)
        let cover: Double? = velocity > 0.001 ? stock / velocity : nil
        var reorderDay: Int64?
        var reorderUnits = 0
        if velocity > 0.001, let cover, cover < rules.targetCoverDays + rules.leadTimeDays {
            let wanted = velocity * (rules.targetCoverDays + rules.leadTimeDays) - stock
            let perCase = max(1, unitsPerCase)
            reorderUnits = Int((wanted / Double(perCase)).rounded(.up)) * perCase
            reorderDay = today + Int64(max(0, (cover - rules.leadTimeDays).rounded(.down)))
        }
        return StockFigures(
            productID: productID, scanRate: rate, scanRateError: rateError, scanRateSource: scanRate.source,
            estimatedStock: raw >= 0 ? raw : nil, stockLow: low, stockHigh: high, velocity: velocity,
            daysOfCover: raw >= 0 ? cover : nil, countedUnits: countedUnits, countedDay: countedDay, reorderDay: reorderDay,
            reorderUnits: reorderUnits)
    }
}

/// One SKU's stock position at a store, as pages and the API show it.
public struct StockFigures: Codable, Sendable, Equatable {
    public var productID: Int64
    /// The scan rate the figures were corrected with, its standard error, and where it came from.
    public var scanRate: Double
    public var scanRateError: Double
    public var scanRateSource: ScanRateEstimate.Source
    /// Units on hand: last count + received since − scanned since ÷ scan rate; nil (unknown) when that is below 0.
    public var estimatedStock: Double?
    /// The stock's 90% range from the rate's uncertainty and the scans' sampling (never below 0).
    public var stockLow: Double
    public var stockHigh: Double
    /// Sold units per day (scan-rate corrected), the last week and the last four weeks averaged.
    public var velocity: Double
    /// Stock ÷ velocity; nil when the SKU does not sell or the stock is unknown.
    public var daysOfCover: Double?
    public var countedUnits: Int?
    public var countedDay: Int64?
    /// The business day an order should go out, and how many units (whole cases), when one is due soon.
    public var reorderDay: Int64?
    public var reorderUnits: Int

    public init(
        productID: Int64, scanRate: Double, scanRateError: Double, scanRateSource: ScanRateEstimate.Source, estimatedStock: Double?,
        stockLow: Double, stockHigh: Double, velocity: Double, daysOfCover: Double?, countedUnits: Int?, countedDay: Int64?,
        reorderDay: Int64?, reorderUnits: Int
    ) {
        self.productID = productID
        self.scanRate = scanRate
        self.scanRateError = scanRateError
        self.scanRateSource = scanRateSource
        self.estimatedStock = estimatedStock
        self.stockLow = stockLow
        self.stockHigh = stockHigh
        self.velocity = velocity
        self.daysOfCover = daysOfCover
        self.countedUnits = countedUnits
        self.countedDay = countedDay
        self.reorderDay = reorderDay
        self.reorderUnits = reorderUnits
    }

    /// Standard errors either side of the estimate that make its 90% range.
    public static let rangeZ = 1.645

    /// Days of cover at the high end of the stock's range; nil when the SKU does not sell.
    public var coverHigh: Double? { velocity > 0.001 ? stockHigh / velocity : nil }
}
