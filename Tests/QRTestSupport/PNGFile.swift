/// A PNG file taken apart independently of the encoder: chunks with their CRCs checked, and for
/// 1-bit grayscale images without interlace, the pixels (from stored deflate blocks only).
public struct PNGFile {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public private(set) var chunkTypes: [String] = []
    /// The IHDR chunk's data.
    public private(set) var header: [UInt8] = []
    /// Every IDAT chunk's data, joined.
    public private(set) var data: [UInt8] = []
    public var width: Int { Self.bigEndian(header, at: 0) }
    public var height: Int { Self.bigEndian(header, at: 4) }

    public init(_ file: [UInt8]) throws {
        guard file.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw Malformed(description: "no PNG signature") }
        var offset = 8
        while offset + 12 <= file.count {
            let length = Self.bigEndian(file, at: offset)
            guard offset + 12 + length <= file.count else { throw Malformed(description: "chunk runs past the end") }
            let typeAndData = Array(file[(offset + 4)..<(offset + 8 + length)])
            guard Self.crc32(typeAndData) == UInt32(Self.bigEndian(file, at: offset + 8 + length)) else { throw Malformed(description: "bad CRC") }
            let type = String(decoding: typeAndData.prefix(4), as: UTF8.self)
            chunkTypes.append(type)
            if type == "IHDR" { header = Array(typeAndData.dropFirst(4)) }
            if type == "IDAT" { data += typeAndData.dropFirst(4) }
            offset += 12 + length
        }
        guard offset == file.count, chunkTypes.last == "IEND" else { throw Malformed(description: "bytes after IEND or no IEND") }
    }

    /// Rows of pixels, true for black.
    public func pixels() throws -> [[Bool]] {
        guard header.count == 13, header[8] == 1, header[9] == 0, header[12] == 0 else { throw Malformed(description: "not 1-bit grayscale") }
        guard data.count >= 6, (Int(data[0]) << 8 | Int(data[1])) % 31 == 0, data[0] & 0x0F == 8 else {
            throw Malformed(description: "bad zlib header")
        }
        var raw: [UInt8] = []
        var offset = 2
        var final = false
        while !final {
            guard offset + 5 <= data.count, data[offset] & 0b110 == 0 else { throw Malformed(description: "not a stored block") }
            final = data[offset] & 1 == 1
            let length = Int(data[offset + 1]) | Int(data[offset + 2]) << 8
            guard length ^ (Int(data[offset + 3]) | Int(data[offset + 4]) << 8) == 0xFFFF, offset + 5 + length <= data.count else {
                throw Malformed(description: "bad stored block length")
            }
            raw += data[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
        }
        guard offset + 4 == data.count, Self.adler32(raw) == UInt32(Self.bigEndian(data, at: offset)) else {
            throw Malformed(description: "bad Adler-32")
        }
        let rowBytes = (width + 7) / 8 + 1
        guard raw.count == rowBytes * height else { throw Malformed(description: "wrong image data size") }
        return try (0..<height).map { y in
            guard raw[y * rowBytes] == 0 else { throw Malformed(description: "filter other than none") }
            return (0..<width).map { x in raw[y * rowBytes + 1 + x / 8] & (0x80 >> (x % 8)) == 0 }
        }
    }

    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> Int {
        guard offset + 4 <= bytes.count else { return -1 }
        return bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
    }

    /// Bit by bit, without a table (the encoder uses one).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc = UInt32.max
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
