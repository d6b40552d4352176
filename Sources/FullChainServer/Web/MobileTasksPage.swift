import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /m/tasks`: the salesperson's phone page of open tasks, with check-in, shelf counts, photos
/// and resolution.
enum MobileTasksPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/m/tasks") { request, context in
            let page = try WebPage(request, context)
            let tasks = try await services.storage.storeTasks.alerts(
                ListQuery(limit: 100), filter: StoreAlertFilter(unresolved: true), scope: page.principal.scope
            ).items
                .sorted { ($0.dueDay, $0.id) < ($1.dueDay, $1.id) }
            let products = try await services.storage.allProducts(tenantID: page.principal.tenantID)
            return mobileTasks(page, tasks: tasks, products: products)
        }
    }

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
                StoreAlertsPage.badge(&out, task.kind, t: t)
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
}
