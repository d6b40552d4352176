import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every API route, called by every non-HQ role against objects outside its reach (another
/// subtree, another distributor, another store, another brand): never 2xx on them, and no
/// response ever carries their data. Routes are read from the app's own endpoint list, so a
/// new route is covered the day it is added — or fails here until its path parameter is classified.
@Suite("API scope")
struct APIScopeTests {
    /// Path-parameter targets per route prefix: which kind of object `{id}` names.
    static func kind(of path: String) -> String? {
        let kinds = [
            "/api/v1/org/nodes/": "org/nodes", "/api/v1/users/": "users", "/api/v1/distributors/": "distributors", "/api/v1/stores/": "stores",
            "/api/v1/products/": "products", "/api/v1/tokens/": "tokens", "/api/v1/import-runs/": "imports", "/api/v1/code-batches/": "code-batches",
            "/api/v1/alerts/": "alerts", "/api/v1/campaigns/": "campaigns", "/api/v1/payouts/": "payouts",
            "/api/v1/store-alerts/": "store-alerts", "/api/v1/visits/": "visits", "/api/v1/consumers/": "consumers",
            "/api/v1/consumer-merges/": "consumer-merges", "/api/v1/consumer-tags/": "consumer-tags",
            "/api/v1/segments/": "segments", "/api/v1/referrals/": "referrals", "/api/v1/journeys/": "journeys",
            "/api/v1/store-notices/": "store-notices",
        ]
        let suffixes = [
            "{id}", "{id}/export", "{id}/activations", "{id}/qr", "{id}/qr-sheet", "{id}/review", "{id}/resolve", "{id}/metrics", "{id}/photos",
            "{id}/merge", "{id}/undo", "{id}/tags", "{id}/members", "{id}/lifecycle", "{id}/status", "{id}/read", "{id}/pause", "{id}/resume",
        ]
        return kinds.first { kind in path.hasPrefix(kind.key) && suffixes.contains { path.hasSuffix($0) } }?.value
    }

    /// A body each write sends: plausible enough to get past decoding.
    static let writeBody = #"{"name":"hijacked","code":"HIJACK","displayName":"hijacked","priceFen":1}"#

    @Test(arguments: APIBackend.all)
    func everyRouteStaysWithinReach(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let endpoints = apiEndpoints(app.services)
            #expect(endpoints.count >= 25)
            try await app.test { client in
                // Signing out revokes the caller's own token (tested on its own in APIInputTests).
                for endpoint in endpoints where endpoint.operationID != "logout" {
                    let params = endpoint.pathParameters
                    var targets: [(path: String, outsideOf: Set<Role>)] = []
                    if params.isEmpty {
                        targets = [(endpoint.path, [])]
                    } else if params == ["id"] {
                        let kind = try #require(Self.kind(of: endpoint.path), "classify the path parameter of \(endpoint.path) in APIScopeTests")
                        if let id = world.foreignB[kind] {
                            targets.append((endpoint.path.replacingOccurrences(of: "{id}", with: String(id)), Set(Role.allCases)))
                        }
                        if let id = world.outsideA[kind] {
                            targets.append(
                                (endpoint.path.replacingOccurrences(of: "{id}", with: String(id)), [.manager, .salesperson, .distributor, .store]))
                        }
                    } else if params == ["kind"] {
                        targets = ImportKind.allCases.map { (endpoint.path.replacingOccurrences(of: "{kind}", with: $0.rawValue), []) }
                    } else if params == ["kind", "value"] {
                        targets = [
                            (endpoint.path.replacingOccurrences(of: "{kind}", with: "device").replacingOccurrences(of: "{value}", with: "d-1"), [])
                        ]
                    } else if params == ["id", "number"] {
                        targets = [(endpoint.path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{number}", with: "1"), [])]
                    } else if params == ["id", "tagID"] {
                        // Another brand's consumer and its tag.
                        let consumer = try #require(world.foreignB["consumers"]), tag = try #require(world.foreignB["consumer-tags"])
                        targets = [
                            (
                                endpoint.path.replacingOccurrences(of: "{id}", with: String(consumer))
                                    .replacingOccurrences(of: "{tagID}", with: String(tag)), Set(Role.allCases)
                            )
                        ]
                    } else if params == ["code"] {
                        targets = [(endpoint.path.replacingOccurrences(of: "{code}", with: "110105"), [])]
                    } else {
                        Issue.record("classify the path parameters of \(endpoint.path) in APIScopeTests")
                    }
                    for target in targets {
                        for actor in world.actors {
                            let isWrite = endpoint.method != .get
                            let response: TestResponse
                            if endpoint.requestSchema == "binary" {
                                response = try await client.call(endpoint.method, target.path, token: actor.token, body: Array("code,name\n".utf8))
                            } else {
                                response = try await client.call(
                                    endpoint.method, target.path, token: actor.token, json: isWrite ? Self.writeBody : nil)
                            }
                            let context = "\(actor.name) \(endpoint.method) \(target.path) → \(response.status.code)"
                            #expect(response.status.code < 500, "\(context): \(response.text.prefix(300))")
                            #expect(!response.text.contains("FOREIGN"), "\(context) leaked another brand's data")
                            #expect(!response.text.contains("OUTSIDE"), "\(context) leaked data outside the caller's subtree")
                            if target.outsideOf.contains(actor.role) {
                                #expect([403, 404, 422].contains(response.status.code), "\(context) reached an object outside its scope")
                            }
                        }
                        // HQ of brand A never sees brand B (and writes only at brand B's objects here).
                        guard endpoint.method == .get || target.outsideOf.contains(.admin) else { continue }
                        let response = try await client.call(
                            endpoint.method, target.path, token: world.adminToken,
                            json: endpoint.method == .get || endpoint.requestSchema == "binary" ? nil : Self.writeBody)
                        #expect(!response.text.contains("FOREIGN"), "admin \(endpoint.method) \(target.path) leaked another brand's data")
                        #expect(
                            response.status.code < 500,
                            "admin \(endpoint.method) \(target.path) → \(response.status.code): \(response.text.prefix(300))")
                    }
                }
            }
            // Nothing outside anyone's reach was changed by those writes.
            let scopeA = AccessScope.wholeTenant(world.tenantA.id)
            let store = try await app.storage.stores.get(id: try #require(world.outsideA["stores"]), scope: scopeA)
            #expect(store?.store.name == "OUTSIDE 南山超市")
            let foreign = try await app.storage.stores.get(id: try #require(world.foreignB["stores"]), scope: .wholeTenant(world.tenantB.id))
            #expect(foreign?.store.name == "FOREIGN 便利店")
            let distributor = try await app.storage.distributors.get(id: try #require(world.outsideA["distributors"]), scope: scopeA)
            #expect(distributor?.name == "OUTSIDE 鹏城商贸")
        }
    }

    @Test(arguments: APIBackend.all)
    func unauthenticatedCallsAreRefused(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let endpoints = apiEndpoints(app.services)
            try await app.test { client in
                for endpoint in endpoints where endpoint.access == .signedIn {
                    let path = endpoint.path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{kind}", with: "stores")
                        .replacingOccurrences(of: "{code}", with: "110105").replacingOccurrences(of: "{number}", with: "1")
                        .replacingOccurrences(of: "{tagID}", with: "1")
                    let response = try await client.call(endpoint.method, path, token: nil, json: endpoint.method == .get ? nil : "{}")
                    #expect(response.status == .unauthorized, "\(endpoint.method) \(path) → \(response.status.code)")
                    #expect(response.errorCode == "unauthenticated")
                }
                let forged = try await client.call(.get, "/api/v1/stores", token: "fc_1_" + String(repeating: "A", count: 43))
                #expect(forged.status == .unauthorized)
                #expect(forged.errorCode == "invalid_token")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func listsShowExactlyTheCallersReach(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                var totals: [String: Int] = [:]
                for actor in world.actors {
                    let stores = try await client.call(.get, "/api/v1/stores", token: actor.token)
                    totals[actor.name] = stores.json["total"] as? Int
                }
                #expect(totals == ["mgr-r1": 1, "sp-s1": 1, "dist-d1": 1, "store-st1": 1])
                let admin = try await client.call(.get, "/api/v1/stores", token: world.adminToken)
                #expect(admin.json["total"] as? Int == 2)
                let nodes = try await client.call(.get, "/api/v1/org/nodes", token: world.actors[0].token)
                #expect(nodes.text.contains("R1-A1-C1-S1") && !nodes.text.contains("R2"))
                let distributorNodes = try await client.call(.get, "/api/v1/org/nodes", token: world.actors[2].token)
                #expect(distributorNodes.text == "[]")
            }
        }
    }
}
