import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /`: key figures, stores by type and province, and the latest imports.
enum OverviewPage {
    /// How many provinces the province chart shows at most.
    static let maxProvinces = 12

    /// How long the figures of one scope are reused: counting a large brand's stores takes a while.
    static let figuresLifetime = Duration.seconds(30)

    /// The counts the overview shows.
    struct Figures: Sendable {
        var kpis: [(L10n.Key, Int, String, String)]
        var byType: [(type: StoreType, value: Int)]
        var byProvince: [Charts.Bar]
    }

    /// Figures per scope, kept for a short while.
    actor FiguresCache {
        private var entries: [AccessScope: (expires: ContinuousClock.Instant, figures: Figures)] = [:]

        func figures(for scope: AccessScope, compute: @Sendable () async throws -> Figures) async throws -> Figures {
            let now = ContinuousClock.now
            if let entry = entries[scope], entry.expires > now { return entry.figures }
            let figures = try await compute()
            if entries.count >= 1_000 { entries.removeAll() }
            entries[scope] = (now + OverviewPage.figuresLifetime, figures)
            return figures
        }
    }

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let cache = FiguresCache()
        router.get("/") { request, context in
            let page = try WebPage(request, context)
            let principal = page.principal
            let query = try DashboardQuery({ page.query[$0] }, today: BusinessDay.day(ofMillis: currentMillis()))
            async let recent = services.storage.imports.list(ListQuery(limit: 5), scope: principal.scope).items
            async let dashboard = services.dashboards.view(query, principal: principal)
            async let rank = principal.role == .salesperson ? StoreIntelligenceAPI.ranking(services.storage, principal: principal).first : nil
            let figures = try await cache.figures(for: principal.scope) { try await computeFigures(for: principal, services: services) }
            var view = try await dashboard
            if view.unit.kind == "brand", view.unit.name.isEmpty, principal.scope.reach == .wholeTenant {
                view.unit.name = page.t(.dashboardWholeBrand)
            }
            return render(
                page, figures: figures, recent: try await recent,
                dashboard: Dashboard(view: view, query: query, regions: services.regions, rank: try await rank))
        }
    }

    static func computeFigures(for principal: Principal, services: AppServices) async throws -> Figures {
        let storage = services.storage
        let scope = principal.scope
        let one = ListQuery(limit: 1)
        let showProvinces = principal.role == .admin || principal.role == .manager
        // Every store has exactly one type, so the total is the sum of the per-type counts.
        async let byType = storesByType(storage: storage, scope: scope)
        async let activeCount = storage.stores.list(one, filter: StoreFilter(status: .active), scope: scope).total
        async let distributors = storage.distributors.list(ListQuery(limit: showProvinces ? 500 : 1), status: nil, scope: scope)
        async let productCount = storage.products.list(one, category: nil, tenantID: principal.tenantID).total
        async let salespersonCount = storage.users.list(one, role: .salesperson, scope: scope).total
        let typeBars = try await byType
        let distributorPage = try await distributors
        let provinceBars = showProvinces ? try await storesByProvince(distributorPage.items, services: services, scope: scope) : []

        let kpis: [(L10n.Key, Int, String, String)] = [
            (.kpiStores, typeBars.reduce(0) { $0 + $1.value }, "/stores", ""),
            (.kpiActiveStores, try await activeCount, "/stores?status=active", "green"),
            (.kpiDistributors, distributorPage.total, "/distributors", "amber"),
            (.kpiProducts, try await productCount, "/products", "violet"),
            (.kpiSalespeople, try await salespersonCount, "/users?role=salesperson", "teal"),
        ]
        return Figures(kpis: kpis, byType: typeBars, byProvince: provinceBars)
    }

    /// The dashboard shown above the master data.
    struct Dashboard {
        var view: DashboardView
        var query: DashboardQuery
        var regions: RegionCatalog
        /// A salesperson's own line of the ranking.
        var rank: SalespersonFigures?
    }

    static func render(_ page: WebPage, figures: Figures, recent runs: [ImportRun], dashboard: Dashboard) -> Response {
        let t = page.t
        let showProvinces = page.principal.role == .admin || page.principal.role == .manager
        let (kpis, typeBars, provinceBars) = (figures.kpis, figures.byType, figures.byProvince)
        return Layout.render(page, title: t(.dashboardTitle), section: .overview, capacity: 48_000) { out in
            Layout.pageHeader(&out, title: t(.dashboardTitle), lead: t(.dashboardLead), actions: scopeBadge(page))
            if page.principal.role == .salesperson {
                out += #"<section class="card mine" id="salesperson-summary"><a class="button small" href="/m/tasks">"#
                out += t(.dashboardMyTasks)
                out += "</a>"
                if let rank = dashboard.rank {
                    out += #" <span class="badge info">"#
                    out += t(.dashboardMyRank)
                    out += t(.colon)
                    out += "\(rank.rank)</span>"
                }
                out += "</section>"
            }
            DashboardPage.render(&out, page: page, view: dashboard.view, query: dashboard.query, regions: dashboard.regions)
            out += #"<h2 class="section-title">"#
            out += t(.dashboardMasterData)
            out += #"</h2><p class="muted small">"#
            out += t(.overviewLead)
            out += "</p>"
            out += #"<section class="kpis">"#
            for (key, value, href, tone) in kpis {
                out += #"<a class="kpi \#(tone)" href="\#(href)"><div class="label">"#
                out += t(key)
                out += #"</div><div class="value">"#
                out += Format.number(value)
                out += "</div></a>"
            }
            out += "</section>"

            out += #"<div class="grid two"><section class="card"><h2>"#
            out += t(.storesByType)
            out += "</h2>"
            if typeBars.allSatisfy({ $0.value == 0 }) {
                out += #"<p class="muted">"#
                out += t(.noData)
                out += "</p>"
            } else {
                Charts.bars(
                    &out, typeBars.map { Charts.Bar(label: t.label($0.type), value: $0.value, href: "/stores?type=" + $0.type.rawValue) },
                    title: t(.storesByType))
            }
            out += "</section>"
            if showProvinces {
                out += #"<section class="card"><div class="card-head bare"><h2>"#
                out += t(.storesByProvince)
                out += #"</h2><span class="muted small">"#
                out += t(.storesByProvinceNote)
                out += "</span></div>"
                if provinceBars.isEmpty {
                    out += #"<p class="muted">"#
                    out += t(.noData)
                    out += "</p>"
                } else {
                    Charts.bars(&out, provinceBars, title: t(.storesByProvince))
                }
                out += "</section>"
            }
            out += "</div>"

            out += #"<section class="card flush spaced"><div class="card-head"><h2>"#
            out += t(.recentImports)
            out += #"</h2><a href="/imports">"#
            out += t(.viewAll)
            out += #"</a></div><div class="table-wrap">"#
            ImportsPage.historyTable(&out, runs: runs, t: t)
            out += "</div></section>"
        }
    }

    /// `数据范围：…` as a badge.
    static func scopeBadge(_ page: WebPage) -> Markup {
        let t = page.t
        let reach: L10n.Key =
            switch page.principal.scope.reach {
            case .wholeTenant: .reachWholeTenant
            case .orgSubtree: .reachSubtree
            case .distributor: .reachDistributor
            case .store: .reachStore
            }
        return #"<span class="badge info">\#(t(.dataScope))\#(t(.colon))\#(t(reach))</span>"#
    }

    /// Store counts per type, all types in their usual order.
    static func storesByType(storage: AppStorage, scope: AccessScope) async throws -> [(type: StoreType, value: Int)] {
        let counts = try await withThrowingTaskGroup(of: (StoreType, Int).self) { group in
            for type in StoreType.allCases {
                group.addTask { (type, try await storage.stores.list(ListQuery(limit: 1), filter: StoreFilter(type: type), scope: scope).total) }
            }
            var counts: [StoreType: Int] = [:]
            for try await (type, count) in group { counts[type] = count }
            return counts
        }
        return StoreType.allCases.map { ($0, counts[$0] ?? 0) }
    }

    /// Store counts for the provinces the distributors in reach sell into (the most named first), largest count first.
    static func storesByProvince(_ distributors: [Distributor], services: AppServices, scope: AccessScope) async throws -> [Charts.Bar] {
        var mentions: [String: Int] = [:]
        for distributor in distributors {
            for province in Set(distributor.territory.map { String($0.prefix(2)) + "0000000000" }) {
                mentions[province, default: 0] += 1
            }
        }
        let provinces = mentions.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(maxProvinces).map(\.key)
        let storage = services.storage
        let counts = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for code in provinces {
                group.addTask {
                    (code, try await storage.stores.list(ListQuery(limit: 1), filter: StoreFilter(regionCode: code), scope: scope).total)
                }
            }
            var counts: [(String, Int)] = []
            for try await pair in group where pair.1 > 0 { counts.append(pair) }
            return counts
        }
        return counts.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map { code, count in
            Charts.Bar(label: services.regions.region(code: code)?.name ?? code, value: count, href: "/stores?region=" + code)
        }
    }
}
