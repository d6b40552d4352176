/// A brand owner (品牌商): every piece of its data is isolated from every other tenant's.
public struct Tenant: Codable, Sendable, Equatable {
    public var id: Int64
    /// Short code used at login, e.g. `demo`.
    public var code: String
    public var name: String
    /// IANA time zone of the brand's business days.
    public var timeZone: String
    public var createdAt: Int64

    public init(id: Int64, code: String, name: String, timeZone: String = "Asia/Shanghai", createdAt: Int64) {
        self.id = id
        self.code = code
        self.name = name
        self.timeZone = timeZone
        self.createdAt = createdAt
    }
}
