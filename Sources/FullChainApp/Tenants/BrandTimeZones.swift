public import Foundation
import FullChainCore
public import FullChainStorage

/// Each brand's time zone, which the pages show times in: read once a minute at most per brand
/// (a brand that names no known zone, or is gone, shows China time).
public final class BrandTimeZones: Sendable {
    /// China Standard Time, every brand's zone unless it names another.
    public static let china = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    private let storage: AppStorage
    private let zones = ExpiringCache<Int64, TimeZone>(lifetime: .seconds(60), capacity: 10_000)

    public init(storage: AppStorage) {
        self.storage = storage
    }

    /// The brand's time zone.
    public func zone(of tenantID: Int64) async throws -> TimeZone {
        try await zones.value(for: tenantID) {
            guard let identifier = try await storage.tenants.get(id: tenantID)?.timeZone else { return Self.china }
            return TimeZone(identifier: identifier) ?? Self.china
        }
    }
}
