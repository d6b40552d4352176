import Synchronization
import Testing

@testable import FullChainApp
@testable import FullChainServer

/// The group commit under concurrency: every caller answered once, with its own outcome, after
/// the write holding its item; failures reach exactly the callers whose batch failed.
@Suite("Group commit")
struct GroupCommitTests {
    @Test func concurrentCallersAreBatchedAndEachGetsItsOwnOutcome() async throws {
        let batches = Mutex<[[Int]]>([])
        let commit = GroupCommit<Int, Int>(maximumBatch: 64) { items in
            try await Task.sleep(for: .milliseconds(2))
            batches.withLock { $0.append(items) }
            return items.map { $0 * 10 }
        }
        let outcomes = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for item in 0..<2_000 {
                group.addTask { (item, try await commit.submit(item)) }
            }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.count == 2_000)
        #expect(outcomes.allSatisfy { $0.value == $0.key * 10 })
        let written = batches.withLock { $0 }
        #expect(written.flatMap { $0 }.sorted() == Array(0..<2_000))
        #expect(written.allSatisfy { $0.count <= 64 })
        #expect(written.count < 2_000, "concurrent items share transactions")
    }

    @Test func twoWriterPlacesOverlapWritesButNeverMore() async throws {
        struct Writes { var running = 0, most = 0, items: [Int] = [] }
        let writes = Mutex(Writes())
        let commit = GroupCommit<Int, Int>(maximumBatch: 16, writers: 2) { items in
            writes.withLock {
                $0.running += 1
                $0.most = max($0.most, $0.running)
            }
            try await Task.sleep(for: .milliseconds(3))
            writes.withLock {
                $0.running -= 1
                $0.items += items
            }
            return items.map { -$0 }
        }
        let outcomes = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for item in 0..<1_000 {
                group.addTask { (item, try await commit.submit(item)) }
            }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.count == 1_000)
        #expect(outcomes.allSatisfy { $0.value == -$0.key })
        let done = writes.withLock { $0 }
        #expect(done.items.sorted() == Array(0..<1_000), "every item written exactly once")
        #expect(done.most == 2, "the next batch is written while one is in progress, and no third")
        #expect(done.running == 0)
    }

    struct Refused: Error {}

    @Test func aFailedWriteFailsItsCallersOnly() async throws {
        let commit = GroupCommit<Int, Int>(maximumBatch: 8) { items in
            if items.contains(13) { throw Refused() }
            return items
        }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for item in 0..<200 {
                group.addTask { (item, (try? await commit.submit(item)) != nil) }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 200)
        #expect(results[13] == false)
        #expect(results.values.filter { $0 }.count >= 200 - 8)
        // The queue keeps working afterwards.
        #expect(try await commit.submit(7) == 7)
    }
}
