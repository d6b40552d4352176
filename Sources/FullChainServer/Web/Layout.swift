import FullChainCore
import HTTPTypes
import Hummingbird

/// What every signed-in page needs from its request: who asks, in which language, and the URL.
struct WebPage: Sendable {
    let principal: Principal
    let language: Language
    let t: L10n
    let path: String
    let query: FormFields
    private let rawQuery: String?

    /// 401 (a redirect to the sign-in page) when nobody is signed in.
    init(_ request: Request, _ context: AppRequestContext) throws(APIError) {
        principal = try context.requirePrincipal()
        language = context.language
        t = L10n(context.language, timeZone: context.timeZone)
        path = request.uri.path
        rawQuery = request.uri.query
        query = FormFields(rawQuery)
    }

    /// This page's path and query without `lang`, for the language switch.
    var currentURL: String {
        guard let rawQuery, !rawQuery.isEmpty else { return path }
        let kept = rawQuery.split(separator: "&").filter { !$0.hasPrefix("lang=") && $0 != "lang" }
        return kept.isEmpty ? path : path + "?" + kept.joined(separator: "&")
    }

    /// A 1-based page number from `?page=`, within sane bounds.
    var pageNumber: Int {
        guard let value = query.int("page"), value > 0 else { return 1 }
        return Int(min(value, 1_000_000))
    }
}

/// The parts of the site in the navigation.
enum Section: CaseIterable, Sendable {
    case overview, myTasks, storeDesk, deliveries, supply, org, users, distributors, stores, storeAlerts, notices, consumers, products, codes, alerts,
        campaigns, mall, settlements, imports

    var path: String {
        switch self {
        case .overview: "/"
        case .myTasks: "/m/tasks"
        case .storeDesk: "/m/store"
        case .deliveries: "/m/deliveries"
        case .supply: "/supply"
        case .org: "/org"
        case .users: "/users"
        case .distributors: "/distributors"
        case .stores: "/stores"
        case .storeAlerts: "/store-alerts"
        case .notices: "/store-notices"
        case .products: "/products"
        case .codes: "/codes"
        case .alerts: "/alerts"
        case .campaigns: "/campaigns"
        case .mall: "/mall-items"
        case .consumers: "/consumers"
        case .settlements: "/settlements"
        case .imports: "/imports"
        }
    }

    var title: L10n.Key {
        switch self {
        case .overview: .navOverview
        case .myTasks: .myTasks
        case .storeDesk: .deskTitle
        case .deliveries: .deskDeliveries
        case .supply: .navSupply
        case .org: .navOrg
        case .users: .navUsers
        case .distributors: .navDistributors
        case .stores: .navStores
        case .storeAlerts: .navStoreAlerts
        case .notices: .navNotices
        case .products: .navProducts
        case .codes: .navCodes
        case .alerts: .navAlerts
        case .campaigns: .navCampaigns
        case .mall: .navMall
        case .consumers: .navConsumers
        case .settlements: .navSettlements
        case .imports: .navImports
        }
    }

    /// Distributor and store staff have no org tree to look at; each role sees what it can use.
    func isVisible(to role: Role) -> Bool {
        switch self {
        case .org, .alerts, .storeAlerts: role == .admin || role == .manager || role == .salesperson
        case .campaigns, .mall: Permission.manageCampaigns.isGranted(to: role)
        case .codes: Permission.manageCodes.isGranted(to: role)
        // Each end of the chain has its phone page: the salesperson's tasks, the store's desk, the distributor's deliveries.
        case .myTasks: role == .salesperson
        case .storeDesk: role == .store
        case .deliveries, .supply: role == .distributor
        // People are managed, and master data imported, by HQ and managers only.
        case .users: Permission.manageUsers.isGranted(to: role)
        case .imports: role == .admin || role == .manager
        default: true
        }
    }

    /// A 24×24 line icon.
    var icon: Markup {
        switch self {
        case .overview: #"<path d="M4 13h6V4H4zM14 20h6V11h-6zM4 20h6v-3H4zM14 7h6V4h-6z"/>"#
        case .myTasks: #"<path d="M9 5h10M9 12h10M9 19h10M4 5l1 1 2-2M4 12l1 1 2-2M4 19l1 1 2-2"/>"#
        case .storeDesk: #"<path d="M7 3h10v18H7zM10 18h4M4 8h3M4 12h3M17 8h3M17 12h3"/>"#
        case .deliveries: #"<path d="M3 7h11v9H3zM14 10h4l3 3v3h-7M7 19a2 2 0 1 0 0-.1M17 19a2 2 0 1 0 0-.1"/>"#
        case .supply: #"<path d="M4 10v10h16V10M3 5h18l-1.5 5h-15zM8 15h3M13 15h3"/>"#
        case .org: #"<path d="M12 3v5M6 13V10h12v3M4 13h4v5H4zM10 13h4v5h-4zM16 13h4v5h-4zM9 3h6v5H9z"/>"#
        case .users:
            #"<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c.6-3.6 3.2-5.5 6.5-5.5s5.9 1.9 6.5 5.5M16 4.8a3.3 3.3 0 0 1 0 6.4M18 14.8c1.9.7 3.1 2.4 3.5 5.2"/>"#
        case .distributors: #"<path d="M3 7h11v9H3zM14 10h4l3 3v3h-7M7 19a2 2 0 1 0 0-.1M17 19a2 2 0 1 0 0-.1"/>"#
        case .stores: #"<path d="M4 10v10h16V10M3 5h18l-1.5 5h-15zM9 20v-5h6v5"/>"#
        case .storeAlerts: #"<path d="M3 20h18M5 20V9l7-5 7 5v11M9 20v-6h6v6M12 8v2"/>"#
        case .notices: #"<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0"/>"#
        case .products: #"<path d="M12 3 4 7v10l8 4 8-4V7zM4 7l8 4 8-4M12 11v10"/>"#
        case .codes: #"<path d="M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2v2h-2zM18 14h2v2M14 18h2v2M18 18h2v2h-2"/>"#
        case .alerts: #"<path d="M12 3 2 20h20zM12 9v5M12 17v.5"/>"#
        case .campaigns: #"<path d="M4 9h16v11H4zM3 5h18v4H3zM12 5v15M12 5c-1.5-3-5-3-5-.5S12 5 12 5s5-2.5 5-.5-3.5 3.5-5 .5"/>"#
        case .consumers: #"<path d="M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 12 0v1M16 3.5a4 4 0 0 1 0 7.5M22 21v-1a6 6 0 0 0-4-5.6"/>"#
        case .mall: #"<path d="M4 7h16l-1.5 12h-13zM9 7V5a3 3 0 0 1 6 0v2M9 12h6"/>"#
        case .settlements: #"<path d="M5 3h14v18l-3-2-2 2-2-2-2 2-2-2-3 2zM9 8h6M9 12h6M9 16h3"/>"#
        case .imports: #"<path d="M12 3v12M7 10l5 5 5-5M4 17v3h16v-3"/>"#
        }
    }
}

/// The page shell: head, navigation, the signed-in user, language switch and sign-out.
enum Layout {
    static let brandInitials = "FC"

    /// Renders a signed-in page; `body` writes the main content into the same string.
    static func render(
        _ page: WebPage, title: String, section: Section, capacity: Int = 24_000, _ body: (inout HTMLWriter) throws -> Void
    ) rethrows -> Response {
        let t = page.t
        var out = HTMLWriter(capacity: capacity)
        head(&out, title: title, lang: t.htmlLang)
        out += #"<body><div class="shell"><aside class="sidebar"><a class="brand" href="/"><span class="logo">"#
        out += brandInitials
        out += "</span><span>FullChain<small>"
        out += t(.appTagline)
        out += #"</small></span></a><nav class="nav" aria-label=""#
        out += t(.mainNavigation)
        out += #"">"#
        for item in Section.allCases where item.isVisible(to: page.principal.role) {
            out += #"<a href=""#
            out += item.path
            out += item == section ? #"" class="active" aria-current="page">"# : #"">"#
            out +=
                #"<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">"#
            out += item.icon
            out += "</svg>"
            out += t(item.title)
            out += "</a>"
        }
        out += #"</nav></aside><div class="main"><header class="topbar">"#
        languageSwitch(&out, t: t, currentURL: page.currentURL)
        out += #"<div class="user" title=""#
        out += t(.signedInAs)
        out += #""><span class="avatar">"#
        out.appendEscaped(String(page.principal.displayName.prefix(1)))
        out += "</span><span><strong>"
        out.appendEscaped(page.principal.displayName)
        out += "</strong><small>"
        out += t.label(page.principal.role)
        out += " · "
        out.appendEscaped(page.principal.username)
        out += #"</small></span></div><form method="post" action="/logout" class="signout"><button type="submit" class="secondary small">"#
        out += t(.signOut)
        out += #"</button></form></header><main class="content">"#
        try body(&out)
        out += "</main></div></div></body></html>"
        return HTML.response(out)
    }

    /// A page without navigation (sign-in, errors).
    static func bare(t: L10n, title: String, bodyClass: String, status: HTTPResponse.Status = .ok, _ body: (inout HTMLWriter) -> Void) -> Response {
        var out = HTMLWriter()
        head(&out, title: title, lang: t.htmlLang)
        out += #"<body class=""#
        out += bodyClass
        out += #"">"#
        body(&out)
        out += "</body></html>"
        return HTML.response(out, status: status)
    }

    static func head(_ out: inout HTMLWriter, title: String, lang: String) {
        out += #"<!doctype html><html lang=""#
        out += lang
        out += #""><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>"#
        out.appendEscaped(title)
        out += #" · FullChain</title><link rel="stylesheet" href=""#
        out += WebAssets.stylesheet.url
        out += #""><link rel="icon" href=""#
        out += favicon
        out += #""></head>"#
    }

    static let favicon =
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%231d64d8'/%3E"
        + "%3Ctext x='16' y='21' font-size='13' font-family='Arial' font-weight='700' fill='white' text-anchor='middle'%3EFC%3C/text%3E%3C/svg%3E"

    /// `中文 | English`, the current one marked; the other links to `/lang/…?next=` this page.
    static func languageSwitch(_ out: inout HTMLWriter, t: L10n, currentURL: String) {
        let next = currentURL.addingPercentEncodingForQuery()
        out += #"<nav class="lang" aria-label=""#
        out += t(.languageSwitch)
        out += #"">"#
        for (language, label) in [(Language.zh, "中文"), (Language.en, "English")] {
            if language == t.language {
                out += #"<span class="current" lang=""#
            } else {
                out += #"<a href="/lang/"#
                out += language.rawValue
                out += "?next="
                out += next
                out += #"" lang=""#
            }
            out += L10n(language).htmlLang
            out += #"">"#
            out += label
            out += language == t.language ? "</span>" : "</a>"
        }
        out += "</nav>"
    }

    /// The title row of a page, with an optional lead line and actions (already HTML).
    static func pageHeader(_ out: inout HTMLWriter, title: String, lead: String? = nil, actions: Markup = .empty) {
        out += #"<div class="page-head"><div><h1>"#
        out.appendEscaped(title)
        out += "</h1>"
        if let lead {
            out += "<p>"
            out.appendEscaped(lead)
            out += "</p>"
        }
        out += "</div>"
        if !actions.isEmpty {
            out += #"<div class="actions">"#
            out += actions
            out += "</div>"
        }
        out += "</div>"
    }

    /// One figure tile of a `kpis` row: its label, its value, and a colour (`green`, `teal`, …; empty: the default).
    static func kpi(_ out: inout HTMLWriter, label: String, value: String, tone: String = "") {
        out += tone.isEmpty ? #"<div class="kpi"><div class="label">"# : #"<div class="kpi \#(tone)"><div class="label">"#
        out += label
        out += #"</div><div class="value">"#
        out += value
        out += "</div></div>"
    }

    /// A status badge.
    static func statusBadge(_ out: inout HTMLWriter, _ status: MasterDataStatus, t: L10n) {
        out += status == .active ? #"<span class="badge ok">"# : #"<span class="badge off">"#
        out += t.label(status)
        out += "</span>"
    }

    /// `<option>` with the value escaped and selected when it matches.
    static func option(_ out: inout HTMLWriter, value: String, label: String, selected: String?) {
        out += #"<option value=""#
        out.appendEscaped(value)
        out += value == (selected ?? "") ? #"" selected>"# : #"">"#
        out.appendEscaped(label)
        out += "</option>"
    }

    /// A form's field errors, each with its field and code for scripts, in the words `text` gives.
    static func fieldErrors(_ out: inout HTMLWriter, _ errors: [FieldError], text: (FieldError) -> String) {
        guard !errors.isEmpty else { return }
        out += #"<ul class="alert bad" id="errors">"#
        for error in errors {
            out += #"<li data-field=""#
            out.appendEscaped(error.field)
            out += #"" data-code=""#
            out.appendEscaped(error.code)
            out += #"">"#
            out.appendEscaped(text(error))
            out += "</li>"
        }
        out += "</ul>"
    }

    /// A labelled search box.
    static func searchField(_ out: inout HTMLWriter, label: String, placeholder: String, value: String?) {
        out += #"<label>"#
        out += label
        out += #"<input type="search" name="q" value=""#
        out.appendEscaped(value ?? "")
        out += #"" placeholder=""#
        out.appendEscaped(placeholder)
        out += #"" maxlength="100"></label>"#
    }

    /// The filter buttons: apply, and reset to the bare list.
    static func filterButtons(_ out: inout HTMLWriter, t: L10n, resetPath: String) {
        out += #"<div class="filter-actions"><button type="submit">"#
        out += t(.filter)
        out += #"</button><a class="button secondary" href=""#
        out += resetPath
        out += #"">"#
        out += t(.reset)
        out += "</a></div>"
    }

    /// `第 1–50 条，共 N 条` and previous / numbered / next links that keep the filters.
    static func pager(_ out: inout HTMLWriter, t: L10n, path: String, query: QueryString, page: Int, perPage: Int, total: Int) {
        guard total > 0 else { return }
        let pages = max(1, (total + perPage - 1) / perPage)
        let first = total == 0 ? 0 : (page - 1) * perPage + 1
        let last = min(total, page * perPage)
        out += #"<div class="pager"><span class="muted">"#
        out += first > total ? t.total(total) : t.range(from: first, to: last, total: total)
        out += #"</span><span class="pages">"#
        func link(_ number: Int, _ label: String, rel: String? = nil) {
            out += #"<a href=""#
            out.appendEscaped(query.with("page", number == 1 ? nil : String(number)).url(path))
            out += "\""
            if let rel {
                out += #" rel=""#
                out += rel
                out += "\""
            }
            out += ">"
            out += label
            out += "</a>"
        }
        if page > 1 {
            link(min(page - 1, pages), t(.previous), rel: "prev")
        } else {
            out += #"<span class="disabled">"#
            out += t(.previous)
            out += "</span>"
        }
        var shown: [Int] = [1]
        let (low, high) = (max(2, page - 2), min(pages - 1, page + 2))
        if low <= high { shown += Array(low...high) }
        if pages > 1 { shown.append(pages) }
        var previous = 0
        for number in shown {
            if number - previous > 1 { out += #"<span class="gap">…</span>"# }
            if number == page { out += #"<span class="current">\#(number)</span>"# } else { link(number, String(number)) }
            previous = number
        }
        if page < pages {
            link(page + 1, t(.next), rel: "next")
        } else {
            out += #"<span class="disabled">"#
            out += t(.next)
            out += "</span>"
        }
        out += "</span></div>"
    }

    /// The empty-state row of a table.
    static func emptyRow(_ out: inout HTMLWriter, columns: Int, text: String) {
        out += #"<tr class="empty"><td colspan=""#
        out += String(columns)
        out += #"">"#
        out.appendEscaped(text)
        out += "</td></tr>"
    }
}
