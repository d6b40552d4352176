import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// The brand's WeChat official account for consumers' sign-in on the scan pages, as HQ sets it.
struct WeChatAppInput: Codable, Sendable {
    var appID: String?
    var secret: String?
    /// The official account's subscribe-notice template that journeys' WeChat messages use (its one `thing1` field carries the text).
    var noticeTemplateID: String?
}

/// The brand's sign-in app as the API shows it (never the secret).
struct WeChatAppView: Codable, Sendable {
    var configured: Bool
    var appID: String?
    var noticeTemplateID: String?
    /// Where WeChat sends consumers back: the address to register with the official account.
    var callbackURL: String
}

/// Consumers' sign-in (HQ).
enum ConsumersAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let consumers = services.consumers
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .get, "/api/v1/consumer-sign-in/wechat", id: "getWeChatSignIn", tag: "consumers",
                summary: "The WeChat official account consumers sign in with on the scan pages", response: "WeChatApp"
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                let appID = try await consumers.weChatAppID(tenantID: p.tenantID)
                let template = try await consumers.weChatNoticeTemplateID(tenantID: p.tenantID)
                return try .json(
                    WeChatAppView(configured: appID != nil, appID: appID, noticeTemplateID: template, callbackURL: consumers.callbackURL))
            },
            APIEndpoint(
                .put, "/api/v1/consumer-sign-in/wechat", id: "setWeChatSignIn", tag: "consumers",
                summary: "Sets the brand's official account (app id and secret; the secret is sealed at rest and never shown)",
                request: "WeChatAppInput", response: "WeChatApp"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(WeChatAppInput.self, limit: limit)
                var problems: [FieldError] = []
                let appID = input.appID ?? ""
                let secret = input.secret ?? ""
                if !WeChatWebAuth.isToken(appID, maxLength: 32) {
                    problems.append(FieldError(field: "appID", code: "invalid", message: "appID is 1 to 32 letters, digits, '-' or '_'"))
                }
                if !WeChatWebAuth.isToken(secret, maxLength: 64) {
                    problems.append(FieldError(field: "secret", code: "invalid", message: "secret is 1 to 64 letters, digits, '-' or '_'"))
                }
                if let template = input.noticeTemplateID, !WeChatWebAuth.isToken(template, maxLength: 64) {
                    problems.append(
                        FieldError(field: "noticeTemplateID", code: "invalid", message: "noticeTemplateID is 1 to 64 letters, digits, '-' or '_'"))
                }
                guard problems.isEmpty else {
                    throw APIError(.unprocessableContent, code: "validation_failed", message: "the app is not valid", details: .fields(problems))
                }
                try await consumers.configureWeChat(
                    appID: appID, secret: secret, noticeTemplateID: input.noticeTemplateID, tenantID: p.tenantID, at: currentMillis())
                return try .json(
                    WeChatAppView(configured: true, appID: appID, noticeTemplateID: input.noticeTemplateID, callbackURL: consumers.callbackURL))
            },
        ]
    }
}
