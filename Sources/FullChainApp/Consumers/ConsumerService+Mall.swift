public import FullChainCore
public import FullChainStorage

extension ConsumerService {
    /// Takes a mall item with the signed-in consumer's points: a coupon with its own code.
    public func takeMallItem(_ itemID: Int64, for session: ConsumerSession, now: Int64) async throws -> MallTakeOutcome {
        let wallet = pseudonyms.of(session.subject, tenantID: session.tenantID)
        // Cash goes only to the openid WeChat confirmed, sealed as payouts keep it.
        let recipient = session.paysCash ? recipients.seal(session.subject, tenantID: session.tenantID) : nil
        let outcome = try await storage.mall.take(
            itemID: itemID, wallet: wallet, code: CouponCode.make(), recipient: recipient, at: now, tenantID: session.tenantID)
        // Points spent move the consumer's rule tags now, not at the next rollup.
        if case .taken = outcome, let profile = try await storage.profiles.profileID(of: wallet, tenantID: session.tenantID) {
            try await storage.tags.evaluate([profile], now: now, tenantID: session.tenantID)
            try await LifecycleService(storage: storage).advance(profile: profile, tenantID: session.tenantID, now: now)
        }
        return outcome
    }

    /// The signed-in consumer's coupons, newest first.
    public func coupons(of session: ConsumerSession) async throws -> [Coupon] {
        try await storage.mall.coupons(wallet: pseudonyms.of(session.subject, tenantID: session.tenantID), limit: 100, tenantID: session.tenantID)
    }

    /// The signed-in consumer's newest points movements.
    public func pointsHistory(of session: ConsumerSession) async throws -> [PointsMovement] {
        try await storage.mall.pointsHistory(
            wallet: pseudonyms.of(session.subject, tenantID: session.tenantID), limit: 20, tenantID: session.tenantID)
    }

    /// What a coupon's QR holds: the store staff's page that redeems it.
    public func couponURL(_ code: String) -> String { publicBaseURL + "/coupons/redeem?code=" + code }
}
