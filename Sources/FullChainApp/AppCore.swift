public import FullChainCore
public import FullChainStorage

/// Hashes a new password off the cooperative pool (the server's bcrypt hasher).
public protocol PasswordHashing: Sendable {
    func computeHash(_ password: String) async throws -> String
}

/// What the application's services share: storage, reference data, the configuration, the code
/// keys, campaign draws, the scan path and password hashing. The server adds what only HTTP
/// needs (sign-in checks and throttles, rate limits); imports, exports and the demo need no more.
public struct AppCore: Sendable {
    public let storage: AppStorage
    public let regions: RegionCatalog
    public let configuration: AppConfiguration
    /// The tenants' code keys, in memory.
    public let codeKeys: CodeKeyRing
    /// Campaign draws on scans.
    public let campaigns: CampaignService
    /// The public scan path and its caches.
    public let scanning: ScanService
    /// Hashes passwords of imported users.
    public let passwords: any PasswordHashing
    /// Consumers' WeChat and SMS sign-in, sessions, claims and wallets.
    public let consumers: ConsumerService
    /// Segments of the consumers, counted from an index of bitmaps.
    public let segments: SegmentService
    public let lifecycle: LifecycleService
    /// Journeys, and the runner that moves consumers along them.
    public let journeys: JourneyService
    /// Consumers who just scanned, for their profiles to catch up within a second.
    public let touches: ProfileTouches
    /// Dashboards per unit of the sales org, and the rollup they read.
    public let dashboards: DashboardService
    /// The brands' time zones, for the times pages show.
    public let timeZones: BrandTimeZones

    public init(
        storage: AppStorage, regions: RegionCatalog = .shared, configuration: AppConfiguration, passwords: any PasswordHashing,
        weChat: any WeChatAuthProvider, sms: (any SMSProvider)? = nil, notices: (any WeChatNoticeProvider)? = nil
    ) {
        self.storage = storage
        self.regions = regions
        self.configuration = configuration
        self.passwords = passwords
        codeKeys = CodeKeyRing(storage: storage, masterKey: configuration.masterKey)
        let segments = SegmentService(storage: storage)
        self.segments = segments
        campaigns = CampaignService(
            storage: storage, configuration: configuration, audience: CampaignAudience(storage: storage, segments: segments))
        consumers = ConsumerService(storage: storage, configuration: configuration, provider: weChat, sms: sms, notices: notices)
        lifecycle = LifecycleService(storage: storage)
        journeys = JourneyService(storage: storage, consumers: consumers, segments: segments)
        let touches = ProfileTouches()
        self.touches = touches
        dashboards = DashboardService(storage: storage)
        timeZones = BrandTimeZones(storage: storage)
        scanning = ScanService(
            storage: storage, keys: codeKeys, regions: regions, rules: configuration.alertRules, campaigns: campaigns, touches: touches)
    }
}
