import FullChainCore
import FullChainStorage
import Synchronization

/// This server's memory of recent consumer scans, for the risk signals: scans per device in the
/// last hour, consumers per device and per IP today, batches per consumer today, and each
/// consumer's last located scan. Memory is bounded (it starts afresh each business day and when
/// it grows too large); with several servers each counts the scans it served.
final class RiskTracker: Sendable {
    private struct State {
        var day: Int64 = 0
        var deviceScans: [String: [Int64]] = [:]
        var deviceConsumers: [String: Set<String>] = [:]
        var ipConsumers: [String: Set<String>] = [:]
        var consumerBatches: [String: Set<Int64>] = [:]
        var lastLocated: [String: (at: Int64, point: GeoPoint)] = [:]

        var size: Int { deviceScans.count + deviceConsumers.count + ipConsumers.count + consumerBatches.count + lastLocated.count }
    }

    private let state = Mutex(State())
    private let maximumKeys: Int

    init(maximumKeys: Int = 1_000_000) {
        self.maximumKeys = maximumKeys
    }

    /// Records a scan and returns what it says (the blacklist is checked elsewhere).
    func observe(tenantID: Int64, deviceID: String?, ip: String?, consumer: String?, batchID: Int64, at: Int64, location: GeoPoint?) -> RiskSignals {
        let day = BusinessDay.day(ofMillis: at)
        let device = deviceID.map { "\(tenantID)/\($0)" }
        let address = ip.map { "\(tenantID)/\($0)" }
        let person = consumer.map { "\(tenantID)/\($0)" }
        return state.withLock { state in
            if day > state.day || state.size > maximumKeys { state = State(day: max(day, state.day)) }
            var signals = RiskSignals()
            if let device {
                var times = state.deviceScans[device, default: []]
                times.removeAll { $0 <= at - 3_600_000 }
                times.append(at)
                state.deviceScans[device] = times
                signals.deviceScansLastHour = times.count
                if let person {
                    state.deviceConsumers[device, default: []].insert(person)
                    signals.consumersOnDevice = state.deviceConsumers[device]?.count ?? 1
                }
            }
            if let address, let person {
                state.ipConsumers[address, default: []].insert(person)
                signals.consumersOnIP = state.ipConsumers[address]?.count ?? 1
            }
            if let person {
                state.consumerBatches[person, default: []].insert(batchID)
                signals.batchesByConsumer = state.consumerBatches[person]?.count ?? 1
                if let location {
                    // Positions a few kilometres apart are the same place to a phone's GPS.
                    if let last = state.lastLocated[person], at > last.at, case let metres = last.point.distance(to: location), metres > 20_000 {
                        signals.travelKmh = metres / 1000 / (Double(at - last.at) / 3_600_000)
                    }
                    state.lastLocated[person] = (at, location)
                }
            }
            return signals
        }
    }
}
