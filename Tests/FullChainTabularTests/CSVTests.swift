import FullChainTabular
import Testing

@Suite("CSV")
struct CSVTests {
    private func utf8(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }

    @Test("UTF-8, UTF-8 with BOM and GB18030 decode to the same table")
    func encodingsRoundTrip() throws {
        let text =
            "门店名称,地址,类型,电话\n朝阳门店,北京市朝阳区建国路88号,便利店,010-12345678\n"
            + "浦东店,上海市浦东新区世纪大道100号,超市,+86 21 5555 0000\n天河店,广州市天河区天河路385号,便利店,\n"
        let plain = utf8(text)
        let withBOM = [0xEF, 0xBB, 0xBF] + plain
        let gb = try #require(CSV.encodeGB18030(text))
        #expect(gb != plain)
        #expect(gb.count < plain.count) // two bytes per Chinese character instead of three

        #expect(CSV.detectEncoding(plain) == .utf8)
        #expect(CSV.detectEncoding(withBOM) == .utf8BOM)
        #expect(CSV.detectEncoding(gb) == .gb18030)

        let fromUTF8 = try CSV.decode(plain)
        let fromBOM = try CSV.decode(withBOM)
        let fromGB = try CSV.decode(gb)
        #expect(fromUTF8.encoding == .utf8)
        #expect(fromBOM.encoding == .utf8BOM)
        #expect(fromGB.encoding == .gb18030)
        #expect(fromUTF8.table == chineseStores)
        #expect(fromBOM.table == chineseStores)
        #expect(fromGB.table == chineseStores)
        #expect(fromGB.table.rows[0][1] == "北京市朝阳区建国路88号")
        #expect(fromGB.table.rows[0][2] == "便利店")
        #expect(fromGB.table.rowNumbers == [2, 3, 4])
    }

    @Test("GB18030 export decodes back")
    func gb18030Export() throws {
        let bytes = try #require(CSV.encodeGB18030(chineseStores, neutralizeFormulas: false))
        let decoded = try CSV.decode(bytes)
        #expect(decoded.encoding == .gb18030)
        #expect(decoded.table == chineseStores)
    }

    @Test("Bytes that are neither UTF-8 nor GB18030 are rejected")
    func invalidEncoding() {
        let bytes: [UInt8] = [0x61, 0x2C, 0x62, 0x0A, 0xFF, 0xFE, 0x80, 0x0A]
        #expect(CSV.detectEncoding(bytes) == nil)
        #expect(throws: TabularError.invalidEncoding) { try CSV.decode(bytes) }
        // A BOM followed by invalid UTF-8 is not accepted either.
        #expect(CSV.detectEncoding([0xEF, 0xBB, 0xBF, 0xC3]) == nil)
    }

    @Test("Quoted fields keep commas, doubled quotes and line breaks")
    func quotedFields() throws {
        let text = "name,note\r\n\"Shop, Inc.\",\"say \"\"hi\"\"\"\r\n\"line1\nline2\",plain\r\n\"\",x\r\n"
        let table = try CSV.decode(utf8(text)).table
        #expect(table.header == ["name", "note"])
        #expect(
            table.rows == [
                ["Shop, Inc.", "say \"hi\""],
                ["line1\nline2", "plain"],
                ["", "x"],
            ])
        // The embedded line break does not start a new spreadsheet row.
        #expect(table.rowNumbers == [2, 3, 4])
    }

    @Test("CRLF, LF and lone CR line ends read the same", arguments: ["\r\n", "\n", "\r"])
    func lineEnds(lineEnd: String) throws {
        let text = ["a,b", "1,2", "3,4"].joined(separator: lineEnd) + lineEnd
        let table = try CSV.decode(utf8(text)).table
        #expect(table == Table(header: ["a", "b"], rows: [["1", "2"], ["3", "4"]]))
    }

    @Test("No trailing line end, trailing comma and ragged rows are kept as read")
    func raggedRows() throws {
        let table = try CSV.decode(utf8("a,b,c\n1,2\n3,4,5,6\n7,8,")).table
        #expect(table.rows == [["1", "2"], ["3", "4", "5", "6"], ["7", "8", ""]])
    }

    @Test("Blank lines are skipped but counted in row numbers; header names are trimmed")
    func blankLines() throws {
        let text = "\n  名称 , 地址\t\n\n北京,朝阳\n,,\n \n上海,浦东\n\n"
        let table = try CSV.decode(utf8(text)).table
        #expect(table.header == ["名称", "地址"])
        #expect(table.rows == [["北京", "朝阳"], ["上海", "浦东"]])
        #expect(table.rowNumbers == [4, 7])
    }

    @Test("Cells are not trimmed")
    func cellsKeepSpaces() throws {
        let table = try CSV.decode(utf8("a,b\n  x  ,\ty\n")).table
        #expect(table.rows == [["  x  ", "\ty"]])
    }

    @Test("Unterminated quote reports the row where it started")
    func unterminatedQuote() {
        let text = "a,b\n1,2\n3,\"never closed\n4,5\n"
        #expect(throws: TabularError.malformedCSV(row: 3, reason: "unterminated quoted field")) {
            try CSV.decode(utf8(text))
        }
    }

    @Test("Empty input and input without a header are .empty")
    func emptyInputs() {
        #expect(throws: TabularError.empty) { try CSV.decode([]) }
        #expect(throws: TabularError.empty) { try CSV.decode([0xEF, 0xBB, 0xBF]) }
        #expect(throws: TabularError.empty) { try CSV.decode(utf8("\n\r\n  \n,,\n")) }
    }

    @Test("A header with tabs and no commas makes the file tab-separated")
    func tabSeparated() throws {
        let table = try CSV.decode(utf8("名称\t地址\n北京店\t朝阳区, 建国路\n")).table
        #expect(table.header == ["名称", "地址"])
        #expect(table.rows == [["北京店", "朝阳区, 建国路"]])
    }

    @Test("Limits on rows, columns and cell length")
    func limits() {
        let rows = "h\n" + String(repeating: "x\n", count: 11)
        #expect(throws: TabularError.tooLarge(limit: 10)) {
            try CSV.decode(utf8(rows), limits: TabularLimits(maxRows: 10))
        }
        #expect(throws: Never.self) { try CSV.decode(utf8(rows), limits: TabularLimits(maxRows: 11)) }
        #expect(throws: TabularError.tooLarge(limit: 3)) {
            try CSV.decode(utf8("a,b\n1,2,3,4\n"), limits: TabularLimits(maxColumns: 3))
        }
        #expect(throws: TabularError.tooLarge(limit: 5)) {
            try CSV.decode(utf8("a\n\"123456\"\n"), limits: TabularLimits(maxCellLength: 5))
        }
        // Length counts characters, not bytes: five Chinese characters fit a limit of 5.
        #expect(throws: Never.self) {
            try CSV.decode(utf8("a\n北京市朝阳\n"), limits: TabularLimits(maxCellLength: 5))
        }
    }

    @Test("A 10,000-row file parses with exact row numbers")
    func tenThousandRows() throws {
        var text = "编号,名称,备注\n"
        var expectedNumbers: [Int] = []
        var physicalRow = 1
        for index in 0..<10_000 {
            if index % 1000 == 999 {
                text += "\n" // a blank line every 1000 rows
                physicalRow += 1
            }
            physicalRow += 1
            expectedNumbers.append(physicalRow)
            text += index % 250 == 0 ? "\(index),门店\(index),\"多行\n备注\"\n" : "\(index),门店\(index),\n"
        }
        let table = try CSV.decode(utf8(text)).table
        #expect(table.rows.count == 10_000)
        #expect(table.rowNumbers == expectedNumbers)
        #expect(table.rows[9_999] == ["9999", "门店9999", ""])
        #expect(table.rows[250] == ["250", "门店250", "多行\n备注"])
        #expect(table.rowNumbers.last == 10_011)
    }

    @Test("encode then decode gives the same table")
    func encodeRoundTrip() throws {
        let table = Table(
            header: ["名称", "备注", "条码"],
            rows: [
                ["北京市朝阳区", "has, comma", "6901234567892"],
                ["quote \"inside\"", "line\r\nbreak", "007"],
                ["", " spaced ", "-12"],
                ["+86 138 0013 8000", "便利店", ""],
            ]
        )
        // Cells exactly as given (formula neutralisation has its own test).
        let bytes = CSV.encode(table, neutralizeFormulas: false)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(bytes.suffix(2) == [0x0D, 0x0A])
        let decoded = try CSV.decode(bytes)
        #expect(decoded.encoding == .utf8BOM)
        #expect(decoded.table == table)

        let noBOM = CSV.encode(table, bom: false, neutralizeFormulas: false)
        #expect(noBOM.first == "名".utf8.first)
        #expect(try CSV.decode(noBOM).table == table)
        let text = String(decoding: noBOM, as: UTF8.self)
        #expect(text.contains("\"has, comma\""))
        #expect(text.contains("\"quote \"\"inside\"\"\""))
    }

    @Test("Formula injection is neutralised on export")
    func formulaInjection() throws {
        #expect(CSV.neutralizeFormula("=1+1") == "'=1+1")
        #expect(CSV.neutralizeFormula("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.neutralizeFormula("+cmd") == "'+cmd")
        #expect(CSV.neutralizeFormula("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0")
        #expect(CSV.neutralizeFormula("\t=1") == "'\t=1")
        #expect(CSV.neutralizeFormula("\r=1") == "'\r=1")
        // Every cell starting with one of those characters, numbers and phone numbers too:
        // a spreadsheet computes `+1-2`.
        #expect(CSV.neutralizeFormula("+1-2") == "'+1-2")
        #expect(CSV.neutralizeFormula("-12") == "'-12")
        #expect(CSV.neutralizeFormula("-12.5") == "'-12.5")
        #expect(CSV.neutralizeFormula("+86 138 0013 8000") == "'+86 138 0013 8000")
        #expect(CSV.neutralizeFormula("+86-10-1234 5678") == "'+86-10-1234 5678")
        #expect(CSV.neutralizeFormula("-") == "'-")
        #expect(CSV.neutralizeFormula("12-3") == "12-3")
        #expect(CSV.neutralizeFormula("a=b") == "a=b")
        #expect(CSV.neutralizeFormula("") == "")

        let table = Table(header: ["名称", "公式"], rows: [["店", "=HYPERLINK(\"http://x\",\"y\")"], ["店2", "-5"]])
        let decoded = try CSV.decode(CSV.encode(table)).table
        #expect(decoded.rows == [["店", "'=HYPERLINK(\"http://x\",\"y\")"], ["店2", "'-5"]])
        let raw = try CSV.decode(CSV.encode(table, neutralizeFormulas: false)).table
        #expect(raw == table)
    }

    @Test("Random bytes never crash the decoder")
    func randomGarbage() {
        var generator = SeededGenerator(seed: 20_240_601)
        let csvTokens = ["a", "b", ",", "\"", "\r", "\n", " ", "\t", "北", "\"\""]
        var outcomes: [String: Int] = [:]
        for round in 0..<600 {
            let length = Int.random(in: 0...400, using: &generator)
            let bytes =
                round % 2 == 0
                ? generator.bytes(length)
                : Array((0..<length).compactMap { _ in csvTokens.randomElement(using: &generator) }.joined().utf8)
            do throws(TabularError) {
                let (table, _) = try CSV.decode(bytes)
                #expect(table.rows.count == table.rowNumbers.count)
                #expect(table.rowNumbers == table.rowNumbers.sorted())
                outcomes["table", default: 0] += 1
            } catch {
                switch error {
                case .empty, .invalidEncoding, .malformedCSV: outcomes[error.code, default: 0] += 1
                default: Issue.record("unexpected error \(error)")
                }
            }
        }
        #expect(outcomes["table", default: 0] > 0)
        #expect(outcomes["invalid_encoding", default: 0] > 0)
        #expect(outcomes["malformed_csv", default: 0] > 0)
    }

    @Test("Error codes and messages")
    func errorCodes() {
        #expect(TabularError.empty.code == "empty_file")
        #expect(TabularError.invalidEncoding.code == "invalid_encoding")
        #expect(TabularError.malformedCSV(row: 3, reason: "x").code == "malformed_csv")
        #expect(TabularError.notXLSX(reason: "x").code == "invalid_xlsx")
        #expect(TabularError.tooLarge(limit: 5).code == "file_too_large")
        #expect(TabularError.malformedCSV(row: 7, reason: "unterminated quoted field").message.contains("row 7"))
        #expect(!TabularError.empty.message.isEmpty)
    }

    @Test("Table row numbers default to 2, 3, 4…")
    func defaultRowNumbers() {
        #expect(Table(header: ["a"], rows: [["1"], ["2"], ["3"]]).rowNumbers == [2, 3, 4])
        #expect(Table(header: ["a"], rows: [["1"]], rowNumbers: [9]).rowNumbers == [9])
        #expect(Table(header: ["a"], rows: [["1"]], rowNumbers: [9, 10]).rowNumbers == [2])
    }
}
