import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /supply`: the distributor's portal (供货门店): every store it supplies with the units it
/// received and sold over the last 30 or 90 days, stores building up stock first, and its latest
/// deliveries. Read within the caller's reach, so a distributor sees its own stores only.
enum SupplyPage {
    static let maximumStores = 1_000

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/supply") { request, context in
            let page = try WebPage(request, context)
            guard page.principal.role == .distributor else { throw APIError.forbidden }
            let days = page.query["days"] == "90" ? 90 : 30
            let today = BusinessDay.day(ofMillis: currentMillis())
            let figures = services.storage.storeFigures
            let lines = try await figures.supply(from: today - Int64(days) + 1, to: today, limit: maximumStores, scope: page.principal.scope)
            let deliveries = try await figures.deliveries(limit: 20, scope: page.principal.scope)
            return render(page, lines: SupplyLine.byBuildUp(lines), deliveries: deliveries, days: days)
        }
    }

    static func render(_ page: WebPage, lines: [SupplyLine], deliveries: [SupplyDelivery], days: Int) -> Response {
        let t = page.t
        let totals = SupplyLine.totals(lines)
        let whole = SupplyLine(storeID: 0, storeCode: "", storeName: "", received: totals.received, sold: totals.sold)
        return Layout.render(page, title: t(.navSupply), section: .supply) { out in
            var presets = HTMLWriter()
            for choice in [30, 90] {
                presets += choice == days ? #"<span class="button small">"# : #"<a class="button secondary small" href="/supply?days=\#(choice)">"#
                presets += t(choice == 30 ? .presetLast30 : .presetLast90)
                presets += choice == days ? "</span>" : "</a>"
            }
            Layout.pageHeader(&out, title: t(.navSupply), lead: t(.supplyLead), actions: presets.markup)
            out += #"<section class="kpis">"#
            let kpis: [(L10n.Key, String)] = [
                (.storesCount, Format.number(lines.count)), (.supplyReceived, Format.number(Int(clamping: totals.received))),
                (.supplySold, Format.number(Int(clamping: totals.sold))),
                (.supplySellThrough, whole.sellThroughPercent.map { "\($0)%" } ?? t(.none)),
            ]
            for (key, value) in kpis { Layout.kpi(&out, label: t(key), value: value) }
            out += #"</section><section class="card flush"><div class="card-head"><h2>"#
            out += t(.supplyStores)
            out += #"</h2><a href="/m/deliveries">"#
            out += t(.deskDeliveries)
            out += #"</a></div><div class="table-wrap"><table id="supply"><thead><tr><th>"#
            out += t(.supplyStore)
            out += #"</th><th class="num">"#
            out.appendJoined([t(.supplyReceived), t(.supplySold), t(.supplySellThrough), t(.supplyBuildUp)], separator: #"</th><th class="num">"#)
            out += "</th></tr></thead><tbody>"
            if lines.isEmpty { Layout.emptyRow(&out, columns: 5, text: t(.deskNoStores)) }
            for line in lines {
                out += #"<tr><td><a href="/stores/\#(line.storeID)">"#
                out.appendEscaped(line.storeName)
                out += #"</a> <code class="muted">"#
                out.appendEscaped(line.storeCode)
                out += #"</code></td><td class="num">"#
                out += Format.number(Int(clamping: line.received))
                out += #"</td><td class="num">"#
                out += Format.number(Int(clamping: line.sold))
                out += #"</td><td class="num">"#
                out += line.sellThroughPercent.map { "\($0)%" } ?? t(.none)
                out +=
                    line.buildUp > 0 && (line.sellThroughPercent ?? 100) < 50
                    ? #"</td><td class="num"><span class="badge warn">"# : #"</td><td class="num"><span>"#
                out += Format.number(Int(clamping: line.buildUp))
                out += "</span></td></tr>"
            }
            out += #"</tbody></table></div></section><section class="card flush spaced"><h2>"#
            out += t(.supplyDeliveries)
            out += #"</h2><div class="table-wrap"><table id="deliveries"><thead><tr><th>"#
            out.appendJoined([t(.supplyStore), t(.supplyCase), t(.supplyAt)], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if deliveries.isEmpty { Layout.emptyRow(&out, columns: 3, text: t(.supplyNoDeliveries)) }
            for delivery in deliveries {
                out += "<tr><td>"
                out.appendEscaped(delivery.storeName)
                out += "</td><td>"
                out += t(.supplyCaseOf, ["batch": String(delivery.batchID), "case": String(delivery.caseNumber)])
                out += "</td><td>"
                out += t.dateTime(delivery.at)
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
        }
    }
}
