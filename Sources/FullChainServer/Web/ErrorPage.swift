import HTTPTypes
import Hummingbird

/// The page a browser sees when something is wrong; signed-out visitors go to the sign-in page.
enum ErrorPage {
    static func response(_ error: APIError, request: Request, context: AppRequestContext) -> Response {
        if error.status == .unauthorized {
            var next = request.uri.path
            if let query = request.uri.query, !query.isEmpty { next += "?" + query }
            return HTML.redirect("/login?next=" + HTML.safeLocalPath(next).addingPercentEncodingForQuery())
        }
        // The error middleware runs outside the one that reads the language, so read it here.
        let t = L10n(context.language == .en ? .en : AuthMiddleware.language(of: request))
        let (title, text): (String, String) =
            switch error.status.code {
            case 404: (t(.notFoundTitle), t(.notFoundText))
            case 403: (t(.forbiddenTitle), t(.forbiddenText))
            case 413: (t(.errorTitle), t(.tooLargeText))
            case 429: (t(.tooManyRequestsTitle), t(.tooManyRequestsText))
            case 500...: (t(.errorTitle), t(.serverErrorText))
            default: (t(.errorTitle), t(.badRequestText))
            }
        var page = Layout.bare(t: t, title: title, bodyClass: "auth-page", status: error.status) { out in
            out += #"<main class="auth-card error-card"><div class="code">"#
            out += String(error.status.code)
            out += "</div><h1>"
            out.appendEscaped(title)
            out += #"</h1><p class="lead">"#
            out.appendEscaped(text)
            out += "</p>"
            // The API's own words are English: a Chinese page says only what the catalogue says.
            if t.language == .en && error.status.code < 500 && error.status != .notFound && error.status != .tooManyRequests {
                out += #"<p class="muted small">"#
                out.appendEscaped(error.message)
                out += "</p>"
            }
            out += #"<p><a class="button" href="/">"#
            out += t(.backHome)
            out += "</a></p></main>"
        }
        // What the error adds (429's Retry-After).
        for field in error.headers where page.headers[field.name] == nil { page.headers.append(field) }
        return page
    }
}
