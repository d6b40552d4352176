import Foundation

/// A seeded simulation of stores selling SKUs day by day, with the salesperson's stock counts
/// and abnormal stores injected (spikes, drops, dormancy, stock-outs, overstock, stores far
/// from their peers). Tests measure the detector's precision and recall on it; the demo and
/// the benchmark load its figures.
///
/// Each day a SKU's demand is Poisson around the store's level × a weekday factor; the store
/// sells what it has; consumers scan each sold unit with the SKU's scan rate; the distributor
/// delivers whole cases two days after stock falls below ten days of sales.
public struct StoreSimulation: Sendable {
    /// A store to simulate: its id and its peer group (city and store type).
    public struct StoreSpec: Sendable {
        public var storeID: Int64
        public var peerGroup: String
        public init(storeID: Int64, peerGroup: String) {
            self.storeID = storeID
            self.peerGroup = peerGroup
        }
    }

    /// A SKU to simulate: its share of a store's sales and the share of units consumers scan.
    public struct ProductSpec: Sendable {
        public var productID: Int64
        public var unitsPerCase: Int
        public var share: Double
        public var scanRate: Double
        public init(productID: Int64, unitsPerCase: Int, share: Double, scanRate: Double) {
            self.productID = productID
            self.unitsPerCase = unitsPerCase
            self.share = share
            self.scanRate = scanRate
        }
    }

    /// One SKU at one store, per day (index 0 is `firstDay`).
    public struct SKUDays: Sendable {
        public var productID: Int64
        public var unitsPerCase: Int
        /// Units on hand before day 0.
        public var initialStock: Int
        public var scanned: [Int]
        public var received: [Int]
        public var sold: [Int]
    }

    /// A stock count on a visit: the units left at the end of that day.
    public struct StockCount: Sendable, Equatable {
        public var dayIndex: Int
        public var productID: Int64
        public var units: Int
    }

    public struct SimulatedStore: Sendable {
        public var storeID: Int64
        public var peerGroup: String
        /// The anomaly put into this store, if any (ground truth for the detector).
        public var injected: StoreAnomalyKind?
        public var injectedProductID: Int64?
        public var skus: [SKUDays]
        public var counts: [StockCount]
        /// Scanned units per day over every SKU.
        public var scannedPerDay: [Int] {
            guard let first = skus.first else { return [] }
            var total = Array(repeating: 0, count: first.scanned.count)
            for sku in skus { for (i, value) in sku.scanned.enumerated() { total[i] += value } }
            return total
        }
    }

    public var firstDay: Int64
    public var days: Int
    public var stores: [SimulatedStore]

    /// Injected kinds, in the order stores get them.
    public static let injectable: [StoreAnomalyKind] = [.tooHigh, .tooLow, .dormant, .outOfStockRisk, .slowMover, .offPeers]

    /// Simulates `days` days from `firstDay`; one store in `anomalousEvery` gets an injected anomaly (kinds in turn).
    /// `levelScale` multiplies every store's level (the benchmark uses it to reach a number of scans).
    /// Salespeople start counting stock on `firstVisitDay` (an index; 0 is the first day).
    /// Stores may be simulated in parts with different seeds: a peer group's level depends only on its name.
    public static func run(
        stores specs: [StoreSpec], products: [ProductSpec], firstDay: Int64, days: Int = 90, anomalousEvery: Int = 8,
        levelScale: Double = 1, firstVisitDay: Int = 0, seed: UInt64
    ) -> StoreSimulation {
        var random = SeededRandom(seed: seed)
        // Each peer group has its own typical level (true units a day of the first SKU): 6 to 12.
        var groupLevel: [String: Double] = [:]
        for spec in specs where groupLevel[spec.peerGroup] == nil {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in spec.peerGroup.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            var groupRandom = SeededRandom(seed: hash)
            groupLevel[spec.peerGroup] = (6 + groupRandom.unit() * 6) * levelScale
        }
        let weekday = [1.0, 0.95, 0.95, 1.0, 1.1, 1.35, 1.3]
        // Which stores get which anomaly: one in `anomalousEvery`, spread at random over the peer groups, kinds in turn.
        var order = Array(specs.indices)
        random.shuffle(&order)
        var injections: [Int: (kind: StoreAnomalyKind, turn: Int)] = [:]
        for (turn, index) in order.prefix(anomalousEvery > 0 ? specs.count / anomalousEvery : 0).enumerated() {
            injections[index] = (injectable[turn % injectable.count], turn / injectable.count)
        }
        var stores: [SimulatedStore] = []
        for (index, spec) in specs.enumerated() {
            let injected = injections[index]?.kind
            var factor = exp(0.3 * random.gaussianPair().0)
            // Far from peers: a fifth of their level, or five times it.
            if injected == .offPeers { factor = (injections[index]?.turn ?? 0) % 2 == 0 ? 0.2 : 5 }
            let target = products.isEmpty ? 0 : random.int(below: products.count)
            let injectedProductID = injected?.isPerProduct == true ? products[target].productID : nil
            // When the injection starts, counted back from the last day.
            let spikeDays = 7, dropDays = 9
            let dormantDays = 16 + random.int(below: 15)
            let noDeliveryDays = 22 + random.int(below: 9)
            let spikeFactor = 2.5 + random.unit() * 1.5
            let dropFactor = 0.05 + random.unit() * 0.2
            let overstockDays = 80 + random.unit() * 40

            var skus: [SKUDays] = []
            for (p, product) in products.enumerated() {
                let level = (groupLevel[spec.peerGroup] ?? 8) * factor * product.share
                // Stores traded before the first day: stock anywhere between the reorder point and a fresh delivery.
                var stock = Int(level * (10 + random.unit() * 14))
                var arrivals: [Int: Int] = [:]
                var sku = SKUDays(
                    productID: product.productID, unitsPerCase: product.unitsPerCase, initialStock: stock, scanned: [], received: [], sold: [])
                let perCase = max(1, product.unitsPerCase)
                for i in 0..<days {
                    let fromEnd = days - i
                    var arrived = arrivals.removeValue(forKey: i) ?? 0
                    var multiplier = 1.0
                    var deliveries = true
                    switch injected {
                    case .tooHigh? where fromEnd <= spikeDays:
                        multiplier = spikeFactor
                        if fromEnd == spikeDays { arrived += Int(level * spikeFactor * Double(spikeDays + 3)) }
                    case .tooLow? where fromEnd <= dropDays:
                        multiplier = dropFactor
                    case .dormant? where fromEnd <= dormantDays:
                        multiplier = 0
                        deliveries = false
                    case .outOfStockRisk? where p == target && fromEnd <= noDeliveryDays:
                        deliveries = false
                    case .slowMover? where p == target && fromEnd == 20:
                        arrived += Int((level * overstockDays / Double(perCase)).rounded(.up)) * perCase
                    default:
                        break
                    }
                    stock += arrived
                    let demand = random.poisson(level * weekday[Int((firstDay + Int64(i)) % 7)] * multiplier)
                    let sold = min(demand, stock)
                    stock -= sold
                    var scanned = 0
                    for _ in 0..<sold where random.chance(product.scanRate) { scanned += 1 }
                    sku.sold.append(sold)
                    sku.scanned.append(scanned)
                    sku.received.append(arrived)
                    let pipeline = arrivals.values.reduce(0, +)
                    if deliveries, Double(stock + pipeline) <= level * 10 {
                        arrivals[i + 2, default: 0] += max(1, Int((level * 14 / Double(perCase)).rounded(.up))) * perCase
                    }
                }
                skus.append(sku)
            }
            // The salesperson visits about every two weeks and counts each SKU at the end of the day.
            var counts: [StockCount] = []
            var day = max(0, firstVisitDay) + random.int(below: 14)
            while day < days {
                for sku in skus {
                    let onHand = stockAtEnd(of: day, sku: sku)
                    counts.append(StockCount(dayIndex: day, productID: sku.productID, units: onHand))
                }
                day += 11 + random.int(below: 7)
            }
            stores.append(
                SimulatedStore(
                    storeID: spec.storeID, peerGroup: spec.peerGroup, injected: injected, injectedProductID: injectedProductID,
                    skus: skus, counts: counts))
        }
        return StoreSimulation(firstDay: firstDay, days: days, stores: stores)
    }

    /// The stock left at the end of a day.
    static func stockAtEnd(of day: Int, sku: SKUDays) -> Int {
        var stock = sku.initialStock
        for i in 0...day { stock += sku.received[i] - sku.sold[i] }
        return stock
    }

    /// The scan rates learned as of the last day: scans ÷ receipts over the days simulated (receipts up to a cover
    /// period before the end, scans from a cover period after the start), pooled over stores (a peer group's city is
    /// its province), sharpened by the stock counts.
    public func scanRates(rules: StoreRules) -> ScanRateTable {
        let window = min(days, rules.historyDays)
        let lag = min(ScanRateEstimator.lagDays(rules), window / 2)
        let first = days - window
        var samples: [ScanRateEstimator.StoreSample] = []
        var counted: [ScanRateEstimator.CountSample] = []
        for store in stores {
            let parts = store.peerGroup.split(separator: ":", maxSplits: 1).map(String.init)
            let province = parts.first ?? "", type = parts.count > 1 ? parts[1] : ""
            for sku in store.skus where sku.received.count == days && sku.scanned.count == days {
                samples.append(
                    ScanRateEstimator.StoreSample(
                        productID: sku.productID, province: province, storeType: type,
                        received: sku.received[first..<(days - lag)].reduce(0, +),
                        scanned: sku.scanned[(first + lag)..<days].reduce(0, +)))
                let counts = store.counts.filter { $0.productID == sku.productID }.sorted { $0.dayIndex < $1.dayIndex }
                for (a, b) in zip(counts, counts.dropFirst()) {
                    let range = (a.dayIndex + 1)...b.dayIndex
                    let sold = a.units + range.reduce(0) { $0 + sku.received[$1] } - b.units
                    let scanned = range.reduce(0) { $0 + sku.scanned[$1] }
                    // Stock that grew unexplained, or more scanned than sold, is a miscount.
                    guard sold > 0, scanned <= sold else { continue }
                    counted.append(ScanRateEstimator.CountSample(productID: sku.productID, province: province, sold: sold, scanned: scanned))
                }
            }
        }
        return ScanRateEstimator.estimate(stores: samples, counts: counted, rules: rules, windowDays: window - lag)
    }

    /// What the detector sees as of the last day: scanned units per day, and each SKU's position
    /// from its last count, with the learned scan rates.
    public func histories(rules: StoreRules) -> [StoreHistory] {
        let rates = scanRates(rules: rules)
        return stores.map { store in
            let parts = store.peerGroup.split(separator: ":", maxSplits: 1).map(String.init)
            let province = parts.first ?? "", type = parts.count > 1 ? parts[1] : ""
            let positions = store.skus.map { sku -> SKUPosition in
                let last = store.counts.filter { $0.productID == sku.productID }.max { $0.dayIndex < $1.dayIndex }
                let from = (last?.dayIndex ?? -1) + 1
                let since = from < days ? Array(from..<days) : []
                return SKUPosition(
                    productID: sku.productID, unitsPerCase: sku.unitsPerCase,
                    scanRate: rates.estimate(productID: sku.productID, province: province, storeType: type, rules: rules),
                    countedUnits: last?.units, countedDay: last.map { firstDay + Int64($0.dayIndex) },
                    receivedSince: since.reduce(0) { $0 + sku.received[$1] }, scannedSince: since.reduce(0) { $0 + sku.scanned[$1] },
                    scanned7: sku.scanned.suffix(7).reduce(0, +), scanned28: sku.scanned.suffix(28).reduce(0, +))
            }
            return StoreHistory(storeID: store.storeID, peerGroup: store.peerGroup, sold: store.scannedPerDay, skus: positions)
        }
    }
}

extension SeededRandom {
    /// A Poisson draw (Knuth's method below 30, a rounded normal above).
    public mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean >= 30 {
            return max(0, Int((mean + mean.squareRoot() * gaussianPair().0).rounded()))
        }
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            product *= unit()
            count += 1
        }
        return count
    }
}
