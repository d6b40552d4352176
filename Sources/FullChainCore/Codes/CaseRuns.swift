/// Consecutive cases that share what is known of them (their status, where they were shipped,
/// which store holds them), so a batch of thousands of cases reads as a few lines.
public struct CaseRun<Key: Equatable>: Equatable {
    public var cases: ClosedRange<Int>
    public var key: Key

    public init(cases: ClosedRange<Int>, key: Key) {
        self.cases = cases
        self.key = key
    }

    /// The runs of `cases`, in order: a new run starts wherever `key` changes.
    public static func runs(of cases: ClosedRange<Int>, key: (Int) -> Key) -> [CaseRun] {
        var runs: [CaseRun] = []
        for number in cases {
            let current = key(number)
            if let last = runs.indices.last, runs[last].key == current {
                runs[last].cases = runs[last].cases.lowerBound...number
            } else {
                runs.append(CaseRun(cases: number...number, key: current))
            }
        }
        return runs
    }
}

extension CaseRun: Sendable where Key: Sendable {}
