import Foundation
public import FullChainCore

/// A photo taken on a visit.
public struct VisitPhoto: Sendable, Equatable {
    public var contentType: String
    public var bytes: [UInt8]

    public init(contentType: String, bytes: [UInt8]) {
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// Salespeople's store visits, with their stock counts and photos, within the caller's scope.
public protocol VisitRepository: Sendable {
    /// Records a visit with its counts in one transaction (and marks its task visited); the store must be within reach.
    func recordVisit(_ visit: StoreVisit, province: String, scope: AccessScope) async throws(StorageError) -> StoreVisit
    func visit(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreVisit?
    func addPhoto(visitID: Int64, contentType: String, bytes: [UInt8], maxPhotos: Int, scope: AccessScope) async throws(StorageError) -> Int
    func photo(visitID: Int64, number: Int, scope: AccessScope) async throws(StorageError) -> VisitPhoto?
}

struct SQLVisitRepository: VisitRepository {
    let db: any SQLDatabase

    func recordVisit(_ visit: StoreVisit, province: String, scope: AccessScope) async throws(StorageError) -> StoreVisit {
        let tenantID = scope.tenantID
        let v = visit
        let visitID = try await db.allocateIDs("store_visits", tenantID: tenantID)
        let products = SQLStatement.join(v.counts.map { "\($0.productID)" }, separator: ", ")
        // Phase 1 checks the store (and the task) are within reach; phase 2 reads each counted SKU's last count
        // and the store's totals so far (the new count's snapshot); phase 3 writes.
        let counted = v.counts.isEmpty ? SQLStatement("-1") : products
        try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            if done.phase == 0 {
                var steps = [
                    SQLStep(
                        "SELECT s.org_path FROM stores s WHERE \(ScopeSQL.stores(scope)) AND s.id = \(v.storeID)", requireRow: .notFound,
                        name: "store")
                ]
                if let alertID = v.alertID {
                    steps.append(
                        SQLStep(
                            """
                            SELECT a.id FROM store_alerts a WHERE \(ScopeSQL.alerts(scope)) AND a.id = \(alertID) AND a.store_id = \(v.storeID)
                            """, requireRow: .missingReference("alertID")))
                }
                return steps
            }
            if done.phase == 1 {
                return [
                    SQLStep(
                        """
                        SELECT product_id, counted_units, scanned_through, received_through FROM store_stock_positions
                        WHERE tenant_id = \(tenantID) AND store_id = \(v.storeID) AND product_id IN (\(counted))
                        """, name: "lastCounts"),
                    SQLStep(
                        """
                        SELECT product_id, CAST(sum(units_sold) AS BIGINT) AS units FROM store_day_scans
                        WHERE tenant_id = \(tenantID) AND store_id = \(v.storeID) AND product_id IN (\(counted)) GROUP BY product_id
                        """, name: "scanned"),
                    SQLStep(
                        """
                        SELECT product_id, CAST(sum(units) AS BIGINT) AS units FROM store_day_receipts
                        WHERE tenant_id = \(tenantID) AND store_id = \(v.storeID) AND product_id IN (\(counted)) GROUP BY product_id
                        """, name: "received"),
                ]
            }
            guard done.phase == 2 else { return [] }
            let orgPath = try done["store"].first?.string("org_path") ?? ""
            var previous: [Int64: (units: Int64, scanned: Int64, received: Int64)] = [:]
            for row in done["lastCounts"] {
                previous[try row.int("product_id")] = (try row.int("counted_units"), try row.int("scanned_through"), try row.int("received_through"))
            }
            func sums(_ rows: [SQLRow]) throws(StorageError) -> [Int64: Int64] {
                var out: [Int64: Int64] = [:]
                for row in rows { out[try row.int("product_id")] = row.optionalInt("units") ?? 0 }
                return out
            }
            let scanned = try sums(done["scanned"]), received = try sums(done["received"])
            var steps = [
                SQLStep(
                    """
                    INSERT INTO store_visits (tenant_id, id, store_id, user_id, org_path, alert_id, checked_in_at, day, latitude, longitude, distance_m, notes, photos)
                    VALUES (\(tenantID), \(visitID), \(v.storeID), \(v.userID), \(orgPath), \(v.alertID), \(v.checkedInAt), \(v.day), \(v.latitude), \(v.longitude),
                            \(v.distanceMeters), \(v.notes), 0)
                    """)
            ]
            for count in v.counts {
                let nowScanned = scanned[count.productID] ?? 0, nowReceived = received[count.productID] ?? 0
                // Between the previous count and this one: sold = before + received − now; scanned over the same span.
                let interval = previous[count.productID].map { p in
                    (sold: p.units + (nowReceived - p.received) - Int64(count.units), scanned: nowScanned - p.scanned)
                }
                steps.append(
                    SQLStep(
                        """
                        INSERT INTO visit_stock_counts (tenant_id, visit_id, product_id, store_id, day, units, facings, interval_sold, interval_scanned, province)
                        VALUES (\(tenantID), \(visitID), \(count.productID), \(v.storeID), \(v.day), \(Int64(count.units)), \(count.facings.map(Int64.init)),
                                \(interval?.sold), \(interval?.scanned), \(province))
                        """))
                steps.append(
                    SQLStep(
                        """
                        INSERT INTO store_stock_positions (tenant_id, store_id, product_id, counted_units, counted_day, counted_at, scanned_through, received_through)
                        VALUES (\(tenantID), \(v.storeID), \(count.productID), \(Int64(count.units)), \(v.day), \(v.checkedInAt), \(nowScanned), \(nowReceived))
                        ON CONFLICT (tenant_id, store_id, product_id) DO UPDATE SET
                            counted_units = excluded.counted_units, counted_day = excluded.counted_day, counted_at = excluded.counted_at,
                            scanned_through = excluded.scanned_through, received_through = excluded.received_through
                        """))
            }
            if let alertID = v.alertID {
                steps.append(
                    SQLStep(
                        """
                        UPDATE store_alerts SET status = CASE WHEN status = 'open' THEN 'visited' ELSE status END,
                               first_visit_at = COALESCE(first_visit_at, \(v.checkedInAt))
                        WHERE tenant_id = \(tenantID) AND id = \(alertID)
                        """))
            }
            return steps
        })
        var saved = v
        saved.id = visitID
        return saved
    }

    func visit(id: Int64, scope: AccessScope) async throws(StorageError) -> StoreVisit? {
        try await visits("v.id = \(id)", scope: scope, limit: 1).first
    }

    func visits(_ condition: SQLStatement, scope: AccessScope, limit: Int) async throws(StorageError) -> [StoreVisit] {
        let rows = try await db.read(
            """
            SELECT v.id, v.store_id, v.user_id, v.alert_id, v.checked_in_at, v.day, v.latitude, v.longitude, v.distance_m, v.notes, v.photos
            FROM store_visits v JOIN stores s ON s.tenant_id = v.tenant_id AND s.id = v.store_id
            WHERE \(ScopeSQL.stores(scope)) AND \(condition) ORDER BY v.checked_in_at DESC, v.id DESC LIMIT \(limit)
            """)
        var visits: [StoreVisit] = []
        for row in rows {
            visits.append(
                StoreVisit(
                    id: try row.int("id"), storeID: try row.int("store_id"), userID: try row.int("user_id"), alertID: row.optionalInt("alert_id"),
                    checkedInAt: try row.int("checked_in_at"), day: try row.int("day"), latitude: row.double("latitude") ?? 0,
                    longitude: row.double("longitude") ?? 0, distanceMeters: row.double("distance_m") ?? 0, notes: try row.string("notes"),
                    photos: Int(try row.int("photos")), counts: []))
        }
        guard !visits.isEmpty else { return [] }
        let ids = SQLStatement.join(visits.map { "\($0.id)" }, separator: ", ")
        var counts: [Int64: [VisitCount]] = [:]
        for row in try await db.read(
            """
            SELECT visit_id, product_id, units, facings FROM visit_stock_counts WHERE tenant_id = \(scope.tenantID) AND visit_id IN (\(ids)) ORDER BY product_id
            """)
        {
            counts[try row.int("visit_id"), default: []].append(
                VisitCount(
                    productID: try row.int("product_id"), units: Int(try row.int("units")),
                    facings: row.optionalInt("facings").map(Int.init)))
        }
        return visits.map { visit in
            var copy = visit
            copy.counts = counts[visit.id] ?? []
            return copy
        }
    }

    func addPhoto(visitID: Int64, contentType: String, bytes: [UInt8], maxPhotos: Int, scope: AccessScope) async throws(StorageError) -> Int {
        let rows = try await db.transaction([
            SQLStep(
                """
                UPDATE store_visits SET photos = photos + 1
                WHERE tenant_id = \(scope.tenantID) AND id = \(visitID) AND photos < \(Int64(maxPhotos))
                  AND EXISTS (SELECT 1 FROM stores s WHERE \(ScopeSQL.stores(scope)) AND s.id = store_visits.store_id)
                RETURNING photos
                """, requireRow: .floorReached("photos")),
            SQLStep(
                """
                INSERT INTO visit_photos (tenant_id, visit_id, number, content_type, size, data)
                SELECT \(scope.tenantID), \(visitID), photos, \(contentType), \(Int64(bytes.count)), \(bytes) FROM store_visits
                WHERE tenant_id = \(scope.tenantID) AND id = \(visitID)
                RETURNING number
                """),
        ])
        guard let number = rows.last?.first?.optionalInt("number") else { throw .corruptRow("visit_photos") }
        return Int(number)
    }

    func photo(visitID: Int64, number: Int, scope: AccessScope) async throws(StorageError) -> VisitPhoto? {
        guard
            let row = try await db.read(
                """
                SELECT p.content_type, p.data FROM visit_photos p
                JOIN store_visits v ON v.tenant_id = p.tenant_id AND v.id = p.visit_id
                JOIN stores s ON s.tenant_id = v.tenant_id AND s.id = v.store_id
                WHERE \(ScopeSQL.stores(scope)) AND p.visit_id = \(visitID) AND p.number = \(Int64(number))
                """
            ).first
        else { return nil }
        return VisitPhoto(contentType: try row.string("content_type"), bytes: try row.bytes("data"))
    }
}
