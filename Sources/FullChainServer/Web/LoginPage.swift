import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import NIOCore

/// Sign-in, sign-out and the language switch.
enum LoginPage {
    /// The largest sign-in form accepted.
    static let maxFormBytes = 16 * 1024
    static let languageCookieSeconds = 365 * 24 * 3600

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/login") { request, context in
            let query = FormFields(request.uri.query)
            let next = HTML.safeLocalPath(query["next"])
            if context.principal != nil { return HTML.redirect(next) }
            return form(t: L10n(context.language), tenant: "demo", username: "", next: next, error: nil, status: .ok)
        }

        router.post("/login") { request, context in
            // A form on another site must not sign the browser in to an account of its choosing.
            try SameOrigin.require(request)
            let body = try await request.body.collect(upTo: maxFormBytes)
            let fields = FormFields(String(buffer: body))
            let tenant = fields["tenant"] ?? ""
            let username = fields["username"] ?? ""
            let next = HTML.safeLocalPath(fields["next"])
            let result: AuthAPI.LoginResult
            do {
                result = try await AuthAPI.signIn(
                    tenant: tenant, username: username, password: fields.raw("password") ?? "",
                    address: services.clientAddress(request, context)?.description, services: services, logger: context.logger)
            } catch let error as APIError where error.status == .unauthorized {
                let t = L10n(context.language)
                return form(t: t, tenant: tenant, username: username, next: next, error: t(.loginFailed), status: .unauthorized)
            } catch let error as APIError where error.status == .tooManyRequests {
                let t = L10n(context.language)
                var response = form(t: t, tenant: tenant, username: username, next: next, error: t(.loginLocked), status: .tooManyRequests)
                response.headers[.retryAfter] = error.headers[.retryAfter]
                return response
            }
            var response = HTML.redirect(next)
            let maxAge = max(0, Int((result.expiresAt - currentMillis()) / 1000))
            response.setCookie(
                Cookie(
                    name: AuthMiddleware.sessionCookie, value: result.token, maxAge: maxAge, path: "/",
                    secure: isHTTPS(request), httpOnly: true, sameSite: .lax))
            return response
        }

        router.post("/logout") { request, _ in
            if let token = request.cookie(named: AuthMiddleware.sessionCookie), let tenantID = TokenCodec.tenantID(of: token) {
                try await services.storage.tokens.revoke(tenantID: tenantID, tokenHash: TokenCodec.hash(token), now: currentMillis())
            }
            var response = HTML.redirect("/login")
            response.setCookie(
                Cookie(
                    name: AuthMiddleware.sessionCookie, value: "", maxAge: 0, path: "/",
                    secure: isHTTPS(request), httpOnly: true, sameSite: .lax))
            return response
        }

        router.get("/lang/:lang") { request, context in
            guard let code = context.parameters.get("lang"), let language = Language(rawValue: code) else { throw APIError.notFound }
            var response = HTML.redirect(HTML.safeLocalPath(FormFields(request.uri.query)["next"]))
            response.setCookie(
                Cookie(
                    name: AuthMiddleware.languageCookie, value: language.rawValue, maxAge: languageCookieSeconds, path: "/",
                    secure: isHTTPS(request), httpOnly: true, sameSite: .lax))
            return response
        }
    }

    /// True behind a proxy that terminated HTTPS, so cookies get `Secure`.
    static func isHTTPS(_ request: Request) -> Bool {
        guard let name = HTTPField.Name("X-Forwarded-Proto") else { return false }
        return request.headers[name]?.lowercased() == "https"
    }

    /// The sign-in form, with an error when the last attempt failed.
    static func form(t: L10n, tenant: String, username: String, next: String, error: String?, status: HTTPResponse.Status) -> Response {
        Layout.bare(t: t, title: t(.loginTitle), bodyClass: "auth-page", status: status) { out in
            out += #"<main class="auth-card">"#
            Layout.languageSwitch(&out, t: t, currentURL: next == "/" ? "/login" : "/login?next=" + next.addingPercentEncodingForQuery())
            out += #"<div class="brand"><span class="logo">"#
            out += Layout.brandInitials
            out += "</span><span>FullChain<small>"
            out += t(.appTagline)
            out += "</small></span></div><h1>"
            out += t(.loginHeading)
            out += #"</h1><p class="lead">"#
            out += t(.loginLead)
            out += "</p>"
            if let error {
                out += #"<div class="alert bad" role="alert">"#
                out.appendEscaped(error)
                out += "</div>"
            }
            out += #"<form method="post" action="/login"><input type="hidden" name="next" value=""#
            out.appendEscaped(next)
            out += #"">"#
            field(&out, id: "tenant", label: t(.brandCode), type: "text", value: tenant, autocomplete: "organization", autofocus: false)
            field(&out, id: "username", label: t(.username), type: "text", value: username, autocomplete: "username", autofocus: username.isEmpty)
            field(
                &out, id: "password", label: t(.password), type: "password", value: "", autocomplete: "current-password", autofocus: !username.isEmpty
            )
            out += #"<button type="submit">"#
            out += t(.signIn)
            out += #"</button></form><p class="footnote">"#
            out += t(.loginFooter)
            out += "</p></main>"
        }
    }

    private static func field(_ out: inout HTMLWriter, id: String, label: String, type: String, value: String, autocomplete: String, autofocus: Bool)
    {
        out += #"<div class="form-row"><label for=""#
        out += id
        out += #"">"#
        out += label
        out += #"</label><input id=""#
        out += id
        out += #"" name=""#
        out += id
        out += #"" type=""#
        out += type
        out += #"" value=""#
        out.appendEscaped(value)
        out += #"" autocomplete=""#
        out += autocomplete
        out += #"" required maxlength="128""#
        if autofocus { out += " autofocus" }
        out += "></div>"
    }
}
