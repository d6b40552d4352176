import Foundation
import ZIPFoundation

/// A strict, bounds-checked reader of zip archives held in memory.
///
/// Every offset and size from the archive is checked against the input before use; inflation is
/// fed only the entry's own bytes and stops at `maxEntryBytes`, so truncated, crafted or
/// zip-bomb input ends in an error rather than a crash, a hang or unbounded memory use.
struct ZipReader {
    /// One file in the central directory.
    struct Entry {
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    /// Default cap on the uncompressed size of one extracted entry.
    static let defaultMaxEntryBytes = 200 * 1024 * 1024

    private let bytes: [UInt8]
    private let maxEntryBytes: Int
    /// Entries by normalised name (lower case, forward slashes, no leading slash); first one wins.
    private(set) var entries: [String: Entry] = [:]

    init(_ bytes: [UInt8], maxEntryBytes: Int = ZipReader.defaultMaxEntryBytes) throws(TabularError) {
        self.bytes = bytes
        self.maxEntryBytes = maxEntryBytes
        try readCentralDirectory()
    }

    /// Normalises a part name for lookup.
    static func key(_ name: String) -> String {
        var name = name.replacingOccurrences(of: "\\", with: "/")
        while name.hasPrefix("/") { name.removeFirst() }
        return name.lowercased()
    }

    func contains(_ name: String) -> Bool {
        entries[Self.key(name)] != nil
    }

    /// The uncompressed bytes of an entry, or nil when there is no such entry.
    func data(_ name: String) throws(TabularError) -> [UInt8]? {
        guard let entry = entries[Self.key(name)] else { return nil }
        return try extract(entry, name: name)
    }

    // MARK: - Little-endian reads

    private func u16(_ offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    private func u32(_ offset: Int) -> Int {
        u16(offset) | u16(offset + 2) << 16
    }

    /// Reads a 64-bit value, or nil when it does not fit in a non-negative Int.
    private func u64(_ offset: Int) -> Int? {
        let high = u32(offset + 4)
        guard high < 0x8000_0000 else { return nil }
        return u32(offset) | high << 32
    }

    /// True when `offset..<offset+length` lies inside the input (overflow-safe).
    private func inBounds(_ offset: Int, _ length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    // MARK: - Central directory

    private mutating func readCentralDirectory() throws(TabularError) {
        let count = bytes.count
        guard count >= 22 else { throw .notXLSX(reason: "the file is not a zip archive") }
        // The end-of-central-directory record sits in the last 22 + 65535 bytes.
        var eocd = -1
        var position = count - 22
        let lowest = max(0, count - 22 - 0xFFFF)
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B,
                bytes[position + 2] == 0x05, bytes[position + 3] == 0x06
            {
                eocd = position
                break
            }
            position -= 1
        }
        guard eocd >= 0 else { throw .notXLSX(reason: "the file is not a zip archive or is truncated") }

        var entryCount = u16(eocd + 10)
        var directorySize = u32(eocd + 12)
        var directoryOffset = u32(eocd + 16)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the locator precedes the classic record and points at the ZIP64 record.
            let locator = eocd - 20
            guard inBounds(locator, 20), u32(locator) == 0x0706_4B50,
                let record = u64(locator + 8), inBounds(record, 56), u32(record) == 0x0606_4B50,
                let count64 = u64(record + 32), let size64 = u64(record + 40), let offset64 = u64(record + 48)
            else { throw .notXLSX(reason: "damaged ZIP64 directory") }
            entryCount = count64
            directorySize = size64
            directoryOffset = offset64
        }
        guard inBounds(directoryOffset, directorySize), directoryOffset + directorySize <= eocd else {
            throw .notXLSX(reason: "the zip directory is outside the file (truncated?)")
        }
        guard entryCount <= directorySize / 46 else {
            throw .notXLSX(reason: "damaged zip directory")
        }

        var cursor = directoryOffset
        let end = directoryOffset + directorySize
        for _ in 0..<entryCount {
            guard cursor + 46 <= end, u32(cursor) == 0x0201_4B50 else {
                throw .notXLSX(reason: "damaged zip directory entry")
            }
            let flags = u16(cursor + 8)
            let method = u16(cursor + 10)
            let crc = UInt32(truncatingIfNeeded: u32(cursor + 16))
            var compressed = u32(cursor + 20)
            var uncompressed = u32(cursor + 24)
            let nameLength = u16(cursor + 28)
            let extraLength = u16(cursor + 30)
            let commentLength = u16(cursor + 32)
            var localOffset = u32(cursor + 42)
            let nameStart = cursor + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= end else { throw .notXLSX(reason: "damaged zip directory entry") }

            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                guard
                    let values = zip64Extra(
                        extraStart, extraLength,
                        uncompressed: uncompressed == 0xFFFF_FFFF,
                        compressed: compressed == 0xFFFF_FFFF,
                        offset: localOffset == 0xFFFF_FFFF)
                else { throw .notXLSX(reason: "damaged ZIP64 entry") }
                uncompressed = values.uncompressed ?? uncompressed
                compressed = values.compressed ?? compressed
                localOffset = values.offset ?? localOffset
            }

            let name = String(decoding: bytes[nameStart..<extraStart], as: UTF8.self)
            let key = Self.key(name)
            if entries[key] == nil {
                entries[key] = Entry(
                    method: UInt16(method), flags: UInt16(flags), crc32: crc,
                    compressedSize: compressed, uncompressedSize: uncompressed,
                    localHeaderOffset: localOffset)
            }
            cursor = next
        }
    }

    /// Values from a ZIP64 extended-information extra field, in the order the spec gives them.
    private func zip64Extra(
        _ start: Int, _ length: Int, uncompressed: Bool, compressed: Bool, offset: Bool
    ) -> (uncompressed: Int?, compressed: Int?, offset: Int?)? {
        var cursor = start
        let end = start + length
        while cursor + 4 <= end {
            let id = u16(cursor)
            let size = u16(cursor + 2)
            let body = cursor + 4
            guard body + size <= end else { return nil }
            if id == 0x0001 {
                var field = body
                var result: (uncompressed: Int?, compressed: Int?, offset: Int?) = (nil, nil, nil)
                for (wanted, slot) in [(uncompressed, 0), (compressed, 1), (offset, 2)] where wanted {
                    guard field + 8 <= body + size, let value = u64(field) else { return nil }
                    switch slot {
                    case 0: result.uncompressed = value
                    case 1: result.compressed = value
                    default: result.offset = value
                    }
                    field += 8
                }
                return result
            }
            cursor = body + size
        }
        return nil
    }

    // MARK: - Extraction

    private func extract(_ entry: Entry, name: String) throws(TabularError) -> [UInt8] {
        if entry.flags & 0x0001 != 0 { throw .notXLSX(reason: "\(name) is encrypted") }
        let header = entry.localHeaderOffset
        guard inBounds(header, 30), u32(header) == 0x0403_4B50 else {
            throw .notXLSX(reason: "damaged zip entry \(name)")
        }
        let dataStart = header + 30 + u16(header + 26) + u16(header + 28)
        guard inBounds(dataStart, entry.compressedSize) else {
            throw .notXLSX(reason: "zip entry \(name) is truncated")
        }
        if entry.uncompressedSize > maxEntryBytes { throw .tooLarge(limit: maxEntryBytes) }

        let output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw .notXLSX(reason: "damaged zip entry \(name)")
            }
            output = Array(bytes[dataStart..<(dataStart + entry.compressedSize)])
        case 8:
            output = try inflate(bytes[dataStart..<(dataStart + entry.compressedSize)], entry: entry, name: name)
        default:
            throw .notXLSX(reason: "unsupported compression in \(name)")
        }
        guard output.count == entry.uncompressedSize,
            Data(output).crc32(checksum: 0) == entry.crc32
        else {
            throw .notXLSX(reason: "zip entry \(name) is corrupted")
        }
        return output
    }

    /// Raised inside the inflate callbacks; mapped to `TabularError` afterwards.
    private enum InflateStop: Error {
        case exhausted
        case tooLarge
    }

    private func inflate(_ source: ArraySlice<UInt8>, entry: Entry, name: String) throws(TabularError) -> [UInt8] {
        let chunkSize = 64 * 1024
        let cap = min(maxEntryBytes, entry.uncompressedSize)
        var output: [UInt8] = []
        output.reserveCapacity(cap)
        let base = source.startIndex
        let total = source.count
        do {
            _ = try Data.decompress(
                size: Int64(total), bufferSize: chunkSize, skipCRC32: true,
                provider: { position, size in
                    // Always hand back exactly `size` bytes (zero-padded past the entry's end):
                    // the inflater may assume a full buffer. Asking past the end means the
                    // deflate stream never finished inside the entry.
                    let start = Int(position)
                    guard size > 0, start < total else { throw InflateStop.exhausted }
                    let available = min(size, total - start)
                    var chunk = Data(source[(base + start)..<(base + start + available)])
                    if available < size { chunk.append(Data(count: size - available)) }
                    return chunk
                },
                consumer: { data in
                    guard output.count + data.count <= cap else { throw InflateStop.tooLarge }
                    output.append(contentsOf: data)
                })
        } catch InflateStop.tooLarge {
            if entry.uncompressedSize >= maxEntryBytes { throw .tooLarge(limit: maxEntryBytes) }
            throw .notXLSX(reason: "zip entry \(name) is corrupted")
        } catch {
            throw .notXLSX(reason: "zip entry \(name) is truncated or corrupted")
        }
        return output
    }
}
