public import FullChainApp
public import FullChainCore
import HTTPTypes
public import Hummingbird
public import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension IPAddress {
    /// A socket peer's address; nil for a Unix domain socket.
    public init?(_ socket: SocketAddress) {
        switch socket {
        case .v4(let v4):
            self = .v4(UInt32(bigEndian: v4.address.sin_addr.s_addr))
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            let (high, low) = withUnsafeBytes(of: &raw) { bytes in
                (bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }, bytes.dropFirst(8).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            }
            self.init(high: high, low: low)
        case .unixDomainSocket:
            return nil
        }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

extension AppConfiguration {
    /// The client's address: the connection's peer, or, when the peer is a configured trusted
    /// proxy, the nearest untrusted address in `X-Forwarded-For`. Nil when the request did not
    /// come over a network socket (tests that call the router directly).
    public func clientAddress(_ request: Request, _ context: AppRequestContext) -> IPAddress? {
        let peer = context.remoteAddress.flatMap(IPAddress.init)
        let proxies = trustedProxies
        guard let peer, !proxies.networks.isEmpty, proxies.trusts(peer) else { return peer }
        return proxies.clientAddress(peer: peer, forwardedFor: request.headers[values: .xForwardedFor])
    }
}

extension AppServices {
    /// The client's address (see `AppConfiguration.clientAddress`).
    public func clientAddress(_ request: Request, _ context: AppRequestContext) -> IPAddress? {
        configuration.clientAddress(request, context)
    }
}
