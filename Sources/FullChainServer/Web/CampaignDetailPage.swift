import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /campaigns/{id}`: one campaign's figures, budgets, limits, outcomes and prize tiers (HQ only).
enum CampaignDetailPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let storage = services.storage
        router.get("/campaigns/:id") { request, context in
            let page = try WebPage(request, context)
            let p = try context.require(.manageCampaigns)
            guard let campaign = try await storage.campaigns.get(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
            let view = try await CampaignView.load(campaign, storage: storage, tenantID: p.tenantID)
            var products: [Product] = []
            for id in campaign.draft.productIDs.prefix(50) {
                if let product = try await storage.products.get(id: id, tenantID: p.tenantID) { products.append(product) }
            }
            let audience = try await campaign.draft.audienceSegmentID.asyncFlatMap { try await storage.segments.get(id: $0, tenantID: p.tenantID) }
            let payouts = try await storage.payouts.summary(campaignID: campaign.id, tenantID: p.tenantID)
            return render(page, view: view, products: products, regions: services.regions, audience: audience, payouts: payouts)
        }
    }

    /// The red packets' states, in the order they move through; each with its label.
    static let payoutStates: [(PayoutStatus, L10n.Key)] = [
        (.held, .payoutHeld), (.queued, .payoutQueued), (.sending, .payoutSending), (.unknown, .payoutUnknown), (.paid, .payoutPaid),
        (.failed, .payoutFailed), (.rejected, .payoutRejected),
    ]

    static func render(
        _ page: WebPage, view: CampaignView, products: [Product], regions: RegionCatalog, audience: Segment? = nil,
        payouts: [PayoutStatus: PayoutTally] = [:]
    ) -> Response {
        let t = page.t
        let stats = view.stats
        var badge = HTMLWriter()
        CampaignsPage.statusBadge(&badge, view, now: currentMillis(), t: t)
        return Layout.render(page, title: view.name, section: .campaigns) { out in
            out += #"<div class="crumbs"><a href="/campaigns">"#
            out += t(.navCampaigns)
            out += "</a> / #\(view.id)</div>"
            // Pausing and resuming, while the campaign has not ended.
            if currentMillis() < view.endsAt {
                let paused = view.pausedAt != nil
                APIForm.start(
                    &badge, id: "pause", endpoint: "/api/v1/campaigns/\(view.id)/" + (paused ? "resume" : "pause"), next: nil, t: t)
                APIForm.end(&badge, button: t(paused ? .campaignResume : .campaignPause), secondary: true)
            }
            Layout.pageHeader(
                &out, title: view.name, lead: t.dateTime(view.startsAt) + " – " + t.dateTime(view.endsAt),
                actions: badge.markup)
            out += #"<section class="kpis">"#
            let kpis: [(L10n.Key, String, String)] = [
                (.draws, Format.number(stats.draws), ""), (.participants, Format.number(stats.participants), "teal"),
                (.winners, Format.number(stats.winners), "green"), (.prizesGiven, Format.yuan(fen: stats.prizesFen), "amber"),
                (.storeRewards, Format.yuan(fen: stats.storeRewardsFen), "violet"),
                (.costPerParticipant, CampaignsPage.costPerParticipant(stats), ""),
            ]
            for (key, value, tone) in kpis { Layout.kpi(&out, label: t(key), value: value, tone: tone) }
            out += #"</section><div class="grid two"><section class="card"><h2>"#
            out += t(.spentOfBudget)
            out += #"</h2><dl class="fields">"#
            DistributorsPage.field(&out, t(.consumerBudget)) { CampaignsPage.spent(&$0, left: view.budgetLeftFen, of: view.budgetFen) }
            DistributorsPage.field(&out, t(.storeBudget)) { CampaignsPage.spent(&$0, left: view.storeBudgetLeftFen, of: view.storeBudgetFen) }
            DistributorsPage.field(&out, t(.storeRewardPerScan)) { $0 += Format.yuan(fen: view.storeRewardFen) }
            DistributorsPage.field(&out, t(.pointsGiven)) { $0 += Format.number(Int(stats.points)) }
            DistributorsPage.field(&out, t(.perConsumerPerDay)) { $0 += String(view.perConsumerPerDay) }
            DistributorsPage.field(&out, t(.perDevicePerDay)) { $0 += String(view.perDevicePerDay) }
            DistributorsPage.field(&out, t(.campaignProducts)) { out in
                out.appendEscaped(products.map { $0.name + " (" + $0.sku + ")" }.joined(separator: "、"), placeholder: t(.none))
            }
            DistributorsPage.field(&out, t(.campaignRegions)) { out in
                out.appendEscaped(
                    view.regionCodes.isEmpty ? t(.everywhere) : view.regionCodes.map { regions.fullName(of: $0) }.joined(separator: "、"))
            }
            if !view.geofences.isEmpty {
                DistributorsPage.field(&out, t(.fenceStores)) { out in
                    for (index, fence) in view.geofences.prefix(50).enumerated() {
                        if index > 0 { out += "、" }
                        out += #"<a href="/stores/\#(fence.storeID)">#\#(fence.storeID)</a> \#(Charts.distance(metres: Double(fence.radiusMeters)))"#
                    }
                }
            }
            if let segment = view.segmentID {
                DistributorsPage.field(&out, t(.campaignAudience)) { out in
                    out += #"<a href="/segments/\#(segment)">"#
                    out.appendEscaped(audience?.name ?? "#\(segment)")
                    out += "</a>"
                }
            }
            out += #"</dl></section><section class="card"><h2>"#
            out += t(.outcomes)
            out += "</h2>"
            let outcomes = stats.outcomes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            if outcomes.isEmpty {
                out += #"<p class="muted">"#
                out += t(.noData)
                out += "</p>"
            } else {
                Charts.bars(
                    &out, outcomes.map { Charts.Bar(label: CampaignsPage.label(outcome: $0.key, t: t), value: $0.value) }, title: t(.outcomes),
                    labelWidth: 130)
            }
            out += "</section>"
            backlog(&out, payouts, t: t)
            if currentMillis() < view.endsAt { change(&out, view, t: t) }
            out += #"</div><section class="card flush spaced"><div class="card-head"><h2>"#
            out += t(.prizeTiers)
            out += #"</h2><a href="/api/v1/campaigns/\#(view.id)">"#
            out += t(.apiJSON)
            out += #"</a></div><div class="table-wrap"><table><thead><tr><th>"#
            out.appendJoined([t(.tierName), t(.prizeKind), t(.amount), t(.pointsLabel), t(.probabilityPercent), t(.stock)], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            for tier in view.tiers {
                out += "<tr><td>"
                out.appendEscaped(tier.name)
                out += "</td><td>"
                out += CampaignsPage.label(tier.kind, t: t)
                out += "</td><td>"
                out += tier.amountFen > 0 ? Format.yuan(fen: tier.amountFen) : t(.none)
                out += "</td><td>"
                out += tier.points > 0 ? Format.number(Int(tier.points)) : t(.none)
                out += "</td><td>"
                out += Format.decimal(tier.probability * 100, places: 4)
                out += "</td><td>"
                out += tier.stock.map { Format.number(Int($0)) } ?? t(.unlimited)
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
            out += WebAssets.apiForm.scriptTag
        }
    }

    /// The campaign's red packets by state: how many wait for review or to be sent, and what was paid.
    static func backlog(_ out: inout HTMLWriter, _ payouts: [PayoutStatus: PayoutTally], t: L10n) {
        out += #"<section class="card flush"><div class="card-head"><h2>"#
        out += t(.payoutBacklog)
        out += "</h2>"
        if (payouts[.held]?.count ?? 0) > 0 {
            out += #"<a href="/campaigns/review">"#
            out += t(.reviewHeld)
            out += "</a>"
        }
        out += #"</div><div class="table-wrap"><table id="payout-backlog"><thead><tr><th>"#
        out += t(.status)
        out += #"</th><th class="num">"#
        out.appendJoined([t(.payoutCount), t(.amount)], separator: #"</th><th class="num">"#)
        out += "</th></tr></thead><tbody>"
        if payouts.isEmpty { Layout.emptyRow(&out, columns: 3, text: t(.noPayouts)) }
        for (status, key) in payoutStates {
            guard let tally = payouts[status] else { continue }
            out += "<tr><td>"
            out += t(key)
            out += #"</td><td class="num">"#
            out += Format.number(tally.count)
            out += #"</td><td class="num">"#
            out += Format.yuan(fen: tally.amountFen)
            out += "</td></tr>"
        }
        out += "</tbody></table></div></section>"
    }

    /// Changing what may change once the campaign is funded: its name, its end and its daily limits.
    static func change(_ out: inout HTMLWriter, _ view: CampaignView, t: L10n) {
        out += #"<section class="card"><h2>"#
        out += t(.campaignChange)
        out += #"</h2><p class="muted small">"#
        out += t(.campaignChangeHint)
        out += "</p>"
        APIForm.start(&out, id: "change", endpoint: "/api/v1/campaigns/\(view.id)", method: "PATCH", next: nil, t: t)
        out += "<label>"
        out += t(.campaignName)
        out += #"<input type="text" name="name" maxlength="100" required value=""#
        out.appendEscaped(view.name)
        out += #""></label><label>"#
        out += t(.endsAt)
        out +=
            #"<input type="datetime-local" name="endsAt" data-millis data-initial="\#(view.endsAt)" required></label><div class="grid two"><label>"#
        out += t(.perConsumerPerDay)
        out += #"<input type="number" name="perConsumerPerDay" min="1" max="1000" step="1" value="\#(view.perConsumerPerDay)"></label><label>"#
        out += t(.perDevicePerDay)
        out += #"<input type="number" name="perDevicePerDay" min="1" max="1000" step="1" value="\#(view.perDevicePerDay)"></label></div>"#
        APIForm.end(&out, button: t(.journeySaveChanges))
        out += "</section>"
    }
}
