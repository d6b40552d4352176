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
    /// Largest JSON body accepted.
    public var maxJSONBytes: Int
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
        drawSeed: UInt64? = nil
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
    }
}
