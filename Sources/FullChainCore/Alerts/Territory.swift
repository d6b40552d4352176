/// A distributor's territory: the regions (province, city or county codes) it may sell into.
public struct Territory: Sendable, Hashable {
    public let regionCodes: [String]
    /// The digits each region's codes start with: a province's two, a city's four, a county's whole
    /// twelve (worked out once: every scan of the distributor's goods asks).
    private let prefixes: [[UInt8]]

    public init(_ regionCodes: [String]) {
        self.regionCodes = regionCodes
        prefixes = regionCodes.compactMap { code in
            guard code.utf8.count == 12, let level = Region.level(ofCode: code) else { return nil }
            let digits =
                switch level {
                case .province: 2
                case .city: 4
                case .county: 12
                }
            return Array(code.utf8.prefix(digits))
        }
    }

    /// Whether a region (any level) lies inside one of the territory's regions.
    public func covers(_ regionCode: String) -> Bool {
        guard regionCode.utf8.count == 12 else { return false }
        return prefixes.contains { regionCode.utf8.starts(with: $0) }
    }

    /// Whether a region lies outside a territory that has regions (a distributor with none has no rule to break).
    public func excludes(_ regionCode: String) -> Bool {
        !regionCodes.isEmpty && !covers(regionCode)
    }
}
