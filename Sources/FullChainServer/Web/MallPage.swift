import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// `GET /mall-items`: HQ's points mall — the items consumers can take with their points, how many
/// are left and taken — and the form that lists a new one (`POST /mall-items`).
enum MallPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/mall-items") { request, context in
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let items = try await services.storage.mall.items(limit: 500, tenantID: page.principal.tenantID)
            return render(page, items: items, errors: [], created: page.query["created"] == "1")
        }

        router.post("/mall-items") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 4_096)))
            do {
                let draft = try input(fields).validated()
                _ = try await services.storage.mall.create(draft, at: currentMillis(), tenantID: page.principal.tenantID)
                return HTML.redirect("/mall-items?created=1")
            } catch let error as ValidationError {
                let items = try await services.storage.mall.items(limit: 500, tenantID: page.principal.tenantID)
                var response = render(page, items: items, errors: error.errors, created: false)
                response.status = .unprocessableContent
                return response
            }
        }
    }

    /// The form's fields as the API's input: yuan to fen, the dates to the start of the first day
    /// and the end of the last (the brand's business days).
    static func input(_ fields: FormFields) -> MallItemInput {
        let yuan = fields["faceValueYuan"].flatMap { Double($0) }.flatMap {
            $0.isFinite && $0 >= 0 && $0 <= 100_000 ? Int64(($0 * 100).rounded()) : -1
        }
        let from = fields["availableFrom"].flatMap(BusinessDay.day(ofDate:)).map(BusinessDay.start(ofDay:))
        let until = fields["availableUntil"].flatMap(BusinessDay.day(ofDate:)).map { BusinessDay.start(ofDay: $0 + 1) }
        return MallItemInput(
            name: fields["name"], kind: fields["kind"], pricePoints: fields.int("pricePoints"), faceValueFen: yuan, stock: fields.int("stock"),
            perPersonLimit: fields.int("perPersonLimit"), availableFrom: from, availableUntil: until, validDays: fields.int("validDays"))
    }

    static func render(_ page: WebPage, items: [MallItem], errors: [FieldError], created: Bool) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.navMall), section: .mall) { out in
            Layout.pageHeader(&out, title: t(.navMall), lead: t(.mallLead))
            if created {
                out += #"<p class="alert ok" id="created">"#
                out += t(.mallCreated)
                out += "</p>"
            }
            Layout.fieldErrors(&out, errors) { $0.message }
            out += #"<section class="card flush spaced"><div class="table-wrap"><table id="mall-items"><thead><tr><th>"#
            out.appendJoined([t(.mallItemName), t(.kind), t(.mallAvailable)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out.appendJoined(
                [t(.mallPricePoints), t(.mallFaceValueYuan), t(.mallStock), t(.mallStockLeft), t(.mallTakenCount), t(.mallPerPerson)],
                separator: #"</th><th class="num">"#)
            out += "</th></tr></thead><tbody>"
            if items.isEmpty { Layout.emptyRow(&out, columns: 9, text: t(.noResults)) }
            for item in items {
                let d = item.draft
                out += #"<tr data-item="\#(item.id)"><td>"#
                out.appendEscaped(d.name)
                out += "</td><td>"
                out += ConsumerPages.label(d.kind, t: t)
                out += "</td><td>"
                out += t.dateTime(d.availableFrom) + " – " + t.dateTime(d.availableUntil)
                out += #"</td><td class="num">"#
                out.appendJoined(
                    [
                        Format.number(Int(clamping: d.pricePoints)), Format.yuan(fen: d.faceValueFen), Format.number(Int(clamping: d.stock)),
                        Format.number(Int(clamping: item.stockLeft)), Format.number(Int(clamping: d.stock - item.stockLeft)),
                        Format.number(d.perPersonLimit),
                    ], separator: #"</td><td class="num">"#)
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"

            out += #"<section class="card spaced"><h2>"#
            out += t(.mallCreate)
            out += #"</h2><form method="post" action="/mall-items" class="filters" id="new-item"><label>"#
            out += t(.mallItemName)
            out += #"<input type="text" name="name" maxlength="60" required></label><label>"#
            out += t(.kind)
            out += #"<select name="kind">"#
            for kind in MallItemKind.allCases { Layout.option(&out, value: kind.rawValue, label: ConsumerPages.label(kind, t: t), selected: nil) }
            out += "</select></label><label>"
            out += t(.mallPricePoints)
            out += #"<input type="number" name="pricePoints" min="1" max="\#(MallItemInput.maxPricePoints)" required></label><label>"#
            out += t(.mallFaceValueYuan)
            out += #"<input type="number" name="faceValueYuan" min="0" max="10000" step="0.01" value="0"></label><label>"#
            out += t(.mallStock)
            out += #"<input type="number" name="stock" min="1" max="\#(MallItemInput.maxStock)" required></label><label>"#
            out += t(.mallPerPerson)
            out += #"<input type="number" name="perPersonLimit" min="1" max="1000" value="1"></label><label>"#
            out += t(.periodFrom)
            out += #"<input type="date" name="availableFrom" required></label><label>"#
            out += t(.periodTo)
            out += #"<input type="date" name="availableUntil" required></label><label>"#
            out += t(.mallValidDays)
            out += #"<input type="number" name="validDays" min="1" max="366" value="30"></label><button type="submit">"#
            out += t(.mallCreate)
            out += "</button></form></section>"
        }
    }
}
