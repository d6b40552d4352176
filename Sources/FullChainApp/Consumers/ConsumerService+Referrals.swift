public import FullChainCore
import FullChainStorage

extension ConsumerService {
    /// The signed-in consumer's invite code and the link they share.
    public func invite(of session: ConsumerSession, now: Int64) async throws -> (code: String, url: String) {
        let code = try await storage.referrals.inviteCode(
            wallet: pseudonyms.of(session.subject, tenantID: session.tenantID), at: now, tenantID: session.tenantID)
        return (code, inviteURL(code))
    }

    /// The page an invite code's link opens.
    public func inviteURL(_ code: String) -> String { publicBaseURL + "/i/" + code }

    /// Whether an invite code is one of the brand's consumers'.
    public func isInviteCode(_ code: String, tenantID: Int64) async throws -> Bool {
        guard let code = InviteCode.parse(code) else { return false }
        return try await storage.referrals.referrer(ofCode: code, tenantID: tenantID) != nil
    }

    /// A signed-in consumer who came through an invite link scanned: when it was their first
    /// genuine scan, the referral is recorded once, held for review when it looks farmed (self
    /// referral, a shared phone, an address cluster, a ring), and a counted one moves the
    /// referrer's lifecycle. Nil when nothing was recorded.
    public func attributeReferral(
        code text: String, session: ConsumerSession, scan: ScanResult, deviceID: String?, ip: String?, at now: Int64
    ) async throws -> Referral? {
        let tenantID = session.tenantID
        guard scan.authentic, scan.status == .active, let code = InviteCode.parse(text),
            let referrer = try await storage.referrals.referrer(ofCode: code, tenantID: tenantID)
        else { return nil }
        let referred = pseudonyms.of(session.subject, tenantID: tenantID)
        // Only a newcomer is brought: this scan is their person's first genuine one.
        guard try await storage.referrals.genuineScans(of: referred, tenantID: tenantID) == 1 else { return nil }
        return try await recordReferral(
            referrer: referrer, referred: referred, storeID: scan.store?.id, sku: scan.product?.sku, deviceID: deviceID, ip: ip, at: now,
            tenantID: tenantID)
    }

    /// Records that `referrer` brought `referred` (wallets), whose first genuine scan was at `at`
    /// at the store with the product, on the phone from the address: held when the evidence looks
    /// farmed, else counted, moving the referrer's lifecycle. Nil when someone brought them already.
    public func recordReferral(
        referrer: String, referred: String, storeID: Int64?, sku: String?, deviceID: String?, ip: String?, at: Int64, tenantID: Int64
    ) async throws -> Referral? {
        let evidence = try await storage.referrals.evidence(
            referrer: referrer, referred: referred, device: deviceID, ip: ip, at: at, tenantID: tenantID)
        let reasons = ReferralRisk.reasons(evidence)
        let draft = Referral(
            id: 0, referrer: referrer, referred: referred, storeID: storeID, sku: sku, at: at, status: reasons.isEmpty ? .counted : .held,
            reasons: reasons)
        guard let referral = try await storage.referrals.record(draft, device: deviceID, ip: ip, tenantID: tenantID) else { return nil }
        if referral.status == .counted {
            _ = try await reward(referral, tenantID: tenantID)
            try await LifecycleService(storage: storage).advance(pseudonym: referrer, tenantID: tenantID, now: at)
        }
        return referral
    }

    /// The brand's referral rewards: points per counted newcomer, and the budget left to pay them.
    public func referralProgramme(tenantID: Int64) async throws -> (rewardPoints: Int64, budgetLeft: Int64) {
        (
            try await storage.referrals.rewardPoints(tenantID: tenantID),
            try await storage.ledger.balance(of: .referralBudget, asset: .points, tenantID: tenantID)
        )
    }

    /// HQ sets the points per counted newcomer and adds points to the budget (from the brand's funding).
    public func setReferralProgramme(
        _ input: ReferralProgrammeInput, by user: String, tenantID: Int64, now: Int64
    ) async throws -> (rewardPoints: Int64, budgetLeft: Int64) {
        let (reward, add) = try input.validated()
        if add > 0 {
            let entry = try LedgerEntry.transfer(
                key: "referral-funding:\(now):\(RandomToken.alphanumeric(12))", memo: "referral budget by \(user)", add, .points,
                from: .brandFunding, to: .referralBudget)
            _ = try await storage.ledger.post(entry, tenantID: tenantID)
        }
        try await storage.referrals.saveRewardPoints(reward, by: user, at: now, tenantID: tenantID)
        return try await referralProgramme(tenantID: tenantID)
    }

    /// Pays the referrer of a counted referral its reward from the budget, once (whatever retries);
    /// false when there is no reward or the budget cannot pay it.
    public func reward(_ referral: Referral, tenantID: Int64) async throws -> Bool {
        let points = try await storage.referrals.rewardPoints(tenantID: tenantID)
        guard referral.status == .counted, points > 0 else { return false }
        let entry = try LedgerEntry.transfer(
            key: "referral:\(referral.id)", memo: "referral reward", points, .points, from: .referralBudget, to: .consumerWallet(referral.referrer))
        do throws(StorageError) {
            _ = try await storage.ledger.post(entry, tenantID: tenantID)
            return true
        } catch .floorReached {
            return false
        }
    }

    /// HQ's decision on a held referral; a counted one moves the referrer's lifecycle.
    public func reviewReferral(_ id: Int64, count: Bool, by user: String, tenantID: Int64, now: Int64) async throws -> Referral {
        let referral = try await storage.referrals.review(id: id, status: count ? .counted : .rejected, by: user, at: now, tenantID: tenantID)
        if referral.status == .counted {
            _ = try await reward(referral, tenantID: tenantID)
            try await LifecycleService(storage: storage).advance(pseudonym: referral.referrer, tenantID: tenantID, now: now)
        }
        return referral
    }
}
