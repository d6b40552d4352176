/// Printed codes are not valid until the production line activates them; a range may later be
/// voided (a misprint, a destroyed pallet). Both act on case ranges of one batch, and the latest
/// action covering a case decides.
public enum CodeStatus: String, Sendable, Codable {
    /// Printed, never activated: scans are recorded and flagged, never count as sales.
    case inactive
    case active
    case voided
}

/// One activation or voiding of a range of a batch's cases.
public struct CodeRangeAction: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        case activate
        case void
    }

    public var id: Int64
    public var action: Action
    /// Case numbers, both ends included.
    public var firstCase: Int
    public var lastCase: Int
    public var createdAt: Int64

    public init(id: Int64, action: Action, firstCase: Int, lastCase: Int, createdAt: Int64) {
        self.id = id
        self.action = action
        self.firstCase = firstCase
        self.lastCase = lastCase
        self.createdAt = createdAt
    }

    public var cases: ClosedRange<Int> { firstCase...lastCase }
}

extension CodeBatch {
    /// The status of a case given the batch's range actions (any order; the latest id wins).
    public func status(ofCase number: Int, actions: [CodeRangeAction]) -> CodeStatus {
        guard let latest = actions.filter({ $0.cases.contains(number) }).max(by: { $0.id < $1.id }) else { return .inactive }
        return latest.action == .activate ? .active : .voided
    }

    /// The status of what a code names: a unit follows its case.
    public func status(of code: ScanCode, actions: [CodeRangeAction]) -> CodeStatus {
        status(ofCase: caseNumber(of: code), actions: actions)
    }
}

/// A request to activate or void cases; no range means the whole batch.
public struct CodeRangeInput: Sendable, Codable {
    public var action: String?
    public var firstCase: Int?
    public var lastCase: Int?

    public init(action: String?, firstCase: Int?, lastCase: Int?) {
        self.action = action
        self.firstCase = firstCase
        self.lastCase = lastCase
    }

    public func validated(for batch: CodeBatch) throws(ValidationError) -> (action: CodeRangeAction.Action, cases: ClosedRange<Int>) {
        var v = Validator()
        let action = CodeRangeAction.Action(rawValue: action ?? "")
        if action == nil { v.add(FieldError(field: "action", code: "invalid", message: "action is activate or void")) }
        let first = firstCase ?? 0
        let last = lastCase ?? (firstCase ?? (batch.caseCount - 1))
        if first < 0 || first >= batch.caseCount {
            v.add(FieldError(field: "firstCase", code: "out_of_range", message: "firstCase must be 0…\(batch.caseCount - 1)"))
        }
        if last < first || last >= batch.caseCount {
            v.add(FieldError(field: "lastCase", code: "out_of_range", message: "lastCase must be firstCase…\(batch.caseCount - 1)"))
        }
        try v.check()
        return (action ?? .activate, first...last)
    }
}
