import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /codes`: the brand's code batches and a form for a new one; `GET /codes/{id}`: one
/// batch's print files and QR sheets, activating and voiding its cases, shipping them to a
/// distributor, and where its cases are (HQ only). The forms post to the codes and logistics API.
enum CodesPage {
    static let perPage = 50
    /// Cases whose whereabouts one view of a batch reads.
    static let casesPerView = 2_000

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let storage = services.storage
        router.get("/codes") { request, context in
            let page = try WebPage(request, context)
            let p = try context.require(.manageCodes)
            let number = page.pageNumber
            let batches = try await storage.codes.batches(
                ListQuery(limit: perPage, offset: (number - 1) * perPage), productID: nil, tenantID: p.tenantID)
            let products = try await storage.products.list(ListQuery(limit: 500), category: nil, tenantID: p.tenantID).items
            return list(page, batches: batches, products: products, number: number)
        }
        router.get("/codes/:id") { request, context in
            let page = try WebPage(request, context)
            let p = try context.require(.manageCodes)
            guard let batch = try await storage.codes.batch(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
            let product = try await storage.products.get(id: batch.productID, tenantID: p.tenantID)
            let actions = try await storage.codes.rangeActions(batchID: batch.id, tenantID: p.tenantID)
            let first = min(max(0, Int(page.query["from"] ?? "") ?? 0), batch.caseCount - 1)
            let window = first...min(batch.caseCount - 1, first + casesPerView - 1)
            let movements = try await storage.logistics.movements(batchID: batch.id, cases: window, units: 0..<0, tenantID: p.tenantID)
            let distributors = try await storage.distributors.list(ListQuery(limit: 500), status: .active, scope: p.scope).items
            let runs = CaseRun.runs(of: window) { number in
                CaseFacts(
                    status: batch.status(ofCase: number, actions: actions), distributorID: movements.shipments[number],
                    storeID: movements.storeID(ofCase: number))
            }
            var storeNames: [Int64: String] = [:]
            for id in Set(runs.compactMap(\.key.storeID)).prefix(100) {
                if let store = try await storage.stores.get(id: id, scope: p.scope) { storeNames[id] = store.store.name }
            }
            var distributorNames = Dictionary(distributors.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            for id in Set(runs.compactMap(\.key.distributorID)).subtracting(distributorNames.keys).prefix(100) {
                if let distributor = try await storage.distributors.get(id: id, scope: p.scope) { distributorNames[id] = distributor.name }
            }
            return detail(
                page,
                BatchView(
                    batch: batch, product: product, actions: actions, window: window, runs: runs, distributors: distributors,
                    distributorNames: distributorNames, storeNames: storeNames))
        }
    }

    /// What is known of one case: its status, the distributor it was shipped to, the store that holds it.
    struct CaseFacts: Equatable {
        var status: CodeStatus
        var distributorID: Int64?
        var storeID: Int64?
    }

    /// Everything the batch's page shows.
    struct BatchView {
        var batch: CodeBatch
        var product: Product?
        var actions: [CodeRangeAction]
        var window: ClosedRange<Int>
        var runs: [CaseRun<CaseFacts>]
        var distributors: [Distributor]
        var distributorNames: [Int64: String]
        var storeNames: [Int64: String]
    }

    static func list(_ page: WebPage, batches: Page<CodeBatch>, products: [Product], number: Int) -> Response {
        let t = page.t
        let names = Dictionary(products.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return Layout.render(page, title: t(.navCodes), section: .codes) { out in
            Layout.pageHeader(&out, title: t(.navCodes), lead: t(.codesLead))
            out += #"<div class="grid two"><section class="card flush"><div class="table-wrap"><table><thead><tr><th>#</th><th>"#
            out.appendJoined([t(.product), t(.codesLot)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out.appendJoined([t(.codesQuantity), t(.unitsPerCase), t(.codesCases)], separator: #"</th><th class="num">"#)
            out += "</th><th>"
            out += t(.createdAt)
            out += "</th></tr></thead><tbody>"
            if batches.items.isEmpty { Layout.emptyRow(&out, columns: 7, text: t(.codesNoBatches)) }
            for batch in batches.items {
                out += #"<tr><td><a href="/codes/\#(batch.id)">#\#(batch.id)</a></td><td>"#
                out.appendEscaped(names[batch.productID] ?? "#\(batch.productID)")
                out += "</td><td><code>"
                out.appendEscaped(batch.lot)
                out += #"</code></td><td class="num">"#
                out += Format.number(batch.quantity)
                out += #"</td><td class="num">"#
                out += String(batch.unitsPerCase)
                out += #"</td><td class="num">"#
                out += Format.number(batch.caseCount)
                out += "</td><td>"
                out += t.dateTime(batch.createdAt)
                out += "</td></tr>"
            }
            out += "</tbody></table></div>"
            Layout.pager(&out, t: t, path: "/codes", query: QueryString([]), page: number, perPage: perPage, total: batches.total)
            out += "</section>"
            // A new batch: the product's own case size unless another is typed.
            out += #"<section class="card"><h2>"#
            out += t(.codesNewBatch)
            out += "</h2>"
            if products.isEmpty {
                out += #"<p class="muted">"#
                out += t(.codesNoProducts)
                out += "</p>"
            } else {
                APIForm.start(&out, id: "new-batch", endpoint: "/api/v1/code-batches", next: "/codes/{id}", t: t)
                out += #"<label>"#
                out += t(.product)
                out += #"<select name="productID" data-number required>"#
                for product in products { Layout.option(&out, value: String(product.id), label: product.name + " · " + product.sku, selected: nil) }
                out += "</select></label><label>"
                out += t(.codesLot)
                out += #"<input type="text" name="lot" maxlength="20" required></label><label>"#
                out += t(.codesQuantity)
                out += #"<input type="number" name="quantity" min="1" max="\#(CodeBatch.maxQuantity)" step="1" value="1200" required></label><label>"#
                out += t(.unitsPerCase)
                out += #"<input type="number" name="unitsPerCase" min="1" step="1"><small class="muted">"#
                out += t(.codesUnitsPerCaseHint)
                out += "</small></label>"
                APIForm.end(&out, button: t(.codesCreate))
            }
            out += "</section></div>"
            out += WebAssets.apiForm.scriptTag
        }
    }

    static func detail(_ page: WebPage, _ view: BatchView) -> Response {
        let t = page.t
        let batch = view.batch
        let title = t(.codesBatch) + " #\(batch.id)"
        return Layout.render(page, title: title, section: .codes) { out in
            out += #"<div class="crumbs"><a href="/codes">"#
            out += t(.navCodes)
            out += "</a> / #\(batch.id)</div>"
            Layout.pageHeader(
                &out, title: title,
                lead: (view.product.map { $0.name + " · " } ?? "") + t(.codesLot) + " " + batch.lot + " · "
                    + t.dateTime(batch.createdAt))
            out += #"<section class="kpis">"#
            for (key, value) in [
                (L10n.Key.codesQuantity, batch.quantity), (.unitsPerCase, batch.unitsPerCase), (.codesCases, batch.caseCount),
            ] {
                Layout.kpi(&out, label: t(key), value: Format.number(value))
            }
            out += #"</section><div class="grid two"><section class="card"><h2>"#
            out += t(.codesDownloads)
            out += #"</h2><ul class="links">"#
            let base = "/api/v1/code-batches/\(batch.id)"
            let links: [(String, L10n.Key)] = [
                ("\(base)/export?format=csv&link=short", .codesDownloadCSV), ("\(base)/export?format=csv&link=gs1", .codesDownloadGS1),
                ("\(base)/export?format=txt&link=short", .codesDownloadTXT), ("\(base)/qr-sheet?kind=unit&count=20", .codesQRSheetUnits),
                ("\(base)/qr-sheet?kind=case&count=20", .codesQRSheetCases),
            ]
            for (href, key) in links {
                out += #"<li><a href=""#
                out.appendEscaped(href)
                out += #"">"#
                out += t(key)
                out += "</a></li>"
            }
            out += "</ul></section>"
            // Activate or void a range of cases (the whole batch when no range is typed).
            out += #"<section class="card"><h2>"#
            out += t(.codesRangeAction)
            out += #"</h2><p class="muted small">"#
            out += t(.codesRangeHint, ["last": String(batch.caseCount - 1)])
            out += "</p>"
            APIForm.start(&out, id: "range-action", endpoint: "\(base)/activations", next: nil, t: t)
            out += "<label>"
            out += t(.codesAction)
            out += #"<select name="action">"#
            Layout.option(&out, value: "activate", label: t(.codesActivate), selected: nil)
            Layout.option(&out, value: "void", label: t(.codesVoid), selected: nil)
            out += "</select></label>"
            caseRange(&out, prefix: "", last: batch.caseCount - 1, required: false, t: t)
            APIForm.end(&out, button: t(.codesApply))
            out += "</section>"
            // Ship a range of activated cases to a distributor.
            out += #"<section class="card"><h2>"#
            out += t(.codesShip)
            out += #"</h2><p class="muted small">"#
            out += t(.codesShipHint)
            out += "</p>"
            if view.distributors.isEmpty {
                out += #"<p class="muted">"#
                out += t(.codesNoDistributors)
                out += "</p>"
            } else {
                APIForm.start(&out, id: "ship", endpoint: "/api/v1/shipments", next: nil, t: t)
                out += "<label>"
                out += t(.distributor)
                out += #"<select name="distributorID" data-number required>"#
                for distributor in view.distributors {
                    Layout.option(&out, value: String(distributor.id), label: distributor.name + " · " + distributor.code, selected: nil)
                }
                out += #"</select></label><input type="hidden" name="ranges.0.batchID" data-number value="\#(batch.id)">"#
                caseRange(&out, prefix: "ranges.0.", last: batch.caseCount - 1, required: true, t: t)
                APIForm.end(&out, button: t(.codesShipButton))
            }
            out += "</section>"
            history(&out, view.actions, t: t)
            out += "</div>"
            runs(&out, view, t: t)
            out += WebAssets.apiForm.scriptTag
        }
    }

    /// The batch's activations and voidings, latest first.
    static func history(_ out: inout HTMLWriter, _ actions: [CodeRangeAction], t: L10n) {
        out += #"<section class="card flush"><h2>"#
        out += t(.codesHistory)
        out += #"</h2><div class="table-wrap"><table id="range-actions"><thead><tr><th>"#
        out.appendJoined([t(.codesAction), t(.codesCaseRange), t(.createdAt)], separator: "</th><th>")
        out += "</th></tr></thead><tbody>"
        if actions.isEmpty { Layout.emptyRow(&out, columns: 3, text: t(.codesNoHistory)) }
        for action in actions.sorted(by: { $0.id > $1.id }) {
            out += "<tr><td>"
            out += action.action == .activate ? t(.codesActivate) : t(.codesVoid)
            out += "</td><td>"
            out += rangeText(action.cases)
            out += "</td><td>"
            out += t.dateTime(action.createdAt)
            out += "</td></tr>"
        }
        out += "</tbody></table></div></section>"
    }

    /// Where the cases of the view's window are: runs of consecutive cases with the same facts.
    static func runs(_ out: inout HTMLWriter, _ view: BatchView, t: L10n) {
        out += #"<section class="card flush"><h2>"#
        out += t(.codesCaseRuns)
        out += #"</h2><p class="muted small">"#
        out += t(.codesCaseRunsHint)
        out += #"</p><div class="table-wrap"><table id="case-runs"><thead><tr><th>"#
        out.appendJoined([t(.codesCaseRange), t(.status), t(.codesShippedTo), t(.codesHeldBy)], separator: "</th><th>")
        out += #"</th><th class="num">"#
        out += t(.codesCases)
        out += "</th></tr></thead><tbody>"
        for run in view.runs {
            out += "<tr><td>"
            out += rangeText(run.cases)
            out += "</td><td>"
            switch run.key.status {
            case .active: out += #"<span class="badge ok">"#
            case .inactive: out += #"<span class="badge">"#
            case .voided: out += #"<span class="badge off">"#
            }
            out += t(run.key.status == .active ? .codeActive : run.key.status == .inactive ? .codeInactive : .codeVoided)
            out += "</span></td><td>"
            if let id = run.key.distributorID {
                out.appendEscaped(view.distributorNames[id] ?? "#\(id)")
            } else {
                out += t(.codesNotShipped)
            }
            out += "</td><td>"
            if let id = run.key.storeID {
                out += #"<a href="/stores/\#(id)">"#
                out.appendEscaped(view.storeNames[id] ?? "#\(id)")
                out += "</a>"
            } else {
                out += t(.none)
            }
            out += #"</td><td class="num">"#
            out += Format.number(run.cases.count)
            out += "</td></tr>"
        }
        out += "</tbody></table></div>"
        let count = view.window.count
        if view.window.lowerBound > 0 || view.window.upperBound < view.batch.caseCount - 1 {
            out += #"<nav class="pager">"#
            if view.window.lowerBound > 0 {
                out += #"<a class="secondary button" href="/codes/\#(view.batch.id)?from=\#(max(0, view.window.lowerBound - count))">"#
                out += t(.codesEarlierCases)
                out += "</a>"
            }
            if view.window.upperBound < view.batch.caseCount - 1 {
                out += #"<a class="secondary button" href="/codes/\#(view.batch.id)?from=\#(view.window.upperBound + 1)">"#
                out += t(.codesLaterCases)
                out += "</a>"
            }
            out += "</nav>"
        }
        out += "</section>"
    }

    static func rangeText(_ cases: ClosedRange<Int>) -> String {
        cases.count == 1 ? String(cases.lowerBound) : "\(cases.lowerBound)–\(cases.upperBound)"
    }

    /// First and last case fields; optional ones show the whole batch as their placeholders.
    static func caseRange(_ out: inout HTMLWriter, prefix: String, last: Int, required: Bool, t: L10n) {
        let (first, final) = required ? (" required", " required") : (#" placeholder="0""#, #" placeholder="\#(last)""#)
        out += #"<div class="grid two"><label>"#
        out += t(.codesFirstCase)
        out += #"<input type="number" name="\#(prefix)firstCase" min="0" max="\#(last)" step="1"\#(first)></label><label>"#
        out += t(.codesLastCase)
        out += #"<input type="number" name="\#(prefix)lastCase" min="0" max="\#(last)" step="1"\#(final)></label></div>"#
    }
}
