/// A black-and-white raster, 1 bit a pixel: rows of `bytesPerRow` bytes, the leftmost pixel in
/// the most significant bit, 1 for white and 0 for black (PNG's 1-bit grayscale layout).
public struct MonochromeImage: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public let bytesPerRow: Int
    public private(set) var bytes: [UInt8]

    /// An all-white image.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        bytesPerRow = (self.width + 7) / 8
        bytes = [UInt8](repeating: 0xFF, count: bytesPerRow * self.height)
    }

    public func isBlack(x: Int, y: Int) -> Bool {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return false }
        return bytes[y * bytesPerRow + (x >> 3)] & (0x80 >> UInt8(x & 7)) == 0
    }

    /// Blackens a rectangle; whatever falls outside the image is left out.
    public mutating func fillBlack(x: Int, y: Int, width w: Int, height h: Int) {
        let (left, right) = (max(0, x), min(width, x + w))
        let (top, bottom) = (max(0, y), min(height, y + h))
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            let base = row * bytesPerRow
            var column = left
            while column < right {
                if column & 7 == 0 && right - column >= 8 {
                    bytes[base + (column >> 3)] = 0
                    column += 8
                } else {
                    bytes[base + (column >> 3)] &= ~(0x80 >> UInt8(column & 7))
                    column += 1
                }
            }
        }
    }
}
