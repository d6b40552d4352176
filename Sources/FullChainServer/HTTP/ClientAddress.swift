public import FullChainApp
public import FullChainCore
import HTTPTypes
public import Hummingbird
public import NIOCore

extension IPAddress {
    /// A socket peer's address; nil for a Unix domain socket. Read from the address's text, so no C
    /// socket structure is touched here.
    public init?(_ socket: SocketAddress) {
        guard let text = socket.ipAddress else { return nil }
        self.init(text)
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
