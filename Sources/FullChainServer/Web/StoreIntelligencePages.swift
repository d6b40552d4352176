import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

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
        return Layout.render(page, title: t(.navStoreAlerts), section: .storeAlerts) { out in
            Layout.pageHeader(&out, title: t(.navStoreAlerts),
                              lead: t.total(result.total) + " · " + t(.storeAlertsLead),
                              actions: #"<a class="button secondary" href="/rankings">\#(t(.salespersonRanking))</a>"#)
            out += #"<form class="filters card" method="get" action="/store-alerts"><label>"#
            out += t(.alertKind)
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
            out += t(.conversion)
            out += #"<select name="outcome"><option value="">"#
            out += t(.all)
            out += "</option>"
            for outcome in ConversionOutcome.allCases { Layout.option(&out, value: outcome.rawValue, label: t.label(outcome), selected: filter.outcome?.rawValue) }
            out += "</select></label>"
            Layout.filterButtons(&out, t: t, resetPath: "/store-alerts")
            out += #"</form><section class="card flush"><div class="table-wrap"><table id="store-alerts"><thead><tr><th>"#
            out.appendJoined([t(.raised), t(.navStores), t(.alertKind), t(.why), t(.due), t(.status),
                    t(.conversion)], separator: "</th><th>")
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

    static func badge(_ out: inout HTMLWriter, _ kind: StoreAnomalyKind, t: L10n) {
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

    static func outcomeBadge(_ out: inout HTMLWriter, _ outcome: ConversionOutcome, t: L10n) {
        out += outcome == .converted ? #"<span class="badge ok">"# : outcome == .notConverted ? #"<span class="badge bad">"# : #"<span class="badge off">"#
        out += t.label(outcome)
        out += "</span>"
    }

    // MARK: The ranking

    static func rankings(_ page: WebPage, lines: [SalespersonFigures]) -> Response {
        let t = page.t
        let own = page.principal.role == .salesperson
        return Layout.render(page, title: t(.salespersonRanking), section: .storeAlerts) { out in
            Layout.pageHeader(&out, title: t(.salespersonRanking),
                              lead: own ? t(.rankingOwnLead)
                                  : t(.rankingLead))
            out += #"<section class="card flush"><div class="table-wrap"><table id="ranking"><thead><tr><th>"#
            out.appendJoined([t(.rank), t(.salesperson), t(.score), t(.kindStores), t(.coverageInCycle),
                    t(.visitsADay), t(.alertsVisited), t(.medianResponse),
                    t(.conversionRate), t(.territoryGrowth)], separator: "</th><th>")
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
        return Layout.bare(t: t, title: t(.myTasks), bodyClass: "mobile") { out in
            out += #"<main class="mobile-tasks"><h1>"#
            out += t(.myTasks)
            out += #"</h1><p class="muted">"#
            out += t.total(tasks.count)
            out += #"</p><ul class="tasks" id="tasks" data-done=""#
            out.appendEscaped(t(.saved))
            out += #"" data-failed=""#
            out.appendEscaped(t(.saveFailed))
            out += #"">"#
            if tasks.isEmpty {
                out += #"<li class="empty">"#
                out += t(.noOpenTasksToday)
                out += "</li>"
            }
            for task in tasks {
                out += #"<li class="task card" data-alert="\#(task.id)" data-store="\#(task.storeID)"><div class="head">"#
                badge(&out, task.kind, t: t)
                out += " <strong>"
                out.appendEscaped(task.storeName ?? "#\(task.storeID)")
                out += "</strong> · "
                out += t(.dueOn) + BusinessDay.date(ofDay: task.dueDay)
                out += " · "
                out += t.label(task.status)
                out += #"</div><p class="reason">"#
                out.appendEscaped(t.why(task))
                out += #"</p><form class="visit"><fieldset><legend>"#
                out += t(.checkInAndCount)
                out += "</legend>"
                for product in products.prefix(6) {
                    out += #"<label>"#
                    out.appendEscaped(product.name)
                    out += #"<input type="number" min="0" max="1000000" name="units" data-product="\#(product.id)" placeholder=""#
                    out += t(.shelfUnits)
                    out += #""><input type="number" min="0" max="1000" name="facings" data-product="\#(product.id)" placeholder=""#
                    out += t(.facings)
                    out += #""></label>"#
                }
                out += #"<label>"#
                out += t(.notes)
                out += #"<input type="text" name="notes" maxlength="1000"></label><label>"#
                out += t(.shelfPhoto)
                out += #"<input type="file" name="photo" accept="image/jpeg,image/png"></label><button type="submit">"#
                out += t(.checkIn)
                out += #"</button></fieldset></form><form class="resolve"><label>"#
                out += t(.resolution)
                out += #"<select name="reason">"#
                for reason in ResolutionReason.manual { Layout.option(&out, value: reason.rawValue, label: t.label(reason), selected: nil) }
                out += #"</select></label><input type="text" name="note" maxlength="1000" placeholder=""#
                out += t(.note)
                out += #""><button type="submit" class="secondary">"#
                out += t(.resolve)
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
    static func storeSection(_ out: inout HTMLWriter, detail: StoreIntelligenceDetail, stock: [StockFigures], products: [Int64: Product], t: L10n) {
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
        for (label, value, tone) in kpis {
            out += #"<div class="kpi \#(tone)"><div class="label">"#
            out += label
            out += #"</div><div class="value">"#
            out += value
            out += "</div></div>"
        }
        out += #"</section><section class="card"><h2>"#
        out += t(.sellThroughAndReceipts)
        out += "</h2>"
        dailyChart(&out, sold: detail.sold, received: detail.received, firstDay: detail.firstDay, t: t)
        out += #"</section><div class="grid two"><section class="card"><h2>"#
        out += t(.stockAndReorder)
        out += #"</h2><div class="table-wrap"><table id="store-stock"><thead><tr><th>"#
        out.appendJoined([t(.product), t(.stockColumn), t(.soldADay), t(.daysOfCover),
                t(.scanRate), t(.reorder)], separator: "</th><th>")
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
        out += #"</section></div><div class="grid two"><section class="card flush"><h2>"#
        out += t(.alertsAndTasks)
        out += #"</h2><div class="table-wrap"><table id="store-alert-list"><tbody>"#
        if detail.alerts.isEmpty { Layout.emptyRow(&out, columns: 3, text: t(.noAlerts)) }
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
        out += t(.visits)
        out += #"</h2><div class="table-wrap"><table id="store-visits"><tbody>"#
        if detail.visits.isEmpty { Layout.emptyRow(&out, columns: 3, text: t(.noVisitsYet)) }
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
        out += #"<text x="0" y="12" class="value">\#(Int(peak))</text><line class="axis" x1="\#(Int(left))" y1="\#(Int(height - bottom))" x2="720" y2="\#(Int(height - bottom))"/>"#
        for (index, units) in sold.enumerated() {
            let x = left + Double(index) * step
            let h = Double(units) / peak * (height - bottom - 10)
            out += ##"<rect x="\##(Format.decimal(x, places: 1))" y="\##(Format.decimal(height - bottom - h, places: 1))" width="\##(Format.decimal(max(1, step - 1), places: 1))" height="\##(Format.decimal(h, places: 1))" fill="#1d64d8"><title>"##
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
}
