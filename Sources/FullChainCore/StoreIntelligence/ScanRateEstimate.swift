import Foundation

/// A scan rate (the share of sold units consumers scan), how sure it is, and where it came from.
public struct ScanRateEstimate: Codable, Sendable, Equatable {
    public enum Source: String, Codable, Sendable, CaseIterable {
        /// Stock counts on visits, sharpening the mass balance where there is one.
        case counts
        /// Scans ÷ receipts over a trailing window, pooled over stores.
        case massBalance = "mass_balance"
        /// The brand's default: nothing measured.
        case `default`
    }

    public var rate: Double
    /// One standard error of `rate`.
    public var standardError: Double
    public var source: Source
    /// Units behind the estimate: received (mass balance) plus sold between counts.
    public var sample: Int

    public init(rate: Double, standardError: Double, source: Source, sample: Int) {
        self.rate = rate
        self.standardError = standardError
        self.source = source
        self.sample = sample
    }

    /// The rules' default rate, as unsure as a rate can usefully be.
    public static func fallback(_ rules: StoreRules) -> ScanRateEstimate {
        ScanRateEstimate(rate: rules.defaultScanRate, standardError: defaultStandardError, source: .default, sample: 0)
    }

    /// The standard error shown with the default rate.
    public static let defaultStandardError = 0.1
}

/// Estimates scan rates from the mass balance of each SKU: over a long window, units received =
/// units sold + change in stock, and consumers scan a share of the units sold. Pooled over many
/// stores the stock changes average out, so scans ÷ receipts measures the rate. Receipts are taken
/// over the window shifted back by a cover period (stock on the shelf at the end is what came in
/// last), scans over the window's last part. Pure: no I/O.
public enum ScanRateEstimator {
    /// Stores a pooled estimate needs.
    public static let minStores = 5

    /// One store's SKU over the trailing window.
    public struct StoreSample: Sendable, Equatable {
        public var productID: Int64
        public var province: String
        public var storeType: String
        /// Units received from the window's start to its end less the cover period.
        public var received: Int
        /// Units scanned from the window's start plus the cover period to its end.
        public var scanned: Int

        public init(productID: Int64, province: String, storeType: String, received: Int, scanned: Int) {
            self.productID = productID
            self.province = province
            self.storeType = storeType
            self.received = received
            self.scanned = scanned
        }
    }

    /// Sold (by stock counts) and scanned units between visits, per SKU and province.
    public struct CountSample: Sendable, Equatable {
        public var productID: Int64
        public var province: String
        public var sold: Int
        public var scanned: Int

        public init(productID: Int64, province: String, sold: Int, scanned: Int) {
            self.productID = productID
            self.province = province
            self.sold = sold
            self.scanned = scanned
        }
    }

    /// A SKU's rate for stores of one province and store type; empty strings mean every province or type.
    public struct Key: Hashable, Sendable {
        public var productID: Int64
        public var province: String
        public var storeType: String

        public init(productID: Int64, province: String, storeType: String) {
            self.productID = productID
            self.province = province
            self.storeType = storeType
        }
    }

    /// Days of the cover period: the rules' target cover plus the lead time, whole days.
    public static func lagDays(_ rules: StoreRules) -> Int {
        let days = rules.targetCoverDays + rules.leadTimeDays
        guard days.isFinite, days > 0 else { return 0 }
        return Int(min(60, days.rounded(.up)))
    }

    /// Scans ÷ receipts pooled over stores, stores far from the others' ratio dropped (an overstock,
    /// a stock-out, a store that closed). The standard error is the ratio estimator's (between stores,
    /// binomial and stock changes together) and a share the pooling cannot remove: the stores' stock
    /// moving together by a day's sales over the `windowDays` of receipts. Nil with fewer than
    /// `minStores` stores or too few units.
    public static func pooled(_ samples: [(received: Int, scanned: Int)], minUnits: Int, windowDays: Int) -> ScanRateEstimate? {
        let usable = samples.filter { $0.received > 0 && $0.scanned >= 0 }
        guard usable.count >= minStores else { return nil }
        // Robust centre and spread of the per-store log ratios (a scan of ½ stands in for none).
        let logs = usable.map { log(max(0.5, Double($0.scanned)) / Double($0.received)) }
        let centre = Robust.median(logs)
        let spread = max(1.4826 * Robust.median(logs.map { abs($0 - centre) }), 0.05)
        let kept = zip(usable, logs).filter { abs($1 - centre) <= 3 * spread }.map(\.0)
        guard kept.count >= minStores else { return nil }
        let received = kept.reduce(0.0) { $0 + Double($1.received) }
        let scanned = kept.reduce(0.0) { $0 + Double($1.scanned) }
        guard received >= Double(max(1, minUnits)), received > 0 else { return nil }
        let rate = min(1, max(0.01, scanned / received))
        let n = Double(kept.count)
        let squares = kept.reduce(0.0) { sum, s in
            let residual = Double(s.scanned) - rate * Double(s.received)
            return sum + residual * residual
        }
        let ratioError = (squares * n / (n - 1)).squareRoot() / received
        // Never surer than the binomial over every unit.
        let binomial = (rate * (1 - rate) / received).squareRoot()
        let random = max(ratioError, binomial)
        let shared = rate / Double(max(1, windowDays))
        return ScanRateEstimate(
            rate: rate, standardError: (random * random + shared * shared).squareRoot(), source: .massBalance, sample: Int(received))
    }

    /// Combines an estimate with its wider group's: weights are the inverse variances, the group's
    /// being the spread between groups plus its own error. A thin group ends near the wider one;
    /// the result is never surer than the wider group.
    public static func shrunk(_ own: ScanRateEstimate, toward wider: ScanRateEstimate, betweenGroups: Double) -> ScanRateEstimate {
        let ownVariance = max(own.standardError * own.standardError, 1e-8)
        let widerVariance = max(betweenGroups, 0) + max(wider.standardError * wider.standardError, 1e-8)
        let weight = (1 / ownVariance) / (1 / ownVariance + 1 / widerVariance)
        let rate = weight * own.rate + (1 - weight) * wider.rate
        // The group's data is part of the wider group's: never surer than that.
        let error = max((1 / (1 / ownVariance + 1 / widerVariance)).squareRoot(), wider.standardError)
        return ScanRateEstimate(rate: min(1, max(0.01, rate)), standardError: error, source: own.source, sample: own.sample)
    }

    /// A mass-balance estimate sharpened by stock counts (inverse-variance weights); counts alone when there is no mass balance.
    /// Counts with fewer sold units than `minUnits`, or that are not a share (scanned beyond sold), leave it as it is.
    public static func sharpened(_ massBalance: ScanRateEstimate?, sold: Int, scanned: Int, minUnits: Int) -> ScanRateEstimate? {
        guard sold >= max(1, minUnits), scanned >= 0, scanned <= sold else { return massBalance }
        let rate = min(1, max(0.01, Double(scanned) / Double(sold)))
        // Counts are off by miscounts too: never surer than a binomial over half the units.
        let countVariance = max(rate * (1 - rate) / (Double(sold) / 2), 1e-8)
        let counted = ScanRateEstimate(rate: rate, standardError: countVariance.squareRoot(), source: .counts, sample: sold)
        guard let massBalance else { return counted }
        let mbVariance = max(massBalance.standardError * massBalance.standardError, 1e-8)
        let combined = (massBalance.rate / mbVariance + rate / countVariance) / (1 / mbVariance + 1 / countVariance)
        return ScanRateEstimate(
            rate: min(1, max(0.01, combined)), standardError: (1 / (1 / mbVariance + 1 / countVariance)).squareRoot(),
            source: .counts, sample: massBalance.sample + sold)
    }

    /// Rates per SKU nationwide, per province, and per province and store type where data supports them;
    /// each narrower group shrunk toward its wider one, the province sharpened by its stock counts.
    /// `windowDays`: the days over which `StoreSample.received` was summed.
    public static func estimate(stores: [StoreSample], counts: [CountSample], rules: StoreRules, windowDays: Int) -> ScanRateTable {
        let minUnits = rules.minScanRateSample
        var byProduct: [Int64: [StoreSample]] = [:]
        for s in stores { byProduct[s.productID, default: []].append(s) }
        var countsByProvince: [Int64: [String: (sold: Int, scanned: Int)]] = [:]
        for c in counts where c.sold > 0 && c.scanned >= 0 && c.scanned <= c.sold {
            let old = countsByProvince[c.productID, default: [:]][c.province] ?? (0, 0)
            countsByProvince[c.productID, default: [:]][c.province] = (old.sold + c.sold, old.scanned + c.scanned)
        }
        var table: [Key: ScanRateEstimate] = [:]
        for product in Set(byProduct.keys).union(countsByProvince.keys) {
            let samples = byProduct[product] ?? []
            let provinceCounts = countsByProvince[product] ?? [:]
            let allCounts = provinceCounts.values.reduce((sold: 0, scanned: 0)) { ($0.sold + $1.sold, $0.scanned + $1.scanned) }
            let pairs = { (list: [StoreSample]) in list.map { (received: $0.received, scanned: $0.scanned) } }
            let pooled = { (list: [StoreSample]) in Self.pooled(pairs(list), minUnits: minUnits, windowDays: windowDays) }
            guard
                let nationwide = sharpened(
                    pooled(samples), sold: allCounts.sold, scanned: allCounts.scanned,
                    minUnits: minUnits)
            else { continue }
            table[Key(productID: product, province: "", storeType: "")] = nationwide
            // Provinces: measured where the data supports it, shrunk toward the SKU nationwide.
            let byProvince = Dictionary(grouping: samples, by: \.province)
            var provinces: [String: ScanRateEstimate] = [:]
            for province in Set(byProvince.keys).union(provinceCounts.keys) where !province.isEmpty {
                let c = provinceCounts[province] ?? (0, 0)
                if let own = sharpened(pooled(byProvince[province] ?? []), sold: c.sold, scanned: c.scanned, minUnits: minUnits) {
                    provinces[province] = own
                }
            }
            let provinceSpread = betweenGroups(Array(provinces.values))
            for (province, own) in provinces {
                let shrunkProvince = shrunk(own, toward: nationwide, betweenGroups: provinceSpread)
                table[Key(productID: product, province: province, storeType: "")] = shrunkProvince
                // Store types within the province, shrunk toward it.
                var types: [String: ScanRateEstimate] = [:]
                for (type, list) in Dictionary(grouping: byProvince[province] ?? [], by: \.storeType) where !type.isEmpty {
                    if let own = pooled(list) { types[type] = own }
                }
                let typeSpread = betweenGroups(Array(types.values))
                for (type, own) in types {
                    var typed = shrunk(own, toward: shrunkProvince, betweenGroups: typeSpread)
                    if shrunkProvince.source == .counts { typed.source = .counts }
                    table[Key(productID: product, province: province, storeType: type)] = typed
                }
            }
        }
        return ScanRateTable(table)
    }

    /// The variance of the groups' true rates beyond their own errors (DerSimonian–Laird: the weighted spread
    /// around the groups' mean less what their errors explain, never below 0).
    static func betweenGroups(_ groups: [ScanRateEstimate]) -> Double {
        guard groups.count >= 2 else { return 0 }
        let weights = groups.map { 1 / max($0.standardError * $0.standardError, 1e-8) }
        let total = weights.reduce(0, +)
        let mean = zip(groups, weights).reduce(0.0) { $0 + $1.0.rate * $1.1 } / total
        let q = zip(groups, weights).reduce(0.0) { $0 + $1.1 * ($1.0.rate - mean) * ($1.0.rate - mean) }
        let scale = total - weights.reduce(0.0) { $0 + $1 * $1 } / total
        guard scale > 0 else { return 0 }
        return max(0, (q - Double(groups.count - 1)) / scale)
    }
}

/// Measured scan rates with the narrowest group first on lookup: province and store type, province, nationwide, then the default.
public struct ScanRateTable: Sendable, Equatable {
    public let estimates: [ScanRateEstimator.Key: ScanRateEstimate]

    public init(_ estimates: [ScanRateEstimator.Key: ScanRateEstimate]) {
        self.estimates = estimates
    }

    public func estimate(productID: Int64, province: String, storeType: String, rules: StoreRules) -> ScanRateEstimate {
        estimates[ScanRateEstimator.Key(productID: productID, province: province, storeType: storeType)]
            ?? estimates[ScanRateEstimator.Key(productID: productID, province: province, storeType: "")]
            ?? estimates[ScanRateEstimator.Key(productID: productID, province: "", storeType: "")]
            ?? .fallback(rules)
    }
}
