/// A rectangular sheet: a header row and data rows, all cells as text.
///
/// Rows are kept as read: they may be shorter or longer than the header.
public struct Table: Sendable, Equatable {
    /// Column names, trimmed of surrounding whitespace when read.
    public var header: [String]
    /// Data rows, each a list of cells.
    public var rows: [[String]]
    /// Spreadsheet row number of each data row (the header is row 1, so the first data row is 2).
    public var rowNumbers: [Int]

    /// Creates a table. `rowNumbers` defaults to 2, 3, 4, …; it is also replaced by that
    /// default when its count does not match `rows`.
    public init(header: [String], rows: [[String]], rowNumbers: [Int]? = nil) {
        self.header = header
        self.rows = rows
        if let rowNumbers, rowNumbers.count == rows.count {
            self.rowNumbers = rowNumbers
        } else {
            self.rowNumbers = Array(stride(from: 2, to: rows.count + 2, by: 1))
        }
    }
}

/// The text encoding a CSV file was read in.
public enum TextEncoding: String, Sendable {
    case utf8
    case utf8BOM
    case gb18030
}

/// Why a spreadsheet could not be read or written.
public enum TabularError: Error, Sendable, Equatable {
    /// No header row.
    case empty
    /// Neither valid UTF-8 nor valid GB18030.
    case invalidEncoding
    /// Broken CSV structure, e.g. an unterminated quote; `row` is the spreadsheet row number.
    case malformedCSV(row: Int, reason: String)
    /// Not a zip, missing workbook parts, truncated or corrupted.
    case notXLSX(reason: String)
    /// More rows or columns than allowed, a cell longer than allowed, or too many bytes.
    case tooLarge(limit: Int)

    /// Machine-readable error code.
    public var code: String {
        switch self {
        case .empty: "empty_file"
        case .invalidEncoding: "invalid_encoding"
        case .malformedCSV: "malformed_csv"
        case .notXLSX: "invalid_xlsx"
        case .tooLarge: "file_too_large"
        }
    }

    /// English message for people.
    public var message: String {
        switch self {
        case .empty:
            "The file is empty or has no header row."
        case .invalidEncoding:
            "The file is not valid UTF-8 or GB18030 text. Save it as \"CSV UTF-8\" and try again."
        case let .malformedCSV(row, reason):
            "The CSV file is malformed at row \(row): \(reason)."
        case let .notXLSX(reason):
            "The file is not a valid .xlsx workbook: \(reason)."
        case let .tooLarge(limit):
            "The file is too large: it exceeds the limit of \(limit)."
        }
    }
}

/// Size limits enforced while reading.
public struct TabularLimits: Sendable, Equatable {
    /// Maximum number of data rows (the header is not counted).
    public var maxRows: Int
    /// Maximum number of columns in any row.
    public var maxColumns: Int
    /// Maximum length of one cell, in Unicode scalars.
    public var maxCellLength: Int

    public init(maxRows: Int = 1_000_000, maxColumns: Int = 200, maxCellLength: Int = 10_000) {
        self.maxRows = maxRows
        self.maxColumns = maxColumns
        self.maxCellLength = maxCellLength
    }
}

extension TabularLimits {
    /// Throws `.tooLarge` when a cell made of these UTF-8 bytes is longer than `maxCellLength` scalars.
    @inline(__always)
    func checkCell(byteCount: Int, _ bytes: UnsafeBufferPointer<UInt8>) throws(TabularError) {
        guard byteCount > maxCellLength else { return }
        var scalars = 0
        for byte in bytes where byte & 0xC0 != 0x80 {
            scalars += 1
        }
        if scalars > maxCellLength { throw .tooLarge(limit: maxCellLength) }
    }

    /// Throws `.tooLarge` when a string is longer than `maxCellLength` scalars.
    func checkCell(_ string: String) throws(TabularError) {
        let utf8 = string.utf8
        guard utf8.count > maxCellLength else { return }
        if string.unicodeScalars.count > maxCellLength { throw .tooLarge(limit: maxCellLength) }
    }
}
