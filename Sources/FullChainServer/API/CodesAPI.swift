import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import NIOCore

/// A code batch as the API shows it.
struct CodeBatchView: Codable, Sendable {
    var id: Int64
    var productID: Int64
    var lot: String
    var quantity: Int
    var unitsPerCase: Int
    var caseCount: Int
    var keyID: UInt32
    var createdAt: Int64

    init(_ batch: CodeBatch) {
        id = batch.id
        productID = batch.productID
        lot = batch.lot
        quantity = batch.quantity
        unitsPerCase = batch.unitsPerCase
        caseCount = batch.caseCount
        keyID = batch.keyID
        createdAt = batch.createdAt
    }
}

struct CodeCheckInput: Codable, Sendable {
    var code: String?
}

/// What a valid code names.
struct CodeCheck: Codable, Sendable {
    var authentic: Bool
    /// Whether the production line activated the code (inactive and voided codes never count as sales).
    var status: CodeStatus
    var kind: String
    var batchID: Int64
    var serial: Int
    /// The case the unit is in now: its packing case, unless it was re-packed.
    var caseNumber: Int
    var productID: Int64
    var lot: String
    /// The distributor the case was shipped to, when within the caller's reach.
    var distributorID: Int64?
    /// The store that received the case, or else the one its distributor delivered it to (the BC
    /// association), when within the caller's reach.
    var storeID: Int64?
}

/// Code keys, batches and print files (HQ), and checking a code.
enum CodesAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let keys = services.codeKeys
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .post, "/api/v1/code-batches", id: "createCodeBatch", tag: "codes",
                summary: "Create a code batch for a product and lot (only its metadata is stored)",
                request: "CodeBatchInput", response: "CodeBatch", status: .created
            ) { request, context in
                let p = try context.require(.manageCodes)
                let input = try await request.decodeJSON(CodeBatchInput.self, limit: limit)
                let product = try await input.productID.asyncMap { try await storage.products.get(id: $0, tenantID: p.tenantID) } ?? nil
                let valid = try input.validated(productUnitsPerCase: product.map { Int($0.unitsPerCase) })
                guard product != nil else { throw APIError.from(storage: .missingReference("productID")) }
                let signer = try await keys.currentSigner(tenantID: p.tenantID)
                let batch = try await storage.codes.createBatch(
                    productID: valid.productID, lot: valid.lot, quantity: valid.quantity,
                    unitsPerCase: valid.unitsPerCase, keyID: signer.keyID, tenantID: p.tenantID)
                return try .json(CodeBatchView(batch), status: .created)
            },
            APIEndpoint(
                .get, "/api/v1/code-batches", id: "listCodeBatches", tag: "codes", summary: "The brand's code batches, newest first",
                response: "CodeBatchPage", query: pagingQuery + [.init("productId", "integer", "only this product's batches")]
            ) { request, context in
                let p = try context.require(.manageCodes)
                let productID = try request.query("productId").map { (text: String) throws(APIError) -> Int64 in
                    guard let id = Int64(text) else { throw APIError(.badRequest, code: "invalid_query", message: "productId must be an integer") }
                    return id
                }
                let page = try await storage.codes.batches(try ListQuery(request), productID: productID, tenantID: p.tenantID)
                return try .json(Page(items: page.items.map(CodeBatchView.init), total: page.total, limit: page.limit, offset: page.offset))
            },
            APIEndpoint(.get, "/api/v1/code-batches/{id}", id: "getCodeBatch", tag: "codes", summary: "One code batch", response: "CodeBatch") {
                _, context in
                let p = try context.require(.manageCodes)
                guard let batch = try await storage.codes.batch(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                return try .json(CodeBatchView(batch))
            },
            APIEndpoint(
                .get, "/api/v1/code-batches/{id}/export", id: "exportCodeBatch", tag: "codes",
                summary: "The batch's print files as a zip: files of at most `filesOf` codes and a manifest with each file's SHA-256",
                response: "binary",
                query: [
                    .init("format", "string", "csv (sequence, case code, unit code, URL; default) or txt (one URL per line)"),
                    .init("link", "string", "short (default) or gs1 (GS1 Digital Link URLs)"),
                    .init("filesOf", "integer", "codes per file (default 1000000)"),
                ]
            ) { request, context in
                let p = try context.require(.manageCodes)
                guard let batch = try await storage.codes.batch(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                guard let format = CodePrintout.Format(rawValue: request.query("format") ?? "csv"),
                    let link = CodePrintout.LinkStyle(rawValue: request.query("link") ?? "short")
                else {
                    throw APIError(.badRequest, code: "invalid_query", message: "format is csv or txt; link is short or gs1")
                }
                let filesOf =
                    try request.query("filesOf").map { (text: String) throws(APIError) -> Int in
                        guard let n = Int(text), n >= 1, n <= 10_000_000 else {
                            throw APIError(.badRequest, code: "invalid_query", message: "filesOf must be 1…10000000")
                        }
                        return n
                    } ?? 1_000_000
                let printout = try await services.printout(of: batch, format: format, link: link, tenantID: p.tenantID)
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fullchain-export-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let archive = directory.appendingPathComponent("batch-\(batch.id).zip")
                do {
                    let manifest = try await CodeExporter.writeFiles(printout, filesOf: filesOf, to: directory)
                    try CodeExporter.zip(manifest, in: directory, to: archive)
                } catch {
                    try? FileManager.default.removeItem(at: directory)
                    throw error
                }
                let file = try await FileIO().loadFile(path: archive.path, context: context)
                // The files go once the zip has been sent (or the client went away).
                let body = ResponseBody(contentLength: file.contentLength) { writer in
                    defer { try? FileManager.default.removeItem(at: directory) }
                    try await file.write(writer)
                }
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "application/zip",
                        .contentDisposition: "attachment; filename=\"batch-\(batch.id)-\(batch.lot).zip\"",
                    ], body: body)
            }.producing(["application/zip"]),
            APIEndpoint(
                .post, "/api/v1/code-batches/{id}/activations", id: "recordCodeRangeAction", tag: "codes",
                summary:
                    "Activate or void a range of the batch's cases (the whole batch when no range is given); the latest action on a case decides",
                request: "CodeRangeInput", response: "CodeRangeAction", status: .created
            ) { request, context in
                let p = try context.require(.manageCodes)
                guard let batch = try await storage.codes.batch(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                let input = try await request.decodeJSON(CodeRangeInput.self, limit: limit).validated(for: batch)
                let action = try await storage.codes.recordRangeAction(input.action, cases: input.cases, batchID: batch.id, tenantID: p.tenantID)
                services.scanning.batchChanged(batch.id, tenantID: p.tenantID)
                return try .json(action, status: .created)
            },
            APIEndpoint(
                .get, "/api/v1/code-batches/{id}/activations", id: "listCodeRangeActions", tag: "codes",
                summary: "The batch's activations and voidings, oldest first", response: "CodeRangeActionList"
            ) { _, context in
                let p = try context.require(.manageCodes)
                guard let batch = try await storage.codes.batch(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                return try .json(try await storage.codes.rangeActions(batchID: batch.id, tenantID: p.tenantID))
            },
            APIEndpoint(
                .post, "/api/v1/code-keys/rotate", id: "rotateCodeKey", tag: "codes",
                summary: "Start signing new batches with a new key; codes of older keys stay valid", response: "CodeKey", status: .created
            ) { _, context in
                let p = try context.require(.manageCodes)
                let signer = try await keys.rotate(tenantID: p.tenantID)
                return try .json(["keyID": signer.keyID], status: .created)
            },
            APIEndpoint(
                .post, "/api/v1/codes/check", id: "checkCode", tag: "codes",
                summary: "Whether a code is one of the brand's and what it names; forged or mistyped codes are refused before any storage work",
                request: "CodeCheckInput", response: "CodeCheck"
            ) { request, context in
                let p = try context.requirePrincipal()
                let input = try await request.decodeJSON(CodeCheckInput.self, limit: limit)
                guard let text = input.code, let code = try await keys.verify(text, tenantID: p.tenantID) else {
                    throw APIError(.unprocessableContent, code: "invalid_code", message: "not a code of this brand: forged, mistyped or cut short")
                }
                guard let place = try await storage.place(of: code, tenantID: p.tenantID) else {
                    throw APIError(.unprocessableContent, code: "unknown_code", message: "the code is signed but names no unit or case of a batch")
                }
                let (batch, ref) = (place.batch, place.caseRef)
                var distributorID = place.movements.shipments[ref.caseNumber]
                if let id = distributorID, try await storage.distributors.get(id: id, scope: p.scope) == nil { distributorID = nil }
                var storeID = place.movements.storeID(ofCase: ref.caseNumber)
                if let id = storeID, try await storage.stores.get(id: id, scope: p.scope) == nil { storeID = nil }
                return try .json(
                    CodeCheck(
                        authentic: true, status: place.status, kind: code.kind == .unit ? "unit" : "case",
                        batchID: batch.id, serial: Int(code.serial), caseNumber: ref.caseNumber, productID: batch.productID, lot: batch.lot,
                        distributorID: distributorID, storeID: storeID))
            },
        ]
    }
}
