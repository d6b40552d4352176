import CFullChainSHA
import Crypto

/// HMAC-SHA256 of one 8-byte message with the key's inner and outer states computed once: each
/// tag costs exactly two SHA-256 block compressions (with the CPU's SHA extensions when it has
/// them) and no allocation. The result equals swift-crypto's `HMAC<SHA256>` — a test compares
/// them; it exists because printing tens of millions of codes is bound by this one function.
struct CodeMAC: Sendable {
    private let inner: [UInt32]
    private let outer: [UInt32]

    /// - Parameter key: any length (code keys are 32 bytes); as HMAC does, a key longer than one
    ///   block is hashed first.
    init(key: [UInt8]) {
        let key = key.count > 64 ? Array(SHA256.hash(data: key)) : key
        func state(after pad: UInt8) -> [UInt32] {
            var bytes = [UInt8](repeating: pad, count: 64)
            for (index, byte) in key.enumerated() { bytes[index] = byte ^ pad }
            let words = (0..<16).map { i in (0..<4).reduce(UInt32(0)) { ($0 << 8) | UInt32(bytes[i * 4 + $1]) } }
            var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
            fullchain_sha256_compress(&state, words)
            return state
        }
        inner = state(after: 0x36)
        outer = state(after: 0x5C)
    }

    /// The first 64 bits of HMAC-SHA256(key, message as 8 big-endian bytes).
    func tag(_ message: UInt64) -> UInt64 {
        inner.withUnsafeBufferPointer { inner in
            outer.withUnsafeBufferPointer { outer in
                fullchain_hmac_sha256_tag8(inner.baseAddress, outer.baseAddress, message)
            }
        }
    }
}
