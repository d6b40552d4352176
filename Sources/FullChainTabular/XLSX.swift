import Foundation
import ZIPFoundation

/// Reading and writing Office Open XML workbooks (.xlsx) held in memory.
public enum XLSX {
    /// Excel's largest sheet: 1,048,576 rows by 16,384 columns, 32,767 characters per cell.
    public static let maxSheetRows = 1_048_576
    public static let maxSheetColumns = 16_384
    public static let maxCellCharacters = 32_767

    /// Reads the first worksheet of an .xlsx file.
    ///
    /// Understands shared strings, inline strings, `t="str"` formula results, numbers (integers are
    /// rendered without exponent or ".0", so 6901234567892 stays "6901234567892"), booleans
    /// ("TRUE"/"FALSE") and date-formatted numbers ("yyyy-MM-dd", with " HH:mm:ss" when there is a
    /// time). Cell references place cells in the right column; missing cells read as "" and rows
    /// shorter than the header are padded to its width. Fully empty rows are dropped; the first
    /// non-empty row is the header. Row numbers come from the sheet's `r` attribute.
    public static func read(_ bytes: [UInt8], limits: TabularLimits = .init()) throws(TabularError) -> Table {
        try XLSXReader(bytes, limits: limits).read()
    }

    /// Writes a minimal .xlsx with one worksheet: every cell is stored as text (shared strings), so
    /// numbers-as-text such as barcodes keep their digits; the header row is bold.
    ///
    /// `sheetName` is cleaned to Excel's rules (at most 31 characters, none of `: \ / ? * [ ]`).
    /// Throws `.tooLarge` beyond Excel's sheet size or cell length.
    public static func write(_ table: Table, sheetName: String = "Sheet1") throws(TabularError) -> [UInt8] {
        let allRows = [table.header] + table.rows
        guard allRows.count <= maxSheetRows else { throw .tooLarge(limit: maxSheetRows) }

        var sharedIndex: [ByteKey: Int] = [:]
        var shared: [[UInt8]] = []
        let cellCount = allRows.reduce(0) { $0 + $1.count }
        sharedIndex.reserveCapacity(min(cellCount, 1 << 20))
        var sheet = XMLWriter()
        sheet.bytes.reserveCapacity(cellCount * 32 + 256)
        sheet.raw(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
        sheet.raw(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#)
        let width = allRows.map(\.count).max() ?? 0
        guard width <= maxSheetColumns else { throw .tooLarge(limit: maxSheetColumns) }
        if width > 0 {
            sheet.raw("<dimension ref=\"A1:\(CellValues.columnName(width - 1))\(allRows.count)\"/>")
        }
        sheet.raw("<sheetData>")
        let columnNames = (0..<width).map { Array(CellValues.columnName($0).utf8) }
        for (rowIndex, cells) in allRows.enumerated() {
            let rowNumber = rowIndex + 1
            sheet.raw("<row r=\"")
            sheet.number(rowNumber)
            sheet.raw("\">")
            for (columnIndex, cell) in cells.enumerated() where !cell.isEmpty {
                if cell.utf8.count > maxCellCharacters, cell.unicodeScalars.count > maxCellCharacters {
                    throw .tooLarge(limit: maxCellCharacters)
                }
                let text = ByteKey(Array(CellValues.encodeEscapes(cell).utf8))
                if text.bytes.isEmpty { continue }
                let index: Int
                if let existing = sharedIndex[text] {
                    index = existing
                } else {
                    index = shared.count
                    sharedIndex[text] = index
                    shared.append(text.bytes)
                }
                sheet.raw("<c r=\"")
                sheet.bytes.append(contentsOf: columnNames[columnIndex])
                sheet.number(rowNumber)
                sheet.raw(rowIndex == 0 ? "\" s=\"1\" t=\"s\"><v>" : "\" t=\"s\"><v>")
                sheet.number(index)
                sheet.raw("</v></c>")
            }
            sheet.raw("</row>")
        }
        sheet.raw("</sheetData></worksheet>")

        var strings = XMLWriter()
        strings.raw(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
        strings.raw(#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#)
        strings.raw(" count=\"\(shared.count)\" uniqueCount=\"\(shared.count)\">")
        for text in shared {
            // XML parsers may drop leading or trailing XML whitespace unless told to preserve it.
            let isSpace = { (byte: UInt8?) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            let preserve = isSpace(text.first) || isSpace(text.last)
            strings.raw(preserve ? #"<si><t xml:space="preserve">"# : "<si><t>")
            strings.text(text)
            strings.raw("</t></si>")
        }
        strings.raw("</sst>")

        var workbook = XMLWriter()
        workbook.raw(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
        workbook.raw(#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#)
        workbook.raw(#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        workbook.raw(#"<sheets><sheet name=""#)
        workbook.text(Array(cleanSheetName(sheetName).utf8))
        workbook.raw(#"" sheetId="1" r:id="rId1"/></sheets></workbook>"#)

        return try zip([
            (path: "[Content_Types].xml", data: Array(contentTypes.utf8)),
            (path: "_rels/.rels", data: Array(packageRelationships.utf8)),
            (path: "xl/workbook.xml", data: workbook.bytes),
            (path: "xl/_rels/workbook.xml.rels", data: Array(workbookRelationships.utf8)),
            (path: "xl/styles.xml", data: Array(styles.utf8)),
            (path: "xl/sharedStrings.xml", data: strings.bytes),
            (path: "xl/worksheets/sheet1.xml", data: sheet.bytes),
        ])
    }

    /// Packs named parts into a deflate-compressed zip archive, in the order given.
    public static func zip(_ parts: [(path: String, data: [UInt8])]) throws(TabularError) -> [UInt8] {
        do {
            let archive = try Archive(accessMode: .create)
            for part in parts {
                let data = part.data
                try archive.addEntry(
                    with: part.path, type: .file, uncompressedSize: Int64(data.count),
                    compressionMethod: .deflate,
                    provider: { position, size in
                        let start = Int(position)
                        return Data(data[start..<min(start + size, data.count)])
                    })
            }
            guard let bytes = archive.data else { throw TabularError.notXLSX(reason: "the archive could not be built") }
            return [UInt8](bytes)
        } catch let error as TabularError {
            throw error
        } catch {
            throw .notXLSX(reason: "the archive could not be built")
        }
    }

    /// A sheet name Excel accepts: forbidden characters replaced, at most 31 characters, not blank.
    static func cleanSheetName(_ name: String) -> String {
        let forbidden: Set<Character> = [":", "\\", "/", "?", "*", "[", "]"]
        var cleaned = String(name.map { forbidden.contains($0) || $0.unicodeScalars.contains { $0.value < 0x20 } ? "_" : $0 })
            .trimmingWhitespace()
        while cleaned.hasPrefix("'") { cleaned.removeFirst() }
        while cleaned.hasSuffix("'") { cleaned.removeLast() }
        cleaned = String(cleaned.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }

    // MARK: - Fixed parts

    private static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/xl/sharedStrings.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
        </Types>
        """

    private static let packageRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="xl/workbook.xml"/>\
        </Relationships>
        """

    private static let workbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
        Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
        Target="styles.xml"/>\
        <Relationship Id="rId3" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
        Target="sharedStrings.xml"/>\
        </Relationships>
        """

    /// Style 0 is the default, style 1 the same in bold for the header.
    private static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill>\
        <fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}

/// UTF-8 bytes as a dictionary key, hashed as raw bytes (no Unicode normalisation).
private struct ByteKey: Hashable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// Appends XML to a byte buffer, escaping text.
private struct XMLWriter {
    var bytes: [UInt8] = []

    mutating func raw(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    /// Appends a non-negative decimal number.
    mutating func number(_ value: Int) {
        var remaining = max(0, value)
        let start = bytes.count
        repeat {
            bytes.append(UInt8(48 + remaining % 10))
            remaining /= 10
        } while remaining > 0
        bytes[start...].reverse()
    }

    /// Appends UTF-8 text with `& < > "` escaped and CR as `&#13;` (a literal CR would be read back as
    /// LF); callers have already removed characters XML 1.0 forbids.
    mutating func text(_ utf8: [UInt8]) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            case 0x0D: raw("&#13;")
            default: bytes.append(byte)
            }
        }
    }
}
