/// What an alert is about.
public enum AlertKind: String, Sendable, Codable, CaseIterable {
    /// 窜货: goods sold outside the territory of the distributor they were shipped to.
    case diversion
    /// Signs of fake or copied codes.
    case counterfeit
}

/// The evidence behind an alert.
public enum AlertReason: String, Sendable, Codable, CaseIterable {
    /// A store outside the distributor's territory received the case.
    case storeReceipt = "store_receipt"
    /// Consumers on enough distinct devices scanned units of the case outside the territory.
    case consumerScans = "consumer_scans"
    /// One unit code scanned at places too far apart for one bottle.
    case farApart = "far_apart"
    /// One device or IP keeps sending codes that are not genuine.
    case invalidCodes = "invalid_codes"

    public var kind: AlertKind {
        switch self {
        case .storeReceipt, .consumerScans: .diversion
        case .farApart, .invalidCodes: .counterfeit
        }
    }
}

/// The thresholds that turn scans into alerts (configurable per deployment).
public struct AlertRules: Sendable, Equatable {
    /// Distinct devices that must scan a case's units outside the territory before it is called diverted.
    public var diversionDevices: Int
    /// Two scans of one unit farther apart than this (metres) suggest a copied code.
    public var farApartMetres: Double
    /// Invalid codes from one device or IP within `invalidWindow` that raise an alert.
    public var invalidAttempts: Int
    /// The window for counting invalid codes, in milliseconds.
    public var invalidWindow: Int64

    public init(diversionDevices: Int = 3, farApartMetres: Double = 300_000, invalidAttempts: Int = 20, invalidWindow: Int64 = 600_000) {
        self.diversionDevices = max(1, diversionDevices)
        self.farApartMetres = farApartMetres
        self.invalidAttempts = max(1, invalidAttempts)
        self.invalidWindow = max(1_000, invalidWindow)
    }

    /// Whether a later scan at `point` is too far from the unit's first scan at `first`.
    public func isFarApart(_ first: GeoPoint?, _ point: GeoPoint?) -> Bool {
        guard let first, let point else { return false }
        return first.distance(to: point) > farApartMetres
    }
}

/// Business days run on China Standard Time (UTC+8), whatever the server's zone.
public enum BusinessDay {
    static let offset: Int64 = 8 * 3_600_000

    /// Days since 1970-01-01 in China time for a timestamp in milliseconds.
    public static func day(ofMillis millis: Int64) -> Int64 {
        let shifted = millis + offset
        return shifted >= 0 ? shifted / 86_400_000 : (shifted - 86_399_999) / 86_400_000
    }

    /// The `YYYY-MM-DD` of a business day.
    public static func date(ofDay day: Int64) -> String {
        CalendarDate(dayNumber: Int(day)).text
    }

    /// The business day of a `YYYY-MM-DD` text; nil when it is not a valid date.
    public static func day(ofDate text: String) -> Int64? {
        CalendarDate(text).map { Int64($0.dayNumber) }
    }

    /// The first business day of the month `day` falls in.
    public static func firstOfMonth(containing day: Int64) -> Int64 {
        Self.day(ofDate: String(date(ofDay: day).prefix(8)) + "01") ?? day
    }

    /// The first millisecond of a business day.
    public static func start(ofDay day: Int64) -> Int64 {
        day * 86_400_000 - offset
    }
}
