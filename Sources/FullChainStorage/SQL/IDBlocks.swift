import Synchronization

/// Ids of one table handed out from blocks reserved in `id_sequences`, so the writes that need
/// many (a batch of draws books several ledger entries each) rarely take a commit of their own.
/// Each server process reserves its own blocks: ids stay unique across servers sharing one
/// database, they only are not in time order across them, and a restart leaves a gap.
final class IDBlocks: Sendable {
    private struct Block {
        var next: Int64
        var end: Int64
    }

    private let db: any SQLDatabase
    private let sequence: String
    private let blockSize: Int
    private let blocks = Mutex<[Int64: Block]>([:])

    init(db: any SQLDatabase, sequence: String, blockSize: Int = 4_096) {
        self.db = db
        self.sequence = sequence
        self.blockSize = blockSize
    }

    /// Reserves `count` consecutive ids of the tenant and returns the first.
    func reserve(_ count: Int, tenantID: Int64) async throws(StorageError) -> Int64 {
        let n = Int64(max(1, count))
        if let first = take(n, tenantID: tenantID) { return first }
        // What is left of the current block is too little: reserve a new one (racing reservers
        // each get a block of their own; the ids of the one not kept are never used).
        let size = max(n, Int64(blockSize))
        let first = try await db.allocateIDs(sequence, tenantID: tenantID, count: Int(size))
        blocks.withLock { $0[tenantID] = Block(next: first + n, end: first + size) }
        return first
    }

    private func take(_ n: Int64, tenantID: Int64) -> Int64? {
        blocks.withLock { blocks in
            guard var block = blocks[tenantID], block.end - block.next >= n else { return nil }
            defer { blocks[tenantID] = block }
            block.next += n
            return block.next - n
        }
    }
}
