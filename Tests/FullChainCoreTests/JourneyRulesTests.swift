import FullChainCore
import Testing

/// The rules of journeys as plain values: what a journey may be, who is held out, when a
/// message may go.
@Suite("Journey rules")
struct JourneyRulesTests {
    static func input(_ steps: [JourneyStep], trigger: JourneyTrigger = JourneyTrigger(kind: .stage, stage: .acquired)) -> JourneyInput {
        JourneyInput(name: "旅程", trigger: trigger, steps: steps)
    }

    static func codes(_ input: JourneyInput) -> [String] {
        do {
            _ = try input.validated()
            return []
        } catch {
            return error.errors.map(\.code)
        }
    }

    @Test
    func aJourneyOnlyGoesForwardAndEveryStepLeadsSomewhere() throws {
        let loop = Self.input([
            JourneyStep(kind: .wait, hours: 24, next: 1), JourneyStep(kind: .branch, condition: .scannedSinceEntry, next: 2, otherwise: 0),
            JourneyStep(kind: .exit),
        ])
        #expect(Self.codes(loop) == ["cycle"])
        #expect(Journey.cycle(in: loop.steps ?? []) == 0)
        let selfLoop = Self.input([JourneyStep(kind: .points, points: 5, next: 0)])
        #expect(Self.codes(selfLoop) == ["cycle"])
        #expect(Self.codes(Self.input([JourneyStep(kind: .wait, hours: 1, next: 3)])) == ["invalid_reference"])
        #expect(Self.codes(Self.input([JourneyStep(kind: .branch, condition: .tag, next: nil)])) == ["required"])
        #expect(Self.codes(Self.input([])) == ["out_of_range"])
        #expect(Self.codes(Self.input(Array(repeating: JourneyStep(kind: .exit), count: JourneyInput.maxSteps + 1))) == ["out_of_range"])

        // A diamond is no cycle: two paths meet again.
        let diamond = try Self.input([
            JourneyStep(kind: .branch, condition: .scannedSinceEntry, next: 1, otherwise: 2), JourneyStep(kind: .points, points: 5, next: 3),
            JourneyStep(kind: .message, text: "欢迎回来", next: 3), JourneyStep(kind: .exit),
        ]).validated()
        #expect(diamond.steps.count == 4 && diamond.holdoutPercent == 10 && diamond.weeklyMessageCap == 2)
        #expect(diamond.quietFrom == 22 && diamond.quietTo == 8 && diamond.goalDays == 14)
    }

    @Test
    func valuesStayInTheirRangesAndMessagesCarryNoLinks() {
        #expect(Self.codes(Self.input([JourneyStep(kind: .wait, hours: 0)])) == ["out_of_range"])
        #expect(Self.codes(Self.input([JourneyStep(kind: .wait, hours: 24 * 91)])) == ["out_of_range"])
        #expect(Self.codes(Self.input([JourneyStep(kind: .points, points: 10_001)])) == ["out_of_range"])
        #expect(Self.codes(Self.input([JourneyStep(kind: .message, text: "领取 https://x.cn")])) == ["invalid_text"])
        #expect(Self.codes(Self.input([JourneyStep(kind: .message, text: String(repeating: "好", count: 31))])) == ["too_long"])
        #expect(Self.codes(Self.input([JourneyStep(kind: .message, text: "  ")])) == ["required"])
        var input = Self.input([JourneyStep(kind: .exit)])
        input.holdoutPercent = 51
        input.quietFrom = 24
        input.budgetPoints = -1
        #expect(Set(Self.codes(input)) == ["out_of_range"] && Self.codes(input).count == 3)
        #expect(Self.codes(Self.input([JourneyStep(kind: .exit)], trigger: JourneyTrigger(kind: .inactive, days: 0))) == ["out_of_range"])
        #expect(Self.codes(Self.input([JourneyStep(kind: .exit)], trigger: JourneyTrigger(kind: .date, date: "2026-02-30"))) == ["invalid_date"])
        #expect(Self.codes(Self.input([JourneyStep(kind: .exit)], trigger: JourneyTrigger(kind: .storeVisit))) == ["required"])
        #expect(JourneyTrigger(kind: .date, date: "2026-12-07").dayNumber == Int64(CalendarDate("2026-12-07")?.dayNumber ?? 0))
    }

    @Test
    func aFixedShareIsHeldOutTheSameEveryTime() {
        let held = (1...20_000).filter { Journey.isHeldOut(profileID: Int64($0), journeyID: 7, percent: 10) }.count
        #expect(held > 1_800 && held < 2_200, "\(held)")
        #expect(
            (1...1_000).allSatisfy {
                Journey.isHeldOut(profileID: Int64($0), journeyID: 7, percent: 10)
                    == Journey.isHeldOut(profileID: Int64($0), journeyID: 7, percent: 10)
            })
        #expect((1...1_000).allSatisfy { !Journey.isHeldOut(profileID: Int64($0), journeyID: 7, percent: 0) })
        // Another journey holds out other consumers.
        let other = (1...1_000).filter { Journey.isHeldOut(profileID: Int64($0), journeyID: 8, percent: 10) }
        let first = (1...1_000).filter { Journey.isHeldOut(profileID: Int64($0), journeyID: 7, percent: 10) }
        #expect(other != first)
    }

    @Test
    func messagesWaitOutTheQuietHoursOfTheBrandsDay() {
        // 2026-12-07 00:00 China time is 2026-12-06 16:00 UTC.
        let midnight = Int64(CalendarDate("2026-12-07")?.dayNumber ?? 0) * 86_400_000 - 8 * 3_600_000
        let hour: Int64 = 3_600_000
        // 22:00–08:00: 23:30 waits until 08:00 the next morning, 03:00 until 08:00, 12:00 goes now.
        #expect(Journey.sendTime(at: midnight - 30 * 60_000, quietFrom: 22, quietTo: 8) == midnight + 8 * hour)
        #expect(Journey.sendTime(at: midnight + 3 * hour, quietFrom: 22, quietTo: 8) == midnight + 8 * hour)
        #expect(Journey.sendTime(at: midnight + 12 * hour, quietFrom: 22, quietTo: 8) == midnight + 12 * hour)
        #expect(Journey.sendTime(at: midnight + 8 * hour, quietFrom: 22, quietTo: 8) == midnight + 8 * hour)
        // 12:00–14:00 (a nap): 13:00 waits until 14:00.
        #expect(Journey.sendTime(at: midnight + 13 * hour, quietFrom: 12, quietTo: 14) == midnight + 14 * hour)
        // No quiet hours.
        #expect(Journey.sendTime(at: midnight + 3 * hour, quietFrom: 0, quietTo: 0) == midnight + 3 * hour)
    }

    @Test
    func theReportComparesTheJourneyWithItsHoldout() {
        let report = JourneyReport(entered: 900, heldOut: 100, active: 0, converted: 270, heldOutConverted: 15, steps: [:])
        #expect(abs(report.conversion - 0.3) < 1e-9 && abs(report.heldOutConversion - 0.15) < 1e-9)
        #expect(abs((report.uplift ?? 0) - 0.15) < 1e-9)
        #expect(JourneyReport(entered: 10, heldOut: 0, active: 0, converted: 1, heldOutConverted: 0, steps: [:]).uplift == nil)
    }
}
