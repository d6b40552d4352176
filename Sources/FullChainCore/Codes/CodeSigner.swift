public import Crypto

/// Computes and checks the tag of codes signed with one tenant key.
///
/// The tag is the first 64 bits of HMAC-SHA256(key, payload as 8 big-endian bytes). The keyed
/// hash states are made once per key, so signing a code costs two SHA-256 blocks.
public struct CodeSigner: Sendable {
    public let keyID: UInt32
    private let mac: CodeMAC

    public init(keyID: UInt32, key: SymmetricKey) {
        self.keyID = keyID
        self.mac = CodeMAC(key: key.withUnsafeBytes { Array($0) })
    }

    /// The tag for a code (its key id must be this signer's).
    public func tag(for code: ScanCode) -> UInt64 {
        tag(payload: code.payload)
    }

    /// The tag for a raw payload.
    public func tag(payload: UInt64) -> UInt64 {
        mac.tag(payload)
    }

    /// The printed text of a code.
    public func text(for code: ScanCode) -> String {
        code.text(tag: tag(for: code))
    }

    /// Whether a parsed code carries the right tag (one 64-bit comparison: no early exit).
    public func isAuthentic(_ code: ScanCode, tag: UInt64) -> Bool {
        code.keyID == keyID && self.tag(for: code) == tag
    }
}
