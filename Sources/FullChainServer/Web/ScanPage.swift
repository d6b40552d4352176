import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /c/{code}`: the mobile (H5) page a consumer's phone opens from the QR code in the cap
/// (a GS1 Digital Link `GET /01/{GTIN}/10/{lot}/21/{serial}` redirects there).
/// The server says at once whether the code is genuine and what product it names; the page then
/// records the scan (with the phone's position if the consumer allows it) and shows the answer:
/// first scan, or how often and where it was first scanned, the selling store and stores nearby.
enum ScanPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/c/:code") { request, context in
            let text = context.parameters.get("code") ?? ""
            let identity = try await services.scanning.identify(text)
            var consumer = ConsumerLinks()
            var timeZone = "Asia/Shanghai"
            if let identity {
                timeZone = try await services.timeZones.zone(of: identity.tenantID).identifier
                let session = try ConsumerPages.session(of: request, services: services, now: currentMillis())
                if session?.tenantID == identity.tenantID {
                    consumer.signedIn = true
                } else {
                    consumer.weChat = try await services.consumers.weChatAppID(tenantID: identity.tenantID) != nil
                    consumer.phone = services.consumers.phoneSignInAvailable
                }
            }
            return render(
                code: text, productName: identity?.product?.name, lot: identity?.lot, genuine: identity != nil, consumer: consumer,
                t: L10n(context.language), timeZone: timeZone)
        }
        // GS1 Digital Link URLs, printed with `link=gs1`: resolved down to the unit's page.
        @Sendable func digitalLink(_ request: Request, _ context: AppRequestContext, lot: String?) async throws -> Response {
            let serial = context.parameters.get("serial") ?? ""
            switch try await services.scanning.resolveDigitalLink(gtin: context.parameters.get("gtin") ?? "", lot: lot, serial: serial) {
            case .unit(let code), .forged(let code):
                return .redirect(to: "/c/\(code)", type: .found)
            case .unknown:
                var response = render(
                    code: String(serial.prefix(40)), productName: nil, lot: nil, genuine: false, consumer: ConsumerLinks(), t: L10n(context.language))
                response.status = .notFound
                return response
            }
        }
        router.get("/01/:gtin/10/:lot/21/:serial") { request, context in
            try await digitalLink(request, context, lot: context.parameters.get("lot") ?? "")
        }
        router.get("/01/:gtin/21/:serial") { request, context in
            try await digitalLink(request, context, lot: nil)
        }
    }

    /// The texts the page's script shows, in the page's language.
    static func strings(_ t: L10n) -> String {
        let keys: [(String, L10n.Key)] = [
            ("checking", .scanChecking),
            ("first", .scanFirst),
            ("repeat", .scanRepeat),
            ("inactive", .scanInactive),
            ("voided", .scanVoided),
            ("fake", .scanFake),
            ("store", .scanStore),
            ("nearby", .scanNearby),
            ("km", .scanKm),
            ("error", .scanError),
            ("won", .scanWon),
            ("cash", .scanCash),
            ("free_item", .scanFreeItem),
            ("points", .scanPoints),
            ("coupon", .scanCoupon),
            ("review", .scanReview),
            ("lost", .scanLost),
            ("already_drawn", .scanAlreadyDrawn),
            ("limit_reached", .scanLimitReached),
            ("out_of_stock", .scanOutOfStock),
            ("budget_spent", .scanBudgetSpent),
            ("identity_needed", .scanIdentityNeeded),
            ("inactive_code", .scanInactiveCode),
            ("cash_sign_in", .scanCashSignIn),
            ("cash_kept", .scanCashKept),
            ("sign_in", .scanSignIn),
            ("signed_in", .scanSignedIn),
            ("mine", .scanMine),
            ("cash_phone", .scanCashPhone),
            ("phone_sign_in", .scanPhoneSignIn),
        ]
        var out = "{"
        for (index, (name, key)) in keys.enumerated() {
            if index > 0 { out += "," }
            out += "\"\(name)\":\"" + jsonEscape(t(key)) + "\""
        }
        return out + "}"
    }

    /// A JSON string's contents, safe inside a `<script>` element (no `<`, `>` or `&`).
    static func jsonEscape(_ text: String) -> String {
        String(JSONLogHandler.quote(text).dropFirst().dropLast())
            .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e").replacingOccurrences(
                of: "&", with: "\\u0026")
    }

    /// What the page offers about the consumer: WeChat or phone sign-in, or their prizes.
    struct ConsumerLinks {
        var weChat = false
        var phone = false
        var signedIn = false
    }

    /// `timeZone`: the brand's (an IANA name), in which the page shows times.
    static func render(
        code: String, productName: String?, lot: String?, genuine: Bool, consumer: ConsumerLinks, t: L10n, timeZone: String = "Asia/Shanghai"
    ) -> Response {
        var out = HTMLWriter(capacity: 8_192)
        out += #"<!doctype html><html lang=""#
        out += t.htmlLang
        out += #""><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>"#
        out += t(.scanPageTitle)
        out += #"</title><link rel="stylesheet" href=""#
        out += WebAssets.scanStylesheet.url
        out += #""></head><body"#
        if genuine {
            // What the script needs, as data: the code, where to send it, and the texts it shows.
            out += #" data-code=""#
            out.appendEscaped(code)
            out += #"" data-time-zone=""#
            out.appendEscaped(timeZone)
            out += #"" data-scan-url="/api/v1/scans" data-nearby-url="/api/v1/scans/nearby-stores" data-strings=""#
            out += strings(t)
            out += #"""#
            if consumer.signedIn {
                out += #" data-me-url="/me?code="#
                out.appendEscaped(code.addingPercentEncodingForQuery())
                out += #"""#
            }
            if consumer.weChat {
                out += #" data-sign-in-url="/c/"#
                out.appendEscaped(code)
                out += #"/wechat""#
            }
            if consumer.phone {
                out += #" data-phone-sign-in-url="/c/"#
                out.appendEscaped(code)
                out += #"/phone""#
            }
        }
        out += #"><div class="wrap"><div class="card"><p class="muted">FullChain · "#
        out += t(.scanTagline)
        out += "</p><h1>"
        out += productName ?? t(.scanUnknownProduct)
        out += "</h1>"
        if let lot {
            out += #"<p class="muted">"#
            out += t(.scanLot)
            out.appendEscaped(lot)
            out += "</p>"
        }
        out += #"<p id="verdict" class="verdict "#
        out += genuine ? #"">"# : #"bad">"#
        out += t(genuine ? .scanChecking : .scanFake)
        out +=
            #"</p></div><div class="card" id="prize" hidden></div><div class="card" id="store" hidden></div><div class="card" id="nearby" hidden></div><div class="card" id="account" hidden></div></div>"#
        if genuine {
            out += WebAssets.scanScript.scriptTag
        }
        out += "</body></html>"
        return HTML.response(out)
    }
}
