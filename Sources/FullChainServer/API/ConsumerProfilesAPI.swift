import FullChainApp
import FullChainCore
import FullChainStorage
import FullChainTabular
import Hummingbird

/// A consumer's profile as the API shows it: identities only as their kind, masked label and
/// a short reference, never an openid or a phone.
struct ConsumerProfileView: Codable, Sendable {
    struct Identity: Codable, Sendable {
        var kind: String
        var reference: String
        var firstSeen: Int64
    }
    struct Store: Codable, Sendable {
        var storeID: Int64
        var name: String
        var regionCode: String
        var scans: Int64
    }
    struct Product: Codable, Sendable {
        var name: String
        var scans: Int64
    }
    struct Event: Codable, Sendable {
        var at: Int64
        var kind: String
        var text: String
        var amount: Int64?
    }
    var consumer: ConsumerSummary
    var mergedInto: Int64?
    var identities: [Identity]
    var tags: [ProfileTag]
    var merges: [ConsumerMerge]
    var products: [Product]
    var stores: [Store]
    var cashWonFen: Int64
    var pointsWon: Int64
    var pointsBalance: Int64
    var coupons: Int
    var consents: [String: Bool]
    var timeline: [Event]

    init(_ d: ConsumerProfileDetail) {
        consumer = d.summary
        mergedInto = d.mergedInto
        identities = d.identities.map { Identity(kind: $0.kind.rawValue, reference: String($0.pseudonym.prefix(8)), firstSeen: $0.firstSeen) }
        tags = d.tags
        merges = d.merges
        products = d.products.map { Product(name: $0.name, scans: $0.scans) }
        stores = d.stores.map { Store(storeID: $0.storeID, name: $0.name, regionCode: $0.regionCode, scans: $0.scans) }
        cashWonFen = d.cashWonFen
        pointsWon = d.pointsWon
        pointsBalance = d.pointsBalance
        coupons = d.coupons
        consents = Dictionary(uniqueKeysWithValues: d.consents.map { ($0.key.rawValue, $0.value) })
        timeline = d.timeline.map { Event(at: $0.at, kind: $0.kind.rawValue, text: $0.text, amount: $0.amount) }
    }
}

/// HQ's request to merge a profile into another.
struct ConsumerMergeInput: Codable, Sendable {
    var intoID: Int64?
}

/// The brand's consumers (one profile per person), scoped: a manager sees consumers whose store
/// is in their part of the org, a store its own customers who agreed to share with it.
enum ConsumerProfilesAPI {
    static let listQuery: [APIEndpoint.QueryParameter] =
        pagingQuery + [
            .init("storeID", "integer", "consumers whose store (the one that sold them their last unit) is this one"),
            .init("regionCode", "string", "consumers whose store is in this region or below"),
            .init("stage", "string", "new, active, loyal, dormant or lost"),
            .init("tagID", "integer", "consumers carrying this tag"),
            .init("format", "string", "json (default), csv or xlsx: the first 10,000"),
        ]

    /// The list's filter from the query: `q` is a phone number or an openid, found by its pseudonym.
    static func filter(_ request: Request, services: AppServices, tenantID: Int64) throws(APIError) -> ConsumerFilter {
        var filter = ConsumerFilter()
        if let q = request.query("q"), !q.isEmpty {
            // Neither a phone nor an openid: a pseudonym that no identity has.
            filter.identity = services.consumers.searchPseudonyms(q, tenantID: tenantID).first ?? "none"
        }
        filter.storeID = try request.intQuery("storeID")
        if let region = request.query("regionCode"), !region.isEmpty {
            guard Region.level(ofCode: region) != nil else { throw .badRequest("invalid_query", "regionCode is a 12-digit region code") }
            filter.regionCode = region
        }
        if let stage = request.query("stage"), !stage.isEmpty {
            guard let parsed = ConsumerStage(rawValue: stage) else {
                throw .badRequest("invalid_query", "stage is new, active, loyal, dormant or lost")
            }
            filter.stage = parsed
        }
        filter.tagID = try request.intQuery("tagID")
        return filter
    }

    /// The list's page; a phone or openid search looks for the unionid too.
    static func page(
        _ query: ListQuery, filter: ConsumerFilter, q: String?, services: AppServices, scope: AccessScope
    ) async throws -> Page<ConsumerSummary> {
        let first = try await services.storage.profiles.list(query, filter: filter, scope: scope)
        guard first.items.isEmpty, let q, !q.isEmpty else { return first }
        for pseudonym in services.consumers.searchPseudonyms(q, tenantID: scope.tenantID).dropFirst() {
            var other = filter
            other.identity = pseudonym
            let page = try await services.storage.profiles.list(query, filter: other, scope: scope)
            if !page.items.isEmpty { return page }
        }
        return first
    }

    /// Consumers as an exported sheet.
    static func table(_ rows: [ConsumerSummary]) -> Table {
        Table(
            header: ["id", "label", "verified", "stage", "scans", "first_scan", "last_scan", "store_id", "store", "region_code"],
            rows: rows.map {
                [
                    String($0.id), $0.label, $0.verified ? "yes" : "no", $0.stage.rawValue, String($0.scans),
                    $0.firstScanAt.map { Format.dateTime(millis: $0) } ?? "", $0.lastScanAt.map { Format.dateTime(millis: $0) } ?? "",
                    $0.storeID.map(String.init) ?? "", $0.storeName ?? "", $0.regionCode ?? "",
                ]
            })
    }

    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .get, "/api/v1/consumers", id: "listConsumers", tag: "consumers",
                summary: "Consumers within my reach, most recent scan first; q finds one by phone number or openid",
                response: "ConsumerPage", query: listQuery
            ) { request, context in
                let p = try context.requirePrincipal()
                var query = try ListQuery(request)
                guard query.offset <= ConsumerProfiles.countCap else {
                    throw APIError.badRequest("invalid_query", "offset is at most \(ConsumerProfiles.countCap): narrow the search instead")
                }
                let filter = try Self.filter(request, services: services, tenantID: p.tenantID)
                let format = request.query("format") ?? "json"
                guard ["json", "csv", "xlsx"].contains(format) else { throw APIError.badRequest("invalid_query", "format is json, csv or xlsx") }
                guard format != "json" else {
                    return try .json(try await page(query, filter: filter, q: query.search, services: services, scope: p.scope))
                }
                var rows: [ConsumerSummary] = []
                query = ListQuery(limit: 500, offset: 0)
                while rows.count < ConsumerProfiles.countCap {
                    let page = try await page(query, filter: filter, q: request.query("q"), services: services, scope: p.scope)
                    rows += page.items
                    guard page.items.count == query.limit else { break }
                    query.offset += query.limit
                }
                let file = try ExportService.file(table(rows), format: format, baseName: "consumers")
                return .download(file.bytes, contentType: file.contentType, fileName: file.fileName)
            }.producing(APIEndpoint.spreadsheetTypes),
            APIEndpoint(
                .get, "/api/v1/consumers/{id}", id: "getConsumer", tag: "consumers",
                summary:
                    "One consumer's profile: identities (kinds only), scans by product, stores, rewards, points, coupons, consents, merges and timeline",
                response: "ConsumerProfile"
            ) { _, context in
                let p = try context.requirePrincipal()
                guard let detail = try await storage.profiles.get(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                return try .json(ConsumerProfileView(detail))
            },
            APIEndpoint(
                .post, "/api/v1/consumers/{id}/merge", id: "mergeConsumer", tag: "consumers",
                summary: "Merges this profile into another (HQ): its identities move, the merge is recorded and can be undone",
                request: "ConsumerMergeInput", response: "ConsumerMerge", status: .created
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(ConsumerMergeInput.self, limit: limit)
                guard let into = input.intoID else { throw APIError.badRequest("validation_failed", "intoID is required") }
                do {
                    return try .json(
                        try await storage.profiles.merge(try context.id(), into: into, evidence: .manual, at: currentMillis(), tenantID: p.tenantID),
                        status: .created)
                } catch let refusal as MergeRefusal {
                    throw Self.error(refusal)
                }
            },
            APIEndpoint(
                .post, "/api/v1/consumer-merges/{id}/undo", id: "undoConsumerMerge", tag: "consumers",
                summary: "Undoes a merge (HQ): the identities it moved go back, and both profiles' figures are rolled up anew",
                response: "ConsumerMerge"
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                do {
                    return try .json(try await storage.profiles.unmerge(try context.id(), at: currentMillis(), tenantID: p.tenantID))
                } catch let refusal as MergeRefusal {
                    throw Self.error(refusal)
                }
            },
        ]
    }

    static func error(_ refusal: MergeRefusal) -> APIError {
        switch refusal {
        case .sameProfile: APIError(.unprocessableContent, code: "same_profile", message: "a profile cannot be merged into itself")
        case .notFound: APIError.notFound
        case .alreadyMerged: APIError(.conflict, code: "already_merged", message: "one of the profiles was merged into another already")
        case .alreadyUndone: APIError(.conflict, code: "already_undone", message: "the merge was undone before")
        case .mergedSince: APIError(.conflict, code: "merged_since", message: "the kept profile was merged since: undo that merge first")
        }
    }
}
