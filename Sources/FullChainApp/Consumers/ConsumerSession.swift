import FullChainCore

/// A consumer signed in on a brand's scan pages: who WeChat or an SMS code said they are.
/// Carried in a cookie, sealed, so the scan path reads it without storage.
public struct ConsumerSession: Sendable, Equatable {
    public var tenantID: Int64
    /// `openid:…` (under `appID`: the only kind cash is paid to) or `phone:…`.
    public var subject: String
    public var appID: String?
    public var unionid: String?
    public var expiresAt: Int64
    /// Whether the consumer lets their scans keep the phone's exact position (else it is kept
    /// to about a kilometre): carried here so the scan path needs no storage for it.
    public var preciseLocation: Bool

    public init(tenantID: Int64, subject: String, appID: String?, unionid: String?, expiresAt: Int64, preciseLocation: Bool = true) {
        self.tenantID = tenantID
        self.subject = subject
        self.appID = appID
        self.unionid = unionid
        self.expiresAt = expiresAt
        self.preciseLocation = preciseLocation
    }

    /// The session as the cookie seals it: version, tenant, expiry, subject, app id, unionid and
    /// the location consent on lines of their own (none of them holds a line break). Read on
    /// every scan, so no JSON.
    var encoded: String? {
        let fields = [subject, appID ?? "", unionid ?? ""]
        guard !fields.contains(where: { $0.contains("\n") }) else { return nil }
        return (["2", String(tenantID), String(expiresAt)] + fields + [preciseLocation ? "1" : "0"]).joined(separator: "\n")
    }

    /// Version 1 (before consents) has no location line: it counts as given.
    init?(encoded text: String) {
        let fields = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard (fields.count == 6 && fields[0] == "1") || (fields.count == 7 && fields[0] == "2"), let tenantID = Int64(fields[1]),
            let expiresAt = Int64(fields[2]), !fields[3].isEmpty
        else { return nil }
        self.init(
            tenantID: tenantID, subject: String(fields[3]), appID: fields[4].isEmpty ? nil : String(fields[4]),
            unionid: fields[5].isEmpty ? nil : String(fields[5]), expiresAt: expiresAt, preciseLocation: fields.count == 6 || fields[6] != "0")
    }

    /// Whether cash prizes can be paid to this consumer: only to an openid WeChat confirmed.
    public var paysCash: Bool { subject.hasPrefix("openid:") }

    /// The subject without its kind, masked for pages (`o6_b…3xQ`, `138****5678`).
    public var maskedSubject: String {
        let value = subject.split(separator: ":", maxSplits: 1).last.map(String.init) ?? subject
        if subject.hasPrefix("phone:"), let phone = PhoneNumber(value) { return phone.masked }
        guard value.count > 8 else { return String(repeating: "•", count: value.count) }
        return String(value.prefix(4)) + "…" + String(value.suffix(3))
    }
}

/// A sign-in on its way through WeChat: which unit's page it started from, the device that
/// scanned there, and the `state` WeChat must send back. Sealed into a short-lived cookie.
struct SignInAttempt: Sendable, Equatable, Codable {
    var tenantID: Int64
    var code: String
    var deviceID: String?
    var state: String
    var expiresAt: Int64
}
