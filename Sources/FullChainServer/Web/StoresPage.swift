import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /stores` (filters and pages; one list query and one count) and `GET /stores/{id}`.
enum StoresPage {
    static let perPage = 50

    /// The filters of the store list, read leniently: a value that names nothing is ignored.
    struct Filters {
        var search: String?
        var province: String?
        var type: StoreType?
        var status: MasterDataStatus?
        var distributorID: Int64?
        var salespersonNodeID: Int64?

        init(_ query: FormFields, regions: RegionCatalog) {
            search = query["q"]
            province = query["region"].flatMap { regions.region(code: $0)?.code }
            type = query["type"].flatMap(StoreType.init(rawValue:))
            status = query["status"].flatMap(MasterDataStatus.init(rawValue:))
            distributorID = query.int("distributorId")
            salespersonNodeID = query.int("salespersonNodeId")
        }

        var storeFilter: StoreFilter {
            StoreFilter(regionCode: province, distributorID: distributorID, salespersonNodeID: salespersonNodeID, type: type, status: status)
        }

        var queryString: QueryString {
            QueryString([
                ("q", search), ("region", province), ("type", type?.rawValue), ("status", status?.rawValue),
                ("distributorId", distributorID.map(String.init)), ("salespersonNodeId", salespersonNodeID.map(String.init)),
            ])
        }
    }

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let regions = services.regions
        let provinces = regions.children(of: nil).sorted { $0.code < $1.code }

        router.get("/stores") { request, context in
            let page = try WebPage(request, context)
            let filters = Filters(page.query, regions: regions)
            let number = page.pageNumber
            let result = try await services.storage.stores.list(
                ListQuery(limit: perPage, offset: (number - 1) * perPage, search: filters.search),
                filter: filters.storeFilter, scope: page.principal.scope)
            return renderList(page, result: result, filters: filters, number: number, regions: regions, provinces: provinces)
        }

        router.get("/stores/:id") { request, context in
            let page = try WebPage(request, context)
            guard let summary = try await services.storage.stores.get(id: try context.id(), scope: page.principal.scope) else {
                throw APIError.notFound
            }
            // Sell-through, stock and profile from the rollups (distributor and store staff see the same figures of their stores).
            let today = BusinessDay.day(ofMillis: currentMillis())
            let rules = try await services.storage.storeRules.rules(tenantID: page.principal.tenantID)
            let detail = try await services.storage.storeFigures.detail(
                storeID: summary.store.id, today: today, days: rules.historyDays, scope: page.principal.scope)
            let products = Dictionary(
                uniqueKeysWithValues: try await services.storage.allProducts(tenantID: page.principal.tenantID)
                    .map { ($0.id, $0) })
            let stock = StoreIntelligenceAPI.metrics(detail, products: products, today: today, rules: rules)
            let kocs = try await StoreKOCs.of(store: summary.store.id, principal: page.principal, storage: services.storage)
            return renderDetail(page, summary: summary, regions: regions) { out in
                storeSection(&out, detail: detail, stock: stock, products: products, kocs: kocs, t: page.t)
            }
        }
    }

    static func renderList(
        _ page: WebPage, result: Page<StoreSummary>, filters: Filters, number: Int, regions: RegionCatalog, provinces: [Region]
    ) -> Response {
        let t = page.t
        let query = filters.queryString
        return Layout.render(page, title: t(.navStores), section: .stores, capacity: 40_000) { out in
            Layout.pageHeader(&out, title: t(.navStores), lead: t.total(result.total))
            out += #"<section class="card flush"><form class="filters" method="get" action="/stores">"#
            Layout.searchField(&out, label: t(.search), placeholder: t(.searchPlaceholderStores), value: filters.search)
            out += "<label>"
            out += t(.region)
            out += #"<select name="region">"#
            Layout.option(&out, value: "", label: t(.allProvinces), selected: filters.province)
            for province in provinces { Layout.option(&out, value: province.code, label: province.name, selected: filters.province) }
            out += "</select></label><label>"
            out += t(.storeType)
            out += #"<select name="type">"#
            Layout.option(&out, value: "", label: t(.allTypes), selected: filters.type?.rawValue)
            for type in StoreType.allCases { Layout.option(&out, value: type.rawValue, label: t.label(type), selected: filters.type?.rawValue) }
            out += "</select></label>"
            DistributorsPage.statusSelect(&out, t: t, selected: filters.status)
            if let id = filters.distributorID { out += #"<input type="hidden" name="distributorId" value="\#(id)">"# }
            if let id = filters.salespersonNodeID { out += #"<input type="hidden" name="salespersonNodeId" value="\#(id)">"# }
            Layout.filterButtons(&out, t: t, resetPath: "/stores")
            out += "</form>"
            if filters.distributorID != nil || filters.salespersonNodeID != nil {
                out += #"<div class="chips">"#
                if let id = filters.distributorID {
                    chip(
                        &out, label: t(.filterDistributor), value: result.items.first?.distributorName ?? "#\(id)",
                        clear: query.with("distributorId", nil).url("/stores"), t: t)
                }
                if let id = filters.salespersonNodeID {
                    chip(
                        &out, label: t(.filterSalesperson), value: result.items.first?.salespersonName ?? "#\(id)",
                        clear: query.with("salespersonNodeId", nil).url("/stores"), t: t)
                }
                out += "</div>"
            }
            table(&out, stores: result.items, regions: regions, t: t, showDistributor: true)
            Layout.pager(&out, t: t, path: "/stores", query: query, page: number, perPage: perPage, total: result.total)
            out += "</section>"
        }
    }

    /// A removable filter.
    static func chip(_ out: inout HTMLWriter, label: String, value: String, clear: String, t: L10n) {
        out += #"<span class="chip">"#
        out += label
        out += t(.colon)
        out.appendEscaped(value)
        out += #"<a href=""#
        out.appendEscaped(clear)
        out += #"" title=""#
        out += t(.clearFilter)
        out += #"" aria-label=""#
        out += t(.clearFilter)
        out += #"">×</a></span>"#
    }

    /// The store table, shared with the distributor page.
    static func table(_ out: inout HTMLWriter, stores: [StoreSummary], regions: RegionCatalog, t: L10n, showDistributor: Bool) {
        out += #"<div class="table-wrap"><table><thead><tr><th>"#
        out += t(.code)
        out += "</th><th>"
        out += t(.name)
        out += "</th><th>"
        out += t(.storeType)
        out += "</th><th>"
        out += t(.region)
        if showDistributor {
            out += "</th><th>"
            out += t(.distributor)
        }
        out += "</th><th>"
        out += t(.salesperson)
        out += "</th><th>"
        out += t(.status)
        out += "</th></tr></thead><tbody>"
        if stores.isEmpty { Layout.emptyRow(&out, columns: showDistributor ? 7 : 6, text: t(.noResults)) }
        for summary in stores {
            let store = summary.store
            out += "<tr><td><code>"
            out.appendEscaped(store.code)
            out += #"</code></td><td><a href="/stores/"#
            out += String(store.id)
            out += #"">"#
            out.appendEscaped(store.name)
            out += #"</a></td><td><span class="badge info">"#
            out += t.label(store.type)
            out += "</span></td><td>"
            out.appendEscaped(Format.regionName(store.regionCode, in: regions))
            if showDistributor {
                out += "</td><td>"
                if let id = store.distributorID {
                    out += #"<a href="/distributors/"#
                    out += String(id)
                    out += #"">"#
                    out.appendEscaped(summary.distributorName, placeholder: "#" + String(id))
                    out += "</a>"
                } else {
                    out += t(.none)
                }
            }
            out += "</td><td>"
            out.appendEscaped(summary.salespersonName, placeholder: t(.none))
            out += "</td><td>"
            Layout.statusBadge(&out, store.status, t: t)
            out += "</td></tr>"
        }
        out += "</tbody></table></div>"
    }

    static func renderDetail(
        _ page: WebPage, summary: StoreSummary, regions: RegionCatalog, intelligence: (inout HTMLWriter) -> Void = { _ in }
    ) -> Response {
        let t = page.t
        let store = summary.store
        let region = regions.region(code: store.regionCode)
        let regionName = Format.regionName(store.regionCode, in: regions)
        return Layout.render(page, title: store.name, section: .stores) { out in
            out += #"<div class="crumbs"><a href="/stores">"#
            out += t(.navStores)
            out += "</a> / "
            out.appendEscaped(store.code)
            out += "</div>"
            var badges = HTMLWriter()
            badges += #"<span class="badge info">\#(t.label(store.type))</span> "#
            Layout.statusBadge(&badges, store.status, t: t)
            Layout.pageHeader(&out, title: store.name, lead: store.code + " · " + regionName, actions: badges.markup)

            out += #"<div class="grid two"><section class="card"><h2>"#
            out += t(.basicInfo)
            out += #"</h2><dl class="fields">"#
            DistributorsPage.field(&out, t(.code)) {
                $0 += "<code>"
                $0.appendEscaped(store.code)
                $0 += "</code>"
            }
            DistributorsPage.field(&out, t(.name)) { $0.appendEscaped(store.name) }
            DistributorsPage.field(&out, t(.storeType)) { $0 += t.label(store.type) }
            DistributorsPage.field(&out, t(.status)) { Layout.statusBadge(&$0, store.status, t: t) }
            DistributorsPage.field(&out, t(.address)) { $0.appendEscaped(store.address, placeholder: t(.none)) }
            DistributorsPage.field(&out, t(.region)) { out in
                out.appendEscaped(regionName)
                out += #" <code class="muted">"#
                out.appendEscaped(store.regionCode)
                out += "</code>"
            }
            DistributorsPage.field(&out, t(.location)) { out in
                if let location = store.location {
                    out += Format.decimal(location.latitude, places: 6)
                    out += ", "
                    out += Format.decimal(location.longitude, places: 6)
                } else {
                    out += t(.noLocation)
                }
            }
            DistributorsPage.field(&out, t(.distributor)) { out in
                if let id = store.distributorID {
                    out += #"<a href="/distributors/\#(id)">"#
                    out.appendEscaped(summary.distributorName, placeholder: "#\(id)")
                    out += "</a>"
                } else {
                    out += t(.none)
                }
            }
            DistributorsPage.field(&out, t(.salesperson)) { $0.appendEscaped(summary.salespersonName, placeholder: t(.none)) }
            DistributorsPage.field(&out, t(.createdAt)) { $0 += t.dateTime(store.createdAt) }
            DistributorsPage.field(&out, t(.updatedAt)) { $0 += t.dateTime(store.updatedAt) }
            out += #"</dl><p class="links">"#
            if let id = store.distributorID {
                out += #"<a href="/stores?distributorId=\#(id)">"#
                out += t(.sameDistributorStores)
                out += "</a>"
            }
            if let id = store.salespersonNodeID {
                out += #"<a href="/stores?salespersonNodeId=\#(id)">"#
                out += t(.sameSalespersonStores)
                out += "</a>"
            }
            out += #"<a href="/api/v1/stores/\#(store.id)">"#
            out += t(.apiJSON)
            out += "</a></p></section>"

            out += #"<section class="card"><h2>"#
            out += t(.location)
            out += "</h2>"
            if let location = store.location, let region, let centre = GeoPoint(latitude: region.latitude, longitude: region.longitude) {
                Charts.storePlot(&out, store: location, centre: centre, centreName: region.name, storeName: store.name, t: t)
                out += #"<p class="muted">"#
                out += t(.fromCountyCentre)
                out += t(.inParentheses, ["text": region.name])
                out += t(.colon)
                out += "<strong>"
                out += Charts.distance(metres: location.distance(to: centre))
                out += "</strong></p>"
            } else {
                out += #"<p class="muted">"#
                out += t(.noLocation)
                out += "</p>"
            }
            out += "</section></div>"
            intelligence(&out)
        }
    }
}
