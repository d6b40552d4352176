import FullChainTabular
import Testing

@Suite("XLSX")
struct XLSXTests {
    private static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"

    private func part(_ path: String, _ xml: String) -> (path: String, data: [UInt8]) {
        (path: path, data: Array(xml.utf8))
    }

    /// A workbook whose first sheet (in tab order) is sheet2.xml, with shared strings, rich text,
    /// phonetic runs, an inline string, a sparse row, a barcode number, a boolean, a date, a formula
    /// result, escapes and empty trailing rows.
    private func handBuiltWorkbook() throws -> [UInt8] {
        let sharedStrings = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(Self.main)" count="7" uniqueCount="7">\
            <si><t>名称</t></si>\
            <si><t>条码</t></si>\
            <si><t>备注</t></si>\
            <si><r><rPr><b/></rPr><t>北京市</t></r><r><t xml:space="preserve">朝阳区 </t></r></si>\
            <si><t>便利店</t><rPh sb="0" eb="1"><t>ビン</t></rPh></si>\
            <si><t>a &amp; b_x000D_c &#x4E2D;</t></si>\
            <si><t>开业日期</t></si>\
            </sst>
            """
        let sheet = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(Self.main)" xmlns:r="\(Self.relationships)">
              <dimension ref="A1:D7"/>
              <sheetData>
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>\
            <c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>6</v></c></row>
                <row r="2"><c r="A2" t="s"><v>3</v></c><c r="C2" t="inlineStr"><is><t>内联</t></is></c></row>
                <row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3"><v>6901234567892</v></c>\
            <c r="C3" t="b"><v>1</v></c><c r="D3" s="1"><v>45123</v></c></row>
                <row r="5"><c r="A5" t="str"><f>CONCAT("x","y")</f><v>xy</v></c>\
            <c r="B5"><v>6.901234567892E+12</v></c><c r="C5"><v>0.30000000000000004</v></c>\
            <c r="D5" t="s"><v>5</v></c></row>
                <row r="6"><c r="A6" s="1"/><c r="B6"/></row>
                <row r="7"></row>
              </sheetData>
            </worksheet>
            """
        let otherSheet = """
            <?xml version="1.0" encoding="UTF-8"?>
            <worksheet xmlns="\(Self.main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c>\
            </row></sheetData></worksheet>
            """
        let styles = """
            <?xml version="1.0" encoding="UTF-8"?>
            <styleSheet xmlns="\(Self.main)"><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>\
            <cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/></cellXfs>\
            </styleSheet>
            """
        return try XLSX.zip([
            part(
                "[Content_Types].xml",
                """
                <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="xml" ContentType="application/xml"/></Types>
                """),
            part(
                "_rels/.rels",
                """
                <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="\(Self.packageRelationships)">\
                <Relationship Id="rId1" Type="\(Self.relationships)/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """),
            part(
                "xl/workbook.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <workbook xmlns="\(Self.main)" xmlns:r="\(Self.relationships)"><workbookPr/>
                <sheets><sheet name="门店" sheetId="2" r:id="rId2"/><sheet name="Other" sheetId="1" r:id="rId1"/></sheets>
                </workbook>
                """),
            part(
                "xl/_rels/workbook.xml.rels",
                """
                <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="\(Self.packageRelationships)">\
                <Relationship Id="rId1" Type="\(Self.relationships)/worksheet" Target="worksheets/sheet1.xml"/>\
                <Relationship Id="rId2" Type="\(Self.relationships)/worksheet" Target="/xl/worksheets/sheet2.xml"/>\
                <Relationship Id="rId3" Type="\(Self.relationships)/sharedStrings" Target="sharedStrings.xml"/>\
                <Relationship Id="rId4" Type="\(Self.relationships)/styles" Target="styles.xml"/>\
                </Relationships>
                """),
            part("xl/worksheets/sheet1.xml", otherSheet),
            part("xl/worksheets/sheet2.xml", sheet),
            part("xl/sharedStrings.xml", sharedStrings),
            part("xl/styles.xml", styles),
        ])
    }

    @Test("A hand-built workbook reads shared strings, numbers, sparse rows and row numbers")
    func handBuilt() throws {
        let table = try XLSX.read(handBuiltWorkbook())
        #expect(table.header == ["名称", "条码", "备注", "开业日期"])
        #expect(table.rows.count == 3)
        #expect(table.rows[0] == ["北京市朝阳区 ", "", "内联", ""])
        #expect(table.rows[1] == ["便利店", "6901234567892", "TRUE", "2023-07-16"])
        #expect(table.rows[2] == ["xy", "6901234567892", "0.3", "a & b\rc 中"])
        #expect(table.rowNumbers == [2, 3, 5])
    }

    @Test("Date and time formats render as ISO text; other number formats stay numbers")
    func numberFormats() throws {
        let styles = """
            <?xml version="1.0" encoding="UTF-8"?>
            <styleSheet xmlns="\(Self.main)"><numFmts count="3">\
            <numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>\
            <numFmt numFmtId="165" formatCode="0.00_);[Red]\\(0.00\\)"/>\
            <numFmt numFmtId="166" formatCode="[h]:mm:ss"/>\
            <numFmt numFmtId="167" formatCode="&quot;days &quot;0"/></numFmts>\
            <cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/>\
            <xf numFmtId="22"/><xf numFmtId="166"/><xf numFmtId="167"/></cellXfs></styleSheet>
            """
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?>
            <worksheet xmlns="\(Self.main)"><sheetData>\
            <row r="1"><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c>\
            <c t="inlineStr"><is><t>c</t></is></c><c t="inlineStr"><is><t>d</t></is></c>\
            <c t="inlineStr"><is><t>e</t></is></c></row>\
            <row r="2"><c s="1"><v>45123</v></c><c s="2"><v>5</v></c><c s="3"><v>45123.5</v></c>\
            <c s="4"><v>0.25</v></c><c s="5"><v>7</v></c></row>\
            </sheetData></worksheet>
            """
        let bytes = try XLSX.zip([
            part("xl/worksheets/sheet1.xml", sheet),
            part("xl/styles.xml", styles),
        ])
        let table = try XLSX.read(bytes)
        #expect(table.rows == [["2023-07-16", "5", "2023-07-16 12:00:00", "06:00:00", "7"]])
    }

    @Test("Without a workbook part the reader falls back to sheet1.xml; prefixed names work")
    func fallbackSheet() throws {
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?>
            <x:worksheet xmlns:x="\(Self.main)"><x:sheetData>
            <x:row><x:c t="inlineStr"><x:is><x:t>编号</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>名称</x:t></x:is></x:c></x:row>
            <x:row><x:c><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:t><![CDATA[<门店> & 1]]></x:t></x:is></x:c></x:row>
            <!-- a comment --><x:row r="9"><x:c r="B9" t="str"><x:v>12.50</x:v></x:c></x:row>
            </x:sheetData></x:worksheet>
            """
        let bytes = try XLSX.zip([part("xl/worksheets/sheet1.xml", sheet)])
        let table = try XLSX.read(bytes)
        #expect(table.header == ["编号", "名称"])
        #expect(table.rows == [["1", "<门店> & 1"], ["", "12.50"]])
        #expect(table.rowNumbers == [2, 9])
    }

    @Test("write then read gives the same table (1,000 rows, Chinese, numbers as text, empty cells)")
    func roundTrip() throws {
        var rows: [[String]] = [
            ["北京市朝阳区", "便利店", "6901234567892", "", "007"],
            ["a & b < c > d \"q\" 'e'", "line1\nline2", "cr\r\nlf", "  leading and trailing  ", "tab\tin"],
            ["_x000D_ literal", "🏪 emoji", "1.50", "-12", "=1+1"],
            ["", "", "", "", "only last"],
        ]
        for index in 0..<996 {
            rows.append(["门店\(index)", "\(100_000 + index)", index % 3 == 0 ? "" : "备注\(index)", "\(index).0", ""])
        }
        let table = Table(header: ["名称", "类型", "条码", "备注", "编号"], rows: rows)
        let bytes = try XLSX.write(table, sheetName: "门店/列表:2024")
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let read = try XLSX.read(bytes)
        #expect(read.header == table.header)
        #expect(read.rows.count == 1_000)
        for (readRow, row) in zip(read.rows, table.rows) where readRow != row {
            Issue.record("row differs: \(readRow) vs \(row)")
        }
        #expect(read == table)
        #expect(read.rowNumbers == Array(2...1_001))
    }

    @Test("Characters XML forbids are dropped on write")
    func illegalCharacters() throws {
        let table = Table(header: ["a\u{1}b"], rows: [["x\u{0}y\u{FFFE}z"]])
        let read = try XLSX.read(XLSX.write(table))
        #expect(read == Table(header: ["ab"], rows: [["xyz"]]))
    }

    @Test("An empty table writes a valid workbook that reads as .empty")
    func emptyTable() throws {
        let bytes = try XLSX.write(Table(header: [], rows: []))
        #expect(throws: TabularError.empty) { try XLSX.read(bytes) }
    }

    @Test("Truncated workbooks are rejected")
    func truncated() throws {
        let bytes = try XLSX.write(chineseStores)
        let half = Array(bytes.prefix(bytes.count / 2))
        #expect(throws: TabularError.self) { try XLSX.read(half) }
        do throws(TabularError) {
            _ = try XLSX.read(half)
        } catch {
            #expect(error.code == "invalid_xlsx")
        }
        // Every cut point fails cleanly.
        for cut in stride(from: 0, to: bytes.count, by: 37) {
            #expect(throws: TabularError.self) { try XLSX.read(Array(bytes.prefix(cut))) }
        }
    }

    @Test("Random bytes are not a workbook")
    func randomBytes() {
        var generator = SeededGenerator(seed: 42)
        for round in 0..<200 {
            var bytes = generator.bytes(Int.random(in: 0...2_000, using: &generator))
            if round % 2 == 0 { bytes = [0x50, 0x4B, 0x03, 0x04] + bytes }
            do throws(TabularError) {
                _ = try XLSX.read(bytes)
                Issue.record("random bytes were read as a workbook")
            } catch {
                #expect(error.code == "invalid_xlsx")
            }
        }
    }

    @Test("Corrupted workbooks never crash the reader")
    func corruptedBytes() throws {
        let original = try XLSX.write(chineseStores)
        var generator = SeededGenerator(seed: 7)
        var failures = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            }
            do throws(TabularError) {
                let table = try XLSX.read(bytes)
                #expect(table.rows.count == table.rowNumbers.count)
            } catch {
                failures += 1
            }
        }
        #expect(failures > 0)
    }

    @Test("A zip without a workbook is not a workbook")
    func zipWithoutWorkbook() throws {
        let bytes = try XLSX.zip([part("hello.txt", "hello"), part("docs/readme.md", "# 你好")])
        #expect(throws: TabularError.notXLSX(reason: "no workbook found")) { try XLSX.read(bytes) }
    }

    @Test("Limits apply to workbooks")
    func limits() throws {
        let table = Table(header: ["a", "b"], rows: (0..<20).map { ["\($0)", "北京市朝阳区"] })
        let bytes = try XLSX.write(table)
        #expect(throws: TabularError.tooLarge(limit: 10)) {
            try XLSX.read(bytes, limits: TabularLimits(maxRows: 10))
        }
        #expect(throws: TabularError.tooLarge(limit: 1)) {
            try XLSX.read(bytes, limits: TabularLimits(maxColumns: 1))
        }
        #expect(throws: TabularError.tooLarge(limit: 5)) {
            try XLSX.read(bytes, limits: TabularLimits(maxCellLength: 5))
        }
        #expect(try XLSX.read(bytes, limits: TabularLimits(maxRows: 20, maxColumns: 2, maxCellLength: 6)) == table)
    }
}
