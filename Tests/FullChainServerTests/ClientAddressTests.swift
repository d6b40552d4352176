import FullChainCore
import FullChainServer
import NIOCore
import Testing

/// A socket peer's address as rate limits and the risk rules count it.
@Suite("Client addresses")
struct ClientAddressTests {
    @Test func socketPeersBecomeAddresses() throws {
        #expect(IPAddress(try SocketAddress(ipAddress: "192.0.2.1", port: 443)) == IPAddress("192.0.2.1"))
        #expect(IPAddress(try SocketAddress(ipAddress: "2001:db8::1", port: 443)) == IPAddress("2001:db8::1"))
        // A dual-stack socket reports an IPv4 peer as an IPv4-mapped IPv6 address: it counts as the IPv4 one.
        #expect(IPAddress(try SocketAddress(ipAddress: "::ffff:192.0.2.1", port: 443)) == IPAddress("192.0.2.1"))
        #expect(IPAddress(try SocketAddress(ipAddress: "::ffff:192.0.2.1", port: 443))?.isV4 == true)
        #expect(IPAddress(try SocketAddress(unixDomainSocketPath: "/tmp/fullchain-test.sock")) == nil)
    }
}
