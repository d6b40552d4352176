/// PNG files of 1-bit grayscale images: the signature, IHDR, one IDAT and IEND, each chunk with
/// its CRC-32. The IDAT holds a zlib stream of stored (uncompressed) deflate blocks with its
/// Adler-32: QR images are small, and this needs no compressor.
public enum PNG {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func encode(_ image: MonochromeImage) -> [UInt8] {
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(image.width))
        header.appendBigEndian(UInt32(image.height))
        // Bit depth 1, grayscale, deflate, adaptive filtering, no interlace.
        header += [1, 0, 0, 0, 0]
        // Every scanline with filter type 0 (none).
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity(image.height * (image.bytesPerRow + 1))
        for row in 0..<image.height {
            scanlines.append(0)
            scanlines += image.bytes[(row * image.bytesPerRow)..<((row + 1) * image.bytesPerRow)]
        }
        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", zlibStored(scanlines), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// Length, type, data and the CRC-32 of type and data.
    static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        file.appendBigEndian(UInt32(data.count))
        let start = file.count
        file += Array(type.utf8)
        file += data
        file.appendBigEndian(crc32(file[start...]))
    }

    /// A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951) of at most 65,535 bytes.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        // CM 8 (deflate), 32K window, no dictionary; FCHECK makes the header a multiple of 31.
        var out: [UInt8] = [0x78, 0x01]
        out.reserveCapacity(data.count + data.count / 65_535 * 5 + 16)
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = UInt16(end - start)
            out.append(end == data.count ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += data[start..<end]
            start = end
        } while start < data.count
        out.appendBigEndian(adler32(data))
        return out
    }

    static let crcTable: [UInt32] = (UInt32(0)..<256).map { n in
        (0..<8).reduce(n) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    /// CRC-32 as PNG and zlib use it (ISO 3309, reflected 0xEDB88320).
    public static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        ~bytes.reduce(UInt32.max) { crc, byte in crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }

    /// Adler-32 of RFC 1950.
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        var start = 0
        // 5,552 bytes is the most that can be summed before the sums could overflow 32 bits.
        while start < bytes.count {
            let end = min(start + 5_552, bytes.count)
            for byte in bytes[start..<end] {
                a += UInt32(byte)
                b += a
            }
            a %= 65_521
            b %= 65_521
            start = end
        }
        return b << 16 | a
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
