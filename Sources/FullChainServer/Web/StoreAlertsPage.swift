import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /store-alerts`: the abnormal-store feed, filtered by kind, status and outcome; each alert is a
/// task for the store's salesperson.
enum StoreAlertsPage {
    static let perPage = 50

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/store-alerts") { request, context in
            let page = try WebPage(request, context)
            let number = page.pageNumber
            let filter = StoreAlertFilter(
                kind: page.query.raw("kind").flatMap(StoreAnomalyKind.init(rawValue:)),
                status: page.query.raw("status").flatMap(TaskStatus.init(rawValue:)),
                outcome: page.query.raw("outcome").flatMap(ConversionOutcome.init(rawValue:)),
                salespersonNodeID: page.query.int("salespersonNodeID"))
            let result = try await services.storage.storeTasks.alerts(
                ListQuery(limit: perPage, offset: (number - 1) * perPage), filter: filter, scope: page.principal.scope)
            return feed(page, result: result, filter: filter, number: number)
        }
    }

    static func feed(_ page: WebPage, result: Page<StoreAlert>, filter: StoreAlertFilter, number: Int) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.navStoreAlerts), section: .storeAlerts) { out in
            Layout.pageHeader(
                &out, title: t(.navStoreAlerts),
                lead: t.total(result.total) + " · " + t(.storeAlertsLead),
                actions: #"<a class="button secondary" href="/rankings">\#(t(.salespersonRanking))</a>"#)
            out += #"<form class="filters card" method="get" action="/store-alerts"><label>"#
            out += t(.alertKind)
            out += #"<select name="kind"><option value="">"#
            out += t(.all)
            out += "</option>"
            for kind in StoreAnomalyKind.allCases { Layout.option(&out, value: kind.rawValue, label: t.label(kind), selected: filter.kind?.rawValue) }
            out += "</select></label><label>"
            out += t(.status)
            out += #"<select name="status"><option value="">"#
            out += t(.all)
            out += "</option>"
            for status in TaskStatus.allCases {
                Layout.option(&out, value: status.rawValue, label: t.label(status), selected: filter.status?.rawValue)
            }
            out += "</select></label><label>"
            out += t(.conversion)
            out += #"<select name="outcome"><option value="">"#
            out += t(.all)
            out += "</option>"
            for outcome in ConversionOutcome.allCases {
                Layout.option(&out, value: outcome.rawValue, label: t.label(outcome), selected: filter.outcome?.rawValue)
            }
            out += "</select></label>"
            Layout.filterButtons(&out, t: t, resetPath: "/store-alerts")
            out += #"</form><section class="card flush"><div class="table-wrap"><table id="store-alerts"><thead><tr><th>"#
            out.appendJoined(
                [
                    t(.raised), t(.navStores), t(.alertKind), t(.why), t(.due), t(.status),
                    t(.conversion),
                ], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if result.items.isEmpty { Layout.emptyRow(&out, columns: 7, text: t(.noResults)) }
            for alert in result.items {
                out += "<tr><td>"
                out += BusinessDay.date(ofDay: alert.raisedDay)
                out += #"</td><td><a href="/stores/\#(alert.storeID)">"#
                out.appendEscaped(alert.storeName ?? "#\(alert.storeID)")
                out += "</a></td><td>"
                badge(&out, alert.kind, t: t)
                out += #"</td><td class="reason">"#
                out.appendEscaped(t.why(alert))
                out += "</td><td>"
                out += BusinessDay.date(ofDay: alert.dueDay)
                out += "</td><td>"
                out += t.label(alert.status)
                if let resolution = alert.resolution {
                    out += #"<br><small class="muted">"#
                    out += t.label(resolution)
                    out += "</small>"
                }
                out += "</td><td>"
                if alert.status == .resolved { outcomeBadge(&out, alert.outcome, t: t) }
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
            Layout.pager(
                &out, t: t, path: "/store-alerts",
                query: QueryString([("kind", filter.kind?.rawValue), ("status", filter.status?.rawValue), ("outcome", filter.outcome?.rawValue)]),
                page: number, perPage: perPage, total: result.total)
        }
    }

    static func badge(_ out: inout HTMLWriter, _ kind: StoreAnomalyKind, t: L10n) {
        let tone =
            switch kind {
            case .tooHigh: "info"
            case .tooLow, .dormant: "bad"
            case .outOfStockRisk, .slowMover: "warn"
            case .offPeers: "l1"
            case .followUp: "ok"
            }
        out += #"<span class="badge \#(tone)">"#
        out += t.label(kind)
        out += "</span>"
    }

    static func outcomeBadge(_ out: inout HTMLWriter, _ outcome: ConversionOutcome, t: L10n) {
        out +=
            outcome == .converted
            ? #"<span class="badge ok">"# : outcome == .notConverted ? #"<span class="badge bad">"# : #"<span class="badge off">"#
        out += t.label(outcome)
        out += "</span>"
    }
}
