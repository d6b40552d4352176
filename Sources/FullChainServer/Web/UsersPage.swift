import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /users`: people in reach, with search, a role filter and pages.
enum UsersPage {
    static let perPage = 50

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/users") { request, context in
            let page = try WebPage(request, context)
            let scope = page.principal.scope
            let search = page.query["q"]
            let role = page.query["role"].flatMap(Role.init(rawValue:))
            let number = page.pageNumber
            let list = ListQuery(limit: perPage, offset: (number - 1) * perPage, search: search)
            async let users = services.storage.users.list(list, role: role, scope: scope)
            async let nodes = services.storage.org.list(scope: scope, level: nil)
            let result = try await users
            let names = Dictionary(try await nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return render(page, result: result, nodes: names, search: search, role: role, number: number)
        }
    }

    static func render(_ page: WebPage, result: Page<User>, nodes: [Int64: OrgNode], search: String?, role: Role?, number: Int) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.navUsers), section: .users) { out in
            Layout.pageHeader(&out, title: t(.navUsers), lead: t.total(result.total))
            out += #"<section class="card flush"><form class="filters" method="get" action="/users">"#
            Layout.searchField(&out, label: t(.search), placeholder: t(.searchPlaceholderUsers), value: search)
            out += "<label>"
            out += t(.role)
            out += #"<select name="role">"#
            Layout.option(&out, value: "", label: t(.allRoles), selected: role?.rawValue)
            for candidate in Role.allCases { Layout.option(&out, value: candidate.rawValue, label: t.label(candidate), selected: role?.rawValue) }
            out += "</select></label>"
            Layout.filterButtons(&out, t: t, resetPath: "/users")
            out += #"</form><div class="table-wrap"><table><thead><tr><th>"#
            out.appendJoined([t(.username), t(.displayName), t(.role), t(.attachedTo), t(.status), t(.createdAt)], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            if result.items.isEmpty { Layout.emptyRow(&out, columns: 6, text: t(.noResults)) }
            for user in result.items {
                out += "<tr><td><code>"
                out.appendEscaped(user.username)
                out += "</code></td><td>"
                out.appendEscaped(user.displayName)
                out += #"</td><td><span class="badge">"#
                out += t.label(user.role)
                out += "</span></td><td>"
                attachment(&out, user: user, nodes: nodes, t: t)
                out += "</td><td>"
                Layout.statusBadge(&out, user.active ? .active : .inactive, t: t)
                out += #"</td><td class="muted">"#
                out += t.dateTime(user.createdAt)
                out += "</td></tr>"
            }
            out += "</tbody></table></div>"
            Layout.pager(
                &out, t: t, path: "/users", query: QueryString([("q", search), ("role", role?.rawValue)]),
                page: number, perPage: perPage, total: result.total)
            out += "</section>"
        }
    }

    /// What a user is attached to: an org node, a distributor, a store, or the whole brand.
    static func attachment(_ out: inout HTMLWriter, user: User, nodes: [Int64: OrgNode], t: L10n) {
        switch user.role {
        case .admin:
            out += t(.reachWholeTenant)
        case .manager, .salesperson:
            if let id = user.orgNodeID, let node = nodes[id] {
                out += #"<span class="badge l\#(node.level.rawValue)">"#
                out += t.label(node.level)
                out += "</span> "
                out.appendEscaped(node.name)
            } else {
                out += t(.none)
            }
        case .distributor:
            if let id = user.distributorID {
                out += #"<a href="/distributors/\#(id)">"#
                out += t(.distributor)
                out += " #\(id)</a>"
            } else {
                out += t(.none)
            }
        case .store:
            if let id = user.storeID {
                out += #"<a href="/stores/\#(id)">"#
                out += t(.kindStores)
                out += " #\(id)</a>"
            } else {
                out += t(.none)
            }
        }
    }
}
