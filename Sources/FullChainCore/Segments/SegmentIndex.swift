/// A brand's consumer profiles as bitmaps, one per attribute value and per tag, so that a
/// segment's count is a few bitmap operations however many consumers there are. Profiles are
/// indexed by id (ids past 2³²−1 are left out).
public struct SegmentIndex: Sendable {
    /// What the index holds of a profile.
    public struct Entry: Sendable, Equatable {
        public var id: Int64
        public var stage: ConsumerStage
        public var storeID: Int64?
        public var verified: Bool
        /// False for a profile merged into another (it leaves every set).
        public var live: Bool

        public init(id: Int64, stage: ConsumerStage, storeID: Int64?, verified: Bool, live: Bool = true) {
            self.id = id
            self.stage = stage
            self.storeID = storeID
            self.verified = verified
            self.live = live
        }
    }

    /// Every live profile.
    public private(set) var everyone = RoaringBitmap()
    public private(set) var verified = RoaringBitmap()
    private var stages: [ConsumerStage: RoaringBitmap] = [:]
    private var stores: [Int64: RoaringBitmap] = [:]
    private var tags: [Int64: RoaringBitmap] = [:]
    /// Each indexed profile's stage and store (store 0: none), to take it out of them when it changes.
    private var stageOf: [UInt8] = []
    private var storeOf: [UInt32] = []

    public init() {}

    private static let stageCodes = ConsumerStage.allCases

    /// Adds profiles in ascending id order, each above every id added before (a full build).
    public mutating func append(_ entries: [Entry]) {
        for entry in entries {
            guard entry.live, let id = UInt32(exactly: entry.id) else { continue }
            everyone.append(id)
            stages[entry.stage, default: RoaringBitmap()].append(id)
            if entry.verified { verified.append(id) }
            if let store = entry.storeID, let store32 = UInt32(exactly: store) {
                stores[store, default: RoaringBitmap()].append(id)
                remember(id, stage: entry.stage, store: store32)
            } else {
                remember(id, stage: entry.stage, store: 0)
            }
        }
    }

    /// Adds a tag's members, in ascending order (a full build, or a tag first seen).
    public mutating func setMembers(ofTag tagID: Int64, _ profileIDs: [Int64]) {
        var bitmap = RoaringBitmap()
        for id in profileIDs { if let id = UInt32(exactly: id) { bitmap.append(id) } }
        tags[tagID] = bitmap
    }

    /// The tags it holds members of.
    public var tagIDs: Set<Int64> { Set(tags.keys) }

    /// Drops tags that are gone.
    public mutating func keepTags(_ ids: Set<Int64>) {
        for id in tags.keys where !ids.contains(id) { tags[id] = nil }
    }

    /// Puts a changed profile where it now belongs, with the tags it now carries (among the tags held).
    public mutating func update(_ entry: Entry, tags carried: Set<Int64>) {
        guard let id = UInt32(exactly: entry.id) else { return }
        let index = Int(id)
        if index < stageOf.count {
            if stageOf[index] != 0 { stages[Self.stageCodes[Int(stageOf[index]) - 1]]?.remove(id) }
            if storeOf[index] != 0 { stores[Int64(storeOf[index])]?.remove(id) }
        }
        everyone.remove(id)
        verified.remove(id)
        for tag in Array(tags.keys) { tags[tag]?.remove(id) }
        guard entry.live else {
            remember(id, stage: nil, store: 0)
            return
        }
        everyone.insert(id)
        stages[entry.stage, default: RoaringBitmap()].insert(id)
        if entry.verified { verified.insert(id) }
        let store = entry.storeID.flatMap { UInt32(exactly: $0) } ?? 0
        if store != 0 { stores[Int64(store), default: RoaringBitmap()].insert(id) }
        remember(id, stage: entry.stage, store: store)
        for tag in carried where tags[tag] != nil { tags[tag]?.insert(id) }
    }

    private mutating func remember(_ id: UInt32, stage: ConsumerStage?, store: UInt32) {
        let index = Int(id)
        if index >= stageOf.count {
            let size = max(index + 1, stageOf.count + stageOf.count / 2)
            stageOf.append(contentsOf: repeatElement(0, count: size - stageOf.count))
            storeOf.append(contentsOf: repeatElement(0, count: size - storeOf.count))
        }
        stageOf[index] = stage.flatMap { s in Self.stageCodes.firstIndex(of: s).map { UInt8($0 + 1) } } ?? 0
        storeOf[index] = store
    }

    public func members(ofStage stage: ConsumerStage) -> RoaringBitmap { stages[stage] ?? RoaringBitmap() }
    public func members(ofTag tagID: Int64) -> RoaringBitmap { tags[tagID] ?? RoaringBitmap() }
    public func members(ofStore storeID: Int64) -> RoaringBitmap { stores[storeID] ?? RoaringBitmap() }
    /// The customers of these stores.
    public func members(ofStores storeIDs: [Int64]) -> RoaringBitmap {
        RoaringBitmap.union(storeIDs.compactMap { stores[$0] })
    }
}
