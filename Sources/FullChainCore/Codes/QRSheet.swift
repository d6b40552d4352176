/// A printable page of QR symbols in a grid, left to right then top to bottom, each with a
/// short label centred under it.
///
/// Every cell is as wide as the widest symbol with its quiet zone, plus `labelHeight` modules
/// below for the label; SVG and PNG share this layout.
public struct QRSheet: Sendable {
    public struct Item: Sendable {
        public var code: QRCode
        public var label: String

        public init(code: QRCode, label: String) {
            self.code = code
            self.label = label
        }
    }

    public let items: [Item]
    public let columns: Int
    /// Modules a cell is wide (and tall, above its label).
    public let cellSide: Int
    /// Modules under each symbol for its label.
    public static let labelHeight = 5

    public init(_ items: [Item], columns: Int) {
        self.items = items
        self.columns = max(1, min(columns, items.count))
        cellSide = items.map(\.code.sizeWithQuietZone).max() ?? 0
    }

    public var rows: Int { (items.count + columns - 1) / columns }
    /// The page in modules.
    public var width: Int { columns * cellSide }
    public var height: Int { rows * (cellSide + Self.labelHeight) }

    /// Top left of item `index`'s cell, in modules.
    func origin(of index: Int) -> (x: Int, y: Int) {
        (index % columns * cellSide, index / columns * (cellSide + Self.labelHeight))
    }

    /// An SVG document: one path for every symbol's modules and a monospace text per label;
    /// the view box counts modules, shown at `scale` pixels a module.
    public func svg(scale: Int = 4) -> String {
        var svg = SVGText.open(width: width, height: height, scale: scale)
        svg += "<path fill=\"#000\" d=\""
        for (index, item) in items.enumerated() {
            let (x, y) = origin(of: index)
            let inset = (cellSide - item.code.sizeWithQuietZone) / 2
            item.code.appendPath(x: x + inset, y: y + inset, to: &svg)
        }
        svg += "\"/>"
        // Monospace glyphs are about 0.6 em wide: the longest label fills at most 95 % of a cell.
        let longest = max(1, items.map(\.label.unicodeScalars.count).max() ?? 1)
        let tenths = max(1, min(30, cellSide * 95 / (6 * longest)))
        svg += "<g font-family=\"monospace\" font-size=\"\(tenths / 10).\(tenths % 10)\" text-anchor=\"middle\" fill=\"#000\">"
        for (index, item) in items.enumerated() {
            let (x, y) = origin(of: index)
            // Centred, with the baseline 3.5 modules into the label band.
            svg += "<text x=\"\(SVGText.half(x * 2 + cellSide))\" y=\"\(SVGText.half((y + cellSide) * 2 + 7))\">\(SVGText.escaped(item.label))</text>"
        }
        svg += "</g></svg>\n"
        return svg
    }

    /// The page as an image of `scale` (at least 1) pixels a module; labels in a 5×7 pixel
    /// font, cut to what fits the cell (none at scale 1).
    public func image(scale: Int = 4) -> MonochromeImage {
        let scale = max(1, scale)
        var image = MonochromeImage(width: width * scale, height: height * scale)
        let cellPixels = cellSide * scale
        let tallest = (Self.labelHeight * scale - 2) / PixelFont.height
        for (index, item) in items.enumerated() {
            let (x, y) = origin(of: index)
            let inset = (cellSide - item.code.sizeWithQuietZone) / 2
            image.draw(item.code, x: (x + inset) * scale, y: (y + inset) * scale, scale: scale)
            guard tallest >= 1 else { continue }
            let length = item.label.unicodeScalars.count
            let pixel = max(1, min(tallest, cellPixels / max(1, length * PixelFont.advance)))
            let fitting = String(String.UnicodeScalarView(item.label.unicodeScalars.prefix((cellPixels + pixel) / (PixelFont.advance * pixel))))
            let textWidth = PixelFont.width(of: fitting.unicodeScalars.count, pixel: pixel)
            image.draw(
                text: fitting, x: x * scale + (cellPixels - textWidth) / 2,
                y: (y + cellSide) * scale + (Self.labelHeight * scale - PixelFont.height * pixel) / 2, pixel: pixel)
        }
        return image
    }

    /// The page as a PNG file, 1-bit grayscale.
    public func png(scale: Int = 4) -> [UInt8] {
        PNG.encode(image(scale: scale))
    }
}
