import Foundation

/// One store's history as the daily job reads it from the rollups.
public struct StoreHistory: Sendable {
    public var storeID: Int64
    /// Stores compared with each other: the same city and store type.
    public var peerGroup: String
    /// Consumer-scanned units per business day, oldest first; the last element is the day judged.
    public var sold: [Int]
    public var skus: [SKUPosition]

    public init(storeID: Int64, peerGroup: String, sold: [Int], skus: [SKUPosition]) {
        self.storeID = storeID
        self.peerGroup = peerGroup
        self.sold = sold
        self.skus = skus
    }
}

/// What the job concluded about one store.
public struct StoreAssessment: Sendable {
    public var storeID: Int64
    public var anomalies: [StoreAnomaly]
    public var stock: [StockFigures]
    /// Scanned units in the recent window, and what the store's own baseline expected.
    public var observedWindow: Double
    public var expectedWindow: Double
    /// Scanned units per day over the four weeks before the window (the level peers are compared on).
    public var level: Double
}

/// Finds abnormal stores. Pure: the same histories and rules always give the same findings.
///
/// - Own baseline: each day of the recent window is expected to sell the median of the same
///   weekday over the baseline weeks (weekly seasonality); the window's total is scored against
///   the spread (median absolute deviation) of earlier weekly totals, with a Poisson floor.
/// - Peers: the store's level on a log scale against the median and MAD of its peer group.
/// - Dormant: a trailing run of days without scans after a store that sold.
/// - Stock: estimated stock from counts, receipts and scan-rate corrected sales, judged at the end of its range
///   that must say so (never with the default rate).
///
/// One cause is named once: an empty shelf explains a drop (out-of-stock risk, not too low);
/// dormancy explains a drop and a full stockroom; a sharp change is named before a peer gap.
public enum AnomalyDetector {
    public static func assess(_ stores: [StoreHistory], rules: StoreRules, today: Int64) -> [StoreAssessment] {
        let prepared = stores.map { prepare($0, rules: rules) }
        // Peer statistics per group, on log(level + ½).
        var groups: [String: [Double]] = [:]
        var windowGroups: [String: [Double]] = [:]
        for (store, stats) in zip(stores, prepared) where stats.hasHistory {
            groups[store.peerGroup, default: []].append(log(stats.level + 0.5))
            windowGroups[store.peerGroup, default: []].append(stats.observed)
        }
        var peerStats: [String: (median: Double, spread: Double, windowMedian: Double, count: Int)] = [:]
        for (group, logs) in groups {
            let median = Robust.median(logs)
            let mad = Robust.median(logs.map { abs($0 - median) })
            peerStats[group] = (median, max(1.4826 * mad, 0.05), Robust.median(windowGroups[group] ?? []), logs.count)
        }
        return zip(stores, prepared).map { store, stats in
            judge(store, stats, peers: peerStats[store.peerGroup], rules: rules, today: today)
        }
    }

    /// The figures of one store before peers are known.
    struct Prepared {
        var observed: Double
        var expected: Double
        var spread: Double
        var level: Double
        var trailingZeros: Int
        var soldBeforeZeros: Double
        var weeksBeforeZeros: Double
        var hasHistory: Bool
    }

    static func prepare(_ store: StoreHistory, rules: StoreRules) -> Prepared {
        let sold = store.sold
        let n = sold.count
        let window = min(rules.recentDays, n)
        var expected = 0.0
        var observed = 0.0
        for i in (n - window)..<n {
            observed += Double(sold[i])
            var same: [Double] = []
            var k = 1
            while k <= rules.baselineWeeks, i - 7 * k >= 0 {
                same.append(Double(sold[i - 7 * k]))
                k += 1
            }
            expected += Robust.median(same)
        }
        var totals: [Double] = []
        for k in 1...max(1, rules.baselineWeeks) where n - window - 7 * k >= 0 {
            totals.append((n - window..<n).reduce(0.0) { $0 + Double(sold[$1 - 7 * k]) })
        }
        let median = Robust.median(totals)
        let mad = Robust.median(totals.map { abs($0 - median) })
        let spread = max(1.4826 * mad, expected.squareRoot(), 1)
        // The level: four weeks before the window.
        let levelDays = (max(0, n - window - 28)..<(n - window))
        let level = levelDays.isEmpty ? 0 : levelDays.reduce(0.0) { $0 + Double(sold[$1]) } / Double(levelDays.count)
        var zeros = 0
        while zeros < n, sold[n - 1 - zeros] == 0 { zeros += 1 }
        let before = (max(0, n - zeros - 7 * rules.baselineWeeks)..<(n - zeros))
        let soldBefore = before.reduce(0.0) { $0 + Double(sold[$1]) }
        return Prepared(
            observed: observed, expected: expected, spread: spread, level: level, trailingZeros: zeros, soldBeforeZeros: soldBefore,
            weeksBeforeZeros: Double(before.count) / 7, hasHistory: totals.count >= 2)
    }

    static func judge(
        _ store: StoreHistory, _ s: Prepared, peers: (median: Double, spread: Double, windowMedian: Double, count: Int)?,
        rules: StoreRules, today: Int64
    ) -> StoreAssessment {
        let stock = store.skus.map { $0.figures(today: today, rules: rules) }
        var found: [StoreAnomaly] = []
        let peerMedian = peers.flatMap { $0.count >= rules.minPeers ? $0.windowMedian : nil }
        let id = store.storeID
        let days = rules.recentDays

        // Stock first: an empty shelf explains low sales.
        let sells = { (f: StockFigures, p: SKUPosition) in p.scanned28 >= 3 && f.velocity > 0.05 }
        var emptyShelf = false
        var stockFindings: [StoreAnomaly] = []
        let expected7 = { (p: SKUPosition) in Double(p.scanned28 - p.scanned7) * 7 / 21 }
        for (figures, position) in zip(stock, store.skus) {
            // Never from the default rate: a stock alert needs a measured one.
            guard position.scanRate.source != .default, sells(figures, position), let coverHigh = figures.coverHigh else { continue }
            // Empty now: a SKU's scans fell (two fifths of its usual week or less) while the store's other SKUs kept selling,
            // and even the high end of the stock's range lasts only a few days at the usual pace.
            let others = store.skus.filter { $0.productID != position.productID }
            let othersSell = others.isEmpty || Double(others.reduce(0) { $0 + $1.scanned7 }) >= 0.5 * others.reduce(0.0) { $0 + expected7($1) }
            let usual = Double(position.scanned28 - position.scanned7) / 21 / figures.scanRate
            let emptyNow =
                Double(position.scanned7) <= 0.4 * expected7(position) && expected7(position) >= 5 && othersSell
                && figures.stockHigh <= usual * rules.outOfStockCoverDays
            // Soon empty: the high end of the stock's range covers only a few days.
            let soonEmpty = coverHigh <= rules.outOfStockCoverDays
            if emptyNow || soonEmpty {
                emptyShelf = true
                let cover = emptyNow ? min(coverHigh, figures.stockHigh / max(usual, 0.001)) : coverHigh
                stockFindings.append(
                    StoreAnomaly(
                        storeID: id, kind: .outOfStockRisk, productID: figures.productID, score: cover, baseline: figures.velocity,
                        observed: figures.stockHigh, peerMedian: nil,
                        reason: "at most \(Robust.text(figures.stockHigh)) units left at \(Robust.text(figures.velocity)) sold a day: "
                            + "at most \(Robust.text(cover)) days of cover, at most \(Robust.text(rules.outOfStockCoverDays)) allowed"))
            }
        }
        let dormantHistory = s.weeksBeforeZeros >= 2 && s.soldBeforeZeros / s.weeksBeforeZeros >= Double(rules.minBaselineUnits)
        let dormant = s.trailingZeros >= rules.dormantDays && dormantHistory
        if dormant && !emptyShelf {
            found.append(
                StoreAnomaly(
                    storeID: id, kind: .dormant, score: Double(s.trailingZeros), baseline: s.soldBeforeZeros / s.weeksBeforeZeros, observed: 0,
                    peerMedian: peerMedian,
                    reason: "no consumer scans for \(s.trailingZeros) days (at least \(rules.dormantDays) is dormant); "
                        + "it sold \(Robust.text(s.soldBeforeZeros / s.weeksBeforeZeros)) scanned units a week before"))
        }
        found += stockFindings.filter { _ in !dormant || emptyShelf }
        var sharpChange = dormant
        if !dormant && s.hasHistory {
            let score = (s.observed - s.expected) / s.spread
            let peerText = peerMedian.map { ", peer median \(Robust.text($0))" } ?? ""
            if score >= rules.highScore, s.observed >= s.expected * (1 + rules.minChangeRatio), s.observed - s.expected >= 5 {
                sharpChange = true
                found.append(
                    StoreAnomaly(
                        storeID: id, kind: .tooHigh, score: score, baseline: s.expected, observed: s.observed, peerMedian: peerMedian,
                        reason: "\(Robust.text(s.observed)) scanned units in \(days) days against a baseline of \(Robust.text(s.expected))"
                            + "\(peerText): score \(Robust.text(score)), at least \(Robust.text(rules.highScore)) is too high"))
            } else if score <= -rules.lowScore, s.observed <= s.expected * (1 - rules.minChangeRatio), s.expected >= Double(rules.minBaselineUnits) {
                sharpChange = true
                if !emptyShelf {
                    found.append(
                        StoreAnomaly(
                            storeID: id, kind: .tooLow, score: score, baseline: s.expected, observed: s.observed, peerMedian: peerMedian,
                            reason: "\(Robust.text(s.observed)) scanned units in \(days) days against a baseline of \(Robust.text(s.expected))"
                                + "\(peerText) while stock lasts: score \(Robust.text(score)), at most −\(Robust.text(rules.lowScore)) is too low"))
                }
            }
        }
        if !sharpChange, !emptyShelf, let peers, peers.count >= rules.minPeers, s.hasHistory {
            let score = (log(s.level + 0.5) - peers.median) / peers.spread
            let ratio = (s.level + 0.5) / exp(peers.median)
            if abs(score) >= rules.peerScore, ratio >= rules.peerRatio || ratio <= 1 / rules.peerRatio {
                let peerLevel = max(0, exp(peers.median) - 0.5)
                found.append(
                    StoreAnomaly(
                        storeID: id, kind: .offPeers, score: score, baseline: peerLevel, observed: s.level, peerMedian: peerLevel,
                        reason: "\(Robust.text(s.level)) scanned units a day over four weeks against \(Robust.text(peerLevel)) for the median of "
                            + "\(peers.count) stores of the same city and type: score \(Robust.text(score)) (beyond ±\(Robust.text(rules.peerScore)))"
                    ))
            }
        }
        // Slow movers: much stock, few sales; a store that stopped selling, or sells far less than its peers, is named for that instead.
        if !dormant && !found.contains(where: { $0.kind == .tooLow || $0.kind == .offPeers && $0.score < 0 }) {
            for figures in stock where figures.scanRateSource != .default {
                // Judged at the estimate, as long as the low end of the range still holds a shelf's worth (cover is slow to
                // change, so the range's low end would miss stores the mass balance plainly shows overstocked).
                guard let estimate = figures.estimatedStock else { continue }
                let cover = figures.velocity > 0.001 ? estimate / figures.velocity : .infinity
                guard figures.stockLow >= Double(rules.slowMoverMinUnits), cover >= rules.slowMoverCoverDays else { continue }
                found.append(
                    StoreAnomaly(
                        storeID: id, kind: .slowMover, productID: figures.productID, score: cover.isFinite ? cover : 999,
                        baseline: figures.velocity, observed: estimate, peerMedian: nil,
                        reason:
                            "about \(Robust.text(estimate)) units in stock (at least \(Robust.text(figures.stockLow))) at \(Robust.text(figures.velocity)) sold a day: "
                            + (cover.isFinite ? "\(Robust.text(cover)) days of cover" : "no sales")
                            + ", \(Robust.text(rules.slowMoverCoverDays)) or more is slow"))
            }
        }
        return StoreAssessment(storeID: id, anomalies: found, stock: stock, observedWindow: s.observed, expectedWindow: s.expected, level: s.level)
    }
}

/// Robust statistics and number formatting for the detector's reasons.
public enum Robust {
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `12`, `3.4` or `0.25`: enough digits to read, no more.
    public static func text(_ value: Double) -> String {
        guard value.isFinite else { return "∞" }
        let magnitude = abs(value)
        let places = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
