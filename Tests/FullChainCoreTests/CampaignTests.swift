import FullChainCore
import Testing

@Suite("Campaigns and draws")
struct CampaignTests {
    static let tiers = [
        PrizeTier(name: "一等奖", kind: .cash, amountFen: 888, ppm: 1_000),
        PrizeTier(name: "再来一瓶", kind: .freeItem, amountFen: 350, ppm: 99_000),
        PrizeTier(name: "积分", kind: .points, points: 10, ppm: 400_000),
    ]

    @Test func rollsFallInConsecutiveSlicesOfEachTiersChance() {
        #expect(PrizeDraw.tier(forRoll: 0, in: Self.tiers) == 0)
        #expect(PrizeDraw.tier(forRoll: 999, in: Self.tiers) == 0)
        #expect(PrizeDraw.tier(forRoll: 1_000, in: Self.tiers) == 1)
        #expect(PrizeDraw.tier(forRoll: 99_999, in: Self.tiers) == 1)
        #expect(PrizeDraw.tier(forRoll: 100_000, in: Self.tiers) == 2)
        #expect(PrizeDraw.tier(forRoll: 499_999, in: Self.tiers) == 2)
        #expect(PrizeDraw.tier(forRoll: 500_000, in: Self.tiers) == nil)
        #expect(PrizeDraw.tier(forRoll: 999_999, in: Self.tiers) == nil)
    }

    @Test func seededDrawsWinAtTheTiersRates() {
        var random = SeededRandom(seed: 42)
        var wins = [Int: Int]()
        let draws = 1_000_000
        for _ in 0..<draws {
            if let tier = PrizeDraw.draw(Self.tiers, using: &random) { wins[tier, default: 0] += 1 }
        }
        // Within five standard deviations of each expected count.
        for (index, tier) in Self.tiers.enumerated() {
            let p = Double(tier.ppm) / 1_000_000
            let expected = Double(draws) * p
            let sigma = (Double(draws) * p * (1 - p)).squareRoot()
            #expect(abs(Double(wins[index] ?? 0) - expected) < 5 * sigma, "tier \(index): \(wins[index] ?? 0) vs \(expected)")
        }
        // The same seed draws the same sequence (tests can replay a draw).
        var a = SeededRandom(seed: 7)
        var b = SeededRandom(seed: 7)
        #expect((0..<100).map { _ in PrizeDraw.draw(Self.tiers, using: &a) } == (0..<100).map { _ in PrizeDraw.draw(Self.tiers, using: &b) })
    }

    static func input(
        tiers: [PrizeTierInput]? = nil, startsAt: Int64 = 1_800_000_000_000, endsAt: Int64 = 1_802_000_000_000,
        budgetFen: Int64? = 100_000, storeRewardFen: Int64? = nil, storeBudgetFen: Int64? = nil, regions: [String] = []
    ) -> CampaignInput {
        CampaignInput(
            name: "夏日再来一瓶", productIDs: [2, 1, 2], regionCodes: regions, startsAt: startsAt, endsAt: endsAt,
            tiers: tiers ?? [
                PrizeTierInput(name: "红包", kind: "cash", amountFen: 188, probability: 0.05),
                PrizeTierInput(name: "再来一瓶", kind: "free_item", amountFen: 350, probability: 0.1, stock: 1_000),
            ],
            budgetFen: budgetFen, storeRewardFen: storeRewardFen, storeBudgetFen: storeBudgetFen)
    }

    static func codes(_ input: CampaignInput) -> [String] {
        do {
            _ = try input.validated { $0.hasPrefix("11") }
            return []
        } catch {
            return error.errors.map { "\($0.field):\($0.code)" }
        }
    }

    @Test func aValidCampaignIsCheckedIntoADraft() throws {
        let draft = try Self.input(storeRewardFen: 20, storeBudgetFen: 50_000, regions: ["110000000000"]).validated { $0.hasPrefix("11") }
        #expect(draft.productIDs == [1, 2] && draft.tiers.map(\.ppm) == [50_000, 100_000] && draft.tiers[1].stock == 1_000)
        #expect(draft.limits == CampaignLimits(perConsumerPerDay: 3, perDevicePerDay: 5))
        #expect(draft.isRunning(at: 1_800_000_000_000) && !draft.isRunning(at: 1_802_000_000_000))
    }

    @Test func aCampaignFencedAroundStoresTakesScansInsideTheirCircles() throws {
        let store = try #require(GeoPoint(latitude: 39.92, longitude: 116.44))
        var input = Self.input()
        input.storeIDs = [7]
        input.radiusMeters = 2_000
        let draft = try input.validated(stores: [7: .some(store)]) { _ in true }
        #expect(draft.geofences == [GeoFence(storeID: 7, latitude: 39.92, longitude: 116.44, radiusMeters: 2_000)])
        let running = RunningCampaign(Campaign(id: 1, draft: draft, createdAt: 0))
        let at: Int64 = 1_800_000_000_000
        // About 1.1 km north of the store is inside; about 3.3 km is not; a scan with no position is not either.
        #expect(running.applies(productID: 1, regionCode: nil, location: GeoPoint(latitude: 39.93, longitude: 116.44), at: at))
        #expect(!running.applies(productID: 1, regionCode: nil, location: GeoPoint(latitude: 39.95, longitude: 116.44), at: at))
        #expect(!running.applies(productID: 1, regionCode: nil, location: nil, at: at))
        // An unfenced campaign takes every position.
        #expect(
            RunningCampaign(Campaign(id: 2, draft: try Self.input().validated { _ in true }, createdAt: 0)).applies(
                productID: 1, regionCode: nil, at: at))

        func codes(_ ids: [Int64]?, _ radius: Int?, _ stores: [Int64: GeoPoint?]) -> [String] {
            var input = Self.input()
            input.storeIDs = ids
            input.radiusMeters = radius
            do {
                _ = try input.validated(stores: stores) { _ in true }
                return []
            } catch {
                return error.errors.map { "\($0.field):\($0.code)" }
            }
        }
        #expect(codes(nil, 2_000, [:]) == ["storeIDs:required"])
        #expect(codes([7], nil, [7: .some(store)]) == ["radiusMeters:required"])
        #expect(codes([7], 50, [7: .some(store)]) == ["radiusMeters:out_of_range"])
        #expect(codes([7, 8], 1_000, [7: GeoPoint?.none]) == ["storeIDs[0]:no_location", "storeIDs[1]:invalid_reference"])
    }

    @Test func invalidDefinitionsNameEveryProblem() {
        #expect(
            Self.codes(
                Self.input(tiers: [
                    PrizeTierInput(name: "a", kind: "points", points: 5, probability: 0.7),
                    PrizeTierInput(name: "b", kind: "points", points: 5, probability: 0.4),
                ])) == ["tiers:probabilities_over_one"])
        #expect(
            Self.codes(Self.input(tiers: [PrizeTierInput(name: "a", kind: "cash", amountFen: -100, probability: 0.1)])) == [
                "tiers[0].amountFen:out_of_range"
            ])
        #expect(
            Self.codes(Self.input(tiers: [PrizeTierInput(name: "a", kind: "cash", amountFen: 50, probability: 0.1)])) == [
                "tiers[0].amountFen:out_of_range"
            ])
        #expect(Self.codes(Self.input(startsAt: 1_800_000_000_000, endsAt: 1_700_000_000_000)) == ["endsAt:before_start"])
        #expect(Self.codes(Self.input(budgetFen: -1)) == ["budgetFen:out_of_range"])
        #expect(Self.codes(Self.input(budgetFen: 0)) == ["budgetFen:required"])
        #expect(Self.codes(Self.input(storeRewardFen: 20)) == ["storeBudgetFen:required"])
        #expect(Self.codes(Self.input(regions: ["440000000000"])) == ["regionCodes[0]:invalid_region"])
        #expect(Self.codes(Self.input(tiers: [])) == ["tiers:required"])
        #expect(Self.codes(Self.input(tiers: [PrizeTierInput(name: "a", kind: "lottery", probability: 0.1)])) == ["tiers[0].kind:invalid_choice"])
        for bad in [0, -0.1, 1.5, Double.nan, 0.0000001] {
            #expect(
                Self.codes(Self.input(tiers: [PrizeTierInput(name: "a", kind: "points", points: 1, probability: bad)])) == [
                    "tiers[0].probability:out_of_range"
                ],
                "\(bad)")
        }
        #expect(
            Self.codes(Self.input(tiers: [PrizeTierInput(name: "a", kind: "points", points: 1, probability: 0.1, stock: -1)])) == [
                "tiers[0].stock:out_of_range"
            ])
        #expect(Self.codes(CampaignInput()).count >= 5)
    }
}

@Suite("Campaign pause rules")
struct CampaignPauseRulesTests {
    static func campaign(endsAt: Int64, pausedAt: Int64?) -> Campaign {
        Campaign(
            id: 1,
            draft: CampaignDraft(
                name: "夏日", productIDs: [1], regionCodes: [], startsAt: 0, endsAt: endsAt,
                tiers: [PrizeTier(name: "积分", kind: .points, points: 10, ppm: PrizeDraw.rolls)], budgetFen: 0, storeRewardFen: 0,
                storeBudgetFen: 0, limits: CampaignLimits()),
            createdAt: 0, pausedAt: pausedAt)
    }

    @Test func aRunningCampaignPausesOnceAndResumesOnce() {
        let running = Self.campaign(endsAt: 1_000, pausedAt: nil)
        #expect(running.refusal(of: .pause, now: 500) == nil)
        #expect(running.refusal(of: .resume, now: 500) == "not_paused")
        let paused = Self.campaign(endsAt: 1_000, pausedAt: 400)
        #expect(paused.refusal(of: .pause, now: 500) == "already_paused")
        #expect(paused.refusal(of: .resume, now: 500) == nil)
    }

    @Test func anEndedCampaignNeitherPausesNorResumes() {
        #expect(Self.campaign(endsAt: 1_000, pausedAt: nil).refusal(of: .pause, now: 1_000) == "campaign_ended")
        #expect(Self.campaign(endsAt: 1_000, pausedAt: 900).refusal(of: .resume, now: 2_000) == "campaign_ended")
    }
}

@Suite("Campaign change rules")
struct CampaignChangeRulesTests {
    static let draft = CampaignPauseRulesTests.campaign(endsAt: 10 * 86_400_000, pausedAt: nil).draft

    @Test func aChangeKeepsWhatItLeavesOut() throws {
        let changed = try CampaignChange(name: " 夏日加长版 ", endsAt: 20 * 86_400_000, perDevicePerDay: 9).applied(to: Self.draft, now: 86_400_000)
        #expect(changed.name == "夏日加长版" && changed.endsAt == 20 * 86_400_000 && changed.limits.perDevicePerDay == 9)
        #expect(changed.limits.perConsumerPerDay == Self.draft.limits.perConsumerPerDay && changed.tiers == Self.draft.tiers)
        #expect(try CampaignChange().applied(to: Self.draft, now: 0) == Self.draft)
    }

    @Test func badChangesAreRefusedFieldByField() {
        #expect(throws: ValidationError.self) { try CampaignChange(endsAt: 5).applied(to: Self.draft, now: 86_400_000) }
        do {
            _ = try CampaignChange(name: "", endsAt: 86_400_000, perConsumerPerDay: 0).applied(to: Self.draft, now: 2 * 86_400_000)
            Issue.record("refused")
        } catch {
            #expect(error.errors.map(\.field) == ["name", "endsAt", "perConsumerPerDay"])
            #expect(error.errors.map(\.code) == ["required", "in_the_past", "out_of_range"])
        }
        #expect(throws: ValidationError.self) { try CampaignChange(endsAt: 400 * 86_400_000).applied(to: Self.draft, now: 0) }
    }
}
