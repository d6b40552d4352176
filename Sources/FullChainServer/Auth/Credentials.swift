import Crypto
import Foundation
import HTTPTypes
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// Bearer tokens and web sessions: `fc_<tenant>_<secret>`. Only a SHA-256 of the whole token is stored.
public enum TokenCodec {
    /// A fresh token for a tenant: 256 random bits, URL-safe.
    public static func generate(tenantID: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secret = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "fc_\(tenantID)_\(secret)"
    }

    /// The tenant a token claims, or nil when it is not shaped like one of ours.
    public static func tenantID(of token: String) -> Int64? {
        let parts = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "fc", parts[2].utf8.count >= 40, parts[2].utf8.count <= 64 else { return nil }
        return Int64(parts[1])
    }

    /// What is stored for a token: hex SHA-256.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Password hashing with bcrypt. A hash takes tens of milliseconds of CPU, so request paths use
/// the async `computeHash`/`matches`, which run on NIO's blocking thread pool, never on Swift's
/// cooperative pool (whose few threads serve every request), and at most `concurrency` at once:
/// further hashes wait their turn without holding a thread.
public struct PasswordHasher: Sendable {
    public var cost: UInt8
    let gate: ConcurrencyGate

    /// At most `concurrency` hashes at once (by default one per processor).
    public init(cost: UInt8, concurrency: Int? = nil) {
        self.cost = cost
        self.gate = ConcurrencyGate(limit: concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// A hash of a new password, computed off the cooperative pool.
    public func computeHash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await gate.run { try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) } }
    }

    /// Whether `password` matches `hash`, checked off the cooperative pool. Without a hash (no
    /// such user) a decoy is checked, so the time taken does not tell whether the user exists.
    public func matches(_ password: String, hash: String?) async throws -> Bool {
        try await gate.run {
            try await NIOThreadPool.singleton.runIfActive {
                guard let hash else {
                    _ = Bcrypt.verify(password, hash: Self.decoy)
                    return false
                }
                return Bcrypt.verify(password, hash: hash)
            }
        }
    }

    /// Hashes on the calling thread: for setup outside request handling (demo data, tests).
    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    /// Verifies on the calling thread: for setup outside request handling.
    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A hash to verify against when the user does not exist, so timing does not tell.
    public static let decoy = Bcrypt.hash("decoy-password-for-timing", cost: 10)
}

/// At most `limit` operations at once; callers beyond it wait, in arrival order, without blocking a thread.
final class ConcurrencyGate: Sendable {
    private struct State {
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once a slot is free.
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { releaseSlot() }
        return try await body()
    }

    private func acquire() async {
        let entered = state.withLock { state -> Bool in
            guard state.running >= limit else {
                state.running += 1
                return true
            }
            return false
        }
        if entered { return }
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                // A slot may have been freed since the first look.
                if state.running < limit {
                    state.running += 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Hands the slot to the longest waiter, or frees it.
    private func releaseSlot() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.head < state.waiters.count else {
                state.running -= 1
                return nil
            }
            let waiter = state.waiters[state.head]
            state.head += 1
            if state.head >= 64, state.head * 2 >= state.waiters.count {
                state.waiters.removeFirst(state.head)
                state.head = 0
            }
            return waiter
        }
        next?.resume()
    }
}
