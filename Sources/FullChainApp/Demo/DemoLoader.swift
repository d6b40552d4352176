public import FullChainCore
public import FullChainStorage

/// Writes a generated `DemoBrand` into storage as a new tenant, mapping the brand's codes to
/// the ids the database assigns.
public enum DemoLoader {
    /// A reference inside the brand that names nothing: the brand value was built inconsistently.
    public enum LoadError: Error, Sendable, Equatable {
        case unknownCode(kind: String, code: String)
    }

    /// Stores per `createMany` call (one transaction each).
    static let storeChunkSize = 5_000
    /// Distributors per `createMany` call.
    static let distributorChunkSize = 200

    /// Creates the tenant and everything in it: org nodes (parents first), distributors,
    /// stores, products and users (all users get the same password hash).
    /// Fails when the tenant code is taken; a failure part-way leaves what was written so far.
    @discardableResult
    public static func load(_ brand: DemoBrand, into storage: AppStorage, passwordHash: String) async throws -> Tenant {
        let tenant = try await storage.tenants.create(code: brand.tenantCode, name: brand.name, timeZone: "Asia/Shanghai")
        let scope = AccessScope.wholeTenant(tenant.id)

        // Org nodes, level by level so every parent exists before its children.
        var nodeIDs: [String: Int64] = [:]
        for level in OrgLevel.allCases {
            for node in brand.nodes where node.level == level {
                var parentID: Int64?
                if let parentCode = node.parentCode {
                    parentID = try id(of: parentCode, in: nodeIDs, kind: "org node")
                }
                let created = try await storage.org.create(parentID: parentID, code: node.code, name: node.name, scope: scope)
                nodeIDs[node.code] = created.id
            }
        }

        // Distributors, then their ids by code.
        var distributorDrafts: [DistributorDraft] = []
        distributorDrafts.reserveCapacity(brand.distributors.count)
        for distributor in brand.distributors {
            distributorDrafts.append(distributor.draft(orgNodeID: try id(of: distributor.orgNodeCode, in: nodeIDs, kind: "org node")))
        }
        for chunk in chunks(distributorDrafts, size: distributorChunkSize) {
            _ = try await storage.distributors.createMany(chunk, scope: scope)
        }
        let distributorIDs = try await distributorIDsByCode(storage: storage, scope: scope, expected: brand.distributors.count)

        // Stores, in big batches; a store that has a user is created on its own to learn its id.
        let userStoreCodes = Set(brand.users.compactMap(\.storeCode))
        var storeIDs: [String: Int64] = [:]
        var storeDrafts: [StoreDraft] = []
        storeDrafts.reserveCapacity(min(brand.stores.count, storeChunkSize))
        for store in brand.stores {
            let draft = store.draft(
                distributorID: try id(of: store.distributorCode, in: distributorIDs, kind: "distributor"),
                salespersonNodeID: try id(of: store.salespersonNodeCode, in: nodeIDs, kind: "org node"))
            if userStoreCodes.contains(store.code) {
                // Keep ids in brand order: write what is pending first.
                if !storeDrafts.isEmpty {
                    _ = try await storage.stores.createMany(storeDrafts, scope: scope)
                    storeDrafts.removeAll(keepingCapacity: true)
                }
                storeIDs[store.code] = try await storage.stores.create(draft, scope: scope).id
                continue
            }
            storeDrafts.append(draft)
            if storeDrafts.count == storeChunkSize {
                _ = try await storage.stores.createMany(storeDrafts, scope: scope)
                storeDrafts.removeAll(keepingCapacity: true)
            }
        }
        if !storeDrafts.isEmpty {
            _ = try await storage.stores.createMany(storeDrafts, scope: scope)
        }

        _ = try await storage.products.createMany(brand.products, tenantID: tenant.id)

        // Users, each attached to what their role needs.
        for user in brand.users {
            var orgNodeID: Int64?
            var distributorID: Int64?
            var storeID: Int64?
            if let code = user.orgNodeCode { orgNodeID = try id(of: code, in: nodeIDs, kind: "org node") }
            if let code = user.distributorCode { distributorID = try id(of: code, in: distributorIDs, kind: "distributor") }
            if let code = user.storeCode { storeID = try id(of: code, in: storeIDs, kind: "store") }
            _ = try await storage.users.create(
                user.draft(orgNodeID: orgNodeID, distributorID: distributorID, storeID: storeID),
                passwordHash: passwordHash, scope: scope)
        }
        try await storage.refreshStatistics()
        return tenant
    }

    private static func id(of code: String, in ids: [String: Int64], kind: String) throws(LoadError) -> Int64 {
        guard let id = ids[code] else { throw .unknownCode(kind: kind, code: code) }
        return id
    }

    private static func chunks<T>(_ items: [T], size: Int) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }

    /// Every distributor of the (new) tenant by code, read back page by page.
    private static func distributorIDsByCode(storage: AppStorage, scope: AccessScope, expected: Int) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        ids.reserveCapacity(expected)
        var offset = 0
        while true {
            let page = try await storage.distributors.list(ListQuery(limit: 500, offset: offset), status: nil, scope: scope)
            for distributor in page.items { ids[distributor.code] = distributor.id }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
        return ids
    }
}
