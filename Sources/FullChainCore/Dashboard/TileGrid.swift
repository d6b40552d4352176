/// Lays places out on a grid for a tile map: each in the cell nearest its centre, or the nearest
/// free cell when that one is taken, so every place shows and none overlap.
public enum TileGrid {
    public struct Cell: Sendable, Hashable {
        public var column: Int
        public var row: Int

        public init(column: Int, row: Int) {
            self.column = column
            self.row = row
        }
    }

    /// The cells of the places, in their order; about `columns` wide.
    public static func place(_ points: [(longitude: Double, latitude: Double)], columns: Int = 12) -> [Cell] {
        guard !points.isEmpty else { return [] }
        let longitudes = points.map(\.longitude), latitudes = points.map(\.latitude)
        let west = longitudes.min() ?? 0, east = longitudes.max() ?? 0
        let south = latitudes.min() ?? 0, north = latitudes.max() ?? 0
        // Square cells in degrees, the wider side spread over `columns`; a place alone gets one cell.
        let size = max((east - west) / Double(max(1, columns - 1)), (north - south) / Double(max(1, columns / 2)), 0.01)
        var taken: Set<Cell> = []
        var cells: [Cell] = []
        for point in points {
            let wanted = Cell(
                column: Int(((point.longitude - west) / size).rounded()), row: Int(((north - point.latitude) / size).rounded()))
            var chosen = wanted
            // Rings around the wanted cell, nearest first.
            search: for radius in 0...(points.count + 1) {
                var ring: [Cell] = []
                for dc in -radius...radius {
                    for dr in -radius...radius where max(abs(dc), abs(dr)) == radius {
                        let cell = Cell(column: wanted.column + dc, row: wanted.row + dr)
                        if cell.column >= 0, cell.row >= 0 { ring.append(cell) }
                    }
                }
                ring.sort {
                    (abs($0.column - wanted.column) + abs($0.row - wanted.row), $0.row, $0.column) < (
                        abs($1.column - wanted.column) + abs($1.row - wanted.row), $1.row, $1.column
                    )
                }
                for cell in ring where !taken.contains(cell) {
                    chosen = cell
                    break search
                }
            }
            taken.insert(chosen)
            cells.append(chosen)
        }
        return cells
    }
}
