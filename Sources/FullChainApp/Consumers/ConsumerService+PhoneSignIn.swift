public import FullChainCore
import FullChainStorage

/// Why a phone sign-in did not go on.
public enum PhoneSignInFailure: Error, Sendable, Equatable {
    /// The deployment has no SMS gateway.
    case unavailable
    /// Not a mainland mobile number.
    case invalidPhone
    /// A code may not be sent or tried now: too soon, too many, or the phone is locked.
    case refused(OneTimeCodeRules.Refusal)
    /// The gateway did not send it.
    case sms(SMSFailure)
    /// Not six digits, or not the code sent; `remaining` tries are left on it.
    case incorrect(remaining: Int)
    /// No code is waiting for the phone: none was sent, it expired, or it was used.
    case expired
    /// The code had its tries: a new one must be sent.
    case codeLocked
}

/// A code on its way: to whom (masked), until when, and when another may be asked for.
public struct PhoneCodeSent: Sendable, Equatable {
    public var masked: String
    public var expiresAt: Int64
    public var resendAt: Int64
}

extension ConsumerService {
    /// Whether consumers can sign in with an SMS code.
    public var phoneSignInAvailable: Bool { sms != nil }

    /// Sends a sign-in code to `text`'s phone, within the limits per phone, address and device.
    /// The phone is kept sealed, found by its keyed hash; the code only as a keyed hash.
    public func sendPhoneCode(to text: String, tenantID: Int64, deviceID: String?, ip: String?, now: Int64) async throws -> PhoneCodeSent {
        guard let sms else { throw PhoneSignInFailure.unavailable }
        guard let phone = PhoneNumber(text) else { throw PhoneSignInFailure.invalidPhone }
        let rules = settings.codes
        let phoneHash = pseudonyms.of(phone.subject, tenantID: tenantID)
        let addressHash = ip.map { pseudonyms.of("ip:" + $0, tenantID: tenantID) }
        let deviceHash = deviceID.map { pseudonyms.of("device:" + $0, tenantID: tenantID) }
        let counts = try await storage.consumers.phoneCodeCounts(
            phoneHash: phoneHash, addressHash: addressHash, deviceHash: deviceHash, since: now - rules.windowMillis, tenantID: tenantID)
        if let refusal = rules.maySend(counts, now: now) { throw PhoneSignInFailure.refused(refusal) }
        guard let sealed = phones.seal(phone.digits, context: "phone/\(tenantID)") else {
            throw AppError(.unavailable, code: "seal_failed", message: "the phone could not be sealed")
        }
        let code = OneTimeCodeRules.generate()
        let new = NewPhoneCode(
            phoneHash: phoneHash, addressHash: addressHash, deviceHash: deviceHash,
            codeHash: codeHash(code, phoneHash: phoneHash, sentAt: now, tenantID: tenantID),
            sentAt: now, expiresAt: now + rules.lifetimeMillis)
        // Requests racing for one phone: the first records its code, the others wait their turn.
        guard try await storage.consumers.insertPhoneCode(new, phoneSealed: sealed, notAfter: now - rules.resendMillis, tenantID: tenantID) != nil
        else { throw PhoneSignInFailure.refused(.tooSoon(retryAfterMillis: rules.resendMillis)) }
        if case .failure(let failure) = await sms.sendSignInCode(code, to: phone) { throw PhoneSignInFailure.sms(failure) }
        return PhoneCodeSent(masked: phone.masked, expiresAt: new.expiresAt, resendAt: now + rules.resendMillis)
    }

    /// Signs in the phone's owner with the code sent to it. Every try counts before the code is
    /// compared, so a code takes at most `attemptsPerCode` guesses however many race; a phone with
    /// too many wrong tries this hour is locked. Cash the device won goes to the phone's wallet,
    /// where it waits until its owner signs in with WeChat.
    public func finishPhoneSignIn(phone text: String, code typed: String, tenantID: Int64, deviceID: String?, now: Int64) async throws -> SignedIn {
        guard sms != nil else { throw PhoneSignInFailure.unavailable }
        guard let phone = PhoneNumber(text) else { throw PhoneSignInFailure.invalidPhone }
        let rules = settings.codes
        let phoneHash = pseudonyms.of(phone.subject, tenantID: tenantID)
        let counts = try await storage.consumers.phoneCodeCounts(
            phoneHash: phoneHash, addressHash: nil, deviceHash: nil, since: now - rules.windowMillis, tenantID: tenantID)
        if counts.failures >= rules.failuresToLock { throw PhoneSignInFailure.refused(.phoneLocked) }
        guard let live = try await storage.consumers.livePhoneCode(phoneHash: phoneHash, now: now, tenantID: tenantID) else {
            throw PhoneSignInFailure.expired
        }
        guard let tries = try await storage.consumers.spendAttempt(codeID: live.id, maxAttempts: rules.attemptsPerCode, tenantID: tenantID) else {
            throw PhoneSignInFailure.codeLocked
        }
        guard let code = OneTimeCodeRules.normalized(typed),
            codeHash(code, phoneHash: phoneHash, sentAt: live.sentAt, tenantID: tenantID) == live.codeHash
        else { throw PhoneSignInFailure.incorrect(remaining: max(0, rules.attemptsPerCode - tries)) }
        guard try await storage.consumers.usePhoneCode(codeID: live.id, at: now, tenantID: tenantID) else { throw PhoneSignInFailure.expired }
        let session = ConsumerSession(
            tenantID: tenantID, subject: phone.subject, appID: nil, unionid: nil, expiresAt: now + settings.sessionSeconds * 1_000,
            preciseLocation: try await keepsPreciseLocation(subject: phone.subject, tenantID: tenantID))
        guard let cookie = seal(session) else { throw AppError(.unavailable, code: "seal_failed", message: "the session could not be sealed") }
        try await attachProfile(session, device: deviceID, now: now)
        var claimed = 0
        if let deviceID { claimed = try await claimPrizes(of: deviceID, for: session, now: now) }
        return SignedIn(session: session, cookie: cookie, code: "", claimed: claimed)
    }

    /// A code's keyed hash, bound to the phone and the moment it was sent.
    private func codeHash(_ code: String, phoneHash: String, sentAt: Int64, tenantID: Int64) -> String {
        pseudonyms.of("sign-in-code:\(phoneHash):\(sentAt):\(code)", tenantID: tenantID)
    }
}
