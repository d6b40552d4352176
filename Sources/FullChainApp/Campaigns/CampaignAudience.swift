import FullChainCore
public import FullChainStorage

/// Whether a scanning consumer is in a campaign's audience (a segment): the segment's members
/// are counted from the index once in a while, and each consumer's profile is looked up once.
public struct CampaignAudience: Sendable {
    let storage: AppStorage
    let segments: SegmentService
    /// A segment's members, by tenant and segment: a live count is a minute fresh at most.
    private let members = ExpiringCache<AudienceKey, RoaringBitmap>(lifetime: .seconds(60), capacity: 1_000)
    /// The profile behind a wallet pseudonym (0: none yet; looked at again soon).
    private let profiles = ExpiringCache<AudienceKey, Int64>(lifetime: .seconds(300))

    struct AudienceKey: Hashable, Sendable {
        var tenantID: Int64
        var id: String
    }

    public init(storage: AppStorage, segments: SegmentService) {
        self.storage = storage
        self.segments = segments
    }

    /// Whether the consumer (by wallet pseudonym) is a member of the segment; no consumer, or a
    /// segment since deleted, is not.
    func includes(wallet: String?, segmentID: Int64, tenantID: Int64, now: Int64) async throws -> Bool {
        guard let wallet else { return false }
        let profile = try await profiles.value(
            for: AudienceKey(tenantID: tenantID, id: wallet),
            load: { try await storage.profiles.profileID(of: wallet, tenantID: tenantID) ?? 0 },
            shortLifetime: { $0 == 0 ? .seconds(5) : nil })
        guard profile > 0, let member = UInt32(exactly: profile) else { return false }
        let bitmap = try await members.value(for: AudienceKey(tenantID: tenantID, id: String(segmentID))) {
            try await segments.members(ofSegment: segmentID, tenantID: tenantID, now: now) ?? RoaringBitmap()
        }
        return bitmap.contains(member)
    }
}
