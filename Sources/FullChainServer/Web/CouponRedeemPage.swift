import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// `GET /coupons/redeem?code=`: the store staff's phone page that redeems a consumer's points-mall
/// coupon. The coupon's QR holds this page's address with its code, so scanning it with the
/// phone's camera opens the page (after sign-in) ready to redeem; `POST` redeems it for the store.
enum CouponRedeemPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/coupons/redeem") { request, context in
            let page = try WebPage(request, context)
            let code = page.query["code"].flatMap(CouponCode.parse)
            let coupon = try await code.asyncFlatMap { try await services.storage.mall.coupon(code: $0, tenantID: page.principal.tenantID) }
            return try await render(page, services: services, code: code ?? page.query["code"] ?? "", coupon: coupon, outcome: nil, status: .ok)
        }

        router.post("/coupons/redeem") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 2_048)))
            let text = fields["code"] ?? ""
            let storeID = try LogisticsAPI.actingStore(named: fields["store"].flatMap { Int64($0) }, by: page.principal)
            do {
                let coupon = try await MallAPI.redeem(text, storeID: storeID, by: page.principal, storage: services.storage)
                return try await render(page, services: services, code: coupon.code, coupon: coupon, outcome: .success(coupon), status: .ok)
            } catch let error as APIError {
                let code = CouponCode.parse(text)
                let coupon = try await code.asyncFlatMap { try await services.storage.mall.coupon(code: $0, tenantID: page.principal.tenantID) }
                return try await render(page, services: services, code: code ?? text, coupon: coupon, outcome: .failure(error), status: error.status)
            }
        }
    }

    static func render(
        _ page: WebPage, services: AppServices, code: String, coupon: Coupon?, outcome: Result<Coupon, APIError>?, status: HTTPResponse.Status
    ) async throws -> Response {
        let t = page.t
        // Store staff redeem for their store; anyone else picks one of the stores they reach.
        var stores: [StoreSummary] = []
        if case .store = page.principal.scope.reach {
        } else {
            stores = try await services.storage.stores.list(ListQuery(limit: 200), filter: StoreFilter(status: .active), scope: page.principal.scope)
                .items
        }
        return Layout.bare(t: t, title: t(.couponRedeemTitle), bodyClass: "mobile", status: status) { out in
            out += #"<main class="mobile-tasks"><h1>"#
            out += t(.couponRedeemTitle)
            out += #"</h1><p class="muted">"#
            out += t(.couponRedeemHint)
            out += "</p>"
            switch outcome {
            case .success(let redeemed):
                out += #"<p class="alert ok" id="outcome" data-result="redeemed">"#
                out.appendEscaped(t(.couponRedeemedOK, ["item": redeemed.itemName, "amount": Format.yuan(fen: redeemed.faceValueFen)]))
                out += "</p>"
            case .failure(let error):
                out += #"<p class="alert bad" id="outcome" data-error=""#
                out.appendEscaped(error.code)
                out += #"">"#
                switch error.code {
                case "already_redeemed": out.appendEscaped(t(.couponAlreadyRedeemed, ["date": t.dateTime(coupon?.redeemedAt ?? 0)]))
                case "coupon_expired": out.appendEscaped(t(.couponExpiredAt, ["date": t.dateTime(coupon?.expiresAt ?? 0)]))
                case "coupon_not_found": out += t(.couponNotFound)
                default: out += t(.notFoundText)
                }
                out += "</p>"
            case nil:
                break
            }
            if let coupon, outcome == nil {
                out += #"<section class="card" id="coupon" data-status=""#
                out += coupon.status(at: currentMillis()).rawValue
                out += #""><p><strong>"#
                out.appendEscaped(coupon.itemName)
                out += "</strong> · "
                out += ConsumerPages.label(coupon.kind, t: t)
                if coupon.faceValueFen > 0 {
                    out += " · "
                    out.appendEscaped(t(.mallFaceValue, ["amount": Format.yuan(fen: coupon.faceValueFen)]))
                }
                out += "</p></section>"
            }
            out += #"<form method="post" action="/coupons/redeem" class="card" id="redeem"><label>"#
            out += t(.couponCodeLabel)
            out += #"<input type="text" name="code" maxlength="80" autocomplete="off" required value=""#
            out.appendEscaped(code)
            out += #""></label>"#
            if !stores.isEmpty {
                out += "<label>"
                out += t(.couponStore)
                out += #"<select name="store">"#
                for summary in stores {
                    Layout.option(&out, value: String(summary.store.id), label: summary.store.name, selected: nil)
                }
                out += "</select></label>"
            }
            out += #"<button type="submit">"#
            out += t(.couponRedeemButton)
            out += "</button></form></main>"
        }
    }
}
