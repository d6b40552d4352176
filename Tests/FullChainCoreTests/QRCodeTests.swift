import Crypto
import Foundation
import FullChainCore
import QRTestSupport
import Testing

@Suite("QR codes")
struct QRCodeTests {
    static let signer = CodeSigner(keyID: 513, key: SymmetricKey(data: Array(repeating: UInt8(9), count: 32)))
    static let batch = CodeBatch(id: 42, productID: 7, lot: "L2611A", quantity: 1_000, unitsPerCase: 24, keyID: 513, createdAt: 0)

    static func printout(_ link: CodePrintout.LinkStyle = .short, format: CodePrintout.Format = .txt) -> CodePrintout {
        CodePrintout(batch: batch, signer: signer, format: format, link: link, host: "fc.example.cn", gtin14: "06901234567892")
    }

    @Test
    func symbolsHaveTheSmallestVersionThatHoldsTheirText() throws {
        let url = Self.printout().qrContent(.unit, serial: 0)
        #expect(url.utf8.count == 50)
        for (text, level, version) in [
            ("HELLO WORLD", QRCode.ErrorCorrection.quartile, 1),
            ("0123456789012345678901234567890123", .high, 2), // 34 digits: version 1-H holds 17, 2-H 34
            (url, .low, 3), (url, .medium, 4), (url, .quartile, 5), (url, .high, 6),
            (String(repeating: "a", count: 2_953), .low, 40),
            ("", .medium, 1),
        ] {
            let code = try QRCode(text, errorCorrection: level)
            #expect(code.version == version, "\(text.prefix(20))… at \(level)")
            #expect(code.size == 17 + 4 * version)
            #expect(code.sizeWithQuietZone == code.size + 8)
            #expect(code.errorCorrection == level)
        }
        #expect(throws: QRCode.EncodingError.tooLong) { try QRCode(String(repeating: "a", count: 2_954), errorCorrection: .low) }
        #expect(throws: QRCode.EncodingError.tooLong) { try QRCode(String(repeating: "a", count: 2_332), errorCorrection: .medium) }
        #expect(throws: QRCode.EncodingError.badQuietZone) { try QRCode("x", quietZone: -1) }
        #expect(try QRCode("x\u{0}y").version == 1)
        #expect(try QRCode("x", quietZone: 0).sizeWithQuietZone == 21)
    }

    @Test
    func finderPatternsSitInThreeCorners() throws {
        let code = try QRCode("HELLO WORLD", errorCorrection: .quartile)
        let last = code.size - 1
        for (left, top) in [(0, 0), (last - 6, 0), (0, last - 6)] {
            for y in 0..<7 {
                for x in 0..<7 {
                    let ring = max(abs(x - 3), abs(y - 3))
                    #expect(code.isDark(x: left + x, y: top + y) == (ring != 2), "finder at \(left),\(top): module \(x),\(y)")
                }
            }
        }
        #expect(!code.isDark(x: 7, y: 3) && !code.isDark(x: -1, y: 0) && !code.isDark(x: 0, y: code.size))
    }

    @Test
    func checksumsMatchTheirStandards() {
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(PNG.adler32(Array(repeating: 0xFF, count: 100_000)) == 0x149A_302C)
    }

    @Test(arguments: [1, 3, 8])
    func pngFilesAreWellFormedAndHoldEveryModule(_ scale: Int) throws {
        let code = try QRCode(Self.printout().qrContent(.unit, serial: 9), errorCorrection: .medium, quietZone: 4)
        let file = code.png(scale: scale)
        let png = try PNGFile(file)
        let side = code.sizeWithQuietZone * scale
        #expect(png.width == side && png.height == side)
        #expect(png.header.suffix(5) == [1, 0, 0, 0, 0])
        #expect(png.chunkTypes == ["IHDR", "IDAT", "IEND"])
        // Every pixel is the module under it: dark modules black, the quiet zone white.
        let pixels = try png.pixels()
        for y in 0..<side {
            for x in 0..<side {
                let dark = code.isDark(x: x / scale - code.quietZone, y: y / scale - code.quietZone)
                #expect(pixels[y][x] == dark, "pixel \(x),\(y)")
                if pixels[y][x] != dark { return }
            }
        }
    }

    @Test
    func largeImagesSpanSeveralStoredBlocks() throws {
        var image = MonochromeImage(width: 1_200, height: 1_000)
        image.fillBlack(x: 3, y: 5, width: 17, height: 900)
        image.fillBlack(x: 1_190, y: 990, width: 50, height: 50)
        let pixels = try PNGFile(PNG.encode(image)).pixels()
        #expect(pixels.count == 1_000 && pixels[0].count == 1_200)
        for (x, y) in [(3, 5), (19, 904), (1_199, 999), (2, 5), (20, 5), (3, 905), (1_189, 999)] {
            #expect(pixels[y][x] == image.isBlack(x: x, y: y), "\(x),\(y)")
        }
        #expect(pixels.joined().filter { $0 }.count == 17 * 900 + 10 * 10)
    }

    @Test(arguments: QRCode.ErrorCorrection.allCases)
    func zbarReadsTheUnitURLFromPNGAndSVG(_ level: QRCode.ErrorCorrection) throws {
        for (serial, link) in [(0, CodePrintout.LinkStyle.short), (999, .short), (517, .gs1)] {
            let url = Self.printout(link).qrContent(.unit, serial: serial)
            #expect(url.hasPrefix("https://fc.example.cn/"))
            let code = try QRCode(url, errorCorrection: level)
            #expect(try QRDecoder.decode(png: code.png(scale: 4)) == [url])
            #expect(try QRDecoder.decode(svg: code.svg(scale: 4)) == [url])
        }
        // A case's symbol holds its B code.
        let caseCode = Self.printout().qrContent(.case, serial: 41)
        #expect(try Self.signer.isAuthentic(ScanCode.parse(caseCode).code, tag: ScanCode.parse(caseCode).tag))
        #expect(try QRDecoder.decode(png: QRCode(caseCode, errorCorrection: level).png(scale: 3)) == [caseCode])
    }

    @Test
    func qrContentIsTheURLThePrintFilesWrite() {
        for link in CodePrintout.LinkStyle.allCases {
            for format in CodePrintout.Format.allCases {
                let printout = Self.printout(link, format: format)
                var lines: [UInt8] = []
                printout.render(0..<60, into: &lines)
                let written = String(decoding: lines, as: UTF8.self).split(separator: "\n").map { String($0.split(separator: ",").last ?? "") }
                #expect((0..<60).map { printout.qrContent(.unit, serial: $0) } == written, "\(link) \(format)")
            }
        }
        let printout = Self.printout(format: .csv)
        var line: [UInt8] = []
        printout.render(50..<51, into: &line)
        #expect(String(decoding: line, as: UTF8.self).split(separator: ",")[1] == printout.qrContent(.case, serial: 2))
        #expect(printout.codeText(.case, serial: 2) == printout.qrContent(.case, serial: 2))
        #expect(printout.serials(of: .unit) == 0..<1_000 && printout.serials(of: .case) == 0..<42)
    }

    @Test
    func svgIsOnePathOfModuleRunsInItsViewBox() throws {
        let code = try QRCode("HELLO WORLD", errorCorrection: .quartile)
        let svg = code.svg(scale: 10)
        #expect(svg.contains(#"viewBox="0 0 29 29" width="290" height="290" shape-rendering="crispEdges""#))
        #expect(svg.components(separatedBy: "<path").count == 2)
        // The top row of the symbol starts with the 7-module finder, one quiet zone in.
        #expect(svg.contains(#"d="M4,4h7v1h-7z"#))
        let dark = (0..<code.size).reduce(0) { sum, y in sum + (0..<code.size).filter { code.isDark(x: $0, y: y) }.count }
        let path = try #require(svg.split(separator: " d=\"").last?.split(separator: "\"").first)
        let runs = path.split(separator: "h").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        #expect(runs.reduce(0, +) == dark)
    }

    @Test
    func aSheetDecodesToEveryCodeOnItWithItsLabel() throws {
        let printout = Self.printout()
        let serials = 100..<112
        let items = try serials.map {
            QRSheet.Item(code: try QRCode(printout.qrContent(.unit, serial: $0)), label: printout.codeText(.unit, serial: $0))
        }
        let sheet = QRSheet(items, columns: 4)
        #expect(sheet.rows == 3 && sheet.width == 4 * 41 && sheet.height == 3 * (41 + QRSheet.labelHeight))
        let urls = Set(serials.map { printout.qrContent(.unit, serial: $0) })
        let svg = sheet.svg(scale: 4)
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(serials.allSatisfy { svg.contains(">\(printout.codeText(.unit, serial: $0))</text>") })
        #expect(Set(try QRDecoder.decode(svg: svg)) == urls)
        let png = sheet.png(scale: 3)
        let decoded = try QRDecoder.decode(png: png)
        #expect(decoded.count == serials.count && Set(decoded) == urls)
        // Each label is drawn under its symbol, inside its cell.
        let pixels = try PNGFile(png).pixels()
        for row in 0..<3 {
            let band = ((row * (41 + QRSheet.labelHeight) + 41) * 3)..<((row + 1) * (41 + QRSheet.labelHeight) * 3)
            for column in 0..<4 {
                let cell = (column * 41 * 3)..<((column + 1) * 41 * 3)
                #expect(band.contains { y in cell.contains { x in pixels[y][x] } }, "label of cell \(column),\(row)")
            }
        }
    }

    @Test
    func labelsAreEscapedAndFitTheirCell() throws {
        let sheet = QRSheet(
            [
                QRSheet.Item(code: try QRCode("a"), label: "<A&B> \"q\" \u{7}"),
                QRSheet.Item(code: try QRCode("b"), label: String(repeating: "W", count: 200)),
            ], columns: 9)
        #expect(sheet.columns == 2)
        #expect(sheet.svg().contains("&lt;A&amp;B&gt; &quot;q&quot;  </text>"))
        let image = sheet.image(scale: 2)
        let band = (29 * 2)..<((29 + QRSheet.labelHeight) * 2)
        // The long label is cut to its cell: nothing spills past the right edge of the page or into the first cell.
        #expect(band.contains { y in (29 * 2 + 1..<29 * 4).contains { image.isBlack(x: $0, y: y) } })
        #expect(!band.contains { y in (29 * 2 - 1..<29 * 2 + 1).contains { image.isBlack(x: $0, y: y) } })
        #expect(QRSheet([QRSheet.Item(code: try QRCode("a"), label: "ABC")], columns: 1).image(scale: 1).height == 29 + QRSheet.labelHeight)
    }
}
