import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// A journey as the API shows it: its definition as the editor sends it, and its state.
struct JourneyView: Codable, Sendable {
    var id: Int64
    var status: String
    var owner: String
    var createdAt: Int64
    var startedAt: Int64?
    var definition: JourneyInput

    init(_ journey: Journey) {
        id = journey.id
        status = journey.status.rawValue
        owner = journey.owner
        createdAt = journey.createdAt
        startedAt = journey.startedAt
        definition = journey.definition.input
    }
}

/// What each step did: consumers per outcome.
struct JourneyStepFigures: Codable, Sendable {
    var step: Int
    var kind: String
    var outcomes: [String: Int64]
}

/// A journey's report: its group against its holdout, and each step's outcomes.
struct JourneyReportView: Codable, Sendable {
    var journey: JourneyView
    var entered: Int64
    var heldOut: Int64
    var active: Int64
    var converted: Int64
    var heldOutConverted: Int64
    var conversion: Double
    var heldOutConversion: Double
    var uplift: Double?
    var budgetLeft: Int64
    var steps: [JourneyStepFigures]

    init(_ journey: Journey, _ report: JourneyReport, budgetLeft: Int64) {
        self.journey = JourneyView(journey)
        entered = report.entered
        heldOut = report.heldOut
        active = report.active
        converted = report.converted
        heldOutConverted = report.heldOutConverted
        conversion = report.conversion
        heldOutConversion = report.heldOutConversion
        uplift = report.uplift
        self.budgetLeft = budgetLeft
        steps = journey.definition.steps.enumerated().map { index, step in
            JourneyStepFigures(
                step: index, kind: step.kind.rawValue,
                outcomes: Dictionary(uniqueKeysWithValues: (report.steps[index] ?? [:]).map { ($0.key.rawValue, $0.value) }))
        }
    }
}

struct JourneyStatusInput: Codable, Sendable {
    var status: String?
}

/// Journeys: HQ's automated paths for consumers. The brand's own (HQ reads and writes them;
/// the sales org and stores get 403).
enum JourneysAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage, journeys = services.journeys
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .get, "/api/v1/journeys", id: "listJourneys", tag: "consumers", summary: "The brand's journeys, newest first (HQ)",
                response: "JourneyList"
            ) { _, context in
                let p = try Self.headquarters(try context.requirePrincipal())
                return try .json(try await storage.journeys.list(tenantID: p.tenantID).map(JourneyView.init))
            },
            APIEndpoint(
                .post, "/api/v1/journeys", id: "createJourney", tag: "consumers",
                summary: "Saves a journey as a draft: trigger, steps, holdout, message cap and quiet hours (HQ)", request: "JourneyInput",
                response: "Journey", status: .created
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                _ = try Self.headquarters(p)
                let input = try await request.decodeJSON(JourneyInput.self, limit: limit)
                let journey = try await journeys.create(input, owner: p.username, tenantID: p.tenantID, now: currentMillis())
                return try .json(JourneyView(journey), status: .created)
            },
            APIEndpoint(
                .get, "/api/v1/journeys/{id}", id: "getJourney", tag: "consumers",
                summary: "A journey with its report: entrants, conversion against the holdout (uplift), each step's outcomes (HQ)",
                response: "JourneyReport"
            ) { _, context in
                let p = try Self.headquarters(try context.requirePrincipal())
                let (journey, report, left) = try await journeys.report(id: try context.id(), tenantID: p.tenantID)
                return try .json(JourneyReportView(journey, report, budgetLeft: left))
            },
            APIEndpoint(
                .put, "/api/v1/journeys/{id}", id: "updateJourney", tag: "consumers",
                summary: "Changes a draft or paused journey (HQ); a started one keeps its steps and may add more", request: "JourneyInput",
                response: "Journey"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                _ = try Self.headquarters(p)
                let id = try context.id()
                let input = try await request.decodeJSON(JourneyInput.self, limit: limit)
                return try .json(JourneyView(try await journeys.update(id: id, input, tenantID: p.tenantID)))
            },
            APIEndpoint(
                .post, "/api/v1/journeys/{id}/status", id: "setJourneyStatus", tag: "consumers",
                summary: "Starts (funding its points budget once), pauses or ends a journey (HQ)", request: "JourneyStatusInput",
                response: "Journey"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                _ = try Self.headquarters(p)
                let id = try context.id()
                let input = try await request.decodeJSON(JourneyStatusInput.self, limit: limit)
                guard let status = input.status.flatMap(JourneyStatus.init(rawValue:)), status != .draft else {
                    throw APIError(.unprocessableContent, code: "validation_failed", message: "status is running, paused or ended")
                }
                return try .json(JourneyView(try await journeys.setStatus(id: id, status, tenantID: p.tenantID, now: currentMillis())))
            },
        ]
    }

    /// Journeys are HQ's: anyone with less than the whole brand in reach gets 403.
    static func headquarters(_ principal: Principal) throws(APIError) -> Principal {
        guard case .wholeTenant = principal.scope.reach else {
            throw APIError(.forbidden, code: "forbidden", message: "journeys are the brand's headquarters'")
        }
        return principal
    }
}
