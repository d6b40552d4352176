import CFullChainSHA
import Crypto
import FullChainCore
import Testing

@Suite("Scan codes")
struct ScanCodeTests {
    static let signer = CodeSigner(keyID: 513, key: SymmetricKey(data: Array(repeating: UInt8(7), count: 32)))

    @Test
    func aCodeRoundTripsThroughItsText() throws {
        for (kind, batch, serial) in [
            (ScanCode.Kind.unit, UInt32(1), UInt32(0)), (.case, ScanCode.maxBatch, ScanCode.maxSerial), (.unit, 4242, 99_999_999),
        ] {
            let code = ScanCode(kind: kind, keyID: Self.signer.keyID, batch: batch, serial: serial)
            let text = Self.signer.text(for: code)
            #expect(text.count == 26)
            #expect(text.utf8.allSatisfy { CrockfordBase32.alphabet.contains($0) })
            let (parsed, tag) = try ScanCode.parse(text)
            #expect(parsed == code)
            #expect(Self.signer.isAuthentic(parsed, tag: tag))
            // What people type: lower case, hyphens, O for 0 and I/L for 1 are read the Crockford way.
            let typed = String(text.lowercased().enumerated().map { $0.offset == 5 ? "\($0.element)-" : "\($0.element)" }.joined())
            #expect(try ScanCode.parse(typed).code == code)
        }
    }

    @Test
    func tagsAreHMACSHA256AsSwiftCryptoComputesIt() {
        var random = SeededRandom(seed: 42)
        for keyLength in [16, 32, 64, 65, 100] {
            let key = SymmetricKey(data: (0..<keyLength).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            let signer = CodeSigner(keyID: 1, key: key)
            for _ in 0..<200 {
                let payload = random.next()
                let mac = withUnsafeBytes(of: payload.bigEndian) { HMAC<SHA256>.authenticationCode(for: $0, using: key) }
                let expected = mac.withUnsafeBytes { bytes in (0..<8).reduce(UInt64(0)) { ($0 << 8) | UInt64(bytes[$1]) } }
                #expect(signer.tag(payload: payload) == expected, "key of \(keyLength) bytes, payload \(payload)")
            }
        }
    }

    @Test
    func bothBlockFunctionsAgreeWithTheStandard() {
        // SHA-256("abc") is one padded block; its digest is the FIPS 180-4 example.
        let block: [UInt32] = [0x6162_6380] + Array(repeating: 0, count: 14) + [24]
        let expected: [UInt32] = [0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223, 0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad]
        let initial: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var fast = initial
        fullchain_sha256_compress(&fast, block)
        var portable = initial
        fullchain_sha256_compress_portable(&portable, block)
        #expect(fast == expected)
        #expect(portable == expected)
        var random = SeededRandom(seed: 9)
        for _ in 0..<1000 {
            let words = (0..<16).map { _ in UInt32(truncatingIfNeeded: random.next()) }
            var a = (0..<8).map { _ in UInt32(truncatingIfNeeded: random.next()) }
            var b = a
            fullchain_sha256_compress(&a, words)
            fullchain_sha256_compress_portable(&b, words)
            #expect(a == b)
        }
    }

    @Test
    func wellFormedTextIsRequiredBeforeAnyKeyIsAsked() {
        #expect(throws: ScanCode.ParseError.wrongLength(25)) { try ScanCode.parse(String(repeating: "0", count: 25)) }
        #expect(throws: ScanCode.ParseError.wrongLength(27)) { try ScanCode.parse(String(repeating: "0", count: 27)) }
        #expect(throws: ScanCode.ParseError.badSymbol(position: 3)) { try ScanCode.parse("000U" + String(repeating: "0", count: 22)) }
        // 26 symbols hold 130 bits but a code has 128: a first symbol above 7 is no code.
        #expect(throws: ScanCode.ParseError.badSymbol(position: 0)) { try ScanCode.parse("8" + String(repeating: "0", count: 25)) }
        #expect(throws: ScanCode.ParseError.wrongLength(0)) { try ScanCode.parse("") }
    }

    @Test
    func everySingleSymbolChangeAndNeighbourIsRejected() throws {
        let code = ScanCode(kind: .unit, keyID: Self.signer.keyID, batch: 77, serial: 123_456)
        let text = Array(Self.signer.text(for: code).utf8)
        var rejected = 0
        for position in text.indices {
            for symbol in CrockfordBase32.alphabet where symbol != text[position] {
                var typo = text
                typo[position] = symbol
                guard let (parsed, tag) = try? ScanCode.parse(String(decoding: typo, as: UTF8.self)) else {
                    rejected += 1
                    continue
                }
                #expect(!Self.signer.isAuthentic(parsed, tag: tag), "accepted \(String(decoding: typo, as: UTF8.self))")
                rejected += 1
            }
        }
        #expect(rejected == 26 * 31)
        // The neighbours' tags: serial ± 1 with this code's tag, and another key's signer.
        for serial in [code.serial - 1, code.serial + 1] {
            let neighbour = ScanCode(kind: .unit, keyID: code.keyID, batch: code.batch, serial: serial)
            #expect(!Self.signer.isAuthentic(neighbour, tag: Self.signer.tag(for: code)))
        }
        let other = CodeSigner(keyID: 513, key: SymmetricKey(data: Array(repeating: UInt8(8), count: 32)))
        #expect(!other.isAuthentic(code, tag: Self.signer.tag(for: code)))
    }

    @Test
    func aMillionForgedCodesAreAllRejected() throws {
        var random = SeededRandom(seed: 20261123)
        var accepted = 0
        for index in 0..<1_000_000 {
            // Random texts, and real fields with random tags.
            let text: String
            if index % 2 == 0 {
                text = String(
                    decoding: (0..<26).map { position in CrockfordBase32.alphabet[Int(random.next() % (position == 0 ? 8 : 32))] }, as: UTF8.self)
            } else {
                let code = ScanCode(
                    kind: .unit, keyID: Self.signer.keyID, batch: UInt32(random.next() % 1000) + 1, serial: UInt32(random.next() % 1_000_000))
                text = code.text(tag: random.next())
            }
            let (parsed, tag) = try ScanCode.parse(text)
            if Self.signer.isAuthentic(parsed, tag: tag) { accepted += 1 }
        }
        #expect(accepted == 0)
    }
}

@Suite("Code batches")
struct CodeBatchTests {
    let batch = CodeBatch(id: 12, productID: 3, lot: "L2611A", quantity: 100, unitsPerCase: 24, keyID: 9, createdAt: 0)

    @Test
    func unitsFillCasesInOrder() {
        #expect(batch.caseCount == 5)
        #expect(batch.units(inCase: 0) == 0..<24)
        #expect(batch.units(inCase: 4) == 96..<100)
        #expect(batch.caseNumber(ofUnit: 23) == 0)
        #expect(batch.caseNumber(ofUnit: 24) == 1)
        #expect(batch.contains(batch.unitCode(99)))
        #expect(!batch.contains(batch.unitCode(100)))
        #expect(batch.contains(batch.caseCode(4)))
        #expect(!batch.contains(batch.caseCode(5)))
        #expect(!batch.contains(ScanCode(kind: .unit, keyID: 10, batch: 12, serial: 1)))
    }

    @Test
    func batchInputsAreChecked() throws {
        #expect(try CodeBatchInput(productID: 1, lot: "L1", quantity: 10, unitsPerCase: nil).validated(productUnitsPerCase: 12).unitsPerCase == 12)
        let bad: [CodeBatchInput] = [
            CodeBatchInput(productID: nil, lot: "L1", quantity: 10, unitsPerCase: 6),
            CodeBatchInput(productID: 1, lot: "批次一", quantity: 10, unitsPerCase: 6),
            CodeBatchInput(productID: 1, lot: String(repeating: "L", count: 21), quantity: 10, unitsPerCase: 6),
            CodeBatchInput(productID: 1, lot: "L1", quantity: 0, unitsPerCase: 6),
            CodeBatchInput(productID: 1, lot: "L1", quantity: 100_000_001, unitsPerCase: 6),
            CodeBatchInput(productID: 1, lot: "L1", quantity: 10, unitsPerCase: 0),
        ]
        for input in bad {
            #expect(throws: ValidationError.self) { try input.validated(productUnitsPerCase: nil) }
        }
    }
}

@Suite("Code printouts")
struct CodePrintoutTests {
    let batch = CodeBatch(id: 5, productID: 1, lot: "L2611", quantity: 50, unitsPerCase: 12, keyID: 513, createdAt: 0)

    func lines(_ format: CodePrintout.Format, _ link: CodePrintout.LinkStyle, _ serials: Range<Int>) -> [String] {
        let printout = CodePrintout(
            batch: batch, signer: ScanCodeTests.signer, format: format, link: link, host: "fc.example.cn", gtin14: "06901234567892")
        var bytes = printout.header
        printout.render(serials, into: &bytes)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test
    func csvLinesLinkEachUnitToItsCase() throws {
        let rows = lines(.csv, .short, 0..<50)
        #expect(rows.first == "sequence,case_code,unit_code,url")
        #expect(rows.count == 51)
        var units = Set<String>()
        for (index, row) in rows.dropFirst().enumerated() {
            let fields = row.split(separator: ",").map(String.init)
            #expect(fields.count == 4)
            #expect(fields[0] == String(index + 1))
            let (caseCode, caseTag) = try ScanCode.parse(fields[1])
            let (unitCode, unitTag) = try ScanCode.parse(fields[2])
            #expect(ScanCodeTests.signer.isAuthentic(caseCode, tag: caseTag) && ScanCodeTests.signer.isAuthentic(unitCode, tag: unitTag))
            #expect(unitCode == batch.unitCode(index))
            #expect(caseCode == batch.caseCode(index / 12))
            #expect(fields[3] == "https://fc.example.cn/c/\(fields[2])")
            units.insert(fields[2])
        }
        #expect(units.count == 50)
        // A chunk in the middle renders the same lines as the whole.
        #expect(lines(.txt, .short, 13..<15) == rows[14...15].map { String($0.split(separator: ",")[3]) })
    }

    @Test
    func digitalLinkSerialsNameTheUnitWithinItsLot() throws {
        let rows = lines(.txt, .gs1, 0..<3)
        let prefix = "https://fc.example.cn/01/06901234567892/10/L2611/21/"
        for (serial, row) in rows.enumerated() {
            #expect(row.hasPrefix(prefix))
            let ai21 = row.dropFirst(prefix.count)
            #expect(ai21.count == 18)
            let parsed = try #require(DigitalLinkSerial.parse(ai21))
            #expect(parsed.keyID == 513 && parsed.serial == UInt32(serial))
            #expect(ScanCodeTests.signer.isAuthentic(batch.unitCode(serial), tag: parsed.tag))
        }
        #expect(DigitalLinkSerial.parse("A") == nil)
        #expect(DigitalLinkSerial.parse(String(repeating: "A", count: 17) + "!") == nil)
    }
}

@Suite("Code activation")
struct CodeActivationTests {
    let batch = CodeBatch(id: 1, productID: 1, lot: "L1", quantity: 240, unitsPerCase: 24, keyID: 1, createdAt: 0)

    @Test
    func theLatestActionCoveringACaseDecides() {
        #expect(batch.status(ofCase: 3, actions: []) == .inactive)
        let actions = [
            CodeRangeAction(id: 1, action: .activate, firstCase: 0, lastCase: 9, createdAt: 0),
            CodeRangeAction(id: 3, action: .activate, firstCase: 5, lastCase: 5, createdAt: 0),
            CodeRangeAction(id: 2, action: .void, firstCase: 4, lastCase: 6, createdAt: 0),
        ]
        #expect(batch.status(ofCase: 0, actions: actions) == .active)
        #expect(batch.status(ofCase: 4, actions: actions) == .voided)
        #expect(batch.status(ofCase: 5, actions: actions) == .active)
        #expect(batch.status(ofCase: 6, actions: actions) == .voided)
        // A unit follows its case: unit 100 is in case 4.
        #expect(batch.status(of: batch.unitCode(100), actions: actions) == .voided)
        #expect(batch.status(of: batch.unitCode(120), actions: actions) == .active)
    }

    @Test
    func rangesMustLieInTheBatch() throws {
        #expect(try CodeRangeInput(action: "activate", firstCase: nil, lastCase: nil).validated(for: batch).cases == 0...9)
        #expect(try CodeRangeInput(action: "void", firstCase: 3, lastCase: nil).validated(for: batch).cases == 3...3)
        for input in [
            CodeRangeInput(action: "print", firstCase: 0, lastCase: 1), CodeRangeInput(action: "void", firstCase: -1, lastCase: 1),
            CodeRangeInput(action: "void", firstCase: 5, lastCase: 4), CodeRangeInput(action: "void", firstCase: 0, lastCase: 10),
        ] {
            #expect(throws: ValidationError.self) { try input.validated(for: batch) }
        }
    }
}
