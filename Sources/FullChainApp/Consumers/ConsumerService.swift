import Foundation
public import FullChainCore
public import FullChainStorage

/// Why a consumer's sign-in did not complete.
public enum SignInFailure: Error, Sendable, Equatable {
    /// The brand has no WeChat app set up.
    case notConfigured
    /// The answer does not belong to a sign-in this browser started, or it took too long.
    case stateInvalid
    /// WeChat refused the code, or could not be reached.
    case weChat(WeChatAuthFailure)
}

/// A completed sign-in: the session cookie's value, where to send the consumer, what was claimed.
public struct SignedIn: Sendable {
    public var session: ConsumerSession
    public var cookie: String
    /// The unit's code the sign-in started from.
    public var code: String
    /// Prizes (cash and points) won on this device before sign-in, now the consumer's.
    public var claimed: Int
}

/// Consumers on the brand's scan pages: WeChat and phone sign-in, their sessions, prizes claimed
/// from the device they scanned on, their wallet, consents, data and account deletion (see the
/// `ConsumerService+…` files). Identities a client merely asserts never receive money: cash is
/// paid only to the openid WeChat confirmed for the brand's app.
public final class ConsumerService: Sendable {
    let storage: AppStorage
    let settings: ConsumerSettings
    private let scanHost: String
    private let provider: any WeChatAuthProvider
    /// Sends phone sign-in codes; nil when the deployment has no SMS gateway.
    let sms: (any SMSProvider)?
    /// Sends the brand's WeChat subscribe notices; nil when the deployment sends none.
    let notices: (any WeChatNoticeProvider)?
    private let secrets: TextSeal
    private let sessions: TextSeal
    private let attempts: TextSeal
    /// Consumers' phone numbers at rest.
    let phones: TextSeal
    let pseudonyms: Pseudonyms
    let recipients: RecipientSeal
    private let apps = ExpiringCache<Int64, StoredWeChatApp?>(lifetime: .seconds(30))

    public init(
        storage: AppStorage, configuration: AppConfiguration, provider: any WeChatAuthProvider, sms: (any SMSProvider)? = nil,
        notices: (any WeChatNoticeProvider)? = nil
    ) {
        self.storage = storage
        self.notices = notices
        settings = configuration.consumers
        scanHost = configuration.scanHost
        self.provider = provider
        self.sms = sms
        phones = TextSeal(masterKey: configuration.masterKey, purpose: "consumer-phones")
        secrets = TextSeal(masterKey: configuration.masterKey, purpose: "consumer-app-secrets")
        sessions = TextSeal(masterKey: configuration.masterKey, purpose: "consumer-sessions")
        attempts = TextSeal(masterKey: configuration.masterKey, purpose: "consumer-sign-in")
        pseudonyms = Pseudonyms(masterKey: configuration.masterKey)
        recipients = RecipientSeal(masterKey: configuration.masterKey)
    }

    // MARK: - The brand's app

    /// Sets the brand's official account (its secret sealed at rest) and the notice template journeys send with.
    public func configureWeChat(appID: String, secret: String, noticeTemplateID: String? = nil, tenantID: Int64, at now: Int64) async throws {
        guard WeChatWebAuth.isToken(appID, maxLength: 32), WeChatWebAuth.isToken(secret, maxLength: 64),
            noticeTemplateID.map({ WeChatWebAuth.isToken($0, maxLength: 64) }) ?? true
        else {
            throw AppError(
                .unreadable, code: "validation_failed", message: "appID, secret and noticeTemplateID are letters and digits (at most 32, 64 and 64)")
        }
        guard let sealed = secrets.seal(secret, context: Self.secretContext(tenantID)) else {
            throw AppError(.unavailable, code: "seal_failed", message: "the secret could not be sealed")
        }
        try await storage.consumers.setWeChatApp(
            StoredWeChatApp(appID: appID, sealedSecret: sealed, updatedAt: now, noticeTemplateID: noticeTemplateID), tenantID: tenantID)
        apps.remove(tenantID)
    }

    /// The brand's app id, when consumers can sign in with WeChat.
    public func weChatAppID(tenantID: Int64) async throws -> String? {
        try await app(tenantID: tenantID)?.appID
    }

    /// The brand's notice template, when journeys can send WeChat notices.
    public func weChatNoticeTemplateID(tenantID: Int64) async throws -> String? {
        try await app(tenantID: tenantID)?.noticeTemplateID
    }

    /// Sends a subscribe notice from the brand's official account; `misconfigured` without an
    /// account, template or provider.
    func sendWeChatNotice(_ text: String, to openid: String, tenantID: Int64) async throws -> Result<String, WeChatNoticeFailure> {
        guard let notices, let stored = try await app(tenantID: tenantID), let template = stored.noticeTemplateID,
            let secret = secrets.open(stored.sealedSecret, context: Self.secretContext(tenantID))
        else { return .failure(.misconfigured(code: 0)) }
        return await notices.send(text, to: openid, templateID: template, app: WeChatApp(appID: stored.appID, secret: secret))
    }

    private func app(tenantID: Int64) async throws -> StoredWeChatApp? {
        try await apps.value(for: tenantID) { try await storage.consumers.weChatApp(tenantID: tenantID) }
    }

    private static func secretContext(_ tenantID: Int64) -> String { "fullchain-consumer-app-secret/\(tenantID)" }

    // MARK: - Sign-in

    /// The scan pages' address as consumers reach them.
    public var publicBaseURL: String { settings.publicBaseURL ?? "https://" + scanHost }

    /// Where WeChat sends the consumer back.
    public var callbackURL: String { publicBaseURL + "/consumer/wechat/callback" }

    /// Starts a WeChat sign-in from a unit's page: the address to send the browser to, and the
    /// sealed attempt to keep in a cookie until WeChat sends the consumer back.
    public func startWeChatSignIn(
        code: String, tenantID: Int64, deviceID: String?, scope: WeChatAuthScope, now: Int64
    ) async throws -> (
        url: String, attempt: String
    ) {
        guard let app = try await app(tenantID: tenantID) else { throw SignInFailure.notConfigured }
        let attempt = SignInAttempt(
            tenantID: tenantID, code: code, deviceID: deviceID, state: RandomToken.alphanumeric(24), expiresAt: now + settings.signInSeconds * 1_000)
        guard let json = try? JSONEncoder().encode(attempt), let sealed = attempts.seal(String(decoding: json, as: UTF8.self), context: "attempt")
        else { throw AppError(.unavailable, code: "seal_failed", message: "the sign-in could not be sealed") }
        let url = WeChatWebAuth.authorizeURL(
            base: settings.weChatAuthorizeBase, appID: app.appID, redirect: callbackURL, scope: scope, state: attempt.state)
        return (url, sealed)
    }

    /// Completes a sign-in WeChat sent back: checks the state against the browser's attempt,
    /// exchanges the code, and claims the device's unclaimed prizes for the consumer.
    /// A consumer signed in with their phone (`previous`) who now signs in with WeChat in the same
    /// browser has shown both: the phone's waiting cash prizes go to the openid.
    public func finishWeChatSignIn(
        code authCode: String, state: String, attempt sealed: String?, previous: ConsumerSession? = nil, now: Int64
    ) async throws -> SignedIn {
        guard let sealed, let text = attempts.open(sealed, context: "attempt"),
            let attempt = try? JSONDecoder().decode(SignInAttempt.self, from: Data(text.utf8)),
            attempt.expiresAt > now, attempt.state == state, WeChatWebAuth.isToken(authCode)
        else { throw SignInFailure.stateInvalid }
        guard let stored = try await app(tenantID: attempt.tenantID),
            let secret = secrets.open(stored.sealedSecret, context: Self.secretContext(attempt.tenantID))
        else { throw SignInFailure.notConfigured }
        let identity: WeChatIdentity
        switch await provider.exchange(code: authCode, app: WeChatApp(appID: stored.appID, secret: secret)) {
        case .success(let found): identity = found
        case .failure(let failure): throw SignInFailure.weChat(failure)
        }
        let subject = "openid:" + identity.openid
        let session = ConsumerSession(
            tenantID: attempt.tenantID, subject: subject, appID: identity.appID, unionid: identity.unionid,
            expiresAt: now + settings.sessionSeconds * 1_000,
            preciseLocation: try await keepsPreciseLocation(subject: subject, tenantID: attempt.tenantID))
        guard let cookie = seal(session) else { throw AppError(.unavailable, code: "seal_failed", message: "the session could not be sealed") }
        try await attachProfile(session, previous: previous, device: attempt.deviceID, now: now)
        var claimed = 0
        if let device = attempt.deviceID {
            claimed = try await claimPrizes(of: device, for: session, now: now)
        }
        if let previous, previous.tenantID == attempt.tenantID, previous.subject.hasPrefix("phone:") {
            claimed += try await claimPrizes(from: pseudonyms.of(previous.subject, tenantID: attempt.tenantID), since: 0, for: session, now: now)
        }
        return SignedIn(session: session, cookie: cookie, code: attempt.code, claimed: claimed)
    }

    /// Moves the device's prizes of the claim window (cash and points) to the consumer.
    public func claimPrizes(of deviceID: String, for session: ConsumerSession, now: Int64) async throws -> Int {
        try await claimPrizes(
            from: pseudonyms.of("device:\(deviceID)", tenantID: session.tenantID), since: now - settings.claimWindowSeconds * 1_000, for: session,
            now: now)
    }

    /// Moves the prizes a wallet (a device's, or a phone's) won since `since` to the signed-in
    /// consumer; cash goes to its payout when WeChat confirmed who the consumer is.
    func claimPrizes(from source: String, since: Int64, for session: ConsumerSession, now: Int64) async throws -> Int {
        let tenantID = session.tenantID
        let wallet = pseudonyms.of(session.subject, tenantID: tenantID)
        guard wallet != source else { return 0 }
        var recipient: String?
        if session.paysCash {
            guard let sealed = recipients.seal(session.subject, tenantID: tenantID) else { return 0 }
            recipient = sealed
        }
        var claimed = 0
        for prize in try await storage.consumers.unclaimedPrizes(deviceWallet: source, since: since, tenantID: tenantID)
        where try await storage.consumers.claim(prize, from: source, to: wallet, recipient: recipient, at: now, tenantID: tenantID) {
            claimed += 1
        }
        return claimed
    }

    // MARK: - Sessions

    /// The session cookie's value: the tenant, then the sealed session.
    public func seal(_ session: ConsumerSession) -> String? {
        guard let text = session.encoded else { return nil }
        return sessions.seal(text, context: "session/\(session.tenantID)").map { "\(session.tenantID).\($0)" }
    }

    /// The signed-in consumer a cookie names, unless it expired or was not sealed here.
    public func session(from cookie: String?, now: Int64) -> ConsumerSession? {
        guard let cookie, let dot = cookie.firstIndex(of: "."), let tenantID = Int64(cookie[..<dot]),
            let text = sessions.open(String(cookie[cookie.index(after: dot)...]), context: "session/\(tenantID)"),
            let session = ConsumerSession(encoded: text), session.tenantID == tenantID, session.expiresAt > now
        else { return nil }
        return session
    }

    /// What the signed-in consumer holds and what is on its way to them.
    public func wallet(of session: ConsumerSession) async throws -> ConsumerWallet {
        try await storage.consumers.wallet(pseudonyms.of(session.subject, tenantID: session.tenantID), limit: 50, tenantID: session.tenantID)
    }

}
