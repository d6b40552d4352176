import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /campaigns`: the list with live figures, and what the campaign pages share (labels, the
/// status badge, budget meters); HQ only, like the campaigns API.
enum CampaignsPage {
    static let perPage = 20

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let storage = services.storage
        router.get("/campaigns") { request, context in
            let page = try WebPage(request, context)
            let p = try context.require(.manageCampaigns)
            let number = page.pageNumber
            let campaigns = try await storage.campaigns.list(ListQuery(limit: perPage, offset: (number - 1) * perPage), tenantID: p.tenantID)
            var views: [CampaignView] = []
            for campaign in campaigns.items { views.append(try await CampaignView.load(campaign, storage: storage, tenantID: p.tenantID)) }
            let held = try await storage.payouts.summary(tenantID: p.tenantID)[.held]
            return renderList(page, views: views, total: campaigns.total, number: number, held: held)
        }
    }

    static func label(_ kind: String, t: L10n) -> String {
        switch PrizeKind(rawValue: kind) {
        case .cash: t(.prizeCash)
        case .points: t(.prizePoints)
        case .freeItem: t(.prizeFreeItem)
        case .coupon: t(.prizeCoupon)
        case nil: kind
        }
    }

    /// A draw's outcome in words.
    static func label(outcome code: String, t: L10n) -> String {
        switch DrawOutcome(rawValue: code) {
        case .won: t(.outcomeWon)
        case .lost: t(.outcomeNoPrize)
        case .alreadyDrawn: t(.outcomeAlreadyDrawn)
        case .limitReached: t(.outcomeLimitReached)
        case .outOfStock: t(.outcomeOutOfStock)
        case .budgetSpent: t(.outcomeBudgetSpent)
        case .identityNeeded: t(.outcomeNoIdentity)
        case .inactiveCode: t(.outcomeInactiveCode)
        case nil: code
        }
    }

    /// Running, upcoming or ended, as a badge.
    static func statusBadge(_ out: inout HTMLWriter, _ view: CampaignView, now: Int64, t: L10n) {
        if view.pausedAt != nil && now < view.endsAt {
            out += #"<span class="badge warn">\#(t(.statusPaused))</span>"#
        } else if now < view.startsAt {
            out += #"<span class="badge info">\#(t(.statusUpcoming))</span>"#
        } else if now < view.endsAt {
            out += #"<span class="badge ok">\#(t(.statusRunning))</span>"#
        } else {
            out += #"<span class="badge off">\#(t(.statusEnded))</span>"#
        }
    }

    /// `¥1,234.00 / ¥5,000.00` with a bar of the share spent.
    static func spent(_ out: inout HTMLWriter, left: Int64, of budget: Int64) {
        let used = max(0, budget - left)
        let share = budget > 0 ? min(100, Int((Double(used) / Double(budget) * 100).rounded())) : 0
        out += Format.yuan(fen: used) + " / " + Format.yuan(fen: budget)
        out +=
            #"<div class="meter" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="\#(share)"><svg viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true"><rect width="\#(share)" height="1"></rect></svg></div>"#
    }

    /// What the campaign cost per participating consumer: prizes and store rewards over participants.
    static func costPerParticipant(_ stats: CampaignStats) -> String {
        guard stats.participants > 0 else { return "—" }
        return Format.yuan(fen: (stats.prizesFen + stats.storeRewardsFen) / Int64(stats.participants))
    }

    static func renderList(_ page: WebPage, views: [CampaignView], total: Int, number: Int, held: PayoutTally?) -> Response {
        let t = page.t
        let now = currentMillis()
        let actions: Markup =
            #"<a class="button secondary" href="/campaigns/review">\#(t(.reviewQueue)) (\#(Format.number(held?.count ?? 0)))</a> "#
            + #"<a class="button" href="/campaigns/new">\#(t(.newCampaign))</a>"#
        return Layout.render(page, title: t(.navCampaigns), section: .campaigns) { out in
            Layout.pageHeader(&out, title: t(.navCampaigns), lead: t.total(total) + " · " + t(.campaignsLead), actions: actions)
            out += #"<section class="card flush"><div class="table-wrap"><table><thead><tr><th>"#
            out.appendJoined([t(.campaignName), t(.campaignWindow), t(.status)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out.appendJoined([t(.draws), t(.participants), t(.winners)], separator: #"</th><th class="num">"#)
            out += "</th><th>"
            out.appendJoined([t(.spentOfBudget), t(.storeRewards)], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if views.isEmpty { Layout.emptyRow(&out, columns: 8, text: t(.noResults)) }
            for view in views {
                out += #"<tr><td><a href="/campaigns/\#(view.id)"><strong>"#
                out.appendEscaped(view.name)
                out += "</strong></a></td><td>"
                out += t.dateTime(view.startsAt) + " – " + t.dateTime(view.endsAt)
                out += "</td><td>"
                statusBadge(&out, view, now: now, t: t)
                out += #"</td><td class="num">"#
                out.appendJoined(
                    [Format.number(view.stats.draws), Format.number(view.stats.participants), Format.number(view.stats.winners)],
                    separator: #"</td><td class="num">"#)
                out += "</td><td>"
                spent(&out, left: view.budgetLeftFen, of: view.budgetFen)
                out += "</td><td>"
                out += Format.yuan(fen: view.stats.storeRewardsFen)
                out += "</td></tr>"
            }
            out += "</tbody></table></div>"
            Layout.pager(&out, t: t, path: "/campaigns", query: QueryString(), page: number, perPage: perPage, total: total)
            out += "</section>"
        }
    }
}
