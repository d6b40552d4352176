/// Where a consumer is in their life with the brand, from their scans.
public enum ConsumerStage: String, Sendable, Codable, CaseIterable {
    /// One scan so far.
    case new
    /// Scanned again.
    case active
    /// Five scans or more, the last one recent.
    case loyal
    /// No scan for 60 days.
    case dormant
    /// No scan for 180 days.
    case lost

    public static let dormantDays: Int64 = 60
    public static let lostDays: Int64 = 180
    public static let loyalScans: Int64 = 5

    /// The stage of a consumer with `scans` scans, the last at `lastScanAt` (nil: none yet), at `now` (milliseconds).
    public static func of(scans: Int64, lastScanAt: Int64?, now: Int64) -> ConsumerStage {
        guard let last = lastScanAt, scans > 0 else { return .new }
        let idle = now - last
        if idle >= lostDays * 86_400_000 { return .lost }
        if idle >= dormantDays * 86_400_000 { return .dormant }
        if scans >= loyalScans { return .loyal }
        return scans >= 2 ? .active : .new
    }
}

/// The kinds of identity a consumer profile joins. Each is stored only as its keyed pseudonym.
public enum IdentityKind: String, Sendable, Codable, CaseIterable {
    /// An openid WeChat confirmed for the brand's app.
    case openid
    /// The unionid WeChat gives when the brand's accounts are bound: the same person across apps.
    case unionid
    /// A phone proven by a texted code.
    case phone
    /// A consumer that scans named but nobody proved (an asserted openid or phone).
    case scanner
    /// A phone (handset) someone signed in on. Devices are shared: one never joins two profiles.
    case device

    /// The kind of a subject (`openid:…`, `unionid:…`, `phone:…`).
    public static func of(subject: String) -> IdentityKind {
        if subject.hasPrefix("openid:") { return .openid }
        if subject.hasPrefix("unionid:") { return .unionid }
        if subject.hasPrefix("phone:") { return .phone }
        if subject.hasPrefix("device:") { return .device }
        return .scanner
    }

    /// Whether two profiles holding it are one person (merged on sight).
    public var joinsProfiles: Bool { self == .unionid || self == .phone }
}

/// Why two profiles were merged.
public enum MergeEvidence: String, Sendable, Codable, CaseIterable {
    /// Both hold the same unionid (WeChat says they are one person).
    case sameUnionid = "same_unionid"
    /// Both hold the same proven phone.
    case samePhone = "same_phone"
    /// The consumer proved a phone and then signed in with WeChat in the same browser.
    case phoneThenWeChat = "phone_then_wechat"
    /// Someone at HQ judged them one person.
    case manual
}

/// What the brand's consumer list filters by (all optional, combined).
public struct ConsumerFilter: Sendable, Equatable {
    /// The pseudonym of an identity a person typed (phone or openid), computed by the app.
    public var identity: String?
    public var storeID: Int64?
    /// Consumers whose store is in this region or below it.
    public var regionCode: String?
    public var stage: ConsumerStage?
    /// Consumers carrying this tag.
    public var tagID: Int64?

    public init(identity: String? = nil, storeID: Int64? = nil, regionCode: String? = nil, stage: ConsumerStage? = nil, tagID: Int64? = nil) {
        self.identity = identity
        self.storeID = storeID
        self.regionCode = regionCode
        self.stage = stage
        self.tagID = tagID
    }
}

/// One consumer in the brand's list: one person, whatever identities they came with.
public struct ConsumerSummary: Sendable, Equatable, Codable {
    public var id: Int64
    /// How people see them: a masked phone or openid, never the whole.
    public var label: String
    public var verified: Bool
    public var stage: ConsumerStage
    public var scans: Int64
    public var firstScanAt: Int64?
    public var lastScanAt: Int64?
    /// The store that sold them their last scanned unit (BC association), and its region.
    public var storeID: Int64?
    public var storeName: String?
    public var regionCode: String?
    public var createdAt: Int64

    public init(
        id: Int64, label: String, verified: Bool, stage: ConsumerStage, scans: Int64, firstScanAt: Int64?, lastScanAt: Int64?, storeID: Int64?,
        storeName: String?, regionCode: String?, createdAt: Int64
    ) {
        self.id = id
        self.label = label
        self.verified = verified
        self.stage = stage
        self.scans = scans
        self.firstScanAt = firstScanAt
        self.lastScanAt = lastScanAt
        self.storeID = storeID
        self.storeName = storeName
        self.regionCode = regionCode
        self.createdAt = createdAt
    }
}

/// A masked form of an identity for people: `139****5678`, `oAbC…Xy9z`.
public enum IdentityMask {
    public static func mask(subject: String) -> String {
        let value = subject.split(separator: ":", maxSplits: 1).last.map(String.init) ?? subject
        switch IdentityKind.of(subject: subject) {
        case .phone where value.count >= 7:
            return String(value.prefix(3)) + "****" + String(value.suffix(4))
        default:
            return value.count > 8 ? String(value.prefix(4)) + "…" + String(value.suffix(4)) : String(repeating: "•", count: max(4, value.count))
        }
    }
}
