/// The kind of outlet; peers for anomaly detection share a city and a store type.
public enum StoreType: String, Codable, Sendable, CaseIterable {
    /// 商超
    case supermarket
    /// 便利店
    case convenience
    /// 食杂店 / 夫妻店
    case grocery
    /// 餐饮
    case restaurant
    /// 烟酒店
    case liquorShop
    /// 批发部
    case wholesale
    case other
}

/// A retail store (终端, b).
public struct Store: Codable, Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: String
    public var type: StoreType
    public var address: String?
    /// County (or city) region code.
    public var regionCode: String
    public var location: GeoPoint?
    public var distributorID: Int64?
    /// The salesperson's org node (业代 level) that covers this store.
    public var salespersonNodeID: Int64?
    public var status: MasterDataStatus
    public var createdAt: Int64
    public var updatedAt: Int64
    /// The store's phone, for the salesperson's call link.
    public var phone: String?

    public init(
        id: Int64, code: String, name: String, type: StoreType, address: String?, regionCode: String, location: GeoPoint?, distributorID: Int64?,
        salespersonNodeID: Int64?, status: MasterDataStatus, createdAt: Int64, updatedAt: Int64, phone: String? = nil
    ) {
        self.phone = phone
        self.id = id
        self.code = code
        self.name = name
        self.type = type
        self.address = address
        self.regionCode = regionCode
        self.location = location
        self.distributorID = distributorID
        self.salespersonNodeID = salespersonNodeID
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A validated store to create, or the full new state of one to update.
public struct StoreDraft: Sendable, Equatable {
    public var code: String
    public var name: String
    public var type: StoreType
    public var address: String?
    public var regionCode: String
    public var location: GeoPoint?
    public var distributorID: Int64?
    public var salespersonNodeID: Int64?
    public var status: MasterDataStatus
    public var phone: String?

    public init(
        code: String, name: String, type: StoreType, address: String? = nil, regionCode: String, location: GeoPoint? = nil,
        distributorID: Int64? = nil, salespersonNodeID: Int64? = nil, status: MasterDataStatus = .active, phone: String? = nil
    ) {
        self.phone = phone
        self.code = code
        self.name = name
        self.type = type
        self.address = address
        self.regionCode = regionCode
        self.location = location
        self.distributorID = distributorID
        self.salespersonNodeID = salespersonNodeID
        self.status = status
    }
}

/// A store as lists show it: with the names of what it links to.
public struct StoreSummary: Codable, Sendable, Equatable {
    public var store: Store
    public var distributorName: String?
    public var salespersonName: String?

    public init(store: Store, distributorName: String?, salespersonName: String?) {
        self.store = store
        self.distributorName = distributorName
        self.salespersonName = salespersonName
    }
}
