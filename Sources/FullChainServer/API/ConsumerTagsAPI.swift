import FullChainApp
import FullChainCore
import FullChainStorage
import Hummingbird

/// A tag as the API shows it: how many carry it only to HQ (a manager's count would reach past
/// their part of the org).
struct ConsumerTagView: Codable, Sendable {
    var id: Int64
    var name: String
    var description: String
    var owner: String
    var manual: Bool
    var rule: TagRule?
    var members: Int64?
    var current: Bool
    var createdAt: Int64

    init(_ tag: ConsumerTag, scope: AccessScope) {
        id = tag.id
        name = tag.name
        description = tag.description
        owner = tag.owner
        manual = tag.rule == nil
        rule = tag.rule
        members = scope.reach == .wholeTenant ? tag.members : nil
        current = tag.current
        createdAt = tag.createdAt
    }
}

/// A manual tag to put on a consumer.
struct ConsumerTagging: Codable, Sendable {
    var tagID: Int64?
}

/// The brand's consumer tags: defined by HQ (a rule kept current, or put on by hand), read by
/// anyone who lists consumers (to filter by them).
enum ConsumerTagsAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .get, "/api/v1/consumer-tags", id: "listConsumerTags", tag: "consumers",
                summary: "The brand's consumer tags by name (how many carry each: HQ only)", response: "ConsumerTagList"
            ) { _, context in
                let p = try context.requirePrincipal()
                return try .json(try await storage.tags.list(tenantID: p.tenantID).map { ConsumerTagView($0, scope: p.scope) })
            },
            APIEndpoint(
                .post, "/api/v1/consumer-tags", id: "createConsumerTag", tag: "consumers",
                summary:
                    "Defines a tag (HQ): with a rule (scans, idle, newcomer, rewards, points_spent) it is kept on the consumers who meet it; without, it is put on by hand",
                request: "ConsumerTagInput", response: "ConsumerTag", status: .created
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(TagInput.self, limit: limit)
                let tag = try await services.consumers.createTag(input, owner: p.username, tenantID: p.tenantID, now: currentMillis())
                return try .json(ConsumerTagView(tag, scope: p.scope), status: .created)
            },
            APIEndpoint(
                .get, "/api/v1/consumer-tags/{id}", id: "getConsumerTag", tag: "consumers", summary: "One tag", response: "ConsumerTag"
            ) { _, context in
                let p = try context.requirePrincipal()
                guard let tag = try await storage.tags.get(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                return try .json(ConsumerTagView(tag, scope: p.scope))
            },
            APIEndpoint(
                .delete, "/api/v1/consumer-tags/{id}", id: "deleteConsumerTag", tag: "consumers",
                summary: "Deletes a tag (HQ) and takes it off everyone", response: nil, status: .noContent
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                try await storage.tags.delete(id: try context.id(), tenantID: p.tenantID)
                return Response(status: .noContent)
            },
            APIEndpoint(
                .post, "/api/v1/consumers/{id}/tags", id: "tagConsumer", tag: "consumers",
                summary: "Puts a manual tag on a consumer (HQ)", request: "ConsumerTagging", response: "ConsumerTagged"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let input = try await request.decodeJSON(ConsumerTagging.self, limit: limit)
                guard let tagID = input.tagID, tagID > 0 else { throw APIError.badRequest("validation_failed", "tagID is a tag's id") }
                do {
                    let added = try await storage.tags.tag(try context.id(), with: tagID, by: p.username, at: currentMillis(), tenantID: p.tenantID)
                    return try .json(["added": added])
                } catch let refusal as TagRefusal {
                    throw Self.error(refusal)
                }
            },
            APIEndpoint(
                .delete, "/api/v1/consumers/{id}/tags/{tagID}", id: "untagConsumer", tag: "consumers",
                summary: "Takes a manual tag off a consumer (HQ)", response: nil, status: .noContent
            ) { _, context in
                let p = try context.require(.manageCampaigns)
                do {
                    guard try await storage.tags.untag(try context.id(), tagID: try context.id("tagID"), tenantID: p.tenantID) else {
                        throw APIError.notFound
                    }
                    return Response(status: .noContent)
                } catch let refusal as TagRefusal {
                    throw Self.error(refusal)
                }
            },
        ]
    }

    static func error(_ refusal: TagRefusal) -> APIError {
        switch refusal {
        case .notFound: APIError.notFound
        case .ruleTag: APIError(.conflict, code: "rule_tag", message: "a rule tag is put on and taken off by its rule")
        }
    }
}
