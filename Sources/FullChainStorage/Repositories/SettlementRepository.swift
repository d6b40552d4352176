public import FullChainCore

/// One store's line of a settlement statement.
public struct StoreSettlement: Sendable, Equatable, Codable {
    public var storeID: Int64
    public var storeCode: String
    public var storeName: String
    public var distributorID: Int64?
    /// Consumer scans of its units that earned it a store reward in the period, and what they earned.
    public var rewardedScans: Int
    public var rewardsFen: Int64
    /// "再来一瓶" vouchers it redeemed in the period, and what the brand reimburses for them.
    public var vouchersRedeemed: Int
    public var vouchersFen: Int64
    /// Points-mall coupons it redeemed in the period, and their face value.
    public var couponsRedeemed: Int
    public var couponsFen: Int64
    /// What the brand owes it now (its ledger wallet: every reward, voucher and coupon not yet settled).
    public var dueFen: Int64
}

/// One distributor's line: the sums of the stores it supplies.
public struct DistributorSettlement: Sendable, Equatable, Codable {
    public var distributorID: Int64
    public var distributorCode: String
    public var distributorName: String
    public var stores: Int
    public var rewardedScans: Int
    public var rewardsFen: Int64
    public var vouchersRedeemed: Int
    public var vouchersFen: Int64
    public var couponsRedeemed: Int
    public var couponsFen: Int64
    public var dueFen: Int64
}

/// Settlement statements (费用在线): what stores earned from campaigns in a period and what the
/// brand owes them, within the caller's reach.
public protocol SettlementRepository: Sendable {
    /// Stores within `scope` that earned in the business days `from…to` or are owed something, by code.
    func stores(from: Int64, to: Int64, scope: AccessScope) async throws(StorageError) -> [StoreSettlement]
    /// The same stores, summed per supplying distributor (distributors within `scope`).
    func distributors(from: Int64, to: Int64, scope: AccessScope) async throws(StorageError) -> [DistributorSettlement]
}

struct SQLSettlementRepository: SettlementRepository {
    let db: any SQLDatabase

    /// Per store in reach: rewards in the period (from the draws) and the wallet's balance.
    private func storeLines(from: Int64, to: Int64, scope: AccessScope) -> SQLStatement {
        let start = BusinessDay.start(ofDay: from)
        let end = BusinessDay.start(ofDay: to + 1)
        return """
            SELECT s.id, s.code, s.name, s.distributor_id,
                COALESCE(r.scans, 0) AS scans, CAST(COALESCE(r.fen, 0) AS BIGINT) AS fen,
                COALESCE(v.vouchers, 0) AS vouchers, CAST(COALESCE(v.fen, 0) AS BIGINT) AS voucher_fen,
                COALESCE(k.coupons, 0) AS coupons, CAST(COALESCE(k.fen, 0) AS BIGINT) AS coupon_fen, CAST(COALESCE(w.balance, 0) AS BIGINT) AS due
            FROM stores s
            LEFT JOIN (SELECT store_id, COUNT(*) AS scans, SUM(store_reward_fen) AS fen FROM campaign_draws
                       WHERE tenant_id = \(scope.tenantID) AND store_reward_fen > 0 AND drawn_at >= \(start) AND drawn_at < \(end)
                       GROUP BY store_id) r ON r.store_id = s.id
            LEFT JOIN (SELECT store_id, COUNT(*) AS vouchers, SUM(amount_fen) AS fen FROM voucher_redemptions
                       WHERE tenant_id = \(scope.tenantID) AND redeemed_at >= \(start) AND redeemed_at < \(end)
                       GROUP BY store_id) v ON v.store_id = s.id
            LEFT JOIN (SELECT store_id, COUNT(*) AS coupons, SUM(face_value_fen) AS fen FROM coupons
                       WHERE tenant_id = \(scope.tenantID) AND redeemed_at >= \(start) AND redeemed_at < \(end)
                       GROUP BY store_id) k ON k.store_id = s.id
            LEFT JOIN ledger_accounts w ON w.tenant_id = s.tenant_id AND w.code = 'store:' || s.id AND w.asset = 'fen'
            WHERE \(ScopeSQL.stores(scope)) AND (r.scans IS NOT NULL OR v.vouchers IS NOT NULL OR k.coupons IS NOT NULL OR COALESCE(w.balance, 0) <> 0)
            """
    }

    func stores(from: Int64, to: Int64, scope: AccessScope) async throws(StorageError) -> [StoreSettlement] {
        var lines: [StoreSettlement] = []
        for row in try await db.read(storeLines(from: from, to: to, scope: scope) + " ORDER BY s.code") {
            lines.append(
                StoreSettlement(
                    storeID: try row.int("id"), storeCode: try row.string("code"), storeName: try row.string("name"),
                    distributorID: row.optionalInt("distributor_id"), rewardedScans: Int(row.optionalInt("scans") ?? 0),
                    rewardsFen: row.optionalInt("fen") ?? 0, vouchersRedeemed: Int(row.optionalInt("vouchers") ?? 0),
                    vouchersFen: row.optionalInt("voucher_fen") ?? 0, couponsRedeemed: Int(row.optionalInt("coupons") ?? 0),
                    couponsFen: row.optionalInt("coupon_fen") ?? 0, dueFen: row.optionalInt("due") ?? 0))
        }
        return lines
    }

    func distributors(from: Int64, to: Int64, scope: AccessScope) async throws(StorageError) -> [DistributorSettlement] {
        var lines: [DistributorSettlement] = []
        for row in try await db.read(
            """
            SELECT d.id, d.code, d.name, COUNT(*) AS stores, CAST(SUM(l.scans) AS BIGINT) AS scans, CAST(SUM(l.fen) AS BIGINT) AS fen,
                CAST(SUM(l.vouchers) AS BIGINT) AS vouchers, CAST(SUM(l.voucher_fen) AS BIGINT) AS voucher_fen,
                CAST(SUM(l.coupons) AS BIGINT) AS coupons, CAST(SUM(l.coupon_fen) AS BIGINT) AS coupon_fen, CAST(SUM(l.due) AS BIGINT) AS due
            FROM (
            """ + storeLines(from: from, to: to, scope: scope) + """
                ) l JOIN distributors d ON d.tenant_id = \(scope.tenantID) AND d.id = l.distributor_id
                WHERE \(ScopeSQL.distributors(scope))
                GROUP BY d.id, d.code, d.name ORDER BY d.code
                """)
        {
            lines.append(
                DistributorSettlement(
                    distributorID: try row.int("id"), distributorCode: try row.string("code"), distributorName: try row.string("name"),
                    stores: Int(row.optionalInt("stores") ?? 0), rewardedScans: Int(row.optionalInt("scans") ?? 0),
                    rewardsFen: row.optionalInt("fen") ?? 0, vouchersRedeemed: Int(row.optionalInt("vouchers") ?? 0),
                    vouchersFen: row.optionalInt("voucher_fen") ?? 0, couponsRedeemed: Int(row.optionalInt("coupons") ?? 0),
                    couponsFen: row.optionalInt("coupon_fen") ?? 0, dueFen: row.optionalInt("due") ?? 0))
        }
        return lines
    }
}
