import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /imports` (templates, exports, upload and history) and `GET /imports/{id}` (one run's report).
enum ImportsPage {
    static let perPage = 20

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/imports") { request, context in
            let page = try WebPage(request, context)
            let number = page.pageNumber
            let runs = try await services.storage.imports.list(ListQuery(limit: perPage, offset: (number - 1) * perPage), scope: page.principal.scope)
            return renderIndex(page, runs: runs, number: number)
        }

        router.get("/imports/:id") { request, context in
            let page = try WebPage(request, context)
            guard let run = try await services.storage.imports.get(id: try context.id(), scope: page.principal.scope) else { throw APIError.notFound }
            let user = try await services.storage.users.get(id: run.userID, scope: page.principal.scope)
            return renderRun(page, run: run, user: user)
        }
    }

    static func renderIndex(_ page: WebPage, runs: Page<ImportRun>, number: Int) -> Response {
        let t = page.t
        let allowed = ImportKind.allCases.filter { ImportAPI.permission(for: $0).isGranted(to: page.principal.role) }
        return Layout.render(page, title: t(.navImports), section: .imports) { out in
            Layout.pageHeader(&out, title: t(.navImports), lead: t(.importLead))
            out += #"<div class="grid two"><section class="card flush"><h2>"#
            out += t(.templatesAndExports)
            out += #"</h2><div class="table-wrap"><table><thead><tr><th>"#
            out.appendJoined([t(.kind), t(.template), t(.export)], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            for kind in ImportKind.allCases {
                out += "<tr><td><strong>"
                out += t.label(kind)
                out += #"</strong></td><td class="links">"#
                downloadLinks(&out, base: "/api/v1/templates/" + kind.rawValue)
                out += #"</td><td class="links">"#
                downloadLinks(&out, base: "/api/v1/exports/" + kind.rawValue)
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"

            out += #"<section class="card"><h2>"#
            out += t(.upload)
            out += "</h2>"
            if allowed.isEmpty {
                out += #"<p class="muted">"#
                out += t(.noImportPermission)
                out += "</p>"
            } else {
                uploadForm(&out, kinds: allowed, t: t)
            }
            out += "</section></div>"

            out += #"<section class="card flush spaced"><div class="card-head"><h2>"#
            out += t(.history)
            out += #" <span class="muted small">"#
            out += t.total(runs.total)
            out += #"</span></h2></div><div class="table-wrap">"#
            historyTable(&out, runs: runs.items, t: t)
            out += "</div>"
            Layout.pager(&out, t: t, path: "/imports", query: QueryString(), page: number, perPage: perPage, total: runs.total)
            out += "</section>"
        }
    }

    static func downloadLinks(_ out: inout HTMLWriter, base: String) {
        out += #"<a href="\#(base)?format=csv" download>CSV</a><a href="\#(base)?format=xlsx" download>Excel</a>"#
    }

    /// The upload form; its script sends the raw file to the import API and opens the run's report.
    static func uploadForm(_ out: inout HTMLWriter, kinds: [ImportKind], t: L10n) {
        let colon = t(.colon)
        out += #"<form id="upload-form" class="upload" data-uploading=""#
        out.appendEscaped(t(.uploading))
        out += #"" data-failed=""#
        out.appendEscaped(t(.uploadFailed) + colon)
        out += #"" data-choose=""#
        out.appendEscaped(t(.chooseFile))
        out += #""><label>"#
        out += t(.kind)
        out += #"<select name="kind">"#
        for kind in kinds { Layout.option(&out, value: kind.rawValue, label: t.label(kind), selected: nil) }
        out += "</select></label><label>"
        out += t(.file)
        out +=
            #"<input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>"#
        out += #"<label class="check"><input type="checkbox" name="keepGood" value="true"> "#
        out += t(.keepGood)
        out += #"</label><button type="submit">"#
        out += t(.uploadButton)
        out += #"</button></form><p class="muted small">"#
        out += t(.uploadHint)
        out += #"</p><div id="upload-status" role="status" aria-live="polite"></div>"#
        out += WebAssets.importUpload.scriptTag
    }

    /// Past runs, newest first, shared with the overview.
    static func historyTable(_ out: inout HTMLWriter, runs: [ImportRun], t: L10n) {
        out += "<table><thead><tr><th>"
        out.appendJoined([t(.time), t(.kind), t(.fileName), t(.format)], separator: "</th><th>")
        out += #"</th><th class="num">"#
        out.appendJoined([t(.totalRows), t(.importedRows), t(.errorCount)], separator: #"</th><th class="num">"#)
        out += "</th><th>"
        out += t(.details)
        out += "</th></tr></thead><tbody>"
        if runs.isEmpty { Layout.emptyRow(&out, columns: 8, text: t(.noData)) }
        for run in runs {
            out += #"<tr><td class="muted">"#
            out += t.dateTime(run.createdAt)
            out += "</td><td>"
            out += ImportKind(rawValue: run.kind).map { t.label($0) } ?? run.kind
            out += #"</td><td class="wrap">"#
            out.appendEscaped(run.fileName)
            out += #"</td><td><span class="badge">"#
            out.appendEscaped(run.format.uppercased())
            out += #"</span></td><td class="num">"#
            out += Format.number(run.totalRows)
            out += #"</td><td class="num">"#
            out += Format.number(run.importedRows)
            out += #"</td><td class="num">"#
            if run.errorCount > 0 {
                out += #"<span class="badge bad">"#
                out += Format.number(run.errorCount)
                out += "</span>"
            } else {
                out += "0"
            }
            out += #"</td><td><a href="/imports/\#(run.id)">"#
            out += t(.details)
            out += "</a></td></tr>"
        }
        out += "</tbody></table>"
    }

    static func renderRun(_ page: WebPage, run: ImportRun, user: User?) -> Response {
        let t = page.t
        let kind = ImportKind(rawValue: run.kind)
        let errors = (try? JSONDecoder().decode([RowError].self, from: Data(run.errorsJSON.utf8))) ?? []
        let title = t(.importResult) + " #\(run.id)"
        return Layout.render(page, title: title, section: .imports, capacity: 8_000 + errors.count * 200) { out in
            out += #"<div class="crumbs"><a href="/imports">"#
            out += t(.navImports)
            out += "</a> / #"
            out += String(run.id)
            out += "</div>"
            Layout.pageHeader(&out, title: title, lead: run.fileName)
            let (tone, message): (String, L10n.Key) =
                if run.errorCount == 0 {
                    ("ok", .noErrors)
                } else if run.importedRows == 0 {
                    ("bad", .importRejected)
                } else {
                    ("warn", .importPartial)
                }
            out += #"<div class="alert \#(tone)" role="status">"#
            out += t(message)
            out += "</div>"

            out += #"<section class="kpis"><div class="kpi"><div class="label">"#
            out += t(.totalRows)
            out += #"</div><div class="value">"#
            out += Format.number(run.totalRows)
            out += #"</div></div><div class="kpi green"><div class="label">"#
            out += t(.importedRows)
            out += #"</div><div class="value">"#
            out += Format.number(run.importedRows)
            out += #"</div></div><div class="kpi \#(run.errorCount > 0 ? "amber" : "teal")"><div class="label">"#
            out += t(.errorCount)
            out += #"</div><div class="value">"#
            out += Format.number(run.errorCount)
            out += "</div></div></section>"

            out += #"<section class="card"><dl class="fields">"#
            DistributorsPage.field(&out, t(.kind)) { $0 += kind.map { t.label($0) } ?? run.kind }
            DistributorsPage.field(&out, t(.fileName)) { $0.appendEscaped(run.fileName) }
            DistributorsPage.field(&out, t(.format)) { $0.appendEscaped(run.format.uppercased()) }
            DistributorsPage.field(&out, t(.importedBy)) { out in
                if let user {
                    out.appendEscaped(user.displayName)
                    out += #" <span class="muted">("#
                    out.appendEscaped(user.username)
                    out += ")</span>"
                } else {
                    out += "#\(run.userID)"
                }
            }
            DistributorsPage.field(&out, t(.time)) { $0 += t.dateTime(run.createdAt) }
            out += "</dl></section>"

            guard !errors.isEmpty else { return }
            out += #"<section class="card flush"><div class="card-head"><h2>"#
            out += t(.rowErrors)
            if run.errorCount > errors.count {
                out += #" <span class="muted small">"#
                out += t(.errorsTruncated)
                out += "</span>"
            }
            out += #"</h2></div><div class="table-wrap"><table><thead><tr><th class="num">"#
            out += t(.rowNumber)
            out += "</th><th>"
            out.appendJoined([t(.column), t(.errorCode), t(.message)], separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            for error in errors {
                out += #"<tr><td class="num">"#
                out += String(error.row)
                out += "</td><td>"
                if let column = kind?.columns.first(where: { $0.zh == error.column || $0.key == error.column }) {
                    out += t.label(column)
                } else {
                    out.appendEscaped(error.column, placeholder: t(.none))
                }
                out += #"</td><td><code>"#
                out.appendEscaped(error.code)
                out += #"</code></td><td class="wrap">"#
                out.appendEscaped(error.message)
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
        }
    }
}
