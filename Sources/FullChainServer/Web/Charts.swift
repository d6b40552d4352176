import Foundation
import FullChainCore

/// Small inline-SVG charts.
enum Charts {
    struct Bar {
        var label: String
        var value: Int
        var href: String?
    }

    static let palette = ["#1d64d8", "#12a150", "#e89b0c", "#7c5cdb", "#0e9aa7", "#e5483f", "#8a94a6", "#c2417e"]

    /// A horizontal bar chart: label, bar scaled to the largest value, and the value.
    static func bars(_ out: inout HTMLWriter, _ bars: [Bar], title: String, labelWidth: Int = 110) {
        let width = 560, rowHeight = 30, valueWidth = 72
        let track = width - labelWidth - valueWidth
        let maximum = max(1, bars.map(\.value).max() ?? 1)
        out += #"<svg class="chart" viewBox="0 0 \#(width) \#(max(1, bars.count) * rowHeight)" role="img" aria-label=""#
        out.appendEscaped(title)
        out += #"">"#
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight
            let length = bar.value == 0 ? 0 : max(2, Int((Double(bar.value) / Double(maximum) * Double(track)).rounded()))
            out += #"<g transform="translate(0 \#(y))">"#
            if let href = bar.href {
                out += #"<a href=""#
                out.appendEscaped(href)
                out += #"">"#
            }
            out += #"<text x="0" y="19">"#
            out.appendEscaped(bar.label)
            out += "</text>"
            out += #"<rect class="track" x="\#(labelWidth)" y="7" width="\#(track)" height="16" rx="4"/>"#
            out += #"<rect x="\#(labelWidth)" y="7" width="\#(length)" height="16" rx="4" fill="\#(palette[index % palette.count])"/>"#
            if bar.href != nil { out += "</a>" }
            out += #"<text class="value" x="\#(width)" y="19" text-anchor="end">\#(Format.number(bar.value))</text></g>"#
        }
        out += "</svg>"
    }

    /// Where a store lies relative to its county's centre: rings at a round radius, north up.
    static func storePlot(_ out: inout HTMLWriter, store: GeoPoint, centre: GeoPoint, centreName: String, storeName: String, t: L10n) {
        let size = 280.0, middle = 140.0, reach = 112.0
        let eastKm = (store.longitude - centre.longitude) * 111.32 * cos(centre.latitude * .pi / 180)
        let northKm = (store.latitude - centre.latitude) * 110.57
        let farthest = max(abs(eastKm), abs(northKm)) * 1.15
        let radius = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].first { $0 >= farthest } ?? 1000
        let scale = reach / radius
        let x = min(size - 8, max(8, middle + eastKm * scale))
        let y = min(size - 8, max(8, middle - northKm * scale))
        let radiusText = radius < 1 ? "500 m" : "\(Int(radius)) km"
        out += #"<svg class="chart plot" viewBox="0 0 280 280" role="img" aria-label=""#
        out.appendEscaped(t(.fromCountyCentre))
        out += #"">"#
        out += #"<line class="axis" x1="140" y1="10" x2="140" y2="270"/><line class="axis" x1="10" y1="140" x2="270" y2="140"/>"#
        out += #"<circle class="ring" cx="140" cy="140" r="\#(Int(reach))"/><circle class="ring" cx="140" cy="140" r="\#(Int(reach / 2))"/>"#
        out += #"<text x="146" y="20">N</text>"#
        out += #"<text x="\#(Int(middle + reach * 0.72))" y="\#(Int(middle + reach * 0.72 + 14))">\#(radiusText)</text>"#
        out += #"<rect class="centre" x="136" y="136" width="8" height="8" transform="rotate(45 140 140)"><title>"#
        out.appendEscaped(centreName)
        out += #"</title></rect><text x="148" y="156">"#
        out.appendEscaped(t(.countyCentre))
        out += #"</text><circle class="store" cx="\#(Format.decimal(x, places: 1))" cy="\#(Format.decimal(y, places: 1))" r="7"><title>"#
        out.appendEscaped(storeName)
        out += "</title></circle></svg>"
    }

    /// `1.2 km` or `350 m`.
    static func distance(metres: Double) -> String {
        metres >= 1000 ? Format.decimal(metres / 1000, places: 1) + " km" : "\(Int(metres.rounded())) m"
    }
}
