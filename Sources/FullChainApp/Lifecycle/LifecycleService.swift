public import FullChainCore
public import FullChainStorage

/// The AARRR lifecycle as the brand runs it: its settings, moving consumers along the path as
/// they sign in, win, spend and redeem (scans move them in the profile rollup), and the funnel
/// and cohort figures of a caller's part of the org.
public struct LifecycleService: Sendable {
    let storage: AppStorage

    /// The longest period a funnel covers, in days (three years of rollups).
    public static let maxDays: Int64 = 1_096

    public init(storage: AppStorage) { self.storage = storage }

    /// Saves the brand's settings; 422 for a window out of range or a stage nothing can reach.
    /// They apply to moves from now on: moves already made stay.
    public func save(_ input: LifecycleSettingsInput, by user: String, tenantID: Int64, now: Int64) async throws -> LifecycleSettings {
        let settings = try input.validated()
        try await storage.lifecycle.save(settings, by: user, at: now, tenantID: tenantID)
        return settings
    }

    /// Moves the profile holding `pseudonym` (a wallet or identity) as far as what it did takes it.
    @discardableResult
    public func advance(pseudonym: String, tenantID: Int64, now: Int64) async throws -> [LifecycleTransition] {
        guard let profile = try await storage.profiles.profileID(of: pseudonym, tenantID: tenantID) else { return [] }
        return try await advance(profile: profile, tenantID: tenantID, now: now)
    }

    @discardableResult
    public func advance(profile: Int64, tenantID: Int64, now: Int64) async throws -> [LifecycleTransition] {
        let settings = try await storage.lifecycle.settings(tenantID: tenantID)
        return try await storage.lifecycle.advance(profile, settings: settings, now: now, tenantID: tenantID)
    }

    /// The funnel of consumers acquired on `days` (business days, both included) within `scope`;
    /// 422 for a period backwards or longer than `maxDays`.
    public func funnel(days: ClosedRange<Int64>, scope: AccessScope) async throws -> LifecycleFunnel {
        guard days.upperBound - days.lowerBound < Self.maxDays else {
            throw ValidationError([FieldError(field: "to", code: "out_of_range", message: "a period covers at most \(Self.maxDays) days")])
        }
        return try await storage.lifecycle.funnel(days: days, scope: scope)
    }

    /// The last `weeks` weekly cohorts up to the week of `today` (a business day) within `scope`.
    public func cohorts(weeks: Int64, today: Int64, scope: AccessScope) async throws -> [LifecycleCohort] {
        let count = min(max(weeks, 1), LifecycleCohort.maxWeeks)
        let last = Lifecycle.week(ofDay: today)
        return try await storage.lifecycle.cohorts(weeks: (last - count + 1)...last, scope: scope)
    }
}
