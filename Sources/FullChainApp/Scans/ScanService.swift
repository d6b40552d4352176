public import FullChainCore
public import FullChainStorage
import Synchronization

/// What a consumer sees after scanning the code in the cap.
public struct ScanResult: Codable, Sendable {
    public struct ProductInfo: Codable, Sendable {
        public var sku: String
        public var name: String
    }

    public struct StoreInfo: Codable, Sendable {
        public var id: Int64
        public var name: String
        public var address: String?
    }

    public var authentic: Bool
    /// Inactive or voided codes are recorded and flagged; they never count as sales.
    public var status: CodeStatus
    public var firstScan: Bool
    public var scanCount: Int
    public var firstScannedAt: Int64
    /// Where the first scan happened, e.g. `湖北省 宜昌市 点军区`, when it sent a position in China:
    /// a repeat scanner learns the first scan's district, never its coordinates.
    public var firstPlace: String?
    public var product: ProductInfo?
    /// The store that sold the unit (BC association), when its case was received.
    public var store: StoreInfo?
    /// Whether this scan is the store's sale of the unit (the unit's first genuine, active scan).
    public var countsAsSale: Bool
    /// The code's page, for "scan again" links.
    public var code: String
    /// The draw of the campaign the scan took part in, if one covers it.
    public var prize: PrizeInfo?
    /// Whether the scan came from a signed-in consumer (cash prizes go to their WeChat; else
    /// they wait in the device's wallet for whoever signs in on it).
    public var signedIn = false
    /// Whether a cash prize goes straight to the consumer's WeChat: signed in with WeChat, not
    /// only with a phone (whose cash waits until its owner signs in with WeChat).
    public var cashPaid = false
}

/// The public scan path: authenticity in memory, channel facts from short-lived caches, and the
/// write grouped with concurrent scans into one transaction, answered only after it committed.
public final class ScanService: Sendable {
    /// The batch's metadata and activation history.
    struct BatchFacts: Sendable {
        var batch: CodeBatch
        var actions: [CodeRangeAction]
    }

    private struct TenantKey<ID: Hashable & Sendable>: Hashable, Sendable {
        var tenantID: Int64
        var id: ID
    }

    private let storage: AppStorage
    private let keys: CodeKeyRing
    private let regions: RegionCatalog
    private let locator: RegionLocator
    public let rules: AlertRules
    private let batches = ExpiringCache<TenantKey<Int64>, BatchFacts?>(lifetime: .seconds(2))
    /// Shipments and receipts of blocks of `movementBlock` consecutive cases, read together.
    private let movements = ExpiringCache<TenantKey<CaseRef>, CaseMovements>(lifetime: .seconds(3_600))
    static let movementBlock = 256
    private let stores = ExpiringCache<TenantKey<Int64>, StoreFacts?>(lifetime: .seconds(30))
    private let distributors = ExpiringCache<TenantKey<Int64>, DistributorFacts?>(lifetime: .seconds(30))
    private let products = ExpiringCache<TenantKey<Int64>, Product?>(lifetime: .seconds(30))
    /// GS1 Digital Link lookups: product by GTIN, and a product's batches (by lot).
    private let productsByGTIN = ExpiringCache<TenantKey<String>, Product?>(lifetime: .seconds(30))
    private let lots = ExpiringCache<TenantKey<String>, [CodeBatch]>(lifetime: .seconds(30))
    private let recorder: GroupCommit<(ScanRecord, RewardClaim?), (ScanTally, RewardResult?)>
    /// Draws settled after their scans committed (PostgreSQL), else nil: they settle with the scan.
    private let settler: GroupCommit<RewardClaim, RewardResult>?
    private let invalid: InvalidCodeTracker
    private let campaigns: CampaignService
    /// Consumers whose profiles, tags, stages and journeys should catch up with this scan.
    private let touches: ProfileTouches?

    /// A case not yet shipped or received may be any moment: such answers are kept only briefly
    /// (another server may record the movement); in this process a movement forgets them at once.
    private static let unknownLifetime: Duration = .seconds(1)

    public init(
        storage: AppStorage, keys: CodeKeyRing, regions: RegionCatalog = .shared, locator: RegionLocator = .shared, rules: AlertRules,
        campaigns: CampaignService, touches: ProfileTouches? = nil
    ) {
        self.storage = storage
        self.campaigns = campaigns
        self.touches = touches
        self.keys = keys
        self.regions = regions
        self.locator = locator
        self.rules = rules
        let scans = storage.scans
        // The storage says how its scans and draws commit (see `AppStorage.scanWrites`).
        let rewards = storage.rewards
        let writes = storage.scanWrites
        settler = writes.drawsSettleWithScans ? nil : GroupCommit { claims in try await rewards.settle(claims) }
        recorder = GroupCommit(writers: writes.scanWriters) { writes in
            let recorded = try await scans.record(writes.map(\.0), claims: writes.map(\.1), rules: rules)
            return Array(zip(recorded.tallies, recorded.rewards))
        }
        invalid = InvalidCodeTracker(rules: rules)
    }

    /// Why a scan was refused.
    public enum Refusal: Error, Equatable {
        case notGenuine
    }

    /// Checks and records a consumer scan made at `scannedAt` (the phone's time, for a queued
    /// scan) that the server received at `receivedAt` (its own clock, which the campaign's daily
    /// limits and the risk signals count by). `signedIn` is who signed in on the brand's pages,
    /// the only one cash is paid to (a session of another brand counts for nothing); `asserted`
    /// is an identity the client sent unproven, which counts for risk and limits but never
    /// receives money.
    public func scan(
        code text: String, at scannedAt: Int64, receivedAt: Int64, location: GeoPoint?, deviceID: String?, ip: String?,
        signedIn: ConsumerSession?, asserted: String? = nil
    ) async throws -> ScanResult {
        // Forged, mistyped and cut-short codes stop here, before any storage work (but for an
        // alert when one device or address keeps trying).
        let check = try await keys.check(text)
        guard let (code, tenantID, facts) = try await genuineUnit(check) else {
            if case .forged(let tenantID?) = check {
                try await noteInvalid(tenantID: tenantID, deviceID: deviceID, ip: ip, location: location, at: receivedAt)
            }
            throw Refusal.notGenuine
        }
        let batch = facts.batch
        let session = signedIn.flatMap { $0.tenantID == tenantID ? $0 : nil }
        let consumer = session?.subject
        // A consumer who withdrew the location consent leaves only the area (about a kilometre).
        let location = session?.preciseLocation == false ? location?.coarse : location
        let status = batch.status(of: code, actions: facts.actions)
        let (ref, moved) = try await currentCase(of: code, in: batch, tenantID: tenantID)
        let receipt = moved.receipts[ref.caseNumber]
        let shippedTo = receipt?.distributorID ?? moved.shipments[ref.caseNumber]
        var store: StoreFacts?
        if let storeID = moved.storeID(ofCase: ref.caseNumber) { store = try await self.store(storeID, tenantID: tenantID) }
        var distributor: DistributorFacts?
        if let shippedTo { distributor = try await self.distributor(shippedTo, tenantID: tenantID) }
        let regionCode = location.flatMap { locator.regionCode(at: $0) }
        var diversion: DiversionEvidence?
        if let distributor, let regionCode, distributor.territory.excludes(regionCode) {
            diversion = DiversionEvidence(distributorID: distributor.id, orgPath: distributor.orgPath, requiredDevices: rules.diversionDevices)
        }
        let record = ScanRecord(
            tenantID: tenantID, batchID: batch.id, serial: Int(code.serial), caseNumber: ref.caseNumber, productID: batch.productID,
            scannedAt: scannedAt, location: location, regionCode: regionCode, deviceID: deviceID, ip: ip,
            // Scan events and store customer lists know consumers by pseudonyms, never openids or phones.
            consumer: (consumer ?? asserted).map { campaigns.pseudonyms.scanName(of: $0, tenantID: tenantID) },
            storeID: store?.id, storeRegionCode: store?.regionCode, status: status, diversion: diversion,
            orgPath: store?.orgPath ?? distributor?.orgPath)
        // The draw is made before the scan is written. A receipt waiting for HQ's review holds
        // the store's reward; a refused one earns it none.
        let booking = receipt?.review.storeReward ?? .toStore
        let draw = try await campaigns.prepare(
            DrawRequest(
                tenantID: tenantID, batchID: batch.id, serial: Int(code.serial), productID: batch.productID, regionCode: regionCode, at: scannedAt,
                receivedAt: receivedAt, status: status, deviceID: deviceID, consumer: consumer, asserted: asserted,
                storeID: booking == .withheld ? nil : store?.id,
                heldFor: booking == .held ? ref : nil, ip: ip, location: location))
        let (tally, settled) = try await recorder.submit((record, settler == nil ? draw?.claim : nil))
        if let name = record.consumer { touches?.note(name, tenantID: tenantID, at: receivedAt) }
        var reward = settled
        if let settler, let claim = draw?.claim {
            // The scan is recorded: a failed draw leaves the code to be drawn on its next scan.
            reward = try await settler.submit(claim)
        }
        let prize = draw.map { campaigns.prize($0, settled: reward) }
        let product = try await product(batch.productID, tenantID: tenantID)
        let first = tally.firstLatitude.flatMap { lat in tally.firstLongitude.flatMap { GeoPoint(latitude: lat, longitude: $0) } }
        return ScanResult(
            authentic: true, status: status, firstScan: tally.scanNumber == 1, scanCount: tally.scanNumber, firstScannedAt: tally.firstScannedAt,
            firstPlace: (tally.scanNumber == 1 && first == location ? regionCode : first.flatMap { locator.regionCode(at: $0) }).map {
                regions.fullName(of: $0)
            },
            product: product.map { ScanResult.ProductInfo(sku: $0.sku, name: $0.name) },
            store: store.map { ScanResult.StoreInfo(id: $0.id, name: $0.name, address: $0.address) },
            countsAsSale: tally.scanNumber == 1 && status == .active && store != nil,
            code: text, prize: prize, signedIn: consumer != nil, cashPaid: consumer?.hasPrefix("openid:") ?? false)
    }

    /// What a genuine unit code names, read without recording a scan (for the code's page).
    public func identify(_ text: String) async throws -> (product: Product?, lot: String, tenantID: Int64)? {
        guard let (_, tenantID, facts) = try await genuineUnit(keys.check(text)) else { return nil }
        return (try await product(facts.batch.productID, tenantID: tenantID), facts.batch.lot, tenantID)
    }

    /// What a GS1 Digital Link (`/01/{GTIN}/10/{lot}/21/{serial}`, the lot optional) names.
    public enum DigitalLinkTarget: Sendable, Equatable {
        /// A unit of one of the brand's batches: its printed code text.
        case unit(String)
        /// The serial names a brand's key and a unit of a batch, but its tag is wrong: the code
        /// text it would have, so the scan path records the forgery.
        case forged(String)
        /// Not a unit of any brand here.
        case unknown
    }

    /// Resolves a GS1 Digital Link down to the single unit (the public GS1 resolver stops at the
    /// GTIN): the AI 21 value carries key id, serial and tag; the GTIN and lot name the batch.
    public func resolveDigitalLink(gtin gtinText: String, lot: String?, serial serialText: String) async throws -> DigitalLinkTarget {
        guard let (keyID, serial, tag) = DigitalLinkSerial.parse(serialText), let gtin = GTIN(gtinText),
            lot.map({ !$0.isEmpty && $0.utf8.count <= 20 }) ?? true, let entry = try await keys.entry(keyID: keyID)
        else { return .unknown }
        let tenantID = entry.tenantID
        guard
            let product = try await productsByGTIN.value(
                for: TenantKey(tenantID: tenantID, id: gtin.digits),
                load: {
                    try await storage.products.get(gtin: gtin, tenantID: tenantID)
                })
        else { return .unknown }
        let batches = try await lots.value(for: TenantKey(tenantID: tenantID, id: "\(product.id)/\(lot ?? "")")) {
            try await storage.codes.batches(productID: product.id, lot: lot, tenantID: tenantID)
        }
        var forged: String?
        for batch in batches where batch.keyID == keyID {
            let code = batch.unitCode(Int(serial))
            guard batch.contains(code) else { continue }
            if entry.signer.isAuthentic(code, tag: tag) { return .unit(entry.signer.text(for: code)) }
            forged = forged ?? code.text(tag: tag)
        }
        return forged.map { .forged($0) } ?? .unknown
    }

    /// A genuine unit code of an existing batch, with its tenant and batch facts.
    private func genuineUnit(_ check: CodeKeyRing.Check) async throws -> (ScanCode, Int64, BatchFacts)? {
        guard case .genuine(let code, let tenantID) = check, code.kind == .unit,
            let facts = try await batch(Int64(code.batch), tenantID: tenantID), facts.batch.contains(code)
        else { return nil }
        return (code, tenantID, facts)
    }

    /// Active stores near a genuine code's scan: the brand's own, nearest first.
    public func nearbyStores(code text: String, around point: GeoPoint, limit: Int = 5) async throws -> [StoreFacts] {
        guard case .genuine(_, let tenantID) = try await keys.check(text), let region = locator.regionCode(at: point) else { return [] }
        return try await storage.channel.nearbyStores(regionCode: region, around: point, limit: limit, tenantID: tenantID)
    }

    /// The region a position lies in, for pages.
    public func place(of point: GeoPoint) -> String? {
        locator.regionCode(at: point).map { regions.fullName(of: $0) }
    }

    // MARK: - What changed in this process

    /// Activation or voiding of a batch's ranges: its next scan reads the batch afresh.
    public func batchChanged(_ batchID: Int64, tenantID: Int64) {
        batches.remove(TenantKey(tenantID: tenantID, id: batchID))
    }

    /// Shipments, deliveries, receipts or re-packings were recorded: forget what was read before.
    public func casesMoved() {
        movements.removeAll()
    }

    /// Stores or distributors changed (names, territories).
    public func channelChanged() {
        stores.removeAll()
        distributors.removeAll()
    }

    // MARK: - Cached reads
    // Inlined into the scan, so that a hit (nearly every lookup) costs no call that may suspend.

    @inline(__always)
    func batch(_ id: Int64, tenantID: Int64) async throws -> BatchFacts? {
        try await batches.value(for: TenantKey(tenantID: tenantID, id: id)) {
            guard let batch = try await storage.codes.batch(id: id, tenantID: tenantID) else { return nil }
            return BatchFacts(batch: batch, actions: try await storage.codes.rangeActions(batchID: id, tenantID: tenantID))
        }
    }

    /// The case a code's unit is in now (its packing case, unless it was re-packed) and the
    /// movements of the block of cases around it.
    private func currentCase(of code: ScanCode, in batch: CodeBatch, tenantID: Int64) async throws -> (CaseRef, CaseMovements) {
        let packed = CaseRef(batchID: batch.id, caseNumber: batch.caseNumber(of: code))
        let moved = try await movements(around: packed, in: batch, tenantID: tenantID)
        guard code.kind == .unit, let repacked = moved.repacks[Int(code.serial)], repacked != packed.caseNumber else { return (packed, moved) }
        let ref = CaseRef(batchID: batch.id, caseNumber: repacked)
        return (ref, try await movements(around: ref, in: batch, tenantID: tenantID))
    }

    /// The movements of the block of cases around `ref`, with the re-packings of their units. A
    /// block where some case is not yet received, or whose receipt awaits review, may change any
    /// moment: it is kept only briefly.
    @inline(__always)
    private func movements(around ref: CaseRef, in batch: CodeBatch, tenantID: Int64) async throws -> CaseMovements {
        let first = ref.caseNumber / Self.movementBlock * Self.movementBlock
        let cases = first...(first + Self.movementBlock - 1)
        let units = min(batch.quantity, first * batch.unitsPerCase)..<min(batch.quantity, (cases.upperBound + 1) * batch.unitsPerCase)
        let key = TenantKey(tenantID: tenantID, id: CaseRef(batchID: ref.batchID, caseNumber: first))
        return try await movements.value(
            for: key,
            load: {
                try await storage.logistics.movements(batchID: ref.batchID, cases: cases, units: units, tenantID: tenantID)
            },
            shortLifetime: { moved in
                // A receipt under review may be decided any moment, on any server.
                moved.receipts.count < min(Self.movementBlock, batch.caseCount - first) || moved.receipts.values.contains { $0.review == .held }
                    ? Self.unknownLifetime : nil
            })
    }

    @inline(__always)
    private func store(_ id: Int64, tenantID: Int64) async throws -> StoreFacts? {
        try await stores.value(for: TenantKey(tenantID: tenantID, id: id)) { try await storage.channel.store(id: id, tenantID: tenantID) }
    }

    @inline(__always)
    private func distributor(_ id: Int64, tenantID: Int64) async throws -> DistributorFacts? {
        try await distributors.value(for: TenantKey(tenantID: tenantID, id: id)) { try await storage.channel.distributor(id: id, tenantID: tenantID) }
    }

    @inline(__always)
    private func product(_ id: Int64, tenantID: Int64) async throws -> Product? {
        try await products.value(for: TenantKey(tenantID: tenantID, id: id)) { try await storage.products.get(id: id, tenantID: tenantID) }
    }

    // MARK: - Invalid codes

    /// Notes a forged code that names the tenant's key.
    private func noteInvalid(tenantID tenant: Int64, deviceID: String?, ip: String?, location: GeoPoint?, at: Int64) async throws {
        let subjects = [deviceID.map { "device:\($0)" }, ip.map { "ip:\($0)" }].compactMap { $0 }
        let raises = subjects.compactMap { subject -> AlertRaise? in
            guard let attempts = invalid.note(tenantID: tenant, subject: subject, at: at) else { return nil }
            return AlertRaise(
                reason: .invalidCodes, subject: subject, orgPath: nil, regionCode: location.flatMap { locator.regionCode(at: $0) },
                location: location, events: attempts, at: at,
                detail: "\(attempts) codes that are not genuine within \(rules.invalidWindow / 60_000) minutes")
        }
        try await storage.alerts.raise(raises, tenantID: tenant)
    }
}

/// Counts a brand's forged codes per device and per IP in memory; every `invalidAttempts`
/// within the window yields one alert write, so a flood costs storage almost nothing. At most
/// `capacity` subjects are counted: a new one pushes out the least recently seen.
final class InvalidCodeTracker: Sendable {
    private struct Key: Hashable {
        var tenantID: Int64
        var subject: String
    }

    private struct Window {
        var start: Int64
        var attempts: Int
    }

    private let rules: AlertRules
    private let windows: Mutex<LRUCache<Key, Window>>

    init(rules: AlertRules, capacity: Int = 100_000) {
        self.rules = rules
        windows = Mutex(LRUCache(capacity: capacity))
    }

    /// Notes one attempt; returns the attempts to report when they reach the threshold.
    func note(tenantID: Int64, subject: String, at: Int64) -> Int? {
        let rules = self.rules
        return windows.withLock { windows in
            windows.update(Key(tenantID: tenantID, subject: subject), initial: Window(start: at, attempts: 0)) { window in
                if at - window.start > rules.invalidWindow { window = Window(start: at, attempts: 0) }
                window.attempts += 1
                return window.attempts % rules.invalidAttempts == 0 ? rules.invalidAttempts : nil
            }
        }
    }
}
