/// What a consumer may agree to, each on its own (PIPL's separate consent): marketing messages,
/// precise location kept with their scans, and sharing their purchases with the store that sold
/// the unit.
public enum ConsentPurpose: String, Sendable, CaseIterable, Codable {
    case marketing
    case location
    case storeSharing = "store_sharing"

    /// What a consumer has not been asked about yet counts as: marketing and sharing need a yes;
    /// the scan page's position is asked for by the browser each time, so it counts as given
    /// until withdrawn.
    public var grantedByDefault: Bool { self == .location }
}

/// The privacy notice consents are given under: a new version asks again.
public enum PrivacyNotice {
    public static let version = "2026-12-01"
}

/// One recorded choice: what, yes or no, under which notice, when.
public struct ConsentRecord: Sendable, Equatable {
    public var purpose: ConsentPurpose
    public var granted: Bool
    public var noticeVersion: String
    public var at: Int64

    public init(purpose: ConsentPurpose, granted: Bool, noticeVersion: String, at: Int64) {
        self.purpose = purpose
        self.granted = granted
        self.noticeVersion = noticeVersion
        self.at = at
    }

    /// Each purpose's latest choice, or its default when never asked.
    public static func current(_ history: [ConsentRecord]) -> [ConsentPurpose: Bool] {
        var state = Dictionary(uniqueKeysWithValues: ConsentPurpose.allCases.map { ($0, $0.grantedByDefault) })
        for record in history.sorted(by: { $0.at < $1.at }) { state[record.purpose] = record.granted }
        return state
    }
}

extension GeoPoint {
    /// The point rounded to two decimal places (about a kilometre): enough for the region.
    public var coarse: GeoPoint {
        GeoPoint(latitude: (latitude * 100).rounded() / 100, longitude: (longitude * 100).rounded() / 100) ?? self
    }
}
