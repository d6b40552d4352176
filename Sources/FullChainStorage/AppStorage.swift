import Logging

/// Every repository over one database: what the server and the CLI hold.
public struct AppStorage: Sendable {
    public let database: any SQLDatabase
    public let tenants: any TenantRepository
    public let org: any OrgRepository
    public let users: any UserRepository
    public let tokens: any AuthTokenRepository
    public let distributors: any DistributorRepository
    public let stores: any StoreRepository
    public let products: any ProductRepository
    public let imports: any ImportRunRepository
    public let codes: any CodeRepository
    public let logistics: any LogisticsRepository
    public let scans: any ScanRepository
    public let alerts: any AlertRepository
    public let channel: any ChannelFactsRepository
    public let events: any EventLogRepository
    public let idempotency: any IdempotencyRepository
    public let ledger: any LedgerRepository
    public let campaigns: any CampaignRepository
    public let rewards: any RewardRepository
    public let payouts: any PayoutRepository
    public let settlements: any SettlementRepository
    public let risk: any RiskRepository
    public let vouchers: any VoucherRepository
    /// Consumers' sign-in apps, prizes claimed on sign-in, and wallets.
    public let consumers: any ConsumerRepository
    /// The points mall: items, coupons taken with points, their redemption at stores.
    public let mall: any MallRepository
    /// One profile per consumer: identities, merges, rolled-up figures, the brand's list.
    public let profiles: any ConsumerProfileRepository
    /// Tags on the profiles: by rule (kept current) or by hand.
    public let tags: any ConsumerTagRepository
    /// Segments of the profiles, and the reads that keep their index current.
    public let segments: any SegmentRepository
    public let lifecycle: any LifecycleRepository
    public let referrals: any ReferralRepository
    public let journeys: any JourneyRepository
    /// Notices journeys leave for stores.
    public let storeNotices: any StoreNoticeRepository
    /// The store job's rules, its reads and writes, the alerts it raises as tasks, salespeople's
    /// visits, and the store page's and ranking's figures.
    public let storeRules: any StoreRulesRepository
    public let storeJob: any StoreJobRepository
    public let storeTasks: any StoreTaskRepository
    public let visits: any VisitRepository
    public let storeFigures: any StoreFiguresRepository
    public let deployment: any DeploymentRepository
    /// The dashboard's per-org-node day rollup and its reads.
    public let dashboard: any DashboardRepository

    public init(database: any SQLDatabase) {
        self.database = database
        tenants = SQLTenantRepository(db: database)
        org = SQLOrgRepository(db: database)
        users = SQLUserRepository(db: database)
        tokens = SQLAuthTokenRepository(db: database)
        let storeTotals = ListTotals()
        distributors = SQLDistributorRepository(db: database, storeTotals: storeTotals)
        stores = SQLStoreRepository(db: database, totals: storeTotals)
        products = SQLProductRepository(db: database)
        imports = SQLImportRunRepository(db: database)
        codes = SQLCodeRepository(db: database)
        logistics = SQLLogisticsRepository(db: database)
        let entryIDs = IDBlocks(db: database, sequence: "ledger_entries")
        scans = SQLScanRepository(db: database, entryIDs: entryIDs)
        alerts = SQLAlertRepository(db: database)
        channel = SQLChannelFactsRepository(db: database)
        events = SQLEventLogRepository(db: database)
        idempotency = SQLIdempotencyRepository(db: database)
        ledger = SQLLedgerRepository(db: database)
        campaigns = SQLCampaignRepository(db: database)
        rewards = SQLRewardRepository(db: database, entryIDs: entryIDs)
        payouts = SQLPayoutRepository(db: database)
        settlements = SQLSettlementRepository(db: database)
        risk = SQLRiskRepository(db: database)
        vouchers = SQLVoucherRepository(db: database)
        consumers = SQLConsumerRepository(db: database)
        mall = SQLMallRepository(db: database)
        profiles = SQLConsumerProfileRepository(db: database)
        tags = SQLConsumerTagRepository(db: database)
        segments = SQLSegmentRepository(db: database)
        lifecycle = SQLLifecycleRepository(db: database)
        referrals = SQLReferralRepository(db: database)
        journeys = SQLJourneyRepository(db: database)
        storeNotices = SQLStoreNoticeRepository(db: database)
        storeRules = SQLStoreRulesRepository(db: database)
        let storeJob = SQLStoreJobRepository(db: database), storeTasks = SQLStoreTaskRepository(db: database),
            visits = SQLVisitRepository(db: database)
        self.storeJob = storeJob
        self.storeTasks = storeTasks
        self.visits = visits
        storeFigures = SQLStoreFiguresRepository(db: database, job: storeJob, tasks: storeTasks, visits: visits)
        deployment = SQLDeploymentRepository(db: database)
        dashboard = SQLDashboardRepository(db: database)
    }

    /// Refreshes the planner's statistics after a bulk load, so lists pick the right index
    /// (SQLite keeps none until asked; PostgreSQL's autovacuum would catch up later).
    public func refreshStatistics() async throws(StorageError) {
        try await database.execute("ANALYZE")
    }
}

/// How the scan path commits on a database.
public struct ScanWriteStrategy: Sendable, Equatable {
    /// A draw settles in its scan's transaction (one commit a batch), or in a group commit of its
    /// own right after the scans'.
    public var drawsSettleWithScans: Bool
    /// Group commits of scans that write at once.
    public var scanWriters: Int
}

extension AppStorage {
    /// On SQLite, with its one writer, a draw settles in its scan's transaction, and two group
    /// commits overlap (one prepares while the other writes). On PostgreSQL, where the servers'
    /// transactions meet on the budget and rollup rows, scans and draws commit in two group
    /// commits of their own, one after the other: each holds those rows briefly while the other
    /// works on the next batch.
    public var scanWrites: ScanWriteStrategy {
        switch database.dialect {
        case .sqlite: ScanWriteStrategy(drawsSettleWithScans: true, scanWriters: 2)
        case .postgres: ScanWriteStrategy(drawsSettleWithScans: false, scanWriters: 1)
        }
    }
}
