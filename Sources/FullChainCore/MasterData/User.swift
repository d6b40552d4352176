/// A person who signs in: HQ staff, a manager, a salesperson, a distributor's or a store's staff.
public struct User: Codable, Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    /// The org node a manager or salesperson is attached to.
    public var orgNodeID: Int64?
    /// The distributor a distributor user works for.
    public var distributorID: Int64?
    /// The store a store user works for.
    public var storeID: Int64?
    public var active: Bool
    public var createdAt: Int64

    public init(
        id: Int64, username: String, displayName: String, role: Role, orgNodeID: Int64?, distributorID: Int64?, storeID: Int64?, active: Bool,
        createdAt: Int64
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.orgNodeID = orgNodeID
        self.distributorID = distributorID
        self.storeID = storeID
        self.active = active
        self.createdAt = createdAt
    }
}

/// A validated user to create or the new values of one to update.
public struct UserDraft: Sendable, Equatable {
    public var username: String
    public var displayName: String
    public var role: Role
    public var orgNodeID: Int64?
    public var distributorID: Int64?
    public var storeID: Int64?
    public var active: Bool

    public init(
        username: String, displayName: String, role: Role, orgNodeID: Int64? = nil, distributorID: Int64? = nil, storeID: Int64? = nil,
        active: Bool = true
    ) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.orgNodeID = orgNodeID
        self.distributorID = distributorID
        self.storeID = storeID
        self.active = active
    }

    /// Checks the fields that need no lookup: a username, a name, and the one attachment the role needs.
    public static func validated(
        username: String?, displayName: String?, role: String?, orgNodeID: Int64?, distributorID: Int64?, storeID: Int64?, active: Bool?
    ) throws(ValidationError) -> UserDraft {
        var v = Validator()
        let name = v.code(username, field: "username")
        let display = v.text(displayName, field: "displayName", maxLength: 100)
        let parsedRole = role.flatMap(Role.init(rawValue:))
        if parsedRole == nil {
            v.add(
                FieldError(
                    field: "role", code: role == nil ? "required" : "invalid_role",
                    message: "role must be one of admin, manager, salesperson, distributor, store"))
        }
        var draft = UserDraft(username: name, displayName: display, role: parsedRole ?? .store, active: active ?? true)
        switch parsedRole {
        case nil, .admin?:
            break
        case .manager?, .salesperson?:
            if let orgNodeID { draft.orgNodeID = orgNodeID } else { v.add(.required("orgNodeID")) }
        case .distributor?:
            if let distributorID { draft.distributorID = distributorID } else { v.add(.required("distributorID")) }
        case .store?:
            if let storeID { draft.storeID = storeID } else { v.add(.required("storeID")) }
        }
        try v.check()
        return draft
    }
}
