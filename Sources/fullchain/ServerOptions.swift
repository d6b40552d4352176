import ArgumentParser
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

    /// The configuration these options describe, with metrics bootstrapped once for the process.
    func configuration() -> AppConfiguration {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let db: AppConfiguration.Database = database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
            ? .postgres(url: database) : .sqlite(path: database)
        return AppConfiguration(host: host, port: port, database: db, logLevel: Logger.Level(rawValue: logLevel) ?? .info, metrics: registry)
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
