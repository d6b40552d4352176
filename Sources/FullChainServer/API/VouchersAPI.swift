import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// What a store (or anyone whose reach holds the store) sends to redeem a "再来一瓶" voucher:
/// the winning unit code from the cap.
struct VoucherRedemptionInput: Codable, Sendable {
    var code: String?
    var storeID: Int64?
}

/// A redeemed voucher as the API shows it.
struct VoucherRedemptionView: Codable, Sendable {
    var campaignID: Int64
    var campaign: String
    var tier: String
    var batchID: Int64
    var serial: Int64
    var storeID: Int64
    var amountFen: Int64
    var redeemedAt: Int64
}

/// "再来一瓶" vouchers redeemed at stores: each voucher once, the brand then owes the store its amount.
enum VouchersAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let keys = services.codeKeys
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .post, "/api/v1/vouchers/redemptions", id: "redeemVoucher", tag: "campaigns",
                summary: "Redeems the free-item voucher a unit code won, at a store within my reach (store staff: their own store); once per voucher",
                request: "VoucherRedemptionInput", response: "VoucherRedemption", status: .created
            ) { request, context in
                let p = try context.requirePrincipal()
                let input = try await request.decodeJSON(VoucherRedemptionInput.self, limit: limit)
                let storeID = try LogisticsAPI.actingStore(named: input.storeID, by: p)
                guard try await storage.stores.get(id: storeID, scope: p.scope) != nil else { throw APIError.notFound }
                // The code is checked in memory first: forged and mistyped codes cost no storage work.
                guard let text = input.code, let code = try await keys.verify(text, tenantID: p.tenantID), code.kind == .unit,
                    let place = try await storage.place(of: code, tenantID: p.tenantID)
                else {
                    throw APIError(
                        .unprocessableContent, code: "invalid_code", message: "not a unit code of this brand: forged, mistyped or cut short")
                }
                // The campaigns covering the unit's product, and the code's free-item win among them.
                let campaigns = try await storage.campaigns.list(ListQuery(limit: 200), tenantID: p.tenantID).items
                    .filter { $0.draft.productIDs.contains(place.batch.productID) }
                let wins = try await storage.vouchers.wins(
                    batchID: place.batch.id, serial: Int64(code.serial), campaignIDs: campaigns.map(\.id), tenantID: p.tenantID)
                let voucher = wins.lazy.compactMap { win -> (Campaign, PrizeTier, VoucherWin)? in
                    guard let campaign = campaigns.first(where: { $0.id == win.campaignID }), campaign.draft.tiers.indices.contains(win.tier) else {
                        return nil
                    }
                    let tier = campaign.draft.tiers[win.tier]
                    return tier.kind == .freeItem ? (campaign, tier, win) : nil
                }.first
                guard let (campaign, tier, win) = voucher else {
                    throw APIError(.notFound, code: "no_voucher", message: "this code won no free-item voucher")
                }
                let redemption = VoucherRedemption(
                    tenantID: p.tenantID, campaignID: campaign.id, batchID: place.batch.id, serial: Int64(code.serial),
                    storeID: storeID, amountFen: win.amountFen, redeemedAt: currentMillis())
                let view = { (r: VoucherRedemption) in
                    VoucherRedemptionView(
                        campaignID: r.campaignID, campaign: campaign.draft.name, tier: tier.name, batchID: r.batchID, serial: r.serial,
                        storeID: r.storeID, amountFen: r.amountFen, redeemedAt: r.redeemedAt)
                }
                switch try await storage.vouchers.redeem(redemption) {
                case .redeemed(let done):
                    return try .json(view(done), status: .created)
                case .alreadyRedeemed(let earlier):
                    // Where it was redeemed is shown only within the caller's reach.
                    let visible = try await storage.stores.get(id: earlier.storeID, scope: p.scope) != nil
                    throw APIError(
                        .conflict, code: "already_redeemed",
                        message: "the voucher was redeemed at \(Format.dateTime(millis: earlier.redeemedAt))"
                            + (visible ? " by store \(earlier.storeID)" : ""))
                }
            }
        ]
    }
}
