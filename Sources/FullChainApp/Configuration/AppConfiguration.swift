public import FullChainCore
public import Logging
public import Prometheus

/// Everything the server needs to start, from the command line or a test.
public struct AppConfiguration: Sendable {
    /// Where the data lives.
    public enum Database: Sendable, Equatable {
        /// An SQLite file (created when missing).
        case sqlite(path: String)
        /// A `postgres://` URL; several servers may share one database.
        case postgres(url: String)
    }

    public var host: String
    public var port: Int
    public var database: Database
    public var logLevel: Logger.Level
    /// How long a web session lasts.
    public var sessionSeconds: Int64
    /// How long a personal API token lasts (30 days unless set).
    public var apiTokenSeconds: Int64 = 30 * 86_400
    /// How many idempotency keys one public caller (a client address) may hold; its oldest give way.
    public var publicIdempotencyKeys: Int = 1_000
    /// Largest JSON body accepted.
    public var maxJSONBytes: Int
    /// The largest shelf photo a visit may carry.
    public var maxPhotoBytes: Int = 2 << 20
    /// Largest import file accepted.
    public var maxImportBytes: Int
    /// bcrypt cost for new passwords.
    public var bcryptCost: UInt8
    /// Where `/metrics` reads from; bootstrap `MetricsSystem` with the same registry once per process.
    public var metrics: PrometheusCollectorRegistry
    /// Seals the tenants' code keys; without it no code batch can be made.
    public var masterKey: MasterKey?
    /// The host printed in every code's URL (where consumers' phones land), e.g. `fc.example.cn`.
    public var scanHost: String
    /// Thresholds for diversion and counterfeit alerts.
    public var alertRules: AlertRules
    /// How many ledger accounts each campaign budget is split into, so concurrent winners on
    /// many servers do not all wait for one row.
    public var budgetShards: Int
    /// Seeds the campaign draws for reproducible tests and demos; nil (the default) draws from
    /// the system's cryptographically secure source.
    public var drawSeed: UInt64?
    /// Where cash prizes are paid out, and the provider's limits.
    public var payouts: PayoutSettings
    /// When a scan's cash prize is held for review.
    public var riskRules: RiskRules
    /// Limits on the public endpoints, counted per server.
    public var rateLimits = PublicRateLimits()
    /// The proxies whose `X-Forwarded-For` is believed; none by default (the socket's peer is the client).
    public var trustedProxies = TrustedProxies()
    /// A connection that sends nothing (or not a whole request head) this long is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// Consumers' sign-in on the scan pages: where WeChat answers, how long sessions and claims last.
    public var consumers = ConsumerSettings()

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        database: Database = .sqlite(path: "fullchain.sqlite"),
        logLevel: Logger.Level = .info,
        sessionSeconds: Int64 = 12 * 3600,
        maxJSONBytes: Int = 1 << 20,
        maxImportBytes: Int = 64 << 20,
        bcryptCost: UInt8 = 10,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        masterKey: MasterKey? = nil,
        scanHost: String? = nil,
        alertRules: AlertRules = AlertRules(),
        budgetShards: Int = 8,
        drawSeed: UInt64? = nil,
        payouts: PayoutSettings = PayoutSettings(),
        riskRules: RiskRules = RiskRules()
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.logLevel = logLevel
        self.sessionSeconds = sessionSeconds
        self.maxJSONBytes = maxJSONBytes
        self.maxImportBytes = maxImportBytes
        self.bcryptCost = bcryptCost
        self.metrics = metrics
        self.masterKey = masterKey
        self.scanHost = scanHost ?? "\(host):\(port)"
        self.alertRules = alertRules
        self.budgetShards = budgetShards
        self.drawSeed = drawSeed
        self.payouts = payouts
        self.riskRules = riskRules
    }
}

/// Where cash prizes are paid out.
public struct PayoutSettings: Sendable {
    public enum Provider: Sendable {
        /// No provider: cash prizes wait in the outbox (and in the consumers' wallets).
        case none
        /// WeChat Pay red packets, from one or more merchant accounts.
        case weChat(WeChatPaySettings)
        /// One CSV file per business day in a directory, for brands that pay by other means.
        case settlementFile(directory: String)
    }

    public var provider: Provider
    public var limits: PayoutLimits

    public init(provider: Provider = .none, limits: PayoutLimits = PayoutLimits()) {
        self.provider = provider
        self.limits = limits
    }

}
