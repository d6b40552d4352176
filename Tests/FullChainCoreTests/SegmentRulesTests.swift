import FullChainCore
import Testing

/// The segments' pure parts: the compressed bitmap against a plain set, what a segment rule may
/// be, and how its terms combine.
@Suite("Segment rules")
struct SegmentRulesTests {
    /// Values that fill some chunks densely (bit sets), some sparsely (arrays), and leave gaps.
    static func sample(_ seed: UInt64, count: Int) -> Set<UInt32> {
        var random = SeededRandom(seed: seed)
        var values = Set<UInt32>()
        while values.count < count {
            switch Int.random(in: 0..<3, using: &random) {
            case 0: values.insert(UInt32.random(in: 0..<70_000, using: &random)) // dense: chunk 0 and a bit of 1
            case 1: values.insert(UInt32.random(in: 300_000..<310_000, using: &random))
            default: values.insert(UInt32.random(in: 0...UInt32.max, using: &random))
            }
        }
        return values
    }

    @Test func theBitmapAgreesWithASetOnEveryOperation() {
        for seed in UInt64(1)...4 {
            let a = Self.sample(seed, count: 12_000), b = Self.sample(seed + 100, count: 9_000)
            let x = RoaringBitmap(a), y = RoaringBitmap(b)
            #expect(x.count == a.count)
            #expect(x.intersection(y).count == a.intersection(b).count)
            #expect(x.union(y).count == a.union(b).count)
            #expect(x.subtracting(y).count == a.subtracting(b).count)
            #expect(y.subtracting(x).count == b.subtracting(a).count)
            #expect(RoaringBitmap.union([x, y, RoaringBitmap()]) == x.union(y))
            #expect(Set(x.intersection(y).values(offset: 0, limit: .max)) == a.intersection(b))
            #expect(x.values(offset: 0, limit: .max) == a.sorted())
            #expect(x.values(offset: 7_000, limit: 50, descending: true) == Array(a.sorted(by: >).dropFirst(7_000).prefix(50)))
            for value in b.prefix(200) { #expect(x.contains(value) == a.contains(value)) }
        }
    }

    @Test func insertsAndRemovesMoveAChunkBetweenItsForms() {
        var bitmap = RoaringBitmap()
        // 5,000 values in one chunk: past 4,096 the chunk becomes a bit set.
        for value in UInt32(0)..<5_000 { bitmap.append(value * 3) }
        #expect(bitmap.count == 5_000)
        let first = bitmap.insert(1), second = bitmap.insert(1)
        #expect(first && !second)
        #expect(bitmap.contains(14_997) && !bitmap.contains(14_998))
        var removed = 0
        for value in UInt32(0)..<2_000 where bitmap.remove(value * 3) { removed += 1 }
        let again = bitmap.remove(0)
        #expect(removed == 2_000 && !again)
        #expect(bitmap.count == 3_001)
        #expect(bitmap == RoaringBitmap(Set((UInt32(2_000)..<5_000).map { $0 * 3 }).union([1])))
        for value in bitmap.values(offset: 0, limit: .max) { bitmap.remove(value) }
        #expect(bitmap.isEmpty && bitmap == RoaringBitmap())
        // Appending out of order falls back to inserting.
        bitmap.append(70_000)
        bitmap.append(5)
        bitmap.append(70_000)
        #expect(bitmap.values(offset: 0, limit: 10) == [5, 70_000])
    }

    static func condition(_ kind: String, negate: Bool? = nil) -> SegmentRuleInput.Condition {
        SegmentRuleInput.Condition(kind: kind, negate: negate)
    }

    @Test func aRuleIsCheckedFieldByField() throws {
        let good = SegmentRuleInput(
            match: "all",
            conditions: [
                .init(kind: "scanned", productID: 1, atLeast: 3, days: 30),
                .init(kind: "region", regionCode: "110000000000"),
                .init(kind: "redeemed", negate: true, days: 365),
            ])
        let rule = try good.validated()
        #expect(
            rule
                == SegmentRule(
                    match: .all,
                    terms: [
                        SegmentTerm(.scanned(productID: 1, atLeast: 3, days: 30)), SegmentTerm(.region("110000000000")),
                        SegmentTerm(.redeemed(days: 365), negate: true),
                    ]))
        // The stored form reads back as the same rule.
        #expect(try SegmentRuleInput(rule).validated() == rule)

        let bad = SegmentRuleInput(
            match: "most",
            conditions: [
                .init(kind: "scanned", atLeast: 0, days: 366), .init(kind: "region", regionCode: "99"), .init(kind: "colour"),
                .init(kind: "stage", stage: "sleepy"), .init(kind: "tag"),
            ])
        let error = #expect(throws: ValidationError.self) { try bad.validated() }
        #expect(
            Set(error?.errors.map { "\($0.field) \($0.code)" } ?? [])
                == [
                    "rule.match invalid_choice", "rule.conditions[0].atLeast out_of_range", "rule.conditions[0].days out_of_range",
                    "rule.conditions[1].regionCode invalid_region", "rule.conditions[2].kind invalid_choice",
                    "rule.conditions[3].stage invalid_choice", "rule.conditions[4].tagID required",
                ])
        // A window is required: "ever" over every scan there will be is no window.
        #expect(throws: ValidationError.self) { try SegmentRuleInput(match: "all", conditions: [.init(kind: "redeemed")]).validated() }
        #expect(throws: ValidationError.self) { try SegmentRuleInput(match: "any", conditions: []).validated() }
    }

    @Test func aRuleOfOnlyExclusionsIsUnbounded() throws {
        func codes(_ input: SegmentRuleInput) -> [String] {
            do throws(ValidationError) {
                _ = try input.validated()
                return []
            } catch { return error.errors.map(\.code) }
        }
        let notVerified = Self.condition("verified", negate: true)
        #expect(codes(SegmentRuleInput(match: "all", conditions: [notVerified])) == ["unbounded"])
        #expect(codes(SegmentRuleInput(match: "any", conditions: [.init(kind: "tag", tagID: 1), notVerified])) == ["unbounded"])
        #expect(codes(SegmentRuleInput(match: "all", conditions: [.init(kind: "tag", tagID: 1), notVerified])) == [])
        // A group counts as what it holds.
        let group = SegmentRuleInput.Condition(kind: "group", rule: SegmentRuleInput(match: "all", conditions: [notVerified]))
        #expect(codes(SegmentRuleInput(match: "all", conditions: [group])) == ["unbounded"])
        // Groups nest four deep at most, and a rule holds fifty conditions at most.
        var deep = SegmentRuleInput(match: "all", conditions: [.init(kind: "verified")])
        for _ in 0..<4 { deep = SegmentRuleInput(match: "all", conditions: [.init(kind: "group", rule: deep)]) }
        #expect(codes(deep).contains("too_deep"))
        let wide = SegmentRuleInput(
            match: "any",
            conditions: (0..<3).map { _ in
                .init(kind: "group", rule: SegmentRuleInput(match: "any", conditions: (1...20).map { .init(kind: "tag", tagID: Int64($0)) }))
            })
        #expect(codes(wide) == ["too_long"])
    }

    @Test func termsCombineAsTheMatchSays() async throws {
        let everyone = RoaringBitmap(UInt32(1)...10)
        let sets: [SegmentCondition: RoaringBitmap] = [
            .tag(1): RoaringBitmap([1, 2, 3, 4, 11]), // 11 is out of reach: never counted
            .tag(2): RoaringBitmap([3, 4, 5]),
            .verified: RoaringBitmap([2, 4, 6, 8]),
        ]
        func run(_ rule: SegmentRule) async -> [UInt32] {
            await rule.evaluate(everyone: everyone) { sets[$0] ?? RoaringBitmap() }.values(offset: 0, limit: 100)
        }
        #expect(await run(SegmentRule(match: .all, terms: [SegmentTerm(.tag(1)), SegmentTerm(.tag(2))])) == [3, 4])
        #expect(await run(SegmentRule(match: .all, terms: [SegmentTerm(.tag(1)), SegmentTerm(.verified, negate: true)])) == [1, 3])
        #expect(await run(SegmentRule(match: .any, terms: [SegmentTerm(.tag(1)), SegmentTerm(.tag(2))])) == [1, 2, 3, 4, 5])
        // tag 2 OR not verified.
        #expect(await run(SegmentRule(match: .any, terms: [SegmentTerm(.tag(2)), SegmentTerm(.verified, negate: true)])) == [1, 3, 4, 5, 7, 9, 10])
        // tag 1 AND NOT (tag 2 OR verified).
        let group = SegmentRule(match: .any, terms: [SegmentTerm(.tag(2)), SegmentTerm(.verified)])
        #expect(await run(SegmentRule(match: .all, terms: [SegmentTerm(.tag(1)), SegmentTerm(.group(group), negate: true)])) == [1])
    }
}
