import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /org`: the sales org tree in reach, with the people at each node.
enum OrgPage {
    /// Users read for the tree, at most.
    static let maxUsers = 5_000

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/org") { request, context in
            let page = try WebPage(request, context)
            let scope = page.principal.scope
            async let nodes = services.storage.org.list(scope: scope, level: nil)
            async let people = users(storage: services.storage, scope: scope)
            return render(page, nodes: try await nodes, people: try await people)
        }
    }

    /// Every user in reach attached to an org node, by node, in pages of 500.
    static func users(storage: AppStorage, scope: AccessScope) async throws -> [Int64: [User]] {
        var byNode: [Int64: [User]] = [:]
        var offset = 0
        while offset < maxUsers {
            let page = try await storage.users.list(ListQuery(limit: 500, offset: offset), role: nil, scope: scope)
            for user in page.items {
                if let node = user.orgNodeID, user.role == .manager || user.role == .salesperson { byNode[node, default: []].append(user) }
            }
            offset += page.items.count
            if page.items.count < 500 || offset >= page.total { break }
        }
        return byNode
    }

    static func render(_ page: WebPage, nodes: [OrgNode], people: [Int64: [User]]) -> Response {
        let t = page.t
        let depths = nodes.map { $0.path.split(separator: "/").count }
        let top = depths.min() ?? 1
        let counts = OrgLevel.allCases.map { level in (level, nodes.count(where: { $0.level == level })) }.filter { $0.1 > 0 }
        var summary = HTMLWriter()
        for (level, count) in counts {
            summary += #"<span class="badge l\#(level.rawValue)">\#(t.label(level)) \#(Format.number(count))</span> "#
        }
        return Layout.render(page, title: t(.navOrg), section: .org, capacity: 2_000 + nodes.count * 260) { out in
            Layout.pageHeader(&out, title: t(.navOrg), lead: t(.orgLead), actions: summary.markup)
            out += #"<section class="card flush">"#
            guard !nodes.isEmpty else {
                out += #"<p class="muted card-empty">"#
                out += t(.orgEmpty)
                out += "</p></section>"
                return
            }
            out += #"<ul class="tree">"#
            for (node, depth) in zip(nodes, depths) {
                let level = max(0, min(3, depth - top))
                out += #"<li class="d\#(level) l\#(node.level.rawValue)">"#
                if level > 0 { out += #"<span class="branch">└</span>"# }
                out += #"<span class="badge l\#(node.level.rawValue)">"#
                out += t.label(node.level)
                out += #"</span><span class="node-name">"#
                out.appendEscaped(node.name)
                out += #"</span><code class="muted">"#
                out.appendEscaped(node.code)
                out += "</code>"
                if node.level == .salesperson {
                    out += #"<a class="small" href="/stores?salespersonNodeId=\#(node.id)">"#
                    out += t(.viewStores)
                    out += " →</a>"
                }
                out += #"<span class="people">"#
                if let users = people[node.id], !users.isEmpty {
                    for (index, user) in users.enumerated() {
                        if index > 0 { out += page.t(.listSeparator) }
                        out.appendEscaped(user.displayName)
                        out += #" <span class="small">("#
                        out.appendEscaped(user.username)
                        out += ")</span>"
                    }
                } else {
                    out += t(.noPeople)
                }
                out += "</span></li>"
            }
            out += "</ul></section>"
        }
    }
}
