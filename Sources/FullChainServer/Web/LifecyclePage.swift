import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// `GET /lifecycle`: the AARRR funnel of the consumers acquired in a period, conversion between
/// stages and the moves made in it; weekly cohort retention by week of first scan; both for the
/// caller's part of the org or an org unit within it, read from rollups. HQ changes what counts
/// for each stage (`POST /lifecycle/settings`).
enum LifecyclePage {
    static let stageKeys: [LifecycleStage: L10n.Key] = [
        .acquired: .stageAcquired, .activated: .stageActivated, .retained: .stageRetained, .revenue: .stageRevenue, .referral: .stageReferral,
    ]
    static let causeKeys: [LifecycleCause: L10n.Key] = [
        .firstScan: .causeFirstScan, .signedIn: .causeSignedIn, .firstReward: .causeFirstReward, .repeatScan: .causeRepeatScan,
        .redeemed: .causeRedeemed, .pointsSpent: .causePointsSpent, .referredScan: .causeReferredScan,
    ]

    static func label(_ stage: LifecycleStage, t: L10n) -> String { stageKeys[stage].map { t($0) } ?? stage.rawValue }
    static func label(_ cause: LifecycleCause, t: L10n) -> String { causeKeys[cause].map { t($0) } ?? cause.rawValue }

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/lifecycle") { request, context in
            let page = try WebPage(request, context)
            return try await render(page, request: request, services: services, errors: [], notice: page.query["saved"] == "1")
        }

        router.post("/lifecycle/settings") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 4_096)))
            let input = LifecycleSettingsInput(
                retainedWithinDays: fields["retainedWithinDays"].flatMap { Int64($0.trimmingWhitespace()) },
                activateOnSignIn: fields["activateOnSignIn"] == "1", activateOnReward: fields["activateOnReward"] == "1",
                revenueOnRedemption: fields["revenueOnRedemption"] == "1", revenueOnPointsSpent: fields["revenueOnPointsSpent"] == "1")
            do {
                _ = try await services.core.lifecycle.save(
                    input, by: page.principal.username, tenantID: page.principal.tenantID, now: currentMillis())
                return HTML.redirect("/lifecycle?saved=1")
            } catch let error as ValidationError {
                var response = try await render(page, request: request, services: services, errors: error.errors, notice: false)
                response.status = .unprocessableContent
                return response
            }
        }
    }

    static func describe(_ error: FieldError, t: L10n) -> String {
        switch error.code {
        case "unreachable_stage": t(error.field == "activateOnSignIn" ? .stageActivated : .stageRevenue) + "：" + t(.errUnreachable)
        case "out_of_range": t(.retainedWithinDays) + "：" + t(.errOutOfRange)
        default: t(.errInvalid)
        }
    }

    static func render(_ page: WebPage, request: Request, services: AppServices, errors: [FieldError], notice: Bool) async throws -> Response {
        let t = page.t
        let storage = services.storage
        let scope = try await LifecycleAPI.scope(request, page.principal, storage: storage)
        let (from, to) = try LifecycleAPI.period(request)
        let weeks = try LifecycleAPI.weeks(request)
        let funnel = try await services.core.lifecycle.funnel(days: from...to, scope: scope)
        let cohorts = try await services.core.lifecycle.cohorts(weeks: weeks, today: BusinessDay.day(ofMillis: currentMillis()), scope: scope)
        let settings = try await storage.lifecycle.settings(tenantID: page.principal.tenantID)
        let nodes =
            page.principal.role == .admin || page.principal.role == .manager
            ? try await storage.org.list(scope: page.principal.scope, level: nil).prefix(500) : []
        let canEdit = Permission.manageCampaigns.isGranted(to: page.principal.role)
        return Layout.render(page, title: t(.navLifecycle), section: .consumers, capacity: 24_000) { out in
            Layout.pageHeader(&out, title: t(.navLifecycle), lead: t(.lifecycleLead))
            if notice { out += #"<p class="alert ok" id="notice">\#(t(.settingsSaved))</p>"# }
            Layout.fieldErrors(&out, errors) { describe($0, t: t) }

            out += #"<form method="get" action="/lifecycle" class="card filters spaced" id="period"><label>"#
            out += t(.periodFrom)
            out += #"<input type="date" name="from" value="\#(BusinessDay.date(ofDay: from))"></label><label>"#
            out += t(.periodTo)
            out += #"<input type="date" name="to" value="\#(BusinessDay.date(ofDay: to))"></label>"#
            if !nodes.isEmpty {
                out += "<label>"
                out += t(.orgUnit)
                out += #"<select name="node">"#
                Layout.option(&out, value: "", label: t(.wholeReach), selected: page.query["node"])
                for node in nodes { Layout.option(&out, value: String(node.id), label: node.name, selected: page.query["node"]) }
                out += "</select></label>"
            }
            out += #"<input type="hidden" name="weeks" value="\#(weeks)">"#
            Layout.filterButtons(&out, t: t, resetPath: "/lifecycle")
            out += "</form>"

            funnelTable(&out, funnel, t: t)
            cohortTable(&out, cohorts, t: t)
            settingsCard(&out, settings, canEdit: canEdit, t: t)
        }
    }

    static func funnelTable(_ out: inout HTMLWriter, _ funnel: LifecycleFunnel, t: L10n) {
        out += #"<section class="card flush spaced"><h2>"#
        out += t(.lifecycleFunnel)
        out += #"</h2><div class="table-wrap"><table id="funnel"><thead><tr><th>"#
        out += t(.lifecycleStage)
        out += #"</th><th class="num">"#
        out.appendJoined([t(.funnelReached), t(.funnelConversion), t(.funnelMoved)], separator: #"</th><th class="num">"#)
        out += "</th><th></th></tr></thead><tbody>"
        let top = max(1, funnel.reached[.acquired] ?? 0)
        for stage in LifecycleStage.allCases {
            let reached = funnel.reached[stage] ?? 0
            out += #"<tr data-stage="\#(stage.rawValue)" data-reached="\#(reached)"><td>"#
            out += label(stage, t: t)
            out += #"</td><td class="num">"#
            out += Format.number(Int(reached))
            out += #"</td><td class="num">"#
            out += funnel.conversion(into: stage).map { Format.decimal($0 * 100, places: 1) + "%" } ?? "—"
            out += #"</td><td class="num">"#
            out += Format.number(Int(funnel.moved[stage] ?? 0))
            let width = Double(reached) / Double(top) * 100
            out += #"</td><td class="bar-cell"><span class="bar" style="width:\#(Format.decimal(width, places: 1))%"></span></td></tr>"#
        }
        out += "</tbody></table></div></section>"
    }

    static func cohortTable(_ out: inout HTMLWriter, _ cohorts: [LifecycleCohort], t: L10n) {
        let columns = cohorts.map(\.active.count).max() ?? 0
        out += #"<section class="card flush spaced"><h2>"#
        out += t(.cohortRetention)
        out += #"</h2><div class="table-wrap"><table id="cohorts"><thead><tr><th>"#
        out += t(.cohortWeek)
        out += #"</th><th class="num">"#
        out += t(.cohortConsumers)
        for week in 0..<columns {
            out += #"</th><th class="num">"#
            out += t(.weekN, ["n": String(week)])
        }
        out += "</th></tr></thead><tbody>"
        if cohorts.isEmpty { Layout.emptyRow(&out, columns: 2 + columns, text: t(.noResults)) }
        for cohort in cohorts {
            out += #"<tr data-week="\#(BusinessDay.date(ofDay: Lifecycle.firstDay(ofWeek: cohort.week)))"><td>"#
            out += BusinessDay.date(ofDay: Lifecycle.firstDay(ofWeek: cohort.week))
            out += #"</td><td class="num">"#
            out += Format.number(Int(cohort.consumers))
            for week in 0..<columns {
                out += #"<td class="num">"#
                if let share = cohort.retention(week: week) {
                    out += #"<span title="\#(cohort.active[week])">"#
                    out += Format.decimal(share * 100, places: 1) + "%"
                    out += "</span>"
                }
                out += "</td>"
            }
            out += "</td></tr>"
        }
        out += "</tbody></table></div></section>"
    }

    static func settingsCard(_ out: inout HTMLWriter, _ settings: LifecycleSettings, canEdit: Bool, t: L10n) {
        out += #"<section class="card spaced"><h2>"#
        out += t(.lifecycleSettings)
        out += #"</h2><p class="muted">"#
        out += t(.lifecycleHowTo)
        out += #"</p><form method="post" action="/lifecycle/settings" id="lifecycle-settings"><div class="filters"><label>"#
        out += t(.retainedWithinDays)
        let disabled = canEdit ? "" : " disabled"
        out +=
            #"<input type="number" name="retainedWithinDays" min="1" max="365" required value="\#(settings.retainedWithinDays)"\#(disabled)></label>"#
        let boxes: [(String, L10n.Key, Bool)] = [
            ("activateOnSignIn", .activateOnSignIn, settings.activateOnSignIn), ("activateOnReward", .activateOnReward, settings.activateOnReward),
            ("revenueOnRedemption", .revenueOnRedemption, settings.revenueOnRedemption),
            ("revenueOnPointsSpent", .revenueOnPointsSpent, settings.revenueOnPointsSpent),
        ]
        for (name, key, on) in boxes {
            out += #"<label class="check"><input type="checkbox" name="\#(name)" value="1"\#(on ? " checked" : "")\#(disabled)> "#
            out += t(key)
            out += "</label>"
        }
        out += "</div>"
        if canEdit {
            out += #"<div class="filter-actions"><button type="submit">"#
            out += t(.consentSave)
            out += "</button></div>"
        }
        out += "</form></section>"
    }
}
