public import ServiceLifecycle
import Synchronization

/// Holds services back until the server is prepared (schema migrated, master key checked), so
/// no worker writes before a start that is refused.
public final class StartGate: Sendable {
    private struct State {
        var isOpen = false
        var waiting: [Int: CheckedContinuation<Void, any Error>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Lets every waiting and future `wait` go on.
    public func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [:] }
            return state.waiting
        }
        for continuation in waiting.values { continuation.resume() }
    }

    /// Returns once the gate is open; throws when the task is cancelled first.
    public func wait() async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.isOpen { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiting[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }

    /// `service`, started only once the gate opens (and not at all when the group stops first).
    public func guarding(_ service: any Service) -> any Service { Gated(gate: self, service: service) }

    private struct Gated: Service {
        let gate: StartGate
        let service: any Service

        func run() async throws {
            do {
                try await cancelWhenGracefulShutdown { try await gate.wait() }
            } catch is CancellationError {
                return
            }
            try await service.run()
        }
    }
}
