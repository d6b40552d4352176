public import Foundation
import FullChainApp
public import FullChainCore
import HTTPTypes
public import Hummingbird
import Logging
public import NIOCore

/// Per-request state: who is calling (once authenticated), the page language and the
/// connection's peer.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection's peer (nil when the router is called within the process, as in tests).
    public let remoteAddress: SocketAddress?
    /// The signed-in caller, set by `AuthMiddleware`.
    public var principal: Principal?
    /// The language pages render in.
    public var language: Language = .zh
    /// The caller's brand's time zone, which pages show times in (set by `AuthMiddleware`).
    public var timeZone: TimeZone = BrandTimeZones.china
    /// Imports are the largest bodies; every handler still collects with its own, smaller limit.
    public var maxUploadSize: Int { 64 << 20 }

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The caller, or 401 when nobody signed in.
    public func requirePrincipal() throws(APIError) -> Principal {
        guard let principal else { throw APIError.unauthenticated }
        return principal
    }

    /// The caller, or 401/403 when they lack the permission.
    public func require(_ permission: Permission) throws(APIError) -> Principal {
        let principal = try requirePrincipal()
        guard permission.isGranted(to: principal.role) else { throw APIError.forbidden }
        return principal
    }
}

/// The two languages of the web pages.
public enum Language: String, Sendable, CaseIterable {
    case zh
    case en
}
