/// What a user is in the brand's organisation; decides what they may see and change.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Brand headquarters: the whole tenant.
    case admin
    /// A sales manager (大区经理, 地区主管, 城市经理): their org subtree.
    case manager
    /// A salesperson (业代): the stores of their own territory.
    case salesperson
    /// A distributor's staff (经销商): that distributor and the stores it supplies.
    case distributor
    /// A store's staff (终端): that store only.
    case store
}
