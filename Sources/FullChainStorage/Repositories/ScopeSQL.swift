import FullChainCore

/// Turns an `AccessScope` into SQL predicates, one per aggregate. Every repository query
/// includes one of these, so scoping holds in the data layer, not only in handlers.
enum ScopeSQL {
    /// `[lower, upper)` bounds that select every path starting with `prefix` (index friendly).
    static func pathRange(_ prefix: String) -> (String, String) {
        var upper = Array(prefix.utf8)
        if let last = upper.popLast() { upper.append(last + 1) }
        return (prefix, String(decoding: upper, as: UTF8.self))
    }

    /// Stores, aliased `s`.
    static func stores(_ scope: AccessScope) -> SQLStatement {
        switch scope.reach {
        case .wholeTenant:
            return "s.tenant_id = \(scope.tenantID)"
        case .orgSubtree(let path):
            let (low, high) = pathRange(path)
            return "s.tenant_id = \(scope.tenantID) AND s.org_path >= \(low) AND s.org_path < \(high)"
        case .distributor(let id):
            return "s.tenant_id = \(scope.tenantID) AND s.distributor_id = \(id)"
        case .store(let id):
            return "s.tenant_id = \(scope.tenantID) AND s.id = \(id)"
        }
    }

    /// Distributors, aliased `d`: a subtree sees those it manages and those supplying its stores.
    static func distributors(_ scope: AccessScope) -> SQLStatement {
        switch scope.reach {
        case .wholeTenant:
            return "d.tenant_id = \(scope.tenantID)"
        case .orgSubtree(let path):
            let (low, high) = pathRange(path)
            return """
                d.tenant_id = \(scope.tenantID) AND ((d.org_path >= \(low) AND d.org_path < \(high))
                OR EXISTS (SELECT 1 FROM stores s2 WHERE s2.tenant_id = d.tenant_id AND s2.distributor_id = d.id
                           AND s2.org_path >= \(low) AND s2.org_path < \(high)))
                """
        case .distributor(let id):
            return "d.tenant_id = \(scope.tenantID) AND d.id = \(id)"
        case .store(let id):
            return
                "d.tenant_id = \(scope.tenantID) AND d.id = (SELECT s2.distributor_id FROM stores s2 WHERE s2.tenant_id = \(scope.tenantID) AND s2.id = \(id))"
        }
    }

    /// Distributors a caller may change, aliased `d`: a subtree changes only those it manages
    /// (seeing one because it supplies the subtree's stores gives no right to edit it).
    static func managedDistributors(_ scope: AccessScope) -> SQLStatement {
        switch scope.reach {
        case .orgSubtree(let path):
            let (low, high) = pathRange(path)
            return "d.tenant_id = \(scope.tenantID) AND d.org_path >= \(low) AND d.org_path < \(high)"
        case .wholeTenant, .distributor, .store:
            return distributors(scope)
        }
    }

    /// Org nodes, aliased `o`: only the org's own people see the org tree.
    static func orgNodes(_ scope: AccessScope) -> SQLStatement {
        switch scope.reach {
        case .wholeTenant:
            return "o.tenant_id = \(scope.tenantID)"
        case .orgSubtree(let path):
            let (low, high) = pathRange(path)
            return "o.tenant_id = \(scope.tenantID) AND o.path >= \(low) AND o.path < \(high)"
        case .distributor, .store:
            return "o.tenant_id = \(scope.tenantID) AND 1 = 0"
        }
    }

    /// Users, aliased `u`.
    static func users(_ scope: AccessScope) -> SQLStatement {
        switch scope.reach {
        case .wholeTenant:
            return "u.tenant_id = \(scope.tenantID)"
        case .orgSubtree(let path):
            let (low, high) = pathRange(path)
            return "u.tenant_id = \(scope.tenantID) AND u.org_path >= \(low) AND u.org_path < \(high)"
        case .distributor(let id):
            return "u.tenant_id = \(scope.tenantID) AND u.distributor_id = \(id)"
        case .store(let id):
            return "u.tenant_id = \(scope.tenantID) AND u.store_id = \(id)"
        }
    }

    /// Import runs, aliased `r`: distributor and store staff do not import.
    static func importRuns(_ scope: AccessScope) -> SQLStatement {
        byOrgPath(scope, tenant: "r.tenant_id", orgPath: "r.org_path")
    }

    /// Alerts, aliased `a`: by org path for managers; none for distributor and store staff.
    static func alerts(_ scope: AccessScope) -> SQLStatement {
        byOrgPath(scope, tenant: "a.tenant_id", orgPath: "a.org_path")
    }

    /// Rows that carry the org path they belong to: the tenant's for HQ, the subtree's for
    /// managers, none for distributor and store staff.
    static func byOrgPath(_ scope: AccessScope, tenant: SQLStatement, orgPath: SQLStatement) -> SQLStatement {
        switch scope.reach {
        case .wholeTenant:
            return "\(tenant) = \(scope.tenantID)"
        case .orgSubtree(let path):
            let (low, high) = pathRange(path)
            return "\(tenant) = \(scope.tenantID) AND \(orgPath) >= \(low) AND \(orgPath) < \(high)"
        case .distributor, .store:
            return "\(tenant) = \(scope.tenantID) AND 1 = 0"
        }
    }

    /// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` escaped (use with `ESCAPE '\'`).
    static func containsPattern(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    /// Case-insensitive `LIKE` in both dialects.
    static let like: SQLStatement = .dialect(sqlite: " LIKE ", postgres: " ILIKE ")
}

/// One page of a list, with the total that matches.
public struct Page<Item: Sendable & Codable>: Sendable, Codable {
    public var items: [Item]
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(items: [Item], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}

/// Paging and free-text search common to every list.
public struct ListQuery: Sendable, Equatable {
    public var limit: Int
    public var offset: Int
    public var search: String?

    public init(limit: Int = 50, offset: Int = 0, search: String? = nil) {
        self.limit = min(max(limit, 1), 500)
        self.offset = max(offset, 0)
        let trimmed = search?.trimmingWhitespace() ?? ""
        self.search = trimmed.isEmpty ? nil : String(trimmed.prefix(100))
    }
}
