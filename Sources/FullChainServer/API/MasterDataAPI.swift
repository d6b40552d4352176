import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// A store as the API shows it: flat, with the names of what it links to.
struct StoreView: Codable, Sendable {
    var id: Int64
    var code: String
    var name: String
    var type: StoreType
    var address: String?
    var regionCode: String
    var regionName: String
    var latitude: Double?
    var longitude: Double?
    var distributorID: Int64?
    var distributorName: String?
    var salespersonNodeID: Int64?
    var salespersonName: String?
    var status: MasterDataStatus
    var createdAt: Int64
    var updatedAt: Int64
    var phone: String?

    init(_ summary: StoreSummary, regions: RegionCatalog) {
        let store = summary.store
        id = store.id
        code = store.code
        name = store.name
        type = store.type
        address = store.address
        regionCode = store.regionCode
        regionName = regions.fullName(of: store.regionCode)
        latitude = store.location?.latitude
        longitude = store.location?.longitude
        distributorID = store.distributorID
        distributorName = summary.distributorName
        salespersonNodeID = store.salespersonNodeID
        salespersonName = summary.salespersonName
        phone = store.phone
        status = store.status
        createdAt = store.createdAt
        updatedAt = store.updatedAt
    }
}

/// Regions, distributors, stores and products.
enum MasterDataAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let regions = services.regions
        let limit = services.configuration.maxJSONBytes
        return [
            // Regions: national reference data, the same for every tenant.
            APIEndpoint(
                .get, "/api/v1/regions", id: "listRegions", tag: "regions", summary: "Provinces, or the children of a region, or a name search",
                response: "RegionList",
                query: [.init("parent", "string", "a region code: list its children"), .init("q", "string", "resolve a name or code")]
            ) { request, context in
                _ = try context.requirePrincipal()
                if let q = request.query("q") {
                    do {
                        return try .json([try regions.resolve(q)])
                    } catch {
                        return try .json([Region]())
                    }
                }
                if let parent = request.query("parent") {
                    guard let region = regions.region(code: parent) else { throw APIError.notFound }
                    return try .json(regions.children(of: region.code))
                }
                return try .json(regions.children(of: nil))
            },
            APIEndpoint(
                .get, "/api/v1/regions/{code}", id: "getRegion", tag: "regions", summary: "One region by 12- or 6-digit code", response: "Region"
            ) { _, context in
                _ = try context.requirePrincipal()
                guard let code = context.parameters.get("code"), let region = regions.region(code: code) else { throw APIError.notFound }
                return try .json(region)
            },

            // Distributors.
            APIEndpoint(
                .get, "/api/v1/distributors", id: "listDistributors", tag: "distributors", summary: "Distributors within my reach",
                response: "DistributorPage", query: pagingQuery + [.init("status", "string", "active or inactive")]
            ) { request, context in
                let p = try context.requirePrincipal()
                let status = try request.enumQuery("status", MasterDataStatus.self)
                return try .json(try await storage.distributors.list(try ListQuery(request), status: status, scope: p.scope))
            },
            APIEndpoint(
                .post, "/api/v1/distributors", id: "createDistributor", tag: "distributors", summary: "Create a distributor with its territory",
                request: "DistributorInput", response: "Distributor", status: .created
            ) { request, context in
                let p = try context.require(.manageDistributors)
                let draft = try await request.decodeJSON(DistributorInput.self, limit: limit).validated(regions: regions)
                return try .json(try await storage.distributors.create(draft, scope: p.scope), status: .created)
            },
            APIEndpoint(
                .get, "/api/v1/distributors/{id}", id: "getDistributor", tag: "distributors", summary: "One distributor", response: "Distributor"
            ) { _, context in
                let p = try context.requirePrincipal()
                guard let distributor = try await storage.distributors.get(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                return try .json(distributor)
            },
            APIEndpoint(
                .patch, "/api/v1/distributors/{id}", id: "updateDistributor", tag: "distributors",
                summary: "Change a distributor; fields left out keep their values",
                request: "DistributorInput", response: "Distributor"
            ) { request, context in
                let p = try context.require(.manageDistributors)
                let id = try context.id()
                guard let current = try await storage.distributors.get(id: id, scope: p.scope) else { throw APIError.notFound }
                let patch = try await request.decodeJSON(DistributorInput.self, limit: limit)
                let merged = DistributorInput(
                    code: patch.code ?? current.code, name: patch.name ?? current.name, contactName: patch.contactName ?? current.contactName,
                    phone: patch.phone ?? current.phone, address: patch.address ?? current.address,
                    orgNodeID: patch.orgNodeID ?? current.orgNodeID, territory: patch.territory ?? current.territory,
                    status: patch.status ?? current.status.rawValue)
                let updated = try await storage.distributors.update(id: id, try merged.validated(regions: regions), scope: p.scope)
                services.scanning.channelChanged()
                return try .json(updated)
            },

            // Stores.
            APIEndpoint(
                .get, "/api/v1/stores", id: "listStores", tag: "stores", summary: "Stores within my reach, with filters",
                response: "StorePage",
                query: pagingQuery + [
                    .init("region", "string", "province, city or county code"), .init("distributorId", "integer", "supplying distributor"),
                    .init("salespersonNodeId", "integer", "业代 node"), .init("type", "string", "store type"),
                    .init("status", "string", "active or inactive"),
                ]
            ) { request, context in
                let p = try context.requirePrincipal()
                let page = try await storage.stores.list(try ListQuery(request), filter: try StoreFilter(request, regions: regions), scope: p.scope)
                return try .json(
                    Page(items: page.items.map { StoreView($0, regions: regions) }, total: page.total, limit: page.limit, offset: page.offset))
            },
            APIEndpoint(
                .post, "/api/v1/stores", id: "createStore", tag: "stores", summary: "Create a store",
                request: "StoreInput", response: "StoreView", status: .created
            ) { request, context in
                let p = try context.require(.createStores)
                let draft = try await request.decodeJSON(StoreInput.self, limit: limit).validated(regions: regions)
                let store = try await storage.stores.create(draft, scope: p.scope)
                guard let summary = try await storage.stores.get(id: store.id, scope: p.scope) else { throw APIError.notFound }
                return try .json(StoreView(summary, regions: regions), status: .created)
            },
            APIEndpoint(.get, "/api/v1/stores/{id}", id: "getStore", tag: "stores", summary: "One store", response: "StoreView") { _, context in
                let p = try context.requirePrincipal()
                guard let summary = try await storage.stores.get(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                return try .json(StoreView(summary, regions: regions))
            },
            APIEndpoint(
                .patch, "/api/v1/stores/{id}", id: "updateStore", tag: "stores", summary: "Change a store; fields left out keep their values",
                request: "StoreInput", response: "StoreView"
            ) { request, context in
                let p = try context.require(.editStores)
                let id = try context.id()
                guard let current = try await storage.stores.get(id: id, scope: p.scope)?.store else { throw APIError.notFound }
                let patch = try await request.decodeJSON(StoreInput.self, limit: limit)
                let merged = StoreInput(
                    code: patch.code ?? current.code, name: patch.name ?? current.name, type: patch.type ?? current.type.rawValue,
                    address: patch.address ?? current.address, region: patch.region ?? current.regionCode,
                    latitude: patch.latitude ?? current.location?.latitude, longitude: patch.longitude ?? current.location?.longitude,
                    distributorID: patch.distributorID ?? current.distributorID,
                    salespersonNodeID: patch.salespersonNodeID ?? current.salespersonNodeID, status: patch.status ?? current.status.rawValue,
                    phone: patch.phone ?? current.phone)
                _ = try await storage.stores.update(id: id, try merged.validated(regions: regions), scope: p.scope)
                services.scanning.channelChanged()
                guard let summary = try await storage.stores.get(id: id, scope: p.scope) else { throw APIError.notFound }
                return try .json(StoreView(summary, regions: regions))
            },

            // Products: the tenant's catalogue, read by all, written by HQ.
            APIEndpoint(
                .get, "/api/v1/products", id: "listProducts", tag: "products", summary: "The brand's products",
                response: "ProductPage", query: pagingQuery + [.init("category", "string", "category")]
            ) { request, context in
                let p = try context.requirePrincipal()
                return try .json(try await storage.products.list(try ListQuery(request), category: request.query("category"), tenantID: p.tenantID))
            },
            APIEndpoint(
                .post, "/api/v1/products", id: "createProduct", tag: "products", summary: "Create a product (SKU with a valid GTIN)",
                request: "ProductInput", response: "Product", status: .created
            ) { request, context in
                let p = try context.require(.manageProducts)
                let draft = try await request.decodeJSON(ProductInput.self, limit: limit).validated()
                return try .json(try await storage.products.create(draft, tenantID: p.tenantID), status: .created)
            },
            APIEndpoint(.get, "/api/v1/products/{id}", id: "getProduct", tag: "products", summary: "One product", response: "Product") { _, context in
                let p = try context.requirePrincipal()
                guard let product = try await storage.products.get(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                return try .json(product)
            },
            APIEndpoint(
                .patch, "/api/v1/products/{id}", id: "updateProduct", tag: "products", summary: "Change a product; fields left out keep their values",
                request: "ProductInput", response: "Product"
            ) { request, context in
                let p = try context.require(.manageProducts)
                let id = try context.id()
                guard let current = try await storage.products.get(id: id, tenantID: p.tenantID) else { throw APIError.notFound }
                let patch = try await request.decodeJSON(ProductInput.self, limit: limit)
                let merged = ProductInput(
                    sku: patch.sku ?? current.sku, gtin: patch.gtin ?? current.gtin.digits, name: patch.name ?? current.name,
                    category: patch.category ?? current.category, priceFen: patch.priceFen ?? current.priceFen,
                    unitsPerCase: patch.unitsPerCase ?? current.unitsPerCase, launchDate: patch.launchDate ?? current.launchDate,
                    status: patch.status ?? current.status.rawValue)
                return try .json(try await storage.products.update(id: id, try merged.validated(), tenantID: p.tenantID))
            },
        ]
    }
}

extension Request {
    /// A query parameter naming a case of a string enum; 400 when it names none.
    func enumQuery<E: RawRepresentable>(_ name: String, _ type: E.Type) throws(APIError) -> E? where E.RawValue == String {
        guard let text = query(name) else { return nil }
        guard let value = E(rawValue: text) else { throw .badRequest("invalid_query", "\(name) has an unknown value") }
        return value
    }
}

extension StoreFilter {
    /// Filters from `?region=&distributorId=&salespersonNodeId=&type=&status=`.
    init(_ request: Request, regions: RegionCatalog) throws(APIError) {
        var regionCode: String?
        if let text = request.query("region") {
            guard let region = regions.region(code: text) else { throw .badRequest("invalid_query", "region must be a region code") }
            regionCode = region.code
        }
        self.init(
            regionCode: regionCode, distributorID: try request.intQuery("distributorId"),
            salespersonNodeID: try request.intQuery("salespersonNodeId"),
            type: try request.enumQuery("type", StoreType.self), status: try request.enumQuery("status", MasterDataStatus.self))
    }
}
