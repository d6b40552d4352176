import FullChainApp
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

/// A distributor delivers cases to a store.
struct TransferInput: Codable, Sendable {
    var storeID: Int64?
    var cases: [String]?
    var ranges: [CaseRangeInput]?
}

/// Units (C codes) put into another case (a B code) of their batch.
struct RepackInput: Codable, Sendable {
    var `case`: String?
    var units: [String]?
}

struct RepackResult: Codable, Sendable {
    var batchID: Int64
    var caseNumber: Int
    /// Units now recorded in the case.
    var moved: Int
    /// Units named that were in the case already.
    var unchanged: Int
}

struct MovementResult: Codable, Sendable {
    var cases: Int
    /// Receipts at a store outside the shipment's distributor (evidence of 窜货).
    var flagged: Int
    /// Receipts whose store's rewards wait for HQ's review.
    var held: Int = 0
}

/// HQ's decision on a held receipt.
struct ReceiptReviewInput: Codable, Sendable {
    var batchID: Int64?
    var caseNumber: Int64?
    var decision: String?
}

/// Logistics scans: the brand ships cases to a distributor; the distributor delivers them to a
/// store; the store receives them, which makes the BC association (every unit in a received case
/// belongs to that store; a delivered case stands for it until then). Units re-packed into
/// another case are recorded one by one.
enum LogisticsAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .post, "/api/v1/shipments", id: "shipCases", tag: "logistics",
                summary: "Ship activated cases (B codes or ranges) to a distributor; all or none", request: "ShipmentInput",
                response: "MovementResult", status: .created
            ) { request, context in
                let p = try context.require(.manageCodes)
                let input = try await request.decodeJSON(ShipmentInput.self, limit: limit)
                guard let distributorID = input.distributorID, try await storage.distributors.get(id: distributorID, scope: p.scope) != nil else {
                    throw APIError.from(storage: .missingReference("distributorID"))
                }
                let cases = try await resolve(input.cases, input.ranges, services: services, tenantID: p.tenantID, requireActive: true)
                let shipped = try await storage.logistics.shipments(of: cases, tenantID: p.tenantID)
                guard shipped.isEmpty else { throw conflict("already_shipped", shipped.keys, "were shipped before", nothing: "shipped") }
                do {
                    try await storage.logistics.ship(cases, distributorID: distributorID, tenantID: p.tenantID)
                    services.scanning.casesMoved()
                } catch StorageError.duplicate {
                    throw APIError(.conflict, code: "already_shipped", message: "some of the cases were shipped meanwhile; nothing was shipped")
                }
                return try .json(MovementResult(cases: cases.count, flagged: 0), status: .created)
            },
            APIEndpoint(
                .post, "/api/v1/receipts", id: "receiveCases", tag: "logistics",
                summary: "A store receives shipped cases: every unit in them now belongs to the store (BC association); all or none",
                request: "ReceiptInput", response: "MovementResult", status: .created
            ) { request, context in
                let p = try context.requirePrincipal()
                guard p.role != .distributor else { throw APIError.forbidden }
                let input = try await request.decodeJSON(ReceiptInput.self, limit: limit)
                // A store's own staff receive into their store; others name a store within their reach.
                guard let store = try await storage.stores.get(id: try actingStore(named: input.storeID, by: p), scope: p.scope) else {
                    throw APIError.notFound
                }
                let cases: [CaseRef]
                if case .store(let own) = p.scope.reach {
                    // Store staff receive what is in their hands: shipped to their distributor, or delivered to them.
                    let distributorID = store.store.distributorID
                    cases = try await possessed(input.cases, input.ranges, services: services, tenantID: p.tenantID) { _, shippedTo, deliveredTo in
                        (shippedTo != nil && shippedTo == distributorID) || deliveredTo == own
                    }
                } else {
                    cases = try await resolve(input.cases, input.ranges, services: services, tenantID: p.tenantID, requireActive: false)
                }
                let shipments = try await shipmentsOfAll(cases, storage: storage, tenantID: p.tenantID, nothing: "received")
                let received = try await storage.logistics.receipts(of: cases, tenantID: p.tenantID)
                guard received.isEmpty else { throw conflict("already_received", received.keys, "were received before", nothing: "received") }
                let transfers = try await storage.logistics.transfers(of: cases, tenantID: p.tenantID)
                let now = currentMillis()
                let byStoreStaff = p.scope.reach == .store(id: store.store.id)
                let receipts = cases.map { ref in
                    let distributorID = shipments[ref] ?? 0
                    let flag: ReceiptFlag =
                        store.store.distributorID != distributorID
                        ? .otherDistributor
                        : transfers[ref].map { $0.storeID == store.store.id } == false ? .otherStore : .ok
                    return CaseReceipt(
                        batchID: ref.batchID, caseNumber: ref.caseNumber, storeID: store.store.id, distributorID: distributorID,
                        flag: flag, receivedAt: now, review: .initial(flag: flag, byStoreStaff: byStoreStaff))
                }
                do {
                    try await storage.logistics.receive(receipts, tenantID: p.tenantID)
                    services.scanning.casesMoved()
                } catch StorageError.duplicate {
                    throw APIError(.conflict, code: "already_received", message: "some of the cases were received meanwhile; nothing was received")
                }
                try await DiversionAlerts.raise(
                    receipts.map { ($0.ref, $0.distributorID) }, verb: "received",
                    store: store.store, storage: storage, regions: services.regions, tenantID: p.tenantID, at: now)
                return try .json(
                    MovementResult(
                        cases: receipts.count, flagged: receipts.filter { $0.flag != .ok }.count,
                        held: receipts.filter { $0.review == .held }.count), status: .created)
            },
            APIEndpoint(
                .get, "/api/v1/receipts/held", id: "listHeldReceipts", tag: "logistics",
                summary:
                    "Receipts whose store's campaign rewards wait for HQ's review (recorded by someone other than the store's staff for a case outside its channel), oldest first",
                response: "HeldReceiptPage", query: pagingQuery
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                return try .json(try await storage.logistics.heldReceipts(try ListQuery(request), scope: p.scope))
            },
            APIEndpoint(
                .post, "/api/v1/receipts/review", id: "reviewReceipt", tag: "logistics",
                summary:
                    "Approves a held receipt (its held rewards go to the store) or rejects it (they go back to their campaigns, and the store earns none from the case)",
                request: "ReceiptReviewInput", response: "ReceiptReviewResult"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(ReceiptReviewInput.self, limit: 4096)
                var problems = Validator()
                let batchID = problems.integer(input.batchID, field: "batchID", in: 1...Int64.max)
                let caseNumber = problems.integer(input.caseNumber, field: "caseNumber", in: 0...Int64(CodeBatch.maxQuantity))
                let decision: ReceiptReview? =
                    switch input.decision {
                    case "approve": .approved
                    case "reject": .rejected
                    default: nil
                    }
                if decision == nil { problems.add(FieldError(field: "decision", code: "invalid", message: "decision is approve or reject")) }
                try problems.check()
                guard let decision else { throw APIError.notFound }
                do {
                    switch try await storage.logistics.review(
                        CaseRef(batchID: batchID, caseNumber: Int(caseNumber)), decision: decision, scope: p.scope)
                    {
                    case .decided(let result):
                        services.scanning.casesMoved()
                        return try .json(result)
                    case .notHeld(.none):
                        throw APIError(.conflict, code: "not_held", message: "the receipt needs no review")
                    case .notHeld(let review):
                        throw APIError(.conflict, code: "already_reviewed", message: "the receipt was \(review.rawValue) before")
                    }
                } catch StorageError.notFound {
                    throw APIError.notFound
                } catch StorageError.unavailable, StorageError.floorReached {
                    throw APIError(.conflict, code: "retry", message: "the receipt's held rewards changed meanwhile; nothing moved, try again")
                }
            },
            APIEndpoint(
                .post, "/api/v1/transfers", id: "transferCases", tag: "logistics",
                summary:
                    "A distributor delivers shipped cases to a store (出库到店): until the store scans its receipt, the units belong to that store; all or none",
                request: "TransferInput", response: "MovementResult", status: .created
            ) { request, context in
                let p = try context.requirePrincipal()
                guard p.role != .store else { throw APIError.forbidden }
                let input = try await request.decodeJSON(TransferInput.self, limit: limit)
                guard let storeID = input.storeID else { throw storeRequired }
                // A distributor's staff deliver only what was shipped to their distributor, to stores they supply.
                guard let store = try await storage.stores.get(id: storeID, scope: p.scope) else { throw APIError.notFound }
                let cases: [CaseRef]
                if case .distributor(let own) = p.scope.reach {
                    // A distributor's staff move only what was shipped to their distributor.
                    cases = try await possessed(input.cases, input.ranges, services: services, tenantID: p.tenantID) { _, shippedTo, _ in
                        shippedTo == own
                    }
                } else {
                    cases = try await resolve(input.cases, input.ranges, services: services, tenantID: p.tenantID, requireActive: false)
                }
                let shipments = try await shipmentsOfAll(cases, storage: storage, tenantID: p.tenantID, nothing: "delivered")
                if case .distributor(let own) = p.scope.reach {
                    let elsewhere = cases.filter { shipments[$0] != own }
                    guard elsewhere.isEmpty else {
                        throw conflict("shipped_elsewhere", elsewhere, "were shipped to another distributor", nothing: "delivered")
                    }
                }
                let received = try await storage.logistics.receipts(of: cases, tenantID: p.tenantID)
                guard received.isEmpty else { throw conflict("already_received", received.keys, "were received by a store", nothing: "delivered") }
                let delivered = try await storage.logistics.transfers(of: cases, tenantID: p.tenantID)
                guard delivered.isEmpty else {
                    throw conflict("already_delivered", delivered.keys, "were delivered to a store before", nothing: "delivered")
                }
                let now = currentMillis()
                let transfers = cases.map { ref in
                    CaseTransfer(
                        batchID: ref.batchID, caseNumber: ref.caseNumber, distributorID: shipments[ref] ?? 0, storeID: store.store.id,
                        transferredAt: now)
                }
                do {
                    try await storage.logistics.transfer(transfers, tenantID: p.tenantID)
                    services.scanning.casesMoved()
                } catch StorageError.duplicate {
                    throw APIError(.conflict, code: "already_delivered", message: "some of the cases were delivered meanwhile; nothing was delivered")
                }
                try await DiversionAlerts.raise(
                    transfers.map { ($0.ref, $0.distributorID) }, verb: "was delivered",
                    store: store.store, storage: storage, regions: services.regions, tenantID: p.tenantID, at: now)
                return try .json(
                    MovementResult(cases: transfers.count, flagged: transfers.filter { $0.distributorID != store.store.distributorID }.count),
                    status: .created)
            },
            APIEndpoint(
                .post, "/api/v1/repacks", id: "repackUnits", tag: "logistics",
                summary: "Units (C codes) put into another case (a B code) of their batch, e.g. after a carton broke; all or none",
                request: "RepackInput", response: "RepackResult", status: .created
            ) { request, context in
                let p = try context.require(.manageCodes)
                let input = try await request.decodeJSON(RepackInput.self, limit: limit)
                let (target, units) = try await repacking(input, services: services, tenantID: p.tenantID)
                let current = try await storage.logistics.repackedCases(ofUnits: units, batchID: target.batch.id, tenantID: p.tenantID)
                let now = currentMillis()
                let repacks = units.compactMap { serial -> UnitRepack? in
                    let from = current[serial] ?? target.batch.caseNumber(ofUnit: serial)
                    return from == target.caseNumber
                        ? nil
                        : UnitRepack(batchID: target.batch.id, serial: serial, fromCase: from, toCase: target.caseNumber, repackedAt: now)
                }
                try await storage.logistics.repack(repacks, tenantID: p.tenantID)
                services.scanning.casesMoved()
                return try .json(
                    RepackResult(
                        batchID: target.batch.id, caseNumber: target.caseNumber, moved: repacks.count, unchanged: units.count - repacks.count),
                    status: .created)
            },
        ]
    }

    /// The store a request acts at: store staff act at their own store (naming another is a 404);
    /// everyone else names one (which the caller still checks is within reach).
    static func actingStore(named storeID: Int64?, by p: Principal) throws(APIError) -> Int64 {
        if case .store(let own) = p.scope.reach {
            guard storeID == nil || storeID == own else { throw APIError.notFound }
            return own
        }
        guard let storeID else { throw storeRequired }
        return storeID
    }

    static let storeRequired = APIError(
        .unprocessableContent, code: "validation_failed", message: "storeID is required",
        details: .fields([FieldError(field: "storeID", code: "required", message: "storeID is required")]))

    /// 409 for a movement some cases stop, naming the first 100 of them.
    static func conflict(_ code: String, _ cases: some Collection<CaseRef>, _ reason: String, nothing: String) -> APIError {
        APIError(
            .conflict, code: code, message: "\(cases.count) of the cases \(reason); nothing was \(nothing)",
            details: .cases(Array(cases.sorted().prefix(100))))
    }

    /// The distributor each case was shipped to; 409 `not_shipped` when some case never was.
    static func shipmentsOfAll(_ cases: [CaseRef], storage: AppStorage, tenantID: Int64, nothing: String) async throws -> [CaseRef: Int64] {
        let shipments = try await storage.logistics.shipments(of: cases, tenantID: tenantID)
        let unshipped = cases.filter { shipments[$0] == nil }
        guard unshipped.isEmpty else { throw conflict("not_shipped", unshipped, "were never shipped to a distributor", nothing: nothing) }
        return shipments
    }

    /// The case and the distinct units a re-packing names, checked: a case code and unit codes of
    /// the brand, all of one batch, none voided, no more units than a case holds.
    static func repacking(
        _ input: RepackInput, services: AppServices, tenantID: Int64
    ) async throws -> (target: (batch: CodeBatch, caseNumber: Int), units: [Int]) {
        var errors: [FieldError] = []
        let texts = input.units ?? []
        guard let caseText = input.case, let caseCode = try await services.codeKeys.verify(caseText, tenantID: tenantID), caseCode.kind == .case,
            let batch = try await services.storage.codes.batch(id: Int64(caseCode.batch), tenantID: tenantID), batch.contains(caseCode)
        else {
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "case must be a case code of this brand",
                details: .fields([FieldError(field: "case", code: "invalid_code", message: "not a case code of this brand")]))
        }
        guard !texts.isEmpty, texts.count <= min(maxUnitsPerRepack, batch.unitsPerCase) else {
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "name 1…\(batch.unitsPerCase) units (what the case holds)",
                details: .fields([FieldError(field: "units", code: "out_of_range", message: "name 1…\(batch.unitsPerCase) units")]))
        }
        let actions = try await services.storage.codes.rangeActions(batchID: batch.id, tenantID: tenantID)
        let number = Int(caseCode.serial)
        if batch.status(ofCase: number, actions: actions) == .voided {
            errors.append(FieldError(field: "case", code: "voided", message: "case \(number) is voided"))
        }
        var units = Set<Int>()
        for (index, text) in texts.enumerated() {
            guard let code = try await services.codeKeys.verify(text, tenantID: tenantID), code.kind == .unit else {
                errors.append(FieldError(field: "units[\(index)]", code: "invalid_code", message: "not a unit code of this brand"))
                continue
            }
            guard batch.contains(code) else {
                errors.append(FieldError(field: "units[\(index)]", code: "other_batch", message: "a case holds units of its own batch only"))
                continue
            }
            if batch.status(of: code, actions: actions) == .voided {
                errors.append(FieldError(field: "units[\(index)]", code: "voided", message: "unit \(code.serial) is voided"))
                continue
            }
            units.insert(Int(code.serial))
        }
        guard errors.isEmpty else {
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "nothing was re-packed", details: .fields(Array(errors.prefix(100))))
        }
        return ((batch, number), units.sorted())
    }

    static let tooManyCases = APIError(
        .unprocessableContent, code: "validation_failed", message: "name 1…\(maxCasesPerMovement) cases",
        details: .fields([FieldError(field: "cases", code: "out_of_range", message: "name 1…\(maxCasesPerMovement) cases")]))

    /// Refuses a request that names no case or more than a movement takes. Each range is checked
    /// before it is counted, and the count stops at the limit, so no range size can overflow.
    static func checkCount(_ texts: [String]?, _ ranges: [CaseRangeInput]?) throws(APIError) {
        var requested = texts?.count ?? 0
        guard requested <= maxCasesPerMovement else { throw tooManyCases }
        for (index, range) in (ranges ?? []).enumerated() {
            let first = range.firstCase ?? 0
            let last = range.lastCase ?? first
            guard first >= 0, first <= last else {
                throw APIError(
                    .unprocessableContent, code: "validation_failed", message: "a range runs from firstCase ≥ 0 up to lastCase",
                    details: .fields([FieldError(field: "ranges[\(index)]", code: "out_of_range", message: "firstCase must be ≥ 0 and ≤ lastCase")]))
            }
            // Both ends are non-negative here, so the difference cannot overflow.
            guard last - first < maxCasesPerMovement - requested else { throw tooManyCases }
            requested += last - first + 1
        }
        guard requested >= 1 else { throw tooManyCases }
    }

    /// The cases a store's or distributor's staff name, which must be in their hands: B codes
    /// only (no ranges), each case one that `holds` accepts given the distributor it was shipped
    /// to and the store it was delivered to. Every other case — forged, of another brand, never
    /// shipped, someone else's — is refused with one and the same answer, so a refusal tells
    /// nothing about whether the case exists or where it went.
    static func possessed(
        _ texts: [String]?, _ ranges: [CaseRangeInput]?, services: AppServices, tenantID: Int64,
        holds: (CaseRef, _ shippedTo: Int64?, _ deliveredTo: Int64?) -> Bool
    ) async throws -> [CaseRef] {
        guard ranges?.isEmpty ?? true else {
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "name the cases by their B codes; ranges are for HQ",
                details: .fields([FieldError(field: "ranges", code: "not_allowed", message: "name the cases by their B codes")]))
        }
        let texts = texts ?? []
        try checkCount(texts, nil)
        var named: [(index: Int, ref: CaseRef)] = []
        var refused: [Int] = []
        var batches: [Int64: (batch: CodeBatch, actions: [CodeRangeAction])?] = [:]
        for (index, text) in texts.enumerated() {
            guard let code = try await services.codeKeys.verify(text, tenantID: tenantID), code.kind == .case else {
                refused.append(index)
                continue
            }
            let batchID = Int64(code.batch)
            if batches[batchID] == nil {
                let found = try await services.storage.codes.batch(id: batchID, tenantID: tenantID)
                batches[batchID] = try await found.asyncMap {
                    ($0, try await services.storage.codes.rangeActions(batchID: batchID, tenantID: tenantID))
                }
            }
            guard let entry = batches[batchID] ?? nil, entry.batch.contains(code) else {
                refused.append(index)
                continue
            }
            named.append((index, CaseRef(batchID: batchID, caseNumber: Int(code.serial))))
        }
        let refs = named.map(\.ref)
        let shipments = try await services.storage.logistics.shipments(of: refs, tenantID: tenantID)
        let transfers = try await services.storage.logistics.transfers(of: refs, tenantID: tenantID)
        var cases = Set<CaseRef>()
        var errors: [FieldError] = []
        for (index, ref) in named {
            guard holds(ref, shipments[ref], transfers[ref]?.storeID) else {
                refused.append(index)
                continue
            }
            if let entry = batches[ref.batchID] ?? nil, entry.batch.status(ofCase: ref.caseNumber, actions: entry.actions) == .voided {
                errors.append(
                    FieldError(field: "cases[\(index)]", code: "voided", message: "case \(ref.caseNumber) of batch \(ref.batchID) is voided"))
                continue
            }
            cases.insert(ref)
        }
        errors += refused.sorted().prefix(100).map { FieldError(field: "cases[\($0)]", code: "not_held", message: "not a case in your hands") }
        guard errors.isEmpty else {
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "some cases cannot be moved; nothing was", details: .fields(errors))
        }
        return cases.sorted()
    }

    /// The distinct cases a request names, checked: B codes must be the brand's, ranges must lie
    /// in a batch, and no case may be voided (nor inactive, when `requireActive`).
    static func resolve(
        _ texts: [String]?, _ ranges: [CaseRangeInput]?, services: AppServices, tenantID: Int64,
        requireActive: Bool
    ) async throws -> [CaseRef] {
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
        try checkCount(texts, ranges)
        for (index, text) in (texts ?? []).enumerated() {
            guard let code = try await services.codeKeys.verify(text, tenantID: tenantID), code.kind == .case,
                let entry = try await batch(Int64(code.batch)), entry.batch.contains(code)
            else {
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
                errors.append(
                    FieldError(field: "ranges[\(index)]", code: "out_of_range", message: "cases must lie in 0…\(entry.batch.caseCount - 1)"))
                continue
            }
            for number in first...last { cases.insert(CaseRef(batchID: id, caseNumber: number)) }
        }
        for ref in cases.sorted() {
            guard let entry = batches[ref.batchID] else { continue }
            let status = entry.batch.status(ofCase: ref.caseNumber, actions: entry.actions)
            if status == .voided || (requireActive && status == .inactive) {
                errors.append(
                    FieldError(
                        field: "cases", code: status == .voided ? "voided" : "not_active",
                        message: "case \(ref.caseNumber) of batch \(ref.batchID) is \(status.rawValue)"))
                if errors.count >= 100 { break }
            }
        }
        guard errors.isEmpty else {
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "some cases cannot be moved; nothing was", details: .fields(errors))
        }
        return cases.sorted()
    }
}
