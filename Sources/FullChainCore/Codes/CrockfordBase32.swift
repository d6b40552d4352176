/// Crockford's base32: digits and upper-case letters without I, L, O and U, so a code survives
/// being read aloud, typed or put in a QR code's alphanumeric mode.
public enum CrockfordBase32 {
    /// The 32 symbols, by value.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Symbol → value; lower case is accepted, and I/L read as 1 and O as 0 (as Crockford allows).
    /// 0xFF marks a byte that is no symbol.
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() {
            table[Int(symbol)] = UInt8(value)
            if symbol >= 65 && symbol <= 90 { table[Int(symbol) + 32] = UInt8(value) }
        }
        for (symbol, value) in [("I", 1), ("i", 1), ("L", 1), ("l", 1), ("O", 0), ("o", 0)] {
            table[Int(symbol.utf8.first ?? 0)] = UInt8(value)
        }
        return table
    }()

    /// The value of one symbol, or nil.
    public static func value(of symbol: UInt8) -> UInt8? {
        let value = values[Int(symbol)]
        return value == 0xFF ? nil : value
    }
}
