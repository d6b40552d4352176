import FullChainCore
import Testing

/// Territories, the region locator, business days and the alert thresholds.
@Suite("Alert rules")
struct AlertRulesTests {
    @Test func territoriesCoverTheirRegionsAtEveryLevel() {
        let territory = Territory(["110000000000", "440300000000", "310115000000"])
        #expect(territory.covers("110105000000")) // a county of the province 北京
        #expect(territory.covers("110000000000"))
        #expect(territory.covers("440305000000")) // 南山区 in the city 深圳
        #expect(!territory.covers("440106000000")) // 广州天河: same province, other city
        #expect(territory.covers("310115000000")) // the county itself
        #expect(!territory.covers("310104000000")) // its neighbour
        #expect(!territory.covers("nonsense"))
        #expect(!Territory([]).covers("110105000000"))
        #expect(!Territory(["bad"]).covers("110105000000"))
    }

    @Test func positionsResolveToTheRegionAround() throws {
        let locator = RegionLocator.shared
        let cases: [(Double, Double, String)] = [
            (23.13, 113.32, "4401"), // 广州
            (31.23, 121.47, "3101"), // 上海
            (30.69, 111.29, "4205"), // 宜昌
            (43.82, 87.61, "6501"), // 乌鲁木齐
            (39.95, 116.48, "1101"), // 北京朝阳
        ]
        for (lat, lon, prefix) in cases {
            let point = try #require(GeoPoint(latitude: lat, longitude: lon))
            let code = try #require(locator.regionCode(at: point), "\(lat),\(lon)")
            #expect(code.hasPrefix(prefix), "\(lat),\(lon) → \(code)")
            #expect(Region.level(ofCode: code) != nil)
        }
        // The open sea, the other side of the world: nowhere.
        #expect(locator.regionCode(at: try #require(GeoPoint(latitude: 20, longitude: 128))) == nil)
        #expect(locator.regionCode(at: try #require(GeoPoint(latitude: 48.85, longitude: 2.35))) == nil)
    }

    @Test func businessDaysRunOnChinaTime() {
        // 2026-11-22 16:00 UTC is 2026-11-23 00:00 in Beijing.
        let midnight: Int64 = 1_795_363_200_000 // 2026-11-22T16:00:00Z
        #expect(BusinessDay.day(ofMillis: midnight) == BusinessDay.day(ofMillis: midnight - 1) + 1)
        #expect(BusinessDay.start(ofDay: BusinessDay.day(ofMillis: midnight)) == midnight)
        #expect(BusinessDay.day(ofMillis: 0) == 0)
        #expect(BusinessDay.day(ofMillis: -8 * 3_600_000 - 1) == -1)
    }

    @Test func farApartNeedsBothPositionsAndTheDistance() throws {
        let rules = AlertRules(farApartMetres: 300_000)
        let beijing = try #require(GeoPoint(latitude: 39.9, longitude: 116.4))
        let tianjin = try #require(GeoPoint(latitude: 39.1, longitude: 117.2))
        let shanghai = try #require(GeoPoint(latitude: 31.2, longitude: 121.5))
        #expect(!rules.isFarApart(beijing, tianjin))
        #expect(rules.isFarApart(beijing, shanghai))
        #expect(!rules.isFarApart(nil, shanghai) && !rules.isFarApart(beijing, nil))
        #expect(AlertRules(diversionDevices: 0, invalidAttempts: -3).diversionDevices == 1)
        #expect(AlertReason.allCases.filter { $0.kind == .diversion } == [.storeReceipt, .consumerScans])
    }

    @Test func queuedScanTimesMustBePlausible() throws {
        let now: Int64 = 1_795_363_200_000
        let fresh = try ScanInput(code: "X", scannedAt: now - 3_600_000).validated(now: now)
        #expect(fresh.at == now - 3_600_000)
        // A phone clock a minute ahead is taken as now.
        #expect(try ScanInput(code: "X", scannedAt: now + 60_000).validated(now: now).at == now)
        #expect(try ScanInput(code: "X").validated(now: now).at == now)
        for absurd in [now - 8 * 86_400_000, now + 600_000, 0, Int64.min, Int64.max] {
            #expect(throws: ValidationError.self) { try ScanInput(code: "X", scannedAt: absurd).validated(now: now) }
        }
    }
}
