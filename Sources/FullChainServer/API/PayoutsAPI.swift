import FullChainCore
import FullChainStorage
import Hummingbird

/// The payout outbox (HQ): where every cash prize is on its way to the consumer.
enum PayoutsAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        return [
            APIEndpoint(
                .get, "/api/v1/payouts", id: "listPayouts", tag: "payouts", summary: "The brand's payouts, newest first",
                response: "PayoutList",
                query: [
                    .init("status", "string", PayoutStatus.allCases.map(\.rawValue).joined(separator: ", ") + " (held: the review queue)"),
                    .init("limit", "integer", "at most 1000 (default 100)"),
                ]
            ) { request, context in
                let p = try context.require(.auditLedger)
                let query = request.uri.queryParameters
                var status: PayoutStatus?
                if let text = query.get("status") {
                    guard let parsed = PayoutStatus(rawValue: text) else {
                        throw APIError(
                            .badRequest, code: "invalid_query",
                            message: "status is one of " + PayoutStatus.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    status = parsed
                }
                let limit =
                    try query.get("limit").map { text throws(APIError) -> Int in
                        guard let value = Int(text), (1...1000).contains(value) else {
                            throw APIError(.badRequest, code: "invalid_query", message: "limit is a number from 1 to 1000")
                        }
                        return value
                    } ?? 100
                return try .json(try await storage.payouts.list(tenantID: p.tenantID, status: status, limit: limit).map(PayoutView.init))
            },
            APIEndpoint(
                .get, "/api/v1/payouts/summary", id: "payoutSummary", tag: "payouts", summary: "How many payouts, and how much, are in each status",
                response: "PayoutSummary"
            ) { _, context in
                let p = try context.require(.auditLedger)
                let tallies = try await storage.payouts.summary(tenantID: p.tenantID)
                return try .json(Dictionary(uniqueKeysWithValues: PayoutStatus.allCases.map { ($0.rawValue, tallies[$0] ?? PayoutTally()) }))
            },
        ]
    }
}

/// A payout as the API shows it (who receives it stays sealed).
struct PayoutView: Codable, Sendable {
    var id: Int64
    var campaignID: Int64
    var wallet: String
    var amountFen: Int64
    var status: PayoutStatus
    var merchant: String?
    var billNumber: String?
    var attempts: Int
    var createdAt: Int64
    var riskScore: Int
    var riskReasons: [String]

    init(_ payout: Payout) {
        id = payout.id
        campaignID = payout.campaignID
        wallet = payout.wallet
        amountFen = payout.amountFen
        status = payout.status
        merchant = payout.merchant
        billNumber = payout.billNumber
        attempts = payout.attempts
        createdAt = payout.createdAt
        riskScore = payout.riskScore
        riskReasons = payout.riskReasons
    }
}
