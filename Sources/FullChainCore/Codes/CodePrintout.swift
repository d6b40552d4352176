/// The lines printers receive for a batch: one per unit, with its case.
///
/// Rendering is plain byte work on a buffer the caller owns, so an export of many millions of
/// codes streams chunk by chunk and never holds the batch in memory.
public struct CodePrintout: Sendable {
    public enum Format: String, Sendable, CaseIterable, Codable {
        /// One URL per line.
        case txt
        /// `sequence,case_code,unit_code,url` with a header line.
        case csv
    }

    public enum LinkStyle: String, Sendable, CaseIterable, Codable {
        /// `https://{host}/c/{unit code}`
        case short
        /// GS1 Digital Link: `https://{host}/01/{GTIN-14}/10/{lot}/21/{serial}`.
        case gs1
    }

    public let batch: CodeBatch
    public let signer: CodeSigner
    public let format: Format
    public let link: LinkStyle
    private let prefix: [UInt8]

    /// - Parameters:
    ///   - host: the scan host printed in every URL, e.g. `fc.example.cn`.
    ///   - gtin14: the product's GTIN as 14 digits (needed for the GS1 form).
    public init(batch: CodeBatch, signer: CodeSigner, format: Format, link: LinkStyle, host: String, gtin14: String) {
        self.batch = batch
        self.signer = signer
        self.format = format
        self.link = link
        switch link {
        case .short: prefix = Array("https://\(host)/c/".utf8)
        case .gs1: prefix = Array("https://\(host)/01/\(gtin14)/10/\(batch.lot)/21/".utf8)
        }
    }

    /// The header line, if the format has one.
    public var header: [UInt8] {
        format == .csv ? Array("sequence,case_code,unit_code,url\n".utf8) : []
    }

    /// The longest line: sequence, two codes, the URL and separators.
    private var maxLineLength: Int { 10 + 1 + ScanCode.length + 1 + ScanCode.length + 1 + prefix.count + ScanCode.length + 1 }

    /// Appends the lines of units `serials` to `output`.
    public func render(_ serials: Range<Int>, into output: inout [UInt8]) {
        guard !serials.isEmpty else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: serials.count * maxLineLength))
        var currentCase = -1
        let written = output.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            var cursor = base + start
            prefix.withUnsafeBufferPointer { prefix in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ScanCode.length) { caseText in
                    guard let caseSymbols = caseText.baseAddress else { return }
                    for serial in serials {
                        let code = batch.unitCode(serial)
                        let tag = signer.tag(for: code)
                        if format == .csv {
                            cursor = Self.writeDecimal(serial + 1, at: cursor)
                            cursor.pointee = 0x2C
                            cursor += 1
                            let number = batch.caseNumber(ofUnit: serial)
                            if number != currentCase {
                                currentCase = number
                                let caseCode = batch.caseCode(number)
                                caseCode.write(tag: signer.tag(for: caseCode), into: caseSymbols)
                            }
                            cursor.update(from: caseSymbols, count: ScanCode.length)
                            cursor[ScanCode.length] = 0x2C
                            cursor += ScanCode.length + 1
                            code.write(tag: tag, into: cursor)
                            cursor[ScanCode.length] = 0x2C
                            cursor += ScanCode.length + 1
                        }
                        if let prefixBase = prefix.baseAddress { cursor.update(from: prefixBase, count: prefix.count) }
                        cursor += prefix.count
                        switch link {
                        case .short:
                            code.write(tag: tag, into: cursor)
                            cursor += ScanCode.length
                        case .gs1:
                            DigitalLinkSerial.write(keyID: code.keyID, serial: code.serial, tag: tag, into: cursor)
                            cursor += DigitalLinkSerial.length
                        }
                        cursor.pointee = 0x0A
                        cursor += 1
                    }
                }
            }
            return cursor - (base + start)
        }
        output.removeLast(output.count - start - written)
    }

    /// Writes a positive number in decimal; returns the position after it.
    private static func writeDecimal(_ value: Int, at cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var value = value
        for index in stride(from: digits - 1, through: 0, by: -1) {
            cursor[index] = UInt8(48 + value % 10)
            value /= 10
        }
        return cursor + digits
    }
}

/// The GS1 AI 21 value of a unit in the Digital Link form: GTIN (AI 01) and lot (AI 10) already
/// name the batch, so it carries the key id (16 bits), the serial (27) and the tag (64) — 107
/// bits as 18 symbols of base64url, all in GS1's character set 82 (AI 21 allows 20).
public enum DigitalLinkSerial {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }()
    public static let length = 18

    /// Writes the 18 symbols at `output`.
    public static func write(keyID: UInt32, serial: UInt32, tag: UInt64, into output: UnsafeMutablePointer<UInt8>) {
        // 108 bits: a zero bit, key id, serial, tag.
        var bits = (UInt128(keyID & 0xFFFF) << 91) | (UInt128(serial & ScanCode.maxSerial) << 64) | UInt128(tag)
        for index in stride(from: length - 1, through: 0, by: -1) {
            output[index] = alphabet[Int(bits & 63)]
            bits >>= 6
        }
    }

    public static func text(keyID: UInt32, serial: UInt32, tag: UInt64) -> String {
        String(unsafeUninitializedCapacity: length) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            write(keyID: keyID, serial: serial, tag: tag, into: base)
            return length
        }
    }

    /// Key id, serial and tag from an AI 21 value, or nil when it is not one of ours.
    public static func parse(_ text: some StringProtocol) -> (keyID: UInt32, serial: UInt32, tag: UInt64)? {
        var bits: UInt128 = 0
        var count = 0
        for byte in text.utf8 {
            let value = values[Int(byte)]
            guard value != 0xFF, count < length else { return nil }
            if count == 0 && value > 31 { return nil }
            bits = (bits << 6) | UInt128(value)
            count += 1
        }
        guard count == length else { return nil }
        return (
            UInt32(truncatingIfNeeded: bits >> 91) & 0xFFFF, UInt32(truncatingIfNeeded: bits >> 64) & ScanCode.maxSerial,
            UInt64(truncatingIfNeeded: bits)
        )
    }
}
