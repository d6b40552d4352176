public import FullChainCore

/// Where cases went: shipped by the brand to a distributor, delivered by it to a store, received
/// by a store; and units re-packed into other cases.
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
    /// Which of these cases a distributor delivered to a store.
    func transfers(of cases: [CaseRef], tenantID: Int64) async throws(StorageError) -> [CaseRef: CaseTransfer]
    /// Records deliveries to stores, all or none (a case delivered meanwhile fails the whole call with `.duplicate`).
    func transfer(_ transfers: [CaseTransfer], tenantID: Int64) async throws(StorageError)
    /// Records re-packings, all or none.
    func repack(_ repacks: [UnitRepack], tenantID: Int64) async throws(StorageError)
    /// The case each of these units of a batch was last re-packed into (units never re-packed are absent).
    func repackedCases(ofUnits serials: [Int], batchID: Int64, tenantID: Int64) async throws(StorageError) -> [Int: Int]
    /// Where a run of one batch's cases went (shipments, deliveries to stores, receipts, by case
    /// number), and where the units `units` were re-packed to.
    func movements(batchID: Int64, cases: ClosedRange<Int>, units: Range<Int>, tenantID: Int64) async throws(StorageError) -> CaseMovements
}

/// The movements of a run of one batch's cases, and of the units packed in them.
public struct CaseMovements: Sendable, Equatable {
    public var shipments: [Int: Int64]
    public var transfers: [Int: CaseTransfer]
    public var receipts: [Int: CaseReceipt]
    /// Unit serial → the case it was last re-packed into.
    public var repacks: [Int: Int]

    public init(shipments: [Int: Int64] = [:], transfers: [Int: CaseTransfer] = [:], receipts: [Int: CaseReceipt] = [:], repacks: [Int: Int] = [:]) {
        self.shipments = shipments
        self.transfers = transfers
        self.receipts = receipts
        self.repacks = repacks
    }

    /// The store a case's units belong to: the store that received it, else the one its distributor delivered it to.
    public func storeID(ofCase number: Int) -> Int64? {
        receipts[number]?.storeID ?? transfers[number]?.storeID
    }
}

struct SQLLogisticsRepository: LogisticsRepository {
    let db: any SQLDatabase
    static let chunk = 400

    func movements(batchID: Int64, cases: ClosedRange<Int>, units: Range<Int>, tenantID: Int64) async throws(StorageError) -> CaseMovements {
        let run: SQLStatement = """
            WHERE tenant_id = \(tenantID) AND batch_id = \(batchID) AND case_number >= \(Int64(cases.lowerBound)) AND case_number <= \(Int64(cases.upperBound))
            """
        var movements = CaseMovements()
        for row in try await db.read("SELECT case_number, distributor_id FROM case_shipments \(run)") {
            movements.shipments[Int(try row.int("case_number"))] = try row.int("distributor_id")
        }
        for row in try await db.read("\(Self.selectReceipts) \(run)") {
            let receipt = try Self.decodeReceipt(row)
            movements.receipts[receipt.caseNumber] = receipt
        }
        for row in try await db.read("\(Self.selectTransfers) \(run)") {
            let transfer = try Self.decodeTransfer(row)
            movements.transfers[transfer.caseNumber] = transfer
        }
        if !units.isEmpty {
            for row in try await db.read("""
                SELECT serial, to_case FROM unit_repacks
                WHERE tenant_id = \(tenantID) AND batch_id = \(batchID) AND serial >= \(Int64(units.lowerBound)) AND serial < \(Int64(units.upperBound))
                ORDER BY id
                """) {
                movements.repacks[Int(try row.int("serial"))] = Int(try row.int("to_case"))
            }
        }
        return movements
    }

    func shipments(of cases: [CaseRef], tenantID: Int64) async throws(StorageError) -> [CaseRef: Int64] {
        try await rows(of: cases, "SELECT batch_id, case_number, distributor_id FROM case_shipments", tenantID: tenantID) { (row) throws(StorageError) in
            (CaseRef(batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number"))), try row.int("distributor_id"))
        }
    }

    func ship(_ cases: [CaseRef], distributorID: Int64, tenantID: Int64) async throws(StorageError) {
        let now = currentMillis()
        try await insert(cases, "INSERT INTO case_shipments (tenant_id, batch_id, case_number, distributor_id, shipped_at) VALUES") { ref in
            "(\(tenantID), \(ref.batchID), \(Int64(ref.caseNumber)), \(distributorID), \(now))"
        }
    }

    func transfers(of cases: [CaseRef], tenantID: Int64) async throws(StorageError) -> [CaseRef: CaseTransfer] {
        try await rows(of: cases, Self.selectTransfers, tenantID: tenantID) { (row) throws(StorageError) in
            let transfer = try Self.decodeTransfer(row)
            return (transfer.ref, transfer)
        }
    }

    func transfer(_ transfers: [CaseTransfer], tenantID: Int64) async throws(StorageError) {
        try await insert(transfers, "INSERT INTO case_transfers (tenant_id, batch_id, case_number, distributor_id, store_id, transferred_at) VALUES") { t in
            "(\(tenantID), \(t.batchID), \(Int64(t.caseNumber)), \(t.distributorID), \(t.storeID), \(t.transferredAt))"
        }
    }

    func receipts(of cases: [CaseRef], tenantID: Int64) async throws(StorageError) -> [CaseRef: CaseReceipt] {
        try await rows(of: cases, Self.selectReceipts, tenantID: tenantID) { (row) throws(StorageError) in
            let receipt = try Self.decodeReceipt(row)
            return (receipt.ref, receipt)
        }
    }

    func receive(_ receipts: [CaseReceipt], tenantID: Int64) async throws(StorageError) {
        var steps = receipts.chunked(into: Self.chunk).map { part in
            SQLStep("""
                INSERT INTO case_receipts (tenant_id, batch_id, case_number, store_id, distributor_id, flag, received_at) VALUES
                \(SQLStatement.join(part.map { r in
                    "(\(tenantID), \(r.batchID), \(Int64(r.caseNumber)), \(r.storeID), \(r.distributorID), \(r.flag.rawValue), \(r.receivedAt))"
                }, separator: ", "))
                """)
        }
        // The store's receipts per product and day (the units a case holds follow from its batch), in the same transaction.
        struct Group: Hashable { var storeID: Int64, batchID: Int64, day: Int64 }
        var cases: [Group: Int64] = [:]
        for r in receipts { cases[Group(storeID: r.storeID, batchID: r.batchID, day: BusinessDay.day(ofMillis: r.receivedAt)), default: 0] += 1 }
        for group in cases.keys.sorted(by: { ($0.storeID, $0.batchID, $0.day) < ($1.storeID, $1.batchID, $1.day) }) {
            let count = cases[group] ?? 0
            steps.append(SQLStep("""
                INSERT INTO store_day_receipts (tenant_id, store_id, product_id, day, cases, units)
                SELECT b.tenant_id, \(group.storeID), b.product_id, \(group.day), \(count), \(count) * b.units_per_case
                FROM code_batches b WHERE b.tenant_id = \(tenantID) AND b.id = \(group.batchID)
                ON CONFLICT (tenant_id, store_id, product_id, day)
                DO UPDATE SET cases = store_day_receipts.cases + excluded.cases, units = store_day_receipts.units + excluded.units
                """))
        }
        try await db.transaction(steps)
    }

    func repack(_ repacks: [UnitRepack], tenantID: Int64) async throws(StorageError) {
        guard !repacks.isEmpty else { return }
        let first = try await db.allocateIDs("unit_repacks", tenantID: tenantID, count: repacks.count)
        try await insert(Array(repacks.enumerated()), "INSERT INTO unit_repacks (tenant_id, id, batch_id, serial, from_case, to_case, repacked_at) VALUES") { pair in
            let r = pair.element
            return "(\(tenantID), \(first + Int64(pair.offset)), \(r.batchID), \(Int64(r.serial)), \(Int64(r.fromCase)), \(Int64(r.toCase)), \(r.repackedAt))"
        }
    }

    func repackedCases(ofUnits serials: [Int], batchID: Int64, tenantID: Int64) async throws(StorageError) -> [Int: Int] {
        var found: [Int: Int] = [:]
        for part in serials.chunked(into: Self.chunk) {
            let list = SQLStatement.join(part.map { (serial: Int) -> SQLStatement in "\(Int64(serial))" }, separator: ", ")
            for row in try await db.read("""
                SELECT serial, to_case FROM unit_repacks WHERE tenant_id = \(tenantID) AND batch_id = \(batchID) AND serial IN (\(list)) ORDER BY id
                """) {
                found[Int(try row.int("serial"))] = Int(try row.int("to_case"))
            }
        }
        return found
    }

    /// Rows of a table for these cases, read in chunks and keyed by case; `select` names the columns and the table.
    private func rows<Value>(of cases: [CaseRef], _ select: SQLStatement, tenantID: Int64,
                             _ decode: (SQLRow) throws(StorageError) -> (CaseRef, Value)) async throws(StorageError) -> [CaseRef: Value] {
        var found: [CaseRef: Value] = [:]
        for part in cases.chunked(into: Self.chunk) {
            let pairs = SQLStatement.join(part.map { (ref: CaseRef) -> SQLStatement in "(\(ref.batchID), \(Int64(ref.caseNumber)))" }, separator: ", ")
            for row in try await db.read("\(select) WHERE tenant_id = \(tenantID) AND (batch_id, case_number) IN (\(pairs))") {
                let (ref, value) = try decode(row)
                found[ref] = value
            }
        }
        return found
    }

    /// Inserts one row per item, in chunks of multi-row statements, all or none.
    private func insert<Item>(_ items: [Item], _ insertInto: SQLStatement, _ values: (Item) -> SQLStatement) async throws(StorageError) {
        let steps = items.chunked(into: Self.chunk).map { part in
            SQLStep("\(insertInto) \(SQLStatement.join(part.map(values), separator: ", "))")
        }
        try await db.transaction(steps)
    }

    static let selectReceipts: SQLStatement = "SELECT batch_id, case_number, store_id, distributor_id, flag, received_at FROM case_receipts"
    static let selectTransfers: SQLStatement = "SELECT batch_id, case_number, distributor_id, store_id, transferred_at FROM case_transfers"

    static func decodeTransfer(_ row: SQLRow) throws(StorageError) -> CaseTransfer {
        CaseTransfer(batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number")), distributorID: try row.int("distributor_id"),
                     storeID: try row.int("store_id"), transferredAt: try row.int("transferred_at"))
    }

    static func decodeReceipt(_ row: SQLRow) throws(StorageError) -> CaseReceipt {
        guard let flag = ReceiptFlag(rawValue: try row.string("flag")) else { throw .corruptRow("case_receipts.flag") }
        return CaseReceipt(batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number")), storeID: try row.int("store_id"),
                           distributorID: try row.int("distributor_id"), flag: flag, receivedAt: try row.int("received_at"))
    }
}
