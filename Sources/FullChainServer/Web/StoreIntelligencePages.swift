import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

extension L10n {
    /// A phrase given in both languages where it is used (the store intelligence pages).
    func pick(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    func label(_ kind: StoreAnomalyKind) -> String {
        switch kind {
        case .tooHigh: pick("销量异常高", "Sales too high")
        case .tooLow: pick("销量异常低", "Sales too low")
        case .offPeers: pick("偏离同类门店", "Far from peers")
        case .dormant: pick("沉睡门店", "Dormant")
        case .outOfStockRisk: pick("缺货风险", "Out-of-stock risk")
        case .slowMover: pick("滞销", "Slow mover")
        }
    }

    /// Why the store is abnormal, with the alert's numbers: the detector's sentence in English, the same figures phrased in Chinese.
    func why(_ alert: StoreAlert) -> String {
        guard language == .zh else { return alert.reason }
        let n = Robust.text
        let peers = alert.peerMedian.map { "，同类门店中位 " + n($0) } ?? ""
        switch alert.kind {
        case .dormant:
            return "连续 \(n(alert.score)) 天没有消费者扫码；此前每周扫码动销约 \(n(alert.baseline))"
        case .tooHigh:
            return "近期扫码动销 \(n(alert.observed))，基线 \(n(alert.baseline))\(peers)；偏离分 \(n(alert.score))，明显偏高"
        case .tooLow:
            return "近期扫码动销 \(n(alert.observed))，基线 \(n(alert.baseline))\(peers)，且仍有库存；偏离分 \(n(alert.score))，明显偏低"
        case .offPeers:
            return "近四周日均扫码 \(n(alert.observed))，同城同类门店中位 \(n(alert.baseline))；偏离分 \(n(alert.score))"
        case .outOfStockRisk:
            return "预估库存至多 \(n(alert.observed))，日均动销 \(n(alert.baseline))：至多够卖 \(n(alert.score)) 天"
        case .slowMover:
            return alert.score >= 999 ? "预估库存约 \(n(alert.observed))，近期没有动销"
                : "预估库存约 \(n(alert.observed))，日均动销 \(n(alert.baseline))：约够卖 \(n(alert.score)) 天，积压滞销"
        }
    }

    /// Why a strategy is recommended: the job's sentence in English, its cause and figures phrased in Chinese.
    func why(_ advice: StrategyAdvice, tier: StoreTier) -> String {
        guard language == .zh else { return advice.reason }
        let n = Robust.text
        let figures = advice.figures ?? []
        let figure = { (index: Int) in figures.indices.contains(index) ? figures[index] : 0 }
        let pct = { (index: Int) in n(figure(index) * 100) + "%" }
        let comeBack = "：面向附近消费者的活动能把他们带回来"
        return switch advice.cause {
        case .coverLeft?: "有在售单品的库存至多够卖 \(n(figure(0))) 天"
        case .tooMuchStock?: "有单品的库存够卖 \(n(figure(0))) 天以上：陈列或品鉴能带动动销"
        case .fewNewProducts?: "新品占其销量 \(pct(0))，同类门店为 \(pct(1))，且为 \(tier.rawValue) 级门店"
        case .goneQuiet?: "门店已沉寂" + comeBack
        case .fellBelowBaseline?: "销量远低于基线" + comeBack
        case .declining?: "销量比前四周下降 \(pct(0))" + comeBack
        case .belowPeers?: "销量远低于同类门店" + comeBack
        case .visitOverdue?: "有待处理的异常，上次拜访在 \(n(figure(0))) 天前（拜访周期 \(n(figure(1))) 天）"
        case .neverVisited?: "有待处理的异常，且从未拜访（拜访周期 \(n(figure(0))) 天）"
        case .nothingAbnormal?: "没有异常：保持拜访周期和陈列"
        // Computed before causes were recorded: the strategy's name says enough.
        case nil: ""
        }
    }

    func label(_ status: TaskStatus) -> String {
        switch status {
        case .open: pick("待处理", "Open")
        case .visited: pick("已拜访", "Visited")
        case .resolved: pick("已解决", "Resolved")
        }
    }

    func label(_ outcome: ConversionOutcome) -> String {
        switch outcome {
        case .pending: pick("待评估", "Pending")
        case .converted: pick("已转化", "Back to normal")
        case .notConverted: pick("未转化", "Not converted")
        }
    }

    func label(_ reason: ResolutionReason) -> String {
        switch reason {
        case .restocked: pick("已补货", "Restocked")
        case .displayFixed: pick("已整改陈列", "Display fixed")
        case .promotionRun: pick("已做促销", "Promotion run")
        case .consumersActivated: pick("已激活消费者", "Consumers activated")
        case .storeClosed: pick("门店关闭", "Store closed")
        case .competitor: pick("竞品影响", "Competitor")
        case .seasonal: pick("季节性", "Seasonal")
        case .dataError: pick("数据有误", "Data error")
        case .other: pick("其他", "Other")
        case .causeGone: pick("系统关闭：原因已消失", "Closed by the job: cause gone")
        }
    }

    func label(_ tag: StoreTag) -> String {
        switch tag {
        case .newProductAdopter: pick("新品先锋", "New-product adopter")
        case .loyalBuyers: pick("复购率高", "Loyal buyers")
        case .growing: pick("增长中", "Growing")
        case .declining: pick("下滑中", "Declining")
        case .stable: pick("平稳", "Stable")
        }
    }

    func label(_ strategy: StoreStrategy) -> String {
        switch strategy {
        case .restock: pick("补货", "Restock")
        case .clearStock: pick("消化库存", "Clear stock")
        case .pushNewProduct: pick("推新品", "Push the new product")
        case .activateConsumers: pick("激活周边消费者", "Activate consumers nearby")
        case .raiseVisitFrequency: pick("提高拜访频次", "Visit more often")
        case .keepUp: pick("保持", "Keep up")
        }
    }
}

/// The store intelligence pages: the abnormal-store feed, the salesperson ranking, the
/// salesperson's mobile task page, and the store page's sell-through, stock and profile.
enum StoreIntelligencePages {
    static let perPage = 50

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let repo = services.storage.storeIntelligence
        router.get("/store-alerts") { request, context in
            let page = try WebPage(request, context)
            let number = page.pageNumber
            let filter = StoreAlertFilter(kind: page.query.raw("kind").flatMap(StoreAnomalyKind.init(rawValue:)),
                                          status: page.query.raw("status").flatMap(TaskStatus.init(rawValue:)),
                                          outcome: page.query.raw("outcome").flatMap(ConversionOutcome.init(rawValue:)),
                                          salespersonNodeID: page.query.int("salespersonNodeID"))
            let result = try await repo.alerts(ListQuery(limit: perPage, offset: (number - 1) * perPage), filter: filter, scope: page.principal.scope)
            return feed(page, result: result, filter: filter, number: number)
        }
        router.get("/rankings") { request, context in
            let page = try WebPage(request, context)
            let lines = try await StoreIntelligenceAPI.ranking(services.storage, principal: page.principal)
            return rankings(page, lines: lines)
        }
        router.get("/m/tasks") { request, context in
            let page = try WebPage(request, context)
            let tasks = try await repo.alerts(ListQuery(limit: 100), filter: StoreAlertFilter(unresolved: true), scope: page.principal.scope).items
                .sorted { ($0.dueDay, $0.id) < ($1.dueDay, $1.id) }
            let products = try await services.storage.allProducts(tenantID: page.principal.tenantID)
            return mobileTasks(page, tasks: tasks, products: products)
        }
    }

    // MARK: The feed

    static func feed(_ page: WebPage, result: Page<StoreAlert>, filter: StoreAlertFilter, number: Int) -> Response {
        let t = page.t
        return Layout.render(page, title: t.pick("门店异常", "Abnormal stores"), section: .storeAlerts) { out in
            Layout.pageHeader(&out, title: t.pick("门店异常", "Abnormal stores"),
                              lead: t.total(result.total) + " · " + t.pick("销量太好或太差都是不正常：每条异常都是业代的一项任务。",
                                                                            "Sales too good or too bad are both abnormal: each alert is a task for the salesperson."),
                              actions: #"<a class="button secondary" href="/rankings">"# + t.pick("业代排名", "Salesperson ranking") + "</a>")
            out += #"<form class="filters card" method="get" action="/store-alerts"><label>"#
            out += t.pick("类型", "Kind")
            out += #"<select name="kind"><option value="">"#
            out += t(.all)
            out += "</option>"
            for kind in StoreAnomalyKind.allCases { Layout.option(&out, value: kind.rawValue, label: t.label(kind), selected: filter.kind?.rawValue) }
            out += "</select></label><label>"
            out += t(.status)
            out += #"<select name="status"><option value="">"#
            out += t(.all)
            out += "</option>"
            for status in TaskStatus.allCases { Layout.option(&out, value: status.rawValue, label: t.label(status), selected: filter.status?.rawValue) }
            out += "</select></label><label>"
            out += t.pick("转化", "Conversion")
            out += #"<select name="outcome"><option value="">"#
            out += t(.all)
            out += "</option>"
            for outcome in ConversionOutcome.allCases { Layout.option(&out, value: outcome.rawValue, label: t.label(outcome), selected: filter.outcome?.rawValue) }
            out += "</select></label>"
            Layout.filterButtons(&out, t: t, resetPath: "/store-alerts")
            out += #"</form><section class="card flush"><div class="table-wrap"><table id="store-alerts"><thead><tr><th>"#
            out += [t.pick("发现日", "Raised"), t(.navStores), t.pick("类型", "Kind"), t.pick("原因", "Why"), t.pick("截止", "Due"), t(.status),
                    t.pick("转化", "Conversion")].joined(separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if result.items.isEmpty { Layout.emptyRow(&out, columns: 7, text: t(.noResults)) }
            for alert in result.items {
                out += "<tr><td>"
                out += BusinessDay.date(ofDay: alert.raisedDay)
                out += #"</td><td><a href="/stores/\#(alert.storeID)">"#
                out.appendEscaped(alert.storeName ?? "#\(alert.storeID)")
                out += "</a></td><td>"
                badge(&out, alert.kind, t: t)
                out += #"</td><td class="reason">"#
                out.appendEscaped(t.why(alert))
                out += "</td><td>"
                out += BusinessDay.date(ofDay: alert.dueDay)
                out += "</td><td>"
                out += t.label(alert.status)
                if let resolution = alert.resolution {
                    out += #"<br><small class="muted">"#
                    out += t.label(resolution)
                    out += "</small>"
                }
                out += "</td><td>"
                if alert.status == .resolved { outcomeBadge(&out, alert.outcome, t: t) }
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
            Layout.pager(&out, t: t, path: "/store-alerts",
                         query: QueryString([("kind", filter.kind?.rawValue), ("status", filter.status?.rawValue), ("outcome", filter.outcome?.rawValue)]),
                         page: number, perPage: perPage, total: result.total)
        }
    }

    static func badge(_ out: inout String, _ kind: StoreAnomalyKind, t: L10n) {
        let tone = switch kind {
        case .tooHigh: "info"
        case .tooLow, .dormant: "bad"
        case .outOfStockRisk, .slowMover: "warn"
        case .offPeers: "l1"
        }
        out += #"<span class="badge \#(tone)">"#
        out += t.label(kind)
        out += "</span>"
    }

    static func outcomeBadge(_ out: inout String, _ outcome: ConversionOutcome, t: L10n) {
        out += outcome == .converted ? #"<span class="badge ok">"# : outcome == .notConverted ? #"<span class="badge bad">"# : #"<span class="badge off">"#
        out += t.label(outcome)
        out += "</span>"
    }

    // MARK: The ranking

    static func rankings(_ page: WebPage, lines: [SalespersonFigures]) -> Response {
        let t = page.t
        let own = page.principal.role == .salesperson
        return Layout.render(page, title: t.pick("业代排名", "Salesperson ranking"), section: .storeAlerts) { out in
            Layout.pageHeader(&out, title: t.pick("业代排名", "Salesperson ranking"),
                              lead: own ? t.pick("你在本团队中的位置（只显示你自己的数据）。", "Your place in your team (only your own figures are shown).")
                                  : t.pick("按覆盖率、拜访、响应时间、转化和辖区增长综合评分，近 30 天。",
                                           "Scored on coverage, visits, response time, conversion and territory growth, last 30 days."))
            out += #"<section class="card flush"><div class="table-wrap"><table id="ranking"><thead><tr><th>"#
            out += [t.pick("名次", "Rank"), t(.salesperson), t.pick("得分", "Score"), t.pick("门店", "Stores"), t.pick("周期覆盖率", "Coverage in cycle"),
                    t.pick("日均拜访", "Visits a day"), t.pick("异常/已响应", "Alerts / visited"), t.pick("响应中位时长", "Median response"),
                    t.pick("转化率", "Conversion"), t.pick("辖区增长", "Territory growth")].joined(separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if lines.isEmpty { Layout.emptyRow(&out, columns: 10, text: t(.noResults)) }
            for f in lines {
                out += "<tr><td><strong>\(f.rank)</strong></td><td>"
                out.appendEscaped(f.name)
                out += #" <code class="muted">"#
                out.appendEscaped(f.code)
                out += "</code></td><td>"
                out += Robust.text(f.score)
                out += "</td><td>\(f.stores)</td><td>"
                out += Robust.text(f.coverage * 100) + "%"
                out += "</td><td>"
                out += Robust.text(f.visitsPerDay)
                out += "</td><td>\(f.alerts) / \(f.alertsVisited)</td><td>"
                out += f.medianResponseHours.map { Robust.text($0) + " h" } ?? "—"
                out += "</td><td>"
                out += f.conversionRate.map { Robust.text($0 * 100) + "%" } ?? "—"
                out += "</td><td>"
                out += f.growth.map { ($0 >= 0 ? "+" : "") + Robust.text($0 * 100) + "%" } ?? "—"
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
        }
    }

    // MARK: The salesperson's phone

    static func mobileTasks(_ page: WebPage, tasks: [StoreAlert], products: [Product]) -> Response {
        let t = page.t
        return Layout.bare(t: t, title: t.pick("我的任务", "My tasks"), bodyClass: "mobile") { out in
            out += #"<main class="mobile-tasks"><h1>"#
            out += t.pick("我的任务", "My tasks")
            out += #"</h1><p class="muted">"#
            out += t.total(tasks.count)
            out += #"</p><ul class="tasks" id="tasks" data-done=""#
            out.appendEscaped(t.pick("已提交", "Saved"))
            out += #"" data-failed=""#
            out.appendEscaped(t(.saveFailed))
            out += #"">"#
            if tasks.isEmpty {
                out += #"<li class="empty">"#
                out += t.pick("今天没有待处理的任务。", "No open tasks today.")
                out += "</li>"
            }
            for task in tasks {
                out += #"<li class="task card" data-alert="\#(task.id)" data-store="\#(task.storeID)"><div class="head">"#
                badge(&out, task.kind, t: t)
                out += " <strong>"
                out.appendEscaped(task.storeName ?? "#\(task.storeID)")
                out += "</strong> · "
                out += t.pick("截止 ", "due ") + BusinessDay.date(ofDay: task.dueDay)
                out += " · "
                out += t.label(task.status)
                out += #"</div><p class="reason">"#
                out.appendEscaped(t.why(task))
                out += #"</p><form class="visit"><fieldset><legend>"#
                out += t.pick("到店签到并盘点", "Check in and count stock")
                out += "</legend>"
                for product in products.prefix(6) {
                    out += #"<label>"#
                    out.appendEscaped(product.name)
                    out += #"<input type="number" min="0" max="1000000" name="units" data-product="\#(product.id)" placeholder=""#
                    out += t.pick("库存", "units")
                    out += #""><input type="number" min="0" max="1000" name="facings" data-product="\#(product.id)" placeholder=""#
                    out += t.pick("排面", "facings")
                    out += #""></label>"#
                }
                out += #"<label>"#
                out += t.pick("备注", "Notes")
                out += #"<input type="text" name="notes" maxlength="1000"></label><label>"#
                out += t.pick("陈列照片", "Shelf photo")
                out += #"<input type="file" name="photo" accept="image/jpeg,image/png"></label><button type="submit">"#
                out += t.pick("签到", "Check in")
                out += #"</button></fieldset></form><form class="resolve"><label>"#
                out += t.pick("处理结果", "Resolution")
                out += #"<select name="reason">"#
                for reason in ResolutionReason.manual { Layout.option(&out, value: reason.rawValue, label: t.label(reason), selected: nil) }
                out += #"</select></label><input type="text" name="note" maxlength="1000" placeholder=""#
                out += t.pick("说明", "Note")
                out += #""><button type="submit" class="secondary">"#
                out += t.pick("解决", "Resolve")
                out += #"</button></form><p class="outcome" aria-live="polite"></p></li>"#
            }
            out += "</ul></main>"
            out += WebAssets.storeTasks.scriptTag
        }
    }

    /// Check-in takes the phone's position (WGS-84 from the browser), sends the counts, then the photo; resolve sends the reason.
    static let mobileScript = """
        (function () {
          var list = document.getElementById('tasks');
          function send(method, url, body, type, key) {
            var headers = { 'Idempotency-Key': key };
            if (type) { headers['Content-Type'] = type; }
            return fetch(url, { method: method, credentials: 'same-origin', headers: headers, body: body })
              .then(function (r) { return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, json: j }; }); });
          }
          function show(item, result) {
            var p = item.querySelector('.outcome');
            p.textContent = result.status < 300 ? list.dataset.done : list.dataset.failed + ': ' + ((result.json.error && result.json.error.message) || ('HTTP ' + result.status));
            p.className = 'outcome ' + (result.status < 300 ? 'ok' : 'bad');
          }
          list.addEventListener('submit', function (event) {
            event.preventDefault();
            var form = event.target, item = form.closest('li');
            var alertID = Number(item.dataset.alert), storeID = Number(item.dataset.store);
            if (form.classList.contains('resolve')) {
              var body = JSON.stringify({ reason: form.reason.value, note: form.note.value || null });
              send('POST', '/api/v1/store-alerts/' + alertID + '/resolve', body, 'application/json', 'resolve-' + alertID).then(function (r) { show(item, r); });
              return;
            }
            var counts = [];
            form.querySelectorAll('input[name=units]').forEach(function (input) {
              if (input.value === '') { return; }
              var facings = form.querySelector('input[name=facings][data-product="' + input.dataset.product + '"]');
              counts.push({ productID: Number(input.dataset.product), units: Number(input.value), facings: facings && facings.value !== '' ? Number(facings.value) : null });
            });
            navigator.geolocation.getCurrentPosition(function (position) {
              var visit = { storeID: storeID, alertID: alertID, latitude: position.coords.latitude, longitude: position.coords.longitude,
                            notes: form.notes.value || null, counts: counts };
              send('POST', '/api/v1/visits', JSON.stringify(visit), 'application/json', 'visit-' + alertID + '-' + Date.now()).then(function (r) {
                var file = form.photo.files[0];
                if (r.status !== 201 || !file) { show(item, r); return; }
                send('POST', '/api/v1/visits/' + r.json.id + '/photos', file, file.type, 'photo-' + r.json.id).then(function (p) { show(item, p); });
              });
            }, function (error) { show(item, { status: 0, json: { error: { message: error.message } } }); }, { enableHighAccuracy: true, timeout: 15000 });
          });
        })();
        """

    // MARK: The store page

    /// The store page's intelligence: KPIs, the daily chart, stock per SKU, profile and strategy, alerts and visits.
    static func storeSection(_ out: inout String, detail: StoreIntelligenceDetail, stock: [StockFigures], products: [Int64: Product], t: L10n) {
        let sold28 = detail.sold.suffix(28).reduce(0, +)
        let prev28 = detail.sold.dropLast(28).suffix(28).reduce(0, +)
        out += #"<section class="kpis" id="store-kpis">"#
        let open = detail.alerts.filter { $0.status != .resolved }.count
        let kpis: [(String, String, String)] = [
            (t.pick("近 28 天扫码动销", "Scanned sales, 28 days"), Format.number(sold28), ""),
            (t.pick("前 28 天", "The 28 days before"), Format.number(prev28), "teal"),
            (t.pick("预估库存", "Estimated stock"), Format.number(Int(stock.reduce(0) { $0 + ($1.estimatedStock ?? 0) }.rounded())), "amber"),
            (t.pick("未解决异常", "Open alerts"), String(open), open > 0 ? "violet" : "green"),
        ]
        for (label, value, tone) in kpis {
            out += #"<div class="kpi \#(tone)"><div class="label">"#
            out += label
            out += #"</div><div class="value">"#
            out += value
            out += "</div></div>"
        }
        out += #"</section><section class="card"><h2>"#
        out += t.pick("近 90 天动销与到货", "Sell-through and receipts, 90 days")
        out += "</h2>"
        dailyChart(&out, sold: detail.sold, received: detail.received, firstDay: detail.firstDay, t: t)
        out += #"</section><div class="grid two"><section class="card"><h2>"#
        out += t.pick("库存与补货建议", "Stock and reorder")
        out += #"</h2><div class="table-wrap"><table id="store-stock"><thead><tr><th>"#
        out += [t.pick("商品", "Product"), t.pick("预估库存", "Stock"), t.pick("日均动销", "Sold a day"), t.pick("可售天数", "Days of cover"),
                t.pick("扫码率", "Scan rate"), t.pick("补货建议", "Reorder")].joined(separator: "</th><th>")
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
                out += t.pick("盘点 ", "counted ") + "\(counted) · " + BusinessDay.date(ofDay: day)
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
                out += BusinessDay.date(ofDay: day) + " · " + Format.number(f.reorderUnits) + t.pick(" 件", " units")
            } else {
                out += "—"
            }
            out += "</td></tr>"
        }
        out += #"</tbody></table></div></section><section class="card" id="store-profile"><h2>"#
        out += t.pick("门店画像与策略", "Profile and strategy")
        out += "</h2>"
        if let profile = detail.profile {
            out += #"<p><span class="badge l4">"#
            out += t.pick("\(profile.tier.rawValue) 类门店", "Tier \(profile.tier.rawValue)")
            out += "</span> "
            for tag in profile.tags {
                out += #"<span class="badge info">"#
                out += t.label(tag)
                out += "</span> "
            }
            out += #"</p><p class="muted">"#
            out += t.pick("新品占比 ", "New products ") + Robust.text(profile.newProductShare * 100) + "%"
            if let share = profile.repeatShare { out += t.pick(" · 复购消费者占比 ", " · repeat buyers ") + Robust.text(share * 100) + "%" }
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
            out += t.pick("每日任务运行后生成。", "Made by the daily job.")
            out += "</p>"
        }
        out += #"</section></div><div class="grid two"><section class="card flush"><h2>"#
        out += t.pick("异常与任务", "Alerts and tasks")
        out += #"</h2><div class="table-wrap"><table id="store-alert-list"><tbody>"#
        if detail.alerts.isEmpty { Layout.emptyRow(&out, columns: 3, text: t.pick("没有异常", "No alerts")) }
        for alert in detail.alerts {
            out += "<tr><td>"
            out += BusinessDay.date(ofDay: alert.raisedDay)
            out += "</td><td>"
            badge(&out, alert.kind, t: t)
            out += #"<br><small class="reason">"#
            out.appendEscaped(t.why(alert))
            out += "</small></td><td>"
            out += t.label(alert.status)
            if alert.status == .resolved {
                out += "<br>"
                outcomeBadge(&out, alert.outcome, t: t)
            }
            out += "</td></tr>"
        }
        out += #"</tbody></table></div></section><section class="card flush"><h2>"#
        out += t.pick("拜访记录", "Visits")
        out += #"</h2><div class="table-wrap"><table id="store-visits"><tbody>"#
        if detail.visits.isEmpty { Layout.emptyRow(&out, columns: 3, text: t.pick("还没有拜访", "No visits yet")) }
        for visit in detail.visits {
            out += "<tr><td>"
            out += Format.dateTime(millis: visit.checkedInAt)
            out += "</td><td>"
            out += Charts.distance(metres: visit.distanceMeters)
            out += " · "
            out.appendEscaped(visit.counts.map { (products[$0.productID]?.sku ?? "#\($0.productID)") + " \($0.units)" + ($0.facings.map { "/\($0)" } ?? "") }
                .joined(separator: ", "))
            if !visit.notes.isEmpty {
                out += "<br><small>"
                out.appendEscaped(visit.notes)
                out += "</small>"
            }
            out += "</td><td>"
            for number in stride(from: 1, through: visit.photos, by: 1) {
                out += #"<a href="/api/v1/visits/\#(visit.id)/photos/\#(number)">"#
                out += t.pick("照片", "photo") + " \(number)</a> "
            }
            out += "</td></tr>"
        }
        out += "</tbody></table></div></section></div>"
    }

    /// Scanned units a day as columns, received units as ticks above them, with weekly gridlines.
    static func dailyChart(_ out: inout String, sold: [Int], received: [Int], firstDay: Int64, t: L10n) {
        let width = 720.0, height = 180.0, left = 36.0, bottom = 22.0
        let peak = Double(max(1, sold.max() ?? 1, (received.max() ?? 0) / 4))
        let step = (width - left) / Double(max(1, sold.count))
        out += #"<svg class="chart daily" viewBox="0 0 720 180" role="img" aria-label=""#
        out += t.pick("每日扫码动销", "Scanned sales a day")
        out += #"">"#
        out += #"<text x="0" y="12" class="value">\#(Int(peak))</text><line class="axis" x1="\#(Int(left))" y1="\#(Int(height - bottom))" x2="720" y2="\#(Int(height - bottom))"/>"#
        for (index, units) in sold.enumerated() {
            let x = left + Double(index) * step
            let h = Double(units) / peak * (height - bottom - 10)
            out += ##"<rect x="\##(Format.decimal(x, places: 1))" y="\##(Format.decimal(height - bottom - h, places: 1))" width="\##(Format.decimal(max(1, step - 1), places: 1))" height="\##(Format.decimal(h, places: 1))" fill="#1d64d8"><title>"##
            out += BusinessDay.date(ofDay: firstDay + Int64(index)) + ": \(units)"
            out += "</title></rect>"
            if received.indices.contains(index), received[index] > 0 {
                out += ##"<circle cx="\##(Format.decimal(x + step / 2, places: 1))" cy="8" r="3" fill="#e89b0c"><title>"##
                out += BusinessDay.date(ofDay: firstDay + Int64(index)) + t.pick(" 到货 ", " received ") + "\(received[index])"
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
        out += t.pick("消费者扫码（件）", "consumer scans (units)")
        out += #" <span class="legend-receipts">●</span> "#
        out += t.pick("箱码到货", "case receipts")
        out += "</p>"
    }
}
