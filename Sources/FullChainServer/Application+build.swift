public import FullChainApp
import FullChainStorage
import HTTPTypes
public import Hummingbird
public import Logging
import NIOCore
import Prometheus
public import ServiceLifecycle

/// Builds the whole server from configuration: storage, migrations, routes and services.
public func buildApplication(_ configuration: AppConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    let opened = try openStorage(configuration, logger: logger)
    let services = AppServices(storage: opened.storage, configuration: configuration)
    let payouts = try configuration.payouts.makeProvider().map { PayoutService(services: services, provider: $0, logger: logger) }
    let storeJob = StoreIntelligenceJob(storage: opened.storage, logger: logger)
    let retention = RetentionJob(consumers: services.consumers, storage: opened.storage, logger: logger)
    let profiles = ProfileRollupJob(consumers: services.consumers, storage: opened.storage, logger: logger)
    let journeys = JourneyRunner(journeys: services.journeys, logger: logger)
    let touches = ProfileTouchWorker(touches: services.core.touches, consumers: services.consumers, journeys: services.journeys, logger: logger)
    let dashboards = DashboardRollupJob(dashboards: services.dashboards, logger: logger)
    return buildApplication(
        services: services, opened: opened, logger: logger,
        workers: (payouts.map { [$0] } ?? []) + [storeJob, retention, profiles, journeys, touches, dashboards])
}

/// Builds the server around already opened storage (tests use this to seed data first).
public func buildApplication(services: AppServices, opened: OpenedStorage, logger: Logger, workers: [any Service] = []) -> some ApplicationProtocol {
    let router = buildRouter(services)
    let prepared = StartGate()
    var app = Application(
        router: router,
        // Idle connections close, and so do clients that send a request's body too slowly.
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [RequestReadDeadline(base: TimeAmount(services.configuration.idleTimeout))],
                idleTimeout: TimeAmount(services.configuration.idleTimeout))),
        configuration: .init(address: .hostname(services.configuration.host, port: services.configuration.port), serverName: "FullChain"),
        services: opened.services
            + (workers + [IdempotencyPurger(storage: services.storage.idempotency, logger: logger)]).map { prepared.guarding($0) },
        logger: logger
    )
    app.beforeServerStarts {
        try await opened.prepare()
        prepared.open()
    }
    return app
}

/// Every route: system, API (from the endpoint list) and web pages.
public func buildRouter(_ services: AppServices) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: StrictTransportSecurityMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestMetricsMiddleware(registry: services.configuration.metrics))
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: QueryCheckMiddleware())
    router.add(middleware: PublicLimitsMiddleware(services: services))

    // Health and metrics answer without touching storage: the baseline for benchmarks.
    router.get("/healthz") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
    let registry = services.configuration.metrics
    router.get("/metrics") { _, _ in
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    let endpoints = apiEndpoints(services)
    let openAPI = OpenAPIDocument.json(endpoints: endpoints)
    router.get("/api/v1/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
    }
    let authenticated = router.group().add(middleware: AuthMiddleware(services: services))
    let idempotency = Idempotency(storage: services.storage.idempotency, configuration: services.configuration)
    for endpoint in endpoints {
        authenticated.on(RouterPath(endpoint.routerPath), method: endpoint.method, use: idempotency.wrap(endpoint))
    }
    WebRoutes.register(on: authenticated, services: services)
    return router
}

/// The API, in the order the OpenAPI document lists it.
public func apiEndpoints(_ services: AppServices) -> [APIEndpoint] {
    AuthAPI.endpoints(services) + OrgAPI.endpoints(services) + MasterDataAPI.endpoints(services) + ImportAPI.endpoints(services)
        + CodesAPI.endpoints(services) + QRCodesAPI.endpoints(services) + LogisticsAPI.endpoints(services) + ScansAPI.endpoints(services)
        + AlertsAPI.endpoints(services) + EPCISAPI.endpoints(services) + CampaignsAPI.endpoints(services)
        + LedgerAPI.endpoints(services) + PayoutsAPI.endpoints(services)
        + SettlementsAPI.endpoints(services) + RiskAPI.endpoints(services) + VouchersAPI.endpoints(services)
        + MallAPI.endpoints(services) + ConsumerProfilesAPI.endpoints(services) + ConsumerTagsAPI.endpoints(services)
        + SegmentsAPI.endpoints(services)
        + LifecycleAPI.endpoints(services)
        + ReferralsAPI.endpoints(services)
        + JourneysAPI.endpoints(services)
        + StoreNoticesAPI.endpoints(services)
        + DashboardAPI.endpoints(services)
        + ConsumersAPI.endpoints(services)
        + StoreIntelligenceAPI.endpoints(services)
}
