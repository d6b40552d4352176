import ArgumentParser
import Foundation
import FullChainServer
import Logging
import Metrics
import Prometheus

/// Options every server command shares.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(help: "An SQLite file path (default ./fullchain.sqlite) or a postgres:// URL.")
    var database = "fullchain.sqlite"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "The file holding the master key that seals code keys (created when missing; default: beside the SQLite file, or ./fullchain.master-key). FULLCHAIN_MASTER_KEY (base64) takes precedence; servers sharing a PostgreSQL need the same key.")
    var masterKeyFile: String?

    @Option(help: "The host printed in code URLs (default: host:port).")
    var scanHost: String?

    /// The configuration these options describe, with metrics bootstrapped once for the process.
    func configuration(logger: Logger) throws -> AppConfiguration {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let isPostgres = database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
        let db: AppConfiguration.Database = isPostgres ? .postgres(url: database) : .sqlite(path: database)
        let keyFile = masterKeyFile ?? (isPostgres ? "fullchain.master-key" : database + ".master-key")
        let (masterKey, created) = try MasterKey.load(environment: ProcessInfo.processInfo.environment, file: keyFile)
        if created { logger.notice("created a master key for code keys", metadata: ["file": .string(keyFile)]) }
        return AppConfiguration(host: host, port: port, database: db, logLevel: Logger.Level(rawValue: logLevel) ?? .info, metrics: registry,
                                masterKey: masterKey, scanHost: scanHost)
    }

    @Flag(help: "Write logs as JSON lines (for log collectors) instead of text.")
    var jsonLogs = false

    /// The process's logger; with --json-logs every line is a JSON object with its metadata.
    func logger() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        if jsonLogs {
            LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        }
        var logger = Logger(label: "fullchain")
        logger.logLevel = level
        return logger
    }
}
