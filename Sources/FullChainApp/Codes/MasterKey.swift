import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

    /// A check value of the key: HMAC-SHA-256 of a fixed label under a key derived for that
    /// purpose, base64. Stored in the database, it tells whether a node holds the deployment's
    /// key without revealing the key.
    public var checkValue: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("fullchain master key check v1".utf8), using: derivedKey(purpose: "master-key-check"))
        return Data(mac).base64EncodedString()
    }

    /// The key in `FULLCHAIN_MASTER_KEY` if set, else the one in `file`. Only a missing file is
    /// created (exclusively, readable by the owner only); a file that cannot be read or does not
    /// hold a key stops the start and is left as it is. Returns the key and whether it was just created.
    public static func load(environment: [String: String], file: String) throws -> (key: MasterKey, created: Bool) {
        if let text = environment["FULLCHAIN_MASTER_KEY"], !text.isEmpty {
            guard let key = MasterKey(base64: text) else { throw MasterKeyError.malformed("FULLCHAIN_MASTER_KEY") }
            return (key, false)
        }
        switch try readKeyFile(file) {
        case .some(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self), let key = MasterKey(base64: text) else {
                throw MasterKeyError.malformed(file)
            }
            return (key, false)
        case .none:
            let key = MasterKey.generate()
            try createKeyFile(file, contents: Array((key.base64 + "\n").utf8))
            return (key, true)
        }
    }

    /// The file's bytes; nil only when there is no file at that path.
    private static func readKeyFile(_ file: String) throws -> [UInt8]? {
        let descriptor = openFile(file, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw MasterKeyError.unreadable(file, reason: String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw MasterKeyError.unreadable(file, reason: String(cString: strerror(errno))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw MasterKeyError.unreadable(file, reason: "not a regular file") }
        // A key file is one line of base64; anything much longer is not one.
        let limit = 4096
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count <= limit {
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress.map { $0 + count }, limit + 1 - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw MasterKeyError.unreadable(file, reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            count += got
        }
        guard count <= limit else { throw MasterKeyError.malformed(file) }
        return Array(bytes.prefix(count))
    }

    /// Creates the key file only if nothing is at that path (`O_EXCL`), writes and syncs it.
    private static func createKeyFile(_ file: String, contents: [UInt8]) throws {
        let descriptor = openFile(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw MasterKeyError.unwritable(file, reason: String(cString: strerror(errno))) }
        var written = 0
        var failure: String?
        while written < contents.count {
            let result = contents.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + written }, contents.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            written += result
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if let failure {
            // The file is ours and incomplete: remove it, so the next start creates it afresh.
            unlink(file)
            throw MasterKeyError.unwritable(file, reason: failure)
        }
    }
}

/// The C library's `open` (`MasterKey.open` is another thing).
private func openFile(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
    #if canImport(Glibc)
        Glibc.open(path, flags, mode)
    #else
        Darwin.open(path, flags, mode)
    #endif
}

public enum MasterKeyError: Error, CustomStringConvertible {
    case malformed(String)
    case unreadable(String, reason: String)
    case unwritable(String, reason: String)
    /// The node's key is not the one the deployment's data is sealed with.
    case mismatch

    public var description: String {
        switch self {
        case .malformed(let source): "\(source) does not hold a master key (32 bytes, base64); it is left unchanged: restore the deployment's key"
        case .unreadable(let file, let reason):
            "cannot read the master key file \(file) (\(reason)); it is left unchanged: fix it or point --master-key-file at the key"
        case .unwritable(let file, let reason): "cannot create the master key file \(file) (\(reason))"
        case .mismatch:
            "this node's master key is not the deployment's (its check value differs from the one stored in the database): start it with the key the other nodes use"
        }
    }
}
