public import FullChainCore
public import FullChainStorage

extension AppStorage {
    /// Every product of the brand, page by page.
    public func allProducts(tenantID: Int64) async throws -> [Product] {
        var products: [Product] = []
        while true {
            let page = try await self.products.list(ListQuery(limit: 500, offset: products.count), category: nil, tenantID: tenantID)
            products += page.items
            if page.items.isEmpty || products.count >= page.total { return products }
        }
    }
}
