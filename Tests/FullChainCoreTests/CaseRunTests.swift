import FullChainCore
import Testing

@Suite("Case runs")
struct CaseRunTests {
    @Test func consecutiveCasesWithTheSameFactsMakeOneRun() {
        // Cases 0–9: 0–3 shipped to distributor 7, 4 not shipped, 5–9 to distributor 8.
        let shippedTo: [Int: Int64] = [0: 7, 1: 7, 2: 7, 3: 7, 5: 8, 6: 8, 7: 8, 8: 8, 9: 8]
        let runs = CaseRun.runs(of: 0...9) { shippedTo[$0] }
        #expect(runs == [CaseRun(cases: 0...3, key: 7), CaseRun(cases: 4...4, key: nil), CaseRun(cases: 5...9, key: 8)])
    }

    @Test func oneCaseAndAllTheSame() {
        #expect(CaseRun.runs(of: 12...12) { _ in "a" } == [CaseRun(cases: 12...12, key: "a")])
        #expect(CaseRun.runs(of: 0...999) { _ in 1 } == [CaseRun(cases: 0...999, key: 1)])
        #expect(CaseRun.runs(of: 0...3) { $0 }.count == 4)
    }
}
