import FullChainCore
import Testing

@Suite("DemoBrand")
struct DemoBrandTests {
    static let referenceDate = "2026-03-01"
    static let brand = DemoBrand.generate(referenceDate: referenceDate)
    let brand = DemoBrandTests.brand
    let regions = RegionCatalog.shared

    var nodesByCode: [String: DemoBrand.OrgNodeSpec] { Dictionary(uniqueKeysWithValues: brand.nodes.map { ($0.code, $0) }) }

    func nodes(at level: OrgLevel) -> [DemoBrand.OrgNodeSpec] { brand.nodes.filter { $0.level == level } }

    @Test("the same seed gives an identical brand; another seed a different one")
    func deterministic() {
        let again = DemoBrand.generate(seed: DemoBrand.defaultSeed, storeCount: 5_000, regions: .shared, referenceDate: Self.referenceDate)
        #expect(again == brand)
        let other = DemoBrand.generate(seed: 7, referenceDate: Self.referenceDate)
        #expect(other.stores != brand.stores)
        #expect(other.users.map(\.displayName) != brand.users.map(\.displayName))
        #expect(other.products.map(\.gtin) != brand.products.map(\.gtin))
        // The org structure is fixed; only names and numbers vary.
        #expect(other.nodes.map(\.code) == brand.nodes.map(\.code))
    }

    @Test("the brand itself")
    func identity() {
        #expect(brand.tenantCode == "demo")
        #expect(brand.name.hasSuffix("饮品 (演示)"))
        #expect(brand.seed == DemoBrand.defaultSeed)
        #expect(brand.referenceDate == Self.referenceDate)
    }

    @Test("counts of every kind of record")
    func counts() {
        #expect(nodes(at: .region).map(\.name) == ["华北大区", "华东大区", "华南大区", "西部大区"])
        #expect((15...25).contains(nodes(at: .area).count))
        #expect((50...70).contains(nodes(at: .city).count))
        #expect((80...110).contains(nodes(at: .salesperson).count))
        #expect((30...50).contains(brand.distributors.count))
        #expect(brand.stores.count == 5_000)
        #expect((25...35).contains(brand.products.count))
        #expect(brand.users.count == 1 + brand.nodes.count + brand.distributors.count + DemoBrand.storeUserCount)
    }

    @Test("node codes follow the tree, parents come first, and every city has one or two salespeople")
    func orgTree() throws {
        var seen: [String: DemoBrand.OrgNodeSpec] = [:]
        for node in brand.nodes {
            if let parentCode = node.parentCode {
                let parent = try #require(seen[parentCode], "\(node.code)'s parent \(parentCode) must come before it")
                #expect(parent.level.childLevel == node.level)
                #expect(node.code.hasPrefix(parentCode + "-"))
            } else {
                #expect(node.level == .region)
            }
            let pattern: Regex<Substring> =
                switch node.level {
                case .region: /R\d{2}/
                case .area: /R\d{2}-A\d{2}/
                case .city: /R\d{2}-A\d{2}-C\d{2}/
                case .salesperson: /R\d{2}-A\d{2}-C\d{2}-S\d/
                }
            #expect(node.code.wholeMatch(of: pattern) != nil, "\(node.code)")
            #expect(!node.name.isEmpty)
            seen[node.code] = node
        }
        for city in nodes(at: .city) {
            let salespeople = brand.nodes.filter { $0.parentCode == city.code }
            #expect((1...2).contains(salespeople.count), "\(city.name)")
            #expect(salespeople.allSatisfy { $0.level == .salesperson && $0.regionCodes == city.regionCodes })
        }
        for area in nodes(at: .area) {
            #expect(brand.nodes.contains { $0.parentCode == area.code }, "\(area.name) has no city")
        }
    }

    @Test("cities are real prefecture-level cities inside their area's provinces, areas inside their 大区")
    func geography() throws {
        let byCode = nodesByCode
        var cityCodes = Set<String>()
        for city in nodes(at: .city) {
            #expect(city.regionCodes.count == 1)
            let region = try #require(regions.region(code: city.regionCodes[0]))
            #expect(region.level == .city)
            #expect(region.name == city.name)
            #expect(cityCodes.insert(region.code).inserted, "\(region.name) appears twice")
            let area = try #require(city.parentCode.flatMap { byCode[$0] })
            #expect(area.regionCodes.contains { regions.isWithin(region.code, ancestor: $0) }, "\(region.name) outside \(area.name)")
        }
        for area in nodes(at: .area) {
            let division = try #require(area.parentCode.flatMap { byCode[$0] })
            #expect(!area.regionCodes.isEmpty)
            #expect(area.regionCodes.allSatisfy { regions.region(code: $0)?.level == .province })
            #expect(Set(area.regionCodes).isSubset(of: division.regionCodes))
        }
        #expect(cityCodes.isSuperset(of: ["110100000000", "310100000000", "440100000000", "440300000000", "510100000000"]))
    }

    @Test("every code is unique")
    func uniqueCodes() {
        #expect(Set(brand.nodes.map(\.code)).count == brand.nodes.count)
        #expect(Set(brand.users.map(\.username)).count == brand.users.count)
        #expect(Set(brand.distributors.map(\.code)).count == brand.distributors.count)
        #expect(Set(brand.distributors.map(\.name)).count == brand.distributors.count)
        #expect(Set(brand.stores.map(\.code)).count == brand.stores.count)
        #expect(Set(brand.products.map(\.sku)).count == brand.products.count)
        #expect(Set(brand.products.map(\.gtin)).count == brand.products.count)
        #expect(brand.stores.first?.code == "S00001")
        #expect(brand.stores.last?.code == "S05000")
    }

    @Test("stores refer to existing distributors and salesperson nodes of their own city")
    func storeReferences() throws {
        let byCode = nodesByCode
        let distributors = Dictionary(uniqueKeysWithValues: brand.distributors.map { ($0.code, $0) })
        for store in brand.stores {
            let node = try #require(byCode[store.salespersonNodeCode], "\(store.code): \(store.salespersonNodeCode)")
            #expect(node.level == .salesperson)
            let distributor = try #require(distributors[store.distributorCode], "\(store.code): \(store.distributorCode)")
            #expect(distributor.cityCodes.contains(node.regionCodes[0]))
            #expect(distributor.territory.contains(store.regionCode), "\(store.code) outside \(distributor.code)'s territory")
        }
    }

    @Test("stores lie in a county of their city, within 20 km of the city centre")
    func storePlacement() throws {
        let byCode = nodesByCode
        var cityCenters: [String: GeoPoint] = [:]
        for store in brand.stores {
            let region = try #require(regions.region(code: store.regionCode), "\(store.code): \(store.regionCode)")
            #expect(region.level == .county || region.level == .city)
            let cityCode = try #require(byCode[store.salespersonNodeCode]?.regionCodes.first)
            #expect(regions.isWithin(region.code, ancestor: cityCode), "\(store.code) in \(region.name) is not in \(cityCode)")
            let city = try #require(regions.ancestry(of: region.code).first { $0.level == .city })
            #expect(city.code == cityCode)
            let center = try #require(cityCenters[city.code] ?? GeoPoint(latitude: city.latitude, longitude: city.longitude))
            cityCenters[city.code] = center
            let point = try #require(store.location)
            #expect(point.distance(to: center) < 20_000, "\(store.code) is \(Int(point.distance(to: center))) m from \(city.name)")
            #expect(!store.name.isEmpty && store.address.hasPrefix(region.name) && store.address.hasSuffix("号"))
        }
    }

    @Test("a store's county is the nearest county centre of its city")
    func nearestCounty() throws {
        let byCode = nodesByCode
        for store in brand.stores.prefix(500) {
            let cityCode = try #require(byCode[store.salespersonNodeCode]?.regionCodes.first)
            let counties = regions.children(of: cityCode).filter { $0.level == .county && !regions.borrowedCentres.contains($0.code) }
            guard !counties.isEmpty else {
                #expect(store.regionCode == cityCode)
                continue
            }
            let point = try #require(store.location)
            let nearest = try #require(
                counties.min {
                    point.distance(to: GeoPoint(latitude: $0.latitude, longitude: $0.longitude)!)
                        < point.distance(to: GeoPoint(latitude: $1.latitude, longitude: $1.longitude)!)
                })
            #expect(nearest.code == store.regionCode, "\(store.code)")
        }
    }

    @Test("bigger cities have more stores; every city has some")
    func storeSpread() throws {
        let byCode = nodesByCode
        var perCity: [String: Int] = [:]
        for store in brand.stores {
            perCity[try #require(byCode[store.salespersonNodeCode]?.regionCodes.first), default: 0] += 1
        }
        #expect(perCity.count == nodes(at: .city).count)
        let shanghai = try #require(perCity["310100000000"])
        let beijing = try #require(perCity["110100000000"])
        let daqing = try #require(perCity["230600000000"])
        let sanya = try #require(perCity["460200000000"])
        #expect(shanghai > daqing * 5)
        #expect(beijing > sanya * 10)
        // Store codes are not grouped by city: the first 100 stores span many cities.
        #expect(Set(brand.stores.prefix(100).compactMap { byCode[$0.salespersonNodeCode]?.regionCodes.first }).count > 20)
    }

    @Test("store types: grocery most, then convenience, supermarket, restaurant, liquor shop, wholesale")
    func storeTypes() {
        var counts: [StoreType: Int] = [:]
        for store in brand.stores { counts[store.type, default: 0] += 1 }
        let order: [StoreType] = [.grocery, .convenience, .supermarket, .restaurant, .liquorShop, .wholesale]
        for (larger, smaller) in zip(order, order.dropFirst()) {
            #expect(counts[larger, default: 0] > counts[smaller, default: 0], "\(counts)")
        }
        #expect(counts[.other] == nil)
    }

    @Test("distributors: valid inputs, real territory codes, managed by a city or an area node")
    func distributors() throws {
        let byCode = nodesByCode
        for distributor in brand.distributors {
            #expect(distributor.code.wholeMatch(of: /D\d{3}/) != nil)
            let manager = try #require(byCode[distributor.orgNodeCode])
            #expect(manager.level == .city || manager.level == .area)
            #expect(!distributor.cityCodes.isEmpty)
            if distributor.cityCodes.count == 1 { #expect(manager.level == .city && manager.regionCodes == distributor.cityCodes) }
            if manager.level == .area {
                // An area node manages a distributor that serves several of its cities.
                let areaCities = Set(brand.nodes.filter { $0.parentCode == manager.code }.flatMap(\.regionCodes))
                #expect(Set(distributor.cityCodes).isSubset(of: areaCities))
            }
            #expect(distributor.territory == distributor.territory.sorted())
            #expect(distributor.territory.allSatisfy { code in distributor.cityCodes.contains { regions.isWithin(code, ancestor: $0) } })
            #expect(distributor.phone.wholeMatch(of: /1[3-9]\d{9}/) != nil, "\(distributor.phone)")
            #expect(distributor.name.hasSuffix("公司"))
            let input = DistributorInput(
                code: distributor.code, name: distributor.name, contactName: distributor.contactName, phone: distributor.phone,
                address: distributor.address, orgNodeID: 1, territory: distributor.territory)
            let draft = try input.validated(regions: regions)
            #expect(draft == distributor.draft(orgNodeID: 1))
        }
        // Every city is served by exactly one distributor.
        let served = brand.distributors.flatMap(\.cityCodes)
        #expect(served.count == Set(served).count)
        #expect(Set(served) == Set(nodes(at: .city).flatMap(\.regionCodes)))
    }

    @Test("stores pass the same validation as imported ones")
    func storesValidate() throws {
        for store in brand.stores.prefix(300) {
            let input = StoreInput(
                code: store.code, name: store.name, type: store.type.rawValue, address: store.address, region: store.regionCode,
                latitude: store.latitude, longitude: store.longitude, distributorID: 1, salespersonNodeID: 2, phone: store.phone)
            #expect(try input.validated(regions: regions) == store.draft(distributorID: 1, salespersonNodeID: 2))
        }
    }

    @Test("users: one manager per 大区, 地区 and city, one salesperson per 业代, one per distributor, the first stores")
    func users() throws {
        let byCode = nodesByCode
        let distributorCodes = Set(brand.distributors.map(\.code))
        let storeCodes = Set(brand.stores.prefix(DemoBrand.storeUserCount).map(\.code))
        var attachedNodes: [String: Int] = [:]
        for user in brand.users {
            #expect(user.username.wholeMatch(of: /[a-z0-9\-]+/) != nil, "\(user.username)")
            #expect(!user.displayName.isEmpty)
            switch user.role {
            case .admin:
                #expect(user.username == "admin")
                #expect(user.orgNodeCode == nil && user.distributorCode == nil && user.storeCode == nil)
            case .manager, .salesperson:
                let node = try #require(user.orgNodeCode.flatMap { byCode[$0] }, "\(user.username)")
                #expect((node.level == .salesperson) == (user.role == .salesperson))
                #expect(user.username == (user.role == .salesperson ? "sp-" : "mgr-") + node.code.lowercased())
                attachedNodes[node.code, default: 0] += 1
            case .distributor:
                #expect(user.distributorCode.map(distributorCodes.contains) == true)
                #expect(user.username == "dist-" + (user.distributorCode ?? "").lowercased())
            case .store:
                #expect(user.storeCode.map(storeCodes.contains) == true)
                #expect(user.username == "store-" + (user.storeCode ?? "").lowercased())
            }
            let ids = (
                org: user.orgNodeCode == nil ? nil : Int64(1), distributor: user.distributorCode == nil ? nil : Int64(2),
                store: user.storeCode == nil ? nil : Int64(3)
            )
            let input = UserInput(
                username: user.username, displayName: user.displayName, role: user.role.rawValue, orgNodeID: ids.org,
                distributorID: ids.distributor, storeID: ids.store, password: "demo-password")
            #expect(
                try input.validated(passwordRequired: true).draft
                    == user.draft(orgNodeID: ids.org, distributorID: ids.distributor, storeID: ids.store))
        }
        #expect(brand.users.filter { $0.role == .admin }.count == 1)
        #expect(attachedNodes.count == brand.nodes.count && attachedNodes.values.allSatisfy { $0 == 1 })
        #expect(brand.users.filter { $0.role == .distributor }.count == brand.distributors.count)
        #expect(brand.users.filter { $0.role == .store }.count == DemoBrand.storeUserCount)
        #expect(brand.users.contains { $0.username == "mgr-r01" })
        #expect(brand.users.contains { $0.username == "sp-r01-a01-c01-s1" })
        #expect(brand.users.contains { $0.username == "dist-d001" })
        #expect(brand.users.contains { $0.username == "store-s00001" })
    }

    @Test("products: valid 69x GTIN-13s, prices, pack sizes, categories")
    func products() throws {
        let categories: Set<String> = ["茶饮料", "果汁", "矿泉水", "碳酸饮料", "功能饮料", "乳饮料"]
        #expect(Set(brand.products.map(\.category)) == categories)
        for product in brand.products {
            #expect(GTIN(product.gtin.shortForm) == product.gtin)
            #expect(product.gtin.shortForm.count == 13)
            #expect(product.gtin.shortForm.hasPrefix("69"))
            let body = product.gtin.digits.utf8.dropLast().map { Int($0) - 48 }
            #expect(GTIN.checkDigit(for: body) == Int(product.gtin.digits.utf8.last! - 48))
            #expect((300...1_500).contains(product.priceFen))
            #expect([12, 24].contains(product.unitsPerCase))
            #expect(!product.name.isEmpty)
            let input = ProductInput(
                sku: product.sku, gtin: product.gtin.shortForm, name: product.name, category: product.category,
                priceFen: product.priceFen, unitsPerCase: product.unitsPerCase, launchDate: product.launchDate)
            #expect(try input.validated() == product)
        }
    }

    @Test("launch dates: over the last three years, a few within the last 60 days")
    func launchDates() throws {
        let dates = try brand.products.map { try #require($0.launchDate) }
        // 2026-03-01 minus 3 × 365 days is 2023-03-02; minus 60 days is 2025-12-31.
        #expect(dates.allSatisfy { $0 >= "2023-03-02" && $0 < Self.referenceDate }, "\(dates)")
        let recent = dates.filter { $0 >= "2025-12-31" }
        #expect((1...5).contains(recent.count), "\(dates)")
        #expect(dates.contains { $0 < "2024-03-01" })
        #expect(dates.contains { $0 >= "2024-03-01" && $0 < "2025-03-01" })
        // Launch dates move with the reference date, and nothing else does.
        let later = DemoBrand.generate(referenceDate: "2027-03-01")
        #expect(later.products.map(\.launchDate) != brand.products.map(\.launchDate))
        #expect(later.products.map(\.gtin) == brand.products.map(\.gtin))
        #expect(later.stores == brand.stores)
        #expect(try later.products.map { try #require($0.launchDate) }.allSatisfy { $0 >= "2024-03-01" && $0 < "2027-03-01" })
        // Across a leap day and a year end.
        let leap = DemoBrand.generate(referenceDate: "2024-03-01")
        #expect(leap.products.allSatisfy { ProductInputTests.isValidDate($0.launchDate) })
    }

    @Test("small store counts, and the org does not depend on the store count")
    func smallCounts() {
        let none = DemoBrand.generate(storeCount: 0, referenceDate: Self.referenceDate)
        #expect(none.stores.isEmpty)
        #expect(!none.users.contains { $0.role == .store })
        #expect(none.nodes == brand.nodes)
        #expect(none.distributors == brand.distributors)
        #expect(none.products == brand.products)
        let seven = DemoBrand.generate(storeCount: 7, referenceDate: Self.referenceDate)
        #expect(seven.stores.map(\.code) == (1...7).map { "S0000\($0)" })
        #expect(seven.users.filter { $0.role == .store }.count == 7)
        #expect(DemoBrand.generate(storeCount: -3, referenceDate: Self.referenceDate).stores.isEmpty)
    }

    @Test("100,000 stores")
    func large() throws {
        let large = DemoBrand.generate(storeCount: 100_000, referenceDate: Self.referenceDate)
        #expect(large.stores.count == 100_000)
        #expect(large.stores.first?.code == "S000001")
        #expect(large.stores.last?.code == "S100000")
        #expect(Set(large.stores.map(\.code)).count == 100_000)
        #expect(large.nodes == brand.nodes && large.distributors == brand.distributors && large.products == brand.products)
        let salespersonCodes = Set(large.nodes.filter { $0.level == .salesperson }.map(\.code))
        let distributorCodes = Set(large.distributors.map(\.code))
        #expect(large.stores.allSatisfy { salespersonCodes.contains($0.salespersonNodeCode) && distributorCodes.contains($0.distributorCode) })
        #expect(large.stores.allSatisfy { regions.region(code: $0.regionCode) != nil && $0.location != nil })
    }
}

extension ProductInputTests {
    /// Whether a launch date passes product validation.
    static func isValidDate(_ date: String?) -> Bool {
        (try? ProductInput(sku: "X", gtin: "6901234567892", name: "X", category: "X", priceFen: 300, unitsPerCase: 12, launchDate: date).validated())
            != nil
    }
}
