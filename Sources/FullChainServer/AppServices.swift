public import FullChainApp
public import FullChainCore
public import FullChainStorage
import Logging

/// What handlers share: storage, reference data, password hashing, code keys and limits.
public struct AppServices: Sendable {
    public let storage: AppStorage
    public let regions: RegionCatalog
    public let passwords: PasswordHasher
    public let configuration: AppConfiguration
    /// The tenants' code keys, in memory.
    public let codeKeys: CodeKeyRing
    /// The public scan path and its caches.
    public let scanning: ScanService
    /// Campaign draws on scans.
    public let campaigns: CampaignService
    /// Failed sign-ins, for lockout.
    let signIns = SignInThrottle()
    /// Rate limits on the public endpoints.
    public let limits: PublicLimits

    public init(storage: AppStorage, regions: RegionCatalog = .shared, configuration: AppConfiguration) {
        self.storage = storage
        self.regions = regions
        self.passwords = PasswordHasher(cost: configuration.bcryptCost)
        self.configuration = configuration
        self.codeKeys = CodeKeyRing(storage: storage, masterKey: configuration.masterKey)
        self.campaigns = CampaignService(storage: storage, configuration: configuration)
        self.limits = PublicLimits(configuration.rateLimits)
        self.scanning = ScanService(storage: storage, keys: codeKeys, regions: regions, rules: configuration.alertRules, campaigns: campaigns)
    }
}
