import FullChainCore
import Testing

/// Client addresses: IPv4 and IPv6 text, CIDR blocks, and `X-Forwarded-For` believed only from trusted proxies.
@Suite("IP addresses")
struct IPAddressTests {
    /// An address the test writes correctly (the parsing tests prove these parse).
    static func ip(_ text: String) -> IPAddress { IPAddress(text) ?? .v6(.max, .max) }

    @Test func ipv4TextIsReadStrictly() {
        #expect(IPAddress("192.0.2.1") == .v4(0xC000_0201))
        #expect(IPAddress("0.0.0.0") == .v4(0) && IPAddress("255.255.255.255") == .v4(.max))
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        for bad in ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ", "a.b.c.d", "1.2.3.-4", "1234.1.1.1"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func ipv6TextIsReadAndWrittenAsRFC5952Says() {
        #expect(IPAddress("2001:db8::1") == .v6(0x2001_0DB8_0000_0000, 1))
        #expect(IPAddress("2001:0DB8:0000:0000:0000:0000:0000:0001") == IPAddress("2001:db8::1"))
        #expect(IPAddress("::1") == .v6(0, 1) && IPAddress("::") == .v6(0, 0))
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8::1")
        #expect(IPAddress("2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        #expect(IPAddress("2001:db8:0:1:1:1:1:1")?.description == "2001:db8:0:1:1:1:1:1")
        #expect(IPAddress("fe80::")?.description == "fe80::")
        #expect(IPAddress("::1")?.description == "::1")
        // An IPv4-mapped address is the IPv4 address.
        #expect(IPAddress("::ffff:192.0.2.1") == .v4(0xC000_0201))
        #expect(IPAddress("64:ff9b::192.0.2.1") == .v6(0x0064_FF9B_0000_0000, 0xC000_0201))
        for bad in [
            ":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", ":1::2", "1::2:", "fe80::1%eth0",
            "1:2:3:4:5:6:7:8::", "::1.2.3",
        ] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func forwardedEntriesMayCarryPortsAndBrackets() {
        #expect(IPAddress(forwarded: " 192.0.2.1 ") == IPAddress("192.0.2.1"))
        #expect(IPAddress(forwarded: "192.0.2.1:8080") == IPAddress("192.0.2.1"))
        #expect(IPAddress(forwarded: "[2001:db8::1]") == IPAddress("2001:db8::1"))
        #expect(IPAddress(forwarded: "[2001:db8::1]:443") == IPAddress("2001:db8::1"))
        #expect(IPAddress(forwarded: "2001:db8::1") == IPAddress("2001:db8::1"))
        for bad in ["unknown", "[2001:db8::1", "[2001:db8::1]x", "192.0.2.1:", "192.0.2.1:http", ""] {
            #expect(IPAddress(forwarded: bad) == nil, "\(bad)")
        }
    }

    @Test func cidrBlocksHoldTheirAddressesOnly() throws {
        let private10 = try #require(IPNetwork("10.0.0.0/8"))
        #expect(private10.contains(Self.ip("10.255.1.2")) && !private10.contains(Self.ip("11.0.0.1")))
        // Host bits are cleared; a bare address is a block of one.
        #expect(IPNetwork("10.1.2.3/8")?.description == "10.0.0.0/8")
        let one = try #require(IPNetwork("192.0.2.7"))
        #expect(one.prefixLength == 32 && one.contains(Self.ip("192.0.2.7")) && !one.contains(Self.ip("192.0.2.8")))
        #expect(try #require(IPNetwork("0.0.0.0/0")).contains(Self.ip("203.0.113.9")))
        let v6 = try #require(IPNetwork("2001:db8::/32"))
        #expect(v6.contains(Self.ip("2001:db8:ffff::1")) && !v6.contains(Self.ip("2001:db9::1")))
        let v6Long = try #require(IPNetwork("2001:db8::/96"))
        #expect(v6Long.contains(Self.ip("2001:db8::ffff:1")) && !v6Long.contains(Self.ip("2001:db8::1:0:0")))
        // An IPv4 block never holds IPv6 addresses, nor the reverse; a mapped address counts as IPv4.
        #expect(!private10.contains(Self.ip("::a00:1")) && private10.contains(Self.ip("::ffff:10.0.0.1")))
        #expect(!v6.contains(Self.ip("10.0.0.1")))
        for bad in ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "2001:db8::/129", "10.0.0.0/8/8", "/8", "x/8", "10.0.0.0/08a"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
    }

    @Test func ipv6ClientsCountByTheirSlash64() throws {
        #expect(Self.ip("2001:db8:1:2:aaaa::1").subscriber == IPAddress("2001:db8:1:2::"))
        #expect(Self.ip("192.0.2.1").subscriber == IPAddress("192.0.2.1"))
    }

    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() throws {
        let proxies = TrustedProxies([try #require(IPNetwork("10.0.0.0/8")), try #require(IPNetwork("2001:db8:ffff::/48"))])
        let proxy = Self.ip("10.0.0.5")
        let stranger = Self.ip("198.51.100.7")
        // No proxies configured, or an untrusted peer: the peer is the client, whatever it claims.
        #expect(TrustedProxies().clientAddress(peer: stranger, forwardedFor: ["203.0.113.9"]) == stranger)
        #expect(proxies.clientAddress(peer: stranger, forwardedFor: ["203.0.113.9"]) == stranger)
        #expect(proxies.clientAddress(peer: nil, forwardedFor: ["203.0.113.9"]) == nil)
        // A trusted peer: the nearest untrusted entry from the right; spoofed entries to its left do not count.
        #expect(proxies.clientAddress(peer: proxy, forwardedFor: ["1.1.1.1, 203.0.113.9"]) == IPAddress("203.0.113.9"))
        #expect(proxies.clientAddress(peer: proxy, forwardedFor: ["1.1.1.1, 203.0.113.9, 10.1.1.1"]) == IPAddress("203.0.113.9"))
        // Several header fields read as one list, in order.
        #expect(proxies.clientAddress(peer: proxy, forwardedFor: ["1.1.1.1", "203.0.113.9", "10.2.2.2"]) == IPAddress("203.0.113.9"))
        #expect(proxies.clientAddress(peer: proxy, forwardedFor: ["[2001:db8::9]:1234, [2001:db8:ffff::1]"]) == IPAddress("2001:db8::9"))
        // Only proxies: the leftmost; no header: the proxy itself.
        #expect(proxies.clientAddress(peer: proxy, forwardedFor: ["10.9.9.9, 10.1.1.1"]) == IPAddress("10.9.9.9"))
        #expect(proxies.clientAddress(peer: proxy, forwardedFor: []) == proxy)
        // Garbage ends the walk at the last hop a trusted proxy vouched for.
        #expect(proxies.clientAddress(peer: proxy, forwardedFor: ["203.0.113.9, unknown"]) == proxy)
        #expect(proxies.clientAddress(peer: proxy, forwardedFor: ["unknown, 10.1.1.1"]) == IPAddress("10.1.1.1"))
        // A chain longer than anyone builds stops at the limit.
        let long = Array(repeating: "10.1.1.1", count: TrustedProxies.maximumHops + 5).joined(separator: ",")
        #expect(proxies.clientAddress(peer: proxy, forwardedFor: ["203.0.113.9," + long]) == IPAddress("10.1.1.1"))
    }
}
