import ArgumentParser
import Foundation
import FullChainApp
import FullChainCore
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

    @Option(
        help:
            "The file holding the master key that seals code keys (created when missing; default: beside the SQLite file, or ./fullchain.master-key). FULLCHAIN_MASTER_KEY (base64) takes precedence; servers sharing a PostgreSQL need the same key."
    )
    var masterKeyFile: String?

    @Option(help: "The host printed in code URLs (default: host:port).")
    var scanHost: String?

    @Option(
        help:
            "Where cash prizes are paid out: none (they wait in the outbox), wechat (red packets; merchants in FULLCHAIN_WECHAT_MERCHANTS as mchid:appid:apikey[:send name] separated by ;), or settlement-file (one CSV per day in --payout-directory)."
    )
    var payoutProvider = "none"

    @Option(help: "The directory of the settlement files.")
    var payoutDirectory = "payouts"

    @Option(help: "WeChat Pay's API address.")
    var wechatPayURL = "https://api.mch.weixin.qq.com"

    @Option(help: "The merchant's API client certificate and private key (PEM) for WeChat Pay.")
    var wechatCertificate: String?
    @Option(help: "The private key of --wechat-certificate (PEM).")
    var wechatPrivateKey: String?

    @Option(help: "Payouts per second per merchant account (WeChat allows about 30).")
    var payoutsPerSecond = 30

    @Option(
        help:
            "A proxy (load balancer) in front of the server, as an address or CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32); repeatable. Only from these is X-Forwarded-For believed; otherwise the client's address is the connection's."
    )
    var trustedProxy: [String] = []

    @Option(
        help:
            "Rate limits on the public endpoints (consumer scans, scan pages, GS1 links, nearby stores, QR images): on, or off for load tests from one machine."
    )
    var rateLimit = "on"

    @Option(help: "Consumer scans a device may send a minute (bursts of half as many at once).")
    var deviceScansPerMinute = 60

    @Option(
        help:
            "Requests a client address may send a minute to each public endpoint group: scans, pages, QR images (many consumers share a carrier address)."
    )
    var ipRequestsPerMinute = 600

    @Option(help: "Seconds a connection may stay silent, or take to send a request's head, before it is closed.")
    var idleTimeout = 30

    @Option(help: "Hours a sign-in (web session or API login token) lasts.")
    var sessionHours = 12

    @Option(help: "Days a personal API token lasts.")
    var apiTokenDays = 30

    @Option(help: "WeChat's authorisation page for consumers' sign-in.")
    var wechatAuthorizeURL = "https://open.weixin.qq.com"

    @Option(name: .customLong("wechat-api-url"), help: "WeChat's API for consumers' sign-in (the code exchange).")
    var wechatAPIURL = "https://api.weixin.qq.com"

    @Option(help: "This server's address as phones reach it, where WeChat sends consumers back (default: https:// and the scan host).")
    var publicURL: String?

    @Option(help: "Hours a cash prize won on a phone before sign-in stays claimable by who signs in there.")
    var claimWindowHours = 72

    @Option(
        name: .customLong("sms-app-id"),
        help:
            "The Tencent Cloud SMS application (SmsSdkAppId) for consumers' phone sign-in; its API key pair in FULLCHAIN_SMS_SECRET as SecretId:SecretKey. Without it consumers sign in with WeChat only."
    )
    var smsAppID: String?

    @Option(name: .customLong("sms-api-url"), help: "Tencent Cloud SMS's API address.")
    var smsAPIURL = "https://sms.tencentcloudapi.com"

    @Option(help: "The approved SMS signature (SignName), usually the brand's name.")
    var smsSignName = "FullChain"

    @Option(help: "The approved SMS template whose one parameter is the sign-in code.")
    var smsTemplateID = ""

    /// The configuration these options describe, with metrics bootstrapped once for the process.
    func configuration(logger: Logger) throws -> AppConfiguration {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let isPostgres = database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
        let db: AppConfiguration.Database = isPostgres ? .postgres(url: database) : .sqlite(path: database)
        let keyFile = masterKeyFile ?? (isPostgres ? "fullchain.master-key" : database + ".master-key")
        let (masterKey, created) = try MasterKey.load(environment: ProcessInfo.processInfo.environment, file: keyFile)
        if created { logger.notice("created a master key for code keys", metadata: ["file": .string(keyFile)]) }
        var configuration = AppConfiguration(
            host: host, port: port, database: db, logLevel: Logger.Level(rawValue: logLevel) ?? .info, metrics: registry,
            masterKey: masterKey, scanHost: scanHost, payouts: try payoutSettings())
        try applyLimits(to: &configuration)
        return configuration
    }

    /// The rate limits, trusted proxies, idle timeout and token lifetimes these options set.
    func applyLimits(to configuration: inout AppConfiguration) throws {
        var proxies: [IPNetwork] = []
        for text in trustedProxy {
            guard let network = IPNetwork(text) else { throw ValidationError("--trusted-proxy \(text) is not an IPv4 or IPv6 address or CIDR block") }
            proxies.append(network)
        }
        configuration.trustedProxies = TrustedProxies(proxies)
        guard rateLimit == "on" || rateLimit == "off" else { throw ValidationError("--rate-limit is on or off") }
        guard (1...RateLimit.maximum).contains(deviceScansPerMinute), (1...RateLimit.maximum).contains(ipRequestsPerMinute) else {
            throw ValidationError("--device-scans-per-minute and --ip-requests-per-minute must be 1…\(RateLimit.maximum)")
        }
        let perIP = RateLimit(perMinute: ipRequestsPerMinute)
        configuration.rateLimits = PublicRateLimits(
            enabled: rateLimit == "on", scansPerDevice: RateLimit(perMinute: deviceScansPerMinute),
            scansPerIP: perIP, pagesPerIP: perIP, qrImagesPerIP: perIP)
        guard (1...86_400).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1…86400 seconds") }
        configuration.idleTimeout = .seconds(idleTimeout)
        guard (1...24 * 90).contains(sessionHours) else { throw ValidationError("--session-hours must be 1…2160") }
        guard (1...3_650).contains(apiTokenDays) else { throw ValidationError("--api-token-days must be 1…3650") }
        configuration.sessionSeconds = Int64(sessionHours) * 3_600
        configuration.apiTokenSeconds = Int64(apiTokenDays) * 86_400
        for (name, url) in [
            ("--wechat-authorize-url", wechatAuthorizeURL), ("--wechat-api-url", wechatAPIURL), ("--public-url", publicURL ?? "https://x"),
        ]
        where !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.hasSuffix("/") {
            throw ValidationError("\(name) is an http(s) address without a trailing slash")
        }
        guard (1...24 * 90).contains(claimWindowHours) else { throw ValidationError("--claim-window-hours must be 1…2160") }
        configuration.consumers.weChatAuthorizeBase = wechatAuthorizeURL
        configuration.consumers.weChatAPIBase = wechatAPIURL
        configuration.consumers.publicBaseURL = publicURL
        configuration.consumers.claimWindowSeconds = Int64(claimWindowHours) * 3_600
        configuration.consumers.sms = try smsSettings(environment: ProcessInfo.processInfo.environment)
    }

    /// The SMS gateway for phone sign-in, when `--sms-app-id` names one.
    func smsSettings(environment: [String: String]) throws -> SMSSettings? {
        guard let smsAppID else { return nil }
        guard (smsAPIURL.hasPrefix("https://") || smsAPIURL.hasPrefix("http://")) && !smsAPIURL.hasSuffix("/") else {
            throw ValidationError("--sms-api-url is an http(s) address without a trailing slash")
        }
        let pair = (environment["FULLCHAIN_SMS_SECRET"] ?? "").split(separator: ":", maxSplits: 1).map(String.init)
        guard pair.count == 2, WeChatWebAuth.isToken(pair[0], maxLength: 64), WeChatWebAuth.isToken(pair[1], maxLength: 64) else {
            throw ValidationError("--sms-app-id needs FULLCHAIN_SMS_SECRET (SecretId:SecretKey)")
        }
        guard WeChatWebAuth.isToken(smsAppID, maxLength: 32), WeChatWebAuth.isToken(smsTemplateID, maxLength: 32),
            !smsSignName.isEmpty, smsSignName.count <= 32
        else { throw ValidationError("--sms-app-id and --sms-template-id are letters and digits; --sms-sign-name 1…32 characters") }
        return SMSSettings(
            apiBase: smsAPIURL,
            account: SMSAccount(secretID: pair[0], secretKey: pair[1], sdkAppID: smsAppID, signName: smsSignName, templateID: smsTemplateID))
    }

    /// The payout provider and limits these options choose.
    func payoutSettings() throws -> PayoutSettings {
        var limits = PayoutLimits()
        guard payoutsPerSecond > 0 else { throw ValidationError("--payouts-per-second must be positive") }
        limits.perSecondPerMerchant = payoutsPerSecond
        switch payoutProvider {
        case "none":
            return PayoutSettings(provider: .none, limits: limits)
        case "settlement-file":
            return PayoutSettings(provider: .settlementFile(directory: payoutDirectory), limits: limits)
        case "wechat":
            guard let text = ProcessInfo.processInfo.environment["FULLCHAIN_WECHAT_MERCHANTS"],
                let merchants = WeChatRedPacketProvider.Settings.merchants(from: text)
            else {
                throw ValidationError("--payout-provider wechat needs FULLCHAIN_WECHAT_MERCHANTS (mchid:appid:apikey[:send name], separated by ;)")
            }
            return PayoutSettings(
                provider: .weChat(
                    .init(
                        baseURL: wechatPayURL, merchants: merchants, certificateFile: wechatCertificate,
                        privateKeyFile: wechatPrivateKey)), limits: limits)
        default:
            throw ValidationError("--payout-provider is none, wechat or settlement-file")
        }
    }

    @Flag(help: "Write logs as JSON lines (for log collectors) instead of text.")
    var jsonLogs = false

    /// The process's logger; with --json-logs every line is a JSON object with its metadata.
    func logger() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        if jsonLogs {
            LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        } else {
            LoggingSystem.bootstrap { TextLogHandler(label: $0, level: level) }
        }
        var logger = Logger(label: "fullchain")
        logger.logLevel = level
        return logger
    }
}
