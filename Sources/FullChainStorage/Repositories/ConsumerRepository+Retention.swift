import FullChainCore

/// A consumer as an early scan event or a store's customer list named them in clear.
public struct ClearConsumer: Sendable, Equatable {
    /// The scan event (batch, serial, scan number, when), or nil for a store's customer.
    public var scan: (batchID: Int64, serial: Int64, number: Int64, at: Int64)?
    public var storeID: Int64?
    public var consumer: String

    public static func == (left: ClearConsumer, right: ClearConsumer) -> Bool {
        left.scan?.batchID == right.scan?.batchID && left.scan?.serial == right.scan?.serial && left.scan?.number == right.scan?.number
            && left.storeID == right.storeID && left.consumer == right.consumer
    }
}

extension SQLConsumerRepository {
    /// Clear-text subjects as scan events and store customer lists hold them before pseudonyms.
    static let clearSubject: SQLStatement = "(consumer LIKE 'openid:%' OR consumer LIKE 'phone:%')"

    /// How far before the last run's end a run starts again.
    static let coarseningLookBack: Int64 = 7 * 86_400_000

    func coarsenPositions(before: Int64, decimals: Int, tenantID: Int64) async throws(StorageError) -> Int {
        let places = Int64(max(0, min(decimals, 6)))
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                return [
                    SQLStep(
                        """
                        INSERT INTO consumer_retention (tenant_id) VALUES (\(tenantID)) ON CONFLICT (tenant_id) DO NOTHING
                        """),
                    SQLStep("SELECT coarsened_until FROM consumer_retention WHERE tenant_id = \(tenantID)", name: "from"),
                ]
            case 1:
                // A week back from where the last run stopped: scans that arrived late (a phone's queue, a
                // row written by another node meanwhile) are rounded too; rounded ones are left as they are.
                let from = max(0, (done["from"].first?.optionalInt("coarsened_until") ?? 0) - Self.coarseningLookBack)
                guard before > from else { return [] }
                // PostgreSQL rounds NUMERIC to an INTEGER count of places.
                let lat: SQLStatement = .dialect(
                    sqlite: "ROUND(latitude, \(places))", postgres: "ROUND(CAST(latitude AS NUMERIC), CAST(\(places) AS INTEGER))")
                let lon: SQLStatement = .dialect(
                    sqlite: "ROUND(longitude, \(places))", postgres: "ROUND(CAST(longitude AS NUMERIC), CAST(\(places) AS INTEGER))")
                return [
                    SQLStep(
                        "UPDATE scan_events SET latitude = " + lat + ", longitude = " + lon
                            + " WHERE tenant_id = \(tenantID) AND scanned_at >= \(from) AND scanned_at < \(before) AND latitude IS NOT NULL AND (latitude <> "
                            + lat + " OR longitude <> " + lon + ") RETURNING serial",
                        name: "rows"),
                    SQLStep(
                        "UPDATE consumer_retention SET coarsened_until = \(before) WHERE tenant_id = \(tenantID) AND coarsened_until < \(before)"),
                ]
            default:
                return []
            }
        })
        return done["rows"].count
    }

    func clearConsumers(limit: Int, tenantID: Int64) async throws(StorageError) -> [ClearConsumer] {
        let n = Int64(max(1, min(limit, 5_000)))
        let through =
            try await db.read("SELECT pseudonymized_through FROM consumer_retention WHERE tenant_id = \(tenantID)").first?.optionalInt(
                "pseudonymized_through") ?? 0
        var found: [ClearConsumer] = []
        // In time order from where the last run stopped (rewritten rows no longer match).
        for row in try await db.read(
            "SELECT batch_id, serial, scan_number, scanned_at, consumer FROM scan_events WHERE tenant_id = \(tenantID) AND scanned_at >= \(through) AND "
                + Self.clearSubject + " ORDER BY scanned_at LIMIT \(n)")
        {
            found.append(
                ClearConsumer(
                    scan: (try row.int("batch_id"), try row.int("serial"), try row.int("scan_number"), try row.int("scanned_at")), storeID: nil,
                    consumer: try row.string("consumer")))
        }
        for row in try await db.read(
            "SELECT store_id, consumer FROM store_consumers WHERE tenant_id = \(tenantID) AND " + Self.clearSubject + " LIMIT \(n)")
        {
            found.append(ClearConsumer(scan: nil, storeID: try row.int("store_id"), consumer: try row.string("consumer")))
        }
        return found
    }

    func pseudonymize(_ found: [ClearConsumer], as pseudonym: @Sendable (String) -> String, tenantID: Int64) async throws(StorageError) {
        guard !found.isEmpty else { return }
        var steps: [SQLStep] = [SQLStep("INSERT INTO consumer_retention (tenant_id) VALUES (\(tenantID)) ON CONFLICT (tenant_id) DO NOTHING")]
        var merges: [String] = []
        let least: SQLStatement = .dialect(sqlite: "min", postgres: "LEAST")
        let greatest: SQLStatement = .dialect(sqlite: "max", postgres: "GREATEST")
        for item in found {
            let name = pseudonym(item.consumer)
            if let scan = item.scan {
                steps.append(
                    SQLStep(
                        """
                        UPDATE scan_events SET consumer = \(name)
                        WHERE tenant_id = \(tenantID) AND batch_id = \(scan.batchID) AND serial = \(scan.serial) AND scan_number = \(scan.number)
                        """))
            } else if let storeID = item.storeID {
                // Taken out first (which locks it), then added to its pseudonym's row: a run on another
                // node at the same time finds nothing to add.
                steps.append(
                    SQLStep(
                        """
                        DELETE FROM store_consumers WHERE tenant_id = \(tenantID) AND store_id = \(storeID) AND consumer = \(item.consumer)
                        RETURNING store_id, purchases, first_day, last_day
                        """, name: "customer\(merges.count)"))
                merges.append(name)
            }
        }
        if let last = found.compactMap(\.scan?.at).max() {
            steps.append(
                SQLStep(
                    "UPDATE consumer_retention SET pseudonymized_through = \(last) WHERE tenant_id = \(tenantID) AND pseudonymized_through < \(last)")
            )
        }
        let first = steps
        let names = merges
        _ = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                return first
            case 1:
                var adds: [SQLStep] = []
                for (index, name) in names.enumerated() {
                    guard let row = done["customer\(index)"].first else { continue }
                    adds.append(
                        SQLStep(
                            """
                            INSERT INTO store_consumers (tenant_id, store_id, consumer, purchases, first_day, last_day)
                            VALUES (\(tenantID), \(try row.int("store_id")), \(name), \(try row.int("purchases")), \(try row.int("first_day")), \(try row.int("last_day")))
                            ON CONFLICT (tenant_id, store_id, consumer) DO UPDATE SET purchases = store_consumers.purchases + excluded.purchases,
                            first_day = \(least)(store_consumers.first_day, excluded.first_day), last_day = \(greatest)(store_consumers.last_day, excluded.last_day)
                            """))
                }
                return adds
            default:
                return []
            }
        })
    }
}
