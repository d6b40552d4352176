import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// Cases named by their printed B codes and/or by ranges of a batch.
struct CaseRangeInput: Codable, Sendable {
    var batchID: Int64?
    var firstCase: Int?
    var lastCase: Int?
}

struct ShipmentInput: Codable, Sendable {
    var distributorID: Int64?
    var cases: [String]?
    var ranges: [CaseRangeInput]?
}

struct ReceiptInput: Codable, Sendable {
    var storeID: Int64?
    var cases: [String]?
    var ranges: [CaseRangeInput]?
}

struct MovementResult: Codable, Sendable {
    var cases: Int
    /// Receipts at a store outside the shipment's distributor (evidence of 窜货).
    var flagged: Int
}

/// Logistics scans: the brand ships cases to a distributor; a store receives them, which makes
/// the BC association (every unit in a received case belongs to that store).
enum LogisticsAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(.post, "/api/v1/shipments", id: "shipCases", tag: "logistics",
                        summary: "Ship activated cases (B codes or ranges) to a distributor; all or none", request: "ShipmentInput",
                        response: "MovementResult", status: .created) { request, context in
                let p = try context.require(.manageCodes)
                let input = try await request.decodeJSON(ShipmentInput.self, limit: limit)
                guard let distributorID = input.distributorID, try await storage.distributors.get(id: distributorID, scope: p.scope) != nil else {
                    throw APIError.from(storage: .missingReference("distributorID"))
                }
                let cases = try await resolve(input.cases, input.ranges, services: services, tenantID: p.tenantID, requireActive: true)
                let shipped = try await storage.logistics.shipments(of: cases, tenantID: p.tenantID)
                guard shipped.isEmpty else {
                    throw APIError(.conflict, code: "already_shipped", message: "\(shipped.count) of the cases were shipped before; nothing was shipped",
                                   details: .cases(shipped.keys.sorted().prefix(100).map { $0 }))
                }
                do {
                    try await storage.logistics.ship(cases, distributorID: distributorID, tenantID: p.tenantID)
                    services.scanning.casesMoved()
                } catch StorageError.duplicate {
                    throw APIError(.conflict, code: "already_shipped", message: "some of the cases were shipped meanwhile; nothing was shipped")
                }
                return try .json(MovementResult(cases: cases.count, flagged: 0), status: .created)
            },
            APIEndpoint(.post, "/api/v1/receipts", id: "receiveCases", tag: "logistics",
                        summary: "A store receives shipped cases: every unit in them now belongs to the store (BC association); all or none",
                        request: "ReceiptInput", response: "MovementResult", status: .created) { request, context in
                let p = try context.requirePrincipal()
                guard p.role != .distributor else { throw APIError.forbidden }
                let input = try await request.decodeJSON(ReceiptInput.self, limit: limit)
                // A store's own staff receive into their store; others name a store within their reach.
                let storeID: Int64
                if case .store(let own) = p.scope.reach {
                    guard input.storeID == nil || input.storeID == own else { throw APIError.notFound }
                    storeID = own
                } else {
                    guard let named = input.storeID else {
                        throw APIError(.unprocessableContent, code: "validation_failed", message: "storeID is required",
                                       details: .fields([FieldError(field: "storeID", code: "required", message: "storeID is required")]))
                    }
                    storeID = named
                }
                guard let store = try await storage.stores.get(id: storeID, scope: p.scope) else { throw APIError.notFound }
                let cases = try await resolve(input.cases, input.ranges, services: services, tenantID: p.tenantID, requireActive: false)
                let shipments = try await storage.logistics.shipments(of: cases, tenantID: p.tenantID)
                let unshipped = cases.filter { shipments[$0] == nil }
                guard unshipped.isEmpty else {
                    throw APIError(.conflict, code: "not_shipped", message: "\(unshipped.count) of the cases were never shipped to a distributor; nothing was received",
                                   details: .cases(Array(unshipped.prefix(100))))
                }
                let received = try await storage.logistics.receipts(of: cases, tenantID: p.tenantID)
                guard received.isEmpty else {
                    throw APIError(.conflict, code: "already_received", message: "\(received.count) of the cases were received before; nothing was received",
                                   details: .cases(received.keys.sorted().prefix(100).map { $0 }))
                }
                let now = currentMillis()
                let receipts = cases.map { ref in
                    let distributorID = shipments[ref] ?? 0
                    return CaseReceipt(batchID: ref.batchID, caseNumber: ref.caseNumber, storeID: store.store.id, distributorID: distributorID,
                                       flag: store.store.distributorID == distributorID ? .ok : .otherDistributor, receivedAt: now)
                }
                do {
                    try await storage.logistics.receive(receipts, tenantID: p.tenantID)
                    services.scanning.casesMoved()
                } catch StorageError.duplicate {
                    throw APIError(.conflict, code: "already_received", message: "some of the cases were received meanwhile; nothing was received")
                }
                try await raiseDiversion(receipts, store: store.store, storage: storage, regions: services.regions, tenantID: p.tenantID, at: now)
                return try .json(MovementResult(cases: receipts.count, flagged: receipts.filter { $0.flag != .ok }.count), status: .created)
            },
        ]
    }

    /// A store outside the territory of the distributor its cases were shipped to: one diversion
    /// alert per store and distributor, counting the cases (managers over the distributor see it).
    static func raiseDiversion(_ receipts: [CaseReceipt], store: Store, storage: AppStorage, regions: RegionCatalog, tenantID: Int64, at: Int64) async throws {
        var byDistributor: [Int64: [CaseReceipt]] = [:]
        for receipt in receipts { byDistributor[receipt.distributorID, default: []].append(receipt) }
        var raises: [AlertRaise] = []
        for (distributorID, cases) in byDistributor.sorted(by: { $0.key < $1.key }) {
            guard let distributor = try await storage.channel.distributor(id: distributorID, tenantID: tenantID),
                  !distributor.territory.regionCodes.isEmpty, !distributor.territory.covers(store.regionCode), let first = cases.first else { continue }
            raises.append(AlertRaise(
                reason: .storeReceipt, subject: "store:\(store.id):from:\(distributorID)", batchID: first.batchID, caseNumber: first.caseNumber,
                distributorID: distributorID, storeID: store.id, orgPath: distributor.orgPath, regionCode: store.regionCode, location: store.location,
                events: cases.count, at: at,
                detail: "\(store.name) (\(regions.fullName(of: store.regionCode))) received \(cases.count) case(s) shipped to \(distributor.name), outside its territory"))
        }
        try await storage.alerts.raise(raises, tenantID: tenantID)
    }

    /// The distinct cases a request names, checked: B codes must be the brand's, ranges must lie
    /// in a batch, and no case may be voided (nor inactive, when `requireActive`).
    static func resolve(_ texts: [String]?, _ ranges: [CaseRangeInput]?, services: AppServices, tenantID: Int64,
                        requireActive: Bool) async throws -> [CaseRef] {
        var errors: [FieldError] = []
        var cases = Set<CaseRef>()
        var batches: [Int64: (batch: CodeBatch, actions: [CodeRangeAction])] = [:]
        func batch(_ id: Int64) async throws -> (batch: CodeBatch, actions: [CodeRangeAction])? {
            if let known = batches[id] { return known }
            guard let found = try await services.storage.codes.batch(id: id, tenantID: tenantID) else { return nil }
            let entry = (found, try await services.storage.codes.rangeActions(batchID: id, tenantID: tenantID))
            batches[id] = entry
            return entry
        }
        let requested = (texts?.count ?? 0) + (ranges ?? []).reduce(0) { $0 + max(0, ($1.lastCase ?? $1.firstCase ?? 0) - ($1.firstCase ?? 0) + 1) }
        guard requested >= 1, requested <= maxCasesPerMovement else {
            throw APIError(.unprocessableContent, code: "validation_failed", message: "name 1…\(maxCasesPerMovement) cases",
                           details: .fields([FieldError(field: "cases", code: "out_of_range", message: "name 1…\(maxCasesPerMovement) cases")]))
        }
        for (index, text) in (texts ?? []).enumerated() {
            guard let code = try await services.codeKeys.verify(text, tenantID: tenantID), code.kind == .case,
                  let entry = try await batch(Int64(code.batch)), entry.batch.contains(code) else {
                errors.append(FieldError(field: "cases[\(index)]", code: "invalid_code", message: "not a case code of this brand"))
                continue
            }
            cases.insert(CaseRef(batchID: entry.batch.id, caseNumber: Int(code.serial)))
        }
        for (index, range) in (ranges ?? []).enumerated() {
            guard let id = range.batchID, let entry = try await batch(id) else {
                errors.append(FieldError(field: "ranges[\(index)].batchID", code: "invalid_reference", message: "no such batch"))
                continue
            }
            let first = range.firstCase ?? 0
            let last = range.lastCase ?? first
            guard first >= 0, first <= last, last < entry.batch.caseCount else {
                errors.append(FieldError(field: "ranges[\(index)]", code: "out_of_range", message: "cases must lie in 0…\(entry.batch.caseCount - 1)"))
                continue
            }
            for number in first...last { cases.insert(CaseRef(batchID: id, caseNumber: number)) }
        }
        for ref in cases.sorted() {
            guard let entry = batches[ref.batchID] else { continue }
            let status = entry.batch.status(ofCase: ref.caseNumber, actions: entry.actions)
            if status == .voided || (requireActive && status == .inactive) {
                errors.append(FieldError(field: "cases", code: status == .voided ? "voided" : "not_active",
                                         message: "case \(ref.caseNumber) of batch \(ref.batchID) is \(status.rawValue)"))
                if errors.count >= 100 { break }
            }
        }
        guard errors.isEmpty else {
            throw APIError(.unprocessableContent, code: "validation_failed", message: "some cases cannot be moved; nothing was", details: .fields(errors))
        }
        return cases.sorted()
    }
}
