import Foundation
import Testing

@testable import FullChainServer

/// The one catalogue of page text: every key in both languages, with the same placeholders.
@Suite("Localisation catalogue")
struct L10nCatalogueTests {
    static func placeholders(_ text: String) -> Set<String> {
        let regex = try? NSRegularExpression(pattern: "\\{([a-zA-Z]+)\\}")
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex?.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } } ?? [])
    }

    @Test func everyKeyHasBothLanguagesAndTheSamePlaceholders() {
        for key in L10n.Key.allCases {
            let (zh, en) = key.text
            #expect(!zh.isEmpty && !en.isEmpty, "\(key)")
            // Chinese names how many regions in all (等 12 个区域), English how many more (and 9 more).
            if key == .moreRegions { continue }
            #expect(Self.placeholders(zh) == Self.placeholders(en), "\(key): \(zh) / \(en)")
        }
    }

    @Test func templatesAreFilledOnceAndUnknownPlaceholdersStay() {
        let zh = L10n(.zh), en = L10n(.en)
        #expect(zh(.rangeOfTotal, ["from": "1", "to": "50", "total": "1,234"]) == "第 1–50 条，共 1,234 条")
        #expect(en(.rangeOfTotal, ["from": "1", "to": "50", "total": "{from}"]) == "1–50 of {from}")
        #expect(en(.storeTier, [:]) == "Tier {tier}")
        #expect(zh.total(12) == "共 12 条" && en.total(1_234) == "1,234 in all")
    }

    @Test func timesShowInTheBrandsTimeZone() throws {
        #expect(L10n(.zh).dateTime(0) == "1970-01-01 08:00")
        let london = L10n(.en, timeZone: try #require(TimeZone(identifier: "Europe/London")))
        #expect(london.dateTime(1_735_732_800_000) == "2025-01-01 12:00", "winter: GMT")
        #expect(london.dateTime(1_751_371_200_000) == "2025-07-01 13:00", "summer: BST")
        #expect(L10n(.zh, timeZone: try #require(TimeZone(identifier: "Asia/Urumqi"))).dateTime(0) == "1970-01-01 06:00")
    }
}
