import FullChainApp
import FullChainCore
import FullChainStorage
import FullChainTabular
import Hummingbird

/// What a dashboard is asked for: a period (a preset, or `from`…`to`), a unit of the org, the figure
/// the trend and map show and the one the table is sorted by.
struct DashboardQuery: Sendable {
    var preset: DashboardPeriod.Preset?
    var period: DashboardPeriod
    var unitID: Int64?
    var metric: DashboardMetric
    var sort: DashboardMetric

    static let defaultPreset = DashboardPeriod.Preset.last30

    /// Reads the query; 400 `invalid_query` for anything out of range.
    init(_ value: (String) -> String?, today: Int64) throws(APIError) {
        let from = value("from"), to = value("to")
        switch (from, to) {
        case (nil, nil):
            guard let preset = DashboardPeriod.Preset(rawValue: value("preset") ?? Self.defaultPreset.rawValue) else {
                throw APIError.badRequest(
                    "invalid_query", "preset is one of " + DashboardPeriod.Preset.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.preset = preset
            period = preset.period(today: today)
        case (let from?, let to?):
            guard let first = CalendarDate(from, years: 2000...2100), let last = CalendarDate(to, years: 2000...2100) else {
                throw APIError.badRequest("invalid_query", "from and to are dates, YYYY-MM-DD")
            }
            guard let period = DashboardPeriod(from: Int64(first.dayNumber), to: Int64(last.dayNumber)) else {
                throw APIError.badRequest("invalid_query", "from is on or before to, at most \(DashboardPeriod.maxDays) days apart")
            }
            preset = nil
            self.period = period
        default:
            throw APIError.badRequest("invalid_query", "from and to go together")
        }
        if let text = value("unit") {
            guard let id = Int64(text), id > 0 else { throw APIError.badRequest("invalid_query", "unit is an org node's id") }
            unitID = id
        }
        func chosen(_ name: String, _ fallback: DashboardMetric) throws(APIError) -> DashboardMetric {
            guard let text = value(name) else { return fallback }
            guard let metric = DashboardMetric(rawValue: text) else {
                throw APIError.badRequest("invalid_query", "\(name) is one of " + DashboardMetric.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return metric
        }
        metric = try chosen("metric", .unitsSold)
        sort = try chosen("sort", metric)
    }
}

extension DashboardService {
    /// The dashboard a request asks for; 404 for a unit outside the caller's reach.
    func view(_ query: DashboardQuery, principal: Principal) async throws -> DashboardView {
        do {
            return try await view(principal: principal, nodeID: query.unitID, period: query.period)
        } catch DashboardError.unknownUnit {
            throw APIError.notFound
        }
    }
}

/// `GET /api/v1/dashboard`: the same figures the dashboard page shows.
enum DashboardAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        [
            APIEndpoint(
                .get, "/api/v1/dashboard", id: "getDashboard", tag: "dashboard",
                summary: "A unit of my reach over a period: figures with the period before and a year earlier, trend, child units, cities",
                response: "Dashboard",
                query: [
                    .init("preset", "string", "today, yesterday, last7, last30 (default), thisMonth, lastMonth or last90"),
                    .init("from", "string", "first day, YYYY-MM-DD (with to)"), .init("to", "string", "last day, YYYY-MM-DD (with from)"),
                    .init("unit", "integer", "an org node within my reach (default: my own)"),
                    .init("format", "string", "json (default), csv or xlsx: the child units as a table"),
                ]
            ) { request, context in
                let principal = try context.requirePrincipal()
                let query = try DashboardQuery({ request.uri.queryParameters.get($0) }, today: BusinessDay.day(ofMillis: currentMillis()))
                let format = request.uri.queryParameters.get("format") ?? "json"
                guard ["json", "csv", "xlsx"].contains(format) else {
                    throw APIError(.badRequest, code: "invalid_query", message: "format is json, csv or xlsx")
                }
                let view = try await services.dashboards.view(query, principal: principal)
                if format == "json" { return try .json(view) }
                let rows = table(view, t: L10n(context.language), metrics: DashboardPage.metrics(for: principal.role))
                let file = try ExportService.file(rows, format: format, baseName: "dashboard")
                return .download(file.bytes, contentType: file.contentType, fileName: file.fileName)
            }.producing(APIEndpoint.spreadsheetTypes)
        ]
    }

    /// The child units as a table, in the caller's language.
    static func table(_ view: DashboardView, t: L10n, metrics: [DashboardMetric]) -> Table {
        let header =
            [t(.dashboardUnit), t(.code)] + metrics.map { t(DashboardPage.title($0)) } + [t(.dashboardUnitsPrevious), t(.dashboardUnitsLastYear)]
        let rows = view.children.map { unit in
            [DashboardPage.name(of: unit, t: t), unit.code] + metrics.map { DashboardPage.plain(unit.current, $0, days: view.days) }
                + [String(unit.previous.unitsSold), String(unit.lastYear.unitsSold)]
        }
        return Table(header: header, rows: rows)
    }
}
