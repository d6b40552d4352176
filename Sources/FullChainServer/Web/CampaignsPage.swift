import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /campaigns` (list with live figures), `GET /campaigns/new` (the editor, which posts to the
/// API) and `GET /campaigns/{id}` (one campaign's figures); HQ only, like the campaigns API.
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
        router.get("/campaigns/new") { request, context in
            let page = try WebPage(request, context)
            let p = try context.require(.manageCampaigns)
            let products = try await storage.products.list(ListQuery(limit: 500), category: nil, tenantID: p.tenantID).items
            return renderEditor(page, products: products)
        }
        router.get("/campaigns/:id") { request, context in
            let page = try WebPage(request, context)
            let p = try context.require(.manageCampaigns)
            guard let campaign = try await storage.campaigns.get(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
            let view = try await CampaignView.load(campaign, storage: storage, tenantID: p.tenantID)
            var products: [Product] = []
            for id in campaign.draft.productIDs.prefix(50) {
                if let product = try await storage.products.get(id: id, tenantID: p.tenantID) { products.append(product) }
            }
            return renderDetail(page, view: view, products: products, regions: services.regions)
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
        if now < view.startsAt {
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
        out += #"<div class="meter" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="\#(share)"><svg viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true"><rect width="\#(share)" height="1"></rect></svg></div>"#
    }

    /// What the campaign cost per participating consumer: prizes and store rewards over participants.
    static func costPerParticipant(_ stats: CampaignStats) -> String {
        guard stats.participants > 0 else { return "—" }
        return Format.yuan(fen: (stats.prizesFen + stats.storeRewardsFen) / Int64(stats.participants))
    }

    static func renderList(_ page: WebPage, views: [CampaignView], total: Int, number: Int, held: PayoutTally?) -> Response {
        let t = page.t
        let now = currentMillis()
        let actions: Markup = #"<a class="button secondary" href="/campaigns/review">\#(t(.reviewQueue)) (\#(Format.number(held?.count ?? 0)))</a> "#
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
                out += Format.dateTime(millis: view.startsAt) + " – " + Format.dateTime(millis: view.endsAt)
                out += "</td><td>"
                statusBadge(&out, view, now: now, t: t)
                out += #"</td><td class="num">"#
                out.appendJoined([Format.number(view.stats.draws), Format.number(view.stats.participants), Format.number(view.stats.winners)], separator: #"</td><td class="num">"#)
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

    static func renderDetail(_ page: WebPage, view: CampaignView, products: [Product], regions: RegionCatalog) -> Response {
        let t = page.t
        let stats = view.stats
        var badge = HTMLWriter()
        statusBadge(&badge, view, now: currentMillis(), t: t)
        return Layout.render(page, title: view.name, section: .campaigns) { out in
            out += #"<div class="crumbs"><a href="/campaigns">"#
            out += t(.navCampaigns)
            out += "</a> / #\(view.id)</div>"
            Layout.pageHeader(&out, title: view.name, lead: Format.dateTime(millis: view.startsAt) + " – " + Format.dateTime(millis: view.endsAt), actions: badge.markup)
            out += #"<section class="kpis">"#
            let kpis: [(L10n.Key, String, String)] = [
                (.draws, Format.number(stats.draws), ""), (.participants, Format.number(stats.participants), "teal"),
                (.winners, Format.number(stats.winners), "green"), (.prizesGiven, Format.yuan(fen: stats.prizesFen), "amber"),
                (.storeRewards, Format.yuan(fen: stats.storeRewardsFen), "violet"), (.costPerParticipant, costPerParticipant(stats), ""),
            ]
            for (key, value, tone) in kpis {
                out += #"<div class="kpi \#(tone)"><div class="label">"#
                out += t(key)
                out += #"</div><div class="value">"#
                out += value
                out += "</div></div>"
            }
            out += #"</section><div class="grid two"><section class="card"><h2>"#
            out += t(.spentOfBudget)
            out += #"</h2><dl class="fields">"#
            DistributorsPage.field(&out, t(.consumerBudget)) { spent(&$0, left: view.budgetLeftFen, of: view.budgetFen) }
            DistributorsPage.field(&out, t(.storeBudget)) { spent(&$0, left: view.storeBudgetLeftFen, of: view.storeBudgetFen) }
            DistributorsPage.field(&out, t(.storeRewardPerScan)) { $0 += Format.yuan(fen: view.storeRewardFen) }
            DistributorsPage.field(&out, t(.pointsGiven)) { $0 += Format.number(Int(stats.points)) }
            DistributorsPage.field(&out, t(.perConsumerPerDay)) { $0 += String(view.perConsumerPerDay) }
            DistributorsPage.field(&out, t(.perDevicePerDay)) { $0 += String(view.perDevicePerDay) }
            DistributorsPage.field(&out, t(.campaignProducts)) { out in
                out.appendEscaped(products.map { $0.name + " (" + $0.sku + ")" }.joined(separator: "、"), placeholder: t(.none))
            }
            DistributorsPage.field(&out, t(.campaignRegions)) { out in
                out.appendEscaped(view.regionCodes.isEmpty ? t(.everywhere) : view.regionCodes.map { regions.fullName(of: $0) }.joined(separator: "、"))
            }
            if !view.geofences.isEmpty {
                DistributorsPage.field(&out, t(.fenceStores)) { out in
                    for (index, fence) in view.geofences.prefix(50).enumerated() {
                        if index > 0 { out += "、" }
                        out += #"<a href="/stores/\#(fence.storeID)">#\#(fence.storeID)</a> \#(Charts.distance(metres: Double(fence.radiusMeters)))"#
                    }
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
                Charts.bars(&out, outcomes.map { Charts.Bar(label: label(outcome: $0.key, t: t), value: $0.value) }, title: t(.outcomes), labelWidth: 130)
            }
            out += #"</section></div><section class="card flush spaced"><div class="card-head"><h2>"#
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
                out += label(tier.kind, t: t)
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
        }
    }

    static func renderEditor(_ page: WebPage, products: [Product]) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.newCampaign), section: .campaigns) { out in
            out += #"<div class="crumbs"><a href="/campaigns">"#
            out += t(.navCampaigns)
            out += "</a> / "
            out += t(.newCampaign)
            out += "</div>"
            Layout.pageHeader(&out, title: t(.newCampaign), lead: t(.campaignsLead))
            // The API checks every field and names each problem: the browser's own checks would hide them.
            out += #"<form id="campaign-form" class="card editor" novalidate data-saving=""#
            out.appendEscaped(t(.saving))
            out += #"" data-failed=""#
            out.appendEscaped(t(.saveFailed))
            out += #"" data-fix=""#
            out.appendEscaped(t(.fixFields))
            out += #""><div class="grid two"><div>"#
            field(&out, t(.campaignName), #"<input type="text" name="name" maxlength="100" required>"#)
            field(&out, t(.startsAt), #"<input type="datetime-local" name="startsAt" required>"#)
            field(&out, t(.endsAt), #"<input type="datetime-local" name="endsAt" required>"#)
            field(&out, t(.campaignRegions), #"<input type="text" name="regionCodes" placeholder="110000, 440300"><small class="muted">\#(t(.campaignRegionsHint))</small>"#)
            field(&out, t(.fenceStores), #"<input type="text" name="storeIDs" placeholder="12, 57"><small class="muted">\#(t(.fenceHint))</small>"#)
            field(&out, t(.fenceRadius), #"<input type="number" name="radiusMeters" min="100" max="50000" step="100" placeholder="2000">"#)
            out += #"</div><div>"#
            field(&out, t(.consumerBudget), #"<input type="number" name="budget" min="0" step="0.01" value="1000">"#)
            field(&out, t(.storeRewardPerScan), #"<input type="number" name="storeReward" min="0" step="0.01" value="0.20">"#)
            field(&out, t(.storeBudget), #"<input type="number" name="storeBudget" min="0" step="0.01" value="200">"#)
            field(&out, t(.perConsumerPerDay), #"<input type="number" name="perConsumerPerDay" min="1" step="1" value="3">"#)
            field(&out, t(.perDevicePerDay), #"<input type="number" name="perDevicePerDay" min="1" step="1" value="5">"#)
            out += #"</div></div><fieldset><legend>"#
            out += t(.campaignProducts)
            out += "</legend>"
            for product in products {
                out += #"<label class="check"><input type="checkbox" name="product" value="\#(product.id)"> "#
                out.appendEscaped(product.name)
                out += #" <code class="muted">"#
                out.appendEscaped(product.sku)
                out += "</code></label>"
            }
            out += #"</fieldset><fieldset><legend>"#
            out += t(.prizeTiers)
            out += #"</legend><div class="table-wrap"><table><thead><tr><th>"#
            out.appendJoined([t(.tierName), t(.prizeKind), t(.amountYuan), t(.pointsLabel), t(.couponCode), t(.probabilityPercent), t(.stock)], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            let examples: [(String, PrizeKind, String, String, String)] = [("¥1.88 红包", .cash, "1.88", "", "10"), ("10 积分", .points, "", "10", "30"), ("", .cash, "", "", "")]
            for (index, example) in examples.enumerated() {
                out += #"<tr class="tier" data-index="\#(index)"><td><input type="text" name="tierName" maxlength="50" value=""#
                out.appendEscaped(example.0)
                out += #""></td><td><select name="tierKind">"#
                for kind in PrizeKind.allCases { Layout.option(&out, value: kind.rawValue, label: label(kind.rawValue, t: t), selected: example.1.rawValue) }
                out += #"</select></td><td><input type="number" name="tierAmount" min="0" step="0.01" value="\#(example.2)"></td>"#
                out += #"<td><input type="number" name="tierPoints" min="0" step="1" value="\#(example.3)"></td>"#
                out += #"<td><input type="text" name="tierCoupon" maxlength="40"></td>"#
                out += #"<td><input type="number" name="tierProbability" min="0" max="100" step="0.0001" value="\#(example.4)"></td>"#
                out += #"<td><input type="number" name="tierStock" min="0" step="1" placeholder=""#
                out += t(.unlimited)
                out += #""></td></tr>"#
            }
            out += #"</tbody></table></div></fieldset><button type="submit">"#
            out += t(.createCampaign)
            out += #"</button><div id="campaign-status" role="status" aria-live="polite"></div></form>"#
            out += WebAssets.campaignEditor.scriptTag
        }
    }

    static func field(_ out: inout HTMLWriter, _ label: String, _ control: Markup) {
        out += #"<div class="form-row"><label>"#
        out += label
        out += control
        out += "</label></div>"
    }

    /// Builds the API's campaign input from the form (yuan to fen, percent to a probability),
    /// posts it with an idempotency key, and shows every field error the API names.
    static let editorScript = """
        (function () {
          var form = document.getElementById('campaign-form');
          var status = document.getElementById('campaign-status');
          var button = form.querySelector('button[type=submit]');
          var key = null;
          function fen(value) { return value === '' ? null : Math.round(parseFloat(value) * 100); }
          function int(value) { return value === '' ? null : parseInt(value, 10); }
          function millis(value) { return value === '' ? null : new Date(value).getTime(); }
          function show(kind, text, items) {
            status.className = 'alert ' + kind; status.textContent = text;
            if (items && items.length) { var list = document.createElement('ul'); items.forEach(function (item) { var li = document.createElement('li'); li.textContent = item; list.appendChild(li); }); status.appendChild(list); }
          }
          form.addEventListener('input', function () { key = null; });
          form.addEventListener('submit', function (event) {
            event.preventDefault();
            var e = form.elements;
            var tiers = [];
            form.querySelectorAll('tr.tier').forEach(function (row) {
              var q = function (name) { return row.querySelector('[name=' + name + ']').value.trim(); };
              if (q('tierName') === '') { return; }
              var tier = { name: q('tierName'), kind: q('tierKind'), probability: q('tierProbability') === '' ? null : parseFloat(q('tierProbability')) / 100 };
              if (q('tierAmount') !== '') { tier.amountFen = fen(q('tierAmount')); }
              if (q('tierPoints') !== '') { tier.points = int(q('tierPoints')); }
              if (q('tierCoupon') !== '') { tier.couponCode = q('tierCoupon'); }
              if (q('tierStock') !== '') { tier.stock = int(q('tierStock')); }
              tiers.push(tier);
            });
            var body = {
              name: e.name.value.trim(), startsAt: millis(e.startsAt.value), endsAt: millis(e.endsAt.value),
              productIDs: Array.prototype.filter.call(form.querySelectorAll('[name=product]'), function (box) { return box.checked; }).map(function (box) { return parseInt(box.value, 10); }),
              regionCodes: e.regionCodes.value.split(/[,，\\s]+/).filter(function (code) { return code !== ''; }),
              tiers: tiers, budgetFen: fen(e.budget.value), storeRewardFen: fen(e.storeReward.value), storeBudgetFen: fen(e.storeBudget.value),
              perConsumerPerDay: int(e.perConsumerPerDay.value), perDevicePerDay: int(e.perDevicePerDay.value)
            };
            var fenced = e.storeIDs.value.split(/[,，\\s]+/).filter(function (id) { return id !== ''; }).map(function (id) { return parseInt(id, 10); });
            if (fenced.length) { body.storeIDs = fenced; }
            if (e.radiusMeters.value !== '') { body.radiusMeters = int(e.radiusMeters.value); }
            key = key || ('campaign-' + Date.now() + '-' + Math.random().toString(36).slice(2));
            button.disabled = true;
            show('info', form.dataset.saving);
            fetch('/api/v1/campaigns', { method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
                                         headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key } })
              .then(function (response) { return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; }); })
              .then(function (result) {
                if (result.status === 201 && result.json.id) { window.location.href = '/campaigns/' + result.json.id; return; }
                var error = result.json.error || {};
                var fields = Array.isArray(error.details) ? error.details : [];
                show('bad', form.dataset.failed + ': ' + (error.message || ('HTTP ' + result.status)) + (fields.length ? ' ' + form.dataset.fix : ''),
                     fields.map(function (f) { return f.field + ': ' + f.message; }));
                button.disabled = false;
                key = null;
              })
              .catch(function (failure) { show('bad', form.dataset.failed + ': ' + failure); button.disabled = false; });
          });
        })();
        """
}
