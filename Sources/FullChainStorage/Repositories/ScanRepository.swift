public import FullChainCore
import Synchronization

/// One consumer scan to record, with everything the server already knows about the unit.
public struct ScanRecord: Sendable {
    public var tenantID: Int64
    public var batchID: Int64
    public var serial: Int
    public var caseNumber: Int
    public var productID: Int64
    public var scannedAt: Int64
    public var location: GeoPoint?
    /// The region the position lies in (county where known).
    public var regionCode: String?
    public var deviceID: String?
    public var ip: String?
    public var consumer: String?
    /// The store that received the unit's case (BC association), if any, and its region.
    public var storeID: Int64?
    public var storeRegionCode: String?
    public var status: CodeStatus
    /// Set when the scan lies outside the territory of the distributor the case was shipped to.
    public var diversion: DiversionEvidence?
    /// Where a far-apart alert for this unit belongs in the org (the store's or distributor's path).
    public var orgPath: String?

    public init(
        tenantID: Int64, batchID: Int64, serial: Int, caseNumber: Int, productID: Int64, scannedAt: Int64, location: GeoPoint?,
        regionCode: String?, deviceID: String?, ip: String?, consumer: String?, storeID: Int64?, storeRegionCode: String?,
        status: CodeStatus, diversion: DiversionEvidence? = nil, orgPath: String? = nil
    ) {
        self.tenantID = tenantID
        self.batchID = batchID
        self.serial = serial
        self.caseNumber = caseNumber
        self.productID = productID
        self.scannedAt = scannedAt
        self.location = location
        self.regionCode = regionCode
        self.deviceID = deviceID
        self.ip = ip
        self.consumer = consumer
        self.storeID = storeID
        self.storeRegionCode = storeRegionCode
        self.status = status
        self.diversion = diversion
        self.orgPath = orgPath
    }

    /// Whether this scan, when it is the unit's first, is the store's sale of the unit.
    var sellsUnit: Bool { status == .active && storeID != nil }

    /// The region the rollups count the scan in: where it happened, else the selling store's.
    var rollupRegion: String? { regionCode ?? storeRegionCode }
}

/// A consumer scan outside the territory of the distributor a case was shipped to.
public struct DiversionEvidence: Sendable, Equatable {
    public var distributorID: Int64
    /// The distributor's org path: managers over it see the alert.
    public var orgPath: String
    /// Distinct devices needed before the case counts as diverted.
    public var requiredDevices: Int

    public init(distributorID: Int64, orgPath: String, requiredDevices: Int) {
        self.distributorID = distributorID
        self.orgPath = orgPath
        self.requiredDevices = requiredDevices
    }
}

/// A day's scans in one store (or region) for one product, kept at write time.
public struct ScanRollup: Sendable, Equatable, Codable {
    public var key: String
    public var productID: Int64?
    public var day: Int64
    public var scans: Int
    public var unitsSold: Int

    public init(key: String, productID: Int64?, day: Int64, scans: Int, unitsSold: Int) {
        self.key = key
        self.productID = productID
        self.day = day
        self.scans = scans
        self.unitsSold = unitsSold
    }
}

/// Consumer scans. A batch of scans is written in one transaction: per-code counts are bumped by
/// upserts (so concurrent scans of one code get distinct numbers and exactly one first), the
/// events stored, the store/product/day and region/day rollups and the alerts updated; then the
/// draws the scans claimed are settled in the same transaction (see `RewardSettlement`).
public protocol ScanRepository: Sendable {
    /// Records the scans and settles the draws they claimed (`claims[i]` is scan i's, nil for
    /// none), all or none, in one transaction: a draw commits with its scan. The tallies and the
    /// draws' results come back in the scans' order.
    func record(
        _ scans: [ScanRecord], claims: [RewardClaim?], rules: AlertRules
    ) async throws(StorageError) -> (tallies: [ScanTally], rewards: [RewardResult?])
    /// Rollups per store and product for the days `days`, scoped to the caller's stores.
    func storeDays(_ days: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> [ScanRollup]
    /// Rollups per region (county) for the days `days` (HQ-wide figures).
    func regionDays(_ days: ClosedRange<Int64>, tenantID: Int64) async throws(StorageError) -> [ScanRollup]
}

extension ScanRepository {
    /// Records scans that claim no draw.
    public func record(_ scans: [ScanRecord], rules: AlertRules) async throws(StorageError) -> [ScanTally] {
        try await record(scans, claims: Array(repeating: nil, count: scans.count), rules: rules).tallies
    }

    /// Records one scan.
    public func record(_ scan: ScanRecord, rules: AlertRules = AlertRules()) async throws(StorageError) -> ScanTally {
        guard let tally = try await record([scan], rules: rules).first else { throw .corruptRow("code_scan_counts") }
        return tally
    }
}

struct SQLScanRepository: ScanRepository {
    let db: any SQLDatabase
    /// Ledger entry ids for the draws' bookings.
    let entryIDs: IDBlocks

    /// One scanned unit within a batch of scans.
    fileprivate struct CodeKey: Hashable {
        var tenantID: Int64
        var batchID: Int64
        var serial: Int
    }

    func record(
        _ scans: [ScanRecord], claims: [RewardClaim?], rules: AlertRules
    ) async throws(StorageError) -> (tallies: [ScanTally], rewards: [RewardResult?]) {
        guard !scans.isEmpty else { return ([], []) }
        guard claims.count == scans.count else { throw .corruptRow("one claim or none per scan") }
        // Each unit with how many of the scans are theirs.
        var counts: [CodeKey: Int] = [:]
        for scan in scans { counts[scan.key, default: 0] += 1 }
        let plan = ScanWritePlan(scans: scans, counts: counts, rules: rules)
        let claimed = claims.indices.filter { claims[$0] != nil }
        let settlement = try await RewardSettlement.make(claims: claimed.compactMap { claims[$0] }, entryIDs: entryIDs)
        let results = try await db.transaction(phases: ScanPhases(plan: plan, settlement: settlement).next)
        var rewards = [RewardResult?](repeating: nil, count: scans.count)
        for (index, result) in zip(claimed, settlement?.results() ?? []) { rewards[index] = result }
        return (try plan.tallies(from: results), rewards)
    }

    /// The scans' counts and events, the settlement's phases, then the scans' rollups (with the
    /// settlement's last phase), in one transaction: the rollup rows, which concurrent writers
    /// all touch, are held the shortest. Without draws, the rollups go with the events.
    private final class ScanPhases: Sendable {
        private enum Stage {
            case counts, events
            /// The settlement's phases, whose rows begin at this step.
            case settlement(from: Int)
            case rollups, done
        }

        private struct State {
            var stage = Stage.counts
            var rollups: [SQLStep] = []
        }

        let plan: ScanWritePlan
        let settlement: RewardSettlement?
        private let state = Mutex(State())

        init(plan: ScanWritePlan, settlement: RewardSettlement?) {
            self.plan = plan
            self.settlement = settlement
        }

        @Sendable func next(_ results: [[SQLRow]]) throws(StorageError) -> [SQLStep] {
            try state.withLock { (state: inout State) throws(StorageError) -> [SQLStep] in
                // A transaction run again from the start (after a deadlock) starts afresh.
                if results.isEmpty { state = State() }
                while true {
                    switch state.stage {
                    case .counts:
                        state.stage = .events
                        return plan.countSteps()
                    case .events:
                        let phase = try plan.afterCounts(results)
                        guard settlement != nil else {
                            // No draws: the rollups go with the events.
                            state.stage = .done
                            return phase.events + phase.rollups
                        }
                        state.rollups = phase.rollups
                        state.stage = .settlement(from: results.count + phase.events.count)
                        if !phase.events.isEmpty { return phase.events }
                    case .settlement(let from):
                        if let settlement {
                            let steps = try settlement.next(Array(results[min(from, results.count)...]))
                            // The rollups go with the bookings, the settlement's last phase: one round trip fewer.
                            if !steps.isEmpty && settlement.booking {
                                state.stage = .done
                                return steps + state.rollups
                            }
                            if !steps.isEmpty { return steps }
                        }
                        state.stage = .rollups
                    case .rollups:
                        state.stage = .done
                        if !state.rollups.isEmpty { return state.rollups }
                    case .done:
                        return []
                    }
                }
            }
        }
    }

    /// The statements of one batch's scans, decided from what earlier phases returned: phase 1
    /// bumps the counts (one statement); phase 2, which needs the counts, writes events and
    /// rollups (one statement each), diversion evidence and alerts.
    private struct ScanWritePlan: Sendable {
        var scans: [ScanRecord]
        var counts: [CodeKey: Int]
        var rules: AlertRules

        /// Phase 1: one upsert for every unit of the batch (units in key order, so concurrent writers lock alike).
        func countSteps() -> [SQLStep] {
            var firstOf: [CodeKey: ScanRecord] = [:]
            for scan in scans where firstOf[scan.key] == nil { firstOf[scan.key] = scan }
            let rows = counts.keys.sorted { ($0.tenantID, $0.batchID, $0.serial) < ($1.tenantID, $1.batchID, $1.serial) }.map { key -> SQLStatement in
                let first = firstOf[key]
                return
                    "(\(key.tenantID), \(key.batchID), \(Int64(key.serial)), \(Int64(counts[key] ?? 1)), \(first?.scannedAt ?? 0), \(first?.location?.latitude), \(first?.location?.longitude))"
            }
            return [
                SQLStep(
                    """
                    INSERT INTO code_scan_counts (tenant_id, batch_id, serial, scans, first_at, first_latitude, first_longitude)
                    VALUES \(SQLStatement.join(rows, separator: ", "))
                    ON CONFLICT (tenant_id, batch_id, serial) DO UPDATE SET scans = code_scan_counts.scans + excluded.scans
                    RETURNING tenant_id, batch_id, serial, scans, first_at, first_latitude, first_longitude
                    """, requireRow: .corruptRow("code_scan_counts"))
            ]
        }

        /// What phase 1 said about one unit: its count after this batch and its first scan.
        private struct UnitState {
            var total: Int
            var firstAt: Int64
            var first: GeoPoint?
        }

        private func unitStates(_ results: [[SQLRow]]) throws(StorageError) -> [CodeKey: UnitState] {
            var states: [CodeKey: UnitState] = [:]
            for row in results.first ?? [] {
                let key = CodeKey(tenantID: try row.int("tenant_id"), batchID: try row.int("batch_id"), serial: Int(try row.int("serial")))
                let first = row.geoPoint("first_latitude", "first_longitude")
                states[key] = UnitState(total: Int(try row.int("scans")), firstAt: try row.int("first_at"), first: first)
            }
            guard counts.keys.allSatisfy({ states[$0] != nil }) else { throw .corruptRow("code_scan_counts") }
            return states
        }

        /// Each scan's number: the unit's count before this batch plus its place among the batch's scans of the unit.
        private func numbers(_ states: [CodeKey: UnitState]) -> [Int] {
            var seen: [CodeKey: Int] = [:]
            return scans.map { scan in
                let key = scan.key
                let place = seen[key, default: 0]
                seen[key] = place + 1
                return (states[key]?.total ?? 0) - (counts[key] ?? 1) + 1 + place
            }
        }

        /// Phase 2: the events, diversion evidence and alerts; and the rollups, whose rows every
        /// writer shares (written last in a transaction, they stay locked the shortest).
        func afterCounts(_ results: [[SQLRow]]) throws(StorageError) -> (events: [SQLStep], rollups: [SQLStep]) {
            let states = try unitStates(results)
            let numbers = numbers(states)
            var steps: [SQLStep] = []
            var rollups: [SQLStep] = []
            struct StoreDay: Hashable { var tenantID: Int64, storeID: Int64, productID: Int64, day: Int64 }
            struct RegionDay: Hashable { var tenantID: Int64, region: String, day: Int64 }
            struct StoreConsumer: Hashable { var tenantID: Int64, storeID: Int64, consumer: String }
            var storeDays: [StoreDay: (scans: Int, sold: Int)] = [:]
            var regionDays: [RegionDay: (scans: Int, sold: Int)] = [:]
            var storeConsumers: [StoreConsumer: (purchases: Int, day: Int64)] = [:]
            let events = zip(scans, numbers).map { scan, number -> SQLStatement in
                """
                (\(scan.tenantID), \(scan.batchID), \(Int64(scan.serial)), \(Int64(number)), \(scan.scannedAt), \(scan.location?.latitude),
                 \(scan.location?.longitude), \(scan.deviceID), \(scan.ip), \(scan.consumer), \(scan.storeID), \(scan.status.rawValue))
                """
            }
            steps.append(
                SQLStep(
                    """
                    INSERT INTO scan_events (tenant_id, batch_id, serial, scan_number, scanned_at, latitude, longitude, device_id, ip, consumer, store_id, status)
                    VALUES \(SQLStatement.join(events, separator: ", "))
                    """))
            for (scan, number) in zip(scans, numbers) {
                let sold = number == 1 && scan.sellsUnit ? 1 : 0
                let day = BusinessDay.day(ofMillis: scan.scannedAt)
                if let storeID = scan.storeID {
                    let key = StoreDay(tenantID: scan.tenantID, storeID: storeID, productID: scan.productID, day: day)
                    storeDays[key, default: (0, 0)].scans += 1
                    storeDays[key, default: (0, 0)].sold += sold
                    if sold == 1, let consumer = scan.consumer {
                        let buyer = StoreConsumer(tenantID: scan.tenantID, storeID: storeID, consumer: consumer)
                        let seen = storeConsumers[buyer]
                        storeConsumers[buyer] = ((seen?.purchases ?? 0) + 1, max(seen?.day ?? day, day))
                    }
                }
                if let region = scan.rollupRegion {
                    let key = RegionDay(tenantID: scan.tenantID, region: region, day: day)
                    regionDays[key, default: (0, 0)].scans += 1
                    regionDays[key, default: (0, 0)].sold += sold
                }
                if scan.diversion != nil, let device = scan.deviceID, let location = scan.location, let region = scan.regionCode {
                    steps.append(
                        SQLStep(
                            """
                            INSERT INTO diversion_evidence (tenant_id, batch_id, case_number, device_id, scanned_at, region_code, latitude, longitude)
                            VALUES (\(scan.tenantID), \(scan.batchID), \(Int64(scan.caseNumber)), \(device), \(scan.scannedAt), \(region),
                                    \(location.latitude), \(location.longitude))
                            ON CONFLICT (tenant_id, batch_id, case_number, device_id) DO NOTHING
                            """))
                }
            }
            // Rows in key order, so concurrent writers (several nodes on one PostgreSQL) lock them alike.
            if !storeDays.isEmpty {
                let ordered = storeDays.keys.sorted {
                    ($0.tenantID, $0.storeID, $0.productID, $0.day) < ($1.tenantID, $1.storeID, $1.productID, $1.day)
                }
                let rows = ordered.map { key -> SQLStatement in
                    let value = storeDays[key] ?? (0, 0)
                    return "(\(key.tenantID), \(key.storeID), \(key.productID), \(key.day), \(Int64(value.scans)), \(Int64(value.sold)))"
                }
                rollups.append(
                    SQLStep(
                        """
                        INSERT INTO store_day_scans (tenant_id, store_id, product_id, day, scans, units_sold)
                        VALUES \(SQLStatement.join(rows, separator: ", "))
                        ON CONFLICT (tenant_id, store_id, product_id, day)
                        DO UPDATE SET scans = store_day_scans.scans + excluded.scans, units_sold = store_day_scans.units_sold + excluded.units_sold
                        """))
            }
            if !storeDays.isEmpty {
                // The same counts summed over products: the store's day, which anomaly detection reads.
                var totals: [StoreDay: (scans: Int, sold: Int)] = [:]
                for (key, value) in storeDays {
                    let store = StoreDay(tenantID: key.tenantID, storeID: key.storeID, productID: 0, day: key.day)
                    totals[store, default: (0, 0)].scans += value.scans
                    totals[store, default: (0, 0)].sold += value.sold
                }
                let ordered = totals.keys.sorted { ($0.tenantID, $0.storeID, $0.day) < ($1.tenantID, $1.storeID, $1.day) }
                let rows = ordered.map { key -> SQLStatement in
                    let value = totals[key] ?? (0, 0)
                    return "(\(key.tenantID), \(key.storeID), \(key.day), \(Int64(value.scans)), \(Int64(value.sold)))"
                }
                rollups.append(
                    SQLStep(
                        """
                        INSERT INTO store_days (tenant_id, store_id, day, scans, units_sold)
                        VALUES \(SQLStatement.join(rows, separator: ", "))
                        ON CONFLICT (tenant_id, store_id, day)
                        DO UPDATE SET scans = store_days.scans + excluded.scans, units_sold = store_days.units_sold + excluded.units_sold
                        """))
            }
            if !storeConsumers.isEmpty {
                let ordered = storeConsumers.keys.sorted { ($0.tenantID, $0.storeID, $0.consumer) < ($1.tenantID, $1.storeID, $1.consumer) }
                let rows = ordered.map { key -> SQLStatement in
                    let value = storeConsumers[key] ?? (0, 0)
                    return "(\(key.tenantID), \(key.storeID), \(key.consumer), \(Int64(value.purchases)), \(value.day), \(value.day))"
                }
                let greatest: SQLStatement = .dialect(sqlite: "max", postgres: "GREATEST")
                rollups.append(
                    SQLStep(
                        """
                        INSERT INTO store_consumers (tenant_id, store_id, consumer, purchases, first_day, last_day)
                        VALUES \(SQLStatement.join(rows, separator: ", "))
                        ON CONFLICT (tenant_id, store_id, consumer)
                        DO UPDATE SET purchases = store_consumers.purchases + excluded.purchases, last_day = \(greatest)(store_consumers.last_day, excluded.last_day)
                        """))
            }
            if !regionDays.isEmpty {
                let ordered = regionDays.keys.sorted { ($0.tenantID, $0.region, $0.day) < ($1.tenantID, $1.region, $1.day) }
                let rows = ordered.map { key -> SQLStatement in
                    let value = regionDays[key] ?? (0, 0)
                    return "(\(key.tenantID), \(key.region), \(key.day), \(Int64(value.scans)), \(Int64(value.sold)))"
                }
                rollups.append(
                    SQLStep(
                        """
                        INSERT INTO region_day_scans (tenant_id, region_code, day, scans, units_sold)
                        VALUES \(SQLStatement.join(rows, separator: ", "))
                        ON CONFLICT (tenant_id, region_code, day)
                        DO UPDATE SET scans = region_day_scans.scans + excluded.scans, units_sold = region_day_scans.units_sold + excluded.units_sold
                        """))
            }
            return (steps + alertSteps(alertCandidates(states: states, numbers: numbers)), rollups)
        }

        /// A scan that may open or extend an alert.
        private struct AlertCandidate {
            var scan: ScanRecord
            var reason: AlertReason
            var first: GeoPoint?
            var firstAt: Int64
        }

        private func alertCandidates(states: [CodeKey: UnitState], numbers: [Int]) -> [AlertCandidate] {
            var candidates: [AlertCandidate] = []
            for (scan, number) in zip(scans, numbers) {
                let state = states[scan.key]
                if scan.diversion != nil, scan.deviceID != nil, scan.location != nil, scan.regionCode != nil {
                    candidates.append(
                        AlertCandidate(scan: scan, reason: .consumerScans, first: state?.first, firstAt: state?.firstAt ?? scan.scannedAt))
                }
                if number > 1, rules.isFarApart(state?.first, scan.location) {
                    candidates.append(AlertCandidate(scan: scan, reason: .farApart, first: state?.first, firstAt: state?.firstAt ?? scan.scannedAt))
                }
            }
            return candidates
        }

        /// For each candidate: reserve an alert id, then open or extend the alert with it.
        private func alertSteps(_ candidates: [AlertCandidate]) -> [SQLStep] {
            var steps: [SQLStep] = []
            let greatest: SQLStatement = .dialect(sqlite: "max", postgres: "GREATEST")
            for candidate in candidates {
                let tenantID = candidate.scan.tenantID
                let reserveID = SQLStep(
                    """
                    INSERT INTO id_sequences (tenant_id, name, next_id) VALUES (\(tenantID), 'scan_alerts', 2)
                    ON CONFLICT (tenant_id, name) DO UPDATE SET next_id = id_sequences.next_id + 1
                    """)
                let id: SQLStatement = "(SELECT next_id - 1 FROM id_sequences WHERE tenant_id = \(tenantID) AND name = 'scan_alerts')"
                let scan = candidate.scan
                let location = scan.location
                switch candidate.reason {
                case .consumerScans:
                    guard let evidence = scan.diversion else { continue }
                    let subject = "case:\(scan.batchID):\(scan.caseNumber)"
                    let evidenceCount: SQLStatement = """
                        (SELECT count(*) FROM diversion_evidence e
                         WHERE e.tenant_id = \(scan.tenantID) AND e.batch_id = \(scan.batchID) AND e.case_number = \(Int64(scan.caseNumber)))
                        """
                    let detail = "units of a case shipped to distributor \(evidence.distributorID) scanned outside its territory"
                    steps.append(reserveID)
                    steps.append(
                        SQLStep(
                            """
                            INSERT INTO scan_alerts (tenant_id, id, kind, reason, subject, batch_id, case_number, serial, product_id, distributor_id, store_id,
                                                     org_path, region_code, latitude, longitude, devices, events, first_at, last_at, detail)
                            SELECT \(scan.tenantID), \(id), 'diversion', 'consumer_scans', \(subject), \(scan.batchID), \(Int64(scan.caseNumber)), \(Int64(scan.serial)),
                                   \(scan.productID), \(evidence.distributorID), \(scan.storeID), \(evidence.orgPath), \(scan.regionCode), \(location?.latitude),
                                   \(location?.longitude), \(evidenceCount), 1, \(scan.scannedAt), \(scan.scannedAt), \(detail)
                            WHERE \(evidenceCount) >= \(Int64(evidence.requiredDevices))
                            ON CONFLICT (tenant_id, kind, subject) DO UPDATE SET
                                devices = excluded.devices, events = scan_alerts.events + 1, last_at = \(greatest)(scan_alerts.last_at, excluded.last_at),
                                serial = excluded.serial, region_code = excluded.region_code, latitude = excluded.latitude, longitude = excluded.longitude
                            """))
                case .farApart:
                    let subject = "unit:\(scan.batchID):\(scan.serial)"
                    let km = Int((candidate.first.flatMap { first in location.map { first.distance(to: $0) } } ?? 0) / 1000)
                    let detail = "scanned \(km) km from where it was first scanned"
                    steps.append(reserveID)
                    steps.append(
                        SQLStep(
                            """
                            INSERT INTO scan_alerts (tenant_id, id, kind, reason, subject, batch_id, case_number, serial, product_id, distributor_id, store_id,
                                                     org_path, region_code, latitude, longitude, devices, events, first_at, last_at, detail)
                            VALUES (\(scan.tenantID), \(id), 'counterfeit', 'far_apart', \(subject), \(scan.batchID), \(Int64(scan.caseNumber)), \(Int64(scan.serial)),
                                    \(scan.productID), \(scan.diversion?.distributorID), \(scan.storeID), \(scan.orgPath), \(scan.regionCode), \(location?.latitude),
                                    \(location?.longitude), 1, 1, \(candidate.firstAt), \(scan.scannedAt), \(detail))
                            ON CONFLICT (tenant_id, kind, subject) DO UPDATE SET
                                events = scan_alerts.events + 1, last_at = \(greatest)(scan_alerts.last_at, excluded.last_at), detail = excluded.detail,
                                region_code = excluded.region_code, latitude = excluded.latitude, longitude = excluded.longitude
                            """))
                case .storeReceipt, .invalidCodes:
                    continue
                }
            }
            return steps
        }

        func tallies(from results: [[SQLRow]]) throws(StorageError) -> [ScanTally] {
            let states = try unitStates(results)
            return zip(scans, numbers(states)).map { scan, number in
                let state = states[scan.key]
                return ScanTally(
                    scanNumber: number, firstScannedAt: state?.firstAt ?? scan.scannedAt,
                    firstLatitude: state?.first?.latitude, firstLongitude: state?.first?.longitude)
            }
        }
    }

    func storeDays(_ days: ClosedRange<Int64>, scope: AccessScope) async throws(StorageError) -> [ScanRollup] {
        let rows = try await db.read(
            """
            SELECT r.store_id, r.product_id, r.day, r.scans, r.units_sold FROM store_day_scans r
            JOIN stores s ON s.tenant_id = r.tenant_id AND s.id = r.store_id
            WHERE \(ScopeSQL.stores(scope)) AND r.day >= \(days.lowerBound) AND r.day <= \(days.upperBound)
            ORDER BY r.day, r.store_id, r.product_id
            """)
        var rollups: [ScanRollup] = []
        for row in rows {
            rollups.append(
                ScanRollup(
                    key: String(try row.int("store_id")), productID: row.optionalInt("product_id"), day: try row.int("day"),
                    scans: Int(try row.int("scans")), unitsSold: Int(try row.int("units_sold"))))
        }
        return rollups
    }

    func regionDays(_ days: ClosedRange<Int64>, tenantID: Int64) async throws(StorageError) -> [ScanRollup] {
        let rows = try await db.read(
            """
            SELECT region_code, day, scans, units_sold FROM region_day_scans
            WHERE tenant_id = \(tenantID) AND day >= \(days.lowerBound) AND day <= \(days.upperBound)
            ORDER BY day, region_code
            """)
        var rollups: [ScanRollup] = []
        for row in rows {
            rollups.append(
                ScanRollup(
                    key: try row.string("region_code"), productID: nil, day: try row.int("day"),
                    scans: Int(try row.int("scans")), unitsSold: Int(try row.int("units_sold"))))
        }
        return rollups
    }
}

private extension ScanRecord {
    /// The unit scanned.
    var key: SQLScanRepository.CodeKey { SQLScanRepository.CodeKey(tenantID: tenantID, batchID: batchID, serial: serial) }
}
