import Foundation

/// What the system knows of one SKU at one store: the last stock count on a visit and what
/// came in (case receipts) and went out (consumer scans) since.
public struct SKUPosition: Sendable, Equatable {
    public var productID: Int64
    public var unitsPerCase: Int
    /// The share of sold units consumers scan, for this SKU where the store is.
    public var scanRate: Double
    /// Units counted at the last visit, and the business day; nil when never counted.
    public var countedUnits: Int?
    public var countedDay: Int64?
    /// Units received and consumer-scanned since the count (since the beginning when never counted).
    public var receivedSince: Int
    public var scannedSince: Int
    /// Consumer-scanned units in the last 7 and 28 days.
    public var scanned7: Int
    public var scanned28: Int

    public init(productID: Int64, unitsPerCase: Int, scanRate: Double, countedUnits: Int?, countedDay: Int64?, receivedSince: Int, scannedSince: Int,
                scanned7: Int, scanned28: Int) {
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

    /// Estimated stock, velocity, days of cover and a reorder suggestion, as of `today`.
    public func figures(today: Int64, rules: StoreRules) -> StockFigures {
        let rate = min(1, max(0.01, scanRate))
        let stock = max(0, Double(countedUnits ?? 0) + Double(receivedSince) - Double(scannedSince) / rate)
        // Smoothed: the last week and the last four weeks weigh alike, corrected by the scan rate.
        let velocity = (0.5 * Double(scanned7) / 7 + 0.5 * Double(scanned28) / 28) / rate
        let cover: Double? = velocity > 0.001 ? stock / velocity : nil
        var reorderDay: Int64?
        var reorderUnits = 0
        if velocity > 0.001, let cover, cover < rules.targetCoverDays + rules.leadTimeDays {
            let wanted = velocity * (rules.targetCoverDays + rules.leadTimeDays) - stock
            let perCase = max(1, unitsPerCase)
            reorderUnits = Int((wanted / Double(perCase)).rounded(.up)) * perCase
            reorderDay = today + Int64(max(0, (cover - rules.leadTimeDays).rounded(.down)))
        }
        return StockFigures(productID: productID, scanRate: rate, estimatedStock: stock, velocity: velocity, daysOfCover: cover,
                            countedUnits: countedUnits, countedDay: countedDay, reorderDay: reorderDay, reorderUnits: reorderUnits)
    }
}

/// One SKU's stock position at a store, as pages and the API show it.
public struct StockFigures: Codable, Sendable, Equatable {
    public var productID: Int64
    /// The scan rate the figures were corrected with.
    public var scanRate: Double
    /// Units on hand: last count + received since − scanned since ÷ scan rate (never below 0).
    public var estimatedStock: Double
    /// Sold units per day (scan-rate corrected), the last week and the last four weeks averaged.
    public var velocity: Double
    /// Stock ÷ velocity; nil when the SKU does not sell.
    public var daysOfCover: Double?
    public var countedUnits: Int?
    public var countedDay: Int64?
    /// The business day an order should go out, and how many units (whole cases), when one is due soon.
    public var reorderDay: Int64?
    public var reorderUnits: Int
}

/// The scan rate measured from stock counts: between two counts, true sales are
/// `first count + received − second count`; the rate is scanned ÷ sold over all such intervals.
public enum ScanRate {
    /// One interval between two counts of a SKU at a store.
    public struct Interval: Sendable, Equatable {
        public var soldUnits: Int
        public var scannedUnits: Int
        public init(soldUnits: Int, scannedUnits: Int) {
            self.soldUnits = soldUnits
            self.scannedUnits = scannedUnits
        }
    }

    /// The measured rate when the intervals hold enough sold units, else the rules' default.
    /// Intervals where stock grew unexplained (sold < 0) are dropped as miscounts.
    public static func estimate(_ intervals: [Interval], rules: StoreRules) -> Double {
        let usable = intervals.filter { $0.soldUnits > 0 && $0.scannedUnits <= $0.soldUnits }
        let sold = usable.reduce(0) { $0 + $1.soldUnits }
        guard sold >= rules.minScanRateSample else { return rules.defaultScanRate }
        let scanned = usable.reduce(0) { $0 + $1.scannedUnits }
        return min(1, max(0.01, Double(scanned) / Double(sold)))
    }
}
