/// What a printed code says: which kind (a unit's C code inside the cap, or a case's B code),
/// which key signed it, the batch and the serial within the batch.
///
/// The text is 26 Crockford base32 symbols holding 128 bits (the first symbol holds 3, so it is
/// always 0–7):
///
///     kind 1 | key id 16 | batch 20 | serial 27 | tag 64
///
/// The key id names one key of one tenant (keys are numbered across the deployment), so a code
/// alone says whose it is. The tag is the first 64 bits of HMAC-SHA256 over the first 64 bits;
/// see `CodeSigner`.
public struct ScanCode: Sendable, Hashable, Codable {
    public enum Kind: UInt8, Sendable, Codable {
        /// A consumer unit (C code, inside the cap).
        case unit = 0
        /// A case of units (B code, on the carton).
        case `case` = 1
    }

    public var kind: Kind
    public var keyID: UInt32
    public var batch: UInt32
    public var serial: UInt32

    public static let length = 26
    public static let maxKeyID: UInt32 = (1 << 16) - 1
    /// Batches are numbered from 1 within a tenant.
    public static let maxBatch: UInt32 = (1 << 20) - 1
    /// Serials run from 0; a batch holds at most 134,217,728 units.
    public static let maxSerial: UInt32 = (1 << 27) - 1

    public init(kind: Kind, keyID: UInt32, batch: UInt32, serial: UInt32) {
        self.kind = kind
        self.keyID = keyID
        self.batch = batch
        self.serial = serial
    }

    /// The 64 bits before the tag.
    @inlinable
    public var payload: UInt64 {
        (UInt64(kind.rawValue) << 63) | (UInt64(keyID & 0xFFFF) << 47) | (UInt64(batch & Self.maxBatch) << 27) | UInt64(serial & Self.maxSerial)
    }

    /// The printed text with this tag: writes 26 symbols at `output`.
    @inlinable
    public func write(tag: UInt64, into output: UnsafeMutablePointer<UInt8>) {
        var bits = (UInt128(payload) << 64) | UInt128(tag)
        var index = Self.length - 1
        while index >= 0 {
            output[index] = CrockfordBase32.alphabet[Int(bits & 31)]
            bits >>= 5
            index -= 1
        }
    }

    /// The printed text with this tag.
    public func text(tag: UInt64) -> String {
        String(unsafeUninitializedCapacity: Self.length) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            write(tag: tag, into: base)
            return Self.length
        }
    }

    /// Why a text is not a well-formed code (before any key is consulted).
    public enum ParseError: Error, Sendable, Equatable {
        case wrongLength(Int)
        case badSymbol(position: Int)
    }

    /// Reads a printed code: its fields and the tag it carries. Spaces and hyphens a person may
    /// type are ignored; case does not matter.
    public static func parse(_ text: some StringProtocol) throws(ParseError) -> (code: ScanCode, tag: UInt64) {
        var bits: UInt128 = 0
        var count = 0
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x2D { continue }
            guard count < length else { throw .wrongLength(count + 1) }
            guard let value = CrockfordBase32.value(of: byte) else { throw .badSymbol(position: count) }
            // 26 symbols carry 130 bits and a code uses 128: the first symbol is 0–7.
            if count == 0 && value > 7 { throw .badSymbol(position: 0) }
            bits = (bits << 5) | UInt128(value)
            count += 1
        }
        guard count == length else { throw .wrongLength(count) }
        let tag = UInt64(truncatingIfNeeded: bits)
        let payload = UInt64(truncatingIfNeeded: bits >> 64)
        let code = ScanCode(
            kind: payload >> 63 == 0 ? .unit : .case, keyID: UInt32(truncatingIfNeeded: payload >> 47) & 0xFFFF,
            batch: UInt32(truncatingIfNeeded: payload >> 27) & maxBatch,
            serial: UInt32(truncatingIfNeeded: payload) & maxSerial)
        return (code, tag)
    }
}
