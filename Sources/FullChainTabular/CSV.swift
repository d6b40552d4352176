/// Reading and writing comma-separated text (RFC 4180) in UTF-8, UTF-8 with BOM or GB18030.
public enum CSV {
    /// Detects encoding: UTF-8 BOM -> utf8BOM; valid UTF-8 -> utf8; else valid GB18030
    /// (as Excel on Chinese Windows saves "CSV") -> gb18030; else nil.
    public static func detectEncoding(_ bytes: [UInt8]) -> TextEncoding? {
        utf8Text(bytes)?.encoding
    }

    /// Parses a CSV file into a table, detecting its encoding.
    ///
    /// Quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF, LF or a
    /// lone CR. Blank records (all cells empty or whitespace) are skipped but still counted, so
    /// `rowNumbers` match the rows a spreadsheet would show. Header names are trimmed; other cells are
    /// kept verbatim. A header containing tabs and no commas makes the file tab-separated.
    public static func decode(
        _ bytes: [UInt8], limits: TabularLimits = .init()
    ) throws(TabularError) -> (table: Table, encoding: TextEncoding) {
        if bytes.isEmpty { throw .empty }
        guard let text = utf8Text(bytes) else { throw .invalidEncoding }
        let table = try text.bytes.withUnsafeBufferPointer { (buffer) throws(TabularError) -> Table in
            let body = UnsafeBufferPointer(rebasing: buffer[text.start...])
            var parser = CSVParser(input: body, delimiter: delimiter(of: body), limits: limits)
            return try parser.parse()
        }
        return (table, text.encoding)
    }

    /// RFC 4180 output with CRLF line ends, quoting fields that need it; UTF-8 with a BOM by default so
    /// Excel opens Chinese text correctly.
    ///
    /// With `neutralizeFormulas` (the default) cells that a spreadsheet would run as formulas get a
    /// leading apostrophe; see `neutralizeFormula(_:)`.
    public static func encode(_ table: Table, bom: Bool = true, neutralizeFormulas: Bool = true) -> [UInt8] {
        var out: [UInt8] = bom ? [0xEF, 0xBB, 0xBF] : []
        out.reserveCapacity(64 * (table.rows.count + 1))
        appendRecord(table.header, to: &out, neutralize: neutralizeFormulas)
        for row in table.rows {
            appendRecord(row, to: &out, neutralize: neutralizeFormulas)
        }
        return out
    }

    /// Encodes a table as GB18030 text without BOM, for tools that cannot read UTF-8; nil if the text
    /// cannot be converted.
    public static func encodeGB18030(_ table: Table, neutralizeFormulas: Bool = true) -> [UInt8]? {
        TextDecoding.convert(
            encode(table, bom: false, neutralizeFormulas: neutralizeFormulas),
            from: "UTF-8", to: "GB18030")
    }

    /// Encodes a string as GB18030 bytes; nil if conversion is unavailable.
    public static func encodeGB18030(_ string: String) -> [UInt8]? {
        TextDecoding.convert(Array(string.utf8), from: "UTF-8", to: "GB18030")
    }

    /// Guards against spreadsheet formula injection on export: every cell that starts with `=`,
    /// `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows
    /// it as text instead of running it (`+1-2` and `-2+3+cmd|…` alike; a number such as `-12`
    /// then reads as the text it is in the export).
    public static func neutralizeFormula(_ cell: String) -> String {
        guard let first = cell.utf8.first else { return cell }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + cell
        default:
            return cell
        }
    }

    // MARK: - Internals

    /// UTF-8 bytes of the input, where the text starts (after any BOM) and the detected encoding.
    private struct UTF8Text {
        var bytes: [UInt8]
        var start: Int
        var encoding: TextEncoding
    }

    private static func utf8Text(_ bytes: [UInt8]) -> UTF8Text? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let valid = bytes.withUnsafeBufferPointer {
                TextDecoding.isValidUTF8(UnsafeBufferPointer(rebasing: $0[3...]))
            }
            return valid ? UTF8Text(bytes: bytes, start: 3, encoding: .utf8BOM) : nil
        }
        if bytes.withUnsafeBufferPointer(TextDecoding.isValidUTF8) {
            return UTF8Text(bytes: bytes, start: 0, encoding: .utf8)
        }
        guard let converted = TextDecoding.convert(bytes, from: "GB18030", to: "UTF-8") else { return nil }
        // GB18030 has its own BOM (84 31 95 33), which converts to U+FEFF.
        let start = converted.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return UTF8Text(bytes: converted, start: start, encoding: .gb18030)
    }

    /// Tab when the first non-blank line holds tabs but no commas; comma otherwise.
    private static func delimiter(of input: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var sawTab = false
        var sawText = false
        for byte in input {
            switch byte {
            case UInt8(ascii: ","): return UInt8(ascii: ",")
            case 0x09: sawTab = true
            case 0x0A, 0x0D: if sawText || sawTab { return sawTab ? 0x09 : UInt8(ascii: ",") }
            case UInt8(ascii: " "): continue
            default: sawText = true
            }
        }
        return sawTab ? 0x09 : UInt8(ascii: ",")
    }

    private static func appendRecord(_ cells: [String], to out: inout [UInt8], neutralize: Bool) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let text = neutralize ? neutralizeFormula(cell) : cell
            let needsQuotes = text.utf8.contains { byte in
                byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D
            }
            if needsQuotes {
                out.append(UInt8(ascii: "\""))
                for byte in text.utf8 {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: text.utf8)
            }
        }
        out.append(0x0D)
        out.append(0x0A)
    }
}

/// Single-pass RFC 4180 parser over UTF-8 bytes.
private struct CSVParser {
    let input: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    let limits: TabularLimits
    var index = 0
    /// Spreadsheet row number of the record being read.
    var record = 0
    var scratch: [UInt8] = []

    init(input: UnsafeBufferPointer<UInt8>, delimiter: UInt8, limits: TabularLimits) {
        self.input = input
        self.delimiter = delimiter
        self.limits = limits
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    mutating func parse() throws(TabularError) -> Table {
        var header: [String]?
        var rows: [[String]] = []
        var rowNumbers: [Int] = []
        var width = 8
        while index < input.count {
            record += 1
            var cells: [String] = []
            cells.reserveCapacity(width)
            let hasContent = try readRecord(into: &cells)
            guard hasContent else { continue }
            if cells.count > limits.maxColumns { throw .tooLarge(limit: limits.maxColumns) }
            if header == nil {
                header = cells.map { $0.trimmingWhitespace() }
                width = cells.count
            } else {
                if rows.count >= limits.maxRows { throw .tooLarge(limit: limits.maxRows) }
                rows.append(cells)
                rowNumbers.append(record)
            }
        }
        guard let header else { throw .empty }
        return Table(header: header, rows: rows, rowNumbers: rowNumbers)
    }

    /// Reads one record; returns whether any cell holds something other than spaces and tabs.
    private mutating func readRecord(into cells: inout [String]) throws(TabularError) -> Bool {
        var hasContent = false
        while true {
            let cell = try readField()
            if !hasContent { hasContent = cell.utf8.contains { $0 != 0x20 && $0 != 0x09 } }
            cells.append(cell)
            if cells.count > limits.maxColumns { throw .tooLarge(limit: limits.maxColumns) }
            guard index < input.count else { return hasContent }
            let byte = input[index]
            index += 1
            if byte == delimiter {
                if index == input.count {
                    cells.append("")
                    return hasContent
                }
                continue
            }
            if byte == Self.carriageReturn, index < input.count, input[index] == Self.lineFeed {
                index += 1
            }
            return hasContent
        }
    }

    /// Reads one field, leaving `index` on the delimiter, line break or end of input that ends it.
    private mutating func readField() throws(TabularError) -> String {
        let count = input.count
        if index < count, input[index] == Self.quote {
            return try readQuotedField()
        }
        let start = index
        while index < count {
            let byte = input[index]
            if byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            index += 1
        }
        let slice = UnsafeBufferPointer(rebasing: input[start..<index])
        try limits.checkCell(byteCount: slice.count, slice)
        return String(decoding: slice, as: UTF8.self)
    }

    private mutating func readQuotedField() throws(TabularError) -> String {
        let count = input.count
        let startRecord = record
        index += 1
        scratch.removeAll(keepingCapacity: true)
        var closed = false
        while index < count {
            // Copy the run up to the next quote in one go.
            let runStart = index
            while index < count, input[index] != Self.quote { index += 1 }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index]))
            guard index < count else { break }
            if index + 1 < count, input[index + 1] == Self.quote {
                scratch.append(Self.quote)
                index += 2
                continue
            }
            index += 1
            closed = true
            break
        }
        guard closed else {
            throw .malformedCSV(row: startRecord, reason: "unterminated quoted field")
        }
        // Text after the closing quote is kept, as spreadsheets do.
        while index < count {
            let byte = input[index]
            if byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            scratch.append(byte)
            index += 1
        }
        try scratch.withUnsafeBufferPointer { (buffer) throws(TabularError) in
            try limits.checkCell(byteCount: buffer.count, buffer)
        }
        return String(decoding: scratch, as: UTF8.self)
    }
}
