import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import NIOCore

/// The brand's event history as GS1 EPCIS 2.0 JSON-LD (HQ: the whole brand).
enum EPCISAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let keys = services.codeKeys
        let scanHost = services.configuration.scanHost
        return [
            APIEndpoint(
                .get, "/api/v1/epcis/events", id: "exportEPCIS", tag: "codes",
                summary: "Packing, shipping, receiving and consumer-scan events as an EPCIS 2.0 JSON-LD document",
                response: "binary",
                query: [
                    .init("since", "integer", "events at or after (milliseconds; default 30 days ago)"),
                    .init("until", "integer", "events before (milliseconds; default now)"),
                    .init("limit", "integer", "at most this many events of each kind, 1–10000 (default 1000)"),
                ]
            ) { request, context in
                let p = try context.require(.manageCodes)
                let now = currentMillis()
                let since = try request.intQuery("since") ?? now - 30 * 86_400_000
                let until = try request.intQuery("until") ?? now + 1
                let limit = try request.intQuery("limit") ?? 1_000
                guard (1...10_000).contains(limit) else { throw APIError.badRequest("invalid_query", "limit must be 1 to 10000") }
                guard since < until else { throw APIError.badRequest("invalid_query", "since must be before until") }
                let events = try await storage.events.events(from: since, to: until, limit: Int(limit), tenantID: p.tenantID)
                var batches: [Int64: CodeBatch] = [:]
                var signers: [Int64: CodeSigner] = [:]
                for batchID in Set(events.map(\.batchID)) {
                    guard let batch = try await storage.codes.batch(id: batchID, tenantID: p.tenantID) else { continue }
                    batches[batchID] = batch
                    if let entry = try await keys.entry(keyID: batch.keyID) { signers[batchID] = entry.signer }
                }
                let export = EPCISExport(
                    codeText: { batchID, kind, serial in
                        guard let batch = batches[batchID], let signer = signers[batchID] else { return nil }
                        return signer.text(for: kind == .unit ? batch.unitCode(serial) : batch.caseCode(serial))
                    }, batches: batches, scanHost: scanHost, createdAt: now)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.withoutEscapingSlashes]
                let body = try encoder.encode(export.document(events))
                return Response(status: .ok, headers: [.contentType: "application/ld+json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }.producing(["application/ld+json"])
        ]
    }
}

extension LoggedEvent {
    var batchID: Int64 {
        switch self {
        case .shipped(let ref, _, _): ref.batchID
        case .transferred(let transfer): transfer.batchID
        case .received(let receipt): receipt.batchID
        case .repacked(let repack): repack.batchID
        case .scanned(let batchID, _, _, _, _, _, _): batchID
        }
    }
}
