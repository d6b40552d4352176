import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// A campaign with what its budgets have left (from the ledger).
struct CampaignView: Codable, Sendable {
    var id: Int64
    var name: String
    var productIDs: [Int64]
    var regionCodes: [String]
    var startsAt: Int64
    var endsAt: Int64
    var tiers: [TierView]
    var budgetFen: Int64
    var budgetLeftFen: Int64
    var storeRewardFen: Int64
    var storeBudgetFen: Int64
    var storeBudgetLeftFen: Int64
    var perConsumerPerDay: Int
    var perDevicePerDay: Int
    var createdAt: Int64
    /// Circles around stores the scans must fall in (empty: anywhere within the regions).
    var geofences: [GeoFence]
    /// The segment whose members alone draw (none: everyone).
    var segmentID: Int64?
    /// What the draws add up to so far.
    var stats: CampaignStats
    /// When HQ paused it (no draws until resumed); absent while it runs.
    var pausedAt: Int64?

    struct TierView: Codable, Sendable {
        var name: String
        var kind: String
        var amountFen: Int64
        var points: Int64
        var couponCode: String?
        var probability: Double
        var stock: Int64?
    }

    /// The campaign with its budgets' balances and its figures, read now.
    static func load(_ campaign: Campaign, storage: AppStorage, tenantID: Int64) async throws -> CampaignView {
        CampaignView(
            campaign,
            budgetLeft: try await storage.ledger.total(of: campaign.budgetAccounts(forStore: false), asset: .fen, tenantID: tenantID),
            storeBudgetLeft: try await storage.ledger.total(of: campaign.budgetAccounts(forStore: true), asset: .fen, tenantID: tenantID),
            stats: try await storage.rewards.stats(campaignID: campaign.id, tenantID: tenantID))
    }

    init(_ campaign: Campaign, budgetLeft: Int64, storeBudgetLeft: Int64, stats: CampaignStats) {
        let d = campaign.draft
        id = campaign.id
        name = d.name
        productIDs = d.productIDs
        regionCodes = d.regionCodes
        startsAt = d.startsAt
        endsAt = d.endsAt
        tiers = d.tiers.map {
            TierView(
                name: $0.name, kind: $0.kind.rawValue, amountFen: $0.amountFen, points: $0.points, couponCode: $0.couponCode,
                probability: Double($0.ppm) / Double(PrizeDraw.rolls), stock: $0.stock)
        }
        budgetFen = d.budgetFen
        budgetLeftFen = budgetLeft
        storeRewardFen = d.storeRewardFen
        storeBudgetFen = d.storeBudgetFen
        storeBudgetLeftFen = storeBudgetLeft
        perConsumerPerDay = d.limits.perConsumerPerDay
        perDevicePerDay = d.limits.perDevicePerDay
        createdAt = campaign.createdAt
        geofences = d.geofences ?? []
        segmentID = d.audienceSegmentID
        self.stats = stats
        pausedAt = campaign.pausedAt
    }
}

/// Scan campaigns (扫码营销), HQ only: defined, checked, and funded in the ledger on creation.
enum CampaignsAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        @Sendable func view(_ campaign: Campaign, tenantID: Int64) async throws -> CampaignView {
            try await CampaignView.load(campaign, storage: storage, tenantID: tenantID)
        }
        /// Pauses or resumes the campaign, unless it ended or already is so; every server's next scans see it.
        @Sendable func setPaused(_ change: Campaign.PauseChange, id: Int64, _ p: Principal) async throws -> Campaign {
            guard let campaign = try await storage.campaigns.get(id: id, tenantID: p.tenantID) else { throw APIError.notFound }
            let now = currentMillis()
            if let refusal = campaign.refusal(of: change, now: now) {
                throw APIError(.conflict, code: refusal, message: refusal == "campaign_ended" ? "the campaign has ended" : "nothing to change")
            }
            guard let changed = try await storage.campaigns.setPaused(id: id, at: change == .pause ? now : nil, tenantID: p.tenantID) else {
                throw APIError.notFound
            }
            services.campaigns.campaignsChanged(tenantID: p.tenantID)
            return changed
        }
        return [
            APIEndpoint(
                .post, "/api/v1/campaigns", id: "createCampaign", tag: "campaigns",
                summary:
                    "Create a scan campaign: products, regions, time window, prize tiers with probabilities, budgets and limits; its budgets are funded in the ledger",
                request: "CampaignInput", response: "Campaign", status: .created
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(CampaignInput.self, limit: limit)
                // The fenced stores within HQ's reach, with their positions.
                var stores: [Int64: GeoPoint?] = [:]
                for id in Set((input.storeIDs ?? []).prefix(CampaignInput.maxFencedStores)) {
                    if let store = try await storage.stores.get(id: id, scope: p.scope) { stores[id] = .some(store.store.location) }
                }
                let draft = try input.validated(stores: stores) { services.regions.region(code: $0) != nil }
                var missing: [FieldError] = []
                for (index, productID) in draft.productIDs.enumerated()
                where try await storage.products.get(id: productID, tenantID: p.tenantID) == nil {
                    missing.append(FieldError(field: "productIDs[\(index)]", code: "invalid_reference", message: "no product \(productID)"))
                }
                if let segment = draft.audienceSegmentID, try await storage.segments.get(id: segment, tenantID: p.tenantID) == nil {
                    missing.append(FieldError(field: "segmentID", code: "invalid_reference", message: "no segment \(segment)"))
                }
                guard missing.isEmpty else {
                    throw APIError(
                        .unprocessableContent, code: "validation_failed", message: "some products or the segment do not exist",
                        details: .fields(missing))
                }
                let campaign = try await storage.campaigns.create(draft, budgetShards: services.campaigns.budgetShards, tenantID: p.tenantID)
                services.campaigns.campaignsChanged(tenantID: p.tenantID)
                return try .json(try await view(campaign, tenantID: p.tenantID), status: .created)
            },
            APIEndpoint(
                .get, "/api/v1/campaigns", id: "listCampaigns", tag: "campaigns", summary: "The brand's campaigns, newest first",
                response: "CampaignPage", query: pagingQuery
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let page = try await storage.campaigns.list(try ListQuery(request), tenantID: p.tenantID)
                var items: [CampaignView] = []
                for campaign in page.items { items.append(try await view(campaign, tenantID: p.tenantID)) }
                return try .json(Page(items: items, total: page.total, limit: page.limit, offset: page.offset))
            },
            APIEndpoint(
                .get, "/api/v1/campaigns/{id}", id: "getCampaign", tag: "campaigns", summary: "One campaign, with what its budgets have left",
                response: "Campaign"
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                guard let campaign = try await storage.campaigns.get(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                return try .json(try await view(campaign, tenantID: p.tenantID))
            },
            APIEndpoint(
                .patch, "/api/v1/campaigns/{id}", id: "changeCampaign", tag: "campaigns",
                summary:
                    "Change a campaign's name, end or daily win limits (products, regions, prizes and budgets stay as funded); fields left out keep their values",
                request: "CampaignChange", response: "Campaign"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let id = try context.id()
                guard let campaign = try await storage.campaigns.get(id: id, tenantID: p.tenantID) else { throw APIError.notFound }
                let change = try await request.decodeJSON(CampaignChange.self, limit: limit)
                let now = currentMillis()
                guard campaign.draft.endsAt > now else { throw APIError(.conflict, code: "campaign_ended", message: "the campaign has ended") }
                let draft = try change.applied(to: campaign.draft, now: now)
                guard let changed = try await storage.campaigns.update(id: id, draft, tenantID: p.tenantID) else { throw APIError.notFound }
                services.campaigns.campaignsChanged(tenantID: p.tenantID)
                return try .json(try await view(changed, tenantID: p.tenantID))
            },
            APIEndpoint(
                .post, "/api/v1/campaigns/{id}/pause", id: "pauseCampaign", tag: "campaigns",
                summary: "Pause a campaign: scans draw nothing from it until it is resumed (budgets and prizes won stay as they are)",
                response: "Campaign"
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                return try .json(try await view(try await setPaused(.pause, id: try context.id(), p), tenantID: p.tenantID))
            },
            APIEndpoint(
                .post, "/api/v1/campaigns/{id}/resume", id: "resumeCampaign", tag: "campaigns",
                summary: "Resume a paused campaign: scans draw from it again until it ends", response: "Campaign"
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                return try .json(try await view(try await setPaused(.resume, id: try context.id(), p), tenantID: p.tenantID))
            },
        ]
    }
}
