/// The slice of one tenant's data a caller may reach. Every repository read and write
/// takes one, and turns it into a predicate in the query itself.
public struct AccessScope: Sendable, Hashable {
    public enum Reach: Sendable, Hashable {
        /// Everything in the tenant (HQ).
        case wholeTenant
        /// An org node and everything below it, by materialised path (e.g. `/1/5/`).
        case orgSubtree(path: String)
        /// One distributor and the stores it supplies.
        case distributor(id: Int64)
        /// One store.
        case store(id: Int64)
    }

    public var tenantID: Int64
    public var reach: Reach

    public init(tenantID: Int64, reach: Reach) {
        self.tenantID = tenantID
        self.reach = reach
    }

    public static func wholeTenant(_ tenantID: Int64) -> AccessScope {
        AccessScope(tenantID: tenantID, reach: .wholeTenant)
    }

    /// True when the reach covers the org node with the given path.
    public func covers(orgPath: String) -> Bool {
        switch reach {
        case .wholeTenant: true
        case .orgSubtree(let prefix): orgPath.hasPrefix(prefix)
        case .distributor, .store: false
        }
    }
}

/// The signed-in caller: who they are and what they may reach.
public struct Principal: Sendable, Hashable {
    public var tenantID: Int64
    public var userID: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    public var scope: AccessScope

    public init(tenantID: Int64, userID: Int64, username: String, displayName: String, role: Role, scope: AccessScope) {
        self.tenantID = tenantID
        self.userID = userID
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scope = scope
    }
}
