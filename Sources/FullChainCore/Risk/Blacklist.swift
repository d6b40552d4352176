/// What a blacklist entry names.
public enum BlacklistKind: String, Sendable, Codable, CaseIterable {
    case device
    case ip
    case openid
    case phone
}

/// One subject the brand refuses to reward without review.
public struct BlacklistEntry: Sendable, Equatable, Codable {
    public var kind: BlacklistKind
    public var value: String
    public var note: String

    public init(kind: BlacklistKind, value: String, note: String = "") {
        self.kind = kind
        self.value = value
        self.note = note
    }

    /// How the scan path names the subject: `device:…`, `ip:…`, `openid:…`, `phone:…`.
    public var subject: String { "\(kind.rawValue):\(value)" }
}

/// A blacklist entry as a client sends it.
public struct BlacklistInput: Sendable, Codable {
    public var kind: String?
    public var value: String?
    public var note: String?

    public init(kind: String?, value: String?, note: String? = nil) {
        self.kind = kind
        self.value = value
        self.note = note
    }

    /// The checked entries, or every field error (`[i].kind`, …) at once.
    public static func validated(_ inputs: [BlacklistInput]) throws(ValidationError) -> [BlacklistEntry] {
        var v = Validator()
        if inputs.isEmpty { v.add(FieldError(field: "entries", code: "required", message: "send at least one entry")) }
        if inputs.count > 10_000 { v.add(FieldError(field: "entries", code: "too_many", message: "at most 10,000 entries at a time")) }
        var entries: [BlacklistEntry] = []
        for (i, input) in inputs.prefix(10_000).enumerated() {
            let kind = BlacklistKind(rawValue: input.kind ?? "")
            if kind == nil { v.add(FieldError(field: "[\(i)].kind", code: "invalid", message: "kind is device, ip, openid or phone")) }
            let value = v.text(input.value, field: "[\(i)].value", maxLength: 128)
            if kind == .phone, !value.isEmpty, !value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "+" }) {
                v.add(FieldError(field: "[\(i)].value", code: "invalid", message: "a phone holds digits only"))
            }
            let note = v.optionalText(input.note, field: "[\(i)].note", maxLength: 200) ?? ""
            if let kind { entries.append(BlacklistEntry(kind: kind, value: value, note: note)) }
        }
        try v.check()
        return entries
    }
}
