/// One store a distributor supplies, over a period: the units it received and the units
/// consumers scanned there (sold). Received much and sold little, stock is building up.
public struct SupplyLine: Sendable, Equatable {
    public var storeID: Int64
    public var storeCode: String
    public var storeName: String
    public var received: Int64
    public var sold: Int64

    public init(storeID: Int64, storeCode: String, storeName: String, received: Int64, sold: Int64) {
        self.storeID = storeID
        self.storeCode = storeCode
        self.storeName = storeName
        self.received = received
        self.sold = sold
    }

    /// Sold units as a share of received ones, in whole percent; nil when nothing was received.
    public var sellThroughPercent: Int? {
        guard received > 0 else { return nil }
        return Int((Double(max(0, sold)) / Double(received) * 100).rounded())
    }

    /// Units received and not sold in the period (negative: it sold from earlier stock).
    public var buildUp: Int64 {
        let (difference, overflow) = received.subtractingReportingOverflow(sold)
        return overflow ? (received > 0 ? .max : .min) : difference
    }

    /// The stores whose stock is building up most come first; then by name.
    public static func byBuildUp(_ lines: [SupplyLine]) -> [SupplyLine] {
        lines.sorted { $0.buildUp != $1.buildUp ? $0.buildUp > $1.buildUp : ($0.storeName, $0.storeID) < ($1.storeName, $1.storeID) }
    }

    /// The period's totals over every line (saturating).
    public static func totals(_ lines: [SupplyLine]) -> (received: Int64, sold: Int64) {
        lines.reduce((Int64(0), Int64(0))) { sum, line in
            let received = sum.0.addingReportingOverflow(line.received)
            let sold = sum.1.addingReportingOverflow(line.sold)
            return (received.overflow ? .max : received.partialValue, sold.overflow ? .max : sold.partialValue)
        }
    }
}

/// A case a distributor delivered to one of its stores (出库到店).
public struct SupplyDelivery: Sendable, Equatable {
    public var batchID: Int64
    public var caseNumber: Int
    public var storeID: Int64
    public var storeName: String
    public var at: Int64

    public init(batchID: Int64, caseNumber: Int, storeID: Int64, storeName: String, at: Int64) {
        self.batchID = batchID
        self.caseNumber = caseNumber
        self.storeID = storeID
        self.storeName = storeName
        self.at = at
    }
}
