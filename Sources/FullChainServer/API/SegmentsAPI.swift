import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// A segment as the API shows it, with how many of its members are within the caller's reach.
struct SegmentView: Codable, Sendable {
    var id: Int64
    var name: String
    var description: String
    var owner: String
    var rule: SegmentRuleInput
    var count: Int
    var createdAt: Int64

    init(_ segment: Segment, count: Int) {
        id = segment.id
        name = segment.name
        description = segment.description
        owner = segment.owner
        rule = segment.rule
        self.count = count
        createdAt = segment.createdAt
    }
}

/// A rule's count (the editor's live count).
struct SegmentCount: Codable, Sendable {
    var count: Int
}

/// Segments of the brand's consumers: defined by HQ, counted and listed by anyone who lists
/// consumers, each within their part of the org (a store's list rests on each customer's consent,
/// which the index does not hold: stores have no segments).
enum SegmentsAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage, segments = services.segments
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .get, "/api/v1/segments", id: "listSegments", tag: "consumers",
                summary: "The brand's segments by name, each with its members within my reach", response: "SegmentList"
            ) { _, context in
                let p = try context.requirePrincipal()
                let scope = try Self.scope(p)
                var views: [SegmentView] = []
                for segment in try await storage.segments.list(tenantID: p.tenantID) {
                    views.append(SegmentView(segment, count: try await Self.count(segment, services: services, scope: scope)))
                }
                return try .json(views)
            },
            APIEndpoint(
                .post, "/api/v1/segments", id: "createSegment", tag: "consumers",
                summary:
                    "Saves a segment (HQ): all or any of tags, stages, regions, stores, signed-in, scans in a window, coupons redeemed in a window, and groups; each may be negated",
                request: "SegmentInput", response: "Segment", status: .created
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(SegmentInput.self, limit: limit)
                let segment = try await segments.create(input, owner: p.username, tenantID: p.tenantID, now: currentMillis())
                return try .json(SegmentView(segment, count: try await Self.count(segment, services: services, scope: p.scope)), status: .created)
            },
            APIEndpoint(
                .post, "/api/v1/segments/count", id: "countSegment", tag: "consumers",
                summary: "How many consumers within my reach a rule takes in (the editor's live count); nothing is saved",
                request: "SegmentRule", response: "SegmentCount"
            ) { request, context in
                let p = try context.requirePrincipal()
                let scope = try Self.scope(p)
                let rule = try await segments.checked(try await request.decodeJSON(SegmentRuleInput.self, limit: limit), tenantID: p.tenantID)
                return try .json(SegmentCount(count: try await segments.members(of: rule, scope: scope, now: currentMillis()).count))
            },
            APIEndpoint(
                .get, "/api/v1/segments/{id}", id: "getSegment", tag: "consumers", summary: "One segment, with its members within my reach",
                response: "Segment"
            ) { _, context in
                let p = try context.requirePrincipal()
                let scope = try Self.scope(p)
                guard let segment = try await storage.segments.get(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                return try .json(SegmentView(segment, count: try await Self.count(segment, services: services, scope: scope)))
            },
            APIEndpoint(
                .get, "/api/v1/segments/{id}/members", id: "listSegmentMembers", tag: "consumers",
                summary: "A segment's members within my reach, highest id (newest) first; format csv or xlsx exports the first 10,000",
                response: "ConsumerPage",
                query: pagingQuery + [.init("format", "string", "json (default), csv or xlsx: the first 10,000")]
            ) { request, context in
                let p = try context.requirePrincipal()
                let scope = try Self.scope(p)
                guard let segment = try await storage.segments.get(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                let query = try ListQuery(request)
                let format = request.query("format") ?? "json"
                guard ["json", "csv", "xlsx"].contains(format) else { throw APIError.badRequest("invalid_query", "format is json, csv or xlsx") }
                let rule = try Self.rule(segment)
                let export = format != "json"
                let members = try await segments.members(
                    of: rule, scope: scope, offset: export ? 0 : query.offset, limit: export ? ConsumerProfiles.countCap : query.limit,
                    now: currentMillis())
                let rows = try await storage.profiles.summaries(ids: members.ids, scope: scope)
                guard export else { return try .json(Page(items: rows, total: members.count, limit: query.limit, offset: query.offset)) }
                let file = try ExportService.file(ConsumerProfilesAPI.table(rows), format: format, baseName: "segment-\(segment.id)")
                return .download(file.bytes, contentType: file.contentType, fileName: file.fileName)
            }.producing(APIEndpoint.spreadsheetTypes),
            APIEndpoint(
                .delete, "/api/v1/segments/{id}", id: "deleteSegment", tag: "consumers", summary: "Deletes a segment (HQ)", response: nil,
                status: .noContent
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                try await storage.segments.delete(id: try context.id(), tenantID: p.tenantID)
                return Response(status: .noContent)
            },
        ]
    }

    /// The caller's reach for segments: stores have none.
    static func scope(_ principal: Principal) throws(APIError) -> AccessScope {
        if case .store = principal.scope.reach {
            throw APIError(.forbidden, code: "forbidden", message: "segments are for the brand and its sales org")
        }
        return principal.scope
    }

    static func rule(_ segment: Segment) throws -> SegmentRule {
        do { return try segment.rule.validated() } catch {
            throw APIError(.internalServerError, code: "corrupt_segment", message: "segment rule unreadable")
        }
    }

    static func count(_ segment: Segment, services: AppServices, scope: AccessScope) async throws -> Int {
        try await services.segments.members(of: try rule(segment), scope: scope, now: currentMillis()).count
    }
}
