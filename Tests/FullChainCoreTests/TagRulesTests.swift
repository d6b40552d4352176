import FullChainCore
import Testing

/// The consumer tags' pure rules: what a rule may be, whether a profile's history meets it now,
/// and when it must be asked again though nothing new happened.
@Suite("Tag rules")
struct TagRulesTests {
    static let day = TagRule.day
    static let now: Int64 = 1_000 * day

    static func scan(_ daysAgo: Int64, product: Int64 = 1, store: Int64 = 10, region: String = "110105000000") -> ConsumerFacts.Scan {
        ConsumerFacts.Scan(at: now - daysAgo * day, productID: product, storeID: store, regionCode: region)
    }

    static func facts(_ scans: [ConsumerFacts.Scan], rewards: [Int64] = [], spent: Int64 = 0) -> ConsumerFacts {
        let times = scans.map(\.at)
        return ConsumerFacts(
            scans: scans.sorted { $0.at > $1.at }, firstScanAt: times.min(), lastScanAt: times.max(), rewardsAt: rewards, pointsSpent: spent)
    }

    @Test func aWindowedScanRuleHoldsUntilItsScansLeaveTheWindow() {
        let rule = TagRule(kind: .scans, atLeast: 3, days: 30, productID: 1)
        // Three of product 1 in 30 days (the oldest 20 days ago), one of product 2, one too old.
        let history = Self.facts([Self.scan(1), Self.scan(5), Self.scan(20), Self.scan(2, product: 2), Self.scan(40)])
        #expect(rule.evaluate(history, now: Self.now) == TagVerdict(matches: true, recheckAt: Self.now + 10 * Self.day))
        // Ten days on, the scan of 20 days ago leaves the window: two are left.
        #expect(rule.evaluate(history, now: Self.now + 10 * Self.day) == TagVerdict(matches: false, recheckAt: nil))
        // Without a window it counts everything of product 1 and never needs asking again.
        #expect(TagRule(kind: .scans, atLeast: 4, productID: 1).evaluate(history, now: Self.now) == TagVerdict(matches: true, recheckAt: nil))
        #expect(TagRule(kind: .scans, atLeast: 5, productID: 1).evaluate(history, now: Self.now).matches == false)
    }

    @Test func scanRulesLookAtTheStoreAndTheRegionBelowIt() {
        let history = Self.facts([Self.scan(1, store: 10, region: "110105000000"), Self.scan(2, store: 11, region: "440305000000")])
        #expect(TagRule(kind: .scans, storeID: 11).evaluate(history, now: Self.now).matches)
        #expect(!TagRule(kind: .scans, storeID: 12).evaluate(history, now: Self.now).matches)
        // A province, a city and a county all hold the county's scan; another province does not.
        for region in ["110000000000", "110100000000", "110105000000"] {
            #expect(TagRule(kind: .scans, regionCode: region).evaluate(history, now: Self.now).matches, "\(region)")
        }
        #expect(!TagRule(kind: .scans, atLeast: 2, regionCode: "440000000000").evaluate(history, now: Self.now).matches)
        #expect(!TagRule(kind: .scans, regionCode: "310000000000").evaluate(history, now: Self.now).matches)
    }

    @Test func idleAndNewcomerTurnAsTimePasses() {
        let history = Self.facts([Self.scan(10), Self.scan(3)])
        // Last scan 3 days ago: idle after 7 days is due in 4.
        let idle = TagRule(kind: .idle, days: 7)
        #expect(idle.evaluate(history, now: Self.now) == TagVerdict(matches: false, recheckAt: Self.now + 4 * Self.day))
        #expect(idle.evaluate(history, now: Self.now + 4 * Self.day) == TagVerdict(matches: true, recheckAt: nil))
        // First scan 10 days ago: a newcomer within 14 days for 4 more days, then not.
        let newcomer = TagRule(kind: .newcomer, days: 14)
        #expect(newcomer.evaluate(history, now: Self.now) == TagVerdict(matches: true, recheckAt: Self.now + 4 * Self.day))
        #expect(newcomer.evaluate(history, now: Self.now + 4 * Self.day) == TagVerdict(matches: false, recheckAt: nil))
        // Nobody who never scanned is idle or new.
        #expect(idle.evaluate(.none, now: Self.now) == TagVerdict(matches: false, recheckAt: nil))
        #expect(newcomer.evaluate(.none, now: Self.now) == TagVerdict(matches: false, recheckAt: nil))
    }

    @Test func rewardsAndPointsSpent() {
        let history = Self.facts([Self.scan(1)], rewards: [Self.now - Self.day, Self.now - 9 * Self.day], spent: 150)
        #expect(TagRule(kind: .rewards, atLeast: 2).evaluate(history, now: Self.now).matches)
        #expect(TagRule(kind: .rewards, atLeast: 2, days: 10).evaluate(history, now: Self.now).recheckAt == Self.now + Self.day)
        #expect(!TagRule(kind: .rewards, atLeast: 2, days: 5).evaluate(history, now: Self.now).matches)
        #expect(TagRule(kind: .pointsSpent, atLeast: 150).evaluate(history, now: Self.now) == TagVerdict(matches: true, recheckAt: nil))
        #expect(!TagRule(kind: .pointsSpent, atLeast: 151).evaluate(history, now: Self.now).matches)
    }

    @Test func soundTagsPassAndEveryBrokenRuleIsNamed() throws {
        let manual = try TagInput(name: " VIP ", description: nil, rule: nil).validated()
        #expect(manual == TagDraft(name: "VIP", description: "", rule: nil))
        let scans = try TagInput(
            name: "茉莉花茶复购", description: "30 天内扫 3 次",
            rule: .init(kind: "scans", atLeast: 3, days: 30, productID: 7, storeID: nil, regionCode: "110000000000")
        ).validated()
        #expect(scans.rule == TagRule(kind: .scans, atLeast: 3, days: 30, productID: 7, regionCode: "110000000000"))
        #expect(try TagInput(name: "沉睡", description: nil, rule: .init(kind: "idle", days: 60)).validated().rule == TagRule(kind: .idle, days: 60))

        func codes(_ input: TagInput) -> [String] {
            do {
                _ = try input.validated()
                return []
            } catch {
                return error.errors.map { "\($0.field):\($0.code)" }
            }
        }
        #expect(codes(TagInput(name: "", description: nil, rule: nil)) == ["name:required"])
        #expect(codes(TagInput(name: String(repeating: "标", count: 41), description: nil, rule: nil)) == ["name:too_long"])
        #expect(codes(TagInput(name: "x", description: nil, rule: .init(kind: "magic"))) == ["rule.kind:invalid_choice"])
        #expect(codes(TagInput(name: "x", description: nil, rule: .init(kind: "idle"))) == ["rule.days:required"])
        #expect(
            codes(TagInput(name: "x", description: nil, rule: .init(kind: "scans", atLeast: 0, days: 4_000, regionCode: "11")))
                == ["rule.atLeast:out_of_range", "rule.days:out_of_range", "rule.regionCode:invalid_region"])
        #expect(codes(TagInput(name: "x", description: nil, rule: .init(kind: "scans", atLeast: Int64.max))) == ["rule.atLeast:out_of_range"])
        #expect(
            codes(TagInput(name: "x", description: nil, rule: .init(kind: "points_spent", atLeast: 10, productID: 1, regionCode: "110000000000")))
                == ["rule.productID:not_applicable", "rule.regionCode:not_applicable"])
        #expect(codes(TagInput(name: "x", description: nil, rule: .init(kind: "points_spent"))) == ["rule.atLeast:required"])
    }
}
