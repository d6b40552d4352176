import Crypto
import Foundation

/// Stable pseudonyms for consumers and devices (HMAC-SHA-256 under a key derived from the
/// master key, per brand): the ledger and the draws never hold a phone number or an openid.
struct Pseudonyms: Sendable {
    private let keyBytes: [UInt8]

    /// Without a master key no code can be made or checked, so no scan needs a pseudonym: a
    /// random key stands in (never a fixed one).
    init(masterKey: MasterKey?) {
        let key = masterKey?.derivedKey(purpose: "consumer-pseudonyms") ?? SymmetricKey(size: .bits256)
        keyBytes = key.withUnsafeBytes { Array($0) }
    }

    /// How scan events and store customer lists name a consumer (`openid:…`, `phone:…`).
    func scanName(of subject: String, tenantID: Int64) -> String {
        "consumer:" + of(subject, tenantID: tenantID)
    }

    /// 32 hex digits for a subject of a tenant.
    func of(_ subject: String, tenantID: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(tenantID)/\(subject)".utf8), using: SymmetricKey(data: keyBytes))
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for byte in mac.prefix(16) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
