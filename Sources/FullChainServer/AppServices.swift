public import FullChainApp
public import FullChainCore
public import FullChainStorage
import Logging

/// What handlers share: the application's core (storage, reference data, code keys, the scan
/// path, campaign draws), the password hasher, and the HTTP-only throttles and limits.
public struct AppServices: Sendable {
    public let core: AppCore
    public let passwords: PasswordHasher
    /// Failed sign-ins, for lockout.
    let signIns = SignInThrottle()
    /// Rate limits on the public endpoints.
    public let limits: PublicLimits

    public var storage: AppStorage { core.storage }
    public var regions: RegionCatalog { core.regions }
    public var configuration: AppConfiguration { core.configuration }
    public var codeKeys: CodeKeyRing { core.codeKeys }
    public var scanning: ScanService { core.scanning }
    public var campaigns: CampaignService { core.campaigns }
    public var consumers: ConsumerService { core.consumers }
    public var segments: SegmentService { core.segments }
    public var journeys: JourneyService { core.journeys }
    public var dashboards: DashboardService { core.dashboards }
    public var timeZones: BrandTimeZones { core.timeZones }

    public init(storage: AppStorage, regions: RegionCatalog = .shared, configuration: AppConfiguration) {
        let passwords = PasswordHasher(cost: configuration.bcryptCost)
        self.passwords = passwords
        core = AppCore(
            storage: storage, regions: regions, configuration: configuration, passwords: passwords,
            weChat: WeChatOAuthClient(settings: configuration.consumers), sms: configuration.consumers.sms.map { TencentSMSClient(settings: $0) },
            notices: WeChatNoticeClient(settings: configuration.consumers))
        limits = PublicLimits(configuration.rateLimits)
    }
}

extension PasswordHasher: PasswordHashing {}
