import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import FullChainTabular
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Hostile input on the API: clear 4xx with an error code, nothing half-written.
@Suite("API input")
struct APIInputTests {
    @Test(arguments: APIBackend.all)
    func malformedBodiesGetClearErrors(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let token = world.adminToken
            try await app.test { client in
                let cases: [(String, String, Int, String)] = [
                    ("/api/v1/stores", "{not json", 400, "invalid_json"),
                    ("/api/v1/stores", "", 400, "invalid_json"),
                    ("/api/v1/stores", #"{"code": 12, "name": "x"}"#, 400, "invalid_json"),
                    ("/api/v1/stores", #"[1,2,3]"#, 400, "invalid_json"),
                    ("/api/v1/stores", #"{"code":"N1"}"#, 422, "validation_failed"),
                    ("/api/v1/stores", #"{"code":"N1","name":"新店","region":"火星市"}"#, 422, "validation_failed"),
                    ("/api/v1/stores", #"{"code":"N1","name":"新店","region":"110105","latitude":95,"longitude":116}"#, 422, "validation_failed"),
                    ("/api/v1/stores", #"{"code":"ST1","name":"重复","region":"110105"}"#, 409, "duplicate"),
                    ("/api/v1/stores", #"{"code":"N2","name":"新店","region":"110105","distributorID":999999}"#, 422, "invalid_reference"),
                    (
                        "/api/v1/products", #"{"sku":"X1","gtin":"6901234567891","name":"x","category":"c","priceFen":100,"unitsPerCase":12}"#, 422,
                        "validation_failed"
                    ),
                    (
                        "/api/v1/products", #"{"sku":"X1","gtin":"6901234567892","name":"x","category":"c","priceFen":-5,"unitsPerCase":12}"#, 422,
                        "validation_failed"
                    ),
                    (
                        "/api/v1/products", #"{"sku":"TEA-500","gtin":"4006381333931","name":"x","category":"c","priceFen":100,"unitsPerCase":12}"#,
                        409, "duplicate"
                    ),
                    ("/api/v1/distributors", #"{"code":"D9","name":"x","orgNodeID":1,"territory":[]}"#, 422, "validation_failed"),
                    ("/api/v1/users", #"{"username":"u1","displayName":"x","role":"emperor"}"#, 422, "validation_failed"),
                    ("/api/v1/users", #"{"username":"u1","displayName":"x","role":"manager"}"#, 422, "validation_failed"),
                ]
                for (path, body, status, code) in cases {
                    let response = try await client.call(.post, path, token: token, json: body)
                    #expect(Int(response.status.code) == status, "\(path) \(body) → \(response.status.code) \(response.text)")
                    #expect(response.errorCode == code, "\(path) \(body) → \(response.text)")
                }
                let oversized = #"{"code":"BIG","name":""# + String(repeating: "x", count: 100_000) + #""}"#
                let big = try await client.call(.post, "/api/v1/stores", token: token, json: oversized)
                #expect(big.status == .contentTooLarge)
                #expect(big.errorCode == "payload_too_large")
                let badQuery = try await client.call(.get, "/api/v1/stores?limit=abc", token: token)
                #expect(badQuery.status == .badRequest)
                let badType = try await client.call(.get, "/api/v1/stores?type=spaceship", token: token)
                #expect(badType.status == .badRequest)
                // Nothing was written by any of the refused requests.
                let stores = try await client.call(.get, "/api/v1/stores", token: token)
                #expect(stores.json["total"] as? Int == 2)
                let products = try await client.call(.get, "/api/v1/products", token: token)
                #expect(products.json["total"] as? Int == 1)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func createUpdateAndSearchStores(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let manager = world.actors[0].token
            try await app.test { client in
                let body =
                    #"{"code":"N1","name":"望京超市","type":"supermarket","region":"北京市朝阳区","latitude":39.99,"longitude":116.47,"salespersonNodeID":\#(world.salespersonNodeR1)}"#
                let created = try await client.call(.post, "/api/v1/stores", token: manager, json: body)
                #expect(created.status == .created, "\(created.text)")
                #expect(created.json["regionCode"] as? String == "110105000000")
                let id = try #require(created.json["id"] as? Int)
                let patched = try await client.call(.patch, "/api/v1/stores/\(id)", token: manager, json: #"{"name":"望京大超市","status":"inactive"}"#)
                #expect(patched.status == .ok)
                #expect(patched.json["name"] as? String == "望京大超市")
                #expect(patched.json["type"] as? String == "supermarket")
                let found = try await client.call(.get, "/api/v1/stores?q=%E6%9C%9B%E4%BA%AC&status=inactive", token: manager)
                #expect(found.json["total"] as? Int == 1)
                let province = try await client.call(.get, "/api/v1/stores?region=110000000000", token: manager)
                #expect(province.json["total"] as? Int == 2)
                // A salesperson may edit their store but not create one; a store user may do neither.
                let sp = world.actors[1].token
                #expect(try await client.call(.post, "/api/v1/stores", token: sp, json: body).status == .forbidden)
                #expect(try await client.call(.patch, "/api/v1/stores/\(world.storeST1)", token: sp, json: #"{"address":"朝阳路1号"}"#).status == .ok)
                #expect(
                    try await client.call(.patch, "/api/v1/stores/\(world.storeST1)", token: world.actors[3].token, json: #"{"address":"x"}"#).status
                        == .forbidden)
                // A manager cannot place a store under another subtree's salesperson.
                let misplaced = #"{"code":"N3","name":"x","region":"110105","salespersonNodeID":\#(world.outsideA["org/nodes"] ?? 0)}"#
                let refused = try await client.call(.post, "/api/v1/stores", token: manager, json: misplaced)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.errorCode == "invalid_reference")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func signInIssuesAWorkingTokenAndSignOutRevokesIt(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenant = world.tenantA.code
            try await app.test { client in
                let wrong = try await client.call(
                    .post, "/api/v1/auth/login", token: nil, json: #"{"tenant":"\#(tenant)","username":"admin","password":"nope-nope"}"#)
                #expect(wrong.status == .unauthorized)
                #expect(wrong.errorCode == "invalid_credentials")
                let login = try await client.call(
                    .post, "/api/v1/auth/login", token: nil, json: #"{"tenant":"\#(tenant)","username":"admin","password":"secret-123"}"#)
                #expect(login.status == .ok)
                let token = try #require(login.json["token"] as? String)
                #expect(!login.text.contains("password"))
                #expect(try await client.call(.get, "/api/v1/me", token: token).status == .ok)
                let created = try await client.call(.post, "/api/v1/tokens", token: token, json: #"{"name":"ERP sync"}"#)
                #expect(created.status == .created)
                let apiToken = try #require(created.json["token"] as? String)
                let list = try await client.call(.get, "/api/v1/tokens", token: apiToken)
                #expect(list.text.contains("ERP sync") && !list.text.contains(apiToken))
                #expect(try await client.call(.post, "/api/v1/auth/logout", token: token).status == .noContent)
                #expect(try await client.call(.get, "/api/v1/me", token: token).status == .unauthorized)
                let info = try #require(created.json["info"] as? [String: Any])
                let tokenID = try #require(info["id"] as? Int)
                #expect(try await client.call(.delete, "/api/v1/tokens/\(tokenID)", token: apiToken).status == .noContent)
                #expect(try await client.call(.get, "/api/v1/me", token: apiToken).status == .unauthorized)
            }
        }
    }

    @Test
    func openAPIDocumentDescribesEveryEndpoint() async throws {
        try await TestApp.with(.sqlite) { app in
            let endpoints = apiEndpoints(app.services)
            try await app.test { client in
                let response = try await client.call(.get, "/api/v1/openapi.json", token: nil)
                #expect(response.status == .ok)
                let paths = try #require(response.json["paths"] as? [String: [String: Any]])
                for endpoint in endpoints {
                    #expect(
                        paths[endpoint.path]?[endpoint.method.rawValue.lowercased()] != nil,
                        "\(endpoint.method) \(endpoint.path) missing from OpenAPI")
                }
                #expect(response.json["openapi"] as? String == "3.1.0")
                try OpenAPIValidator.validate(response.text)
            }
        }
    }

    @Test
    func healthAndMetricsCountRequestsByRoute() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let health = try await client.call(.get, "/healthz", token: nil)
                #expect(health.status == .ok)
                #expect(health.json["status"] as? String == "ok")
                for _ in 0..<3 { _ = try await client.call(.get, "/api/v1/stores", token: world.adminToken) }
                _ = try await client.call(.get, "/api/v1/stores", token: "fc_1_wrong")
                let metrics = try await client.call(.get, "/metrics", token: nil).text
                #expect(metrics.contains(#"http_requests_total{route="/api/v1/stores",method="GET",status="200"} 3"#), "\(metrics)")
                #expect(metrics.contains(#"http_requests_total{route="/api/v1/stores",method="GET",status="401"} 1"#), "\(metrics)")
                #expect(metrics.contains(#"http_request_duration_seconds_count{route="/api/v1/stores",method="GET",status="200"} 3"#), "\(metrics)")
            }
        }
    }
}

/// Runs `openapi-spec-validator` (from PyPI, installed by the test script) on a document.
enum OpenAPIValidator {
    static func validate(_ json: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "openapi_spec_validator", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "openapi-spec-validator: \(text)")
    }
}
