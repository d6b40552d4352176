public import FullChainCore

/// A free-item prize a unit code won in a campaign.
public struct VoucherWin: Sendable, Equatable {
    public var campaignID: Int64
    public var tier: Int
    public var amountFen: Int64
}

/// How a redemption went.
public enum VoucherRedeemOutcome: Sendable, Equatable {
    case redeemed(VoucherRedemption)
    /// The voucher was redeemed before (where and when).
    case alreadyRedeemed(VoucherRedemption)
}

/// "再来一瓶" vouchers redeemed at stores, each exactly once, booked in the ledger.
public protocol VoucherRepository: Sendable {
    /// The code's winning draws in these campaigns, with their tier and amount.
    func wins(batchID: Int64, serial: Int64, campaignIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [VoucherWin]
    /// Records the redemption and moves its amount to the store's wallet in one transaction, once per voucher.
    func redeem(_ redemption: VoucherRedemption) async throws(StorageError) -> VoucherRedeemOutcome
}

struct SQLVoucherRepository: VoucherRepository {
    let db: any SQLDatabase

    private static let columns: SQLStatement = "tenant_id, campaign_id, batch_id, serial, store_id, amount_fen, redeemed_at"

    private static func redemption(_ row: SQLRow) throws(StorageError) -> VoucherRedemption {
        VoucherRedemption(
            tenantID: try row.int("tenant_id"), campaignID: try row.int("campaign_id"), batchID: try row.int("batch_id"),
            serial: try row.int("serial"), storeID: try row.int("store_id"), amountFen: try row.int("amount_fen"),
            redeemedAt: try row.int("redeemed_at"))
    }

    func wins(batchID: Int64, serial: Int64, campaignIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [VoucherWin] {
        guard !campaignIDs.isEmpty else { return [] }
        let ids = SQLStatement.join(campaignIDs.map { "\($0)" }, separator: ", ")
        var wins: [VoucherWin] = []
        for row in try await db.read(
            """
            SELECT campaign_id, tier, amount_fen FROM campaign_draws
            WHERE tenant_id = \(tenantID) AND campaign_id IN (\(ids)) AND batch_id = \(batchID) AND serial = \(serial) AND outcome = 'won'
            ORDER BY campaign_id
            """)
        {
            guard let tier = row.optionalInt("tier") else { continue }
            wins.append(VoucherWin(campaignID: try row.int("campaign_id"), tier: Int(tier), amountFen: try row.int("amount_fen")))
        }
        return wins
    }

    func redeem(_ redemption: VoucherRedemption) async throws(StorageError) -> VoucherRedeemOutcome {
        let r = redemption
        let entry: LedgerEntry
        do {
            entry = try r.entry()
        } catch {
            throw .corruptRow("voucher \(r.ledgerKey): \(error)")
        }
        let entryID = try await db.allocateIDs("ledger_entries", tenantID: r.tenantID)
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                return [
                    SQLStep(
                        """
                        INSERT INTO voucher_redemptions (tenant_id, campaign_id, batch_id, serial, store_id, amount_fen, redeemed_at)
                        VALUES (\(r.tenantID), \(r.campaignID), \(r.batchID), \(r.serial), \(r.storeID), \(r.amountFen), \(r.redeemedAt))
                        ON CONFLICT (tenant_id, campaign_id, batch_id, serial) DO NOTHING RETURNING tenant_id
                        """, name: "redemption")
                ]
            case 1 where !done["redemption"].isEmpty:
                return [LedgerSteps.entry(entry, id: entryID, tenantID: r.tenantID, at: r.redeemedAt)]
                    + LedgerSteps.postings(of: entry.postings, entryID: entryID, tenantID: r.tenantID)
            default:
                return []
            }
        })
        if !done["redemption"].isEmpty { return .redeemed(r) }
        guard
            let row = try await db.read(
                """
                SELECT \(Self.columns) FROM voucher_redemptions
                WHERE tenant_id = \(r.tenantID) AND campaign_id = \(r.campaignID) AND batch_id = \(r.batchID) AND serial = \(r.serial)
                """
            ).first
        else { throw .corruptRow("voucher \(r.ledgerKey) neither redeemed nor found") }
        return .alreadyRedeemed(try Self.redemption(row))
    }
}
