import Synchronization

/// Writes concurrent requests together: the first caller to find no write in progress leads and
/// writes everything queued in one transaction; the others wait for its commit. When a write ends
/// and more are queued, leadership passes to the oldest waiter. Each caller is answered only
/// after the transaction holding its item committed (or failed). No background task is needed.
final class GroupCommit<Item: Sendable, Outcome: Sendable>: Sendable {
    typealias Write = @Sendable ([Item]) async throws -> [Outcome]

    private enum Answer {
        case done(Outcome)
        case failed(any Error)
        /// Write the queue yourself.
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
        var writing = false
    }

    private let queue = Mutex(Queue())
    private let maximumBatch: Int
    private let write: Write

    init(maximumBatch: Int = 256, write: @escaping Write) {
        self.maximumBatch = maximumBatch
        self.write = write
    }

    /// Submits one item and returns its outcome once the transaction holding it committed.
    func submit(_ item: Item) async throws -> Outcome {
        let ticket = Ticket()
        let leads = queue.withLock { queue -> Bool in
            queue.pending.append((item, ticket))
            if queue.writing { return false }
            queue.writing = true
            return true
        }
        if !leads {
            switch await ticket.wait() {
            case .done(let outcome): return outcome
            case .failed(let error): throw error
            case .lead: break
            }
        }
        return try await lead(ticket)
    }

    /// Writes batches from the queue until this caller's own item is written, then hands over.
    private func lead(_ own: Ticket) async throws -> Outcome {
        var mine: Result<Outcome, any Error>?
        while mine == nil {
            let batch = queue.withLock { queue in
                let taken = Array(queue.pending.prefix(maximumBatch))
                queue.pending.removeFirst(taken.count)
                return taken
            }
            let result: Result<[Outcome], any Error>
            do {
                let outcomes = try await write(batch.map(\.item))
                result = outcomes.count == batch.count ? .success(outcomes) : .failure(GroupCommitError.outcomeCountMismatch)
            } catch {
                result = .failure(error)
            }
            for (index, entry) in batch.enumerated() {
                let outcome: Result<Outcome, any Error> = result.map { $0[index] }
                if entry.ticket === own {
                    mine = outcome
                } else {
                    switch outcome {
                    case .success(let value): entry.ticket.answer(.done(value))
                    case .failure(let error): entry.ticket.answer(.failed(error))
                    }
                }
            }
        }
        // Hand the queue to the oldest waiter, or stop writing.
        let next = queue.withLock { queue -> Ticket? in
            guard let first = queue.pending.first else {
                queue.writing = false
                return nil
            }
            return first.ticket
        }
        next?.answer(.lead)
        return try (mine ?? .failure(GroupCommitError.outcomeCountMismatch)).get()
    }
}

enum GroupCommitError: Error {
    case outcomeCountMismatch
}
