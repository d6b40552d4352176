import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /distributors` and `GET /distributors/{id}`.
enum DistributorsPage {
    static let perPage = 50
    /// Stores shown on a distributor's page.
    static let storesShown = 50

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/distributors") { request, context in
            let page = try WebPage(request, context)
            let search = page.query["q"]
            let status = page.query["status"].flatMap(MasterDataStatus.init(rawValue:))
            let number = page.pageNumber
            let result = try await services.storage.distributors.list(
                ListQuery(limit: perPage, offset: (number - 1) * perPage, search: search),
                status: status, scope: page.principal.scope)
            return renderList(page, result: result, search: search, status: status, number: number, regions: services.regions)
        }

        router.get("/distributors/:id") { request, context in
            let page = try WebPage(request, context)
            let scope = page.principal.scope
            guard let distributor = try await services.storage.distributors.get(id: try context.id(), scope: scope) else { throw APIError.notFound }
            async let node = services.storage.org.get(id: distributor.orgNodeID, scope: scope)
            async let stores = services.storage.stores.list(
                ListQuery(limit: storesShown), filter: StoreFilter(distributorID: distributor.id), scope: scope)
            return renderDetail(page, distributor: distributor, node: try await node, stores: try await stores, regions: services.regions)
        }
    }

    static func renderList(
        _ page: WebPage, result: Page<Distributor>, search: String?, status: MasterDataStatus?, number: Int, regions: RegionCatalog
    ) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.navDistributors), section: .distributors) { out in
            Layout.pageHeader(&out, title: t(.navDistributors), lead: t.total(result.total))
            out += #"<section class="card flush"><form class="filters" method="get" action="/distributors">"#
            Layout.searchField(&out, label: t(.search), placeholder: t(.searchPlaceholderDistributors), value: search)
            statusSelect(&out, t: t, selected: status)
            Layout.filterButtons(&out, t: t, resetPath: "/distributors")
            out += #"</form><div class="table-wrap"><table><thead><tr><th>"#
            out.appendJoined([t(.code), t(.name), t(.contact), t(.phone), t(.territory), t(.status)], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if result.items.isEmpty { Layout.emptyRow(&out, columns: 6, text: t(.noResults)) }
            for distributor in result.items {
                out += "<tr><td><code>"
                out.appendEscaped(distributor.code)
                out += #"</code></td><td><a href="/distributors/\#(distributor.id)">"#
                out.appendEscaped(distributor.name)
                out += "</a></td><td>"
                out.appendEscaped(distributor.contactName, placeholder: t(.none))
                out += "</td><td>"
                out.appendEscaped(distributor.phone, placeholder: t(.none))
                out += #"</td><td class="wrap">"#
                territorySummary(&out, distributor.territory, regions: regions, t: t)
                out += "</td><td>"
                Layout.statusBadge(&out, distributor.status, t: t)
                out += "</td></tr>"
            }
            out += "</tbody></table></div>"
            Layout.pager(
                &out, t: t, path: "/distributors", query: QueryString([("q", search), ("status", status?.rawValue)]),
                page: number, perPage: perPage, total: result.total)
            out += "</section>"
        }
    }

    static func renderDetail(
        _ page: WebPage, distributor: Distributor, node: OrgNode?, stores: Page<StoreSummary>, regions: RegionCatalog
    ) -> Response {
        let t = page.t
        let allStores = "/stores?distributorId=\(distributor.id)"
        return Layout.render(page, title: distributor.name, section: .distributors) { out in
            out += #"<div class="crumbs"><a href="/distributors">"#
            out += t(.navDistributors)
            out += "</a> / "
            out.appendEscaped(distributor.code)
            out += "</div>"
            Layout.pageHeader(
                &out, title: distributor.name, lead: distributor.code,
                actions: #"<a class="button secondary" href="\#(allStores)">\#(t(.seeAllStores))</a>"#)
            out += #"<div class="grid two"><section class="card"><h2>"#
            out += t(.basicInfo)
            out += #"</h2><dl class="fields">"#
            field(&out, t(.code)) {
                $0 += "<code>"
                $0.appendEscaped(distributor.code)
                $0 += "</code>"
            }
            field(&out, t(.name)) { $0.appendEscaped(distributor.name) }
            field(&out, t(.contact)) { $0.appendEscaped(distributor.contactName, placeholder: t(.none)) }
            field(&out, t(.phone)) { $0.appendEscaped(distributor.phone, placeholder: t(.none)) }
            field(&out, t(.address)) { $0.appendEscaped(distributor.address, placeholder: t(.none)) }
            field(&out, t(.managingOrg)) { out in
                if let node {
                    out += #"<span class="badge l\#(node.level.rawValue)">"#
                    out += t.label(node.level)
                    out += "</span> "
                    out.appendEscaped(node.name)
                    out += #" <code class="muted">"#
                    out.appendEscaped(node.code)
                    out += "</code>"
                } else {
                    out += t(.none)
                }
            }
            field(&out, t(.status)) { Layout.statusBadge(&$0, distributor.status, t: t) }
            field(&out, t(.createdAt)) { $0 += t.dateTime(distributor.createdAt) }
            field(&out, t(.updatedAt)) { $0 += t.dateTime(distributor.updatedAt) }
            out += #"</dl></section><section class="card"><h2>"#
            out += t(.territory)
            out += #" <span class="muted small">"#
            out += Format.number(distributor.territory.count)
            out += " "
            out += t(.regionsCount)
            out += #"</span></h2><ul class="plain-list">"#
            for code in distributor.territory {
                out += "<li>"
                out.appendEscaped(Format.regionName(code, in: regions))
                out += #" <code class="muted">"#
                out.appendEscaped(code)
                out += "</code></li>"
            }
            out += "</ul></section></div>"

            out += #"<section class="card flush spaced"><div class="card-head"><h2>"#
            out += t(.storesSupplied)
            out += #" <span class="muted small">"#
            out += t.total(stores.total)
            if stores.total > stores.items.count {
                out += " · "
                out += t(.showingFirst)
            }
            out += #"</span></h2><a href="\#(allStores)">"#
            out += t(.seeAllStores)
            out += #" →</a></div>"#
            StoresPage.table(&out, stores: stores.items, regions: regions, t: t, showDistributor: false)
            out += "</section>"
        }
    }

    /// A `<dt>/<dd>` pair.
    static func field(_ out: inout HTMLWriter, _ label: String, _ value: (inout HTMLWriter) -> Void) {
        out += "<dt>"
        out += label
        out += "</dt><dd>"
        value(&out)
        out += "</dd>"
    }

    static func statusSelect(_ out: inout HTMLWriter, t: L10n, selected: MasterDataStatus?) {
        out += "<label>"
        out += t(.status)
        out += #"<select name="status">"#
        Layout.option(&out, value: "", label: t(.allStatuses), selected: selected?.rawValue)
        for status in MasterDataStatus.allCases { Layout.option(&out, value: status.rawValue, label: t.label(status), selected: selected?.rawValue) }
        out += "</select></label>"
    }

    /// The first few territory regions by name, and how many there are.
    static func territorySummary(_ out: inout HTMLWriter, _ codes: [String], regions: RegionCatalog, t: L10n) {
        guard !codes.isEmpty else {
            out += t(.none)
            return
        }
        let names = codes.prefix(3).map { regions.region(code: $0)?.name ?? $0 }
        out += names.joined(separator: t(.listSeparator))
        if codes.count > 3 {
            out += #" <span class="muted">"#
            out += t(.moreRegions, ["count": String(codes.count), "more": String(codes.count - 3)])
            out += "</span>"
        }
    }
}
