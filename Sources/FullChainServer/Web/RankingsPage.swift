import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /rankings`: salespeople ranked on coverage, visits, response, conversion and growth (a
/// salesperson sees their own line).
enum RankingsPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/rankings") { request, context in
            let page = try WebPage(request, context)
            let lines = try await StoreIntelligenceAPI.ranking(services.storage, principal: page.principal)
            return rankings(page, lines: lines)
        }
    }

    static func rankings(_ page: WebPage, lines: [SalespersonFigures]) -> Response {
        let t = page.t
        let own = page.principal.role == .salesperson
        return Layout.render(page, title: t(.salespersonRanking), section: .storeAlerts) { out in
            Layout.pageHeader(
                &out, title: t(.salespersonRanking),
                lead: own
                    ? t(.rankingOwnLead)
                    : t(.rankingLead))
            out += #"<section class="card flush"><div class="table-wrap"><table id="ranking"><thead><tr><th>"#
            out.appendJoined(
                [
                    t(.rank), t(.salesperson), t(.score), t(.kindStores), t(.coverageInCycle),
                    t(.visitsADay), t(.alertsVisited), t(.medianResponse),
                    t(.conversionRate), t(.territoryGrowth),
                ], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if lines.isEmpty { Layout.emptyRow(&out, columns: 10, text: t(.noResults)) }
            for f in lines {
                out += "<tr><td><strong>\(f.rank)</strong></td><td>"
                out.appendEscaped(f.name)
                out += #" <code class="muted">"#
                out.appendEscaped(f.code)
                out += "</code></td><td>"
                out += Robust.text(f.score)
                out += "</td><td>\(f.stores)</td><td>"
                out += Robust.text(f.coverage * 100) + "%"
                out += "</td><td>"
                out += Robust.text(f.visitsPerDay)
                out += "</td><td>\(f.alerts) / \(f.alertsVisited)</td><td>"
                out += f.medianResponseHours.map { Robust.text($0) + " h" } ?? "—"
                out += "</td><td>"
                out += f.conversionRate.map { Robust.text($0 * 100) + "%" } ?? "—"
                out += "</td><td>"
                out += f.growth.map { ($0 >= 0 ? "+" : "") + Robust.text($0 * 100) + "%" } ?? "—"
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
        }
    }
}
