import CQRCodeGen

/// A QR Code symbol for a text: its square of dark and light modules, the error-correction
/// level it was made with and the light margin (quiet zone) scanners need around it.
public struct QRCode: Sendable, Hashable {
    /// How much of the symbol may be damaged and still read: about 7, 15, 25 or 30 %.
    public enum ErrorCorrection: String, Sendable, CaseIterable, Codable {
        case low, medium, quartile, high

        var level: qrcodegen_Ecc {
            switch self {
            case .low: qrcodegen_Ecc_LOW
            case .medium: qrcodegen_Ecc_MEDIUM
            case .quartile: qrcodegen_Ecc_QUARTILE
            case .high: qrcodegen_Ecc_HIGH
            }
        }
    }

    public enum EncodingError: Error, Sendable, Equatable {
        /// More data than a version 40 symbol holds at this level (2,953 bytes at `low`).
        case tooLong
        /// The quiet zone is 0…`maxQuietZone` modules.
        case badQuietZone
    }

    /// The text the symbol holds.
    public let text: String
    /// 1…40: the symbol has `17 + 4 × version` modules a side.
    public let version: Int
    public let errorCorrection: ErrorCorrection
    /// Light modules around the symbol on each side (the standard asks for 4).
    public let quietZone: Int
    /// Modules a side, without the quiet zone.
    public let size: Int
    /// Row after row, true for dark.
    private let modules: [Bool]

    public static let maxQuietZone = 16
    /// The C library's buffer for any version (`qrcodegen_BUFFER_LEN_MAX`): (177² + 7) / 8 + 1 bytes.
    static let bufferLength = (177 * 177 + 7) / 8 + 1

    /// Encodes `text` in one segment of the most compact mode that holds all of it (numeric,
    /// alphanumeric or byte), in the smallest version that holds it at exactly `errorCorrection`.
    public init(_ text: String, errorCorrection: ErrorCorrection = .medium, quietZone: Int = 4) throws(EncodingError) {
        guard (0...Self.maxQuietZone).contains(quietZone) else { throw .badQuietZone }
        var symbol = [UInt8](repeating: 0, count: Self.bufferLength)
        var scratch = [UInt8](repeating: 0, count: Self.bufferLength)
        let bytes = Array(text.utf8)
        guard bytes.count <= scratch.count else { throw .tooLong }
        let encoded: Bool
        if bytes.contains(0) {
            // A C string would stop at the NUL: send the bytes as they are.
            scratch.replaceSubrange(0..<bytes.count, with: bytes)
            encoded = qrcodegen_encodeBinary(
                &scratch, bytes.count, &symbol, errorCorrection.level,
                qrcodegen_VERSION_MIN, qrcodegen_VERSION_MAX, qrcodegen_Mask_AUTO, false)
        } else {
            encoded = text.withCString {
                qrcodegen_encodeText(
                    $0, &scratch, &symbol, errorCorrection.level,
                    qrcodegen_VERSION_MIN, qrcodegen_VERSION_MAX, qrcodegen_Mask_AUTO, false)
            }
        }
        guard encoded else { throw .tooLong }
        let size = Int(qrcodegen_getSize(symbol))
        var modules = [Bool](repeating: false, count: size * size)
        for y in 0..<size {
            for x in 0..<size where qrcodegen_getModule(symbol, Int32(x), Int32(y)) {
                modules[y * size + x] = true
            }
        }
        self.text = text
        self.version = (size - 17) / 4
        self.errorCorrection = errorCorrection
        self.quietZone = quietZone
        self.size = size
        self.modules = modules
    }

    /// Modules a side with the quiet zone on both sides.
    public var sizeWithQuietZone: Int { size + 2 * quietZone }

    /// Whether the module at column `x`, row `y` (from the symbol's top left, quiet zone not
    /// counted) is dark; anything outside the symbol is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// The runs of dark modules of a row: start column and length.
    func darkRuns(row y: Int) -> [(x: Int, length: Int)] {
        var runs: [(x: Int, length: Int)] = []
        var x = 0
        while x < size {
            guard isDark(x: x, y: y) else {
                x += 1
                continue
            }
            let start = x
            while x < size && isDark(x: x, y: y) { x += 1 }
            runs.append((start, x - start))
        }
        return runs
    }
}
