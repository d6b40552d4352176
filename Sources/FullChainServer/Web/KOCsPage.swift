import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// A store's KOCs: how dense they are among its consumers, and who they are (for those who may
/// see its consumers; store staff see the count).
struct StoreKOCs: Sendable {
    var kocs: [KOCLine]
    var consumers: Int
    var named: [KOCLine]?

    var density: KOCDensity { KOCDensity.of(kocs: kocs.count, consumers: consumers) }

    static func of(store: Int64, principal: Principal, storage: AppStorage) async throws -> StoreKOCs {
        let whole = AccessScope.wholeTenant(principal.tenantID)
        let kocs = try await storage.referrals.referrers(scope: whole, storeID: store, limit: 1_000).filter(\.figures.isKOC)
        let consumers = try await storage.profiles.list(ListQuery(limit: 1), filter: ConsumerFilter(storeID: store), scope: whole).total
        let named: [KOCLine]? = if case .store = principal.scope.reach { nil } else { kocs }
        return StoreKOCs(kocs: kocs, consumers: consumers, named: named)
    }
}

/// `GET /kocs`: the consumers who bring others (KOC), within the caller's part of the org, by
/// store; the referrals held as likely farming, which HQ counts or rejects
/// (`POST /referrals/{id}/review`).
enum KOCsPage {
    static let densityKeys: [KOCDensity: L10n.Key] = [
        .none: .kocDensityNone, .low: .kocDensityLow, .medium: .kocDensityMedium, .high: .kocDensityHigh,
    ]
    static let reasonKeys: [ReferralHoldReason: L10n.Key] = [
        .selfReferral: .holdSelfReferral, .sharedDevice: .holdSharedDevice, .ipCluster: .holdIPCluster, .ring: .holdRing,
    ]

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let storage = services.storage
        router.get("/kocs") { request, context in
            let page = try WebPage(request, context)
            let scope = try SegmentsAPI.scope(page.principal)
            let store = try ReferralsAPI.storeID(request)
            let lines = try await storage.referrals.referrers(scope: scope, storeID: store, limit: 500)
            let held = try await storage.referrals.list(status: .held, scope: scope, limit: 200)
            let programme = try await services.consumers.referralProgramme(tenantID: page.principal.tenantID)
            return render(
                page, lines: lines, held: held, programme: programme, canReview: Permission.manageCampaigns.isGranted(to: page.principal.role))
        }

        router.post("/referrals/programme") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 1_024)))
            let number = { (name: String) in fields[name].flatMap { Int64($0.trimmingWhitespace()) } }
            _ = try await services.consumers.setReferralProgramme(
                ReferralProgrammeInput(rewardPoints: number("rewardPoints"), addBudgetPoints: number("addBudgetPoints") ?? 0),
                by: page.principal.username, tenantID: page.principal.tenantID, now: currentMillis())
            return HTML.redirect("/kocs")
        }

        router.post("/referrals/:id/review") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 1_024)))
            guard let decision = fields["decision"], decision == "count" || decision == "reject" else {
                throw APIError.badRequest("validation_failed", "decision is count or reject")
            }
            _ = try await services.consumers.reviewReferral(
                try context.id(), count: decision == "count", by: page.principal.username, tenantID: page.principal.tenantID, now: currentMillis())
            return HTML.redirect("/kocs")
        }
    }

    /// A link to the object `id` under `path`, named `name` (its number when nameless); a dash for none.
    static func link(_ out: inout HTMLWriter, _ path: String, _ id: Int64?, _ name: String?) {
        guard let id else {
            out += "—"
            return
        }
        out += #"<a href="\#(path)\#(id)">"#
        out.appendEscaped(name ?? "#\(id)")
        out += "</a>"
    }

    static func render(
        _ page: WebPage, lines: [KOCLine], held: [ReferralLine], programme: (rewardPoints: Int64, budgetLeft: Int64), canReview: Bool
    ) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.navKOCs), section: .consumers, capacity: 24_000) { out in
            Layout.pageHeader(&out, title: t(.navKOCs), lead: t(.kocsLead))
            out += #"<section class="card flush spaced"><div class="table-wrap"><table id="kocs"><thead><tr><th>"#
            out.appendJoined([t(.consumer), t(.kocStore)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out.appendJoined([t(.kocInvited), t(.kocRepeatRate), t(.kocSecondHop), t(.kocScore)], separator: #"</th><th class="num">"#)
            out += "</th><th></th></tr></thead><tbody>"
            if lines.isEmpty { Layout.emptyRow(&out, columns: 7, text: t(.noResults)) }
            for line in lines {
                out += #"<tr data-koc="\#(line.figures.isKOC ? 1 : 0)" data-invited="\#(line.figures.invited)"><td>"#
                link(&out, "/consumers/", line.profileID, line.label)
                out += "</td><td>"
                link(&out, "/stores/", line.storeID, line.storeName)
                out += #"</td><td class="num">\#(line.figures.invited)</td><td class="num">"#
                out += Format.decimal(line.figures.repeatRate * 100, places: 0) + "%"
                out += #"</td><td class="num">\#(line.figures.secondHop)</td><td class="num">"#
                out += Robust.text(line.figures.score)
                out += "</td><td>"
                if line.figures.isKOC {
                    out += #"<span class="badge ok">"#
                    out += t(.kocBadge)
                    out += "</span>"
                }
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"

            out += #"<section class="card flush spaced"><h2>"#
            out += t(.heldReferrals)
            out += #"</h2><div class="table-wrap"><table id="held-referrals"><thead><tr><th>"#
            out.appendJoined([t(.referrerColumn), t(.newcomerColumn), t(.kocStore), t(.holdReasons), t(.time)], separator: "</th><th>")
            out += "</th><th></th></tr></thead><tbody>"
            if held.isEmpty { Layout.emptyRow(&out, columns: 6, text: t(.noResults)) }
            for line in held {
                out += #"<tr data-referral="\#(line.referral.id)"><td>"#
                out.appendEscaped(line.referrerLabel ?? "—")
                out += "</td><td>"
                out.appendEscaped(line.referredLabel ?? "—")
                out += "</td><td>"
                out.appendEscaped(line.storeName ?? "—")
                out += "</td><td>"
                out.appendJoined(line.referral.reasons.map { reasonKeys[$0].map { t($0) } ?? $0.rawValue }, separator: "、")
                out += "</td><td>"
                out += t.dateTime(line.referral.at)
                out += "</td><td>"
                if canReview {
                    for (decision, key) in [("count", L10n.Key.referralCount), ("reject", .referralReject)] {
                        out +=
                            #"<form method="post" action="/referrals/\#(line.referral.id)/review" class="inline"><input type="hidden" name="decision" value="\#(decision)"><button type="submit" class="small\#(decision == "count" ? "" : " secondary")">"#
                        out += t(key)
                        out += "</button></form> "
                    }
                }
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
            programmeCard(&out, programme, canEdit: canReview, t: t)
        }
    }

    /// The referral rewards: points per counted newcomer, the budget left, and HQ's form.
    static func programmeCard(_ out: inout HTMLWriter, _ programme: (rewardPoints: Int64, budgetLeft: Int64), canEdit: Bool, t: L10n) {
        out += #"<section class="card spaced" id="referral-programme"><h2>"#
        out += t(.referralRewards)
        out += #"</h2><p class="muted" id="referral-budget" data-left="\#(programme.budgetLeft)">"#
        out += t(
            .referralRewardsNow,
            ["points": Format.number(Int(clamping: programme.rewardPoints)), "left": Format.number(Int(clamping: programme.budgetLeft))])
        out += "</p>"
        guard canEdit else {
            out += "</section>"
            return
        }
        out += #"<form method="post" action="/referrals/programme" class="filters"><label>"#
        out += t(.referralRewardPoints)
        out += #"<input type="number" name="rewardPoints" min="0" max="10000" required value="\#(programme.rewardPoints)"></label><label>"#
        out += t(.referralAddBudget)
        out +=
            #"<input type="number" name="addBudgetPoints" min="0" max="100000000" value="0"></label><div class="filter-actions"><button type="submit">"#
        out += t(.consentSave)
        out += "</button></div></form></section>"
    }
}
