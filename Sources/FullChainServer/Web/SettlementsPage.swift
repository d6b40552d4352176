import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /settlements?from=&to=`: the settlement statements (费用在线) within the caller's reach —
/// what each store earned from consumer scans in the period and what the brand owes it now,
/// summed per distributor — with CSV and Excel downloads from the settlements API.
enum SettlementsPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/settlements") { request, context in
            let page = try WebPage(request, context)
            let (from, to, _) = try SettlementsAPI.period(request)
            let scope = page.principal.scope
            let stores = try await services.storage.settlements.stores(from: from, to: to, scope: scope)
            let distributors = try await services.storage.settlements.distributors(from: from, to: to, scope: scope)
            return render(page, from: from, to: to, stores: stores, distributors: distributors)
        }
    }

    static func render(_ page: WebPage, from: Int64, to: Int64, stores: [StoreSettlement], distributors: [DistributorSettlement]) -> Response {
        let t = page.t
        let period = QueryString([("from", BusinessDay.date(ofDay: from)), ("to", BusinessDay.date(ofDay: to))])
        return Layout.render(page, title: t(.navSettlements), section: .settlements) { out in
            Layout.pageHeader(&out, title: t(.navSettlements), lead: t(.settlementsLead))
            out += #"<section class="card"><form class="filters" method="get" action="/settlements"><label>"#
            out += t(.periodFrom)
            out += #"<input type="date" name="from" value="\#(BusinessDay.date(ofDay: from))"></label><label>"#
            out += t(.periodTo)
            out += #"<input type="date" name="to" value="\#(BusinessDay.date(ofDay: to))"></label>"#
            Layout.filterButtons(&out, t: t, resetPath: "/settlements")
            out += "</form></section>"

            out += #"<section class="card flush spaced"><div class="card-head"><h2>"#
            out += t(.distributorLines)
            out += #"</h2><span class="links">"#
            downloads(&out, base: "/api/v1/settlements/distributors", period: period)
            out += #"</span></div><div class="table-wrap"><table id="distributor-settlements"><thead><tr><th>"#
            out.appendJoined([t(.code), t(.name)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out.appendJoined(
                [
                    t(.storesCount), t(.rewardedScans), t(.rewardsEarned), t(.vouchersRedeemed), t(.vouchersAmount), t(.couponsRedeemed),
                    t(.couponsAmount), t(.amountDue),
                ],
                separator: #"</th><th class="num">"#)
            out += "</th></tr></thead><tbody>"
            if distributors.isEmpty { Layout.emptyRow(&out, columns: 10, text: t(.noResults)) }
            for line in distributors {
                out += #"<tr><td><a href="/distributors/\#(line.distributorID)"><code>"#
                out.appendEscaped(line.distributorCode)
                out += "</code></a></td><td>"
                out.appendEscaped(line.distributorName)
                out += #"</td><td class="num">"#
                out.appendJoined(
                    [
                        Format.number(line.stores), Format.number(line.rewardedScans), Format.yuan(fen: line.rewardsFen),
                        Format.number(line.vouchersRedeemed), Format.yuan(fen: line.vouchersFen),
                        Format.number(line.couponsRedeemed), Format.yuan(fen: line.couponsFen), Format.yuan(fen: line.dueFen),
                    ], separator: #"</td><td class="num">"#)
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"

            out += #"<section class="card flush spaced"><div class="card-head"><h2>"#
            out += t(.storeLines)
            out += #" <span class="muted small">"#
            out += t.total(stores.count)
            out += #"</span></h2><span class="links">"#
            downloads(&out, base: "/api/v1/settlements/stores", period: period)
            out += #"</span></div><div class="table-wrap"><table id="store-settlements"><thead><tr><th>"#
            out.appendJoined([t(.code), t(.name)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out.appendJoined(
                [
                    t(.rewardedScans), t(.rewardsEarned), t(.vouchersRedeemed), t(.vouchersAmount), t(.couponsRedeemed), t(.couponsAmount),
                    t(.amountDue),
                ], separator: #"</th><th class="num">"#)
            out += "</th></tr></thead><tbody>"
            if stores.isEmpty { Layout.emptyRow(&out, columns: 9, text: t(.noResults)) }
            for line in stores {
                out += #"<tr><td><a href="/stores/\#(line.storeID)"><code>"#
                out.appendEscaped(line.storeCode)
                out += "</code></a></td><td>"
                out.appendEscaped(line.storeName)
                out += #"</td><td class="num">"#
                out.appendJoined(
                    [
                        Format.number(line.rewardedScans), Format.yuan(fen: line.rewardsFen), Format.number(line.vouchersRedeemed),
                        Format.yuan(fen: line.vouchersFen), Format.number(line.couponsRedeemed), Format.yuan(fen: line.couponsFen),
                        Format.yuan(fen: line.dueFen),
                    ], separator: #"</td><td class="num">"#)
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
        }
    }

    static func downloads(_ out: inout HTMLWriter, base: String, period: QueryString) {
        for (format, label) in [("csv", "CSV"), ("xlsx", "Excel")] {
            out += #"<a href=""#
            out.appendEscaped(period.with("format", format).url(base))
            out += #"" download>"#
            out += label
            out += "</a>"
        }
    }
}
