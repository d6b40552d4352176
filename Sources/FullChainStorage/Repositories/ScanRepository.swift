public import FullChainCore

/// One consumer scan to record.
public struct ScanRecord: Sendable {
    public var batchID: Int64
    public var serial: Int
    public var scannedAt: Int64
    public var location: GeoPoint?
    public var deviceID: String?
    public var ip: String?
    public var consumer: String?
    /// The store that received the unit's case, if any.
    public var storeID: Int64?
    public var status: CodeStatus

    public init(batchID: Int64, serial: Int, scannedAt: Int64, location: GeoPoint?, deviceID: String?, ip: String?, consumer: String?,
                storeID: Int64?, status: CodeStatus) {
        self.batchID = batchID
        self.serial = serial
        self.scannedAt = scannedAt
        self.location = location
        self.deviceID = deviceID
        self.ip = ip
        self.consumer = consumer
        self.storeID = storeID
        self.status = status
    }
}

/// Consumer scans: the per-code count is bumped and the scan stored in one transaction, so
/// concurrent scans of one code get distinct numbers and exactly one of them is the first.
public protocol ScanRepository: Sendable {
    func record(_ scan: ScanRecord, tenantID: Int64) async throws(StorageError) -> ScanTally
}

struct SQLScanRepository: ScanRepository {
    let db: any SQLDatabase

    func record(_ scan: ScanRecord, tenantID: Int64) async throws(StorageError) -> ScanTally {
        let serial = Int64(scan.serial)
        let results = try await db.transaction([
            SQLStep("""
                INSERT INTO code_scan_counts (tenant_id, batch_id, serial, scans, first_at, first_latitude, first_longitude)
                VALUES (\(tenantID), \(scan.batchID), \(serial), 1, \(scan.scannedAt), \(scan.location?.latitude), \(scan.location?.longitude))
                ON CONFLICT (tenant_id, batch_id, serial) DO UPDATE SET scans = code_scan_counts.scans + 1
                RETURNING scans, first_at, first_latitude, first_longitude
                """, requireRow: .corruptRow("code_scan_counts")),
            SQLStep("""
                INSERT INTO scan_events (tenant_id, batch_id, serial, scan_number, scanned_at, latitude, longitude, device_id, ip, consumer, store_id, status)
                SELECT c.tenant_id, c.batch_id, c.serial, c.scans, \(scan.scannedAt), \(scan.location?.latitude), \(scan.location?.longitude),
                    \(scan.deviceID), \(scan.ip), \(scan.consumer), \(scan.storeID), \(scan.status.rawValue)
                FROM code_scan_counts c WHERE c.tenant_id = \(tenantID) AND c.batch_id = \(scan.batchID) AND c.serial = \(serial)
                """),
        ])
        guard let row = results.first?.first else { throw .corruptRow("code_scan_counts") }
        return ScanTally(scanNumber: Int(try row.int("scans")), firstScannedAt: try row.int("first_at"),
                         firstLatitude: row.double("first_latitude"), firstLongitude: row.double("first_longitude"))
    }
}
