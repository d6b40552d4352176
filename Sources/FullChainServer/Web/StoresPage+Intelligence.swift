import FullChainCore
import FullChainStorage
import Hummingbird

/// The store page's intelligence section: sell-through, receipts, stock and reorder, profile and
/// strategy, alerts and visits.
extension StoresPage {
    /// The store page's intelligence: KPIs, the daily chart, stock per SKU, profile and strategy, alerts and visits.
    static func storeSection(
        _ out: inout HTMLWriter, detail: StoreIntelligenceDetail, stock: [StockFigures], products: [Int64: Product], kocs: StoreKOCs, t: L10n
    ) {
        let sold28 = detail.sold.suffix(28).reduce(0, +)
        let prev28 = detail.sold.dropLast(28).suffix(28).reduce(0, +)
        out += #"<section class="kpis" id="store-kpis">"#
        let open = detail.alerts.filter { $0.status != .resolved }.count
        let kpis: [(String, String, String)] = [
            (t(.scannedSales28Days), Format.number(sold28), ""),
            (t(.previous28Days), Format.number(prev28), "teal"),
            (t(.estimatedStock), Format.number(Int(stock.reduce(0) { $0 + ($1.estimatedStock ?? 0) }.rounded())), "amber"),
            (t(.openAlerts), String(open), open > 0 ? "violet" : "green"),
        ]
        for (label, value, tone) in kpis { Layout.kpi(&out, label: label, value: value, tone: tone) }
        out += #"</section><section class="card"><h2>"#
        out += t(.sellThroughAndReceipts)
        out += "</h2>"
        dailyChart(&out, sold: detail.sold, received: detail.received, firstDay: detail.firstDay, t: t)
        out += #"</section><div class="grid two"><section class="card"><h2>"#
        out += t(.stockAndReorder)
        out += #"</h2><div class="table-wrap"><table id="store-stock"><thead><tr><th>"#
        out.appendJoined(
            [
                t(.product), t(.stockColumn), t(.soldADay), t(.daysOfCover),
                t(.scanRate), t(.reorder),
            ], separator: "</th><th>")
        out += "</th></tr></thead><tbody>"
        if stock.isEmpty { Layout.emptyRow(&out, columns: 6, text: t(.noResults)) }
        for f in stock {
            out += "<tr><td>"
            out.appendEscaped(products[f.productID]?.name ?? "#\(f.productID)")
            out += "</td><td>"
            out += f.estimatedStock.map(Robust.text) ?? t(.stockUnknown)
            out += #"<br><small class="muted">"#
            out += t(.stockRange) + " " + Robust.text(f.stockLow) + "–" + Robust.text(f.stockHigh)
            out += "</small>"
            if let counted = f.countedUnits, let day = f.countedDay {
                out += #"<br><small class="muted">"#
                out += t(.countedPrefix) + "\(counted) · " + BusinessDay.date(ofDay: day)
                out += "</small>"
            }
            out += "</td><td>"
            out += Robust.text(f.velocity)
            out += "</td><td>"
            out += f.daysOfCover.map(Robust.text) ?? "—"
            out += "</td><td>"
            out += Robust.text(f.scanRate * 100) + "% ± " + Robust.text(f.scanRateError * 100) + "%"
            out += #"<br><small class="muted scan-rate-source">"#
            out += t.label(f.scanRateSource)
            out += "</small>"
            out += "</td><td>"
            if let day = f.reorderDay, f.reorderUnits > 0 {
                out += BusinessDay.date(ofDay: day) + " · " + Format.number(f.reorderUnits) + t(.unitsSuffix)
            } else {
                out += "—"
            }
            out += "</td></tr>"
        }
        out += #"</tbody></table></div></section><section class="card" id="store-profile"><h2>"#
        out += t(.profileAndStrategy)
        out += "</h2>"
        if let profile = detail.profile {
            out += #"<p><span class="badge l4">"#
            out += t(.storeTier, ["tier": profile.tier.rawValue])
            out += "</span> "
            for tag in profile.tags {
                out += #"<span class="badge info">"#
                out += t.label(tag)
                out += "</span> "
            }
            out += #"</p><p class="muted">"#
            out += t(.newProductShare) + Robust.text(profile.newProductShare * 100) + "%"
            if let share = profile.repeatShare { out += t(.repeatBuyerShare) + Robust.text(share * 100) + "%" }
            out += #"</p><ul class="strategies">"#
            for advice in profile.strategies {
                out += "<li><strong>"
                out += t.label(advice.strategy)
                out += "</strong>"
                let why = t.why(advice, tier: profile.tier)
                if !why.isEmpty {
                    out += " — "
                    out.appendEscaped(why)
                }
                out += "</li>"
            }
            out += "</ul>"
        } else {
            out += #"<p class="muted">"#
            out += t(.madeByDailyJob)
            out += "</p>"
        }
        kocSection(&out, kocs, t: t)
        out += #"</section></div><div class="grid two"><section class="card flush"><h2>"#
        out += t(.alertsAndTasks)
        out += #"</h2><div class="table-wrap"><table id="store-alert-list"><tbody>"#
        if detail.alerts.isEmpty { Layout.emptyRow(&out, columns: 3, text: t(.noAlerts)) }
        for alert in detail.alerts {
            out += "<tr><td>"
            out += BusinessDay.date(ofDay: alert.raisedDay)
            out += "</td><td>"
            StoreAlertsPage.badge(&out, alert.kind, t: t)
            out += #"<br><small class="reason">"#
            out.appendEscaped(t.why(alert))
            out += "</small></td><td>"
            out += t.label(alert.status)
            if alert.status == .resolved {
                out += "<br>"
                StoreAlertsPage.outcomeBadge(&out, alert.outcome, t: t)
            }
            out += "</td></tr>"
        }
        out += #"</tbody></table></div></section><section class="card flush"><h2>"#
        out += t(.visits)
        out += #"</h2><div class="table-wrap"><table id="store-visits"><tbody>"#
        if detail.visits.isEmpty { Layout.emptyRow(&out, columns: 3, text: t(.noVisitsYet)) }
        for visit in detail.visits {
            out += "<tr><td>"
            out += t.dateTime(visit.checkedInAt)
            out += "</td><td>"
            out += Charts.distance(metres: visit.distanceMeters)
            out += " · "
            out.appendEscaped(
                visit.counts.map { (products[$0.productID]?.sku ?? "#\($0.productID)") + " \($0.units)" + ($0.facings.map { "/\($0)" } ?? "") }
                    .joined(separator: ", "))
            if !visit.notes.isEmpty {
                out += "<br><small>"
                out.appendEscaped(visit.notes)
                out += "</small>"
            }
            out += "</td><td>"
            for number in stride(from: 1, through: visit.photos, by: 1) {
                out += #"<a href="/api/v1/visits/\#(visit.id)/photos/\#(number)">"#
                out += "\(t(.photo)) \(number)</a> "
            }
            out += "</td></tr>"
        }
        out += "</tbody></table></div></section></div>"
    }

    /// Scanned units a day as columns, received units as ticks above them, with weekly gridlines.
    static func dailyChart(_ out: inout HTMLWriter, sold: [Int], received: [Int], firstDay: Int64, t: L10n) {
        let width = 720.0, height = 180.0, left = 36.0, bottom = 22.0
        let peak = Double(max(1, sold.max() ?? 1, (received.max() ?? 0) / 4))
        let step = (width - left) / Double(max(1, sold.count))
        out += #"<svg class="chart daily" viewBox="0 0 720 180" role="img" aria-label=""#
        out += t(.scannedSalesADay)
        out += #"">"#
        out +=
            #"<text x="0" y="12" class="value">\#(Int(peak))</text><line class="axis" x1="\#(Int(left))" y1="\#(Int(height - bottom))" x2="720" y2="\#(Int(height - bottom))"/>"#
        for (index, units) in sold.enumerated() {
            let x = left + Double(index) * step
            let h = Double(units) / peak * (height - bottom - 10)
            out +=
                ##"<rect x="\##(Format.decimal(x, places: 1))" y="\##(Format.decimal(height - bottom - h, places: 1))" width="\##(Format.decimal(max(1, step - 1), places: 1))" height="\##(Format.decimal(h, places: 1))" fill="#1d64d8"><title>"##
            out += BusinessDay.date(ofDay: firstDay + Int64(index)) + ": \(units)"
            out += "</title></rect>"
            if received.indices.contains(index), received[index] > 0 {
                out += ##"<circle cx="\##(Format.decimal(x + step / 2, places: 1))" cy="8" r="3" fill="#e89b0c"><title>"##
                out += BusinessDay.date(ofDay: firstDay + Int64(index)) + t(.receivedOn) + "\(received[index])"
                out += "</title></circle>"
            }
            if index % 14 == 0 {
                out += #"<text x="\#(Format.decimal(x, places: 1))" y="176">"#
                out += String(BusinessDay.date(ofDay: firstDay + Int64(index)).dropFirst(5))
                out += "</text>"
            }
        }
        out += "</svg>"
        out += #"<p class="muted"><span class="legend-scans">■</span> "#
        out += t(.consumerScansUnits)
        out += #" <span class="legend-receipts">●</span> "#
        out += t(.caseReceipts)
        out += "</p>"
    }

    /// The store's KOC-density tag, and its KOCs by name for those who may see its consumers.
    static func kocSection(_ out: inout HTMLWriter, _ kocs: StoreKOCs, t: L10n) {
        out += #"<div id="store-kocs" data-density="\#(kocs.density.rawValue)"><p><span class="badge info">"#
        out += t(.kocDensity, ["level": t(KOCsPage.densityKeys[kocs.density] ?? .kocDensityNone)])
        out += "</span> "
        out += t(.kocCount, ["count": String(kocs.kocs.count)])
        out += "</p>"
        if let lines = kocs.named, !lines.isEmpty {
            out += "<ul>"
            for line in lines {
                out += "<li>"
                if let id = line.profileID {
                    out += #"<a href="/consumers/\#(id)">"#
                    out.appendEscaped(line.label ?? "#\(id)")
                    out += "</a>"
                }
                out += #" <span class="muted">"#
                out += t(.kocLine, ["invited": String(line.figures.invited), "score": Robust.text(line.figures.score)])
                out += "</span></li>"
            }
            out += "</ul>"
        }
        out += "</div>"
    }

}
