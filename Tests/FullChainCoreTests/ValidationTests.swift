import FullChainCore
import Testing

/// The field errors an input produced, as `field:code` pairs (empty when it was valid).
private func failures<T>(_ body: () throws -> T) -> Set<String> {
    do {
        _ = try body()
        return []
    } catch let error as ValidationError {
        return Set(error.errors.map { "\($0.field):\($0.code)" })
    } catch {
        return ["unexpected:\(error)"]
    }
}

@Suite("StoreInput")
struct StoreInputTests {
    let regions = RegionCatalog.shared

    func input(_ change: (inout StoreInput) -> Void = { _ in }) -> StoreInput {
        var input = StoreInput(
            code: "S00001", name: "幸福里便利店", type: "convenience", address: "朝阳区建设路1号", region: "110105",
            latitude: 39.92, longitude: 116.44, distributorID: 3, salespersonNodeID: 7)
        change(&input)
        return input
    }

    @Test("a complete store is accepted, trimmed, with its region resolved")
    func valid() throws {
        let draft = try input {
            $0.name = "  幸福里便利店　"
            $0.region = "北京市朝阳区"
        }.validated(regions: regions)
        #expect(draft.code == "S00001")
        #expect(draft.name == "幸福里便利店")
        #expect(draft.type == .convenience)
        #expect(draft.regionCode == "110105000000")
        #expect(draft.location == GeoPoint(latitude: 39.92, longitude: 116.44))
        #expect(draft.distributorID == 3 && draft.salespersonNodeID == 7)
        #expect(draft.status == .active)
    }

    @Test("optional fields may be left out")
    func minimal() throws {
        let draft = try StoreInput(code: "S1", name: "店", region: "110105").validated(regions: regions)
        #expect(draft.type == .other)
        #expect(draft.address == nil)
        #expect(draft.location == nil)
    }

    @Test("each broken rule names its field")
    func invalid() {
        #expect(failures { try input { $0.name = nil }.validated(regions: regions) } == ["name:required"])
        #expect(failures { try input { $0.name = "   " }.validated(regions: regions) } == ["name:required"])
        #expect(failures { try input { $0.name = String(repeating: "店", count: 101) }.validated(regions: regions) } == ["name:too_long"])
        #expect(failures { try input { $0.code = nil }.validated(regions: regions) } == ["code:required"])
        #expect(failures { try input { $0.code = "门店1" }.validated(regions: regions) } == ["code:invalid_code"])
        #expect(failures { try input { $0.type = "kiosk" }.validated(regions: regions) } == ["type:invalid_value"])
        #expect(failures { try input { $0.region = "火星" }.validated(regions: regions) } == ["region:unknown_region"])
        #expect(failures { try input { $0.region = "朝阳区" }.validated(regions: regions) } == ["region:ambiguous_region"])
        #expect(failures { try input { $0.region = nil }.validated(regions: regions) } == ["region:required"])
        #expect(failures { try input { $0.longitude = nil }.validated(regions: regions) } == ["longitude:required"])
        #expect(failures { try input { $0.latitude = nil }.validated(regions: regions) } == ["latitude:required"])
        #expect(failures { try input { $0.latitude = 91 }.validated(regions: regions) } == ["latitude:invalid_location"])
        #expect(failures { try input { $0.longitude = -180.5 }.validated(regions: regions) } == ["latitude:invalid_location"])
        #expect(failures { try input { $0.latitude = .nan }.validated(regions: regions) } == ["latitude:invalid_location"])
        #expect(failures { try input { $0.status = "closed" }.validated(regions: regions) } == ["status:invalid_value"])
    }

    @Test("every error is reported at once")
    func allErrors() {
        let errors = failures { try StoreInput(type: "kiosk", region: "火星", latitude: 100).validated(regions: regions) }
        #expect(errors == ["code:required", "name:required", "type:invalid_value", "region:unknown_region", "longitude:required"])
    }
}

@Suite("ProductInput")
struct ProductInputTests {
    func input(_ change: (inout ProductInput) -> Void = { _ in }) -> ProductInput {
        var input = ProductInput(
            sku: "SKU-0001", gtin: "6901234567892", name: "清爽绿茶 500ml", category: "茶饮料", priceFen: 350,
            unitsPerCase: 24, launchDate: "2024-02-29")
        change(&input)
        return input
    }

    @Test("a complete product is accepted")
    func valid() throws {
        let draft = try input().validated()
        #expect(draft.gtin == GTIN("6901234567892"))
        #expect(draft.gtin.digits == "06901234567892")
        #expect(draft.priceFen == 350 && draft.unitsPerCase == 24)
        #expect(draft.launchDate == "2024-02-29")
        #expect(try input { $0.launchDate = nil }.validated().launchDate == nil)
        #expect(try input { $0.gtin = "96385074" }.validated().gtin.digits == "00000096385074")
    }

    @Test("each broken rule names its field")
    func invalid() {
        #expect(failures { try input { $0.gtin = "6901234567893" }.validated() } == ["gtin:invalid_gtin"])
        #expect(failures { try input { $0.gtin = "69012345678AB" }.validated() } == ["gtin:invalid_gtin"])
        #expect(failures { try input { $0.gtin = nil }.validated() } == ["gtin:required"])
        #expect(failures { try input { $0.priceFen = -1 }.validated() } == ["priceFen:out_of_range"])
        #expect(failures { try input { $0.priceFen = nil }.validated() } == ["priceFen:required"])
        #expect(failures { try input { $0.unitsPerCase = 0 }.validated() } == ["unitsPerCase:out_of_range"])
        #expect(failures { try input { $0.sku = "sku 1" }.validated() } == ["sku:invalid_code"])
        #expect(failures { try input { $0.category = "" }.validated() } == ["category:required"])
    }

    @Test(
        "launch dates must be real calendar dates",
        arguments: [
            "2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-3-1", "20260301", "2026/03/01", "1899-12-31", "tomorrow",
        ])
    func invalidDate(_ date: String) {
        #expect(failures { try input { $0.launchDate = date }.validated() } == ["launchDate:invalid_date"])
    }

    @Test("leap days and month ends are accepted", arguments: ["2024-02-29", "2000-02-29", "2026-01-31", "2026-04-30", "2026-12-31"])
    func validDate(_ date: String) throws {
        #expect(try input { $0.launchDate = date }.validated().launchDate == date)
    }

    @Test("days in a month")
    func daysInMonth() {
        #expect(CalendarDate.daysIn(month: 2, year: 2024) == 29)
        #expect(CalendarDate.daysIn(month: 2, year: 2026) == 28)
        #expect(CalendarDate.daysIn(month: 2, year: 1900) == 28)
        #expect(CalendarDate.daysIn(month: 2, year: 2000) == 29)
        #expect(CalendarDate.daysIn(month: 4, year: 2026) == 30)
        #expect(CalendarDate.daysIn(month: 12, year: 2026) == 31)
    }
}

@Suite("DistributorInput")
struct DistributorInputTests {
    let regions = RegionCatalog.shared

    @Test("territory entries resolve to sorted, distinct region codes")
    func valid() throws {
        let input = DistributorInput(
            code: "D001", name: "北京鑫源商贸有限公司", contactName: "王伟", phone: "13800138000",
            address: "北京市朝阳区建设路1号", orgNodeID: 5, territory: ["北京市海淀区", "110105", "110105000000"])
        let draft = try input.validated(regions: regions)
        #expect(draft.territory == ["110105000000", "110108000000"])
        #expect(draft.orgNodeID == 5)
        #expect(draft.phone == "13800138000")
    }

    @Test("each broken rule names its field")
    func invalid() {
        let base = DistributorInput(code: "D001", name: "经销商", phone: "13800138000", orgNodeID: 5, territory: ["110105"])
        var input = base
        input.territory = []
        #expect(failures { try input.validated(regions: regions) } == ["territory:required"])
        input.territory = nil
        #expect(failures { try input.validated(regions: regions) } == ["territory:required"])
        input = base
        input.territory = ["110105", "火星"]
        #expect(failures { try input.validated(regions: regions) } == ["territory:unknown_region"])
        input = base
        input.orgNodeID = nil
        #expect(failures { try input.validated(regions: regions) } == ["orgNodeID:required"])
        input = base
        input.phone = "call me"
        #expect(failures { try input.validated(regions: regions) } == ["phone:invalid_phone"])
        input = base
        input.territory = Array(repeating: "110105", count: 501)
        #expect(failures { try input.validated(regions: regions) } == ["territory:too_many"])
    }
}

@Suite("UserInput")
struct UserInputTests {
    @Test(
        "each role needs its own attachment",
        arguments: [
            ("manager", "orgNodeID"), ("salesperson", "orgNodeID"), ("distributor", "distributorID"), ("store", "storeID"),
        ])
    func attachments(role: String, field: String) throws {
        let bare = UserInput(username: "u1", displayName: "王伟", role: role, password: "correct horse")
        #expect(failures { try bare.validated(passwordRequired: true) } == ["\(field):required"])
        let attached = UserInput(username: "u1", displayName: "王伟", role: role, orgNodeID: 1, distributorID: 2, storeID: 3, password: "correct horse")
        let draft = try attached.validated(passwordRequired: true).draft
        // Only the attachment the role needs is kept.
        #expect(draft.orgNodeID == (field == "orgNodeID" ? 1 : nil))
        #expect(draft.distributorID == (field == "distributorID" ? 2 : nil))
        #expect(draft.storeID == (field == "storeID" ? 3 : nil))
    }

    @Test("an admin needs no attachment")
    func admin() throws {
        let result = try UserInput(username: "admin", displayName: "总部管理员", role: "admin", password: "12345678").validated(passwordRequired: true)
        #expect(result.draft.role == .admin)
        #expect(result.draft.orgNodeID == nil && result.draft.distributorID == nil && result.draft.storeID == nil)
        #expect(result.draft.active)
        #expect(result.password == "12345678")
    }

    @Test("passwords: 8 to 128 characters, required only when asked")
    func passwords() throws {
        let base = UserInput(username: "admin", displayName: "管理员", role: "admin")
        var input = base
        input.password = "short"
        #expect(failures { try input.validated(passwordRequired: false) } == ["password:weak_password"])
        input.password = String(repeating: "x", count: 129)
        #expect(failures { try input.validated(passwordRequired: false) } == ["password:weak_password"])
        #expect(failures { try base.validated(passwordRequired: true) } == ["password:required"])
        #expect(try base.validated(passwordRequired: false).password == nil)
    }

    @Test("an unknown or missing role is reported on its own, not as a missing attachment of some other role")
    func invalidRole() {
        #expect(
            failures { try UserInput(username: "u1", displayName: "王伟", role: "boss", password: "12345678").validated(passwordRequired: true) }
                == ["role:invalid_role"])
        #expect(
            failures { try UserInput(username: "u1", displayName: "王伟", password: "12345678").validated(passwordRequired: true) }
                == ["role:required"])
    }

    @Test("bad usernames are rejected, together with password problems")
    func invalid() {
        #expect(
            failures { try UserInput(username: "王伟", displayName: "王伟", role: "admin", password: "1").validated(passwordRequired: true) }
                == ["username:invalid_code", "password:weak_password"])
        #expect(
            failures { try UserInput(role: "admin").validated(passwordRequired: true) }
                == ["username:required", "displayName:required", "password:required"])
    }
}

@Suite("GeoPoint")
struct GeoPointTests {
    @Test("Beijing to Shanghai is about 1,067 km")
    func beijingShanghai() throws {
        let beijing = try #require(GeoPoint(latitude: 39.9042, longitude: 116.4074))
        let shanghai = try #require(GeoPoint(latitude: 31.2304, longitude: 121.4737))
        let distance = beijing.distance(to: shanghai)
        #expect(abs(distance - 1_067_000) < 10_000)
        #expect(abs(shanghai.distance(to: beijing) - distance) < 1e-6)
        #expect(beijing.distance(to: beijing) == 0)
    }

    @Test("short and antipodal distances")
    func extremes() throws {
        let a = try #require(GeoPoint(latitude: 0, longitude: 0))
        let b = try #require(GeoPoint(latitude: 0, longitude: 0.01))
        #expect(abs(a.distance(to: b) - 1_111.95) < 1)
        let antipode = try #require(GeoPoint(latitude: 0, longitude: 180))
        #expect(abs(a.distance(to: antipode) - 6_371_000 * Double.pi) < 1)
    }

    @Test(
        "out-of-range or non-finite coordinates are rejected",
        arguments: [
            (90.5, 0.0), (-91.0, 0.0), (0.0, 180.5), (0.0, -181.0), (Double.nan, 0.0), (0.0, Double.infinity),
        ])
    func invalid(latitude: Double, longitude: Double) {
        #expect(GeoPoint(latitude: latitude, longitude: longitude) == nil)
    }

    @Test("the edges of the ranges are valid")
    func edges() {
        #expect(GeoPoint(latitude: 90, longitude: 180) != nil)
        #expect(GeoPoint(latitude: -90, longitude: -180) != nil)
    }
}
