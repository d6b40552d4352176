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
public enum ReceiptFlag: String, Sendable, Codable, CaseIterable {
    /// The store is supplied by the distributor the case was shipped to.
    case ok
    /// The store is not one of that distributor's: the case left its channel (evidence of 窜货).
    case otherDistributor = "other_distributor"
    /// The distributor delivered the case to another store: it was passed on or mis-delivered.
    case otherStore = "other_store"
}

/// Whether a receipt's store earns its campaign rewards. A receipt that someone other than the
/// store's own staff recorded for a case outside the store's channel (another distributor's, or
/// delivered to another store) could point rewards at any store: those rewards are held until
/// HQ reviews the receipt.
public enum ReceiptReview: String, Sendable, Codable, CaseIterable {
    /// Nothing to review: the store earns its rewards.
    case none
    /// Waiting for HQ: the store's rewards from the case's units are held for it.
    case held
    /// HQ approved: the held rewards went to the store, later ones go straight to it.
    case approved
    /// HQ refused: the held rewards went back to their campaigns, the store earns none from the case.
    case rejected

    /// The review a new receipt starts with: held when recorded by someone other than the store's
    /// own staff for a case outside the store's channel.
    public static func initial(flag: ReceiptFlag, byStoreStaff: Bool) -> ReceiptReview {
        !byStoreStaff && flag != .ok ? .held : .none
    }

    /// How the store's reward for a unit of the case is booked.
    public var storeReward: StoreRewardBooking {
        switch self {
        case .none, .approved: .toStore
        case .held: .held
        case .rejected: .withheld
        }
    }
}

/// Where the store's campaign reward for a scanned unit goes.
public enum StoreRewardBooking: Sendable, Equatable {
    /// To the store's wallet.
    case toStore
    /// To an account held for the receipt's review.
    case held
    /// Nowhere: the store earns nothing from this case.
    case withheld
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
    /// Whether the store's rewards from the case wait for HQ's review.
    public var review: ReceiptReview

    /// The case received.
    public var ref: CaseRef { CaseRef(batchID: batchID, caseNumber: caseNumber) }

    public init(
        batchID: Int64, caseNumber: Int, storeID: Int64, distributorID: Int64, flag: ReceiptFlag, receivedAt: Int64,
        review: ReceiptReview = .none
    ) {
        self.batchID = batchID
        self.caseNumber = caseNumber
        self.storeID = storeID
        self.distributorID = distributorID
        self.flag = flag
        self.receivedAt = receivedAt
        self.review = review
    }
}

/// A distributor's delivery of a case to a store (出库到店). Until a store scans its receipt, the
/// delivery stands for the BC association (many small stores never scan receipts).
public struct CaseTransfer: Sendable, Hashable, Codable {
    public var batchID: Int64
    public var caseNumber: Int
    public var distributorID: Int64
    public var storeID: Int64
    public var transferredAt: Int64

    /// The case delivered.
    public var ref: CaseRef { CaseRef(batchID: batchID, caseNumber: caseNumber) }

    public init(batchID: Int64, caseNumber: Int, distributorID: Int64, storeID: Int64, transferredAt: Int64) {
        self.batchID = batchID
        self.caseNumber = caseNumber
        self.distributorID = distributorID
        self.storeID = storeID
        self.transferredAt = transferredAt
    }
}

/// A unit taken out of its case and put into another case of the same batch (re-packing, e.g. after
/// a carton broke): an explicit aggregation. A unit's latest re-packing says which case it is in;
/// without one, the batch's packing rule does. A lot stays together, so cases never mix batches.
public struct UnitRepack: Sendable, Hashable, Codable {
    public var batchID: Int64
    public var serial: Int
    public var fromCase: Int
    public var toCase: Int
    public var repackedAt: Int64

    public init(batchID: Int64, serial: Int, fromCase: Int, toCase: Int, repackedAt: Int64) {
        self.batchID = batchID
        self.serial = serial
        self.fromCase = fromCase
        self.toCase = toCase
        self.repackedAt = repackedAt
    }
}

/// The most units one re-packing request may move (the most a case holds).
public let maxUnitsPerRepack = 10_000

/// The most cases one shipment or receipt request may move.
public let maxCasesPerMovement = 100_000
