import Foundation
public import FullChainCore

/// Filters of the store alert feed.
public struct StoreAlertFilter: Sendable, Equatable {
    public var kind: StoreAnomalyKind?
    public var status: TaskStatus?
    /// Open and visited tasks (not resolved), when true.
    public var unresolved: Bool
    public var outcome: ConversionOutcome?
    public var storeID: Int64?
    public var salespersonNodeID: Int64?
    /// Raised on or after this business day.
    public var sinceDay: Int64?

    public init(
        kind: StoreAnomalyKind? = nil, status: TaskStatus? = nil, unresolved: Bool = false, outcome: ConversionOutcome? = nil, storeID: Int64? = nil,
        salespersonNodeID: Int64? = nil, sinceDay: Int64? = nil
    ) {
        self.kind = kind
        self.status = status
        self.unresolved = unresolved
        self.outcome = outcome
        self.storeID = storeID
        self.salespersonNodeID = salespersonNodeID
        self.sinceDay = sinceDay
    }
}

/// The abnormal-store alerts, each a task for the store's salesperson: listed and read within the
/// caller's scope (filtered in SQL), and resolved with a reason.
public protocol StoreTaskRepository: Sendable {
    func alerts(_ query: ListQuery, filter: StoreAlertFilter, scope: AccessScope) async throws(StorageError) -> Page<StoreAlert>
    func alert(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreAlert?
    /// Closes a task with a reason; nil when it is not within reach, `.duplicate` when it was resolved before.
    func resolve(
        alertID: Int64, reason: ResolutionReason, note: String?, userID: Int64, at: Int64, scope: AccessScope
    ) async throws(StorageError) -> StoreAlert?
}

struct SQLStoreTaskRepository: StoreTaskRepository {
    let db: any SQLDatabase

    static let alertColumns: SQLStatement = """
        a.id, a.store_id, s.code AS store_code, s.name AS store_name, a.kind, a.product_id, a.salesperson_node_id, a.raised_day, a.last_day, a.due_day,
        a.score, a.baseline, a.observed, a.peer_median, a.reason, a.status, a.created_at, a.first_visit_at, a.resolved_at, a.resolved_by,
        a.resolution, a.resolution_note, a.outcome, a.outcome_day, a.outcome_observed
        """

    static func decodeAlert(_ row: SQLRow) throws(StorageError) -> StoreAlert {
        guard let kind = StoreAnomalyKind(rawValue: try row.string("kind")), let status = TaskStatus(rawValue: try row.string("status")),
            let outcome = ConversionOutcome(rawValue: try row.string("outcome"))
        else { throw .corruptRow("store_alerts") }
        let product = try row.int("product_id")
        return StoreAlert(
            id: try row.int("id"), storeID: try row.int("store_id"), storeCode: row.optionalString("store_code"),
            storeName: row.optionalString("store_name"),
            kind: kind, productID: product == 0 ? nil : product, salespersonNodeID: row.optionalInt("salesperson_node_id"),
            raisedDay: try row.int("raised_day"), lastDay: try row.int("last_day"), dueDay: try row.int("due_day"), score: row.double("score") ?? 0,
            baseline: row.double("baseline") ?? 0, observed: row.double("observed") ?? 0, peerMedian: row.double("peer_median"),
            reason: try row.string("reason"),
            status: status, createdAt: try row.int("created_at"), firstVisitAt: row.optionalInt("first_visit_at"),
            resolvedAt: row.optionalInt("resolved_at"),
            resolvedBy: row.optionalInt("resolved_by"), resolution: row.optionalString("resolution").flatMap(ResolutionReason.init(rawValue:)),
            resolutionNote: row.optionalString("resolution_note"), outcome: outcome, outcomeDay: row.optionalInt("outcome_day"),
            outcomeObserved: row.double("outcome_observed"))
    }

    func alerts(_ query: ListQuery, filter: StoreAlertFilter, scope: AccessScope) async throws(StorageError) -> Page<StoreAlert> {
        var conditions: [SQLStatement] = [ScopeSQL.alerts(scope)]
        if let kind = filter.kind { conditions.append("a.kind = \(kind.rawValue)") }
        if let status = filter.status { conditions.append("a.status = \(status.rawValue)") }
        if filter.unresolved { conditions.append("a.status <> 'resolved'") }
        if let outcome = filter.outcome { conditions.append("a.outcome = \(outcome.rawValue) AND a.status = 'resolved'") }
        if let store = filter.storeID { conditions.append("a.store_id = \(store)") }
        if let node = filter.salespersonNodeID { conditions.append("a.salesperson_node_id = \(node)") }
        if let since = filter.sinceDay { conditions.append("a.raised_day >= \(since)") }
        let predicate = SQLStatement.join(conditions, separator: " AND ")
        let total = try await db.read("SELECT count(*) AS n FROM store_alerts a WHERE \(predicate)").first?.optionalInt("n") ?? 0
        // The page's ids first, from the feed index alone (a subtree's alerts sorted without reading their rows), then those rows.
        let ids = try await db.read(
            """
            SELECT a.id FROM store_alerts a WHERE \(predicate) ORDER BY a.raised_day DESC, a.id DESC LIMIT \(query.limit) OFFSET \(query.offset)
            """
        ).map { (row) throws(StorageError) in try row.int("id") }
        var items: [StoreAlert] = []
        if !ids.isEmpty {
            let rows = try await db.read(
                """
                SELECT \(Self.alertColumns) FROM store_alerts a JOIN stores s ON s.tenant_id = a.tenant_id AND s.id = a.store_id
                WHERE a.tenant_id = \(scope.tenantID) AND a.id IN (\(SQLStatement.join(ids.map { "\($0)" }, separator: ", ")))
                """)
            for row in rows { items.append(try Self.decodeAlert(row)) }
            items.sort { ($0.raisedDay, $0.id) > ($1.raisedDay, $1.id) }
        }
        return Page(items: items, total: Int(total), limit: query.limit, offset: query.offset)
    }

    func alert(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreAlert? {
        try await db.read(
            """
            SELECT \(Self.alertColumns) FROM store_alerts a JOIN stores s ON s.tenant_id = a.tenant_id AND s.id = a.store_id
            WHERE \(ScopeSQL.alerts(scope)) AND a.id = \(id)
            """
        ).first.map { (row) throws(StorageError) in try Self.decodeAlert(row) }
    }

    func resolve(
        alertID: Int64, reason: ResolutionReason, note: String?, userID: Int64, at: Int64, scope: AccessScope
    ) async throws(StorageError) -> StoreAlert? {
        let updated = try await db.execute(
            """
            UPDATE store_alerts SET status = 'resolved', open_key = NULL, resolved_at = \(at), resolved_by = \(userID), resolution = \(reason.rawValue),
                   resolution_note = \(note), outcome = 'pending'
            WHERE tenant_id = \(scope.tenantID) AND id = \(alertID) AND status <> 'resolved'
              AND EXISTS (SELECT 1 FROM store_alerts a WHERE \(ScopeSQL.alerts(scope)) AND a.id = \(alertID))
            RETURNING id
            """)
        guard let alert = try await alert(id: alertID, scope: scope) else { return nil }
        if updated.isEmpty { throw .duplicate("already_resolved") }
        return alert
    }
}
