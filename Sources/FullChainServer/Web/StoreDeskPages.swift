import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// The phone pages of the chain's two ends: `GET /m/store`, where a store receives a case by its
/// B code and redeems a "再来一瓶" voucher by the cap's code; and `GET /m/deliveries`, where a
/// distributor records a delivery to one of its stores (出库到店). Codes come from the phone's
/// camera where the browser has `BarcodeDetector`, typed otherwise; the pages post to the API
/// (`/api/v1/receipts`, `/api/v1/vouchers/redemptions`, `/api/v1/transfers`) and say the outcome in
/// the page's language.
enum StoreDeskPages {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/m/store") { request, context in
            let page = try WebPage(request, context)
            let storeID: Int64
            if case .store(let own) = page.principal.scope.reach {
                storeID = own
            } else {
                guard let named = page.query.int("store"), named > 0 else { throw APIError.notFound }
                storeID = named
            }
            guard let store = try await services.storage.stores.get(id: storeID, scope: page.principal.scope) else { throw APIError.notFound }
            // The store's wallet: this month's line of its settlement statement (the store is within the caller's reach).
            let today = BusinessDay.day(ofMillis: currentMillis())
            let monthStart = BusinessDay.firstOfMonth(containing: today)
            let wallet = try await services.storage.settlements.stores(
                from: monthStart, to: today, scope: AccessScope(tenantID: page.principal.tenantID, reach: .store(id: storeID))
            ).first
            return storeDesk(page, store: store.store, wallet: wallet)
        }
        router.get("/m/deliveries") { request, context in
            let page = try WebPage(request, context)
            guard page.principal.role != .store else { throw APIError.forbidden }
            let stores = try await services.storage.stores.list(
                ListQuery(limit: 500), filter: StoreFilter(status: .active), scope: page.principal.scope)
            return deliveries(page, stores: stores.items.map(\.store))
        }
    }

    /// What the script says after each answer, in the page's language: by the API's error code.
    static func outcomes(_ out: inout HTMLWriter, t: L10n) {
        let texts: [(String, L10n.Key)] = [
            ("failed", .deskFailed), ("invalid_code", .deskInvalidCode), ("no_voucher", .deskNoVoucher),
            ("already_redeemed", .deskAlreadyRedeemed), ("already_received", .deskAlreadyReceived),
            ("already_delivered", .deskAlreadyDelivered), ("not_shipped", .deskNotShipped), ("shipped_elsewhere", .deskShippedElsewhere),
            ("not_held", .deskNotYours), ("voided", .deskVoided), ("not_found", .deskNotFound), ("forbidden", .deskForbidden), ("retry", .deskRetry),
            ("camera_off", .deskCameraOff),
        ]
        for (code, key) in texts {
            out += #" data-error-\#(code.split(separator: "_").joined(separator: "-"))=""#
            out.appendEscaped(t(key))
            out += #"""#
        }
    }

    /// One code to scan or type, with the camera button (shown where the browser can read codes).
    static func codeField(_ out: inout HTMLWriter, name: String, label: String, t: L10n) {
        out += #"<label class="code-field">"#
        out += label
        out += #"<span class="row"><input type="text" name="\#(name)" required maxlength="200" autocomplete="off" spellcheck="false" placeholder=""#
        out.appendEscaped(t(.deskTypeOrScan))
        out += #""><button type="button" class="secondary camera" hidden>"#
        out += t(.deskCamera)
        out += #"</button></span></label><video class="viewfinder" playsinline muted hidden></video>"#
    }

    /// A card that takes one code and posts it: its title, a hint, the code field and the button.
    static func codeForm(
        _ out: inout HTMLWriter, kind: String, endpoint: String, title: String, hint: String, label: String, button: String, t: L10n
    ) {
        out += #"<form class="card desk-form" id="\#(kind)" data-endpoint="\#(endpoint)" data-kind="\#(kind)"><h2>"#
        out += title
        out += #"</h2><p class="muted small">"#
        out += hint
        out += "</p>"
        codeField(&out, name: "code", label: label, t: t)
        out += #"<button type="submit">"#
        out += button
        out += #"</button><p class="outcome" role="status"></p></form>"#
    }

    static func storeDesk(_ page: WebPage, store: Store, wallet: StoreSettlement? = nil) -> Response {
        let t = page.t
        return Layout.bare(t: t, title: t(.deskTitle), bodyClass: "mobile") { out in
            out += #"<main class="mobile-tasks desk" id="desk" data-store="\#(store.id)""#
            outcomes(&out, t: t)
            out += #" data-received=""#
            out.appendEscaped(t(.deskReceived))
            out += #"" data-redeemed=""#
            out.appendEscaped(t(.deskRedeemed))
            out += #""><h1>"#
            out.appendEscaped(store.name)
            out += #"</h1><p class="muted">"#
            out += t(.deskLead)
            out += "</p>"
            codeForm(
                &out, kind: "receive", endpoint: "/api/v1/receipts", title: t(.deskReceive), hint: t(.deskReceiveHint), label: t(.deskCaseCode),
                button: t(.deskReceiveButton), t: t)
            codeForm(
                &out, kind: "voucher", endpoint: "/api/v1/vouchers/redemptions", title: t(.deskVoucher), hint: t(.deskVoucherHint),
                label: t(.deskCapCode), button: t(.deskRedeemButton), t: t)
            self.wallet(&out, wallet, t: t)
            out += #"<p class="links"><a href="/coupons/redeem">"#
            out += t(.deskCoupons)
            out += #"</a> · <a href="/store-notices">"#
            out += t(.navNotices)
            out += #"</a> · <a href="/">"#
            out += t(.dashboardTitle)
            out += "</a></p></main>"
            out += WebAssets.storeDesk.scriptTag
        }
    }

    static func deliveries(_ page: WebPage, stores: [Store]) -> Response {
        let t = page.t
        return Layout.bare(t: t, title: t(.deskDeliveries), bodyClass: "mobile") { out in
            out += #"<main class="mobile-tasks desk" id="desk""#
            outcomes(&out, t: t)
            out += #" data-delivered=""#
            out.appendEscaped(t(.deskDelivered))
            out += #""><h1>"#
            out += t(.deskDeliveries)
            out += #"</h1><p class="muted">"#
            out += t(.deskDeliveriesLead)
            out += "</p>"
            if stores.isEmpty {
                out += #"<p class="empty muted">"#
                out += t(.deskNoStores)
                out += "</p></main>"
                return
            }
            out += #"<form class="card desk-form" id="deliver" data-endpoint="/api/v1/transfers" data-kind="deliver"><label>"#
            out += t(.deskToStore)
            out += #"<select name="store" required>"#
            for store in stores.sorted(by: { $0.code < $1.code }) {
                out += #"<option value="\#(store.id)">"#
                out.appendEscaped(store.name)
                out += " · "
                out.appendEscaped(store.code)
                out += "</option>"
            }
            out += "</select></label>"
            codeField(&out, name: "code", label: t(.deskCaseCode), t: t)
            out += #"<button type="submit">"#
            out += t(.deskDeliverButton)
            out += #"</button><p class="outcome" role="status"></p></form></main>"#
            out += WebAssets.storeDesk.scriptTag
        }
    }

    /// The store's wallet this month: rewards its sales earned, vouchers and coupons it redeemed,
    /// and what the brand owes it now; the statement is one tap away.
    static func wallet(_ out: inout HTMLWriter, _ line: StoreSettlement?, t: L10n) {
        out += #"<section class="card" id="wallet"><h2>"#
        out += t(.walletTitle)
        out += #"</h2><dl class="fields">"#
        let rows: [(L10n.Key, String)] = [
            (
                .walletRewards,
                Format.yuan(fen: line?.rewardsFen ?? 0) + " · " + t(.walletScans, ["count": Format.number(line?.rewardedScans ?? 0)])
            ),
            (
                .walletVouchers,
                Format.yuan(fen: line?.vouchersFen ?? 0) + " · " + t(.walletCount, ["count": Format.number(line?.vouchersRedeemed ?? 0)])
            ),
            (
                .walletCoupons,
                Format.yuan(fen: line?.couponsFen ?? 0) + " · " + t(.walletCount, ["count": Format.number(line?.couponsRedeemed ?? 0)])
            ),
            (.walletDue, Format.yuan(fen: line?.dueFen ?? 0)),
        ]
        for (key, value) in rows {
            DistributorsPage.field(&out, t(key)) { $0.appendEscaped(value) }
        }
        out += #"</dl><p class="links"><a href="/settlements">"#
        out += t(.walletStatement)
        out += "</a></p></section>"
    }
}
