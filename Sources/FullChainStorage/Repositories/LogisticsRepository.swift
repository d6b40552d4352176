public import FullChainCore

/// Where cases went: shipped by the brand to a distributor, received by a store.
public protocol LogisticsRepository: Sendable {
    /// Which of these cases were already shipped, and to which distributor.
    func shipments(of cases: [CaseRef], tenantID: Int64) async throws(StorageError) -> [CaseRef: Int64]
    /// Records the shipment of every case to the distributor, all or none (a case shipped
    /// meanwhile fails the whole call with `.duplicate`).
    func ship(_ cases: [CaseRef], distributorID: Int64, tenantID: Int64) async throws(StorageError)
    /// Which of these cases were already received, and how.
    func receipts(of cases: [CaseRef], tenantID: Int64) async throws(StorageError) -> [CaseRef: CaseReceipt]
    /// Records receipts, all or none.
    func receive(_ receipts: [CaseReceipt], tenantID: Int64) async throws(StorageError)
    /// Where a run of one batch's cases went: their shipments (distributor ids) and receipts, by case number.
    func movements(batchID: Int64, cases: ClosedRange<Int>, tenantID: Int64) async throws(StorageError) -> CaseMovements
}

/// The shipments and receipts of a run of one batch's cases.
public struct CaseMovements: Sendable, Equatable {
    public var shipments: [Int: Int64]
    public var receipts: [Int: CaseReceipt]

    public init(shipments: [Int: Int64] = [:], receipts: [Int: CaseReceipt] = [:]) {
        self.shipments = shipments
        self.receipts = receipts
    }
}

struct SQLLogisticsRepository: LogisticsRepository {
    let db: any SQLDatabase
    static let chunk = 400

    func movements(batchID: Int64, cases: ClosedRange<Int>, tenantID: Int64) async throws(StorageError) -> CaseMovements {
        let (low, high) = (Int64(cases.lowerBound), Int64(cases.upperBound))
        var movements = CaseMovements()
        for row in try await db.read("""
            SELECT case_number, distributor_id FROM case_shipments
            WHERE tenant_id = \(tenantID) AND batch_id = \(batchID) AND case_number >= \(low) AND case_number <= \(high)
            """) {
            movements.shipments[Int(try row.int("case_number"))] = try row.int("distributor_id")
        }
        for row in try await db.read("""
            SELECT batch_id, case_number, store_id, distributor_id, flag, received_at FROM case_receipts
            WHERE tenant_id = \(tenantID) AND batch_id = \(batchID) AND case_number >= \(low) AND case_number <= \(high)
            """) {
            let receipt = try Self.decodeReceipt(row)
            movements.receipts[receipt.caseNumber] = receipt
        }
        return movements
    }

    func shipments(of cases: [CaseRef], tenantID: Int64) async throws(StorageError) -> [CaseRef: Int64] {
        var found: [CaseRef: Int64] = [:]
        for part in cases.chunked(into: Self.chunk) {
            for row in try await db.read("""
                SELECT batch_id, case_number, distributor_id FROM case_shipments
                WHERE tenant_id = \(tenantID) AND (batch_id, case_number) IN (\(Self.pairs(part)))
                """) {
                found[CaseRef(batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number")))] = try row.int("distributor_id")
            }
        }
        return found
    }

    func ship(_ cases: [CaseRef], distributorID: Int64, tenantID: Int64) async throws(StorageError) {
        let now = currentMillis()
        let steps = cases.chunked(into: Self.chunk).map { part in
            let values = SQLStatement.join(part.map { (ref: CaseRef) -> SQLStatement in
                "(\(tenantID), \(ref.batchID), \(Int64(ref.caseNumber)), \(distributorID), \(now))"
            }, separator: ", ")
            return SQLStep("INSERT INTO case_shipments (tenant_id, batch_id, case_number, distributor_id, shipped_at) VALUES \(values)")
        }
        try await db.transaction(steps)
    }

    func receipts(of cases: [CaseRef], tenantID: Int64) async throws(StorageError) -> [CaseRef: CaseReceipt] {
        var found: [CaseRef: CaseReceipt] = [:]
        for part in cases.chunked(into: Self.chunk) {
            for row in try await db.read("""
                SELECT * FROM case_receipts WHERE tenant_id = \(tenantID) AND (batch_id, case_number) IN (\(Self.pairs(part)))
                """) {
                let receipt = try Self.decodeReceipt(row)
                found[CaseRef(batchID: receipt.batchID, caseNumber: receipt.caseNumber)] = receipt
            }
        }
        return found
    }

    func receive(_ receipts: [CaseReceipt], tenantID: Int64) async throws(StorageError) {
        let steps = receipts.chunked(into: Self.chunk).map { part in
            let values = SQLStatement.join(part.map { (r: CaseReceipt) -> SQLStatement in
                "(\(tenantID), \(r.batchID), \(Int64(r.caseNumber)), \(r.storeID), \(r.distributorID), \(r.flag.rawValue), \(r.receivedAt))"
            }, separator: ", ")
            return SQLStep("""
                INSERT INTO case_receipts (tenant_id, batch_id, case_number, store_id, distributor_id, flag, received_at) VALUES \(values)
                """)
        }
        try await db.transaction(steps)
    }

    private static func pairs(_ cases: ArraySlice<CaseRef>) -> SQLStatement {
        SQLStatement.join(cases.map { (ref: CaseRef) -> SQLStatement in "(\(ref.batchID), \(Int64(ref.caseNumber)))" }, separator: ", ")
    }

    static func decodeReceipt(_ row: SQLRow) throws(StorageError) -> CaseReceipt {
        guard let flag = ReceiptFlag(rawValue: try row.string("flag")) else { throw .corruptRow("case_receipts.flag") }
        return CaseReceipt(batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number")), storeID: try row.int("store_id"),
                           distributorID: try row.int("distributor_id"), flag: flag, receivedAt: try row.int("received_at"))
    }
}
