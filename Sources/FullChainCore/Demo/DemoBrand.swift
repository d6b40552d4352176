/// A complete synthetic brand for demos and benchmarks: its sales org, people, distributors,
/// stores and products, generated deterministically from a seed (same seed, same brand).
///
/// Records refer to each other by code (a store names its distributor's code and its
/// salesperson node's code) so a loader can map codes to database ids as it inserts.
public struct DemoBrand: Sendable, Equatable {
    /// One node of the sales org tree.
    public struct OrgNodeSpec: Sendable, Equatable {
        /// `R01`, `R01-A02`, `R01-A02-C03`, `R01-A02-C03-S1`.
        public var code: String
        public var name: String
        /// nil for a 大区.
        public var parentCode: String?
        public var level: OrgLevel
        /// 12-digit region codes the node works in: the provinces of a 大区 or 地区, the city of a 城市 or 业代.
        public var regionCodes: [String]

        public init(code: String, name: String, parentCode: String?, level: OrgLevel, regionCodes: [String]) {
            self.code = code
            self.name = name
            self.parentCode = parentCode
            self.level = level
            self.regionCodes = regionCodes
        }
    }

    /// A person who signs in, attached by code to what their role needs.
    public struct UserSpec: Sendable, Equatable {
        public var username: String
        public var displayName: String
        public var role: Role
        public var orgNodeCode: String?
        public var distributorCode: String?
        public var storeCode: String?

        public init(
            username: String, displayName: String, role: Role, orgNodeCode: String? = nil, distributorCode: String? = nil, storeCode: String? = nil
        ) {
            self.username = username
            self.displayName = displayName
            self.role = role
            self.orgNodeCode = orgNodeCode
            self.distributorCode = distributorCode
            self.storeCode = storeCode
        }

        /// The user to create once the codes are mapped to ids.
        public func draft(orgNodeID: Int64?, distributorID: Int64?, storeID: Int64?) -> UserDraft {
            UserDraft(username: username, displayName: displayName, role: role, orgNodeID: orgNodeID, distributorID: distributorID, storeID: storeID)
        }
    }

    /// A distributor and the cities it serves.
    public struct DistributorSpec: Sendable, Equatable {
        /// `D001`, `D002`, …
        public var code: String
        public var name: String
        public var contactName: String
        public var phone: String
        public var address: String
        /// The managing org node: a city node, or an area node when it serves several cities.
        public var orgNodeCode: String
        /// Sorted 12-digit region codes: the counties of the cities it serves (a city's own code when it has none).
        public var territory: [String]
        /// 12-digit codes of the cities it serves.
        public var cityCodes: [String]

        public init(
            code: String, name: String, contactName: String, phone: String, address: String, orgNodeCode: String, territory: [String],
            cityCodes: [String]
        ) {
            self.code = code
            self.name = name
            self.contactName = contactName
            self.phone = phone
            self.address = address
            self.orgNodeCode = orgNodeCode
            self.territory = territory
            self.cityCodes = cityCodes
        }

        /// The distributor to create once the managing node's code is mapped to its id.
        public func draft(orgNodeID: Int64) -> DistributorDraft {
            DistributorDraft(
                code: code, name: name, contactName: contactName, phone: phone, address: address, orgNodeID: orgNodeID, territory: territory)
        }
    }

    /// A retail store placed near a real city centre.
    public struct StoreSpec: Sendable, Equatable {
        /// `S00001`, … (zero-padded to at least five digits).
        public var code: String
        public var name: String
        public var type: StoreType
        public var address: String
        /// 12-digit county code (the city's code for a city without counties).
        public var regionCode: String
        /// WGS-84.
        public var latitude: Double
        public var longitude: Double
        public var distributorCode: String
        /// A 业代 (level 4) node.
        public var salespersonNodeCode: String

        public init(
            code: String, name: String, type: StoreType, address: String, regionCode: String, latitude: Double, longitude: Double,
            distributorCode: String, salespersonNodeCode: String
        ) {
            self.code = code
            self.name = name
            self.type = type
            self.address = address
            self.regionCode = regionCode
            self.latitude = latitude
            self.longitude = longitude
            self.distributorCode = distributorCode
            self.salespersonNodeCode = salespersonNodeCode
        }

        public var location: GeoPoint? { GeoPoint(latitude: latitude, longitude: longitude) }

        /// The store's made-up mobile number: 138 and its code's digits (`S00001` → `13800000001`).
        public var phone: String {
            let digits = String(code.filter { $0.isASCII && $0.isNumber }.suffix(8))
            return "138" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        }

        /// The store to create once the codes are mapped to ids.
        public func draft(distributorID: Int64?, salespersonNodeID: Int64?) -> StoreDraft {
            StoreDraft(
                code: code, name: name, type: type, address: address, regionCode: regionCode, location: location,
                distributorID: distributorID, salespersonNodeID: salespersonNodeID, phone: phone)
        }
    }

    public static let defaultSeed: UInt64 = 20260301
    public static let defaultStoreCount = 5000
    /// How many of the first stores get a store user.
    public static let storeUserCount = 20

    public var seed: UInt64
    /// `YYYY-MM-DD`: launch dates are relative to it.
    public var referenceDate: String
    public var tenantCode: String
    public var name: String
    /// Parent before child (a depth-first walk).
    public var nodes: [OrgNodeSpec]
    public var users: [UserSpec]
    public var distributors: [DistributorSpec]
    public var stores: [StoreSpec]
    public var products: [ProductDraft]

    public init(
        seed: UInt64, referenceDate: String, tenantCode: String, name: String, nodes: [OrgNodeSpec], users: [UserSpec],
        distributors: [DistributorSpec], stores: [StoreSpec], products: [ProductDraft]
    ) {
        self.seed = seed
        self.referenceDate = referenceDate
        self.tenantCode = tenantCode
        self.name = name
        self.nodes = nodes
        self.users = users
        self.distributors = distributors
        self.stores = stores
        self.products = products
    }

    /// Builds the brand. Pure and deterministic: the same arguments give an identical value.
    ///
    /// - Parameters:
    ///   - seed: Everything random derives from it. The org, people, distributors and products do
    ///     not depend on `storeCount`, so a bigger benchmark brand shares them with the default one.
    ///   - storeCount: Exactly this many stores (negative counts as 0), spread over the cities in
    ///     proportion to their size. Time and memory grow linearly.
    ///   - regions: The catalog cities and counties come from; cities it lacks are left out.
    ///   - referenceDate: `YYYY-MM-DD`, "today" for launch dates (spread over the three years
    ///     before it, a few within its last 60 days). An invalid date counts as `2026-03-01`.
    public static func generate(
        seed: UInt64 = defaultSeed, storeCount: Int = defaultStoreCount, regions: RegionCatalog = .shared,
        referenceDate: String
    ) -> DemoBrand {
        var builder = DemoBrandBuilder(seed: seed, regions: regions)
        builder.buildOrg()
        builder.buildDistributors()
        builder.buildStores(count: max(0, storeCount))
        builder.buildUsers()
        let referenceDay = (CalendarDate(referenceDate) ?? CalendarDate(dayNumber: 20_513)).dayNumber
        let products = builder.buildProducts(referenceDay: referenceDay)
        var nameRandom = SeededRandom(seed: seed, stream: DemoBrandBuilder.Stream.brand)
        let brandName = nameRandom.element(of: DemoVocabulary.brandStems) + "饮品 (演示)"
        return DemoBrand(
            seed: seed, referenceDate: referenceDate, tenantCode: "demo", name: brandName, nodes: builder.nodes,
            users: builder.users, distributors: builder.distributors, stores: builder.stores, products: products)
    }
}
