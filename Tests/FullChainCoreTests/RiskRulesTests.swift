import FullChainCore
import Testing

/// Risk scores (防羊毛党): each broken rule adds its weight and names its reason; enough of them hold the reward.
@Suite("Risk rules")
struct RiskRulesTests {
    let rules = RiskRules(
        deviceScansPerHour: 30, consumersPerDevice: 3, consumersPerIP: 20, batchesPerConsumerPerDay: 5, maxTravelKmh: 1_000, holdScore: 50)

    @Test func anOrdinaryScanIsClean() {
        #expect(rules.assess(RiskSignals()) == RiskAssessment(score: 0, reasons: [], held: false))
        #expect(
            rules.assess(RiskSignals(deviceScansLastHour: 30, consumersOnDevice: 3, consumersOnIP: 20, batchesByConsumer: 5, travelKmh: 999)).score
                == 0)
    }

    @Test func eachRuleNamesItsReason() {
        #expect(
            rules.assess(RiskSignals(blacklisted: ["openid", "device"]))
                == RiskAssessment(score: 200, reasons: ["blacklisted_device", "blacklisted_openid"], held: true))
        #expect(rules.assess(RiskSignals(deviceScansLastHour: 31)) == RiskAssessment(score: 50, reasons: ["device_velocity"], held: true))
        #expect(rules.assess(RiskSignals(consumersOnDevice: 4)) == RiskAssessment(score: 50, reasons: ["shared_device"], held: true))
        #expect(rules.assess(RiskSignals(travelKmh: 1_200)) == RiskAssessment(score: 60, reasons: ["impossible_travel"], held: true))
        // Weak signals alone do not hold a reward; together they do.
        #expect(rules.assess(RiskSignals(consumersOnIP: 21)) == RiskAssessment(score: 30, reasons: ["shared_ip"], held: false))
        #expect(rules.assess(RiskSignals(batchesByConsumer: 6)) == RiskAssessment(score: 40, reasons: ["harvested_codes"], held: false))
        #expect(
            rules.assess(RiskSignals(consumersOnIP: 21, batchesByConsumer: 6))
                == RiskAssessment(score: 70, reasons: ["shared_ip", "harvested_codes"], held: true))
    }

    @Test func blacklistInputIsCheckedWhole() throws {
        let entries = try BlacklistInput.validated([
            BlacklistInput(kind: "device", value: " d-1 ", note: "gang"), BlacklistInput(kind: "phone", value: "+8613800000000"),
        ])
        #expect(entries == [BlacklistEntry(kind: .device, value: "d-1", note: "gang"), BlacklistEntry(kind: .phone, value: "+8613800000000")])
        #expect(entries.map(\.subject) == ["device:d-1", "phone:+8613800000000"])
        #expect(throws: ValidationError.self) { try BlacklistInput.validated([]) }
        do {
            _ = try BlacklistInput.validated([
                BlacklistInput(kind: "email", value: "a@b"), BlacklistInput(kind: "phone", value: "138-0000"),
                BlacklistInput(kind: "ip", value: ""),
            ])
            Issue.record("accepted bad entries")
        } catch {
            #expect(error.errors.map(\.field) == ["[0].kind", "[1].value", "[2].value"])
        }
    }
}
