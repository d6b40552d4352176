import FullChainCore
import FullChainStorage
import Testing

/// Phased transactions read earlier steps' rows by name, on both databases.
@Suite("Phased transactions")
struct PhasedTransactionTests {
    @Test(arguments: Backend.all)
    func laterPhasesReadEarlierRowsByName(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let db = storage.database
            let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
                switch done.phase {
                case 0:
                    return [SQLStep("SELECT 1 AS n", name: "one"), SQLStep("SELECT 2 AS n WHERE 1 = 0"), SQLStep("SELECT 3 AS n", name: "three")]
                case 1:
                    guard let one = done["one"].first?.optionalInt("n"), let three = done["three"].first?.optionalInt("n") else {
                        throw .unavailable("earlier rows missing")
                    }
                    return [SQLStep("SELECT \(one + three) AS n", name: "sum")]
                default:
                    return []
                }
            })
            #expect(done.phase == 3 && done["sum"].first?.optionalInt("n") == 4 && done["one"].count == 1)
            #expect(done.ran("three") && !done.ran("missing") && done["missing"].isEmpty)
        }
    }
}
