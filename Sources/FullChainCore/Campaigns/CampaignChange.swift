/// What HQ may change on a campaign once it is funded: its name, when it ends, and its daily win
/// limits. Products, regions, prizes and budgets stay as they were funded.
public struct CampaignChange: Sendable, Codable, Equatable {
    public var name: String?
    public var endsAt: Int64?
    public var perConsumerPerDay: Int?
    public var perDevicePerDay: Int?

    public init(name: String? = nil, endsAt: Int64? = nil, perConsumerPerDay: Int? = nil, perDevicePerDay: Int? = nil) {
        self.name = name
        self.endsAt = endsAt
        self.perConsumerPerDay = perConsumerPerDay
        self.perDevicePerDay = perDevicePerDay
    }

    /// The campaign's definition with the change made, every problem reported at once: a new end
    /// must lie after `now` and the start, within the longest run a campaign may have.
    public func applied(to draft: CampaignDraft, now: Int64) throws(ValidationError) -> CampaignDraft {
        var v = Validator()
        var changed = draft
        if let name { changed.name = v.text(name, field: "name", maxLength: 100) }
        if let endsAt {
            let end = v.integer(endsAt, field: "endsAt", in: 0...Int64(4_102_444_800_000))
            if end <= max(now, draft.startsAt) {
                v.add(FieldError(field: "endsAt", code: "in_the_past", message: "endsAt must be after now and after startsAt"))
            } else if end - draft.startsAt > CampaignInput.maxDuration {
                v.add(FieldError(field: "endsAt", code: "too_long", message: "a campaign runs at most 366 days"))
            }
            changed.endsAt = end
        }
        if let perConsumerPerDay {
            changed.limits.perConsumerPerDay = Int(v.integer(Int64(perConsumerPerDay), field: "perConsumerPerDay", in: 1...1_000))
        }
        if let perDevicePerDay {
            changed.limits.perDevicePerDay = Int(v.integer(Int64(perDevicePerDay), field: "perDevicePerDay", in: 1...1_000))
        }
        try v.check()
        return changed
    }
}
