import FullChainCore
import Testing

/// Referrals' pure rules: invite codes, what makes a referral look farmed, the KOC score and the
/// store's KOC density.
@Suite("Referral rules")
struct ReferralRulesTests {
    @Test func inviteCodesAreEightBase32Characters() {
        let code = InviteCode.make()
        #expect(code.count == 8 && InviteCode.parse(code) == code && InviteCode.parse(code.lowercased()) == code)
        for bad in ["", "ABCDEFG", "ABCDEFGHJ", "ABCDEFGU", "ABCD EFG", "ABCDEFG\u{0}", "ＡBCDEFGH"] {
            #expect(InviteCode.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func farmedReferralsAreHeldWithTheirReasons() {
        #expect(ReferralRisk.reasons(ReferralEvidence()).isEmpty)
        #expect(ReferralRisk.reasons(ReferralEvidence(sameProfile: true)) == [.selfReferral])
        #expect(ReferralRisk.reasons(ReferralEvidence(referrersDevice: true)) == [.selfReferral])
        #expect(ReferralRisk.reasons(ReferralEvidence(deviceSeenInTheirReferrals: true)) == [.sharedDevice])
        #expect(ReferralRisk.reasons(ReferralEvidence(sameAddressLastDay: ReferralRisk.addressLimit - 1)).isEmpty)
        #expect(ReferralRisk.reasons(ReferralEvidence(sameAddressLastDay: ReferralRisk.addressLimit)) == [.ipCluster])
        #expect(
            ReferralRisk.reasons(ReferralEvidence(deviceSeenInTheirReferrals: true, newcomerBroughtReferrer: true)) == [.sharedDevice, .ring])
    }

    @Test func theKOCScoreWeighsNewcomersTheirReturnAndTheirOwnNewcomers() {
        let three = KOCFigures(invited: 3, repeaters: 0, secondHop: 0)
        #expect(three.score == 3 && !three.isKOC)
        let returning = KOCFigures(invited: 3, repeaters: 2, secondHop: 0)
        #expect(abs(returning.score - 5) < 1e-9 && returning.isKOC)
        // Reach two steps out counts half; too few newcomers is no KOC whatever the reach.
        #expect(KOCFigures(invited: 3, repeaters: 1, secondHop: 2).score == 5 && KOCFigures(invited: 2, repeaters: 2, secondHop: 10).isKOC == false)
        #expect(KOCFigures(invited: 0, repeaters: 0, secondHop: 0).repeatRate == 0)
        #expect(KOCFigures(invited: 2, repeaters: 5, secondHop: 0).repeatRate == 1)
    }

    @Test func kocDensityIsKOCsPerHundredConsumers() {
        #expect(KOCDensity.of(kocs: 0, consumers: 100) == KOCDensity.none)
        #expect(KOCDensity.of(kocs: 1, consumers: 0) == KOCDensity.none)
        #expect(KOCDensity.of(kocs: 1, consumers: 1_000) == .low)
        #expect(KOCDensity.of(kocs: 1, consumers: 200) == .medium)
        #expect(KOCDensity.of(kocs: 2, consumers: 100) == .high)
    }
}
