import Crypto
import Foundation

/// Seals short texts with AES-256-GCM under a key derived from the master key for one
/// purpose, each bound to a context (such as the tenant) it must be opened with.
struct TextSeal: Sendable {
    private let keyBytes: [UInt8]

    /// Without a master key nothing sealed could be opened after a restart: a random key stands
    /// in (never a fixed one).
    init(masterKey: MasterKey?, purpose: String) {
        let key = masterKey?.derivedKey(purpose: purpose) ?? SymmetricKey(size: .bits256)
        keyBytes = key.withUnsafeBytes { Array($0) }
    }

    /// Nonce, ciphertext and tag, base64; nil only if the system cannot seal.
    func seal(_ text: String, context: String) -> String? {
        (try? AES.GCM.seal(Array(text.utf8), using: SymmetricKey(data: keyBytes), authenticating: Data(context.utf8)))?.combined?
            .base64EncodedString()
    }

    /// What `seal` sealed with the same context; nil for anything else.
    func open(_ sealed: String, context: String) -> String? {
        guard sealed.utf8.count <= 4_096, let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
            let bytes = try? AES.GCM.open(box, using: SymmetricKey(data: keyBytes), authenticating: Data(context.utf8))
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
