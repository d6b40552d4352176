/// Things a caller may do beyond reading what their scope reaches.
public enum Permission: Sendable, CaseIterable {
    case manageProducts
    case manageOrg
    case manageUsers
    case createStores
    case editStores
    case manageDistributors
    case manageTokens
    /// Code keys, code batches and their print files: brand HQ only.
    case manageCodes
    /// The brand's ledger: checks and statements (HQ only).
    case auditLedger
    /// Scan campaigns, their prizes and budgets (HQ only).
    case manageCampaigns

    /// Whether a role holds this permission (within its scope; the data layer still checks the scope).
    public func isGranted(to role: Role) -> Bool {
        switch self {
        case .manageProducts, .manageCodes, .auditLedger, .manageCampaigns: role == .admin
        case .manageOrg, .manageUsers, .createStores, .manageDistributors: role == .admin || role == .manager
        case .editStores: role == .admin || role == .manager || role == .salesperson
        case .manageTokens: true
        }
    }
}
