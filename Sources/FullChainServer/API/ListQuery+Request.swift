import FullChainStorage
import HTTPTypes
import Hummingbird

extension ListQuery {
    /// Paging and search from `?limit=&offset=&q=`.
    init(_ request: Request) throws(APIError) {
        let limit = try request.intQuery("limit") ?? 50
        let offset = try request.intQuery("offset") ?? 0
        guard (1...500).contains(limit) else { throw .badRequest("invalid_query", "limit must be 1 to 500") }
        guard offset >= 0 && offset <= 10_000_000 else { throw .badRequest("invalid_query", "offset must be 0 or more") }
        self.init(limit: Int(limit), offset: Int(offset), search: request.query("q"))
    }
}
