public import FullChainCore

/// One logistics or scan event as the EPCIS export reads it.
public enum LoggedEvent: Sendable, Equatable {
    case shipped(CaseRef, distributorID: Int64, at: Int64)
    case transferred(CaseTransfer)
    case received(CaseReceipt)
    case repacked(UnitRepack)
    case scanned(batchID: Int64, serial: Int, scanNumber: Int, at: Int64, location: GeoPoint?, storeID: Int64?, status: CodeStatus)

    public var at: Int64 {
        switch self {
        case .shipped(_, _, let at): at
        case .transferred(let transfer): transfer.transferredAt
        case .received(let receipt): receipt.receivedAt
        case .repacked(let repack): repack.repackedAt
        case .scanned(_, _, _, let at, _, _, _): at
        }
    }
}

/// The brand's event history in a time window, for exports (HQ only: the whole tenant).
public protocol EventLogRepository: Sendable {
    /// Shipments, deliveries, receipts, re-packings and scans with `from <= time < to`, oldest first, at most `limit` of each.
    func events(from: Int64, to: Int64, limit: Int, tenantID: Int64) async throws(StorageError) -> [LoggedEvent]
}

struct SQLEventLogRepository: EventLogRepository {
    let db: any SQLDatabase

    func events(from: Int64, to: Int64, limit: Int, tenantID: Int64) async throws(StorageError) -> [LoggedEvent] {
        let n = Int64(limit)
        var events: [LoggedEvent] = []
        for row in try await db.read(
            """
            SELECT batch_id, case_number, distributor_id, shipped_at FROM case_shipments
            WHERE tenant_id = \(tenantID) AND shipped_at >= \(from) AND shipped_at < \(to) ORDER BY shipped_at, batch_id, case_number LIMIT \(n)
            """)
        {
            events.append(
                .shipped(
                    CaseRef(batchID: try row.int("batch_id"), caseNumber: Int(try row.int("case_number"))),
                    distributorID: try row.int("distributor_id"), at: try row.int("shipped_at")))
        }
        for row in try await db.read(
            """
            \(SQLLogisticsRepository.selectReceipts)
            WHERE tenant_id = \(tenantID) AND received_at >= \(from) AND received_at < \(to) ORDER BY received_at, batch_id, case_number LIMIT \(n)
            """)
        {
            events.append(.received(try SQLLogisticsRepository.decodeReceipt(row)))
        }
        for row in try await db.read(
            """
            SELECT batch_id, case_number, distributor_id, store_id, transferred_at FROM case_transfers
            WHERE tenant_id = \(tenantID) AND transferred_at >= \(from) AND transferred_at < \(to) ORDER BY transferred_at, batch_id, case_number LIMIT \(n)
            """)
        {
            events.append(.transferred(try SQLLogisticsRepository.decodeTransfer(row)))
        }
        for row in try await db.read(
            """
            SELECT batch_id, serial, from_case, to_case, repacked_at FROM unit_repacks
            WHERE tenant_id = \(tenantID) AND repacked_at >= \(from) AND repacked_at < \(to) ORDER BY repacked_at, id LIMIT \(n)
            """)
        {
            events.append(
                .repacked(
                    UnitRepack(
                        batchID: try row.int("batch_id"), serial: Int(try row.int("serial")), fromCase: Int(try row.int("from_case")),
                        toCase: Int(try row.int("to_case")), repackedAt: try row.int("repacked_at"))))
        }
        for row in try await db.read(
            """
            SELECT batch_id, serial, scan_number, scanned_at, latitude, longitude, store_id, status FROM scan_events
            WHERE tenant_id = \(tenantID) AND scanned_at >= \(from) AND scanned_at < \(to) ORDER BY scanned_at, batch_id, serial, scan_number LIMIT \(n)
            """)
        {
            let location = row.geoPoint()
            guard let status = CodeStatus(rawValue: try row.string("status")) else { throw .corruptRow("scan_events") }
            events.append(
                .scanned(
                    batchID: try row.int("batch_id"), serial: Int(try row.int("serial")), scanNumber: Int(try row.int("scan_number")),
                    at: try row.int("scanned_at"), location: location, storeID: row.optionalInt("store_id"), status: status))
        }
        return events.sorted { $0.at < $1.at }
    }
}
