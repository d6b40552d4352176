import Crypto
public import FullChainCore
public import FullChainStorage
import Synchronization

/// Every tenant's code keys, unsealed in memory, so a code is checked with no storage read.
///
/// Loaded from storage on first use. A code naming a key id the ring does not know triggers a
/// reload at most every `refreshInterval` (another server may have made the key), so a flood of
/// forged codes costs at most one read per interval.
public final class CodeKeyRing: Sendable {
    public struct Entry: Sendable {
        public let tenantID: Int64
        public let signer: CodeSigner
        public let createdAt: Int64
    }

    private struct State {
        var entries: [UInt32: Entry] = [:]
        /// Keys stored sealed under another master key: this server cannot check their codes.
        var unopenable: Set<UInt32> = []
        var loadedAt: ContinuousClock.Instant?
    }

    private let storage: AppStorage
    private let masterKey: MasterKey?
    private let refreshInterval: Duration
    private let state = Mutex(State())

    public init(storage: AppStorage, masterKey: MasterKey?, refreshInterval: Duration = .seconds(10)) {
        self.storage = storage
        self.masterKey = masterKey
        self.refreshInterval = refreshInterval
    }

    /// The key a code names, if it is known (reloading when allowed). Throws when the key exists
    /// but this server's master key does not open it: a misconfiguration, not a forged code.
    public func entry(keyID: UInt32) async throws -> Entry? {
        let (found, unopenable, mayLoad) = state.withLock { state -> (Entry?, Bool, Bool) in
            (state.entries[keyID], state.unopenable.contains(keyID), state.loadedAt.map { ContinuousClock.now - $0 >= refreshInterval } ?? true)
        }
        if let found { return found }
        if unopenable { throw Self.cannotOpen }
        guard mayLoad else { return nil }
        try await reload()
        return try state.withLock { state throws -> Entry? in
            if state.unopenable.contains(keyID) { throw Self.cannotOpen }
            return state.entries[keyID]
        }
    }

    static let cannotOpen = AppError(.unavailable, code: "no_code_key", message: "this code's key cannot be opened with the server's master key")

    /// What a scanned text is.
    public enum Check: Sendable, Equatable {
        case genuine(ScanCode, tenantID: Int64)
        /// Not genuine; the tenant when the text names one of its keys (a forgery aimed at that brand).
        case forged(tenantID: Int64?)
    }

    /// Checks a text: parsed and its tag verified in memory. A key already in the ring is read
    /// without a call that may suspend.
    public func check(_ text: String) async throws -> Check {
        guard let (code, tag) = try? ScanCode.parse(text) else { return .forged(tenantID: nil) }
        var known = state.withLock { $0.entries[code.keyID] }
        if known == nil { known = try await entry(keyID: code.keyID) }
        guard let entry = known else { return .forged(tenantID: nil) }
        return entry.signer.isAuthentic(code, tag: tag) ? .genuine(code, tenantID: entry.tenantID) : .forged(tenantID: entry.tenantID)
    }

    /// The code, if the tenant's key signed it.
    public func verify(_ text: String, tenantID: Int64) async throws -> ScanCode? {
        guard case .genuine(let code, let owner) = try await check(text), owner == tenantID else { return nil }
        return code
    }

    /// The tenant's newest key, made on first need.
    public func currentSigner(tenantID: Int64) async throws -> CodeSigner {
        if state.withLock({ $0.loadedAt == nil }) { try await reload() }
        if let newest = state.withLock({ $0.entries.values.filter { $0.tenantID == tenantID }.max { $0.signer.keyID < $1.signer.keyID } }) {
            return newest.signer
        }
        return try await rotate(tenantID: tenantID)
    }

    /// Makes a new key for the tenant; codes signed with older keys stay valid.
    @discardableResult
    public func rotate(tenantID: Int64) async throws -> CodeSigner {
        guard let masterKey else {
            throw AppError(.unavailable, code: "no_master_key", message: "the server has no master key configured for code keys")
        }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        // The id is known only once stored, and the seal is bound to it: store a placeholder, then the seal.
        let stored = try await storage.codes.createKey(tenantID: tenantID, sealedKey: "")
        let sealed = try masterKey.seal(bytes, keyID: stored.keyID, tenantID: tenantID)
        try await storage.codes.sealKey(keyID: stored.keyID, tenantID: tenantID, sealedKey: sealed)
        let signer = CodeSigner(keyID: stored.keyID, key: SymmetricKey(data: bytes))
        state.withLock { $0.entries[stored.keyID] = Entry(tenantID: tenantID, signer: signer, createdAt: stored.createdAt) }
        return signer
    }

    /// Reads every key and unseals it.
    public func reload() async throws {
        guard let masterKey else {
            state.withLock { $0.loadedAt = .now }
            return
        }
        var entries: [UInt32: Entry] = [:]
        var unopenable = Set<UInt32>()
        for stored in try await storage.codes.allKeys() where !stored.sealedKey.isEmpty {
            guard let bytes = try? masterKey.open(stored.sealedKey, keyID: stored.keyID, tenantID: stored.tenantID) else {
                unopenable.insert(stored.keyID)
                continue
            }
            entries[stored.keyID] = Entry(
                tenantID: stored.tenantID, signer: CodeSigner(keyID: stored.keyID, key: SymmetricKey(data: bytes)), createdAt: stored.createdAt)
        }
        state.withLock { state in
            state.entries.merge(entries) { _, loaded in loaded }
            state.unopenable = unopenable.subtracting(state.entries.keys)
            state.loadedAt = .now
        }
    }
}
