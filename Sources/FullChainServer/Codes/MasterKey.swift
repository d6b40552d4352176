import Crypto
import Foundation

/// The deployment's master key: it seals every tenant's code keys at rest (AES-256-GCM).
/// It comes from configuration (`FULLCHAIN_MASTER_KEY` or a key file) and is never logged.
public struct MasterKey: Sendable, CustomStringConvertible {
    private let bytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// A key from exactly 32 bytes, or nil.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// A key from 32 bytes in base64, or nil.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else { return nil }
        bytes = Array(data)
    }

    public static func generate() -> MasterKey {
        MasterKey(unchecked: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    public var base64: String { Data(bytes).base64EncodedString() }

    public var description: String { "MasterKey(redacted)" }

    /// A key for another purpose, derived from this one (HKDF-SHA-256), so the master key itself
    /// only ever seals code keys.
    func derivedKey(purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data("fullchain/\(purpose)".utf8), outputByteCount: 32)
    }

    /// Seals key bytes: nonce, ciphertext and tag, base64.
    func seal(_ bytes: [UInt8], keyID: UInt32, tenantID: Int64) throws -> String {
        let box = try AES.GCM.seal(bytes, using: key, authenticating: Self.context(keyID: keyID, tenantID: tenantID))
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return combined.base64EncodedString()
    }

    /// Opens what `seal` made for the same key id and tenant; fails for anything else.
    func open(_ sealed: String, keyID: UInt32, tenantID: Int64) throws -> [UInt8] {
        guard let data = Data(base64Encoded: sealed) else { throw CryptoKitError.incorrectParameterSize }
        return Array(try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key, authenticating: Self.context(keyID: keyID, tenantID: tenantID)))
    }

    /// Binds a sealed key to its id and tenant, so a row copied elsewhere does not open.
    private static func context(keyID: UInt32, tenantID: Int64) -> Data {
        Data("fullchain-code-key/\(tenantID)/\(keyID)".utf8)
    }

    /// The key in `FULLCHAIN_MASTER_KEY` if set, else the one in `file` — created (readable by
    /// the owner only) when missing. Returns the key and whether it was just created.
    public static func load(environment: [String: String], file: String) throws -> (key: MasterKey, created: Bool) {
        if let text = environment["FULLCHAIN_MASTER_KEY"], !text.isEmpty {
            guard let key = MasterKey(base64: text) else { throw MasterKeyError.malformed("FULLCHAIN_MASTER_KEY") }
            return (key, false)
        }
        if let text = try? String(contentsOfFile: file, encoding: .utf8) {
            guard let key = MasterKey(base64: text) else { throw MasterKeyError.malformed(file) }
            return (key, false)
        }
        let key = MasterKey.generate()
        guard FileManager.default.createFile(atPath: file, contents: Data((key.base64 + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw MasterKeyError.unwritable(file)
        }
        return (key, true)
    }
}

public enum MasterKeyError: Error, CustomStringConvertible {
    case malformed(String)
    case unwritable(String)

    public var description: String {
        switch self {
        case .malformed(let source): "\(source) does not hold a master key (32 bytes, base64)"
        case .unwritable(let file): "cannot create the master key file \(file)"
        }
    }
}
