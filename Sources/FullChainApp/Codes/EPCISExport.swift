import Crypto
public import FullChainCore
public import FullChainStorage

/// The brand's logistics and scan history as a GS1 EPCIS 2.0 JSON-LD document:
/// packing (AggregationEvent: units into their case, for every shipped case), re-packing
/// (AggregationEvent: a unit out of one case, into another), shipping to distributors, their
/// deliveries to stores and store receipts (ObjectEvent on cases), and consumer scans (ObjectEvent on units: `retail_selling`
/// for the scan that counts as the store's sale, `inspecting` otherwise). Every object is named
/// by its printed URL, places by their page URL or a `geo:` URI.
public struct EPCISExport {
    /// The unit or case code text of a batch's serial (nil when the batch's key is unknown).
    public var codeText: (Int64, ScanCode.Kind, Int) -> String?
    public var batches: [Int64: CodeBatch]
    public var scanHost: String
    public var createdAt: Int64

    public init(codeText: @escaping (Int64, ScanCode.Kind, Int) -> String?, batches: [Int64: CodeBatch], scanHost: String, createdAt: Int64) {
        self.codeText = codeText
        self.batches = batches
        self.scanHost = scanHost
        self.createdAt = createdAt
    }

    public func document(_ events: [LoggedEvent]) -> JSONValue {
        var list: [JSONValue] = []
        // Packing: each shipped case once, at its batch's creation.
        var packed = Set<CaseRef>()
        for case .shipped(let ref, _, _) in events where !packed.contains(ref) {
            packed.insert(ref)
            guard let batch = batches[ref.batchID], let parent = url(ref.batchID, .case, ref.caseNumber) else { continue }
            let units = batch.units(inCase: ref.caseNumber).compactMap { url(ref.batchID, .unit, $0) }
            list.append(
                event(
                    "AggregationEvent", at: batch.createdAt,
                    [
                        ("parentID", .string(parent)), ("childEPCs", .array(units.map { .string($0) })), ("action", "ADD"), ("bizStep", "packing"),
                        ("disposition", "in_progress"), ("readPoint", ["id": .string(place("brand"))]),
                    ]))
        }
        // Movements grouped per destination and moment, like one scan session at a dock.
        var shipments = Sessions<(at: Int64, distributor: Int64)>()
        var receipts = Sessions<(at: Int64, store: Int64)>()
        var deliveries = Sessions<(at: Int64, distributor: Int64, store: Int64)>()
        var repacks = Sessions<(at: Int64, action: String, parent: String)>()
        for event in events {
            switch event {
            case .shipped(let ref, let distributorID, let at):
                guard let epc = url(ref.batchID, .case, ref.caseNumber) else { continue }
                shipments.add(epc, to: "\(distributorID)@\(at)", head: (at, distributorID))
            case .received(let receipt):
                guard let epc = url(receipt.batchID, .case, receipt.caseNumber) else { continue }
                receipts.add(epc, to: "\(receipt.storeID)@\(receipt.receivedAt)", head: (receipt.receivedAt, receipt.storeID))
            case .transferred(let transfer):
                guard let epc = url(transfer.batchID, .case, transfer.caseNumber) else { continue }
                deliveries.add(
                    epc, to: "\(transfer.distributorID)>\(transfer.storeID)@\(transfer.transferredAt)",
                    head: (transfer.transferredAt, transfer.distributorID, transfer.storeID))
            case .repacked(let repack):
                guard let unit = url(repack.batchID, .unit, repack.serial), let from = url(repack.batchID, .case, repack.fromCase),
                    let to = url(repack.batchID, .case, repack.toCase)
                else { continue }
                for (action, parent) in [("DELETE", from), ("ADD", to)] {
                    repacks.add(unit, to: "\(action)\(parent)@\(repack.repackedAt)", head: (repack.repackedAt, action, parent))
                }
            case .scanned:
                continue
            }
        }
        for (repack, units) in repacks.all {
            list.append(
                event(
                    "AggregationEvent", at: repack.at,
                    [
                        ("parentID", .string(repack.parent)), ("childEPCs", .array(units.map { .string($0) })), ("action", .string(repack.action)),
                        ("bizStep", "repackaging"), ("disposition", "in_progress"), ("readPoint", ["id": .string(place("brand"))]),
                    ]))
        }
        for (shipment, cases) in shipments.all {
            list.append(
                event(
                    "ObjectEvent", at: shipment.at,
                    [
                        ("epcList", .array(cases.map { .string($0) })), ("action", "OBSERVE"), ("bizStep", "shipping"), ("disposition", "in_transit"),
                        ("readPoint", ["id": .string(place("brand"))]),
                        ("destinationList", [["type": "owning_party", "destination": .string(place("distributors/\(shipment.distributor)"))]]),
                    ]))
        }
        for (delivery, cases) in deliveries.all {
            list.append(
                event(
                    "ObjectEvent", at: delivery.at,
                    [
                        ("epcList", .array(cases.map { .string($0) })), ("action", "OBSERVE"), ("bizStep", "shipping"), ("disposition", "in_transit"),
                        ("readPoint", ["id": .string(place("distributors/\(delivery.distributor)"))]),
                        ("sourceList", [["type": "owning_party", "source": .string(place("distributors/\(delivery.distributor)"))]]),
                        ("destinationList", [["type": "owning_party", "destination": .string(place("stores/\(delivery.store)"))]]),
                    ]))
        }
        for (receipt, cases) in receipts.all {
            let store = place("stores/\(receipt.store)")
            list.append(
                event(
                    "ObjectEvent", at: receipt.at,
                    [
                        ("epcList", .array(cases.map { .string($0) })), ("action", "OBSERVE"), ("bizStep", "receiving"),
                        ("disposition", "in_progress"),
                        ("readPoint", ["id": .string(store)]), ("bizLocation", ["id": .string(store)]),
                    ]))
        }
        for case .scanned(let batchID, let serial, let number, let at, let location, let storeID, let status) in events {
            guard let epc = url(batchID, .unit, serial) else { continue }
            let sale = number == 1 && status == .active && storeID != nil
            var fields: [(String, JSONValue)] = [
                ("epcList", [.string(epc)]), ("action", "OBSERVE"), ("bizStep", sale ? "retail_selling" : "inspecting"),
            ]
            if sale { fields.append(("disposition", "retail_sold")) }
            if let location {
                fields.append(("readPoint", ["id": .string("geo:\(Self.degrees(location.latitude)),\(Self.degrees(location.longitude))")]))
            }
            if let storeID { fields.append(("bizLocation", ["id": .string(place("stores/\(storeID)"))])) }
            list.append(event("ObjectEvent", at: at, fields))
        }
        return [
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": .string(Self.timestamp(createdAt)),
            "epcisBody": ["eventList": .array(list)],
        ]
    }

    private func url(_ batchID: Int64, _ kind: ScanCode.Kind, _ serial: Int) -> String? {
        codeText(batchID, kind, serial).map { "https://\(scanHost)/c/\($0)" }
    }

    private func place(_ path: String) -> String { "https://\(scanHost)/\(path)" }

    /// An event with its time, China's offset and an id hashed from its content.
    private func event(_ type: String, at: Int64, _ fields: [(String, JSONValue)]) -> JSONValue {
        let time = Self.timestamp(at)
        var digest = SHA256()
        digest.update(data: Array("\(type)|\(time)|".utf8))
        for (key, value) in fields { digest.update(data: Array("\(key)=\(value.compactText)|".utf8)) }
        let hex = digest.finalize().map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        return .object(
            [
                ("type", .string(type)), ("eventID", .string("ni:///sha-256;\(hex)?ver=CBV2.0")), ("eventTime", .string(time)),
                ("eventTimeZoneOffset", "+08:00"),
            ] + fields)
    }

    public static func degrees(_ value: Double) -> String {
        let micro = Int64((value * 1_000_000).rounded())
        let sign = micro < 0 ? "-" : ""
        return "\(sign)\(abs(micro) / 1_000_000).\(String(abs(micro) % 1_000_000).leftPadded(to: 6))"
    }

    public static func timestamp(_ millis: Int64) -> String { EPCISTime.text(millis) }
}

/// Objects grouped by session (who and when), sessions in order of first appearance.
private struct Sessions<Head> {
    private(set) var all: [(head: Head, objects: [String])] = []
    private var index: [String: Int] = [:]

    mutating func add(_ object: String, to key: String, head: @autoclosure () -> Head) {
        if let position = index[key] {
            all[position].objects.append(object)
        } else {
            index[key] = all.count
            all.append((head(), [object]))
        }
    }
}

/// EPCIS times: China Standard Time with its offset.
public enum EPCISTime {
    /// `2026-11-23T21:05:09.123+08:00` from milliseconds.
    public static func text(_ millis: Int64) -> String {
        let day = BusinessDay.day(ofMillis: millis)
        let rest = millis - BusinessDay.start(ofDay: day)
        func two(_ v: Int64) -> String { String(v).leftPadded(to: 2) }
        return "\(BusinessDay.date(ofDay: day))T\(two(rest / 3_600_000)):\(two(rest / 60_000 % 60)):\(two(rest / 1_000 % 60))"
            + ".\(String(rest % 1_000).leftPadded(to: 3))+08:00"
    }
}

extension JSONValue {
    /// A stable text of the value, for hashing.
    var compactText: String {
        switch self {
        case .string(let value): "\"\(value)\""
        case .number(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .array(let values): "[" + values.map(\.compactText).joined(separator: ",") + "]"
        case .object(let pairs): "{" + pairs.map { "\($0.0):\($0.1.compactText)" }.joined(separator: ",") + "}"
        }
    }
}
