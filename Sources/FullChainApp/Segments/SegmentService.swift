public import FullChainCore
public import FullChainStorage

/// A segment's members within a caller's reach: how many, and a page of their ids (highest first).
public struct SegmentMembers: Sendable, Equatable {
    public var count: Int
    public var ids: [Int64]
}

/// Segments: saving them (their tags, stores and products checked), and counting and listing
/// their members from the segment index, cut to the caller's part of the org.
public final class SegmentService: Sendable {
    let storage: AppStorage
    private let indexes: SegmentIndexes

    public init(storage: AppStorage) {
        self.storage = storage
        indexes = SegmentIndexes(storage: storage)
    }

    /// Saves a segment: 422 for a bad rule or one naming what the brand does not have, 409 for a name taken.
    public func create(_ input: SegmentInput, owner: String, tenantID: Int64, now: Int64) async throws -> Segment {
        let draft = try input.validated()
        try await checkReferences(draft.rule, tenantID: tenantID)
        do throws(any Error) {
            return try await storage.segments.create(draft, owner: owner, at: now, tenantID: tenantID)
        } catch StorageError.duplicate {
            throw AppError(.conflict, code: "segment_exists", message: "a segment of that name exists")
        }
    }

    /// Checks a rule as it arrives, and that the tags, stores and products it names are the brand's.
    public func checked(_ input: SegmentRuleInput, tenantID: Int64) async throws -> SegmentRule {
        let rule = try input.validated()
        try await checkReferences(rule, tenantID: tenantID)
        return rule
    }

    private func checkReferences(_ rule: SegmentRule, tenantID: Int64) async throws {
        let tags = try await storage.segments.tagIDs(tenantID: tenantID)
        let whole = AccessScope(tenantID: tenantID, reach: .wholeTenant)
        for condition in Set(rule.conditions) {
            switch condition {
            case .tag(let id) where !tags.contains(id):
                throw ValidationError([FieldError(field: "rule", code: "invalid_reference", message: "tag \(id) is not the brand's")])
            case .store(let id):
                if try await storage.stores.get(id: id, scope: whole) == nil {
                    throw ValidationError([FieldError(field: "rule", code: "invalid_reference", message: "store \(id) is not the brand's")])
                }
            case .scanned(.some(let product), _, _):
                if try await storage.products.get(id: product, tenantID: tenantID) == nil {
                    throw ValidationError([FieldError(field: "rule", code: "invalid_reference", message: "product \(product) is not the brand's")])
                }
            default:
                break
            }
        }
    }

    /// The members of a rule within the caller's reach: how many, and up to `limit` ids after `offset`.
    public func members(of rule: SegmentRule, scope: AccessScope, offset: Int = 0, limit: Int = 0, now: Int64) async throws -> SegmentMembers {
        let members = try await memberSet(of: rule, scope: scope, now: now)
        let page = limit > 0 ? members.values(offset: max(0, offset), limit: limit, descending: true).map { Int64($0) } : []
        return SegmentMembers(count: members.count, ids: page)
    }

    /// A saved segment's members (the whole brand); nil when the brand has no such segment.
    public func members(ofSegment id: Int64, tenantID: Int64, now: Int64) async throws -> RoaringBitmap? {
        guard let segment = try await storage.segments.get(id: id, tenantID: tenantID) else { return nil }
        let rule = try segment.rule.validated()
        return try await memberSet(of: rule, scope: AccessScope(tenantID: tenantID, reach: .wholeTenant), now: now)
    }

    /// The members of a rule within the caller's reach, as a bitmap of profile ids.
    func memberSet(of rule: SegmentRule, scope: AccessScope, now: Int64) async throws -> RoaringBitmap {
        let snapshot = try await indexes.current(tenantID: scope.tenantID, now: now)
        let index = snapshot.index
        let everyone: RoaringBitmap
        switch scope.reach {
        case .wholeTenant: everyone = index.everyone
        default: everyone = try await indexes.members(of: scope, in: snapshot)
        }
        let storage = self.storage
        return try await rule.evaluate(everyone: everyone) { condition in
            switch condition {
            case .tag(let id): return index.members(ofTag: id)
            case .stage(let stage): return index.members(ofStage: stage)
            case .store(let id): return index.members(ofStore: id)
            case .verified: return index.verified
            case .region(let code): return await indexes.members(ofRegion: code, in: snapshot, tenantID: scope.tenantID)
            case .scanned, .redeemed:
                return RoaringBitmap(
                    try await storage.segments.members(of: condition, now: now, tenantID: scope.tenantID).compactMap { UInt32(exactly: $0) })
            case .group: return RoaringBitmap() // groups are evaluated by the rule itself
            }
        }
    }
}

/// The segment index of each brand, built on first use and brought up to date from the
/// profiles changed since (at most a second behind; rebuilt every quarter hour in case a change
/// committed long after it was stamped). Each part of the org asked about keeps its customers as
/// one bitmap, updated with the index.
actor SegmentIndexes {
    struct Snapshot: Sendable {
        var index: SegmentIndex
        var regions: [(storeID: Int64, regionCode: String)]

        /// The stores in a region or below it.
        func stores(inRegion code: String) -> [Int64] {
            guard Region.level(ofCode: code) != nil else { return [] }
            let prefix = Region.prefix(ofCode: code)
            return regions.filter { $0.regionCode.hasPrefix(prefix) }.map(\.storeID)
        }
    }

    /// The customers of a part of the org: its stores, and the live profiles of them.
    private struct Reach {
        var stores: Set<Int64>
        var members: RoaringBitmap
    }

    private struct Entry {
        var snapshot: Snapshot
        /// The latest change read (profiles' `updated_at`).
        var watermark: Int64
        var builtAt: Int64
        var checkedAt: Int64
        var reaches: [AccessScope.Reach: Reach] = [:]
        /// The customers of the stores in a region, by region code (kept like `reaches`).
        var regions: [String: Reach] = [:]
    }

    /// At most this many regions' customers are kept.
    static let maxRegions = 256

    private let storage: AppStorage
    private var entries: [Int64: Entry] = [:]
    private var refreshing: [Int64: Task<Snapshot, any Error>] = [:]

    static let freshFor: Int64 = 1_000
    static let rebuildAfter: Int64 = 15 * 60_000
    /// How far back a refresh reads again, for changes that committed after later ones.
    static let overlap: Int64 = 5_000
    static let batch = 50_000
    /// Changes past this many are read by building the index again.
    static let maxChanges = 2_000_000

    init(storage: AppStorage) { self.storage = storage }

    func current(tenantID: Int64, now: Int64) async throws -> Snapshot {
        if let entry = entries[tenantID], now - entry.checkedAt < Self.freshFor, now >= entry.checkedAt { return entry.snapshot }
        if let running = refreshing[tenantID] { return try await running.value }
        let task = Task { try await self.refresh(tenantID: tenantID, now: now) }
        refreshing[tenantID] = task
        defer { refreshing[tenantID] = nil }
        return try await task.value
    }

    /// The live profiles whose store is within a part of the org (kept with the index; its stores read again each time).
    func members(of scope: AccessScope, in snapshot: Snapshot) async throws -> RoaringBitmap {
        let stores = Set(try await storage.segments.stores(in: scope))
        if let reach = entries[scope.tenantID]?.reaches[scope.reach], reach.stores == stores { return reach.members }
        // From the index as it stands now (the snapshot asked with may be older).
        let index = entries[scope.tenantID]?.snapshot.index ?? snapshot.index
        let members = index.members(ofStores: Array(stores)).intersection(index.everyone)
        entries[scope.tenantID]?.reaches[scope.reach] = Reach(stores: stores, members: members)
        return members
    }

    /// The live profiles whose store is in a region or below it, kept with the index: the union
    /// of its stores' members is taken once, then follows the changes the index reads.
    func members(ofRegion code: String, in snapshot: Snapshot, tenantID: Int64) -> RoaringBitmap {
        let stores = Set(snapshot.stores(inRegion: code))
        if let region = entries[tenantID]?.regions[code], region.stores == stores { return region.members }
        let index = entries[tenantID]?.snapshot.index ?? snapshot.index
        let members = index.members(ofStores: Array(stores))
        if (entries[tenantID]?.regions.count ?? 0) >= Self.maxRegions { entries[tenantID]?.regions = [:] }
        entries[tenantID]?.regions[code] = Reach(stores: stores, members: members)
        return members
    }

    private func refresh(tenantID: Int64, now: Int64) async throws -> Snapshot {
        let segments = storage.segments
        guard var entry = entries[tenantID], now - entry.builtAt < Self.rebuildAfter else {
            let entry = try await build(tenantID: tenantID, now: now)
            entries[tenantID] = entry
            return entry.snapshot
        }
        var changed: [SegmentIndex.Entry] = []
        var cursor: SegmentChangeCursor? = nil
        while true {
            let page = try await segments.profiles(changedSince: entry.watermark - Self.overlap, after: cursor, limit: Self.batch, tenantID: tenantID)
            changed += page.entries
            cursor = page.end ?? cursor
            guard page.entries.count == Self.batch else { break }
            guard changed.count < Self.maxChanges else {
                let entry = try await build(tenantID: tenantID, now: now)
                entries[tenantID] = entry
                return entry.snapshot
            }
        }
        let tagIDs = try await segments.tagIDs(tenantID: tenantID)
        var index = entry.snapshot.index
        index.keepTags(tagIDs)
        for tag in tagIDs.subtracting(index.tagIDs) { index.setMembers(ofTag: tag, try await allMembers(ofTag: tag, tenantID: tenantID)) }
        let carried = try await segments.tags(ofProfiles: changed.map(\.id), tenantID: tenantID)
        for profile in changed {
            index.update(profile, tags: carried[profile.id] ?? [])
            // Each part of the org kept: in it when live and its store is one of its stores.
            guard let id = UInt32(exactly: profile.id) else { continue }
            // (By key, so each bitmap changes in place, not copied.)
            for key in Array(entry.reaches.keys) {
                let inside = profile.live && profile.storeID.map { entry.reaches[key]?.stores.contains($0) ?? false } == true
                if inside { entry.reaches[key]?.members.insert(id) } else { entry.reaches[key]?.members.remove(id) }
            }
            for code in Array(entry.regions.keys) {
                let inside = profile.live && profile.storeID.map { entry.regions[code]?.stores.contains($0) ?? false } == true
                if inside { entry.regions[code]?.members.insert(id) } else { entry.regions[code]?.members.remove(id) }
            }
        }
        entry.snapshot = Snapshot(index: index, regions: try await segments.storeRegions(tenantID: tenantID))
        entry.watermark = max(entry.watermark, cursor?.updatedAt ?? entry.watermark)
        entry.checkedAt = now
        entries[tenantID] = entry
        return entry.snapshot
    }

    private func build(tenantID: Int64, now: Int64) async throws -> Entry {
        let segments = storage.segments
        // Changes from here on are read again by the next refresh.
        let watermark = now
        var index = SegmentIndex()
        var after: Int64 = 0
        while true {
            let page = try await segments.profiles(after: after, limit: Self.batch, tenantID: tenantID)
            index.append(page)
            guard let last = page.last, page.count == Self.batch else { break }
            after = last.id
        }
        for tag in try await segments.tagIDs(tenantID: tenantID) {
            index.setMembers(ofTag: tag, try await allMembers(ofTag: tag, tenantID: tenantID))
        }
        return Entry(
            snapshot: Snapshot(index: index, regions: try await segments.storeRegions(tenantID: tenantID)), watermark: watermark, builtAt: now,
            checkedAt: now)
    }

    private func allMembers(ofTag tag: Int64, tenantID: Int64) async throws -> [Int64] {
        var members: [Int64] = [], after: Int64 = 0
        while true {
            let page = try await storage.segments.members(ofTag: tag, after: after, limit: Self.batch, tenantID: tenantID)
            members.append(contentsOf: page)
            guard let last = page.last, page.count == Self.batch else { return members }
            after = last
        }
    }
}
