import FullChainCore
import Testing

@Suite("RegionCatalog")
struct RegionCatalogTests {
    let catalog = RegionCatalog.shared

    @Test("the bundled catalog holds every real region of cn-regions.csv")
    func count() {
        // 3,429 rows less the two pseudo-regions 990000000000 (苏鲁交界) and 999900000000 (海域).
        #expect(catalog.regions.count == 3_427)
        #expect(catalog.region(code: "990000000000") == nil)
        #expect(catalog.borrowedCentres.contains("440309000000"))
    }

    @Test("codes are unique 12-digit codes whose level matches the code")
    func codes() {
        var seen = Set<String>()
        for region in catalog.regions {
            #expect(seen.insert(region.code).inserted, "duplicate \(region.code)")
            #expect(Region.level(ofCode: region.code) == region.level)
        }
    }

    @Test("the 34 provincial-level divisions are among the roots")
    func provinces() {
        let provinces = catalog.children(of: nil)
        #expect(provinces.allSatisfy { $0.level == .province && $0.parentCode == nil })
        let prefixes = [
            "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
            "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
        ]
        #expect(Set(provinces.map(\.code)).isSuperset(of: prefixes.map { $0 + "0000000000" }))
        #expect(provinces.contains { $0.code == "110000000000" && $0.name == "北京市" })
        #expect(provinces.contains { $0.code == "450000000000" && $0.name == "广西壮族自治区" })
    }

    @Test("a region's level from its code")
    func levelOfCode() {
        #expect(Region.level(ofCode: "440000000000") == .province)
        #expect(Region.level(ofCode: "440300000000") == .city)
        #expect(Region.level(ofCode: "440305000000") == .county)
        #expect(Region.level(ofCode: "440305") == nil)
        #expect(Region.level(ofCode: "44030500000A") == nil)
        #expect(Region.level(ofCode: "4403050000001") == nil)
    }

    @Test("a province's children are its cities")
    func childrenOfProvince() {
        let cities = catalog.children(of: "440000000000")
        #expect(cities.count == 21)
        #expect(cities.allSatisfy { $0.level == .city && $0.parentCode == "440000000000" })
        #expect(Set(cities.map(\.name)).isSuperset(of: ["广州市", "深圳市", "佛山市", "东莞市"]))
        let districts = catalog.children(of: "110100000000")
        #expect(districts.contains { $0.code == "110105000000" && $0.name == "朝阳区" })
        #expect(districts.allSatisfy { $0.level == .county })
        #expect(catalog.children(of: "123456000000").isEmpty)
    }

    @Test("lookup by 12- or 6-digit code")
    func byCode() throws {
        let chaoyang = try #require(catalog.region(code: "110105"))
        #expect(chaoyang.code == "110105000000")
        #expect(chaoyang.name == "朝阳区")
        #expect(chaoyang.level == .county)
        #expect(chaoyang.parentCode == "110100000000")
        #expect(abs(chaoyang.latitude - 39.92) < 0.1 && abs(chaoyang.longitude - 116.44) < 0.1)
        #expect(catalog.region(code: "110105000000") == chaoyang)
        #expect(catalog.region(code: "999999") == nil)
    }

    @Test("resolve a province by short or full name")
    func resolveProvince() throws {
        #expect(try catalog.resolve("北京").code == "110000000000")
        #expect(try catalog.resolve("北京市").code == "110000000000")
        #expect(try catalog.resolve(" 北京市 ").code == "110000000000")
        #expect(try catalog.resolve("广西").code == "450000000000")
        #expect(try catalog.resolve("广西壮族自治区").code == "450000000000")
        // 重庆 is a province and (twice) a city: the province wins.
        #expect(try catalog.resolve("重庆").code == "500000000000")
    }

    @Test("resolve a code")
    func resolveCode() throws {
        let region = try catalog.resolve("110105")
        #expect(region.code == "110105000000")
        #expect(region.name == "朝阳区")
        #expect(catalog.isWithin(region.code, ancestor: "110000000000"))
        #expect(try catalog.resolve("110105000000").code == "110105000000")
        #expect(try catalog.resolve("440300").name == "深圳市")
    }

    @Test("resolve a path, joined or separated")
    func resolvePath() throws {
        #expect(try catalog.resolve("北京市朝阳区").code == "110105000000")
        #expect(try catalog.resolve("北京/朝阳区").code == "110105000000")
        #expect(try catalog.resolve("北京 朝阳").code == "110105000000")
        #expect(try catalog.resolve("吉林省长春市朝阳区").code == "220104000000")
        #expect(try catalog.resolve("广东/深圳/南山").code == "440305000000")
        #expect(try catalog.resolve("广东省深圳市南山区").code == "440305000000")
        #expect(try catalog.resolve("深圳").code == "440300000000")
    }

    @Test("a name two regions share is ambiguous")
    func ambiguous() {
        let error = #expect(throws: RegionCatalog.LookupError.self) { try catalog.resolve("朝阳区") }
        guard case .ambiguous(let text, let candidates)? = error else {
            Issue.record("expected .ambiguous, got \(String(describing: error))")
            return
        }
        #expect(text == "朝阳区")
        #expect(candidates.count == 2)
        #expect(candidates.contains { $0.hasPrefix("北京市") && $0.hasSuffix("朝阳区") })
        #expect(candidates.contains { $0.hasPrefix("吉林省 长春市") && $0.hasSuffix("朝阳区") })
        #expect(throws: RegionCatalog.LookupError.self) { try catalog.resolve("南山区") }
    }

    @Test("an unknown name or code is unknown", arguments: ["火星市", "999999", "", "   ", "北京/火星区", "12345678901234"])
    func unknown(_ text: String) {
        #expect(throws: RegionCatalog.LookupError.unknown(text)) { try catalog.resolve(text) }
    }

    @Test(
        "districts the source lists without a centre point still resolve",
        arguments: [
            ("440309", "龙华区"), ("510117", "郫都区"), ("133100", "雄安新区"),
        ])
    func regionsWithoutCoordinates(code: String, name: String) throws {
        #expect(try catalog.resolve(code).name == name)
    }

    @Test("short names drop the administrative suffix")
    func shortName() {
        #expect(RegionCatalog.shortName("北京市") == "北京")
        #expect(RegionCatalog.shortName("黑龙江省") == "黑龙江")
        #expect(RegionCatalog.shortName("广西壮族自治区") == "广西")
        #expect(RegionCatalog.shortName("新疆维吾尔自治区") == "新疆")
        #expect(RegionCatalog.shortName("内蒙古自治区") == "内蒙古")
        #expect(RegionCatalog.shortName("香港特别行政区") == "香港")
        #expect(RegionCatalog.shortName("朝阳区") == "朝阳")
        #expect(RegionCatalog.shortName("锡林郭勒盟") == "锡林郭勒")
        #expect(RegionCatalog.shortName("阿里地区") == "阿里")
        // A name that would be left with one character keeps its suffix.
        #expect(RegionCatalog.shortName("城区") == "城区")
        #expect(RegionCatalog.shortName("深圳") == "深圳")
    }

    @Test("ancestry and full name run from the province down")
    func ancestry() {
        #expect(catalog.ancestry(of: "440305000000").map(\.code) == ["440000000000", "440300000000", "440305000000"])
        #expect(catalog.fullName(of: "440305000000") == "广东省 深圳市 南山区")
        #expect(catalog.fullName(of: "110105") == "北京市 北京市 朝阳区")
        #expect(catalog.ancestry(of: "440000000000").map(\.code) == ["440000000000"])
        #expect(catalog.ancestry(of: "000000000000").isEmpty)
        #expect(catalog.isWithin("440305000000", ancestor: "440300000000"))
        #expect(catalog.isWithin("440305000000", ancestor: "440305000000"))
        #expect(!catalog.isWithin("440305000000", ancestor: "110000000000"))
    }

    @Test("a catalog parsed from CSV links counties to cities, or to provinces when the city is absent")
    func parsing() throws {
        let csv = """
            adcode,name,longitude,latitude
            440000000000,广东省,113.26641,23.132324
            440300000000,深圳市,114.057939,22.543527
            440305000000,南山区,113.930413,22.533287
            469001000000,五指山市,109.516925,18.775146
            460000000000,海南省,110.349228,20.017377
            bad line
            """
        let small = RegionCatalog(csv: csv)
        #expect(small.regions.count == 5)
        #expect(small.region(code: "440305")?.parentCode == "440300000000")
        #expect(small.region(code: "469001")?.parentCode == "460000000000")
        #expect(small.region(code: "440300")?.parentCode == "440000000000")
        #expect(try small.resolve("五指山").code == "469001000000")
    }
}
