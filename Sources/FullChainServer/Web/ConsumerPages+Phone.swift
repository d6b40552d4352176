import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// Phone sign-in from a unit's page: `/c/{code}/phone` asks for the number, `…/phone/send`
/// texts a six-digit code, `…/phone/verify` checks it and signs the consumer in.
extension ConsumerPages {
    static let maxPhoneFormBytes = 2_048

    static func registerPhone(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/c/:code/phone") { request, context in
            let t = L10n(context.language)
            let code = context.parameters.get("code") ?? ""
            guard try await services.scanning.identify(code) != nil else { throw APIError.notFound }
            guard services.consumers.phoneSignInAvailable else {
                return message(
                    t: t, status: .notFound, code: code, title: t(.phoneTitle), text: t(.phoneNotConfigured), error: "sign_in_not_configured")
            }
            let device = request.uri.queryParameters.get("device").flatMap { WeChatWebAuth.isToken($0) ? $0 : nil }
            return phonePage(t: t, code: code, device: device, phone: "", sent: nil, failure: nil, status: .ok)
        }

        router.post("/c/:code/phone/send") { request, context in
            let (t, code, tenantID, fields) = try await phoneForm(request, context, services: services)
            let (device, phone) = (fields.device, fields.phone)
            do {
                let sent = try await services.consumers.sendPhoneCode(
                    to: phone, tenantID: tenantID, deviceID: device, ip: services.clientAddress(request, context)?.description,
                    now: currentMillis())
                return phonePage(t: t, code: code, device: device, phone: phone, sent: sent, failure: nil, status: .ok)
            } catch let failure as PhoneSignInFailure {
                return phonePage(t: t, code: code, device: device, phone: phone, sent: nil, failure: failure, status: status(failure))
            }
        }

        router.post("/c/:code/phone/verify") { request, context in
            let (t, code, tenantID, fields) = try await phoneForm(request, context, services: services)
            let (device, phone) = (fields.device, fields.phone)
            do {
                let signedIn = try await services.consumers.finishPhoneSignIn(
                    phone: phone, code: fields.code, tenantID: tenantID, deviceID: device,
                    now: currentMillis())
                var response = HTML.redirect("/me?claimed=\(signedIn.claimed)&code=" + code.addingPercentEncodingForQuery())
                response.setCookie(
                    cookie(sessionCookie, signedIn.cookie, seconds: services.configuration.consumers.sessionSeconds, path: "/", request))
                return response
            } catch let failure as PhoneSignInFailure {
                // A wrong code leaves the code form up; an expired or spent one asks for a new code.
                let keepsCode: Bool
                switch failure {
                case .incorrect: keepsCode = true
                default: keepsCode = false
                }
                return phonePage(
                    t: t, code: code, device: device, phone: phone, sent: nil, codeStep: keepsCode, failure: failure, status: status(failure))
            }
        }
    }

    /// What a phone form posts: the number, the code typed, and the device that scanned.
    struct PhoneFields {
        var phone: String
        var code: String
        var device: String?

        init(_ fields: FormFields) {
            phone = String((fields["phone"] ?? "").prefix(32))
            code = String((fields["code"] ?? "").prefix(16))
            device = fields["device"].flatMap { WeChatWebAuth.isToken($0) ? $0 : nil }
        }
    }

    /// A phone form posted from this site's own page, for a genuine unit: the language, the
    /// unit's code, its brand and the fields.
    static func phoneForm(
        _ request: Request, _ context: AppRequestContext, services: AppServices
    ) async throws -> (
        L10n, String, Int64, PhoneFields
    ) {
        try SameOrigin.require(request)
        let code = context.parameters.get("code") ?? ""
        guard let identity = try await services.scanning.identify(code) else { throw APIError.notFound }
        let fields = FormFields(String(buffer: try await request.body.collect(upTo: maxPhoneFormBytes)))
        return (L10n(context.language), code, identity.tenantID, PhoneFields(fields))
    }

    /// The machine-readable reason, for clients and tests.
    static func errorCode(_ failure: PhoneSignInFailure) -> String {
        switch failure {
        case .unavailable: "sign_in_not_configured"
        case .invalidPhone, .sms(.numberRefused): "phone_invalid"
        case .refused(.tooSoon): "code_sent_recently"
        case .refused(.phoneLimit), .refused(.addressLimit), .refused(.deviceLimit), .sms(.numberLimited), .sms(.throttled): "send_limit_reached"
        case .refused(.phoneLocked): "phone_locked"
        case .sms(.misconfigured): "sign_in_misconfigured"
        case .sms(.unavailable): "sign_in_unavailable"
        case .incorrect: "code_incorrect"
        case .expired: "code_expired"
        case .codeLocked: "code_locked"
        }
    }

    static func status(_ failure: PhoneSignInFailure) -> HTTPResponse.Status {
        switch failure {
        case .unavailable: .notFound
        case .invalidPhone, .sms(.numberRefused), .incorrect, .expired: .badRequest
        case .refused, .sms(.numberLimited), .sms(.throttled), .codeLocked: .tooManyRequests
        case .sms: .serviceUnavailable
        }
    }

    static func text(_ failure: PhoneSignInFailure, t: L10n) -> String {
        switch failure {
        case .unavailable: t(.phoneNotConfigured)
        case .invalidPhone, .sms(.numberRefused): t(.phoneInvalid)
        case .refused(.tooSoon): t(.phoneSentRecently)
        case .refused(.phoneLimit), .refused(.addressLimit), .refused(.deviceLimit), .sms(.numberLimited), .sms(.throttled): t(.phoneSendLimit)
        case .refused(.phoneLocked): t(.phoneLocked)
        case .sms: t(.phoneMisconfigured)
        case .incorrect(let remaining): t(.phoneCodeIncorrect, ["count": Format.number(remaining)])
        case .expired: t(.phoneCodeExpired)
        case .codeLocked: t(.phoneCodeLocked)
        }
    }

    /// The number's form, or (once a code was sent, or after a wrong code) the code's form.
    static func phonePage(
        t: L10n, code: String, device: String?, phone: String, sent: PhoneCodeSent?, codeStep: Bool = false, failure: PhoneSignInFailure?,
        status: HTTPResponse.Status
    ) -> Response {
        mobile(t: t, title: t(.phoneTitle), status: status) { out in
            func hidden(_ name: String, _ value: String?) {
                guard let value else { return }
                out += #"<input type="hidden" name=""#
                out += name
                out += #"" value=""#
                out.appendEscaped(value)
                out += #"">"#
            }
            out += #"<div class="card"><h1>"#
            out += t(.phoneTitle)
            out += "</h1>"
            if let sent {
                out += #"<p class="verdict ok" id="sent">"#
                out.appendEscaped(t(.phoneSent, ["phone": sent.masked]))
                out += "</p>"
            }
            if let failure {
                out += #"<p class="verdict bad" id="message" data-error=""#
                out += errorCode(failure)
                out += #"">"#
                out.appendEscaped(text(failure, t: t))
                out += "</p>"
            }
            if sent != nil || codeStep {
                out += #"<form method="post" id="verify" action="/c/"#
                out.appendEscaped(code)
                out += #"/phone/verify">"#
                hidden("phone", phone)
                hidden("device", device)
                out += #"<p><label for="code">"#
                out += t(.phoneCodeLabel)
                out +=
                    #"</label><input class="field" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required autofocus></p><p><button type="submit" class="button">"#
                out += t(.phoneSignIn)
                out += "</button></p></form>"
            }
            out += #"<form method="post" id="send" action="/c/"#
            out.appendEscaped(code)
            out += #"/phone/send"><p><label for="phone">"#
            out += t(.phoneLabel)
            out +=
                #"</label><input class="field" id="phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel" maxlength="20" required value=""#
            out.appendEscaped(phone)
            out += #""></p>"#
            hidden("device", device)
            out += #"<p><button type="submit" class=""#
            out += sent != nil || codeStep ? "link" : "button"
            out += #"">"#
            out += sent != nil || codeStep ? t(.phoneResend) : t(.phoneSend)
            out += #"</button></p></form><p class="muted"><a href="/privacy">"#
            out += t(.privacyTitle)
            out += #"</a></p><p><a href="/c/"#
            out.appendEscaped(code)
            out += #"">"#
            out += t(.backToProduct)
            out += "</a></p></div>"
        }
    }
}
