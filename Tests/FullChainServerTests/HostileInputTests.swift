import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Hostile input against every endpoint, as every role and as nobody: extreme integers, NaN and
/// infinities, huge numbers, 10,000-character and invalid UTF-8 strings, 10,000-level nesting,
/// duplicate keys, trailing commas, wrong content types and oversized bodies, in the body, the
/// path and the query. The endpoints and their bodies' shapes come from the app's own endpoint
/// list and OpenAPI document, so a new endpoint or field is attacked the day it is added.
/// Pass: no 5xx, the server keeps answering, the ledger stays balanced and nothing outside the
/// callers' reach changes.
@Suite("Hostile input")
struct HostileInputTests {
    @Test(arguments: APIBackend.all)
    func noInputCrashesOrFailsTheServer(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let ids = try await Self.seedWithinReach(app, world: world)
            let endpoints = apiEndpoints(app.services)
            let limit = app.services.configuration.maxJSONBytes
            let callers: [(name: String, token: String?)] =
                [("admin", world.adminToken)] + world.actors.map { ($0.name, $0.token) } + [("anonymous", nil)]
            let tally = Tally()
            try await app.test { client in
                let document = try await client.call(.get, "/api/v1/openapi.json", token: nil)
                let schemas = try HostileInput.schemas(from: document.text)
                for endpoint in endpoints where endpoint.operationID != "logout" {
                    let plausiblePath = HostileInput.path(endpoint, ids: ids)
                    var requests: [HostileInput.Call] = []
                    // The path: every parameter at every extreme.
                    for name in endpoint.pathParameters {
                        for value in HostileInput.pathValues {
                            requests.append(
                                .init(
                                    path: HostileInput.path(endpoint, ids: ids, replacing: name, with: value),
                                    body: HostileInput.plausibleBody(endpoint, schemas: schemas), label: "path \(name)=\(value.prefix(24))"))
                        }
                    }
                    // The query: every parameter at every extreme.
                    for parameter in endpoint.query {
                        for value in HostileInput.queryValues {
                            requests.append(
                                .init(
                                    path: plausiblePath + "?\(parameter.name)=\(value)", body: HostileInput.plausibleBody(endpoint, schemas: schemas),
                                    label: "query \(parameter.name)=\(value.prefix(24))"))
                        }
                    }
                    // The body: every field at every extreme, then whole bodies that are not what they claim.
                    if endpoint.method != .get {
                        for body in HostileInput.bodies(endpoint, schemas: schemas, limit: limit) {
                            requests.append(
                                .init(
                                    path: plausiblePath, body: body.bytes, contentType: body.contentType, label: body.label,
                                    mustFail: body.mustFail))
                        }
                    }
                    // Public endpoints do not look at who calls (sign-in hashes a password each time): HQ and nobody suffice.
                    let callers = endpoint.access == .anyone ? callers.filter { $0.name == "admin" || $0.token == nil } : callers
                    for caller in callers {
                        // Anonymous callers of signed-in endpoints are turned away before anything is read: a sample is enough.
                        let calls = caller.token == nil && endpoint.access == .signedIn ? Array(requests.prefix(20)) : requests
                        for call in calls {
                            var headers: HTTPFields = [:]
                            if let contentType = call.contentType { headers[.contentType] = contentType }
                            let response = try await client.call(endpoint.method, call.path, token: caller.token, body: call.body, headers: headers)
                            tally.count(response.status.code)
                            let context = "\(caller.name) \(endpoint.method) \(endpoint.path) [\(call.label)] → \(response.status.code)"
                            if response.status.code >= 500 { tally.fail("\(context): \(response.text.prefix(300))") }
                            if call.mustFail && (200..<300).contains(Int(response.status.code)) { tally.fail("\(context): accepted") }
                        }
                    }
                }
                let health = try await client.call(.get, "/healthz", token: nil)
                #expect(health.status == .ok)
            }
            let summary = tally.summary
            #expect(summary.failures.isEmpty, "\(summary.failures.count) failures, first: \(summary.failures.prefix(20).joined(separator: "\n"))")
            #expect(summary.requests >= 10_000, "only \(summary.requests) requests were sent")
            #expect(summary.serverErrors == 0)
            // Nothing was half-written: every brand's ledger balances.
            for tenant in [world.tenantA, world.tenantB] {
                let check = try await app.storage.ledger.check(tenantID: tenant.id)
                #expect(check.isBalanced, "brand \(tenant.code)'s ledger does not balance")
            }
            let foreign = try await app.storage.stores.get(id: try #require(world.foreignB["stores"]), scope: .wholeTenant(world.tenantB.id))
            #expect(foreign?.store.name == "FOREIGN 便利店")
            print("hostile input (\(backend.rawValue)): \(summary.requests) requests, \(summary.byClass)")
        }
    }

    /// Objects of brand A that callers can reach, so that hostile bodies get past the lookups
    /// to the checks behind them.
    static func seedWithinReach(_ app: TestApp, world: TestWorld) async throws -> [String: Int64] {
        let storage = app.storage
        let a = AccessScope.wholeTenant(world.tenantA.id)
        let product = try await storage.products.create(
            ProductDraft(
                sku: "HOSTILE-1", gtin: try #require(GTIN("6901234567885")), name: "矿泉水", category: "水",
                priceFen: 200, unitsPerCase: 12), tenantID: world.tenantA.id)
        let signer = try await app.services.codeKeys.currentSigner(tenantID: world.tenantA.id)
        let batch = try await storage.codes.createBatch(
            productID: product.id, lot: "H1", quantity: 48, unitsPerCase: 12, keyID: signer.keyID, tenantID: world.tenantA.id)
        let campaign = try await storage.campaigns.create(
            CampaignDraft(
                name: "hostile", productIDs: [product.id], regionCodes: [], startsAt: 0, endsAt: 4_000_000_000_000,
                tiers: [PrizeTier(name: "积分", kind: .points, points: 1, ppm: 500_000)], budgetFen: 0, storeRewardFen: 0, storeBudgetFen: 0,
                limits: CampaignLimits()), budgetShards: 1, tenantID: world.tenantA.id)
        _ = a
        return [
            "stores": world.storeST1, "distributors": world.distributorD1, "org/nodes": world.salespersonNodeR1,
            "users": world.outsideA["users"] ?? 1, "tokens": world.outsideA["tokens"] ?? 1, "imports": world.outsideA["imports"] ?? 1,
            "alerts": world.outsideA["alerts"] ?? 1, "store-alerts": world.outsideA["store-alerts"] ?? 1,
            "products": product.id, "code-batches": batch.id, "campaigns": campaign.id, "payouts": 1, "visits": 1,
        ]
    }
}

/// Counts answers across the run (the test client's body is `@Sendable`).
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var classes: [String: Int] = [:]
    private var failures: [String] = []

    func count(_ status: Int) {
        lock.withLock {
            requests += 1
            classes["\(status / 100)xx", default: 0] += 1
        }
    }

    func fail(_ message: String) { lock.withLock { failures.append(message) } }

    var summary: (requests: Int, serverErrors: Int, byClass: [String: Int], failures: [String]) {
        lock.withLock { (requests, classes["5xx"] ?? 0, classes, failures) }
    }
}

/// Builds the hostile requests from the OpenAPI document's schemas.
enum HostileInput {
    struct Call {
        var path: String
        var body: [UInt8]?
        var contentType: String? = "application/json"
        var label: String
        /// Bodies no endpoint may accept (duplicate keys, trailing commas, bad UTF-8 …).
        var mustFail = false
    }

    struct Body {
        var bytes: [UInt8]
        var contentType: String?
        var label: String
        var mustFail = false
    }

    static let long = String(repeating: "長", count: 10_000)

    /// JSON tokens put in place of one field at a time.
    static let fieldValues: [String] = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-1", "0", "1e309", "-1e309", "1.5", "4.9e-324",
        "\"\(long)\"", "\"\"", "\"\\u0000\\u001f\"", "null", "true", "[]", "{}", "[9223372036854775807,-9223372036854775808]",
        "\"9223372036854775807\"", "\"-1\"", "\"NaN\"", "\"Infinity\"",
    ]

    static let pathValues: [String] = [
        "0", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999",
        "1e3", "%00", "%FF%FE", "NaN", String(repeating: "9", count: 2_000),
    ]

    static let queryValues: [String] = [
        "-1", "0", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "NaN", "Infinity", "1e309", "-1e309",
        "%FF%FE", "%00", String(repeating: "x", count: 10_000), "2026-13-45", "9999-12-31", "0000-01-01", "-5000-01-01",
    ]

    /// The component schemas of the served OpenAPI document.
    static func schemas(from document: String) throws -> [String: Any] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        let components = try #require(object["components"] as? [String: Any])
        return try #require(components["schemas"] as? [String: Any])
    }

    /// The endpoint's path with its parameters at plausible values (objects within brand A's reach).
    static func path(_ endpoint: APIEndpoint, ids: [String: Int64], replacing name: String? = nil, with value: String? = nil) -> String {
        var path = endpoint.path
        for parameter in endpoint.pathParameters {
            let text: String
            if parameter == name, let value {
                text = value
            } else {
                switch parameter {
                case "id": text = String(ids.first { endpoint.path.hasPrefix("/api/v1/\($0.key)/") }?.value ?? 1)
                case "kind": text = endpoint.path.contains("blacklist") ? "device" : "stores"
                case "value": text = "d-1"
                case "number": text = "1"
                case "code": text = "110105"
                default: text = "1"
                }
            }
            path = path.replacingOccurrences(of: "{\(parameter)}", with: text)
        }
        return path
    }

    /// A plausible value for a schema: the shape the endpoint documents, with harmless values.
    static func plausible(_ schema: Any?, schemas: [String: Any], depth: Int = 0) -> String {
        guard depth < 6, let schema = schema as? [String: Any] else { return "null" }
        if let ref = schema["$ref"] as? String {
            return plausible(schemas[String(ref.split(separator: "/").last ?? "")], schemas: schemas, depth: depth + 1)
        }
        if let options = schema["enum"] as? [String], let first = options.first { return "\"\(first)\"" }
        let type = (schema["type"] as? String) ?? (schema["type"] as? [String])?.first { $0 != "null" } ?? "object"
        switch type {
        case "integer": return "1"
        case "number": return "0.5"
        case "boolean": return "true"
        case "string": return "\"x\""
        case "array": return "[" + plausible(schema["items"], schemas: schemas, depth: depth + 1) + "]"
        default:
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            return "{"
                + properties.keys.sorted().map { "\"\($0)\":" + plausible(properties[$0], schemas: schemas, depth: depth + 1) }.joined(separator: ",")
                + "}"
        }
    }

    static func plausibleBody(_ endpoint: APIEndpoint, schemas: [String: Any]) -> [UInt8]? {
        guard endpoint.method != .get else { return nil }
        guard let schema = endpoint.requestSchema else { return Array("{}".utf8) }
        if schema == "binary" { return Array("code,name\nS1,店\n".utf8) }
        if schema == "image" { return [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] }
        return Array(plausible(schemas[schema], schemas: schemas).utf8)
    }

    /// The same body with the field at `path` replaced by a raw JSON token (arrays: their first item).
    static func body(_ schema: Any?, schemas: [String: Any], replacing path: [String], with token: String, depth: Int = 0) -> String {
        guard let head = path.first else { return token }
        guard depth < 6, let schema = schema as? [String: Any] else { return "null" }
        if let ref = schema["$ref"] as? String {
            return body(schemas[String(ref.split(separator: "/").last ?? "")], schemas: schemas, replacing: path, with: token, depth: depth + 1)
        }
        if head == "[]" {
            return "[" + body(schema["items"], schemas: schemas, replacing: Array(path.dropFirst()), with: token, depth: depth + 1) + "]"
        }
        let properties = (schema["properties"] as? [String: Any]) ?? [:]
        return "{"
            + properties.keys.sorted().map { key in
                "\"\(key)\":"
                    + (key == head
                        ? body(properties[key], schemas: schemas, replacing: Array(path.dropFirst()), with: token, depth: depth + 1)
                        : plausible(properties[key], schemas: schemas, depth: depth + 1))
            }.joined(separator: ",") + "}"
    }

    /// Every field path of a schema: `name`, `tiers.[].probability`, …
    static func fieldPaths(_ schema: Any?, schemas: [String: Any], depth: Int = 0) -> [[String]] {
        guard depth < 6, let schema = schema as? [String: Any] else { return [] }
        if let ref = schema["$ref"] as? String {
            return fieldPaths(schemas[String(ref.split(separator: "/").last ?? "")], schemas: schemas, depth: depth + 1)
        }
        if (schema["type"] as? String) == "array" {
            return fieldPaths(schema["items"], schemas: schemas, depth: depth + 1).map { ["[]"] + $0 }
        }
        let properties = (schema["properties"] as? [String: Any]) ?? [:]
        var paths: [[String]] = []
        for key in properties.keys.sorted() {
            paths.append([key])
            paths += fieldPaths(properties[key], schemas: schemas, depth: depth + 1).map { [key] + $0 }
        }
        return paths
    }

    /// Every hostile body for a write endpoint.
    static func bodies(_ endpoint: APIEndpoint, schemas: [String: Any], limit: Int) -> [Body] {
        var bodies: [Body] = []
        let plausibleText = plausibleBody(endpoint, schemas: schemas).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        if let name = endpoint.requestSchema, name != "binary", name != "image" {
            let schema = schemas[name]
            for path in fieldPaths(schema, schemas: schemas) {
                for token in fieldValues {
                    bodies.append(
                        Body(
                            bytes: Array(body(schema, schemas: schemas, replacing: path, with: token).utf8), contentType: "application/json",
                            label: "\(path.joined(separator: "."))=\(token.prefix(24))"))
                }
            }
            // Invalid UTF-8 inside a string.
            bodies.append(
                Body(
                    bytes: Array("{\"name\":\"".utf8) + [0xC3, 0x28, 0xFF, 0xFE] + Array("\"}".utf8), contentType: "application/json",
                    label: "invalid UTF-8", mustFail: true))
            // A key twice, a trailing comma, a comment, NaN and Infinity as words.
            let duplicate =
                plausibleText.hasPrefix("{\"")
                ? "{" + plausibleText.dropFirst().split(separator: ",", maxSplits: 1)[0] + "," + plausibleText.dropFirst() : "{\"a\":1,\"a\":2}"
            bodies.append(Body(bytes: Array(duplicate.utf8), contentType: "application/json", label: "duplicate key", mustFail: true))
            bodies.append(
                Body(bytes: Array((plausibleText.dropLast() + ",}").utf8), contentType: "application/json", label: "trailing comma", mustFail: true))
            bodies.append(Body(bytes: Array("{\"a\":NaN}".utf8), contentType: "application/json", label: "NaN", mustFail: true))
            bodies.append(Body(bytes: Array("{\"a\":Infinity}".utf8), contentType: "application/json", label: "Infinity", mustFail: true))
            bodies.append(Body(bytes: Array("// c\n{}".utf8), contentType: "application/json", label: "comment", mustFail: true))
        }
        for whole in ["", "null", "[]", "0", "\"x\"", "{", "}", "[{}]", "{\"\":1}"] {
            bodies.append(Body(bytes: Array(whole.utf8), contentType: "application/json", label: "body \(whole)"))
        }
        // Endpoints that take a JSON body must refuse these; others may ignore the body.
        let readsJSON = endpoint.requestSchema.map { $0 != "binary" && $0 != "image" } ?? false
        let deep = 10_000
        bodies.append(
            Body(
                bytes: Array((String(repeating: "[", count: deep) + String(repeating: "]", count: deep)).utf8), contentType: "application/json",
                label: "10,000 nested arrays", mustFail: readsJSON))
        bodies.append(
            Body(
                bytes: Array((String(repeating: "{\"a\":", count: deep) + "1" + String(repeating: "}", count: deep)).utf8),
                contentType: "application/json", label: "10,000 nested objects", mustFail: readsJSON))
        // Wrong content types and no content type at all.
        for contentType in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "image/png"] {
            bodies.append(Body(bytes: Array(plausibleText.utf8), contentType: contentType, label: "content type \(contentType)"))
        }
        bodies.append(Body(bytes: Array(plausibleText.utf8), contentType: nil, label: "no content type"))
        // Oversized: one byte past the JSON limit (imports take more, and are refused past theirs in their own tests).
        if endpoint.requestSchema != "binary" {
            bodies.append(
                Body(
                    bytes: Array("{\"name\":\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: limit) + Array("\"}".utf8),
                    contentType: "application/json", label: "oversized", mustFail: readsJSON))
        }
        // Raw bytes for uploads.
        bodies.append(
            Body(
                bytes: [0xFF, 0xFE, 0x00, 0x00, 0xC3, 0x28] + [UInt8](repeating: 0x2C, count: 5_000), contentType: "application/octet-stream",
                label: "binary junk"))
        return bodies
    }
}
