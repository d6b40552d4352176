#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level text helpers: UTF-8 validation and GB18030 conversion through `iconv`.
enum TextDecoding {
    /// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            // ASCII fast path, eight bytes at a time.
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < count else { return true }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return false }
            var offset = 2
            while offset < length {
                guard bytes[index + offset] & 0xC0 == 0x80 else { return false }
                offset += 1
            }
            index += length
        }
        return true
    }

    /// Converts bytes between encodings with `iconv`; nil when the input is invalid or iconv is unavailable.
    static func convert(_ input: [UInt8], from source: String, to target: String) -> [UInt8]? {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
            guard let descriptor = iconv_open(target, source), descriptor != iconv_t(bitPattern: -1) else {
                return nil
            }
            defer { iconv_close(descriptor) }
            if input.isEmpty { return [] }

            var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
            var produced = 0
            var consumed = 0
            var input = input
            while true {
                let result: Int = input.withUnsafeMutableBufferPointer { inBuffer in
                    output.withUnsafeMutableBufferPointer { outBuffer in
                        guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return -1 }
                        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase + consumed)
                            .assumingMemoryBound(to: CChar.self)
                        var inLeft = inBuffer.count - consumed
                        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase + produced)
                            .assumingMemoryBound(to: CChar.self)
                        var outLeft = outBuffer.count - produced
                        let status = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                        let failure = status == -1 ? errno : 0
                        consumed = inBuffer.count - inLeft
                        produced = outBuffer.count - outLeft
                        return Int(failure)
                    }
                }
                if result == 0 { break }
                if result == Int(E2BIG) {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                    continue
                }
                return nil // EILSEQ (invalid sequence), EINVAL (truncated sequence) or anything else.
            }
            output.removeSubrange(produced...)
            return output
        #else
            return nil
        #endif
    }
}
