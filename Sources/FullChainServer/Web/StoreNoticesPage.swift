import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /store-notices`: the notices journeys left for the stores within the caller's reach (a
/// store's staff see their own store's), newest first, each marked read with one button.
enum StoreNoticesPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let storage = services.storage
        router.get("/store-notices") { request, context in
            let page = try WebPage(request, context)
            let notices = try await storage.storeNotices.notices(limit: 200, unreadOnly: false, scope: page.principal.scope)
            return list(page, notices: notices)
        }
        router.post("/store-notices/:id/read") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard try await storage.storeNotices.markRead(id: try context.id(), at: currentMillis(), scope: page.principal.scope) != nil else {
                throw APIError.notFound
            }
            return HTML.redirect("/store-notices")
        }
    }

    static func list(_ page: WebPage, notices: [StoreNotice]) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.navNotices), section: .notices, capacity: 16_000) { out in
            Layout.pageHeader(&out, title: t(.navNotices), lead: t(.noticesLead))
            out += #"<section class="card flush"><div class="table-wrap"><table id="notices"><thead><tr><th>"#
            out.appendJoined([t(.noticeAt), t(.noticeStore), t(.stepNote), ""], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if notices.isEmpty { Layout.emptyRow(&out, columns: 4, text: t(.noNotices)) }
            for notice in notices {
                out += #"<tr data-notice="\#(notice.id)"\#(notice.readAt == nil ? #" class="unread""# : "")><td>"#
                out += t.dateTime(notice.createdAt)
                out += "</td><td>"
                out.appendEscaped(notice.storeName)
                out += "</td><td>"
                out.appendEscaped(notice.text)
                out += "</td><td>"
                if notice.readAt == nil {
                    out += #"<form method="post" action="/store-notices/\#(notice.id)/read"><button type="submit" class="secondary">"#
                    out += t(.noticeMarkRead)
                    out += "</button></form>"
                } else {
                    out += #"<span class="muted">"#
                    out += t(.noticeRead)
                    out += "</span>"
                }
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
        }
    }
}
