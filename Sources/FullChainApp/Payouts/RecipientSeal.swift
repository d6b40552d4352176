import Crypto
import Foundation

/// Seals who a payout goes to (an openid or a phone number) with AES-256-GCM under a key
/// derived from the master key, bound to the tenant: the outbox holds no readable identity.
struct RecipientSeal: Sendable {
    private let keyBytes: [UInt8]

    /// Without a master key no code can be made or checked, so no prize has a recipient to
    /// seal: a random key stands in (never a fixed one).
    init(masterKey: MasterKey?) {
        let key = masterKey?.derivedKey(purpose: "payout-recipients") ?? SymmetricKey(size: .bits256)
        keyBytes = key.withUnsafeBytes { Array($0) }
    }

    private static func context(tenantID: Int64) -> Data { Data("fullchain-payout-recipient/\(tenantID)".utf8) }

    /// Nonce, ciphertext and tag, base64; nil only if the system cannot seal.
    func seal(_ recipient: String, tenantID: Int64) -> String? {
        (try? AES.GCM.seal(Array(recipient.utf8), using: SymmetricKey(data: keyBytes), authenticating: Self.context(tenantID: tenantID)))?
            .combined?.base64EncodedString()
    }

    /// What `seal` sealed for the same tenant; nil for anything else.
    func open(_ sealed: String, tenantID: Int64) -> String? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
            let bytes = try? AES.GCM.open(box, using: SymmetricKey(data: keyBytes), authenticating: Self.context(tenantID: tenantID))
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
