public import FullChainCore
public import FullChainStorage

/// Where a genuine code sits: its batch, its activation status, the case it is in now and that case's movements.
public struct CodePlace {
    public var batch: CodeBatch
    public var status: CodeStatus
    public var caseRef: CaseRef
    public var movements: CaseMovements
}

extension AppStorage {
    /// The batch, status and case of an authenticated code, or nil when no batch of the tenant holds it.
    public func place(of code: ScanCode, tenantID: Int64) async throws -> CodePlace? {
        guard let batch = try await codes.batch(id: Int64(code.batch), tenantID: tenantID), batch.contains(code) else { return nil }
        let actions = try await codes.rangeActions(batchID: batch.id, tenantID: tenantID)
        let packed = batch.caseNumber(of: code)
        let unit = code.kind == .unit ? Int(code.serial)..<Int(code.serial) + 1 : 0..<0
        var moved = try await logistics.movements(batchID: batch.id, cases: packed...packed, units: unit, tenantID: tenantID)
        let current = unit.first.flatMap { moved.repacks[$0] } ?? packed
        if current != packed {
            moved = try await logistics.movements(batchID: batch.id, cases: current...current, units: 0..<0, tenantID: tenantID)
        }
        return CodePlace(
            batch: batch, status: batch.status(of: code, actions: actions), caseRef: CaseRef(batchID: batch.id, caseNumber: current),
            movements: moved)
    }
}
