import Foundation
import FullChainCore
import Testing

@Suite("GTIN")
struct GTINTests {
    @Test(
        "valid GTIN-8, -12, -13 and -14 are accepted",
        arguments: [
            "4006381333931", // GTIN-13
            "9501101530003", // GTIN-13 (GS1 example)
            "96385074", // GTIN-8
            "036000291452", // UPC-A (GTIN-12)
            "10012345678902", // GTIN-14
            "6901234567892", // a Chinese (69x) GTIN-13
        ])
    func acceptsValid(_ text: String) {
        #expect(GTIN(text) != nil)
    }

    @Test(
        "wrong check digits, letters and wrong lengths are rejected",
        arguments: [
            "4006381333932", // check digit off by one
            "9501101530000",
            "96385075",
            "036000291453",
            "10012345678901",
            "400638133393A", // a letter
            "4006-381333931", // punctuation
            "", // empty
            "1234567", // 7 digits
            "400638133393", // 12 digits whose last is not the check digit of the first 11
            "40063813339310", // 14 digits with a bad check digit
            "400638133393100", // 15 digits
            "４００６３８１３３３９３１", // full-width digits
        ])
    func rejectsInvalid(_ text: String) {
        #expect(GTIN(text) == nil)
    }

    @Test("shorter GTINs are held as GTIN-14, zero-padded on the left")
    func padding() throws {
        #expect(try #require(GTIN("96385074")).digits == "00000096385074")
        #expect(try #require(GTIN("036000291452")).digits == "00036000291452")
        #expect(try #require(GTIN("4006381333931")).digits == "04006381333931")
        #expect(try #require(GTIN("10012345678902")).digits == "10012345678902")
        #expect(try #require(GTIN(" 4006381333931 ")).digits == "04006381333931")
        // The same item written as GTIN-13 and GTIN-14 is one GTIN.
        #expect(GTIN("4006381333931") == GTIN("04006381333931"))
    }

    @Test("short form drops one leading zero")
    func shortForm() throws {
        #expect(try #require(GTIN("4006381333931")).shortForm == "4006381333931")
        #expect(try #require(GTIN("10012345678902")).shortForm == "10012345678902")
        #expect(try #require(GTIN("4006381333931")).description == "04006381333931")
    }

    @Test("check digit")
    func checkDigit() {
        #expect(GTIN.checkDigit(for: [4, 0, 0, 6, 3, 8, 1, 3, 3, 3, 9, 3]) == 1)
        #expect(GTIN.checkDigit(for: [9, 5, 0, 1, 1, 0, 1, 5, 3, 0, 0, 0]) == 3)
        #expect(GTIN.checkDigit(for: [9, 6, 3, 8, 5, 0, 7]) == 4)
        #expect(GTIN.checkDigit(for: [0, 3, 6, 0, 0, 0, 2, 9, 1, 4, 5]) == 2)
        #expect(GTIN.checkDigit(for: [1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0]) == 2)
        // A sum that is already a multiple of ten gives 0, not 10.
        #expect(GTIN.checkDigit(for: [0, 0, 0, 0, 0, 0, 0]) == 0)
        #expect(GTIN.checkDigit(for: [6, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) == 2)
    }

    @Test("JSON round trip, and decoding rejects an invalid GTIN")
    func codable() throws {
        let gtin = try #require(GTIN("4006381333931"))
        let data = try JSONEncoder().encode([gtin])
        #expect(String(decoding: data, as: UTF8.self) == #"["04006381333931"]"#)
        #expect(try JSONDecoder().decode([GTIN].self, from: data) == [gtin])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([GTIN].self, from: Data(#"["4006381333932"]"#.utf8))
        }
    }
}
