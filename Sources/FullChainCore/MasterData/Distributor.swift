/// A distributor (经销商, B): receives shipments from the brand and supplies stores in its territory.
public struct Distributor: Codable, Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: String
    public var contactName: String?
    public var phone: String?
    public var address: String?
    /// The org node (usually a city or area) that manages this distributor.
    public var orgNodeID: Int64
    /// Region codes the distributor may sell into.
    public var territory: [String]
    public var status: MasterDataStatus
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: Int64, code: String, name: String, contactName: String?, phone: String?, address: String?, orgNodeID: Int64, territory: [String],
        status: MasterDataStatus, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.contactName = contactName
        self.phone = phone
        self.address = address
        self.orgNodeID = orgNodeID
        self.territory = territory
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A validated distributor to create, or the full new state of one to update.
public struct DistributorDraft: Sendable, Equatable {
    public var code: String
    public var name: String
    public var contactName: String?
    public var phone: String?
    public var address: String?
    public var orgNodeID: Int64
    public var territory: [String]
    public var status: MasterDataStatus

    public init(
        code: String, name: String, contactName: String? = nil, phone: String? = nil, address: String? = nil, orgNodeID: Int64, territory: [String],
        status: MasterDataStatus = .active
    ) {
        self.code = code
        self.name = name
        self.contactName = contactName
        self.phone = phone
        self.address = address
        self.orgNodeID = orgNodeID
        self.territory = territory
        self.status = status
    }
}

/// Whether a record is in use.
public enum MasterDataStatus: String, Codable, Sendable, CaseIterable {
    case active
    case inactive
}
