import Hummingbird

/// The server-rendered web pages. Every page but sign-in reads through the repositories with
/// the signed-in person's scope, so each person sees exactly their reach.
enum WebRoutes {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        WebAssets.register(on: router)
        LoginPage.register(on: router, services: services)
        OverviewPage.register(on: router, services: services)
        OrgPage.register(on: router, services: services)
        UsersPage.register(on: router, services: services)
        DistributorsPage.register(on: router, services: services)
        StoresPage.register(on: router, services: services)
        StoreAlertsPage.register(on: router, services: services)
        RankingsPage.register(on: router, services: services)
        MobileTasksPage.register(on: router, services: services)
        StoreDeskPages.register(on: router, services: services)
        SupplyPage.register(on: router, services: services)
        ProductsPage.register(on: router, services: services)
        CodesPage.register(on: router, services: services)
        AlertsPage.register(on: router, services: services)
        PayoutReviewPage.register(on: router, services: services)
        CampaignsPage.register(on: router, services: services)
        CampaignEditorPage.register(on: router, services: services)
        CampaignDetailPage.register(on: router, services: services)
        SettlementsPage.register(on: router, services: services)
        ImportsPage.register(on: router, services: services)
        ScanPage.register(on: router, services: services)
        ConsumerPages.register(on: router, services: services)
        CouponRedeemPage.register(on: router, services: services)
        MallPage.register(on: router, services: services)
        ConsumersPage.register(on: router, services: services)
        ConsumerTagsPage.register(on: router, services: services)
        SegmentsPage.register(on: router, services: services)
        LifecyclePage.register(on: router, services: services)
        KOCsPage.register(on: router, services: services)
        JourneysPage.register(on: router, services: services)
        StoreNoticesPage.register(on: router, services: services)
    }
}
