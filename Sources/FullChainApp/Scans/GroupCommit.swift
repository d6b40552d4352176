import Synchronization

/// Writes concurrent requests together. A caller that finds a writer's place free leads: it writes
/// its own item with everything queued (up to `maximumBatch`) in one transaction; the others queue
/// and wait. When a write ends, its place passes to the oldest waiter, who writes what queued
/// meanwhile. With `writers` places, the next batch is already handed to the database while one
/// commits, so the database's writer never waits for it. Each caller is answered only after the
/// transaction holding its item committed (or failed). No background task is needed.
final class GroupCommit<Item: Sendable, Outcome: Sendable>: Sendable {
    typealias Write = @Sendable ([Item]) async throws -> [Outcome]

    private enum Answer {
        case done(Outcome)
        case failed(any Error)
        /// A writer's place is yours: write your item and the queue.
        case lead
    }

    /// One waiting caller: its answer arrives once.
    private final class Ticket: Sendable {
        private enum State {
            case waiting(CheckedContinuation<Answer, Never>?)
            case answered(Answer)
        }

        private let state = Mutex(State.waiting(nil))

        func answer(_ answer: Answer) {
            let continuation = state.withLock { state -> CheckedContinuation<Answer, Never>? in
                guard case .waiting(let continuation) = state else { return nil }
                state = continuation == nil ? .answered(answer) : .waiting(nil)
                return continuation
            }
            continuation?.resume(returning: answer)
        }

        func wait() async -> Answer {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Answer? in
                    switch state {
                    case .answered(let answer):
                        state = .waiting(nil)
                        return answer
                    case .waiting:
                        state = .waiting(continuation)
                        return nil
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }

    private struct Queue {
        var pending: [(item: Item, ticket: Ticket)] = []
        var writers = 0
    }

    private let queue = Mutex(Queue())
    private let maximumBatch: Int
    private let writers: Int
    private let write: Write

    init(maximumBatch: Int = 256, writers: Int = 1, write: @escaping Write) {
        self.maximumBatch = max(1, maximumBatch)
        self.writers = max(1, writers)
        self.write = write
    }

    /// Submits one item and returns its outcome once the transaction holding it committed.
    func submit(_ item: Item) async throws -> Outcome {
        let ticket = Ticket()
        let leads = queue.withLock { queue -> Bool in
            guard queue.writers < writers else {
                queue.pending.append((item, ticket))
                return false
            }
            queue.writers += 1
            return true
        }
        if !leads {
            switch await ticket.wait() {
            case .done(let outcome): return outcome
            case .failed(let error): throw error
            case .lead: break
            }
        }
        return try await lead(item)
    }

    /// Writes the caller's item with the queue's oldest, then hands the writer's place on.
    private func lead(_ own: Item) async throws -> Outcome {
        let others = queue.withLock { queue in
            let taken = Array(queue.pending.prefix(maximumBatch - 1))
            queue.pending.removeFirst(taken.count)
            return taken
        }
        let result: Result<[Outcome], any Error>
        do {
            let outcomes = try await write([own] + others.map(\.item))
            result = outcomes.count == others.count + 1 ? .success(outcomes) : .failure(GroupCommitError.outcomeCountMismatch)
        } catch {
            result = .failure(error)
        }
        for (index, entry) in others.enumerated() {
            switch result {
            case .success(let outcomes): entry.ticket.answer(.done(outcomes[index + 1]))
            case .failure(let error): entry.ticket.answer(.failed(error))
            }
        }
        // Hand the place to the oldest waiter, or give it up.
        let next = queue.withLock { queue -> Ticket? in
            guard !queue.pending.isEmpty else {
                queue.writers -= 1
                return nil
            }
            return queue.pending.removeFirst().ticket
        }
        next?.answer(.lead)
        return try result.get()[0]
    }
}

enum GroupCommitError: Error {
    case outcomeCountMismatch
}
