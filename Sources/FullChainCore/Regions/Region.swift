/// The three levels of China's administrative divisions that FullChain uses.
public enum RegionLevel: String, Codable, Sendable, CaseIterable {
    case province, city, county

    /// 0 for provinces, 1 for cities, 2 for counties.
    public var depth: Int {
        switch self {
        case .province: 0
        case .city: 1
        case .county: 2
        }
    }
}

/// An administrative division (GB/T 2260-based 12-digit code) with its centre point.
public struct Region: Codable, Sendable, Hashable {
    /// 12-digit code: `PP0000000000` province, `PPCC00000000` city, `PPCCDD000000` county.
    public var code: String
    public var name: String
    public var level: RegionLevel
    /// The containing region's code (nil for provinces).
    public var parentCode: String?
    public var longitude: Double
    public var latitude: Double

    public init(code: String, name: String, level: RegionLevel, parentCode: String?, longitude: Double, latitude: Double) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.longitude = longitude
        self.latitude = latitude
    }

    /// The level a 12-digit code stands for, or nil when it is not such a code.
    public static func level(ofCode code: String) -> RegionLevel? {
        let bytes = Array(code.utf8)
        guard bytes.count == 12, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let zero = UInt8(ascii: "0")
        if bytes[2...].allSatisfy({ $0 == zero }) { return .province }
        if bytes[4...].allSatisfy({ $0 == zero }) { return .city }
        return .county
    }

    /// The digits a region's code shares with every region below it (the whole code when it is
    /// not a region code).
    public static func prefix(ofCode code: String) -> String {
        switch level(ofCode: code) {
        case .province: String(code.prefix(2))
        case .city: String(code.prefix(4))
        case .county: String(code.prefix(6))
        case nil: code
        }
    }
}
