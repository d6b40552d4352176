/// A distributor's territory: the regions (province, city or county codes) it may sell into.
public struct Territory: Sendable, Hashable {
    public var regionCodes: [String]

    public init(_ regionCodes: [String]) {
        self.regionCodes = regionCodes
    }

    /// Whether a region (any level) lies inside one of the territory's regions. A province
    /// covers every code that starts with its two digits, a city its four, a county its six.
    public func covers(_ regionCode: String) -> Bool {
        let code = Array(regionCode.utf8)
        return regionCodes.contains { territory in
            let t = Array(territory.utf8)
            guard t.count == 12, code.count == 12, let level = Region.level(ofCode: territory) else { return false }
            let digits = switch level {
            case .province: 2
            case .city: 4
            case .county: 12
            }
            return code[0..<digits] == t[0..<digits]
        }
    }
}
