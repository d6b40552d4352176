import FullChainApp
import FullChainCore
import FullChainStorage
import FullChainTabular
import Hummingbird

/// Risk control (防羊毛党, HQ): the blacklist, and the review queue of cash prizes held because
/// the scan that won them looked risky.
enum RiskAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let campaigns = services.campaigns
        let limit = services.configuration.maxImportBytes
        return [
            APIEndpoint(
                .get, "/api/v1/risk/blacklist", id: "listBlacklist", tag: "risk", summary: "The brand's blacklist (export with format=csv or xlsx)",
                response: "BlacklistEntryList", query: [.init("format", "string", "json (default), csv or xlsx")]
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let entries = try await storage.risk.blacklist(tenantID: p.tenantID)
                let format = request.uri.queryParameters.get("format") ?? "json"
                switch format {
                case "json":
                    return try .json(entries)
                case "csv", "xlsx":
                    let table = Table(header: ["kind", "value", "note"], rows: entries.map { [$0.kind.rawValue, $0.value, $0.note] })
                    let file = try ExportService.file(table, format: format, baseName: "blacklist")
                    return .download(file.bytes, contentType: file.contentType, fileName: file.fileName)
                default:
                    throw APIError(.badRequest, code: "invalid_query", message: "format is json, csv or xlsx")
                }
            }.producing(["text/csv"]),
            APIEndpoint(
                .post, "/api/v1/risk/blacklist", id: "addToBlacklist", tag: "risk",
                summary: "Adds entries (a JSON array, or with format=csv a file with the columns kind, value, note); all or none",
                request: "BlacklistEntryList", response: "BlacklistAdded", status: .created,
                query: [.init("format", "string", "json (default) or csv")]
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let inputs: [BlacklistInput]
                switch request.uri.queryParameters.get("format") ?? "json" {
                case "json":
                    inputs = try await request.decodeJSON([BlacklistInput].self, limit: limit)
                case "csv":
                    let body = try await request.body.collect(upTo: limit)
                    let table: Table
                    do throws(TabularError) {
                        table = try CSV.decode(Array(body.readableBytesView)).table
                    } catch {
                        throw APIError(.unprocessableContent, code: error.code, message: error.message)
                    }
                    guard let kind = table.header.firstIndex(of: "kind"), let value = table.header.firstIndex(of: "value") else {
                        throw APIError(
                            .unprocessableContent, code: "missing_columns", message: "the file needs the columns kind and value (and optionally note)"
                        )
                    }
                    let note = table.header.firstIndex(of: "note")
                    inputs = table.rows.map { row in
                        BlacklistInput(
                            kind: row.indices.contains(kind) ? row[kind] : nil, value: row.indices.contains(value) ? row[value] : nil,
                            note: note.flatMap { row.indices.contains($0) ? row[$0] : nil })
                    }
                default:
                    throw APIError(.badRequest, code: "invalid_query", message: "format is json or csv")
                }
                let added = try await storage.risk.addToBlacklist(try BlacklistInput.validated(inputs), tenantID: p.tenantID)
                campaigns.blacklistChanged(tenantID: p.tenantID)
                return try .json(["added": added], status: .created)
            },
            APIEndpoint(
                .delete, "/api/v1/risk/blacklist/{kind}/{value}", id: "removeFromBlacklist", tag: "risk", summary: "Removes one entry",
                response: nil, status: .noContent
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                guard let kind = BlacklistKind(rawValue: context.parameters.get("kind") ?? ""), let value = context.parameters.get("value"),
                    try await storage.risk.removeFromBlacklist(kind: kind, value: value, tenantID: p.tenantID)
                else { throw APIError.notFound }
                campaigns.blacklistChanged(tenantID: p.tenantID)
                return Response(status: .noContent)
            },
            APIEndpoint(
                .post, "/api/v1/payouts/{id}/review", id: "reviewPayout", tag: "risk",
                summary: "Approves a held payout (it is sent) or rejects it (its money goes back to the campaign's budget)",
                request: "PayoutReview", response: "Payout"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                struct Decision: Decodable { var decision: String? }
                let decision = try await request.decodeJSON(Decision.self, limit: 4096).decision
                guard decision == "approve" || decision == "reject" else {
                    throw APIError(
                        .unprocessableContent, code: "validation_failed", message: "decision is approve or reject",
                        details: .fields([FieldError(field: "decision", code: "invalid", message: "decision is approve or reject")]))
                }
                switch try await storage.payouts.review(
                    id: try context.id(), approve: decision == "approve", tenantID: p.tenantID, now: currentMillis())
                {
                case nil: throw APIError.notFound
                case .notHeld(let status)?:
                    throw APIError(.conflict, code: "not_held", message: "the payout is \(status.rawValue), not held for review")
                case .reviewed(let payout)?: return try .json(PayoutView(payout))
                }
            },
        ]
    }
}
