import Foundation
import FullChainCore

/// Conversions between spreadsheet cell representations and text.
enum CellValues {
    // MARK: - Cell references

    /// Column letters for a zero-based index: 0 -> "A", 25 -> "Z", 26 -> "AA".
    static func columnName(_ index: Int) -> String {
        var number = index + 1
        var letters: [UInt8] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(remainder))
            number = (number - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// Zero-based column and one-based row of a reference like "C7"; nil parts when absent or invalid.
    /// Columns beyond XFD (16384) are rejected.
    static func parseReference(_ bytes: ArraySlice<UInt8>) -> (column: Int?, row: Int?) {
        var column = 0
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let byte = bytes[position] | 0x20 // lower-case ASCII letters
            guard byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") else { break }
            column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
            if column > 16_384 { return (nil, nil) }
            position += 1
        }
        var row = 0
        var digits = 0
        while position < bytes.endIndex {
            let digit = Int(bytes[position]) - 48
            guard digit >= 0, digit <= 9, digits < 9 else { return (column > 0 ? column - 1 : nil, nil) }
            row = row * 10 + digit
            digits += 1
            position += 1
        }
        return (column > 0 ? column - 1 : nil, digits > 0 && row > 0 ? row : nil)
    }

    // MARK: - Numbers

    /// Renders a stored number the way a person reads it: integers without exponent or ".0"
    /// (6901234567892 stays "6901234567892"), other values with up to 15 significant digits as
    /// spreadsheets show them (0.30000000000000004 -> "0.3").
    static func formatNumber(_ raw: [UInt8]) -> String {
        // Fast path: plain integers are already in their final form.
        let signLength = raw.first == UInt8(ascii: "-") ? 1 : 0
        if raw.count > signLength, raw.dropFirst(signLength).allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return String(decoding: raw, as: UTF8.self)
        }
        let text = String(decoding: raw, as: UTF8.self).trimmingWhitespace()
        let utf8 = text.utf8
        guard let value = Double(text), value.isFinite else { return text }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        if value == value.rounded(), abs(value) < 1e21 {
            // Large integers (already beyond a spreadsheet's 15-digit precision): keep any digits given.
            if utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }) { return text }
            return String(format: "%.0f", value)
        }
        var formatted = String(format: "%.15g", value)
        if formatted.contains("e") {
            formatted = "\(value)"
        } else if formatted.contains(".") {
            while formatted.hasSuffix("0") { formatted.removeLast() }
            if formatted.hasSuffix(".") { formatted.removeLast() }
        }
        return formatted
    }

    // MARK: - Dates

    /// Whether a number format code shows a date or time.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        switch id {
        case 14...22, 27...36, 45...47, 50...58: return true
        default: break
        }
        guard let code else { return false }
        var inQuotes = false
        var inBrackets = false
        var escaped = false
        for scalar in code.unicodeScalars {
            if escaped {
                escaped = false
                continue
            }
            switch scalar {
            case "\\", "_", "*":
                escaped = !inQuotes // outside quotes the next character is literal, padding or fill
            case "\"": inQuotes.toggle()
            case "[" where !inQuotes: inBrackets = true
            case "]" where !inQuotes: inBrackets = false
            case "y", "Y", "d", "D", "m", "M", "h", "H", "s", "S":
                if !inQuotes, !inBrackets { return true }
            default: break
            }
        }
        return false
    }

    /// Renders a date serial as "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", or "HH:mm:ss" for pure times;
    /// nil when the serial is outside 0...2958465 (the years 1900 to 9999).
    static func formatDate(serial: Double, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var totalSeconds = Int64((serial * 86_400).rounded())
        let secondsOfDay = Int(totalSeconds % 86_400)
        totalSeconds /= 86_400
        let days = Int(totalSeconds)
        let time = String(format: "%02d:%02d:%02d", secondsOfDay / 3600, secondsOfDay / 60 % 60, secondsOfDay % 60)
        if days == 0, !date1904 { return time }
        // Serial 1 is 1900-01-01 and the (nonexistent) 1900-02-29 is serial 60.
        let epoch = date1904 ? CalendarDate(dayNumber: -24_107) : CalendarDate(dayNumber: -25_568 - (days >= 60 ? 1 : 0))
        let date = epoch.adding(days: days).text
        return secondsOfDay == 0 ? date : "\(date) \(time)"
    }

    // MARK: - OOXML string escapes

    /// Decodes `_xHHHH_` escapes that Office uses for control characters (e.g. `_x000D_` for CR).
    static func decodeEscapes(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 7, containsEscape(bytes) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        while position < bytes.count {
            if let scalar = escape(in: bytes, at: position) {
                out.append(contentsOf: String(Character(scalar)).utf8)
                position += 7
            } else {
                out.append(bytes[position])
                position += 1
            }
        }
        return out
    }

    /// Prepares text for an OOXML string: a literal `_xHHHH_` gets its underscore escaped and
    /// characters XML 1.0 forbids are dropped (CR is kept; the XML writer emits it as `&#13;`).
    static func encodeEscapes(_ text: String) -> String {
        let needsWork = text.unicodeScalars.contains { scalar in
            scalar.value < 0x20 && scalar.value != 0x09 && scalar.value != 0x0A && scalar.value != 0x0D
                || scalar.value == 0xFFFE || scalar.value == 0xFFFF || scalar == "_"
        }
        guard needsWork else { return text }
        let bytes = Array(text.utf8)
        var out = ""
        out.unicodeScalars.reserveCapacity(bytes.count)
        var position = 0
        for scalar in text.unicodeScalars {
            defer { position += String(scalar).utf8.count }
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.unicodeScalars.append(scalar)
            case 0..<0x20, 0xFFFE, 0xFFFF: continue
            default:
                if scalar == "_", escape(in: bytes, at: position) != nil {
                    out += "_x005F_"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func containsEscape(_ bytes: [UInt8]) -> Bool {
        var position = 0
        while position + 7 <= bytes.count {
            if bytes[position] == UInt8(ascii: "_"), bytes[position + 1] == UInt8(ascii: "x") { return true }
            position += 1
        }
        return false
    }

    /// The scalar of an `_xHHHH_` escape starting at `position`, if there is one.
    private static func escape(in bytes: [UInt8], at position: Int) -> Unicode.Scalar? {
        guard position + 7 <= bytes.count, bytes[position] == UInt8(ascii: "_"),
            bytes[position + 1] == UInt8(ascii: "x"), bytes[position + 6] == UInt8(ascii: "_")
        else { return nil }
        var value: UInt32 = 0
        for offset in 2..<6 {
            let byte = bytes[position + offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 55)
            default: return nil
            }
            value = value * 16 + digit
        }
        return Unicode.Scalar(value)
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
