/// One case of one batch: what logistics scans move.
public struct CaseRef: Sendable, Hashable, Codable, Comparable {
    public var batchID: Int64
    public var caseNumber: Int

    public init(batchID: Int64, caseNumber: Int) {
        self.batchID = batchID
        self.caseNumber = caseNumber
    }

    public static func < (lhs: CaseRef, rhs: CaseRef) -> Bool {
        (lhs.batchID, lhs.caseNumber) < (rhs.batchID, rhs.caseNumber)
    }
}

/// How a store's receipt of a case relates to where the brand shipped it.
public enum ReceiptFlag: String, Sendable, Codable {
    /// The store is supplied by the distributor the case was shipped to.
    case ok
    /// The store is not one of that distributor's: the case left its channel (evidence of 窜货).
    case otherDistributor = "other_distributor"
}

/// A store's receipt of a case: the BC association — every unit in the case now belongs to the store.
public struct CaseReceipt: Sendable, Hashable, Codable {
    public var batchID: Int64
    public var caseNumber: Int
    public var storeID: Int64
    /// The distributor the case was shipped to.
    public var distributorID: Int64
    public var flag: ReceiptFlag
    public var receivedAt: Int64

    public init(batchID: Int64, caseNumber: Int, storeID: Int64, distributorID: Int64, flag: ReceiptFlag, receivedAt: Int64) {
        self.batchID = batchID
        self.caseNumber = caseNumber
        self.storeID = storeID
        self.distributorID = distributorID
        self.flag = flag
        self.receivedAt = receivedAt
    }
}

/// The most cases one shipment or receipt request may move.
public let maxCasesPerMovement = 100_000
