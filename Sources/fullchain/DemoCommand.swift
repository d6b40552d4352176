import ArgumentParser
import Foundation
import FullChainApp
import FullChainCore
import FullChainFakes
import FullChainServer
import FullChainStorage
import Hummingbird
import Logging
import ServiceLifecycle

/// Creates (once) a database with the demo brand, then serves it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Load the demo brand (once) and run the server.")

    @OptionGroup var options: ServerOptions

    @Option(help: "Stores in the demo brand.")
    var stores = 5_000

    @Option(help: "Scale the simulated store history to about this many scanned units in the last 90 days (default: the simulation's own level).")
    var historyScans: Int?

    @Option(help: "Seed of the synthetic brand.")
    var seed: UInt64 = 20_260_301

    @Flag(help: "Load the data and exit without serving.")
    var loadOnly = false

    static let password = "fullchain-demo"

    func run() async throws {
        let logger = options.logger()
        var configuration = try options.configuration(logger: logger)
        // Consumers sign in through a local stand-in for WeChat on the next port: the demo calls nothing outside.
        let weChatPort = configuration.port + 1
        let weChatApp = WeChatApp(appID: DemoConsumers.appID, secret: RandomToken.alphanumeric(32))
        let fakeWeChat = FakeWeChatAuth(apps: [weChatApp])
        configuration.consumers.weChatAuthorizeBase = "http://127.0.0.1:\(weChatPort)"
        configuration.consumers.weChatAPIBase = "http://127.0.0.1:\(weChatPort)"
        configuration.consumers.publicBaseURL = "http://\(configuration.host):\(configuration.port)"
        // Phone sign-in texts its codes through a stand-in for Tencent Cloud SMS on the port after;
        // its inbox page shows what a phone would receive.
        let smsPort = configuration.port + 2
        let smsAccount = SMSAccount(
            secretID: "AKID" + RandomToken.alphanumeric(28), secretKey: RandomToken.alphanumeric(32), sdkAppID: DemoConsumers.smsAppID,
            signName: DemoConsumers.smsSignName, templateID: DemoConsumers.smsTemplateID)
        let fakeSMS = FakeSMSGateway(account: smsAccount)
        configuration.consumers.sms = SMSSettings(apiBase: "http://127.0.0.1:\(smsPort)", account: smsAccount)
        let opened = try openStorage(configuration, logger: logger)
        let services = AppServices(storage: opened.storage, configuration: configuration)
        let payouts = try configuration.payouts.makeProvider().map { PayoutService(services: services, provider: $0, logger: logger) }
        let weChatRouter = Router()
        fakeWeChat.register(on: weChatRouter)
        let weChat = Application(
            router: weChatRouter, configuration: .init(address: .hostname("127.0.0.1", port: weChatPort), serverName: "FakeWeChat"))
        let smsRouter = Router()
        fakeSMS.register(on: smsRouter)
        let sms = Application(router: smsRouter, configuration: .init(address: .hostname("127.0.0.1", port: smsPort), serverName: "FakeSMS"))
        let app = buildApplication(
            services: services, opened: opened, logger: logger,
            workers: (payouts.map { [$0] } ?? []) + [
                weChat, sms, RetentionJob(consumers: services.consumers, storage: opened.storage, logger: logger),
                ProfileRollupJob(consumers: services.consumers, storage: opened.storage, logger: logger),
                JourneyRunner(journeys: services.journeys, logger: logger),
                ProfileTouchWorker(touches: services.core.touches, consumers: services.consumers, journeys: services.journeys, logger: logger),
                DashboardRollupJob(dashboards: services.dashboards, logger: logger),
            ])
        let load: @Sendable () async throws -> Void = {
            if try await opened.storage.tenants.find(code: "demo") != nil {
                logger.info("demo brand already loaded")
            } else {
                let started = ContinuousClock.now
                let brand = DemoBrand.generate(seed: seed, storeCount: stores, referenceDate: Self.today())
                let tenant = try await DemoLoader.load(brand, into: opened.storage, passwordHash: services.passwords.hash(Self.password))
                let codes = try await DemoScans.load(tenantID: tenant.id, core: services.core, seed: seed, now: currentMillis())
                let history = try await DemoStoreHistory.load(
                    tenantID: tenant.id, core: services.core, seed: seed, now: currentMillis(), scans: historyScans)
                // The dashboard's rollup of every day loaded.
                try await services.dashboards.rebuildAll(tenantID: tenant.id, today: BusinessDay.day(ofMillis: currentMillis()))
                logger.info(
                    "demo store history loaded",
                    metadata: [
                        "stores": "\(history.stores)", "tasks": "\(history.tasksRaised)", "visits": "\(history.visits)",
                        "resolved": "\(history.resolved)", "converted": "\(history.converted)",
                    ])
                logger.info(
                    "demo brand loaded",
                    metadata: [
                        "tenant": "\(tenant.code)", "stores": "\(stores)", "batches": "\(codes.batches)",
                        "cases": "\(codes.casesShipped)", "scans": "\(codes.scans)", "duration": "\(ContinuousClock.now - started)",
                    ])
            }
        }
        let signIn: @Sendable () async throws -> Void = {
            guard let tenant = try await opened.storage.tenants.find(code: "demo") else { return }
            try await services.consumers.configureWeChat(
                appID: weChatApp.appID, secret: weChatApp.secret, tenantID: tenant.id, at: currentMillis())
        }
        if loadOnly {
            try await withOpenedStorage(opened) { try await load() }
            return
        }
        try await withOpenedStorage(opened) {
            try await load()
            try await signIn()
        }
        print(
            """

            FullChain demo is running: http://\(configuration.host):\(configuration.port)/
            Sign in with brand 'demo', user 'admin', password '\(Self.password)'
            (managers: mgr-r01 …, salespeople: sp-… , distributors: dist-d001 …; same password)
            Consumers' text messages (phone sign-in codes) arrive at http://127.0.0.1:\(smsPort)/inbox

            """)
        try await app.runService()
    }

    /// Today's date in Asia/Shanghai, `YYYY-MM-DD`.
    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year ?? 2026, parts.month ?? 1, parts.day ?? 1)
    }
}

/// Runs `body` with the storage's services (PostgreSQL's pool) running and the schema migrated.
func withOpenedStorage(_ opened: OpenedStorage, _ body: @escaping @Sendable () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for service in opened.services {
            group.addTask { try await service.run() }
        }
        try await opened.prepare()
        try await body()
        group.cancelAll()
    }
}
