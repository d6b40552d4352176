import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// The sales org tree and its users.
enum OrgAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .get, "/api/v1/org/nodes", id: "listOrgNodes", tag: "org", summary: "Org nodes in my subtree, depth first",
                response: "OrgNodeList", query: [.init("level", "integer", "1 大区, 2 地区, 3 城市, 4 业代")]
            ) { request, context in
                let p = try context.requirePrincipal()
                let level = try request.intQuery("level").map { (value: Int64) throws(APIError) -> OrgLevel in
                    guard let level = OrgLevel(rawValue: Int(value)) else { throw .badRequest("invalid_query", "level must be 1 to 4") }
                    return level
                }
                return try .json(try await storage.org.list(scope: p.scope, level: level))
            },
            APIEndpoint(
                .post, "/api/v1/org/nodes", id: "createOrgNode", tag: "org", summary: "Add a node under a parent in my subtree",
                request: "OrgNodeInput", response: "OrgNode", status: .created
            ) { request, context in
                let p = try context.require(.manageOrg)
                let input = try await request.decodeJSON(OrgNodeInput.self, limit: limit)
                let (code, name) = try input.validated()
                return try .json(try await storage.org.create(parentID: input.parentID, code: code, name: name, scope: p.scope), status: .created)
            },
            APIEndpoint(.get, "/api/v1/org/nodes/{id}", id: "getOrgNode", tag: "org", summary: "One org node", response: "OrgNode") { _, context in
                let p = try context.requirePrincipal()
                guard let node = try await storage.org.get(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                return try .json(node)
            },
            APIEndpoint(
                .patch, "/api/v1/org/nodes/{id}", id: "updateOrgNode", tag: "org", summary: "Rename an org node",
                request: "OrgNodeInput", response: "OrgNode"
            ) { request, context in
                let p = try context.require(.manageOrg)
                let id = try context.id()
                guard let node = try await storage.org.get(id: id, scope: p.scope) else { throw APIError.notFound }
                let input = try await request.decodeJSON(OrgNodeInput.self, limit: limit)
                let (code, name) = try OrgNodeInput(code: input.code ?? node.code, name: input.name ?? node.name).validated()
                return try .json(try await storage.org.rename(id: id, code: code, name: name, scope: p.scope))
            },
            APIEndpoint(
                .get, "/api/v1/users", id: "listUsers", tag: "org", summary: "Users within my reach",
                response: "UserPage", query: pagingQuery + [.init("role", "string", "admin, manager, salesperson, distributor or store")]
            ) { request, context in
                let p = try context.requirePrincipal()
                var role: Role?
                if let text = request.query("role") {
                    guard let value = Role(rawValue: text) else { throw APIError.badRequest("invalid_query", "unknown role") }
                    role = value
                }
                return try .json(try await storage.users.list(try ListQuery(request), role: role, scope: p.scope))
            },
            APIEndpoint(
                .post, "/api/v1/users", id: "createUser", tag: "org", summary: "Create a user attached to a node, distributor or store in my reach",
                request: "UserInput", response: "User", status: .created
            ) { request, context in
                let p = try context.require(.manageUsers)
                let input = try await request.decodeJSON(UserInput.self, limit: limit)
                let (draft, password) = try input.validated(passwordRequired: false)
                let hash = try await password.asyncMap(services.passwords.computeHash)
                return try .json(try await storage.users.create(draft, passwordHash: hash, scope: p.scope), status: .created)
            },
            APIEndpoint(.get, "/api/v1/users/{id}", id: "getUser", tag: "org", summary: "One user", response: "User") { _, context in
                let p = try context.requirePrincipal()
                guard let user = try await storage.users.get(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                return try .json(user)
            },
            APIEndpoint(
                .patch, "/api/v1/users/{id}", id: "updateUser", tag: "org",
                summary: "Change a user; fields left out keep their values. A new password revokes all of the user's tokens",
                request: "UserInput", response: "User"
            ) { request, context in
                let p = try context.require(.manageUsers)
                let id = try context.id()
                guard let user = try await storage.users.get(id: id, scope: p.scope) else { throw APIError.notFound }
                let patch = try await request.decodeJSON(UserInput.self, limit: limit)
                let merged = UserInput(
                    username: patch.username ?? user.username, displayName: patch.displayName ?? user.displayName,
                    role: patch.role ?? user.role.rawValue, orgNodeID: patch.orgNodeID ?? user.orgNodeID,
                    distributorID: patch.distributorID ?? user.distributorID, storeID: patch.storeID ?? user.storeID,
                    active: patch.active ?? user.active, password: patch.password)
                let (draft, password) = try merged.validated(passwordRequired: false)
                let hash = try await password.asyncMap(services.passwords.computeHash)
                return try .json(try await storage.users.update(id: id, draft, passwordHash: hash, scope: p.scope))
            },
        ]
    }
}
