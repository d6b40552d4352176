import FullChainCore
import Testing

/// The one calendar date type: texts, day numbers and fields agree, and invalid dates are refused.
@Suite("Calendar dates")
struct CalendarDateTests {
    @Test func knownDaysAndTexts() throws {
        #expect(CalendarDate(dayNumber: 0).text == "1970-01-01")
        #expect(CalendarDate(dayNumber: 20_513).text == "2026-03-01")
        #expect(CalendarDate(dayNumber: -25_568).text == "1899-12-31")
        #expect(CalendarDate(dayNumber: 11_016).text == "2000-02-29")
        let date = try #require(CalendarDate(" 2024-02-29 "))
        #expect(date.year == 2024 && date.month == 2 && date.day == 29 && date.dayNumber == 19_782)
        #expect(date.adding(days: 1).text == "2024-03-01" && date.adding(days: -60).text == "2023-12-31")
        #expect(try #require(CalendarDate("2026-03-01")) < #require(CalendarDate("2026-03-02")))
    }

    @Test func everyDayRoundTrips() {
        // 1600-01-01 to 2400-12-31: day number → date → text → date → day number.
        for number in stride(from: -135_140, through: 157_066, by: 1) {
            let date = CalendarDate(dayNumber: number)
            guard CalendarDate(date.text)?.dayNumber == number else {
                Issue.record("day \(number) → \(date.text)")
                return
            }
        }
    }

    @Test(arguments: [
        "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-03-01", "2026-3-1", "2026-+1-01", "2026-03-01T00:00", "", "abcd-ef-gh",
    ])
    func invalidTextsAreRefused(_ text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func yearsOutsideTheRangeAreRefused() {
        #expect(CalendarDate("1899-12-31", years: 1900...2200) == nil)
        #expect(CalendarDate("2200-12-31", years: 1900...2200) != nil)
        #expect(CalendarDate.daysIn(month: 2, year: 1900) == 28 && CalendarDate.daysIn(month: 2, year: 2000) == 29)
    }
}
