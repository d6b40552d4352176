import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// A referral as the API shows it: profiles by number and masked label, never a wallet.
struct ReferralView: Codable, Sendable {
    var id: Int64
    var referrerID: Int64?
    var referrer: String?
    var referredID: Int64?
    var referred: String?
    var storeID: Int64?
    var storeName: String?
    var sku: String?
    var at: Int64
    var status: String
    var reasons: [String]

    init(_ line: ReferralLine) {
        id = line.referral.id
        referrerID = line.referrerProfile
        referrer = line.referrerLabel
        referredID = line.referredProfile
        referred = line.referredLabel
        storeID = line.referral.storeID
        storeName = line.storeName
        sku = line.referral.sku
        at = line.referral.at
        status = line.referral.status.rawValue
        reasons = line.referral.reasons.map(\.rawValue)
    }
}

/// A referrer and their KOC figures.
struct KOCView: Codable, Sendable {
    var consumerID: Int64?
    var label: String?
    var storeID: Int64?
    var storeName: String?
    var invited: Int
    var repeaters: Int
    var repeatRate: Double
    var secondHop: Int
    var score: Double
    var koc: Bool

    init(_ line: KOCLine) {
        consumerID = line.profileID
        label = line.label
        storeID = line.storeID
        storeName = line.storeName
        invited = line.figures.invited
        repeaters = line.figures.repeaters
        repeatRate = line.figures.repeatRate
        secondHop = line.figures.secondHop
        score = line.figures.score
        koc = line.figures.isKOC
    }
}

/// The referral rewards: points per counted newcomer, and the budget left.
struct ReferralProgrammeView: Codable, Sendable {
    var rewardPoints: Int64
    var budgetLeft: Int64
}

struct ReferralReviewInput: Codable, Sendable {
    var decision: String?
}

/// Referrals (who brought whom, held ones for HQ's review) and KOCs, within the caller's part of
/// the org (stores have none: their customers' data rests on each one's consent).
enum ReferralsAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .get, "/api/v1/referrals", id: "listReferrals", tag: "consumers",
                summary:
                    "The newest referrals whose store is within my reach: who brought whom, where, with which product, counted or held as farming",
                response: "ReferralList", query: [.init("status", "string", "counted, held or rejected")]
            ) { request, context in
                let p = try context.requirePrincipal()
                let scope = try SegmentsAPI.scope(p)
                let status = try request.uri.queryParameters.get("status").map { (text: String) throws(APIError) -> ReferralStatus in
                    guard let status = ReferralStatus(rawValue: text) else {
                        throw APIError(.badRequest, code: "invalid_query", message: "status is counted, held or rejected")
                    }
                    return status
                }
                return try .json(try await storage.referrals.list(status: status, scope: scope, limit: 500).map(ReferralView.init))
            },
            APIEndpoint(
                .post, "/api/v1/referrals/{id}/review", id: "reviewReferral", tag: "consumers",
                summary: "HQ counts or rejects a referral held as likely farming", request: "ReferralReview", response: "Referral"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(ReferralReviewInput.self, limit: limit)
                guard let decision = input.decision, decision == "count" || decision == "reject" else {
                    throw APIError(
                        .unprocessableContent, code: "validation_failed", message: "decision is count or reject",
                        details: .fields([FieldError(field: "decision", code: "invalid_choice", message: "decision is count or reject")]))
                }
                let referral = try await services.consumers.reviewReferral(
                    try context.id(), count: decision == "count", by: p.username, tenantID: p.tenantID, now: currentMillis())
                guard
                    let line = try await storage.referrals.list(status: referral.status, scope: p.scope, limit: 1_000).first(where: {
                        $0.referral.id == referral.id
                    })
                else { throw APIError.notFound }
                return try .json(ReferralView(line))
            },
            APIEndpoint(
                .get, "/api/v1/referrals/programme", id: "getReferralProgramme", tag: "consumers",
                summary: "The points a counted newcomer earns the one who brought them, and the budget left to pay them",
                response: "ReferralProgramme"
            ) { _, context in
                let p = try context.requirePrincipal()
                _ = try SegmentsAPI.scope(p)
                let (reward, left) = try await services.consumers.referralProgramme(tenantID: p.tenantID)
                return try .json(ReferralProgrammeView(rewardPoints: reward, budgetLeft: left))
            },
            APIEndpoint(
                .put, "/api/v1/referrals/programme", id: "setReferralProgramme", tag: "consumers",
                summary: "HQ sets the points per counted newcomer and adds points to the referral budget from the brand's funding",
                request: "ReferralProgrammeInput", response: "ReferralProgramme"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(ReferralProgrammeInput.self, limit: limit)
                let (reward, left) = try await services.consumers.setReferralProgramme(
                    input, by: p.username, tenantID: p.tenantID, now: currentMillis())
                return try .json(ReferralProgrammeView(rewardPoints: reward, budgetLeft: left))
            },
            APIEndpoint(
                .get, "/api/v1/kocs", id: "listKOCs", tag: "consumers",
                summary: "Consumers who brought newcomers, their store within my reach: newcomers, repeat rate, reach two steps out, KOC score",
                response: "KOCList", query: [.init("storeID", "integer", "only this store's consumers")]
            ) { request, context in
                let p = try context.requirePrincipal()
                let scope = try SegmentsAPI.scope(p)
                let store = try Self.storeID(request)
                return try .json(try await storage.referrals.referrers(scope: scope, storeID: store, limit: 500).map(KOCView.init))
            },
        ]
    }

    static func storeID(_ request: Request) throws(APIError) -> Int64? {
        guard let text = request.uri.queryParameters.get("storeID") else { return nil }
        guard let id = Int64(text), id > 0 else { throw APIError(.badRequest, code: "invalid_query", message: "storeID is a store id") }
        return id
    }
}
