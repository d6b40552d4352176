import FullChainCore
import FullChainStorage

/// Where a genuine code sits: its batch, its activation status and the case it is in now.
struct CodePlace {
    var batch: CodeBatch
    var status: CodeStatus
    var caseRef: CaseRef
}

extension AppStorage {
    /// The batch, status and case of an authenticated code, or nil when no batch of the tenant holds it.
    func place(of code: ScanCode, tenantID: Int64) async throws -> CodePlace? {
        guard let batch = try await codes.batch(id: Int64(code.batch), tenantID: tenantID), batch.contains(code) else { return nil }
        let actions = try await codes.rangeActions(batchID: batch.id, tenantID: tenantID)
        var caseNumber = batch.caseNumber(of: code)
        if code.kind == .unit, let repacked = try await logistics.repackedCases(ofUnits: [Int(code.serial)], batchID: batch.id, tenantID: tenantID)[Int(code.serial)] {
            caseNumber = repacked
        }
        return CodePlace(batch: batch, status: batch.status(of: code, actions: actions), caseRef: CaseRef(batchID: batch.id, caseNumber: caseNumber))
    }
}
