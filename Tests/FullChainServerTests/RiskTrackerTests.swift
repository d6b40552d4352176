import FullChainCore
import Testing

@testable import FullChainApp
@testable import FullChainServer

/// The risk signals' memory is bounded by forgetting the least recently seen subjects, never
/// by wiping itself: a flood of new devices cannot erase what is known about a busy one.
@Suite("Risk tracker")
struct RiskTrackerTests {
    static let noon: Int64 = BusinessDay.start(ofDay: 20_000) + 12 * 3_600_000

    @Test func aFullTrackerForgetsTheLeastRecentlySeen() {
        let tracker = RiskTracker(maximumKeys: 30)
        func scan(_ device: String, consumer: String? = nil, at: Int64 = Self.noon) -> RiskSignals {
            tracker.observe(tenantID: 1, deviceID: device, ip: "192.0.2.1", consumer: consumer, batchID: 1, at: at, location: nil)
        }
        #expect(scan("busy", consumer: "c1").deviceScansLastHour == 1)
        #expect(scan("busy", consumer: "c2").deviceScansLastHour == 2)
        // Nine more devices fill the device memory (10 of each kind); the busy one is seen again, then fifty new ones come.
        for index in 0..<9 { _ = scan("other-\(index)") }
        #expect(scan("busy").deviceScansLastHour == 3)
        for index in 0..<9 { _ = scan("flood-\(index)") }
        #expect(tracker.counts.devices == 10)
        // The busy device was seen more recently than other-0…8: they went, it stayed, with its count and consumers.
        let busy = scan("busy", consumer: "c3")
        #expect(busy.deviceScansLastHour == 4 && busy.consumersOnDevice == 3)
        #expect(scan("other-0").deviceScansLastHour == 1, "forgotten")
        for index in 0..<100 { _ = scan("flood-more-\(index)", consumer: "x-\(index)") }
        let counts = tracker.counts
        #expect(counts.devices == 10 && counts.addresses == 1 && counts.consumers == 10)
    }

    @Test func dailyCountsStartAfreshEachBusinessDayWhileTheHourRuns() {
        let tracker = RiskTracker()
        let lateEvening = BusinessDay.start(ofDay: 20_001) - 10 * 60_000
        _ = tracker.observe(tenantID: 1, deviceID: "p", ip: nil, consumer: "a", batchID: 1, at: lateEvening, location: nil)
        let before = tracker.observe(tenantID: 1, deviceID: "p", ip: nil, consumer: "b", batchID: 2, at: lateEvening + 60_000, location: nil)
        #expect(before.consumersOnDevice == 2 && before.deviceScansLastHour == 2)
        // Past midnight: consumers per device and batches per consumer count anew; scans in the last hour still include yesterday's.
        let after = tracker.observe(tenantID: 1, deviceID: "p", ip: nil, consumer: "b", batchID: 3, at: lateEvening + 20 * 60_000, location: nil)
        #expect(after.consumersOnDevice == 1 && after.batchesByConsumer == 1 && after.deviceScansLastHour == 3)
    }

    @Test func aSubjectsSetsStopGrowing() {
        let tracker = RiskTracker()
        var last = RiskSignals()
        for index in 0..<(RiskTracker.maximumMembers + 50) {
            last = tracker.observe(tenantID: 1, deviceID: "farm", ip: nil, consumer: "c-\(index)", batchID: 1, at: Self.noon, location: nil)
        }
        #expect(last.consumersOnDevice == RiskTracker.maximumMembers && last.deviceScansLastHour == RiskTracker.maximumMembers)
    }
}
