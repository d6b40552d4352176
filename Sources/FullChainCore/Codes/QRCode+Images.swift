/// A QR symbol drawn as SVG, as a 1-bit image and as PNG, quiet zone included.
extension QRCode {
    /// An SVG document: a white square and one path of dark module runs. The view box counts
    /// modules; width and height are `scale` pixels a module.
    public func svg(scale: Int = 8) -> String {
        let side = sizeWithQuietZone
        var svg = SVGText.open(width: side, height: side, scale: scale)
        svg += "<path fill=\"#000\" d=\""
        appendPath(x: 0, y: 0, to: &svg)
        svg += "\"/></svg>\n"
        return svg
    }

    /// The same drawing as an `<svg>` element to put inside an HTML page (no XML declaration).
    public func svgElement(scale: Int = 8) -> String {
        let document = svg(scale: scale)
        guard let newline = document.firstIndex(of: "\n") else { return document }
        return String(document[document.index(after: newline)...])
    }

    /// Path commands for every dark run, with the top left of the quiet zone at (x, y).
    func appendPath(x: Int, y: Int, to path: inout String) {
        for row in 0..<size {
            for run in darkRuns(row: row) {
                path += "M\(x + quietZone + run.x),\(y + quietZone + row)h\(run.length)v1h-\(run.length)z"
            }
        }
    }

    /// The symbol as an image of `scale` (at least 1) pixels a module.
    public func image(scale: Int = 8) -> MonochromeImage {
        let scale = max(1, scale)
        var image = MonochromeImage(width: sizeWithQuietZone * scale, height: sizeWithQuietZone * scale)
        image.draw(self, x: 0, y: 0, scale: scale)
        return image
    }

    /// A PNG file, 1-bit grayscale, of `scale` pixels a module.
    public func png(scale: Int = 8) -> [UInt8] {
        PNG.encode(image(scale: scale))
    }
}

extension MonochromeImage {
    /// Draws a symbol with the top left of its quiet zone at (x, y).
    mutating func draw(_ code: QRCode, x: Int, y: Int, scale: Int) {
        for row in 0..<code.size {
            for run in code.darkRuns(row: row) {
                fillBlack(x: x + (code.quietZone + run.x) * scale, y: y + (code.quietZone + row) * scale, width: run.length * scale, height: scale)
            }
        }
    }
}

/// Pieces of SVG text.
enum SVGText {
    /// The opening tag and a white background: a view box of `width` × `height` units, shown at `scale` pixels a unit.
    static func open(width: Int, height: Int, scale: Int) -> String {
        let scale = max(1, scale)
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 \(width) \(height)\" "
            + "width=\"\(width * scale)\" height=\"\(height * scale)\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#fff\"/>"
    }

    /// Half of `twice`, written exactly: `7` gives `3.5`.
    static func half(_ twice: Int) -> String {
        twice % 2 == 0 ? "\(twice / 2)" : "\(twice / 2).5"
    }

    /// Text with XML's special characters escaped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 has no place for control characters.
            case _ where character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }: out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
