import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /alerts`: the diversion and counterfeit feed with filters and a dot map, scoped like the API.
enum AlertsPage {
    static let perPage = 50
    /// Alerts drawn on the map (the latest ones matching the filters).
    static let mapped = 500

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/alerts") { request, context in
            let page = try WebPage(request, context)
            let filter = AlertFilter(
                kind: page.query["kind"].flatMap(AlertKind.init(rawValue:)), reason: page.query["reason"].flatMap(AlertReason.init(rawValue:)))
            let number = page.pageNumber
            let scope = page.principal.scope
            let map = try await services.storage.alerts.list(ListQuery(limit: mapped), filter: filter, scope: scope)
            // The first page is the head of the mapped alerts (same filter, same order).
            let list =
                number == 1
                ? Page(items: Array(map.items.prefix(perPage)), total: map.total, limit: perPage, offset: 0)
                : try await services.storage.alerts.list(ListQuery(limit: perPage, offset: (number - 1) * perPage), filter: filter, scope: scope)
            return render(page, result: list, mapped: map.items, filter: filter, number: number, regions: services.regions)
        }
    }

    static func label(_ kind: AlertKind, t: L10n) -> String {
        switch kind {
        case .diversion: t(.kindDiversion)
        case .counterfeit: t(.kindCounterfeit)
        }
    }

    static func label(_ reason: AlertReason, t: L10n) -> String {
        switch reason {
        case .storeReceipt: t(.reasonStoreReceipt)
        case .consumerScans: t(.reasonConsumerScans)
        case .farApart: t(.reasonFarApart)
        case .invalidCodes: t(.reasonInvalidCodes)
        }
    }

    static func render(
        _ page: WebPage, result: Page<ScanAlert>, mapped: [ScanAlert], filter: AlertFilter, number: Int, regions: RegionCatalog
    ) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.navAlerts), section: .alerts) { out in
            Layout.pageHeader(&out, title: t(.navAlerts), lead: t.total(result.total) + " · " + t(.alertsLead))
            out += #"<section class="card"><h2>"#
            out += t(.alertMap)
            out += "</h2>"
            dotMap(&out, alerts: mapped, regions: regions, t: t)
            out += #"</section><section class="card flush"><form class="filters" method="get" action="/alerts"><label>"#
            out += t(.alertKind)
            out += #"<select name="kind"><option value="">"#
            out += t(.allKinds)
            out += "</option>"
            for kind in AlertKind.allCases { Layout.option(&out, value: kind.rawValue, label: label(kind, t: t), selected: filter.kind?.rawValue) }
            out += "</select></label><label>"
            out += t(.alertReason)
            out += #"<select name="reason"><option value="">"#
            out += t(.allReasons)
            out += "</option>"
            for reason in AlertReason.allCases {
                Layout.option(&out, value: reason.rawValue, label: label(reason, t: t), selected: filter.reason?.rawValue)
            }
            out += "</select></label>"
            Layout.filterButtons(&out, t: t, resetPath: "/alerts")
            out += #"</form><div class="table-wrap"><table><thead><tr><th>"#
            out.appendJoined(
                [t(.alertWhen), t(.alertKind), t(.alertReason), t(.alertWhere), t(.alertEvidence), t(.alertSubject)], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if result.items.isEmpty { Layout.emptyRow(&out, columns: 6, text: t(.noResults)) }
            for alert in result.items {
                out += "<tr><td>"
                out += t.dateTime(alert.lastAt)
                out += #"</td><td><span class="badge "#
                out += alert.kind == .diversion ? "warn" : "bad"
                out += #"">"#
                out += label(alert.kind, t: t)
                out += "</span></td><td>"
                out += label(alert.reason, t: t)
                out += #"</td><td class="wrap">"#
                out.appendEscaped(alert.regionCode.map { regions.fullName(of: $0) }, placeholder: t(.none))
                out += "</td><td>"
                if alert.devices > 1 || alert.reason == .consumerScans {
                    out += Format.number(alert.devices) + " " + t(.devicesCount) + " · "
                }
                out += Format.number(alert.events) + " " + t(.eventsCount)
                out += #"</td><td class="wrap"><code>"#
                out.appendEscaped(alert.subject)
                out += "</code><br><small>"
                out.appendEscaped(alert.detail)
                if let distributorID = alert.distributorID {
                    out += #" · <a href="/distributors/\#(distributorID)">"#
                    out += t(.navDistributors)
                    out += " #\(distributorID)</a>"
                }
                if let storeID = alert.storeID {
                    out += #" · <a href="/stores/\#(storeID)">"#
                    out += t(.navStores)
                    out += " #\(storeID)</a>"
                }
                out += "</small></td></tr>"
            }
            out += "</tbody></table></div>"
            Layout.pager(
                &out, t: t, path: "/alerts", query: QueryString([("kind", filter.kind?.rawValue), ("reason", filter.reason?.rawValue)]),
                page: number, perPage: perPage, total: result.total)
            out += "</section>"
        }
    }

    /// China's extent in degrees, for the map.
    static let west = 73.0, east = 135.5, south = 17.5, north = 54.0

    /// A dot plot: provinces' centres in grey for orientation, each alert a dot where it was seen.
    static func dotMap(_ out: inout HTMLWriter, alerts: [ScanAlert], regions: RegionCatalog, t: L10n) {
        let width = 625.0, height = 365.0
        func x(_ lon: Double) -> String { String(Int(((lon - west) / (east - west) * width).rounded())) }
        func y(_ lat: Double) -> String { String(Int(((north - lat) / (north - south) * height).rounded())) }
        out += #"<svg class="dotmap" viewBox="0 0 625 365" role="img" aria-label=""#
        out += t(.alertMap)
        out += #"">"#
        for province in regions.children(of: nil) {
            out += ##"<circle cx="\##(x(province.longitude))" cy="\##(y(province.latitude))" r="2.5" fill="#c3ccd8"><title>"##
            out.appendEscaped(province.name)
            out += "</title></circle>"
        }
        for alert in alerts {
            guard let lat = alert.latitude, let lon = alert.longitude, (west...east).contains(lon), (south...north).contains(lat) else { continue }
            out += #"<circle class="alert-dot" cx="\#(x(lon))" cy="\#(y(lat))" r="5" fill-opacity="0.75" fill=""#
            out += alert.kind == .diversion ? "#d97706" : "#dc2626"
            out += #""><title>"#
            out += label(alert.reason, t: t)
            out += " · "
            out.appendEscaped(alert.regionCode.map { regions.fullName(of: $0) } ?? "")
            out += "</title></circle>"
        }
        out += ##"<g font-size="12" fill="#475569"><circle cx="16" cy="345" r="5" fill="#d97706"/><text x="26" y="349">"##
        out += t(.kindDiversion)
        out += ##"</text><circle cx="96" cy="345" r="5" fill="#dc2626"/><text x="106" y="349">"##
        out += t(.kindCounterfeit)
        out += "</text></g></svg>"
    }
}
