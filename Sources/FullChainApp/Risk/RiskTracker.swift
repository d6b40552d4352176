import FullChainCore
import FullChainStorage
import Synchronization

/// This server's memory of recent consumer scans, for the risk signals: scans per device in the
/// last hour, consumers per device and per IP today, batches per consumer today, and each
/// consumer's last located scan. Memory is bounded: each kind of subject is kept in a map of at
/// most `maximumKeys / 3` entries that forgets its least recently seen subject to make room (a
/// flood of new devices pushes out the quietest, never the whole memory), and the sets a subject
/// collects stop growing well past every threshold. Daily counts start afresh on each subject's
/// first scan of a business day. With several servers each counts the scans it served.
final class RiskTracker: Sendable {
    /// What one subject's sets hold at most: far above any threshold, so the signal still fires.
    static let maximumMembers = 1_000

    private struct Device {
        var day: Int64
        var times: [Int64] = []
        var consumers: Set<String> = []
    }

    private struct Address {
        var day: Int64
        var consumers: Set<String> = []
    }

    private struct Consumer {
        var day: Int64
        var batches: Set<Int64> = []
        var lastLocated: (at: Int64, point: GeoPoint)?
    }

    private struct State {
        var devices: LRUCache<String, Device>
        var addresses: LRUCache<String, Address>
        var consumers: LRUCache<String, Consumer>
    }

    private let state: Mutex<State>

    init(maximumKeys: Int = 1_000_000) {
        let each = max(1, maximumKeys / 3)
        state = Mutex(State(devices: LRUCache(capacity: each), addresses: LRUCache(capacity: each), consumers: LRUCache(capacity: each)))
    }

    /// Subjects remembered, of each kind (for tests and metrics).
    var counts: (devices: Int, addresses: Int, consumers: Int) {
        state.withLock { ($0.devices.count, $0.addresses.count, $0.consumers.count) }
    }

    /// Records a scan the server received at `at` (its own clock) and returns what it says (the
    /// blacklist is checked elsewhere).
    func observe(tenantID: Int64, deviceID: String?, ip: String?, consumer: String?, batchID: Int64, at: Int64, location: GeoPoint?) -> RiskSignals {
        let day = BusinessDay.day(ofMillis: at)
        let device = deviceID.map { "\(tenantID)/\($0)" }
        let address = ip.map { "\(tenantID)/\($0)" }
        let person = consumer.map { "\(tenantID)/\($0)" }
        return state.withLock { state in
            var signals = RiskSignals()
            if let device {
                state.devices.update(device, initial: Device(day: day)) { entry in
                    if entry.day != day { entry = Device(day: day, times: entry.times) }
                    entry.times.removeAll { $0 <= at - 3_600_000 }
                    if entry.times.count >= Self.maximumMembers { entry.times.removeFirst() }
                    entry.times.append(at)
                    signals.deviceScansLastHour = entry.times.count
                    if let person {
                        Self.insert(person, into: &entry.consumers)
                        signals.consumersOnDevice = entry.consumers.count
                    }
                }
            }
            if let address, let person {
                state.addresses.update(address, initial: Address(day: day)) { entry in
                    if entry.day != day { entry = Address(day: day) }
                    Self.insert(person, into: &entry.consumers)
                    signals.consumersOnIP = entry.consumers.count
                }
            }
            if let person {
                state.consumers.update(person, initial: Consumer(day: day)) { entry in
                    if entry.day != day { entry = Consumer(day: day, lastLocated: entry.lastLocated) }
                    Self.insert(batchID, into: &entry.batches)
                    signals.batchesByConsumer = entry.batches.count
                    if let location {
                        // Positions a few kilometres apart are the same place to a phone's GPS.
                        if let last = entry.lastLocated, at > last.at, case let metres = last.point.distance(to: location), metres > 20_000 {
                            signals.travelKmh = metres / 1000 / (Double(at - last.at) / 3_600_000)
                        }
                        entry.lastLocated = (at, location)
                    }
                }
            }
            return signals
        }
    }

    private static func insert<Member: Hashable>(_ member: Member, into set: inout Set<Member>) {
        if set.count < maximumMembers { set.insert(member) }
    }
}
