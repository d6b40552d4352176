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
            let today = BusinessDay.day(ofMillis: currentMillis())
            // Each task's store: where it is, and the products it sells or received lately (the ones worth counting).
            var stores: [Int64: TaskStore] = [:]
            for storeID in Set(tasks.map(\.storeID)) {
                guard let store = try await services.storage.stores.get(id: storeID, scope: page.principal.scope)?.store else { continue }
                let carried = try await services.storage.storeJob.skuTotals(
                    today: today, storeID: storeID, historyDays: 90, rateLagDays: 0, tenantID: page.principal.tenantID
                ).map(\.productID)
                stores[storeID] = TaskStore(store: store, productIDs: Set(carried))
            }
            return mobileTasks(page, tasks: tasks, products: products, stores: stores, today: today)
        }
    }

    /// A task's store and the products it carries.
    struct TaskStore {
        var store: Store
        var productIDs: Set<Int64>
    }

    /// How many products a count form offers at most.
    static let maxCounted = 6

    static func mobileTasks(_ page: WebPage, tasks: [StoreAlert], products: [Product], stores: [Int64: TaskStore], today: Int64) -> Response {
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
                if task.dueDay < today {
                    out += #" <span class="badge bad overdue">"#
                    out += t(.overdue)
                    out += "</span>"
                }
                out += "</div>"
                let store = stores[task.storeID]
                if let store {
                    out += #"<p class="where muted small">"#
                    out.appendEscaped(store.store.address, placeholder: "—")
                    if let point = store.store.location {
                        out += #" · <a class="map" target="_blank" rel="noopener" href="https://uri.amap.com/marker?position="#
                        out += Format.decimal(point.longitude, places: 6) + "," + Format.decimal(point.latitude, places: 6)
                        out += #"">"#
                        out += t(.openMap)
                        out += "</a>"
                    }
                    // A call link: the phone's digits (and a leading +) only.
                    if let phone = store.store.phone {
                        let dialled = String(phone.filter { $0.isASCII && ($0.isNumber || $0 == "+") }.prefix(20))
                        if !dialled.isEmpty {
                            out += #" · <a class="call" href="tel:\#(dialled)">"#
                            out += t(.callStore)
                            out += "</a>"
                        }
                    }
                    out += "</p>"
                }
                if let productID = task.productID, productID > 0, let product = products.first(where: { $0.id == productID }) {
                    out += #"<p class="product small">"#
                    out += t(.productAtRisk)
                    out += t(.colon)
                    out.appendEscaped(product.name)
                    out += "</p>"
                }
                out += #"<p class="reason">"#
                out.appendEscaped(t.why(task))
                out += #"</p><form class="visit"><fieldset><legend>"#
                out += t(.checkInAndCount)
                out += "</legend>"
                // The store's own products (the one at risk first); all products only when it has none on record.
                let own = products.filter { store?.productIDs.contains($0.id) == true || $0.id == task.productID }
                let counted = (own.isEmpty ? products : own).sorted {
                    ($0.id == task.productID ? 0 : 1, $0.id) < ($1.id == task.productID ? 0 : 1, $1.id)
                }
                for product in counted.prefix(maxCounted) {
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
