import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /products`: the brand's catalogue, with search, a category filter and pages.
enum ProductsPage {
    static let perPage = 50

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/products") { request, context in
            let page = try WebPage(request, context)
            let search = page.query["q"]
            let category = page.query["category"]
            let number = page.pageNumber
            let result = try await services.storage.products.list(
                ListQuery(limit: perPage, offset: (number - 1) * perPage, search: search),
                category: category, tenantID: page.principal.tenantID)
            return render(page, result: result, search: search, category: category, number: number)
        }
    }

    static func render(_ page: WebPage, result: Page<Product>, search: String?, category: String?, number: Int) -> Response {
        let t = page.t
        let query = QueryString([("q", search), ("category", category)])
        return Layout.render(page, title: t(.navProducts), section: .products) { out in
            Layout.pageHeader(&out, title: t(.navProducts), lead: t.total(result.total))
            out += #"<section class="card flush"><form class="filters" method="get" action="/products">"#
            Layout.searchField(&out, label: t(.search), placeholder: t(.searchPlaceholderProducts), value: search)
            if let category {
                out += #"<input type="hidden" name="category" value=""#
                out.appendEscaped(category)
                out += #"">"#
            }
            Layout.filterButtons(&out, t: t, resetPath: "/products")
            out += "</form>"
            if let category {
                out += #"<div class="chips">"#
                StoresPage.chip(&out, label: t(.category), value: category, clear: query.with("category", nil).url("/products"), t: t)
                out += "</div>"
            }
            out += #"<div class="table-wrap"><table><thead><tr><th>SKU</th><th>"#
            out.appendJoined([t(.name), t(.category), t(.gtin)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out += t(.price)
            out += #"</th><th class="num">"#
            out += t(.unitsPerCase)
            out += "</th><th>"
            out += t(.launchDate)
            out += "</th><th>"
            out += t(.status)
            out += "</th></tr></thead><tbody>"
            if result.items.isEmpty { Layout.emptyRow(&out, columns: 8, text: t(.noResults)) }
            for product in result.items {
                out += "<tr><td><code>"
                out.appendEscaped(product.sku)
                out += "</code></td><td>"
                out.appendEscaped(product.name)
                out += #"</td><td><a href=""#
                out.appendEscaped(QueryString([("category", product.category)]).url("/products"))
                out += #"">"#
                out.appendEscaped(product.category)
                out += "</a></td><td><code>"
                out += product.gtin.shortForm
                out += #"</code></td><td class="num">"#
                out += Format.yuan(fen: product.priceFen)
                out += #"</td><td class="num">"#
                out += String(product.unitsPerCase)
                out += "</td><td>"
                out.appendEscaped(product.launchDate, placeholder: t(.none))
                out += "</td><td>"
                Layout.statusBadge(&out, product.status, t: t)
                out += "</td></tr>"
            }
            out += "</tbody></table></div>"
            Layout.pager(&out, t: t, path: "/products", query: query, page: number, perPage: perPage, total: result.total)
            out += "</section>"
        }
    }
}
