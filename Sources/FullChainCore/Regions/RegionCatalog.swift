import Foundation

/// China's regions, loaded once from the bundled `cn-regions.csv`, with lookups by code
/// and by name (`北京`, `北京市`, `北京市朝阳区`, `北京/朝阳区`).
public struct RegionCatalog: Sendable {
    public let regions: [Region]
    /// Regions the data gives no centre point for; they carry their nearest ancestor's.
    public let borrowedCentres: Set<String>
    private let byCode: [String: Int]
    private let byName: [String: [Int]]
    private let childrenByCode: [String: [Int]]
    /// Each region's full and short name as UTF-8, for matching joined paths quickly.
    private let nameBytes: [(full: [UInt8], short: [UInt8])]
    /// Each region's full name (`广东省 深圳市 南山区`), made once: scan answers name a place each.
    private let fullNames: [String]
    private let rootIndices: [Int]

    /// Why a region text did not resolve.
    public enum LookupError: Error, Sendable, Equatable {
        case unknown(String)
        case ambiguous(String, candidates: [String])
    }

    /// The catalog bundled with the core module.
    public static let shared: RegionCatalog = {
        guard let url = Bundle.module.url(forResource: "cn-regions", withExtension: "csv"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            return RegionCatalog(regions: [])
        }
        return RegionCatalog(csv: text)
    }()

    /// Parses `adcode,name,longitude,latitude` lines (first line a header). A row without a
    /// centre point takes its parent's; pseudo-regions outside GB/T 2260 (`99…`) are skipped.
    public init(csv: String) {
        var regions: [Region] = []
        var codes = Set<String>()
        var located = Set<String>()
        for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4, let level = Region.level(ofCode: fields[0]), !fields[0].hasPrefix("99"),
                !codes.contains(fields[0])
            else { continue }
            let lon = Double(fields[2]), lat = Double(fields[3])
            codes.insert(fields[0])
            if lon != nil && lat != nil { located.insert(fields[0]) }
            regions.append(Region(code: fields[0], name: fields[1], level: level, parentCode: nil, longitude: lon ?? 0, latitude: lat ?? 0))
        }
        // Parent: the city for a county when it exists, else the province.
        for index in regions.indices where regions[index].level != .province {
            let code = regions[index].code
            let city = String(code.prefix(4)) + "00000000"
            let province = String(code.prefix(2)) + "0000000000"
            regions[index].parentCode = (regions[index].level == .county && codes.contains(city)) ? city : province
        }
        // Missing centre points: the nearest located ancestor's (provinces first, so chains resolve).
        var borrowed = Set<String>()
        let positions = Dictionary(regions.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        for index in regions.indices.sorted(by: { regions[$0].level.depth < regions[$1].level.depth }) where !located.contains(regions[index].code) {
            var parent = regions[index].parentCode
            while let code = parent, let position = positions[code] {
                if located.contains(code) {
                    regions[index].longitude = regions[position].longitude
                    regions[index].latitude = regions[position].latitude
                    borrowed.insert(regions[index].code)
                    located.insert(regions[index].code)
                    break
                }
                parent = regions[position].parentCode
            }
        }
        self.init(regions: regions, borrowedCentres: borrowed)
    }

    public init(regions: [Region], borrowedCentres: Set<String> = []) {
        self.regions = regions
        self.borrowedCentres = borrowedCentres
        var byCode: [String: Int] = [:]
        var byName: [String: [Int]] = [:]
        var children: [String: [Int]] = [:]
        for (index, region) in regions.enumerated() {
            byCode[region.code] = index
            for key in Set([region.name, RegionCatalog.shortName(region.name)]) where !key.isEmpty {
                byName[key, default: []].append(index)
            }
            if let parent = region.parentCode { children[parent, default: []].append(index) }
        }
        self.byCode = byCode
        self.byName = byName
        self.childrenByCode = children
        self.rootIndices = regions.indices.filter { regions[$0].parentCode == nil }
        self.nameBytes = regions.map { (Array($0.name.utf8), Array(RegionCatalog.shortName($0.name).utf8)) }
        self.fullNames = regions.map { region in
            var names = [region.name]
            var parent = region.parentCode
            while let code = parent, let index = byCode[code], names.count < 8 {
                names.insert(regions[index].name, at: 0)
                parent = regions[index].parentCode
            }
            return names.joined(separator: " ")
        }
    }

    /// The region with this 12-digit or 6-digit (GB/T 2260) code.
    public func region(code: String) -> Region? {
        let trimmed = code.trimmingWhitespace()
        let full = trimmed.utf8.count == 6 ? trimmed + "000000" : trimmed
        return byCode[full].map { regions[$0] }
    }

    /// Direct children of a region (cities of a province, counties of a city); provinces for nil.
    public func children(of code: String?) -> [Region] {
        guard let code else { return regions.filter { $0.level == .province } }
        return (childrenByCode[code] ?? []).map { regions[$0] }
    }

    /// The chain from province down to this region.
    public func ancestry(of code: String) -> [Region] {
        var chain: [Region] = []
        var current = region(code: code)
        while let region = current {
            chain.insert(region, at: 0)
            current = region.parentCode.flatMap { self.region(code: $0) }
        }
        return chain
    }

    /// The full name, e.g. `广东省 深圳市 南山区`.
    public func fullName(of code: String) -> String {
        if let index = byCode[code] { return fullNames[index] }
        return ancestry(of: code).map(\.name).joined(separator: " ")
    }

    /// True when `code` is `ancestor` or lies inside it.
    public func isWithin(_ code: String, ancestor: String) -> Bool {
        ancestry(of: code).contains { $0.code == ancestor }
    }

    /// Resolves a code (12 or 6 digits) or a name. Names may be short (`北京`), full (`北京市`),
    /// or a path joined by `/`, spaces or nothing (`广东省深圳市南山区`, `广东/深圳/南山`).
    public func resolve(_ text: String) throws(LookupError) -> Region {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .unknown(text) }
        if trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard let region = region(code: trimmed) else { throw .unknown(text) }
            return region
        }
        let parts = trimmed.split(whereSeparator: { $0 == "/" || $0 == " " || $0 == "　" || $0 == "," }).map(String.init)
        if parts.count > 1 {
            return try resolvePath(parts, original: text)
        }
        let candidates = byName[trimmed] ?? byName[RegionCatalog.shortName(trimmed)] ?? []
        if candidates.count == 1 { return regions[candidates[0]] }
        if candidates.count > 1 {
            // Prefer the highest level when exactly one candidate is there (北京市 the province over 北京市 the city).
            let best = candidates.map { regions[$0] }.sorted { rank($0.level) < rank($1.level) }
            if rank(best[0].level) < rank(best[1].level) { return best[0] }
            throw .ambiguous(text, candidates: best.map { fullName(of: $0.code) })
        }
        // A joined path with no separators: 广东省深圳市南山区.
        if let region = resolveConcatenated(trimmed) { return region }
        throw .unknown(text)
    }

    private func resolvePath(_ parts: [String], original: String) throws(LookupError) -> Region {
        var scope: [Region] = children(of: nil)
        var found: Region?
        for part in parts {
            let matches = matchesDeep(part, under: scope)
            guard let first = matches.first else { throw .unknown(original) }
            if matches.count > 1 { throw .ambiguous(original, candidates: matches.map { fullName(of: $0.code) }) }
            found = first
            scope = children(of: first.code)
        }
        guard let found else { throw .unknown(original) }
        return found
    }

    /// Matches a name among these regions; municipalities let a county match one level down (北京/朝阳).
    private func matchesDeep(_ part: String, under scope: [Region]) -> [Region] {
        let direct = scope.filter { RegionCatalog.nameMatches($0.name, part) }
        if !direct.isEmpty { return direct }
        return scope.flatMap { children(of: $0.code) }.filter { RegionCatalog.nameMatches($0.name, part) }
    }

    private func resolveConcatenated(_ text: String) -> Region? {
        let bytes = Array(text.utf8)
        var position = 0
        var scope = rootIndices
        var found: Int?
        while position < bytes.count {
            // Longest name (full or short) of a region in scope or one level below that prefixes the rest.
            var best: (index: Int, length: Int)?
            for index in scope + scope.flatMap({ childrenByCode[regions[$0].code] ?? [] }) {
                for name in [nameBytes[index].full, nameBytes[index].short] where !name.isEmpty && name.count > (best?.length ?? 0) {
                    if bytes.count - position >= name.count, bytes[position..<(position + name.count)].elementsEqual(name) {
                        best = (index, name.count)
                    }
                }
            }
            guard let best else { return nil }
            found = best.index
            position += best.length
            scope = childrenByCode[regions[best.index].code] ?? []
        }
        return found.map { regions[$0] }
    }

    private func rank(_ level: RegionLevel) -> Int {
        switch level {
        case .province: 0
        case .city: 1
        case .county: 2
        }
    }

    static func nameMatches(_ name: String, _ query: String) -> Bool {
        name == query || shortName(name) == query || shortName(name) == shortName(query)
    }

    /// A region's name without its administrative suffix: 北京市 → 北京, 广西壮族自治区 → 广西.
    public static func shortName(_ name: String) -> String {
        let suffixes = ["维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "盟", "县", "区", "旗"]
        for suffix in suffixes where name.hasSuffix(suffix) && name.count > suffix.count + 1 {
            return String(name.dropLast(suffix.count))
        }
        return name
    }
}
