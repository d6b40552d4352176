import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// One stage of a funnel: consumers of the period's cohort who reached it, consumers who reached
/// it within the period, and the share of the stage before that went on to it.
struct LifecycleStageView: Codable, Sendable {
    var stage: String
    var reached: Int64
    var moved: Int64
    var conversion: Double?
}

struct LifecycleFunnelView: Codable, Sendable {
    var from: String
    var to: String
    var stages: [LifecycleStageView]

    init(_ funnel: LifecycleFunnel) {
        from = BusinessDay.date(ofDay: funnel.days.lowerBound)
        to = BusinessDay.date(ofDay: funnel.days.upperBound)
        stages = LifecycleStage.allCases.map {
            LifecycleStageView(
                stage: $0.rawValue, reached: funnel.reached[$0] ?? 0, moved: funnel.moved[$0] ?? 0, conversion: funnel.conversion(into: $0))
        }
    }
}

/// A weekly cohort: the Monday it starts, its consumers, and how many of them scanned in week 0, 1, ….
struct LifecycleCohortView: Codable, Sendable {
    var weekStart: String
    var consumers: Int64
    var active: [Int64]

    init(_ cohort: LifecycleCohort) {
        weekStart = BusinessDay.date(ofDay: Lifecycle.firstDay(ofWeek: cohort.week))
        consumers = cohort.consumers
        active = cohort.active
    }
}

struct LifecycleCohortsView: Codable, Sendable {
    var cohorts: [LifecycleCohortView]
}

struct LifecycleTransitionView: Codable, Sendable {
    var from: String?
    var to: String
    var cause: String
    var at: Int64

    init(_ move: LifecycleTransition) {
        from = move.from?.rawValue
        to = move.to.rawValue
        cause = move.cause.rawValue
        at = move.at
    }
}

/// The AARRR lifecycle: the brand's settings (HQ changes them), and the funnel and cohorts of the
/// caller's part of the org, or of an org node within it, read from rollups.
enum LifecycleAPI {
    static let periodQuery: [APIEndpoint.QueryParameter] = [
        .init("from", "string", "first business day, YYYY-MM-DD (default: 29 days before to)"),
        .init("to", "string", "last business day, YYYY-MM-DD (default: today)"),
        .init("node", "integer", "only this org node's subtree (within my reach)"),
    ]

    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage, lifecycle = services.core.lifecycle
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .get, "/api/v1/lifecycle/settings", id: "getLifecycleSettings", tag: "consumers",
                summary: "What counts for each lifecycle stage: the retention window, and what activates and what is revenue",
                response: "LifecycleSettings"
            ) { _, context in
                let p = try context.requirePrincipal()
                _ = try SegmentsAPI.scope(p)
                return try .json(try await storage.lifecycle.settings(tenantID: p.tenantID))
            },
            APIEndpoint(
                .put, "/api/v1/lifecycle/settings", id: "saveLifecycleSettings", tag: "consumers",
                summary: "Changes what counts for each lifecycle stage (HQ); moves already made stay", request: "LifecycleSettings",
                response: "LifecycleSettings"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(LifecycleSettingsInput.self, limit: limit)
                return try .json(try await lifecycle.save(input, by: p.username, tenantID: p.tenantID, now: currentMillis()))
            },
            APIEndpoint(
                .get, "/api/v1/lifecycle/funnel", id: "lifecycleFunnel", tag: "consumers",
                summary: "The AARRR funnel of the consumers acquired in a period within my reach, conversion between stages, and moves in the period",
                response: "LifecycleFunnel", query: periodQuery
            ) { request, context in
                let p = try context.requirePrincipal()
                let scope = try await Self.scope(request, p, storage: storage)
                let (from, to) = try Self.period(request)
                return try .json(LifecycleFunnelView(try await lifecycle.funnel(days: from...to, scope: scope)))
            },
            APIEndpoint(
                .get, "/api/v1/lifecycle/cohorts", id: "lifecycleCohorts", tag: "consumers",
                summary: "Weekly cohorts by first scan within my reach, and how many of each scanned in each week since",
                response: "LifecycleCohorts",
                query: [
                    .init("weeks", "integer", "how many weeks back, 1…\(LifecycleCohort.maxWeeks) (default 8)"),
                    .init("node", "integer", "only this org node's subtree (within my reach)"),
                ]
            ) { request, context in
                let p = try context.requirePrincipal()
                let scope = try await Self.scope(request, p, storage: storage)
                let weeks = try Self.weeks(request)
                let cohorts = try await lifecycle.cohorts(weeks: weeks, today: BusinessDay.day(ofMillis: currentMillis()), scope: scope)
                return try .json(LifecycleCohortsView(cohorts: cohorts.map(LifecycleCohortView.init)))
            },
            APIEndpoint(
                .get, "/api/v1/consumers/{id}/lifecycle", id: "consumerLifecycle", tag: "consumers",
                summary: "A consumer's moves along the lifecycle, in order", response: "LifecycleTransitionList"
            ) { _, context in
                let p = try context.requirePrincipal()
                guard let profile = try await storage.profiles.get(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                let moves = try await storage.lifecycle.transitions(of: profile.summary.id, tenantID: p.tenantID)
                return try .json(moves.map(LifecycleTransitionView.init))
            },
        ]
    }

    /// The caller's reach (stores have none: the lifecycle is the brand's and its sales org's),
    /// narrowed to an org node's subtree when `node` names one within it.
    static func scope(_ request: Request, _ p: Principal, storage: AppStorage) async throws -> AccessScope {
        let scope = try SegmentsAPI.scope(p)
        guard let text = request.uri.queryParameters.get("node") else { return scope }
        guard let id = Int64(text), id > 0 else { throw APIError(.badRequest, code: "invalid_query", message: "node is an org node id") }
        guard let node = try await storage.org.get(id: id, scope: scope) else { throw APIError.notFound }
        return AccessScope(tenantID: p.tenantID, reach: .orgSubtree(path: node.path))
    }

    /// The checked period: valid dates, `from` not after `to`, at most `LifecycleService.maxDays` days.
    static func period(_ request: Request) throws(APIError) -> (from: Int64, to: Int64) {
        let query = request.uri.queryParameters
        func day(_ name: String) throws(APIError) -> Int64? {
            guard let text = query.get(name) else { return nil }
            guard let day = CalendarDate(text, years: 2000...2100).map({ Int64($0.dayNumber) }) else {
                throw APIError(.badRequest, code: "invalid_query", message: "\(name) is a date, YYYY-MM-DD")
            }
            return day
        }
        let to = try day("to") ?? BusinessDay.day(ofMillis: currentMillis())
        let from = try day("from") ?? to - 29
        guard from <= to, to - from < LifecycleService.maxDays else {
            throw APIError(
                .badRequest, code: "invalid_query", message: "from must not be after to, and the period at most \(LifecycleService.maxDays) days")
        }
        return (from, to)
    }

    static func weeks(_ request: Request) throws(APIError) -> Int64 {
        guard let text = request.uri.queryParameters.get("weeks") else { return 8 }
        guard let weeks = Int64(text), (1...LifecycleCohort.maxWeeks).contains(weeks) else {
            throw APIError(.badRequest, code: "invalid_query", message: "weeks is 1…\(LifecycleCohort.maxWeeks)")
        }
        return weeks
    }
}
