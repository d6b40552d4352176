import Foundation

/// Builds a `DemoBrand` step by step. Each part draws from its own random stream, so the
/// org, people, distributors and products stay the same whatever the store count.
struct DemoBrandBuilder {
    enum Stream {
        static let brand: UInt64 = 1
        static let org: UInt64 = 2
        static let distributors: UInt64 = 3
        static let stores: UInt64 = 4
        static let products: UInt64 = 5
        static let storeUsers: UInt64 = 6
    }

    /// One city the brand works in, with what store placement needs precomputed.
    struct CityPlan {
        let region: Region
        let shortName: String
        let weight: Int
        let nodeCode: String
        let areaCode: String
        var salespersonCodes: [String] = []
        var distributorCode = ""
        /// The city's counties (sorted by code), or the city itself when it has none.
        let places: [Region]
        let placeLatitudes: [Double]
        let placeLongitudes: [Double]
        /// Points stores cluster around (urban county centres and the city centre) and their cumulative weights.
        let coreLatitudes: [Double]
        let coreLongitudes: [Double]
        let coreCumulative: [Double]
        let cosLatitude: Double
    }

    static let kilometresPerDegree = 111.32
    /// Urban cores lie within this distance of the city centre.
    static let coreRadiusKm = 12.0
    /// Spread of stores around a core, and the furthest a store lies from it.
    static let storeSigmaKm = 2.0
    static let storeMaxOffsetKm = 6.0

    let seed: UInt64
    let regions: RegionCatalog
    var cities: [CityPlan] = []
    var nodes: [DemoBrand.OrgNodeSpec] = []
    /// Managers and salespeople, by node code, in node order.
    var staff: [(nodeCode: String, role: Role, name: String)] = []
    var distributors: [DemoBrand.DistributorSpec] = []
    var stores: [DemoBrand.StoreSpec] = []
    var users: [DemoBrand.UserSpec] = []

    init(seed: UInt64, regions: RegionCatalog) {
        self.seed = seed
        self.regions = regions
    }

    // MARK: Org

    mutating func buildOrg() {
        var random = SeededRandom(seed: seed, stream: Stream.org)
        for (divisionIndex, division) in DemoGeography.divisions.enumerated() {
            let divisionCode = "R" + String(divisionIndex + 1).leftPadded(to: 2)
            let divisionProvinces = unique(division.areas.flatMap(\.provinces)).compactMap(provinceCode)
            nodes.append(
                DemoBrand.OrgNodeSpec(code: divisionCode, name: division.name, parentCode: nil, level: .region, regionCodes: divisionProvinces))
            staff.append((divisionCode, .manager, Self.personName(&random)))
            for (areaIndex, area) in division.areas.enumerated() {
                let areaCode = divisionCode + "-A" + String(areaIndex + 1).leftPadded(to: 2)
                nodes.append(
                    DemoBrand.OrgNodeSpec(
                        code: areaCode, name: area.name, parentCode: divisionCode, level: .area,
                        regionCodes: area.provinces.compactMap(provinceCode)))
                staff.append((areaCode, .manager, Self.personName(&random)))
                var cityIndex = 0
                for city in area.cities {
                    guard let region = regions.region(code: city.code), region.level == .city else { continue }
                    cityIndex += 1
                    let cityCode = areaCode + "-C" + String(cityIndex).leftPadded(to: 2)
                    nodes.append(
                        DemoBrand.OrgNodeSpec(code: cityCode, name: region.name, parentCode: areaCode, level: .city, regionCodes: [region.code]))
                    staff.append((cityCode, .manager, Self.personName(&random)))
                    var plan = makePlan(region: region, weight: city.weight, nodeCode: cityCode, areaCode: areaCode)
                    let salespeople = city.weight >= DemoGeography.bigCityWeight ? 2 : 1
                    for number in 1...salespeople {
                        let code = cityCode + "-S\(number)"
                        let person = Self.personName(&random)
                        nodes.append(
                            DemoBrand.OrgNodeSpec(
                                code: code, name: "\(person)（\(plan.shortName)\(number)组）", parentCode: cityCode,
                                level: .salesperson, regionCodes: [region.code]))
                        staff.append((code, .salesperson, person))
                        plan.salespersonCodes.append(code)
                    }
                    cities.append(plan)
                }
            }
        }
    }

    private func provinceCode(_ prefix: String) -> String? {
        regions.region(code: prefix + "0000000000").map(\.code)
    }

    private func makePlan(region: Region, weight: Int, nodeCode: String, areaCode: String) -> CityPlan {
        let counties = regions.children(of: region.code).filter { $0.level == .county && !regions.borrowedCentres.contains($0.code) }.sorted {
            $0.code < $1.code
        }
        let places = counties.isEmpty ? [region] : counties
        let cosLatitude = cos(region.latitude * .pi / 180)
        // Stores cluster around the city centre and the county centres close to it, the closer the more.
        var coreLatitudes = [region.latitude], coreLongitudes = [region.longitude], weights = [1.0]
        for county in counties {
            let distance = Self.flatDistanceKm(county.latitude, county.longitude, region.latitude, region.longitude, cosLatitude: cosLatitude)
            guard distance <= Self.coreRadiusKm else { continue }
            coreLatitudes.append(county.latitude)
            coreLongitudes.append(county.longitude)
            weights.append(1.0 / (1.0 + distance / 3.0))
        }
        var cumulative: [Double] = []
        var total = 0.0
        for weight in weights {
            total += weight
            cumulative.append(total)
        }
        return CityPlan(
            region: region, shortName: RegionCatalog.shortName(region.name), weight: weight, nodeCode: nodeCode, areaCode: areaCode,
            places: places, placeLatitudes: places.map(\.latitude), placeLongitudes: places.map(\.longitude),
            coreLatitudes: coreLatitudes, coreLongitudes: coreLongitudes, coreCumulative: cumulative, cosLatitude: cosLatitude)
    }

    // MARK: Distributors

    mutating func buildDistributors() {
        var random = SeededRandom(seed: seed, stream: Stream.distributors)
        var tradeNames = DemoVocabulary.tradeNames
        random.shuffle(&tradeNames)
        // Big cities get their own distributor; the small cities of an area share one per group.
        var groups: [(cities: [Int], managerCode: String)] = []
        var index = 0
        while index < cities.count {
            let areaCode = cities[index].areaCode
            var small: [Int] = []
            while index < cities.count, cities[index].areaCode == areaCode {
                if cities[index].weight >= DemoGeography.ownDistributorWeight {
                    groups.append(([index], cities[index].nodeCode))
                } else {
                    small.append(index)
                }
                index += 1
            }
            for start in stride(from: 0, to: small.count, by: DemoGeography.citiesPerSharedDistributor) {
                let members = Array(small[start..<min(start + DemoGeography.citiesPerSharedDistributor, small.count)])
                groups.append((members, members.count == 1 ? cities[members[0]].nodeCode : areaCode))
            }
        }
        for (number, group) in groups.enumerated() {
            let code = "D" + String(number + 1).leftPadded(to: 3)
            let main = cities[group.cities[0]]
            let tradeName = tradeNames[number % tradeNames.count] + (number < tradeNames.count ? "" : "\(number / tradeNames.count + 1)")
            let name = main.shortName + tradeName + random.element(of: DemoVocabulary.companyForms)
            let district = main.places[nearestPlace(in: main, latitude: main.region.latitude, longitude: main.region.longitude)]
            let districtName = district.code == main.region.code ? "" : district.name
            let address = main.region.name + districtName + Self.road(&random) + "\(random.int(in: 1...400))号"
            let territory = group.cities.flatMap { cities[$0].places.map(\.code) }.sorted()
            distributors.append(
                DemoBrand.DistributorSpec(
                    code: code, name: name, contactName: Self.personName(&random), phone: Self.mobile(&random),
                    address: address, orgNodeCode: group.managerCode, territory: territory,
                    cityCodes: group.cities.map { cities[$0].region.code }))
            for member in group.cities { cities[member].distributorCode = code }
        }
    }

    // MARK: Stores

    mutating func buildStores(count: Int) {
        guard count > 0, !cities.isEmpty else { return }
        var random = SeededRandom(seed: seed, stream: Stream.stores)
        // Exact quotas in proportion to city weight (largest remainder), then shuffled so codes mix the cities.
        let totalWeight = cities.reduce(0) { $0 + $1.weight }
        var quotas = cities.map { count * $0.weight / totalWeight }
        let remainders = cities.enumerated().map { (index: $0.offset, remainder: count * $0.element.weight % totalWeight) }
        let leftover = count - quotas.reduce(0, +)
        for entry in remainders.sorted(by: { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }).prefix(leftover) {
            quotas[entry.index] += 1
        }
        var assignment: [Int32] = []
        assignment.reserveCapacity(count)
        for (index, quota) in quotas.enumerated() {
            assignment.append(contentsOf: repeatElement(Int32(index), count: quota))
        }
        random.shuffle(&assignment)

        let width = max(5, String(count).count)
        stores.reserveCapacity(count)
        for (offset, cityIndex) in assignment.enumerated() {
            let city = cities[Int(cityIndex)]
            let core = random.index(cumulative: city.coreCumulative)
            let (northKm, eastKm) = Self.offsetKm(&random)
            let latitude = Self.rounded(city.coreLatitudes[core] + northKm / Self.kilometresPerDegree)
            let longitude = Self.rounded(city.coreLongitudes[core] + eastKm / (Self.kilometresPerDegree * city.cosLatitude))
            let place = city.places[nearestPlace(in: city, latitude: latitude, longitude: longitude)]
            let salesperson =
                city.salespersonCodes.count > 1 && longitude >= city.region.longitude ? city.salespersonCodes[1] : city.salespersonCodes[0]
            let type = Self.storeType(&random)
            let placeShort = RegionCatalog.shortName(place.name)
            stores.append(
                DemoBrand.StoreSpec(
                    code: "S" + String(offset + 1).leftPadded(to: width),
                    name: Self.storeName(type: type, district: placeShort, random: &random),
                    type: type,
                    address: place.name + Self.road(&random) + "\(Self.houseNumber(&random))号",
                    regionCode: place.code,
                    latitude: latitude,
                    longitude: longitude,
                    distributorCode: city.distributorCode,
                    salespersonNodeCode: salesperson))
        }
    }

    /// Index of the place (county) whose centre is nearest to the point.
    private func nearestPlace(in city: CityPlan, latitude: Double, longitude: Double) -> Int {
        var best = 0
        var bestDistance = Double.infinity
        for index in city.placeLatitudes.indices {
            let dy = city.placeLatitudes[index] - latitude
            let dx = (city.placeLongitudes[index] - longitude) * city.cosLatitude
            let distance = dx * dx + dy * dy
            if distance < bestDistance {
                bestDistance = distance
                best = index
            }
        }
        return best
    }

    /// A Gaussian offset from a core in kilometres, never further than `storeMaxOffsetKm`.
    private static func offsetKm(_ random: inout SeededRandom) -> (Double, Double) {
        for _ in 0..<8 {
            let (a, b) = random.gaussianPair()
            let north = a * storeSigmaKm, east = b * storeSigmaKm
            if north * north + east * east <= storeMaxOffsetKm * storeMaxOffsetKm { return (north, east) }
        }
        return (0, 0)
    }

    private static func rounded(_ degrees: Double) -> Double {
        (degrees * 1_000_000).rounded() / 1_000_000
    }

    private static func flatDistanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double, cosLatitude: Double) -> Double {
        let dy = (lat1 - lat2) * kilometresPerDegree
        let dx = (lon1 - lon2) * kilometresPerDegree * cosLatitude
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Cumulative shares: grocery 36%, convenience 22%, supermarket 15%, restaurant 12%, liquor shop 10%, wholesale 5%.
    private static let storeTypes: [(StoreType, Int)] = [
        (.grocery, 36), (.convenience, 58), (.supermarket, 73), (.restaurant, 85), (.liquorShop, 95), (.wholesale, 100),
    ]

    private static func storeType(_ random: inout SeededRandom) -> StoreType {
        let roll = random.int(below: 100)
        for (type, upTo) in storeTypes where roll < upTo { return type }
        return .grocery
    }

    private static func storeName(type: StoreType, district: String, random: inout SeededRandom) -> String {
        let place = random.element(of: DemoVocabulary.places)
        let prefix = random.chance(0.25) ? district + place : place
        let surname = random.element(of: DemoVocabulary.surnames)
        let style = random.int(below: 10)
        switch type {
        case .grocery:
            if style < 3 { return surname + "记" + random.element(of: ["副食店", "食杂店", "小卖部"]) }
            if style < 4 { return "老" + surname + "小卖部" }
            return prefix + random.element(of: ["小卖部", "副食店", "食杂店", "便民店", "百货店"])
        case .convenience:
            if style < 2 { return random.element(of: ["邻家", "快客来", "易站", "速购"]) + "便利（" + place + "店）" }
            if style < 4 { return prefix + "24小时便利店" }
            return prefix + "便利店"
        case .supermarket:
            if style < 4 { return random.element(of: DemoVocabulary.supermarketBrands) + "超市（" + place + "店）" }
            if style < 5 { return prefix + "购物广场" }
            return prefix + "超市"
        case .restaurant:
            if style < 2 { return surname + "家菜馆" }
            return prefix + random.element(of: ["餐厅", "饭店", "面馆", "火锅店", "烧烤店", "小炒", "酒家"])
        case .liquorShop:
            if style < 2 { return surname + "记烟酒商行" }
            if style < 4 { return prefix + "名烟名酒" }
            return prefix + "烟酒店"
        case .wholesale:
            if style < 2 { return surname + "氏食品批发部" }
            if style < 5 { return prefix + "副食批发部" }
            return prefix + "批发部"
        case .other:
            return prefix + "商店"
        }
    }

    private static func road(_ random: inout SeededRandom) -> String {
        random.element(of: DemoVocabulary.roadStems) + random.element(of: DemoVocabulary.roadSuffixes)
    }

    /// Mostly small house numbers, a few large ones.
    private static func houseNumber(_ random: inout SeededRandom) -> Int {
        random.chance(0.8) ? random.int(in: 1...200) : random.int(in: 201...999)
    }

    // MARK: Users

    mutating func buildUsers() {
        users.append(DemoBrand.UserSpec(username: "admin", displayName: "总部管理员", role: .admin))
        for member in staff {
            let prefix = member.role == .salesperson ? "sp-" : "mgr-"
            users.append(
                DemoBrand.UserSpec(
                    username: prefix + member.nodeCode.lowercased(), displayName: member.name, role: member.role,
                    orgNodeCode: member.nodeCode))
        }
        for distributor in distributors {
            users.append(
                DemoBrand.UserSpec(
                    username: "dist-" + distributor.code.lowercased(), displayName: distributor.contactName,
                    role: .distributor, distributorCode: distributor.code))
        }
        var random = SeededRandom(seed: seed, stream: Stream.storeUsers)
        for store in stores.prefix(DemoBrand.storeUserCount) {
            users.append(
                DemoBrand.UserSpec(
                    username: "store-" + store.code.lowercased(), displayName: Self.personName(&random),
                    role: .store, storeCode: store.code))
        }
    }

    // MARK: Products

    func buildProducts(referenceDay: Int) -> [ProductDraft] {
        var random = SeededRandom(seed: seed, stream: Stream.products)
        let templates = DemoVocabulary.products
        // A GS1 China (69x) company prefix of 7 digits, then a 5-digit item reference.
        let companyPrefix = "69" + String(random.int(below: 100_000)).leftPadded(to: 5)
        var order = Array(templates.indices)
        random.shuffle(&order)
        let recent = Set(order.prefix(3))
        var products: [ProductDraft] = []
        for (index, template) in templates.enumerated() {
            let body = companyPrefix + String(10_001 + index * 37).leftPadded(to: 5)
            let digits = body.utf8.map { Int($0) - 48 }
            guard let gtin = GTIN(body + String(GTIN.checkDigit(for: digits))) else {
                preconditionFailure("a generated GTIN must be valid")
            }
            let daysAgo = recent.contains(index) ? random.int(in: 3...58) : random.int(in: 61...1_095)
            let price = min(1_500, max(300, template.priceFen + Int64(random.int(in: -2...2) * 10)))
            products.append(
                ProductDraft(
                    sku: "SKU-" + String(index + 1).leftPadded(to: 4), gtin: gtin, name: template.name,
                    category: template.category, priceFen: price, unitsPerCase: template.unitsPerCase,
                    launchDate: CalendarDate(dayNumber: referenceDay - daysAgo).text))
        }
        return products
    }

    // MARK: People

    static func personName(_ random: inout SeededRandom) -> String {
        let surname = random.element(of: DemoVocabulary.surnames)
        let first = random.element(of: DemoVocabulary.givenNameCharacters)
        if random.chance(0.35) { return surname + first }
        var second = random.element(of: DemoVocabulary.givenNameCharacters)
        if second == first { second = random.element(of: DemoVocabulary.givenNameCharacters) }
        return surname + first + second
    }

    static func mobile(_ random: inout SeededRandom) -> String {
        random.element(of: DemoVocabulary.mobilePrefixes) + String(random.int(below: 100_000_000)).leftPadded(to: 8)
    }

    private func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
