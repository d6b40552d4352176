import FullChainCore
import Testing

/// The AARRR lifecycle's pure rules: which moves what a consumer did makes, under which
/// settings, and the weeks cohorts are counted in.
@Suite("Lifecycle rules")
struct LifecycleRulesTests {
    static let day: Int64 = 86_400_000
    static let t0: Int64 = 1_780_000_000_000

    @Test func aFirstScanAcquiresAndNothingComesBeforeIt() {
        #expect(Lifecycle.advance(from: nil, facts: LifecycleFacts(scans: [], signedInAt: Self.t0), settings: .standard).isEmpty)
        // Signed in a day before the first scan: activated the moment they are acquired.
        let moves = Lifecycle.advance(
            from: nil, facts: LifecycleFacts(scans: [Self.t0], signedInAt: Self.t0 - Self.day), settings: .standard)
        #expect(
            moves == [
                LifecycleTransition(from: nil, to: .acquired, cause: .firstScan, at: Self.t0),
                LifecycleTransition(from: .acquired, to: .activated, cause: .signedIn, at: Self.t0),
            ])
    }

    @Test func movesGoForwardInTimeOrderAndMaySkip() {
        // Redeemed on day 1 before any repeat scan: straight to revenue; the repeat scan on day 5 moves nothing.
        let facts = LifecycleFacts(scans: [Self.t0 + 5 * Self.day, Self.t0], firstRedemptionAt: Self.t0 + Self.day)
        let moves = Lifecycle.advance(from: nil, facts: facts, settings: .standard)
        #expect(moves.map(\.to) == [.acquired, .revenue])
        #expect(moves.last?.from == .acquired && moves.last?.cause == .redeemed)
        // From where they are now, the same facts make no move at all.
        #expect(Lifecycle.advance(from: .revenue, facts: facts, settings: .standard).isEmpty)
        // From activated, only what reaches further.
        #expect(Lifecycle.advance(from: .activated, facts: facts, settings: .standard).map(\.to) == [.revenue])
        #expect(LifecycleStage.passed(from: .acquired, to: .revenue) == [.activated, .retained, .revenue])
        #expect(LifecycleStage.passed(from: nil, to: .acquired) == [.acquired])
    }

    @Test func aRepeatScanRetainsOnlyWithinTheWindowAndNotInTheSamePurchase() {
        let settings = LifecycleSettings.standard // 30 days
        // Two bottles opened together are one purchase.
        #expect(Lifecycle.advance(from: nil, facts: LifecycleFacts(scans: [Self.t0, Self.t0 + 60_000]), settings: settings).count == 1)
        // Back after 40 days: lapsed, not retained; but a third scan 10 days after that is.
        let scans = [Self.t0, Self.t0 + 40 * Self.day, Self.t0 + 50 * Self.day]
        let moves = Lifecycle.advance(from: nil, facts: LifecycleFacts(scans: scans), settings: settings)
        #expect(moves.last == LifecycleTransition(from: .acquired, to: .retained, cause: .repeatScan, at: Self.t0 + 50 * Self.day))
        // A brand with a 60-day window counts the return on day 40.
        var wide = settings
        wide.retainedWithinDays = 60
        #expect(Lifecycle.advance(from: nil, facts: LifecycleFacts(scans: scans), settings: wide).last?.at == Self.t0 + 40 * Self.day)
    }

    @Test func settingsDecideWhatCounts() {
        let facts = LifecycleFacts(scans: [Self.t0], firstRewardAt: Self.t0 + 1, firstPointsSpentAt: Self.t0 + Self.day)
        #expect(Lifecycle.advance(from: nil, facts: facts, settings: .standard).map(\.to) == [.acquired, .activated])
        var settings = LifecycleSettings.standard
        settings.activateOnReward = false
        settings.revenueOnPointsSpent = true
        let moves = Lifecycle.advance(from: nil, facts: facts, settings: settings)
        #expect(moves.map(\.to) == [.acquired, .revenue] && moves.last?.cause == .pointsSpent)
        // Referral is always reached by someone they brought scanning.
        let referred = LifecycleFacts(scans: [Self.t0], firstReferredScanAt: Self.t0 + 3 * Self.day)
        #expect(Lifecycle.advance(from: .activated, facts: referred, settings: .standard).map(\.to) == [.referral])
    }

    @Test func settingsInputIsCheckedFieldByField() throws {
        #expect(
            try LifecycleSettingsInput(retainedWithinDays: 14, activateOnSignIn: true, revenueOnPointsSpent: true).validated()
                == LifecycleSettings(
                    retainedWithinDays: 14, activateOnSignIn: true, activateOnReward: false, revenueOnRedemption: false, revenueOnPointsSpent: true))
        for (input, field, code) in [
            (LifecycleSettingsInput(retainedWithinDays: 0, activateOnSignIn: true, revenueOnRedemption: true), "retainedWithinDays", "out_of_range"),
            (
                LifecycleSettingsInput(retainedWithinDays: .max, activateOnSignIn: true, revenueOnRedemption: true), "retainedWithinDays",
                "out_of_range"
            ),
            (LifecycleSettingsInput(activateOnSignIn: true, revenueOnRedemption: true), "retainedWithinDays", "required"),
            (LifecycleSettingsInput(retainedWithinDays: 30, revenueOnRedemption: true), "activateOnSignIn", "unreachable_stage"),
            (LifecycleSettingsInput(retainedWithinDays: 30, activateOnReward: true), "revenueOnRedemption", "unreachable_stage"),
        ] {
            do {
                _ = try input.validated()
                Issue.record("\(input) was accepted")
            } catch {
                #expect(error.errors.contains { $0.field == field && $0.code == code }, "\(input) → \(error.errors)")
            }
        }
    }

    @Test func weeksStartOnMondayInChinaTime() {
        // 2026-12-07 is a Monday; 2026-12-06 a Sunday.
        let monday = Int64(CalendarDate(year: 2026, month: 12, day: 7)!.dayNumber)
        #expect(Lifecycle.week(ofDay: monday) == Lifecycle.week(ofDay: monday + 6))
        #expect(Lifecycle.week(ofDay: monday) == Lifecycle.week(ofDay: monday - 1) + 1)
        #expect(Lifecycle.firstDay(ofWeek: Lifecycle.week(ofDay: monday + 3)) == monday)
        // Sunday 23:30 in Beijing is Sunday 15:30 UTC: still the week before.
        let sundayNight = BusinessDay.start(ofDay: monday) - 30 * 60_000
        let start = BusinessDay.start(ofDay: monday - 7)
        #expect(Lifecycle.activeWeeks(scans: [sundayNight, BusinessDay.start(ofDay: monday), start - 1], acquiredAt: start) == [0, 1])
    }

    @Test func cohortsShowTheWeeksThatHaveComeAndTheirShares() {
        let cohort = LifecycleCohort(week: 100, active: [0: 40, 1: 10, 3: 4], lastWeek: 103)
        #expect(cohort.consumers == 40 && cohort.active == [40, 10, 0, 4])
        #expect(cohort.retention(week: 1) == 0.25 && cohort.retention(week: 4) == nil)
        var funnel = LifecycleFunnel(days: 0...6)
        funnel.reached = [.acquired: 40, .activated: 10]
        #expect(funnel.conversion(into: .activated) == 0.25 && funnel.conversion(into: .retained) == 0 && funnel.conversion(into: .acquired) == nil)
        funnel.reached = [:]
        #expect(funnel.conversion(into: .activated) == nil)
    }
}
