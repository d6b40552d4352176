import FullChainCore
import FullChainStorage
import Hummingbird

/// The notices journeys leave for stores: a store's staff read their store's, others those within their reach.
enum StoreNoticesAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        return [
            APIEndpoint(
                .get, "/api/v1/store-notices", id: "listStoreNotices", tag: "stores", summary: "Notices for the stores within my reach, newest first",
                response: "StoreNoticeList",
                query: [.init("unread", "boolean", "only notices not read yet"), .init("limit", "integer", "at most this many (1…500, default 100)")]
            ) { request, context in
                let p = try context.requirePrincipal()
                let unread: Bool
                switch request.query("unread") {
                case nil, "false": unread = false
                case "true": unread = true
                default: throw APIError.badRequest("invalid_query", "unread is true or false")
                }
                let limit = try request.intQuery("limit") ?? 100
                guard (1...500).contains(limit) else { throw APIError.badRequest("invalid_query", "limit is 1…500") }
                return try .json(
                    StoreNoticeList(items: try await storage.storeNotices.notices(limit: Int(limit), unreadOnly: unread, scope: p.scope)))
            },
            APIEndpoint(
                .post, "/api/v1/store-notices/{id}/read", id: "readStoreNotice", tag: "stores", summary: "Marks a notice read",
                response: "StoreNotice"
            ) { _, context in
                let p = try context.requirePrincipal()
                guard let notice = try await storage.storeNotices.markRead(id: try context.id(), at: currentMillis(), scope: p.scope) else {
                    throw APIError.notFound
                }
                return try .json(notice)
            },
        ]
    }
}

/// A list of notices.
struct StoreNoticeList: Codable, Sendable {
    var items: [StoreNotice]
}
