/// A "再来一瓶" voucher redeemed at a store: the unit code that won it, the store that handed
/// out the free bottle, and what the brand now owes that store for it.
public struct VoucherRedemption: Sendable, Equatable, Codable {
    public var tenantID: Int64
    public var campaignID: Int64
    public var batchID: Int64
    public var serial: Int64
    public var storeID: Int64
    public var amountFen: Int64
    public var redeemedAt: Int64

    public init(tenantID: Int64, campaignID: Int64, batchID: Int64, serial: Int64, storeID: Int64, amountFen: Int64, redeemedAt: Int64) {
        self.tenantID = tenantID
        self.campaignID = campaignID
        self.batchID = batchID
        self.serial = serial
        self.storeID = storeID
        self.amountFen = amountFen
        self.redeemedAt = redeemedAt
    }

    /// One redemption per won voucher, whichever store redeems it.
    public var ledgerKey: String { "voucher:\(tenantID):\(campaignID):\(batchID):\(serial)" }

    /// The voucher's amount moves from what the campaign owes for unredeemed vouchers to the store's wallet.
    public func entry() throws(LedgerEntry.Problem) -> LedgerEntry {
        try .transfer(
            key: ledgerKey, memo: "voucher of campaign \(campaignID) redeemed at store \(storeID)", amountFen, .fen,
            from: .vouchersOutstanding(campaignID: campaignID), to: .storeWallet(storeID: storeID))
    }
}
