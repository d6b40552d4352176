public import FullChainCore

/// A diversion or counterfeit alert with its evidence.
public struct ScanAlert: Sendable, Codable, Equatable {
    public var id: Int64
    public var kind: AlertKind
    public var reason: AlertReason
    /// What the alert is about: `case:{batch}:{case}`, `unit:{batch}:{serial}`, `device:{id}` or `ip:{address}`.
    public var subject: String
    public var batchID: Int64?
    public var caseNumber: Int?
    public var serial: Int?
    public var productID: Int64?
    public var distributorID: Int64?
    public var storeID: Int64?
    /// Where it was seen: the region (county) and position of the latest evidence.
    public var regionCode: String?
    public var latitude: Double?
    public var longitude: Double?
    /// Distinct devices among the evidence, and how many events it holds.
    public var devices: Int
    public var events: Int
    public var firstAt: Int64
    public var lastAt: Int64
    public var detail: String
}

/// Filters for the alert feed.
public struct AlertFilter: Sendable, Equatable {
    public var kind: AlertKind?
    public var reason: AlertReason?
    public var distributorID: Int64?
    /// Alerts whose latest evidence is at or after / before these times (milliseconds).
    public var since: Int64?
    public var until: Int64?

    public init(kind: AlertKind? = nil, reason: AlertReason? = nil, distributorID: Int64? = nil, since: Int64? = nil, until: Int64? = nil) {
        self.kind = kind
        self.reason = reason
        self.distributorID = distributorID
        self.since = since
        self.until = until
    }
}

/// An alert raised outside the scan batch: a diverted store receipt or a run of invalid codes.
public struct AlertRaise: Sendable {
    public var reason: AlertReason
    public var subject: String
    public var batchID: Int64?
    public var caseNumber: Int?
    public var distributorID: Int64?
    public var storeID: Int64?
    /// Who sees it: the org path of the distributor or store; nil for HQ only.
    public var orgPath: String?
    public var regionCode: String?
    public var location: GeoPoint?
    public var events: Int
    public var at: Int64
    public var detail: String

    public init(
        reason: AlertReason, subject: String, batchID: Int64? = nil, caseNumber: Int? = nil, distributorID: Int64? = nil, storeID: Int64? = nil,
        orgPath: String?, regionCode: String? = nil, location: GeoPoint? = nil, events: Int = 1, at: Int64, detail: String
    ) {
        self.reason = reason
        self.subject = subject
        self.batchID = batchID
        self.caseNumber = caseNumber
        self.distributorID = distributorID
        self.storeID = storeID
        self.orgPath = orgPath
        self.regionCode = regionCode
        self.location = location
        self.events = events
        self.at = at
        self.detail = detail
    }
}

/// The alert feed: raised by scans and receipts, read by managers within their org subtree
/// (alerts are the brand's own: distributor and store staff see none).
public protocol AlertRepository: Sendable {
    /// Opens an alert for its subject, or adds the events to the open one.
    func raise(_ alerts: [AlertRaise], tenantID: Int64) async throws(StorageError)
    func list(_ query: ListQuery, filter: AlertFilter, scope: AccessScope) async throws(StorageError) -> Page<ScanAlert>
    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> ScanAlert?
}

struct SQLAlertRepository: AlertRepository {
    let db: any SQLDatabase

    static let columns: SQLStatement = """
        a.id, a.kind, a.reason, a.subject, a.batch_id, a.case_number, a.serial, a.product_id, a.distributor_id, a.store_id,
        a.region_code, a.latitude, a.longitude, a.devices, a.events, a.first_at, a.last_at, a.detail
        """

    func raise(_ alerts: [AlertRaise], tenantID: Int64) async throws(StorageError) {
        guard !alerts.isEmpty else { return }
        let first = try await db.allocateIDs("scan_alerts", tenantID: tenantID, count: alerts.count)
        let greatest: SQLStatement = .dialect(sqlite: "max", postgres: "GREATEST")
        try await db.transaction(
            alerts.enumerated().map { offset, alert in
                SQLStep(
                    """
                    INSERT INTO scan_alerts (tenant_id, id, kind, reason, subject, batch_id, case_number, serial, product_id, distributor_id, store_id,
                                             org_path, region_code, latitude, longitude, devices, events, first_at, last_at, detail)
                    VALUES (\(tenantID), \(first + Int64(offset)), \(alert.reason.kind.rawValue), \(alert.reason.rawValue), \(alert.subject), \(alert.batchID),
                            \(alert.caseNumber.map(Int64.init)), NULL, NULL, \(alert.distributorID), \(alert.storeID), \(alert.orgPath), \(alert.regionCode),
                            \(alert.location?.latitude), \(alert.location?.longitude), 1, \(Int64(alert.events)), \(alert.at), \(alert.at), \(alert.detail))
                    ON CONFLICT (tenant_id, kind, subject) DO UPDATE SET
                        events = scan_alerts.events + excluded.events, last_at = \(greatest)(scan_alerts.last_at, excluded.last_at), detail = excluded.detail
                    """)
            })
    }

    func list(_ query: ListQuery, filter: AlertFilter, scope: AccessScope) async throws(StorageError) -> Page<ScanAlert> {
        var conditions: [SQLStatement] = [ScopeSQL.alerts(scope)]
        if let kind = filter.kind { conditions.append("a.kind = \(kind.rawValue)") }
        if let reason = filter.reason { conditions.append("a.reason = \(reason.rawValue)") }
        if let distributor = filter.distributorID { conditions.append("a.distributor_id = \(distributor)") }
        if let since = filter.since { conditions.append("a.last_at >= \(since)") }
        if let until = filter.until { conditions.append("a.last_at < \(until)") }
        if let search = query.search { conditions.append("a.subject" + ScopeSQL.like + "\(ScopeSQL.containsPattern(search)) ESCAPE '\\'") }
        let predicate = SQLStatement.join(conditions, separator: " AND ")
        let total = try await db.read("SELECT count(*) AS n FROM scan_alerts a WHERE \(predicate)").first?.optionalInt("n") ?? 0
        let rows = try await db.read(
            """
            SELECT \(Self.columns) FROM scan_alerts a WHERE \(predicate)
            ORDER BY a.last_at DESC, a.id DESC LIMIT \(query.limit) OFFSET \(query.offset)
            """)
        var items: [ScanAlert] = []
        for row in rows { items.append(try Self.decode(row)) }
        return Page(items: items, total: Int(total), limit: query.limit, offset: query.offset)
    }

    func get(id: Int64, scope: AccessScope) async throws(StorageError) -> ScanAlert? {
        try await db.read("SELECT \(Self.columns) FROM scan_alerts a WHERE \(ScopeSQL.alerts(scope)) AND a.id = \(id)").first.map {
            row throws(StorageError) in try Self.decode(row)
        }
    }

    static func decode(_ row: SQLRow) throws(StorageError) -> ScanAlert {
        guard let kind = AlertKind(rawValue: try row.string("kind")), let reason = AlertReason(rawValue: try row.string("reason")) else {
            throw .corruptRow("scan_alerts")
        }
        return ScanAlert(
            id: try row.int("id"), kind: kind, reason: reason, subject: try row.string("subject"), batchID: row.optionalInt("batch_id"),
            caseNumber: row.optionalInt("case_number").map(Int.init), serial: row.optionalInt("serial").map(Int.init),
            productID: row.optionalInt("product_id"), distributorID: row.optionalInt("distributor_id"), storeID: row.optionalInt("store_id"),
            regionCode: row.optionalString("region_code"), latitude: row.double("latitude"), longitude: row.double("longitude"),
            devices: Int(try row.int("devices")), events: Int(try row.int("events")), firstAt: try row.int("first_at"),
            lastAt: try row.int("last_at"), detail: try row.string("detail"))
    }
}
