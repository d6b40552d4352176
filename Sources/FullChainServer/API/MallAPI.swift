import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// A mall item as the API shows it.
struct MallItemView: Codable, Sendable {
    var id: Int64
    var name: String
    var kind: String
    var pricePoints: Int64
    var faceValueFen: Int64
    var stock: Int64
    var stockLeft: Int64
    var perPersonLimit: Int
    var availableFrom: Int64
    var availableUntil: Int64
    var validDays: Int
    var createdAt: Int64

    init(_ item: MallItem) {
        let d = item.draft
        id = item.id
        name = d.name
        kind = d.kind.rawValue
        pricePoints = d.pricePoints
        faceValueFen = d.faceValueFen
        stock = d.stock
        stockLeft = item.stockLeft
        perPersonLimit = d.perPersonLimit
        availableFrom = d.availableFrom
        availableUntil = d.availableUntil
        validDays = d.validDays
        createdAt = item.createdAt
    }
}

/// What store staff send to redeem a mall coupon: its code (or the link its QR holds) and the store.
struct CouponRedemptionInput: Codable, Sendable {
    var code: String?
    var storeID: Int64?
}

/// A redeemed coupon as the API shows it (never whose it is).
struct CouponRedemptionView: Codable, Sendable {
    var code: String
    var item: String
    var kind: String
    var faceValueFen: Int64
    var storeID: Int64
    var redeemedAt: Int64
}

/// The points mall: HQ lists items; store staff redeem the coupons consumers took.
enum MallAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .post, "/api/v1/mall/items", id: "createMallItem", tag: "campaigns",
                summary:
                    "Lists an item in the points mall: a coupon, gift or 再来一瓶 voucher with its price in points, face value, stock and per-person limit",
                request: "MallItemInput", response: "MallItem", status: .created
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let draft = try await request.decodeJSON(MallItemInput.self, limit: limit).validated()
                return try .json(MallItemView(try await storage.mall.create(draft, at: currentMillis(), tenantID: p.tenantID)), status: .created)
            },
            APIEndpoint(
                .get, "/api/v1/mall/items", id: "listMallItems", tag: "campaigns", summary: "The points mall's items, newest first",
                response: "MallItemList"
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                return try .json(try await storage.mall.items(limit: 500, tenantID: p.tenantID).map(MallItemView.init))
            },
            APIEndpoint(
                .post, "/api/v1/coupons/redemptions", id: "redeemCoupon", tag: "campaigns",
                summary: "Redeems a points-mall coupon at a store within my reach (store staff: their own store); once per coupon",
                request: "CouponRedemptionInput", response: "CouponRedemption", status: .created
            ) { request, context in
                let p = try context.requirePrincipal()
                let input = try await request.decodeJSON(CouponRedemptionInput.self, limit: limit)
                let storeID = try LogisticsAPI.actingStore(named: input.storeID, by: p)
                let coupon = try await redeem(input.code ?? "", storeID: storeID, by: p, storage: storage)
                return try .json(
                    CouponRedemptionView(
                        code: coupon.code, item: coupon.itemName, kind: coupon.kind.rawValue, faceValueFen: coupon.faceValueFen, storeID: storeID,
                        redeemedAt: coupon.redeemedAt ?? 0), status: .created)
            },
        ]
    }

    /// Redeems a coupon at a store the caller reaches: the coupon, or the reason it can't be.
    static func redeem(_ text: String, storeID: Int64, by p: Principal, storage: AppStorage) async throws -> Coupon {
        guard try await storage.stores.get(id: storeID, scope: p.scope) != nil else { throw APIError.notFound }
        guard let code = CouponCode.parse(text) else { throw couponNotFound }
        switch try await storage.mall.redeem(code: code, storeID: storeID, at: currentMillis(), tenantID: p.tenantID) {
        case .redeemed(let coupon):
            // A redemption is revenue: the consumer's lifecycle moves now (or, should that fail,
            // at their next scan: the lifecycle reads what they did, not this call).
            _ = try? await LifecycleService(storage: storage).advance(
                pseudonym: coupon.wallet, tenantID: p.tenantID, now: coupon.redeemedAt ?? currentMillis())
            return coupon
        case .alreadyRedeemed(let coupon):
            throw APIError(
                .conflict, code: "already_redeemed", message: "the coupon was redeemed at \(Format.dateTime(millis: coupon.redeemedAt ?? 0))")
        case .expired(let coupon):
            throw APIError(.conflict, code: "coupon_expired", message: "the coupon expired at \(Format.dateTime(millis: coupon.expiresAt))")
        case nil:
            throw couponNotFound
        }
    }

    static let couponNotFound = APIError(.notFound, code: "coupon_not_found", message: "no coupon of this brand has this code")
}
