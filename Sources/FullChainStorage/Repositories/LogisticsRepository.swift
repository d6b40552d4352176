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
    /// Receipts waiting for HQ's review at stores within the scope, oldest first, with the rewards held for each.
    func heldReceipts(_ query: ListQuery, scope: AccessScope) async throws(StorageError) -> Page<HeldReceipt>
    /// Decides a receipt's review at a store within the scope, moving its held rewards in the same
    /// transaction: to the store's wallet (approved) or back to each campaign's store budget
    /// (rejected). Deciding again the same way moves what was held since. `.notFound` when there
    /// is no such receipt in scope.
    func review(_ ref: CaseRef, decision: ReceiptReview, scope: AccessScope) async throws(StorageError) -> ReceiptReviewOutcome
}

/// How deciding a receipt's review went.
public enum ReceiptReviewOutcome: Sendable, Equatable {
    case decided(ReceiptReviewResult)
    /// The receipt needed no review, or was decided the other way: nothing changed.
    case notHeld(ReceiptReview)
}

/// A receipt waiting for HQ's review, and what its store's rewards hold so far.
public struct HeldReceipt: Sendable, Codable, Equatable {
    public var batchID: Int64
    public var caseNumber: Int
    public var storeID: Int64
    public var storeName: String
    public var distributorID: Int64
    public var flag: ReceiptFlag
    public var receivedAt: Int64
    public var heldFen: Int64
}

/// A review decided: the receipt's store and what moved.
public struct ReceiptReviewResult: Sendable, Codable, Equatable {
    public var storeID: Int64
    public var review: ReceiptReview
    /// The held rewards moved by this call (to the store, or back to the campaigns).
    public var movedFen: Int64
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
            for row in try await db.read(
                """
                SELECT serial, to_case FROM unit_repacks
                WHERE tenant_id = \(tenantID) AND batch_id = \(batchID) AND serial >= \(Int64(units.lowerBound)) AND serial < \(Int64(units.upperBound))
                ORDER BY id
                """)
            {
                movements.repacks[Int(try row.int("serial"))] = Int(try row.int("to_case"))
            }
        }
        return movements
    }

    func heldReceipts(_ query: ListQuery, scope: AccessScope) async throws(StorageError) -> Page<HeldReceipt> {
        let scoped: SQLStatement = """
            FROM case_receipts r JOIN stores s ON s.tenant_id = r.tenant_id AND s.id = r.store_id
            WHERE \(ScopeSQL.stores(scope)) AND r.tenant_id = \(scope.tenantID) AND r.review = \(ReceiptReview.held.rawValue)
            """
        let total = try await db.read("SELECT COUNT(*) AS n \(scoped)").first?.optionalInt("n") ?? 0
        var items: [HeldReceipt] = []
        for row in try await db.read(
            """
            SELECT r.batch_id, r.case_number, r.store_id, s.name AS store_name, r.distributor_id, r.flag, r.received_at \(scoped)
            ORDER BY r.received_at, r.batch_id, r.case_number LIMIT \(Int64(query.limit)) OFFSET \(Int64(query.offset))
            """)
        {
            guard let flag = ReceiptFlag(rawValue: try row.string("flag")) else { throw .corruptRow("case_receipts.flag") }
            let ref = CaseRef(batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number")))
            let storeID = try row.int("store_id")
            let held = try await heldBalances(ref, storeID: storeID, tenantID: scope.tenantID)
            items.append(
                HeldReceipt(
                    batchID: ref.batchID, caseNumber: ref.caseNumber, storeID: storeID, storeName: try row.string("store_name"),
                    distributorID: try row.int("distributor_id"), flag: flag, receivedAt: try row.int("received_at"),
                    heldFen: held.reduce(0) { $0 + $1.amount }))
        }
        return Page(items: items, total: Int(total), limit: query.limit, offset: query.offset)
    }

    /// The held-reward accounts of a store's case with something in them, by campaign.
    private func heldBalances(_ ref: CaseRef, storeID: Int64, tenantID: Int64) async throws(StorageError) -> [(account: LedgerAccount, amount: Int64)]
    {
        try Self.heldAccounts(in: try await db.read(Self.heldAccounts(ref, storeID: storeID, tenantID: tenantID)), ref, storeID: storeID)
    }

    static func heldAccounts(in rows: [SQLRow], _ ref: CaseRef, storeID: Int64) throws(StorageError) -> [(account: LedgerAccount, amount: Int64)] {
        var found: [(account: LedgerAccount, amount: Int64)] = []
        for row in rows {
            if let held = try heldAccount(row, ref, storeID: storeID) { found.append(held) }
        }
        return found
    }

    static func heldAccounts(_ ref: CaseRef, storeID: Int64, tenantID: Int64) -> SQLStatement {
        let (low, high) = ScopeSQL.pathRange(LedgerAccount.heldStoreRewardPrefix(storeID: storeID, batchID: ref.batchID, caseNumber: ref.caseNumber))
        return """
            SELECT code, balance FROM ledger_accounts
            WHERE tenant_id = \(tenantID) AND asset = \(LedgerAsset.fen.rawValue) AND code >= \(low) AND code < \(high) AND balance > 0 ORDER BY code
            """
    }

    static func heldAccount(_ row: SQLRow, _ ref: CaseRef, storeID: Int64) throws(StorageError) -> (account: LedgerAccount, amount: Int64)? {
        guard
            let account = LedgerAccount.heldStoreReward(
                code: try row.string("code"), storeID: storeID, batchID: ref.batchID, caseNumber: ref.caseNumber)
        else { return nil }
        return (account, try row.int("balance"))
    }

    func review(_ ref: CaseRef, decision: ReceiptReview, scope: AccessScope) async throws(StorageError) -> ReceiptReviewOutcome {
        guard decision == .approved || decision == .rejected else { throw .notFound }
        let tenantID = scope.tenantID
        let receipt: SQLStatement = """
            SELECT r.store_id, r.review FROM case_receipts r JOIN stores s ON s.tenant_id = r.tenant_id AND s.id = r.store_id
            WHERE \(ScopeSQL.stores(scope)) AND r.tenant_id = \(tenantID) AND r.batch_id = \(ref.batchID) AND r.case_number = \(Int64(ref.caseNumber))
            """
        guard let found = try await db.read(receipt).first else { throw .notFound }
        let storeID = try found.int("store_id")
        guard let current = ReceiptReview(rawValue: try found.string("review")) else { throw .corruptRow("case_receipts.review") }
        guard current == .held || current == decision else { return .notHeld(current) }
        // Entry numbers for what is held now (a scan adding a campaign meanwhile asks for a retry).
        let entries = try await heldBalances(ref, storeID: storeID, tenantID: tenantID).count + 4
        let firstEntry = try await db.allocateIDs("ledger_entries", tenantID: tenantID, count: entries)
        let now = currentMillis()
        let done: SQLResults
        do {
            done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
                switch done.phase {
                case 0:
                    // The decision, taken only from a held receipt or one decided the same way.
                    return [
                        SQLStep(
                            """
                            UPDATE case_receipts SET review = \(decision.rawValue)
                            WHERE tenant_id = \(tenantID) AND batch_id = \(ref.batchID) AND case_number = \(Int64(ref.caseNumber)) AND store_id = \(storeID)
                              AND (review = \(ReceiptReview.held.rawValue) OR review = \(decision.rawValue))
                            RETURNING store_id
                            """, requireRow: .duplicate("case_receipts.review")),
                        SQLStep(Self.heldAccounts(ref, storeID: storeID, tenantID: tenantID), name: "held"),
                    ]
                case 1:
                    var steps: [SQLStep] = []
                    for (offset, row) in done["held"].enumerated() {
                        guard let (account, amount) = try Self.heldAccount(row, ref, storeID: storeID) else { continue }
                        guard offset < entries, case .heldStoreReward(_, _, _, let campaignID) = account else {
                            throw .unavailable("held rewards changed; try again")
                        }
                        let to: LedgerAccount =
                            decision == .approved ? .storeWallet(storeID: storeID) : .storeRewardBudget(campaignID: campaignID, shard: 0)
                        let id = firstEntry + Int64(offset)
                        let entry: LedgerEntry
                        do {
                            entry = try .transfer(
                                key: "receipt-review:\(ref.batchID):\(ref.caseNumber):\(campaignID):\(id)",
                                memo: "receipt review · \(decision.rawValue) · campaign \(campaignID)", amount, .fen, from: account, to: to)
                        } catch {
                            throw .corruptRow("ledger_accounts.balance")
                        }
                        steps.append(LedgerSteps.entry(entry, id: id, tenantID: tenantID, at: now))
                        steps += LedgerSteps.postings(of: entry.postings, entryID: id, tenantID: tenantID)
                    }
                    return steps
                default:
                    return []
                }
            })
        } catch .duplicate(let constraint) where constraint == "case_receipts.review" {
            // Decided the other way meanwhile.
            return .notHeld(decision == .approved ? .rejected : .approved)
        }
        let moved = try Self.heldAccounts(in: done["held"], ref, storeID: storeID).reduce(0) { $0 + $1.amount }
        return .decided(ReceiptReviewResult(storeID: storeID, review: decision, movedFen: moved))
    }

    func shipments(of cases: [CaseRef], tenantID: Int64) async throws(StorageError) -> [CaseRef: Int64] {
        try await rows(of: cases, "SELECT batch_id, case_number, distributor_id FROM case_shipments", tenantID: tenantID) {
            (row) throws(StorageError) in
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
        try await insert(transfers, "INSERT INTO case_transfers (tenant_id, batch_id, case_number, distributor_id, store_id, transferred_at) VALUES")
        { t in
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
            SQLStep(
                """
                INSERT INTO case_receipts (tenant_id, batch_id, case_number, store_id, distributor_id, flag, received_at, review) VALUES
                \(SQLStatement.join(part.map { r in
                    "(\(tenantID), \(r.batchID), \(Int64(r.caseNumber)), \(r.storeID), \(r.distributorID), \(r.flag.rawValue), \(r.receivedAt), \(r.review.rawValue))"
                }, separator: ", "))
                """)
        }
        // The store's receipts per product and day (the units a case holds follow from its batch), in the same transaction.
        struct Group: Hashable { var storeID: Int64, batchID: Int64, day: Int64 }
        var cases: [Group: Int64] = [:]
        for r in receipts { cases[Group(storeID: r.storeID, batchID: r.batchID, day: BusinessDay.day(ofMillis: r.receivedAt)), default: 0] += 1 }
        for group in cases.keys.sorted(by: { ($0.storeID, $0.batchID, $0.day) < ($1.storeID, $1.batchID, $1.day) }) {
            let count = cases[group] ?? 0
            steps.append(
                SQLStep(
                    """
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
        try await insert(
            Array(repacks.enumerated()), "INSERT INTO unit_repacks (tenant_id, id, batch_id, serial, from_case, to_case, repacked_at) VALUES"
        ) { pair in
            let r = pair.element
            return
                "(\(tenantID), \(first + Int64(pair.offset)), \(r.batchID), \(Int64(r.serial)), \(Int64(r.fromCase)), \(Int64(r.toCase)), \(r.repackedAt))"
        }
    }

    func repackedCases(ofUnits serials: [Int], batchID: Int64, tenantID: Int64) async throws(StorageError) -> [Int: Int] {
        var found: [Int: Int] = [:]
        for part in serials.chunked(into: Self.chunk) {
            let list = SQLStatement.join(part.map { (serial: Int) -> SQLStatement in "\(Int64(serial))" }, separator: ", ")
            for row in try await db.read(
                """
                SELECT serial, to_case FROM unit_repacks WHERE tenant_id = \(tenantID) AND batch_id = \(batchID) AND serial IN (\(list)) ORDER BY id
                """)
            {
                found[Int(try row.int("serial"))] = Int(try row.int("to_case"))
            }
        }
        return found
    }

    /// Rows of a table for these cases, read in chunks and keyed by case; `select` names the columns and the table.
    private func rows<Value>(
        of cases: [CaseRef], _ select: SQLStatement, tenantID: Int64,
        _ decode: (SQLRow) throws(StorageError) -> (CaseRef, Value)
    ) async throws(StorageError) -> [CaseRef: Value] {
        var found: [CaseRef: Value] = [:]
        for part in cases.chunked(into: Self.chunk) {
            let pairs = SQLStatement.join(
                part.map { (ref: CaseRef) -> SQLStatement in "(\(ref.batchID), \(Int64(ref.caseNumber)))" }, separator: ", ")
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

    static let selectReceipts: SQLStatement = "SELECT batch_id, case_number, store_id, distributor_id, flag, received_at, review FROM case_receipts"
    static let selectTransfers: SQLStatement = "SELECT batch_id, case_number, distributor_id, store_id, transferred_at FROM case_transfers"

    static func decodeTransfer(_ row: SQLRow) throws(StorageError) -> CaseTransfer {
        CaseTransfer(
            batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number")), distributorID: try row.int("distributor_id"),
            storeID: try row.int("store_id"), transferredAt: try row.int("transferred_at"))
    }

    static func decodeReceipt(_ row: SQLRow) throws(StorageError) -> CaseReceipt {
        guard let flag = ReceiptFlag(rawValue: try row.string("flag")) else { throw .corruptRow("case_receipts.flag") }
        guard let review = ReceiptReview(rawValue: try row.string("review")) else { throw .corruptRow("case_receipts.review") }
        return CaseReceipt(
            batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number")), storeID: try row.int("store_id"),
            distributorID: try row.int("distributor_id"), flag: flag, receivedAt: try row.int("received_at"), review: review)
    }
}
