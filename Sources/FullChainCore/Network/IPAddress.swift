/// An IPv4 or IPv6 address. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack
/// socket reports for an IPv4 peer) is its IPv4 address.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    /// The 128 bits as two halves, most significant first.
    case v6(UInt64, UInt64)

    /// The address in its usual text (dotted quad, or IPv6 as RFC 5952 writes it), or nil.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        if bytes.contains(UInt8(ascii: ":")) {
            guard let (high, low) = Self.parseV6(bytes[...]) else { return nil }
            self.init(high: high, low: low)
        } else {
            guard let v4 = Self.parseV4(bytes[...]) else { return nil }
            self = .v4(v4)
        }
    }

    /// The address from 128 bits, unmapping IPv4-mapped addresses.
    public init(high: UInt64, low: UInt64) {
        self = high == 0 && low >> 32 == 0xFFFF ? .v4(UInt32(truncatingIfNeeded: low)) : .v6(high, low)
    }

    /// An entry of `X-Forwarded-For` as proxies write it: an address, `192.0.2.1:port`, `[2001:db8::1]`
    /// or `[2001:db8::1]:port`, with surrounding spaces.
    public init?(forwarded entry: some StringProtocol) {
        var text = Substring(entry)
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        if text.first == "[" {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || (rest.first == ":" && rest.dropFirst().allSatisfy(\.isASCIIDigit) && rest.count > 1) else { return nil }
            text = text[text.index(after: text.startIndex)..<close]
        } else if let colon = text.firstIndex(of: ":"), text.contains("."), case let port = text[text.index(after: colon)...],
            !port.isEmpty, port.allSatisfy(\.isASCIIDigit)
        {
            text = text[..<colon]
        }
        self.init(text)
    }

    public var isV4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// The 128-bit form (IPv4 addresses mapped), for prefix arithmetic.
    var bits: (high: UInt64, low: UInt64) {
        switch self {
        case .v4(let value): (0, 0xFFFF_0000_0000 | UInt64(value))
        case .v6(let high, let low): (high, low)
        }
    }

    /// Whom rate limits count: an IPv4 address, or an IPv6 address's /64, the network one
    /// subscriber is given (a client picks any address within it at will).
    public var subscriber: IPAddress {
        switch self {
        case .v4: self
        case .v6(let high, _): .v6(high, 0)
        }
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        case .v6(let high, let low):
            let groups = (0..<8).map { i in UInt16(truncatingIfNeeded: (i < 4 ? high : low) >> (48 - 16 * (i % 4))) }
            // RFC 5952: the longest run of two or more zero groups (the first of equals) becomes "::".
            var best = (start: -1, length: 0)
            var i = 0
            while i < 8 {
                guard groups[i] == 0 else {
                    i += 1
                    continue
                }
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > best.length && j - i >= 2 { best = (i, j - i) }
                i = j
            }
            func hex(_ range: Range<Int>) -> String { groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
            guard best.start >= 0 else { return hex(0..<8) }
            return hex(0..<best.start) + "::" + hex((best.start + best.length)..<8)
        }
    }

    // MARK: - Parsing

    /// Four decimal parts 0…255 (no leading zeros, which some readers take for octal).
    static func parseV4(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                part.count == 1 || part.first != UInt8(ascii: "0")
            else { return nil }
            let number = part.reduce(UInt32(0)) { $0 * 10 + UInt32($1 - UInt8(ascii: "0")) }
            guard number <= 255 else { return nil }
            value = value << 8 | number
        }
        return value
    }

    /// Eight groups of 1–4 hex digits, one run of them written `::`, the last two possibly a dotted quad.
    static func parseV6(_ bytes: ArraySlice<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count <= 45 else { return nil }
        func groups(_ part: ArraySlice<UInt8>, allowV4: Bool) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            let pieces = part.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            var out: [UInt16] = []
            for (index, piece) in pieces.enumerated() {
                if allowV4 && index == pieces.count - 1 && piece.contains(UInt8(ascii: ".")) {
                    guard let v4 = parseV4(piece) else { return nil }
                    out += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                    continue
                }
                guard (1...4).contains(piece.count) else { return nil }
                var group: UInt16 = 0
                for byte in piece {
                    guard let digit = byte.hexDigitValue else { return nil }
                    group = group << 4 | UInt16(digit)
                }
                out.append(group)
            }
            return out
        }
        var all: [UInt16]
        if let gap = bytes.indices.first(where: { bytes[$0] == UInt8(ascii: ":") && $0 + 1 < bytes.endIndex && bytes[$0 + 1] == UInt8(ascii: ":") }) {
            let head = bytes[..<gap], tail = bytes[(gap + 2)...]
            // One "::" only, and never ":::".
            guard !tail.starts(with: [UInt8(ascii: ":")]), !Array(tail).windows2Contains(UInt8(ascii: ":")),
                let first = groups(head, allowV4: false), let last = groups(tail, allowV4: true), first.count + last.count <= 7
            else { return nil }
            all = first + [UInt16](repeating: 0, count: 8 - first.count - last.count) + last
        } else {
            guard let parsed = groups(bytes, allowV4: true), parsed.count == 8 else { return nil }
            all = parsed
        }
        let high = all[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = all[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }
}

private extension Array where Element == UInt8 {
    /// Whether two equal bytes `byte` follow each other.
    func windows2Contains(_ byte: UInt8) -> Bool {
        guard count >= 2 else { return false }
        return (1..<count).contains { self[$0] == byte && self[$0 - 1] == byte }
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// A block of addresses in CIDR notation, e.g. `10.0.0.0/8` or `2001:db8::/32`; a bare address
/// is a block of one.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block.
    public let address: IPAddress
    /// Leading bits that every address of the block shares (0…32 for IPv4, 0…128 for IPv6).
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let width = address.isV4 ? 32 : 128
        var length = width
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ ("0"..."9").contains($0) }), let parsed = Int(parts[1]), parsed <= width
            else { return nil }
            length = parsed
        }
        self.init(address: address, prefixLength: length)
    }

    /// The block of `prefixLength` bits around `address` (its host bits cleared).
    public init(address: IPAddress, prefixLength: Int) {
        switch address {
        case .v4(let value):
            let length = min(max(0, prefixLength), 32)
            self.address = .v4(length == 0 ? 0 : value & ~UInt32(0) << (32 - length))
            self.prefixLength = length
        case .v6(let high, let low):
            let length = min(max(0, prefixLength), 128)
            let (maskHigh, maskLow) = Self.mask(length)
            self.address = .v6(high & maskHigh, low & maskLow)
            self.prefixLength = length
        }
    }

    /// Whether the address lies in the block (an IPv4 block never holds IPv6 addresses, nor the reverse).
    public func contains(_ other: IPAddress) -> Bool {
        switch (address, other) {
        case (.v4(let network), .v4(let value)):
            return prefixLength == 0 || value & ~UInt32(0) << (32 - prefixLength) == network
        case (.v6(let high, let low), .v6(let otherHigh, let otherLow)):
            let (maskHigh, maskLow) = Self.mask(prefixLength)
            return otherHigh & maskHigh == high && otherLow & maskLow == low
        default:
            return false
        }
    }

    public var description: String { "\(address)/\(prefixLength)" }

    private static func mask(_ length: Int) -> (UInt64, UInt64) {
        let high: UInt64 = length == 0 ? 0 : length >= 64 ? ~0 : ~UInt64(0) << (64 - length)
        let low: UInt64 = length <= 64 ? 0 : length >= 128 ? ~0 : ~UInt64(0) << (128 - length)
        return (high, low)
    }
}

/// The proxies in front of the servers whose `X-Forwarded-For` is believed.
public struct TrustedProxies: Sendable, Equatable {
    public var networks: [IPNetwork]
    /// How many `X-Forwarded-For` entries are read, from the right, at most.
    public static let maximumHops = 32

    public init(_ networks: [IPNetwork] = []) {
        self.networks = networks
    }

    public func trusts(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The client's address: the connection's peer, unless the peer is a trusted proxy; then the
    /// nearest address in `X-Forwarded-For` (read from the right, across all its fields in order)
    /// that is not a trusted proxy. An entry that is not an address ends the walk at the last
    /// trusted hop, which is the client as far as anyone can vouch; so does a chain of only
    /// trusted proxies, at its leftmost.
    public func clientAddress(peer: IPAddress?, forwardedFor fields: [String]) -> IPAddress? {
        guard let peer, !networks.isEmpty, trusts(peer) else { return peer }
        var client = peer
        var hops = 0
        for field in fields.reversed() {
            for entry in field.split(separator: ",").reversed() {
                hops += 1
                guard hops <= Self.maximumHops, let address = IPAddress(forwarded: entry) else { return client }
                client = address
                if !trusts(address) { return address }
            }
        }
        return client
    }
}
