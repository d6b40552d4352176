/// A sellable item (SKU) of the brand.
public struct Product: Codable, Sendable, Equatable {
    public var id: Int64
    public var sku: String
    public var gtin: GTIN
    public var name: String
    public var category: String
    /// Suggested retail price in fen (1/100 yuan).
    public var priceFen: Int64
    public var unitsPerCase: Int64
    /// `YYYY-MM-DD`.
    public var launchDate: String?
    public var status: MasterDataStatus
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: Int64, sku: String, gtin: GTIN, name: String, category: String, priceFen: Int64, unitsPerCase: Int64, launchDate: String?,
        status: MasterDataStatus, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.sku = sku
        self.gtin = gtin
        self.name = name
        self.category = category
        self.priceFen = priceFen
        self.unitsPerCase = unitsPerCase
        self.launchDate = launchDate
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A validated product to create, or the full new state of one to update.
public struct ProductDraft: Sendable, Equatable {
    public var sku: String
    public var gtin: GTIN
    public var name: String
    public var category: String
    public var priceFen: Int64
    public var unitsPerCase: Int64
    public var launchDate: String?
    public var status: MasterDataStatus

    public init(
        sku: String, gtin: GTIN, name: String, category: String, priceFen: Int64, unitsPerCase: Int64, launchDate: String? = nil,
        status: MasterDataStatus = .active
    ) {
        self.sku = sku
        self.gtin = gtin
        self.name = name
        self.category = category
        self.priceFen = priceFen
        self.unitsPerCase = unitsPerCase
        self.launchDate = launchDate
        self.status = status
    }
}
