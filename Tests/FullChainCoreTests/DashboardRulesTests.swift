import FullChainCore
import Testing

/// The dashboard's pure rules: periods and what they are compared with, roll-ups, changes and the tile map.
@Suite("Dashboard rules")
struct DashboardRulesTests {
    func day(_ text: String) throws -> Int64 { Int64(try #require(CalendarDate(text)).dayNumber) }

    @Test func periodsAreComparedWithTheDaysBeforeAndTheSameDatesAYearEarlier() throws {
        let period = try #require(DashboardPeriod(from: try day("2026-03-01"), to: try day("2026-03-07")))
        #expect(period.count == 7)
        #expect(period.previous.days == (try day("2026-02-22"))...(try day("2026-02-28")))
        #expect(period.lastYear.days == (try day("2025-03-01"))...(try day("2025-03-07")))
        // 29 February falls back to the 28th a year earlier.
        let leap = try #require(DashboardPeriod(from: try day("2024-02-29"), to: try day("2024-02-29")))
        #expect(leap.lastYear.days == (try day("2023-02-28"))...(try day("2023-02-28")))
        // Empty, reversed and over-long ranges are refused.
        #expect(DashboardPeriod(from: 10, to: 9) == nil)
        #expect(DashboardPeriod(from: 0, to: Int64(DashboardPeriod.maxDays)) == nil)
        #expect(DashboardPeriod(from: 0, to: Int64(DashboardPeriod.maxDays) - 1) != nil)
    }

    @Test func presetsFollowTheCalendar() throws {
        let today = try day("2026-03-15")
        #expect(DashboardPeriod.Preset.today.period(today: today).days == today...today)
        #expect(DashboardPeriod.Preset.last7.period(today: today).count == 7)
        #expect(DashboardPeriod.Preset.thisMonth.period(today: today).days == (try day("2026-03-01"))...today)
        #expect(DashboardPeriod.Preset.lastMonth.period(today: today).days == (try day("2026-02-01"))...(try day("2026-02-28")))
        #expect(DashboardPeriod.Preset.lastMonth.period(today: try day("2026-01-10")).days == (try day("2025-12-01"))...(try day("2025-12-31")))
    }

    @Test func figuresRollUpEveryAncestor() {
        #expect(OrgRollup.ancestors(of: "/1/5/17/") == ["/", "/1/", "/1/5/", "/1/5/17/"])
        #expect(OrgRollup.ancestors(of: "/") == ["/"])
        #expect(OrgRollup.ancestors(of: "junk").isEmpty)
        let rolled = OrgRollup.rollUp([
            (path: "/1/5/", key: 1, figures: DashboardFigures(unitsSold: 2)),
            (path: "/1/6/", key: 1, figures: DashboardFigures(unitsSold: 3, rewardFen: 50)),
            (path: "/2/", key: 2, figures: DashboardFigures(scans: 4)),
            (path: "/2/", key: 2, figures: .zero),
        ])
        #expect(rolled["/"]?[1] == DashboardFigures(unitsSold: 5, rewardFen: 50))
        #expect(rolled["/1/"]?[1]?.unitsSold == 5 && rolled["/1/5/"]?[1]?.unitsSold == 2)
        #expect(rolled["/"]?[2]?.scans == 4 && rolled["/1/"]?[2] == nil)
        #expect(OrgRollup.city(ofRegion: "110105000000") == "110100000000")
        #expect(OrgRollup.city(ofRegion: "11") == nil && OrgRollup.city(ofRegion: "ab0105000000") == nil)
    }

    @Test func derivedFiguresAndChanges() {
        let f = DashboardFigures(activeStoreDays: 70, newCustomers: 4, rewardFen: 1_000)
        #expect(f.value(.activeStores, days: 7) == 10)
        #expect(f.value(.costPerNewCustomerFen, days: 7) == 250)
        #expect(DashboardFigures(rewardFen: 5).value(.costPerNewCustomerFen, days: 1) == 0)
        #expect(dashboardChange(current: 120, earlier: 100) == 0.2)
        #expect(dashboardChange(current: 5, earlier: 0) == nil)
        // Sums saturate instead of trapping.
        #expect((DashboardFigures(scans: .max) + DashboardFigures(scans: 1)).scans == .max)
        #expect(DashboardMetric.storeAlerts.lowerIsBetter && !DashboardMetric.unitsSold.lowerIsBetter)
    }

    @Test func tilesNeverOverlapAndKeepTheirOrder() {
        // Three places at one point, and one far east.
        let points = [(longitude: 116.4, latitude: 39.9), (116.4, 39.9), (116.4, 39.9), (121.5, 31.2)].map { (longitude: $0.0, latitude: $0.1) }
        let cells = TileGrid.place(points)
        #expect(cells.count == 4 && Set(cells).count == 4)
        #expect(cells[3].column > cells[0].column && cells[3].row > cells[0].row)
        #expect(TileGrid.place([]).isEmpty)
        #expect(TileGrid.place([(longitude: 100, latitude: 30)]) == [TileGrid.Cell(column: 0, row: 0)])
    }
}
