public import FullChainCore
import FullChainStorage

extension ConsumerService {
    /// The consumer's consents: each purpose's current answer and every choice recorded.
    public func consents(of session: ConsumerSession) async throws -> (state: [ConsentPurpose: Bool], history: [ConsentRecord]) {
        let history = try await storage.consumers.consents(
            wallet: pseudonyms.of(session.subject, tenantID: session.tenantID), tenantID: session.tenantID)
        return (ConsentRecord.current(history), history)
    }

    /// Records the answers that changed (under the current privacy notice) and returns the
    /// session carrying the location consent, for the cookie to be sealed again.
    public func setConsents(_ wanted: [ConsentPurpose: Bool], for session: ConsumerSession, now: Int64) async throws -> ConsumerSession {
        let (state, _) = try await consents(of: session)
        let changed = ConsentPurpose.allCases.compactMap { purpose -> ConsentRecord? in
            guard let answer = wanted[purpose], answer != state[purpose] else { return nil }
            return ConsentRecord(purpose: purpose, granted: answer, noticeVersion: PrivacyNotice.version, at: now)
        }
        let wallet = pseudonyms.of(session.subject, tenantID: session.tenantID)
        try await storage.consumers.recordConsents(changed, wallet: wallet, tenantID: session.tenantID)
        // A yes to marketing keeps the consumer's number (sealed) for journeys' messages; a no forgets it.
        if let marketing = changed.first(where: { $0.purpose == .marketing }) {
            let sealed = marketing.granted ? phones.seal(session.subject, context: Self.contactContext(wallet, tenantID: session.tenantID)) : nil
            try await storage.journeys.saveContact(sealed, wallet: wallet, at: now, tenantID: session.tenantID)
        }
        var updated = session
        updated.preciseLocation = wanted[.location] ?? state[.location] ?? true
        return updated
    }

    static func contactContext(_ wallet: String, tenantID: Int64) -> String { "contact:\(tenantID):\(wallet)" }

    /// The subject (`phone:…`, `openid:…`) kept for a wallet's marketing messages.
    func openContact(_ sealed: String, wallet: String, tenantID: Int64) -> String? {
        phones.open(sealed, context: Self.contactContext(wallet, tenantID: tenantID))
    }

    /// Whether the consumer lets their scans keep exact positions, for a new session.
    func keepsPreciseLocation(subject: String, tenantID: Int64) async throws -> Bool {
        let session = ConsumerSession(tenantID: tenantID, subject: subject, appID: nil, unionid: nil, expiresAt: 0)
        return try await consents(of: session).state[.location] ?? true
    }
}
