import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

extension AlertFilter {
    /// Filters from `?kind=&reason=&distributorID=&since=&until=` (times in milliseconds).
    init(_ request: Request) throws(APIError) {
        self.init(
            kind: try request.enumQuery("kind", AlertKind.self), reason: try request.enumQuery("reason", AlertReason.self),
            distributorID: try request.intQuery("distributorID"), since: try request.intQuery("since"), until: try request.intQuery("until"))
    }
}

/// The diversion and counterfeit alert feed, scoped to the caller's part of the sales org.
enum AlertsAPI {
    static let filterQuery: [APIEndpoint.QueryParameter] = [
        .init("kind", "string", "diversion or counterfeit"),
        .init("reason", "string", "store_receipt, consumer_scans, far_apart or invalid_codes"),
        .init("distributorID", "integer", "alerts about goods shipped to this distributor"),
        .init("since", "integer", "latest evidence at or after (milliseconds)"),
        .init("until", "integer", "latest evidence before (milliseconds)"),
    ]

    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        return [
            APIEndpoint(
                .get, "/api/v1/alerts", id: "listAlerts", tag: "alerts", summary: "Diversion and counterfeit alerts within my reach, latest first",
                response: "AlertPage", query: pagingQuery + filterQuery
            ) { request, context in
                let p = try context.requirePrincipal()
                return try .json(try await storage.alerts.list(try ListQuery(request), filter: try AlertFilter(request), scope: p.scope))
            },
            APIEndpoint(.get, "/api/v1/alerts/{id}", id: "getAlert", tag: "alerts", summary: "One alert with its evidence", response: "Alert") {
                _, context in
                let p = try context.requirePrincipal()
                guard let alert = try await storage.alerts.get(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                return try .json(alert)
            },
        ]
    }
}
