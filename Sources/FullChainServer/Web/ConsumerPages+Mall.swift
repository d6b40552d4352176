import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// The points mall on the consumer's phone: `/mall` lists what their points buy, and
/// `POST /mall/{id}/take` takes one (a coupon with its own code, shown on "我的").
extension ConsumerPages {
    static func registerMall(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/mall") { request, context in
            let t = L10n(context.language)
            let now = currentMillis()
            guard let session = try session(of: request, services: services, now: now) else {
                return message(t: t, status: .ok, code: nil, title: t(.mallTitle), text: t(.meNotSignedIn))
            }
            return try await mallPage(t: t, session: session, services: services, now: now, failure: nil, status: .ok)
        }

        router.post("/mall/:id/take") { request, context in
            let t = L10n(context.language)
            let now = currentMillis()
            guard let session = try session(of: request, services: services, now: now, changesState: true) else {
                return message(t: t, status: .unauthorized, code: nil, title: t(.mallTitle), text: t(.meNotSignedIn), error: "not_signed_in")
            }
            guard let id = context.parameters.get("id").flatMap({ Int64($0) }), id > 0 else { throw APIError.notFound }
            switch try await services.consumers.takeMallItem(id, for: session, now: now) {
            case .taken(let coupon):
                return HTML.redirect("/me?taken=\(coupon.id)#coupons")
            case let failure:
                return try await mallPage(t: t, session: session, services: services, now: now, failure: (failure, id), status: .conflict)
            }
        }
    }

    /// The machine-readable reason a take failed.
    static func errorCode(_ outcome: MallTakeOutcome) -> String {
        switch outcome {
        case .taken: "taken"
        case .outOfStock: "out_of_stock"
        case .limitReached: "limit_reached"
        case .notEnoughPoints: "not_enough_points"
        case .unavailable: "unavailable"
        case .needsWeChat: "cash_needs_wechat"
        }
    }

    static func label(_ kind: MallItemKind, t: L10n) -> String {
        switch kind {
        case .coupon: t(.mallKindCoupon)
        case .gift: t(.mallKindGift)
        case .voucher: t(.mallKindVoucher)
        case .cash: t(.mallKindCash)
        }
    }

    static func mallPage(
        t: L10n, session: ConsumerSession, services: AppServices, now: Int64, failure: (MallTakeOutcome, Int64)?, status: HTTPResponse.Status
    ) async throws -> Response {
        let wallet = try await services.consumers.wallet(of: session)
        let items = try await services.storage.mall.items(limit: 100, tenantID: session.tenantID).filter { $0.draft.isAvailable(at: now) }
        return mobile(t: t, title: t(.mallTitle), status: status) { out in
            out += #"<div class="card"><h1>"#
            out += t(.mallTitle)
            out += #"</h1><p><span class="muted">"#
            out += t(.mePoints)
            out += #"</span> <strong id="points">"#
            out.appendEscaped(Format.number(Int(clamping: wallet.points)))
            out += "</strong></p>"
            if let (outcome, itemID) = failure {
                out += #"<p class="verdict warn" id="message" data-error=""#
                out += errorCode(outcome)
                out += #"" data-item="\#(itemID)">"#
                switch outcome {
                case .outOfStock: out += t(.mallOutOfStock)
                case .limitReached:
                    let limit = items.first { $0.id == itemID }?.draft.perPersonLimit ?? 1
                    out.appendEscaped(t(.mallLimitReached, ["limit": Format.number(limit)]))
                case .notEnoughPoints: out += t(.mallNotEnoughPoints)
                case .needsWeChat: out += t(.mallCashNeedsWeChat)
                case .unavailable, .taken: out += t(.mallUnavailable)
                }
                out += "</p>"
            }
            out += "</div>"
            if items.isEmpty {
                out += #"<div class="card"><p id="no-items">"#
                out += t(.mallNoItems)
                out += "</p></div>"
            }
            out += #"<ul id="mall-items">"#
            for item in items {
                let d = item.draft
                out += #"<li class="card" data-item="\#(item.id)"><p><strong>"#
                out.appendEscaped(d.name)
                out += #"</strong> <span class="muted">"#
                out += label(d.kind, t: t)
                if d.faceValueFen > 0 {
                    out += " · "
                    out.appendEscaped(t(.mallFaceValue, ["amount": Format.yuan(fen: d.faceValueFen)]))
                }
                out += #"</span></p><p><strong class="price">"#
                out.appendEscaped(t(.mallPrice, ["points": Format.number(Int(clamping: d.pricePoints))]))
                out += #"</strong> <span class="muted">"#
                out.appendEscaped(t(.mallLeft, ["count": Format.number(Int(clamping: item.stockLeft))]))
                out += #"</span></p><form method="post" action="/mall/\#(item.id)/take"><button type="submit" class="button""#
                if item.stockLeft == 0 || wallet.points < d.pricePoints { out += " disabled" }
                out += ">"
                out += item.stockLeft == 0 ? t(.mallOutOfStock) : t(.mallTake)
                out += "</button></form></li>"
            }
            out += #"</ul><div class="card"><p><a href="/me">"#
            out += t(.meTitle)
            out += "</a></p></div>"
        }
    }

    /// "我的"'s coupons: each with its code and the QR the store's staff scan.
    static func couponsCard(_ out: inout HTMLWriter, t: L10n, coupons: [Coupon], services: AppServices, now: Int64) {
        out += #"<div class="card" id="coupons"><p class="muted">"#
        out += t(.meCoupons)
        out += #" · <a href="/mall" id="mall-link">"#
        out += t(.mallTitle)
        out += "</a></p>"
        if coupons.isEmpty {
            out += "<p>"
            out += t(.meNoCoupons)
            out += "</p>"
        }
        for coupon in coupons {
            let status = coupon.status(at: now)
            out += #"<div class="coupon" data-code=""#
            out += coupon.code
            out += #"" data-status=""#
            out += status.rawValue
            out += #""><p><strong>"#
            out.appendEscaped(coupon.itemName)
            out += #"</strong> <span class="muted">"#
            out += label(coupon.kind, t: t)
            out += #"</span></p><p>"#
            if coupon.kind != .cash {
                out += #"<code class="coupon-code">"#
                out += CouponCode.grouped(coupon.code)
                out += "</code> "
            }
            switch status {
            case .valid: out.appendEscaped(t(.couponValid, ["date": t.dateTime(coupon.expiresAt)]))
            case .redeemed where coupon.kind == .cash: out += t(.mallCashSent)
            case .redeemed: out.appendEscaped(t(.couponUsed, ["date": t.dateTime(coupon.redeemedAt ?? 0)]))
            case .expired: out += t(.couponExpired)
            }
            out += "</p>"
            if status == .valid, let qr = try? QRCode(services.consumers.couponURL(coupon.code)) {
                out += #"<div class="qr">"#
                out += Markup(trusted: qr.svgElement(scale: 4))
                out += #"</div><p class="muted">"#
                out += t(.couponShow)
                out += "</p>"
            }
            out += "</div>"
        }
        out += "</div>"
    }

    /// "我的"'s points history.
    static func pointsCard(_ out: inout HTMLWriter, t: L10n, history: [PointsMovement]) {
        guard !history.isEmpty else { return }
        out += #"<div class="card"><p class="muted">"#
        out += t(.mePointsHistory)
        out += #"</p><ul id="points-history">"#
        for line in history {
            out += "<li><strong>"
            out += line.amount > 0 ? "+" : ""
            out.appendEscaped(Format.number(Int(clamping: line.amount)))
            out += "</strong> "
            switch line.reason {
            case .won: out += t(.pointsWon)
            case .claimed: out += t(.pointsClaimed)
            case .spent: out += t(.pointsSpent)
            case .other: out += t(.pointsOther)
            }
            out += #" <span class="muted">"#
            out.appendEscaped(t.dateTime(line.at))
            out += "</span></li>"
        }
        out += "</ul></div>"
    }
}
