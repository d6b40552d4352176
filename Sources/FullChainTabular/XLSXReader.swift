/// Reads the first worksheet of an Office Open XML workbook.
struct XLSXReader {
    private let zip: ZipReader
    private let limits: TabularLimits

    init(_ bytes: [UInt8], limits: TabularLimits) throws(TabularError) {
        self.zip = try ZipReader(bytes)
        self.limits = limits
    }

    func read() throws(TabularError) -> Table {
        let workbookPath = try officeDocumentPath() ?? "xl/workbook.xml"
        let workbook = try zip.data(workbookPath)
        var sheetPath: String?
        var sharedStringsPath: String?
        var stylesPath: String?
        var date1904 = false
        if let workbook {
            let info = try parseWorkbook(workbook, path: workbookPath)
            date1904 = info.date1904
            let relations = try relationships(of: workbookPath)
            if let id = info.firstSheetID, let target = relations.first(where: { $0.id == id })?.target {
                sheetPath = target
            }
            sharedStringsPath = relations.first { $0.type.hasSuffix("/sharedStrings") }?.target
            stylesPath = relations.first { $0.type.hasSuffix("/styles") }?.target
        }
        if sheetPath.map(zip.contains) != true {
            sheetPath = "xl/worksheets/sheet1.xml"
        }
        guard let sheetPath, let sheet = try zip.data(sheetPath) else {
            throw .notXLSX(reason: workbook == nil ? "no workbook found" : "no worksheet found")
        }
        let sharedStrings = try parseSharedStrings(try zip.data(sharedStringsPath ?? "xl/sharedStrings.xml"))
        let dateStyles = try parseDateStyles(try zip.data(stylesPath ?? "xl/styles.xml"))
        var parser = SheetParser(
            scanner: XMLScanner(sheet), sharedStrings: sharedStrings,
            dateStyles: dateStyles, date1904: date1904, limits: limits)
        return try parser.parse()
    }

    // MARK: - Package structure

    private struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    /// The workbook part named by the package relationships, if any.
    private func officeDocumentPath() throws(TabularError) -> String? {
        try relationships(of: "")
            .first { $0.type.hasSuffix("/officeDocument") }?.target
    }

    /// Relationships of a part (`""` for the package itself), with targets resolved to part names.
    private func relationships(of part: String) throws(TabularError) -> [Relationship] {
        let folder = part.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let file = part.split(separator: "/").last.map(String.init) ?? ""
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + file + ".rels"
        guard let bytes = try zip.data(relsPath) else { return [] }
        var scanner = XMLScanner(bytes)
        var result: [Relationship] = []
        while let token = scanner.next() {
            guard case let .start(tag) = token, scanner.equals(tag.name, "Relationship") else { continue }
            guard let id = scanner.attributeString(tag, "Id"),
                let target = scanner.attributeString(tag, "Target")
            else { continue }
            if scanner.attributeString(tag, "TargetMode") == "External" { continue }
            let type = scanner.attributeString(tag, "Type") ?? ""
            result.append(Relationship(id: id, type: type, target: Self.resolve(target, from: folder)))
        }
        if scanner.malformed { throw .notXLSX(reason: "malformed XML in \(relsPath)") }
        return result
    }

    /// Resolves a relationship target against the folder of its source part.
    static func resolve(_ target: String, from folder: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for piece in target.split(separator: "/") {
            switch piece {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(piece)
            }
        }
        return parts.joined(separator: "/")
    }

    private func parseWorkbook(
        _ bytes: [UInt8], path: String
    ) throws(TabularError) -> (firstSheetID: String?, date1904: Bool) {
        var scanner = XMLScanner(bytes)
        var firstSheetID: String?
        var date1904 = false
        while let token = scanner.next() {
            guard case let .start(tag) = token else { continue }
            if scanner.equals(tag.name, "workbookPr") {
                let value = scanner.attributeString(tag, "date1904")
                date1904 = value == "1" || value == "true"
            } else if scanner.equals(tag.name, "sheet"), firstSheetID == nil {
                firstSheetID = scanner.attributeString(tag, "id", prefixed: true)
            }
        }
        if scanner.malformed { throw .notXLSX(reason: "malformed XML in \(path)") }
        return (firstSheetID, date1904)
    }

    /// The shared strings table: each `<si>`'s text runs joined, phonetic (`<rPh>`) runs left out.
    private func parseSharedStrings(_ bytes: [UInt8]?) throws(TabularError) -> [String] {
        guard let bytes else { return [] }
        var scanner = XMLScanner(bytes)
        var strings: [String] = []
        var buffer: [UInt8] = []
        var inItem = false
        var inText = false
        var phoneticDepth = 0
        while let token = scanner.next() {
            switch token {
            case let .start(tag):
                if scanner.equals(tag.name, "si") {
                    buffer.removeAll(keepingCapacity: true)
                    inItem = !tag.selfClosing
                    if tag.selfClosing { strings.append("") }
                } else if scanner.equals(tag.name, "rPh"), !tag.selfClosing {
                    phoneticDepth += 1
                } else if scanner.equals(tag.name, "t") {
                    inText = inItem && phoneticDepth == 0 && !tag.selfClosing
                }
            case let .end(name):
                if scanner.equals(name, "si"), inItem {
                    inItem = false
                    let text = String(decoding: CellValues.decodeEscapes(buffer), as: UTF8.self)
                    try limits.checkCell(text)
                    strings.append(text)
                } else if scanner.equals(name, "rPh") {
                    phoneticDepth = max(0, phoneticDepth - 1)
                } else if scanner.equals(name, "t") {
                    inText = false
                }
            case let .text(range, raw):
                if inText {
                    scanner.appendText(range, raw: raw, to: &buffer)
                    if buffer.count > limits.maxCellLength * 4 + 64 { throw .tooLarge(limit: limits.maxCellLength) }
                }
            }
        }
        if scanner.malformed { throw .notXLSX(reason: "malformed XML in the shared strings") }
        return strings
    }

    /// For each cell style index, whether it formats numbers as dates or times.
    private func parseDateStyles(_ bytes: [UInt8]?) throws(TabularError) -> [Bool] {
        guard let bytes else { return [] }
        var scanner = XMLScanner(bytes)
        var customFormats: [Int: String] = [:]
        var formatIDs: [Int] = []
        var inCellFormats = false
        while let token = scanner.next() {
            switch token {
            case let .start(tag):
                if scanner.equals(tag.name, "numFmt"),
                    let id = scanner.attributeString(tag, "numFmtId").flatMap({ Int($0) })
                {
                    customFormats[id] = scanner.attributeString(tag, "formatCode")
                } else if scanner.equals(tag.name, "cellXfs") {
                    inCellFormats = !tag.selfClosing
                } else if scanner.equals(tag.name, "xf"), inCellFormats {
                    formatIDs.append(scanner.attributeString(tag, "numFmtId").flatMap { Int($0) } ?? 0)
                }
            case let .end(name):
                if scanner.equals(name, "cellXfs") { inCellFormats = false }
            case .text:
                break
            }
        }
        if scanner.malformed { throw .notXLSX(reason: "malformed XML in the styles") }
        return formatIDs.map { CellValues.isDateFormat(id: $0, code: customFormats[$0]) }
    }
}

/// Streams `<sheetData>` into a table.
private struct SheetParser {
    var scanner: XMLScanner
    let sharedStrings: [String]
    let dateStyles: [Bool]
    let date1904: Bool
    let limits: TabularLimits

    /// Rows read so far (only rows with at least one non-empty cell), with their numbers.
    private var rows: [[String]] = []
    private var rowNumbers: [Int] = []
    private var needsSort = false

    // State of the row and cell being read.
    private var row: [String] = []
    private var rowNumber = 0
    private var rowHasValue = false
    private var column = -1
    private var cellType: CellType = .number
    private var cellStyle = 0
    private var value: [UInt8] = []
    private var hasValue = false
    private var capture: Capture = .none
    private var phoneticDepth = 0

    private enum CellType { case number, shared, inline, string, boolean, error, date }
    private enum Capture { case none, value, inlineText }

    init(scanner: XMLScanner, sharedStrings: [String], dateStyles: [Bool], date1904: Bool, limits: TabularLimits) {
        self.scanner = scanner
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.limits = limits
    }

    mutating func parse() throws(TabularError) -> Table {
        var inSheetData = false
        var inCell = false
        while let token = scanner.next() {
            switch token {
            case let .start(tag):
                if scanner.equals(tag.name, "sheetData") {
                    inSheetData = !tag.selfClosing
                } else if !inSheetData {
                    continue
                } else if scanner.equals(tag.name, "row") {
                    try startRow(tag)
                    if tag.selfClosing { try endRow() }
                } else if scanner.equals(tag.name, "c") {
                    startCell(tag)
                    inCell = !tag.selfClosing
                    if tag.selfClosing { try endCell() }
                } else if inCell {
                    if scanner.equals(tag.name, "v"), !tag.selfClosing {
                        capture = .value
                    } else if scanner.equals(tag.name, "rPh"), !tag.selfClosing {
                        phoneticDepth += 1
                    } else if scanner.equals(tag.name, "t"), !tag.selfClosing, phoneticDepth == 0,
                        cellType == .inline
                    {
                        capture = .inlineText
                        hasValue = true
                    }
                }
            case let .end(name):
                if scanner.equals(name, "sheetData") {
                    inSheetData = false
                } else if !inSheetData {
                    continue
                } else if scanner.equals(name, "c") {
                    if inCell { try endCell() }
                    inCell = false
                } else if scanner.equals(name, "row") {
                    try endRow()
                } else if scanner.equals(name, "v") || scanner.equals(name, "t") {
                    capture = .none
                } else if scanner.equals(name, "rPh") {
                    phoneticDepth = max(0, phoneticDepth - 1)
                }
            case let .text(range, raw):
                guard capture != .none else { continue }
                if capture == .value { hasValue = true }
                scanner.appendText(range, raw: raw, to: &value)
                if value.count > limits.maxCellLength * 4 + 64 { throw .tooLarge(limit: limits.maxCellLength) }
            }
        }
        if scanner.malformed { throw .notXLSX(reason: "malformed XML in the worksheet") }
        return try makeTable()
    }

    private mutating func startRow(_ tag: XMLScanner.Tag) throws(TabularError) {
        let previous = rowNumber
        if let range = scanner.attribute(tag, "r"), let number = scanner.integer(range), number > 0 {
            rowNumber = number
        } else {
            rowNumber += 1
        }
        if rowNumber <= previous { needsSort = true }
        row.removeAll(keepingCapacity: true)
        rowHasValue = false
        column = -1
    }

    private mutating func endRow() throws(TabularError) {
        guard rowHasValue else { return }
        // Drop trailing empty cells; the table pads rows to the header width later.
        while row.last?.isEmpty == true { row.removeLast() }
        if rows.count > limits.maxRows { throw .tooLarge(limit: limits.maxRows) }
        rows.append(row)
        rowNumbers.append(rowNumber)
        rowHasValue = false
    }

    private mutating func startCell(_ tag: XMLScanner.Tag) {
        if let range = scanner.attribute(tag, "r"), let parsed = CellValues.parseReference(scanner.bytes[range]).column {
            column = parsed
        } else {
            column += 1
        }
        cellStyle = scanner.attribute(tag, "s").flatMap { scanner.integer($0) } ?? 0
        cellType = .number
        if let range = scanner.attribute(tag, "t") {
            if scanner.equals(range, "s") {
                cellType = .shared
            } else if scanner.equals(range, "inlineStr") {
                cellType = .inline
            } else if scanner.equals(range, "str") {
                cellType = .string
            } else if scanner.equals(range, "b") {
                cellType = .boolean
            } else if scanner.equals(range, "e") {
                cellType = .error
            } else if scanner.equals(range, "d") {
                cellType = .date
            }
        }
        value.removeAll(keepingCapacity: true)
        hasValue = false
        capture = .none
        phoneticDepth = 0
    }

    private mutating func endCell() throws(TabularError) {
        capture = .none
        guard hasValue else { return }
        let text = cellText()
        guard !text.isEmpty else { return }
        guard column < limits.maxColumns else { throw .tooLarge(limit: limits.maxColumns) }
        try limits.checkCell(text)
        if column >= row.count {
            row.append(contentsOf: repeatElement("", count: column - row.count))
            row.append(text)
        } else {
            row[column] = text
        }
        rowHasValue = true
    }

    private func cellText() -> String {
        switch cellType {
        case .shared:
            guard let index = scanner.integerValue(value), index < sharedStrings.count else { return "" }
            return sharedStrings[index]
        case .inline, .string:
            return String(decoding: CellValues.decodeEscapes(value), as: UTF8.self)
        case .boolean:
            let text = String(decoding: value, as: UTF8.self).trimmingWhitespace()
            return text == "1" || text.lowercased() == "true" ? "TRUE" : "FALSE"
        case .error, .date:
            return String(decoding: value, as: UTF8.self)
        case .number:
            if cellStyle < dateStyles.count, dateStyles[cellStyle],
                let serial = Double(String(decoding: value, as: UTF8.self).trimmingWhitespace()),
                let date = CellValues.formatDate(serial: serial, date1904: date1904)
            {
                return date
            }
            return CellValues.formatNumber(value)
        }
    }

    private mutating func makeTable() throws(TabularError) -> Table {
        if needsSort {
            let order = rowNumbers.indices.sorted { rowNumbers[$0] < rowNumbers[$1] }
            rows = order.map { rows[$0] }
            rowNumbers = order.map { rowNumbers[$0] }
        }
        guard !rows.isEmpty else { throw .empty }
        let header = rows.removeFirst().map { $0.trimmingWhitespace() }
        rowNumbers.removeFirst()
        if rows.count > limits.maxRows { throw .tooLarge(limit: limits.maxRows) }
        // Pad short rows to the header width (missing cells read as "").
        let width = header.count
        for index in rows.indices where rows[index].count < width {
            rows[index].append(contentsOf: repeatElement("", count: width - rows[index].count))
        }
        return Table(header: header, rows: rows, rowNumbers: rowNumbers)
    }
}

extension XMLScanner {
    /// Parses a non-negative decimal number (surrounding ASCII whitespace allowed) from captured text.
    func integerValue(_ bytes: [UInt8]) -> Int? {
        var value = 0
        var digits = 0
        var trailing = false
        for byte in bytes {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                trailing = digits > 0
            case UInt8(ascii: "0")...UInt8(ascii: "9") where !trailing && digits < 18:
                value = value * 10 + Int(byte - 48)
                digits += 1
            default:
                return nil
            }
        }
        return digits > 0 ? value : nil
    }
}
