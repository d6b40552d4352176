import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage

/// The dashboard on the overview page: the caller's unit over a period with 环比 and 同比, a daily
/// trend, a map, and a table of the units below, each opening one level down.
enum DashboardPage {
    /// The metric's name.
    static func title(_ metric: DashboardMetric) -> L10n.Key {
        switch metric {
        case .scans: .metricScans
        case .unitsSold: .metricUnitsSold
        case .salesFen: .metricSales
        case .activeStores: .metricActiveStores
        case .newCustomers: .metricNewCustomers
        case .rewardFen: .metricReward
        case .costPerNewCustomerFen: .metricCostPerNew
        case .diversionAlerts: .metricDiversion
        case .counterfeitAlerts: .metricCounterfeit
        case .storeAlerts: .metricStoreAlerts
        }
    }

    static func title(_ preset: DashboardPeriod.Preset) -> L10n.Key {
        switch preset {
        case .today: .presetToday
        case .yesterday: .presetYesterday
        case .last7: .presetLast7
        case .last30: .presetLast30
        case .thisMonth: .presetThisMonth
        case .lastMonth: .presetLastMonth
        case .last90: .presetLast90
        }
    }

    /// A row's name: the unit's, or what stands for the brand and for the remainder.
    static func name(of unit: DashboardView.Unit, t: L10n) -> String {
        switch unit.kind {
        case "brand": t(.dashboardWholeBrand)
        case "unassigned": t(.dashboardUnassigned)
        default: unit.name
        }
    }

    /// A figure for a file: whole numbers, yuan with two decimals, averages with one.
    static func plain(_ figures: DashboardFigures, _ metric: DashboardMetric, days: Int) -> String {
        let value = figures.value(metric, days: days)
        switch metric {
        case .salesFen, .rewardFen, .costPerNewCustomerFen: return Format.decimal(value / 100, places: 2)
        case .activeStores: return Format.decimal(value, places: 1)
        default: return String(Int64(value))
        }
    }

    /// A figure for the page: grouped digits, money in yuan.
    static func formatted(_ figures: DashboardFigures, _ metric: DashboardMetric, days: Int) -> String {
        let value = figures.value(metric, days: days)
        switch metric {
        case .salesFen, .rewardFen, .costPerNewCustomerFen: return Format.yuan(fen: Int64(value.rounded()))
        case .activeStores: return Format.decimal(value, places: 1)
        default: return Format.number(Int(clamping: Int64(value)))
        }
    }

    /// `环比 +12.5%` coloured good or bad, or a dash when the earlier figure is zero.
    static func change(_ out: inout HTMLWriter, label: String, current: Double, earlier: Double, metric: DashboardMetric) {
        out += #"<span class="delta"#
        guard let change = dashboardChange(current: current, earlier: earlier) else {
            out += #"">"#
            out += label
            out += " —</span>"
            return
        }
        let good = metric.lowerIsBetter ? change < 0 : change > 0
        out += change == 0 ? "" : (good ? " good" : " bad")
        out += #"">"#
        out += label
        out += " " + (change > 0 ? "+" : "") + Format.decimal(change * 100, places: 1) + "%"
        out += "</span>"
    }

    /// The page's query with one parameter changed.
    static func link(_ query: DashboardQuery, unit: Int64?? = nil, metric: DashboardMetric? = nil, sort: DashboardMetric? = nil) -> String {
        var items: [(String, String?)] = []
        if let preset = query.preset {
            items.append(("preset", preset == DashboardQuery.defaultPreset ? nil : preset.rawValue))
        } else {
            items.append(("from", BusinessDay.date(ofDay: query.period.days.lowerBound)))
            items.append(("to", BusinessDay.date(ofDay: query.period.days.upperBound)))
        }
        let unitID = unit ?? query.unitID
        items.append(("unit", unitID.map { String($0) }))
        let chosen = metric ?? query.metric
        items.append(("metric", chosen == .unitsSold ? nil : chosen.rawValue))
        let order = sort ?? (metric != nil ? chosen : query.sort)
        items.append(("sort", order == chosen ? nil : order.rawValue))
        return QueryString(items).url("/")
    }

    /// The figures a role's dashboard shows: alerts are the brand's and the sales force's, not the distributor's or the store's.
    static func metrics(for role: Role) -> [DashboardMetric] {
        switch role {
        case .admin, .manager, .salesperson: DashboardMetric.allCases
        case .distributor, .store: DashboardMetric.allCases.filter { ![.diversionAlerts, .counterfeitAlerts, .storeAlerts].contains($0) }
        }
    }

    static func render(_ out: inout HTMLWriter, page: WebPage, view: DashboardView, query: DashboardQuery, regions: RegionCatalog) {
        let t = page.t
        periodForm(&out, page: page, query: query)
        trail(&out, view: view, query: query, t: t)
        out += #"<p class="muted small">"#
        out += t(
            .dashboardComparedWith,
            ["previous": view.previousFrom + " – " + view.previousTo, "lastYear": view.lastYearFrom + " – " + view.lastYearTo])
        out += "</p>"
        out += #"<section class="kpis" id="dashboard-kpis">"#
        for metric in metrics(for: page.principal.role) {
            out += #"<a class="kpi"#
            out += metric == query.metric ? " chosen" : ""
            out += #"" data-metric="\#(metric.rawValue)" href=""#
            out.appendEscaped(link(query, metric: metric))
            out += #""><div class="label">"#
            out += t(title(metric))
            out += #"</div><div class="value">"#
            out += formatted(view.unit.current, metric, days: view.days)
            out += #"</div><div class="deltas">"#
            let current = view.unit.current.value(metric, days: view.days)
            change(&out, label: t(.monthOnMonth), current: current, earlier: view.unit.previous.value(metric, days: view.days), metric: metric)
            change(&out, label: t(.yearOnYear), current: current, earlier: view.unit.lastYear.value(metric, days: view.days), metric: metric)
            out += "</div></a>"
        }
        out += "</section>"

        out += #"<div class="grid two"><section class="card"><div class="card-head bare"><h2>"#
        out += t(.dashboardTrend)
        out += #"</h2><span class="muted small">"#
        out += t(title(query.metric))
        out += "</span></div>"
        trendChart(&out, view: view, metric: query.metric, t: t)
        out += #"</section><section class="card"><div class="card-head bare"><h2>"#
        out += t(.dashboardMap)
        out += #"</h2><span class="muted small">"#
        out += t(.dashboardMapNote)
        out += "</span></div>"
        map(&out, view: view, metric: query.metric, regions: regions, t: t)
        out += "</section></div>"

        childTable(&out, page: page, view: view, query: query)
    }

    /// Presets as links, and a custom range.
    static func periodForm(_ out: inout HTMLWriter, page: WebPage, query: DashboardQuery) {
        let t = page.t
        out += #"<form class="filters period" method="get" action="/" id="dashboard-period"><div class="presets">"#
        for preset in DashboardPeriod.Preset.allCases {
            var chosen = query
            chosen.preset = preset
            out += #"<a class="button small"#
            out += query.preset == preset ? "" : " secondary"
            out += #"" href=""#
            out.appendEscaped(link(chosen))
            out += #"">"#
            out += t(title(preset))
            out += "</a>"
        }
        out += #"</div><label>"#
        out += t(.periodFrom)
        out += #" <input type="date" name="from" required value=""#
        out += BusinessDay.date(ofDay: query.period.days.lowerBound)
        out += #""></label><label>"#
        out += t(.periodTo)
        out += #" <input type="date" name="to" required value=""#
        out += BusinessDay.date(ofDay: query.period.days.upperBound)
        out += #""></label>"#
        if let unit = query.unitID { out += #"<input type="hidden" name="unit" value="\#(unit)">"# }
        if query.metric != .unitsSold { out += #"<input type="hidden" name="metric" value="\#(query.metric.rawValue)">"# }
        out += #"<button type="submit" class="small">"#
        out += t(.periodShow)
        out += "</button></form>"
    }

    /// The units above the one viewed, each a link.
    static func trail(_ out: inout HTMLWriter, view: DashboardView, query: DashboardQuery, t: L10n) {
        out += #"<nav class="trail" id="dashboard-trail">"#
        for unit in view.trail {
            out += #"<a href=""#
            out.appendEscaped(link(query, unit: .some(unit.id)))
            out += #"">"#
            out += name(of: unit, t: t)
            out += "</a> › "
        }
        out += "<strong>"
        if let level = view.unit.level {
            out += t.label(level)
            out += " · "
        }
        out += view.unit.kind == "brand" ? (view.unit.name.isEmpty ? t(.dashboardWholeBrand) : view.unit.name) : view.unit.name
        out += "</strong></nav>"
    }

    /// The chosen figure per day as a line, with the period's days along the bottom.
    static func trendChart(_ out: inout HTMLWriter, view: DashboardView, metric: DashboardMetric, t: L10n) {
        let values = view.trend.map { $0.figures.value(metric, days: 1) }
        guard values.contains(where: { $0 != 0 }) else {
            out += #"<p class="muted empty">"#
            out += t(.dashboardNoActivity)
            out += "</p>"
            return
        }
        let (width, height, left, bottom, top) = (640.0, 220.0, 56.0, 24.0, 10.0)
        let top1 = max(values.max() ?? 1, 1)
        let step = values.count > 1 ? (width - left - 8) / Double(values.count - 1) : 0
        func x(_ index: Int) -> Double { left + Double(index) * step }
        func y(_ value: Double) -> Double { top + (height - top - bottom) * (1 - value / top1) }
        out += #"<svg class="chart trend" id="dashboard-trend" viewBox="0 0 640 220" role="img" aria-label=""#
        out.appendEscaped(t(.dashboardTrend) + " · " + t(title(metric)))
        out += #"">"#
        for fraction in [0.0, 0.5, 1.0] {
            let level = y(top1 * fraction)
            out +=
                #"<line class="grid-line" x1="\#(Int(left))" x2="632" y1="\#(Format.decimal(level, places: 1))" y2="\#(Format.decimal(level, places: 1))"/>"#
            out += #"<text class="value" x="\#(Int(left) - 6)" y="\#(Format.decimal(level + 4, places: 1))" text-anchor="end">"#
            out +=
                metric == .salesFen || metric == .rewardFen || metric == .costPerNewCustomerFen
                ? Format.yuan(fen: Int64(top1 * fraction)) : Format.number(Int(top1 * fraction))
            out += "</text>"
        }
        var points = ""
        for (index, value) in values.enumerated() {
            points += Format.decimal(x(index), places: 1) + "," + Format.decimal(y(value), places: 1) + " "
        }
        out += #"<polyline class="line" points="\#(points)"/>"#
        for (index, day) in view.trend.enumerated() {
            out +=
                #"<circle class="point" cx="\#(Format.decimal(x(index), places: 1))" cy="\#(Format.decimal(y(values[index]), places: 1))" r="3"><title>"#
            out += day.day + " · " + formatted(day.figures, metric, days: 1)
            out += "</title></circle>"
        }
        let labels = values.count <= 1 ? [0] : [0, values.count / 2, values.count - 1]
        for index in Set(labels).sorted() {
            out += #"<text x="\#(Format.decimal(x(index), places: 1))" y="214" text-anchor="middle">"#
            out += String(view.trend[index].day.dropFirst(5))
            out += "</text>"
        }
        out += "</svg>"
    }

    /// The figure per province (when the unit spans several) or per city as a tile map: each place a
    /// square in the grid cell nearest its centre (the next free one when taken), darker for more.
    static func map(_ out: inout HTMLWriter, view: DashboardView, metric: DashboardMetric, regions: RegionCatalog, t: L10n) {
        var places: [String: DashboardFigures] = [:]
        let provinces = Set(view.cities.keys.map { $0.prefix(2) })
        for (city, figures) in view.cities {
            places[provinces.count > 1 ? String(city.prefix(2)) + "0000000000" : city, default: .zero] += figures
        }
        let shown = places.compactMap { code, figures -> (region: Region, value: Double)? in
            guard let region = regions.region(code: code) else { return nil }
            return (region, figures.value(metric, days: view.days))
        }.filter { $0.value > 0 }.sorted { $0.region.code < $1.region.code }
        guard !shown.isEmpty else {
            out += #"<p class="muted empty">"#
            out += t(.dashboardNoActivity)
            out += "</p>"
            return
        }
        let cells = TileGrid.place(shown.map { (longitude: $0.region.longitude, latitude: $0.region.latitude) })
        let columns = (cells.map(\.column).max() ?? 0) + 1, rows = (cells.map(\.row).max() ?? 0) + 1
        let tile = 40
        let sorted = shown.map(\.value).sorted()
        let shades = ["#dbe7fb", "#a9c6f3", "#6d9de6", "#3a74d6", "#1d4fa8"]
        func shade(_ value: Double) -> (fill: String, dark: Bool) {
            let rank = sorted.firstIndex(where: { $0 >= value }) ?? 0
            let index = min(shades.count - 1, rank * shades.count / max(1, sorted.count))
            return (shades[index], index >= 3)
        }
        out += #"<svg class="chart map" id="dashboard-map" viewBox="0 0 \#(columns * tile) \#(rows * tile)" role="img" aria-label=""#
        out.appendEscaped(t(.dashboardMap) + " · " + t(title(metric)))
        out += #"">"#
        for (place, cell) in zip(shown, cells) {
            let (x, y) = (cell.column * tile, cell.row * tile)
            let colour = shade(place.value)
            out +=
                #"<g class="place" data-code="\#(place.region.code)"><rect x="\#(x + 1)" y="\#(y + 1)" width="\#(tile - 2)" height="\#(tile - 2)" rx="5" fill="\#(colour.fill)"><title>"#
            out.appendEscaped(place.region.name)
            out += " · "
            out += formatted(places[place.region.code] ?? .zero, metric, days: view.days)
            out += #"</title></rect><text x="\#(x + tile / 2)" y="\#(y + tile / 2 + 4)" text-anchor="middle""#
            out += colour.dark ? #" class="on-dark">"# : ">"
            out.appendEscaped(String(RegionCatalog.shortName(place.region.name).prefix(2)))
            out += "</text></g>"
        }
        out += "</svg>"
    }

    /// The units below, sortable on every figure, each opening its own dashboard (a store its page).
    static func childTable(_ out: inout HTMLWriter, page: WebPage, view: DashboardView, query: DashboardQuery) {
        let t = page.t
        let metrics = metrics(for: page.principal.role)
        out += #"<section class="card flush spaced"><div class="card-head"><h2>"#
        out += t(.dashboardChildren)
        if let level = view.children.first(where: { $0.kind != "unassigned" }) {
            out += " · "
            out += level.kind == "store" ? t(.dashboardStoreLevel) : level.level.map { t.label($0) } ?? ""
        }
        out += "</h2><span>"
        for (format, key) in [("csv", L10n.Key.dashboardExportCSV), ("xlsx", .dashboardExportXLSX)] {
            out += #"<a class="button small secondary" href=""#
            let parameters = link(query).dropFirst(1)
            out.appendEscaped("/api/v1/dashboard" + parameters + (parameters.isEmpty ? "?" : "&") + "format=" + format)
            out += #"">"#
            out += t(key)
            out += "</a> "
        }
        out += #"</span></div><div class="table-wrap"><table id="dashboard-children"><thead><tr><th>"#
        out += t(.dashboardUnit)
        out += "</th>"
        for metric in metrics {
            out += #"<th class="num"><a title=""#
            out += t(.dashboardSortBy)
            out += #"" href=""#
            out.appendEscaped(link(query, sort: metric))
            out += #"">"#
            out += t(title(metric))
            out += metric == query.sort ? " ↓" : ""
            out += "</a></th>"
        }
        out += #"<th class="num">"#
        out += t(.monthOnMonth)
        out += "</th></tr></thead><tbody>"
        if view.children.isEmpty { Layout.emptyRow(&out, columns: metrics.count + 2, text: t(.noResults)) }
        let rows = view.children.sorted { a, b in
            if (a.kind == "unassigned") != (b.kind == "unassigned") { return b.kind == "unassigned" }
            let (x, y) = (a.current.value(query.sort, days: view.days), b.current.value(query.sort, days: view.days))
            return x != y ? x > y : a.code < b.code
        }
        for unit in rows {
            out += "<tr><td>"
            switch (unit.kind, unit.id) {
            case ("org", let id?):
                out += #"<a href=""#
                out.appendEscaped(link(query, unit: .some(id)))
                out += #"">"#
                out += unit.name
                out += "</a>"
            case ("store", let id?):
                out += #"<a href="/stores/\#(id)">"#
                out += unit.name
                out += "</a>"
            default:
                out += #"<span class="muted">"#
                out += name(of: unit, t: t)
                out += "</span>"
            }
            out += "</td>"
            for metric in metrics {
                out += #"<td class="num">"#
                out += formatted(unit.current, metric, days: view.days)
                out += "</td>"
            }
            out += #"<td class="num">"#
            change(
                &out, label: "", current: unit.current.value(query.sort, days: view.days),
                earlier: unit.previous.value(query.sort, days: view.days), metric: query.sort)
            out += "</td></tr>"
        }
        out += "</tbody></table></div></section>"
    }
}
