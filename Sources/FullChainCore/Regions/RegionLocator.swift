import Foundation

/// Finds the region a WGS-84 position lies in, approximately: the nearest centre point among
/// the smallest regions (counties, and cities or provinces with no counties listed), looked up
/// in a one-degree grid so a scan costs a few dozen distance checks.
public struct RegionLocator: Sendable {
    private struct Cell: Hashable {
        var lat: Int
        var lon: Int
    }

    private let leaves: [(code: String, point: GeoPoint)]
    private let grid: [Cell: [Int]]
    /// Farther than this from every centre point: not in China (or at sea).
    public let maximumDistance: Double

    public init(catalog: RegionCatalog, maximumDistance: Double = 150_000) {
        let parents = Set(catalog.regions.compactMap(\.parentCode))
        var leaves: [(code: String, point: GeoPoint)] = []
        for region in catalog.regions where !parents.contains(region.code) && !catalog.borrowedCentres.contains(region.code) {
            if let point = GeoPoint(latitude: region.latitude, longitude: region.longitude) { leaves.append((region.code, point)) }
        }
        var grid: [Cell: [Int]] = [:]
        for (index, leaf) in leaves.enumerated() {
            grid[Self.cell(of: leaf.point), default: []].append(index)
        }
        self.leaves = leaves
        self.grid = grid
        self.maximumDistance = maximumDistance
    }

    /// The shared catalog's locator.
    public static let shared = RegionLocator(catalog: .shared)

    private static func cell(of point: GeoPoint) -> Cell {
        Cell(lat: Int(point.latitude.rounded(.down)), lon: Int(point.longitude.rounded(.down)))
    }

    /// The code of the region whose centre is nearest, or nil when none is within `maximumDistance`.
    public func regionCode(at point: GeoPoint) -> String? {
        let centre = Self.cell(of: point)
        // Ranked by the flat-earth distance (exact enough between neighbours, and cheap); the
        // winner's great-circle distance decides whether it is near enough.
        let metresPerDegree = 111_195.0
        let lonScale = cos(point.latitude * .pi / 180)
        var best: (index: Int, squared: Double)?
        // Rings of cells outward until a ring's inner edge is farther than the best so far.
        for radius in 0...2 {
            for dLat in -radius...radius {
                for dLon in -radius...radius where max(abs(dLat), abs(dLon)) == radius {
                    for index in grid[Cell(lat: centre.lat + dLat, lon: centre.lon + dLon)] ?? [] {
                        let candidate = leaves[index].point
                        let y = (candidate.latitude - point.latitude) * metresPerDegree
                        let x = (candidate.longitude - point.longitude) * metresPerDegree * lonScale
                        let squared = x * x + y * y
                        if squared < best?.squared ?? .infinity { best = (index, squared) }
                    }
                }
            }
            // One degree of latitude is ~111 km; a ring of radius r covers at least r·(cos φ·111 km).
            if let best, best.squared < (Double(radius) * 80_000) * (Double(radius) * 80_000) { break }
        }
        guard let best, point.distance(to: leaves[best.index].point) <= maximumDistance else { return nil }
        return leaves[best.index].code
    }
}
