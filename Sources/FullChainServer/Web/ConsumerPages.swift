import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// The consumer's side of the scan pages: WeChat sign-in started from a unit's page
/// (`/c/{code}/wechat`), WeChat's return (`/consumer/wechat/callback`), phone sign-in
/// (`/c/{code}/phone`, see `ConsumerPages+Phone.swift`), and "我的" (`/me`): the prizes on their
/// way to the consumer.
enum ConsumerPages {
    static let sessionCookie = "fc_consumer"
    static let attemptCookie = "fc_signin"

    /// Who signed in, from the session cookie. A request that changes something with it must
    /// come from this site's own pages.
    static func session(of request: Request, services: AppServices, now: Int64, changesState: Bool = false) throws -> ConsumerSession? {
        guard let cookie = request.cookie(named: sessionCookie) else { return nil }
        if changesState && !SameOrigin.allows(request) { throw SameOrigin.refused }
        return services.consumers.session(from: cookie, now: now)
    }

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        registerPhone(on: router, services: services)
        registerMall(on: router, services: services)
        registerReferrals(on: router, services: services)
        router.get("/c/:code/wechat") { request, context in
            let t = L10n(context.language)
            let text = context.parameters.get("code") ?? ""
            guard let identity = try await services.scanning.identify(text) else { throw APIError.notFound }
            let query = request.uri.queryParameters
            let device = query.get("device").flatMap { WeChatWebAuth.isToken($0) ? $0 : nil }
            let scope: WeChatAuthScope = query.get("scope") == "userinfo" ? .userInfo : .base
            do {
                let (url, attempt) = try await services.consumers.startWeChatSignIn(
                    code: text, tenantID: identity.tenantID, deviceID: device, scope: scope, now: currentMillis())
                var response = Response(status: .found, headers: [.location: url, .cacheControl: "no-store"])
                response.setCookie(
                    cookie(attemptCookie, attempt, seconds: services.configuration.consumers.signInSeconds, path: attemptPath, request))
                return response
            } catch SignInFailure.notConfigured {
                return message(
                    t: t, status: .notFound, code: text, title: t(.signInFailedTitle), text: t(.signInNotConfigured),
                    error: errorCode(.notConfigured))
            }
        }

        router.get("/consumer/wechat/callback") { request, context in
            let t = L10n(context.language)
            let query = request.uri.queryParameters
            let now = currentMillis()
            do {
                // Signed in with a phone in this browser: its waiting cash goes to the openid.
                let previous = request.cookie(named: sessionCookie).flatMap { services.consumers.session(from: $0, now: now) }
                let signedIn = try await services.consumers.finishWeChatSignIn(
                    code: query.get("code") ?? "", state: query.get("state") ?? "", attempt: request.cookie(named: attemptCookie),
                    previous: previous, now: now)
                var response = HTML.redirect("/me?claimed=\(signedIn.claimed)&code=" + signedIn.code.addingPercentEncodingForQuery())
                response.setCookie(
                    cookie(sessionCookie, signedIn.cookie, seconds: services.configuration.consumers.sessionSeconds, path: "/", request))
                response.setCookie(cookie(attemptCookie, "", seconds: 0, path: attemptPath, request))
                return response
            } catch let failure as SignInFailure {
                let (status, text): (HTTPResponse.Status, L10n.Key) =
                    switch failure {
                    case .notConfigured: (.notFound, .signInNotConfigured)
                    case .stateInvalid: (.badRequest, .signInStateInvalid)
                    case .weChat(.invalidCode): (.badRequest, .signInCodeInvalid)
                    case .weChat(.codeUsed): (.badRequest, .signInCodeUsed)
                    case .weChat: (.serviceUnavailable, .signInUnavailable)
                    }
                return message(t: t, status: status, code: nil, title: t(.signInFailedTitle), text: t(text), error: errorCode(failure))
            }
        }

        router.get("/me") { request, context in
            let t = L10n(context.language)
            let query = request.uri.queryParameters
            let code = query.get("code").flatMap { WeChatWebAuth.isToken($0, maxLength: 64) ? $0 : nil }
            guard let session = try session(of: request, services: services, now: currentMillis()) else {
                return message(t: t, status: .ok, code: code, title: t(.meTitle), text: t(.meNotSignedIn))
            }
            let wallet = try await services.consumers.wallet(of: session)
            let consents = try await services.consumers.consents(of: session).state
            let claimed = query.get("claimed").flatMap { Int($0) }.map { max(0, min($0, 10_000)) } ?? 0
            let coupons = try await services.consumers.coupons(of: session)
            let history = try await services.consumers.pointsHistory(of: session)
            let taken = query.get("taken").flatMap { Int64($0) }.flatMap { id in coupons.first { $0.id == id } }
            let invite = try await services.consumers.invite(of: session, now: currentMillis())
            return mePage(
                t: t, session: session, wallet: wallet, consents: consents, claimed: claimed, code: code, saved: query.get("saved") == "1",
                mall: MeMall(coupons: coupons, history: history, taken: taken, services: services, now: currentMillis()), inviteURL: invite.url)
        }

        // Consents, each on its own: the form sends the ticked ones.
        router.post("/me/consents") { request, context in
            let t = L10n(context.language)
            let now = currentMillis()
            guard let session = try session(of: request, services: services, now: now, changesState: true) else {
                return message(t: t, status: .unauthorized, code: nil, title: t(.meTitle), text: t(.meNotSignedIn), error: "not_signed_in")
            }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 1_024)))
            let wanted = Dictionary(uniqueKeysWithValues: ConsentPurpose.allCases.map { ($0, fields[$0.rawValue] == "yes") })
            let updated = try await services.consumers.setConsents(wanted, for: session, now: now)
            guard let cookie = services.consumers.seal(updated) else {
                throw APIError(.serviceUnavailable, code: "seal_failed", message: "the session could not be sealed")
            }
            let code = fields["code"].flatMap { WeChatWebAuth.isToken($0, maxLength: 64) ? $0 : nil }
            var response = HTML.redirect("/me?saved=1" + (code.map { "&code=" + $0 } ?? ""))
            response.setCookie(
                Self.cookie(sessionCookie, cookie, seconds: max(0, (updated.expiresAt - now) / 1_000), path: "/", request))
            return response
        }

        router.get("/privacy") { _, context in
            let t = L10n(context.language)
            return mobile(t: t, title: t(.privacyTitle), status: .ok) { out in
                out += #"<div class="card"><h1>"#
                out += t(.privacyTitle)
                out += #"</h1><p class="muted" id="notice-version">"#
                out.appendEscaped(t(.privacyVersion, ["version": PrivacyNotice.version]))
                out += #"</p><p id="notice">"#
                out.appendEscaped(t(.privacyText))
                out += "</p></div>"
            }
        }

        // The consumer's rights: their data as a download, and deleting the account.
        router.get("/me/export") { request, context in
            let t = L10n(context.language)
            let now = currentMillis()
            guard let session = try session(of: request, services: services, now: now) else {
                return message(t: t, status: .unauthorized, code: nil, title: t(.meTitle), text: t(.meNotSignedIn), error: "not_signed_in")
            }
            let data = try await services.consumers.exportData(of: session, now: now)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8", .contentDisposition: #"attachment; filename="my-data.json""#,
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }

        router.post("/me/delete") { request, context in
            let t = L10n(context.language)
            let now = currentMillis()
            guard let session = try session(of: request, services: services, now: now, changesState: true) else {
                return message(t: t, status: .unauthorized, code: nil, title: t(.meTitle), text: t(.meNotSignedIn), error: "not_signed_in")
            }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 1_024)))
            guard fields["confirm"] == "yes" else {
                return message(
                    t: t, status: .badRequest, code: nil, title: t(.meDelete), text: t(.meDeleteUnconfirmed), error: "confirmation_required")
            }
            let report = try await services.consumers.erase(session, now: now)
            var response = message(
                t: t, status: .ok, code: nil, title: t(.meDeletedTitle),
                text: t(.meDeleted, ["cancelled": Format.number(report.cancelledPayouts), "inflight": Format.number(report.inFlightPayouts)]))
            response.setCookie(cookie(sessionCookie, "", seconds: 0, path: "/", request))
            return response
        }

        router.post("/me/sign-out") { request, _ in
            if request.cookie(named: sessionCookie) != nil && !SameOrigin.allows(request) { throw SameOrigin.refused }
            var response = HTML.redirect("/me")
            response.setCookie(cookie(sessionCookie, "", seconds: 0, path: "/", request))
            return response
        }
    }

    /// The sign-in attempt's cookie goes only to WeChat's way back.
    static let attemptPath = "/consumer/wechat"

    /// An HttpOnly, same-site (lax) cookie, `Secure` behind HTTPS; `seconds` 0 clears it.
    static func cookie(_ name: String, _ value: String, seconds: Int64, path: String, _ request: Request) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: Int(clamping: seconds), path: path, secure: LoginPage.isHTTPS(request), httpOnly: true,
            sameSite: .lax)
    }

    /// The machine-readable reason, for clients and tests.
    static func errorCode(_ failure: SignInFailure) -> String {
        switch failure {
        case .notConfigured: "sign_in_not_configured"
        case .stateInvalid: "sign_in_state_invalid"
        case .weChat(.invalidCode): "authorization_code_invalid"
        case .weChat(.codeUsed): "authorization_code_used"
        case .weChat(.badCredentials): "sign_in_misconfigured"
        case .weChat: "sign_in_unavailable"
        }
    }

    /// The phone-sized page's frame: head, the card(s) `body` writes, the foot.
    static func mobile(t: L10n, title: String, status: HTTPResponse.Status, _ body: (inout HTMLWriter) -> Void) -> Response {
        var out = HTMLWriter(capacity: 4_096)
        out += #"<!doctype html><html lang=""#
        out += t.htmlLang
        out += #""><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>"#
        out.appendEscaped(title)
        out += #"</title><link rel="stylesheet" href=""#
        out += WebAssets.scanStylesheet.url
        out += #""></head><body><div class="wrap">"#
        body(&out)
        out += "</div></body></html>"
        return HTML.response(out, status: status)
    }

    /// A short message, with a way back to the product's page when there is one.
    static func message(t: L10n, status: HTTPResponse.Status, code: String?, title: String, text: String, error: String? = nil) -> Response {
        mobile(t: t, title: title, status: status) { out in
            out += #"<div class="card"><h1>"#
            out.appendEscaped(title)
            out += #"</h1><p id="message""#
            if let error {
                out += #" data-error=""#
                out.appendEscaped(error)
                out += #"""#
            }
            out += ">"
            out.appendEscaped(text)
            out += "</p>"
            if let code {
                out += #"<p><a class="button" href="/c/"#
                out.appendEscaped(code)
                out += #"">"#
                out += t(.backToProduct)
                out += "</a></p>"
            }
            out += "</div>"
        }
    }

    /// What "我的" shows of the points mall.
    struct MeMall {
        var coupons: [Coupon]
        var history: [PointsMovement]
        /// The coupon just taken.
        var taken: Coupon?
        var services: AppServices
        var now: Int64
    }

    static func mePage(
        t: L10n, session: ConsumerSession, wallet: ConsumerWallet, consents: [ConsentPurpose: Bool], claimed: Int, code: String?, saved: Bool,
        mall: MeMall, inviteURL: String
    ) -> Response {
        mobile(t: t, title: t(.meTitle), status: .ok) { out in
            out += #"<div class="card"><h1>"#
            out += t(.meTitle)
            out += #"</h1><p class="muted" id="who">"#
            out.appendEscaped(t(session.paysCash ? .meSignedInAs : .meSignedInPhone, ["who": session.maskedSubject]))
            out += "</p>"
            if claimed > 0 {
                out += #"<p class="verdict ok" id="claimed">"#
                out.appendEscaped(t(.meClaimed, ["count": Format.number(claimed)]))
                out += "</p>"
            }
            if let taken = mall.taken {
                out += #"<p class="verdict ok" id="taken">"#
                out.appendEscaped(t(.mallTaken, ["item": taken.itemName]))
                out += "</p>"
            }
            out += #"<p><span class="muted">"#
            out += t(.mePoints)
            out += #"</span> <strong id="points">"#
            out.appendEscaped(Format.number(Int(clamping: wallet.points)))
            out += #"</strong> · <a href="/mall">"#
            out += t(.mallTitle)
            out += "</a></p></div>"
            couponsCard(&out, t: t, coupons: mall.coupons, services: mall.services, now: mall.now)
            inviteCard(&out, t: t, url: inviteURL)
            pointsCard(&out, t: t, history: mall.history)
            out += #"<div class="card"><p class="muted">"#
            out += t(.mePrizes)
            out += "</p>"
            if !session.paysCash && wallet.cashFen > 0 {
                // A phone's cash waits until its owner signs in with WeChat in this browser.
                out += #"<p class="verdict warn" id="cash-waiting">"#
                out.appendEscaped(t(.meCashWaiting, ["amount": Format.yuan(fen: wallet.cashFen)]))
                out += "</p>"
                if let code {
                    out += #"<p><a class="button" id="claim-wechat" href="/c/"#
                    out.appendEscaped(code)
                    out += #"/wechat">"#
                    out += t(.meClaimWithWeChat)
                    out += "</a></p>"
                }
            }
            if wallet.payouts.isEmpty {
                out += "<p>"
                out += t(.meNoPrizes)
                out += "</p>"
            } else {
                out += #"<ul id="payouts">"#
                for payout in wallet.payouts {
                    out += #"<li data-status=""#
                    out += payout.status.rawValue
                    out += #""><strong>"#
                    out.appendEscaped(Format.yuan(fen: payout.amountFen))
                    out += "</strong> "
                    out.appendEscaped(label(payout.status, t: t))
                    out += #"<br><span class="muted">"#
                    out.appendEscaped(payout.campaign.isEmpty ? t(.mallTitle) : payout.campaign)
                    out += " · "
                    out.appendEscaped(t.dateTime(payout.createdAt))
                    out += "</span></li>"
                }
                out += "</ul>"
            }
            out += "</div>"
            out += #"<div class="card"><p class="muted">"#
            out += t(.meConsents)
            out += " · "
            out += #"<a href="/privacy">"#
            out += t(.privacyTitle)
            out += "</a></p>"
            if saved {
                out += #"<p class="verdict ok" id="consents-saved">"#
                out += t(.consentSaved)
                out += "</p>"
            }
            out += #"<form method="post" action="/me/consents" id="consents">"#
            if let code {
                out += #"<input type="hidden" name="code" value=""#
                out.appendEscaped(code)
                out += #"">"#
            }
            for (purpose, label) in [
                (ConsentPurpose.marketing, L10n.Key.consentMarketing), (.location, .consentLocation), (.storeSharing, .consentStoreSharing),
            ] {
                out += #"<p><label><input type="checkbox" name=""#
                out += purpose.rawValue
                out += #"" value="yes""#
                if consents[purpose] == true { out += " checked" }
                out += "> "
                out += t(label)
                out += "</label></p>"
            }
            out += #"<p><button type="submit" class="button">"#
            out += t(.consentSave)
            out += "</button></p></form></div>"
            out += #"<div class="card" id="my-data"><p class="muted">"#
            out += t(.meData)
            out += #"</p><p><a id="export" href="/me/export" download>"#
            out += t(.meExport)
            out += #"</a></p><form method="post" action="/me/delete" id="delete"><p class="muted">"#
            out += t(.meDeleteNote)
            out += #"</p><p><label><input type="checkbox" name="confirm" value="yes"> "#
            out += t(.meDeleteConfirm)
            out += #"</label></p><p><button type="submit" class="link">"#
            out += t(.meDelete)
            out += "</button></p></form></div>"
            out += #"<div class="card"><form method="post" action="/me/sign-out"><button type="submit" class="link">"#
            out += t(.meSignOut)
            out += "</button></form>"
            if let code {
                out += #"<p><a href="/c/"#
                out.appendEscaped(code)
                out += #"">"#
                out += t(.backToProduct)
                out += "</a></p>"
            }
            out += "</div>"
        }
    }

    static func label(_ status: PayoutStatus, t: L10n) -> String {
        switch status {
        case .queued: t(.payoutQueued)
        case .sending, .unknown: t(.payoutSending)
        case .paid: t(.payoutPaid)
        case .failed: t(.payoutFailed)
        case .held: t(.payoutHeld)
        case .rejected: t(.payoutRejected)
        }
    }
}
