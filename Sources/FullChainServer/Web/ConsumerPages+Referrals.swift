import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// Invitations: `GET /i/{code}` is the page a shared invite link opens (it remembers the code
/// for 30 days, so that the newcomer's first scan credits whoever invited them); "我的" shows
/// the consumer's own link and its QR.
extension ConsumerPages {
    static let referralCookie = "fc_ref"
    static let referralSeconds: Int64 = 30 * 86_400

    static func registerReferrals(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/i/:code") { request, context in
            let t = L10n(context.language)
            guard let code = InviteCode.parse(context.parameters.get("code") ?? ""),
                try await services.storage.referrals.tenant(ofCode: code) != nil
            else {
                return message(t: t, status: .notFound, code: nil, title: t(.inviteTitle), text: t(.inviteUnknown), error: "invite_not_found")
            }
            var response = message(t: t, status: .ok, code: nil, title: t(.inviteTitle), text: t(.inviteLanding))
            response.setCookie(cookie(referralCookie, code, seconds: referralSeconds, path: "/", request))
            return response
        }
    }

    /// The consumer's invite link, with its QR, to share.
    static func inviteCard(_ out: inout HTMLWriter, t: L10n, url: String) {
        out += #"<div class="card" id="invite"><p class="muted">"#
        out += t(.inviteFriends)
        out += #"</p><p><a id="invite-link" href=""#
        out.appendEscaped(url)
        out += #"">"#
        out.appendEscaped(url)
        out += "</a></p>"
        if let qr = try? QRCode(url) {
            out += #"<div class="qr">"#
            out += Markup(trusted: qr.svgElement(scale: 4))
            out += "</div>"
        }
        out += "</div>"
    }
}
