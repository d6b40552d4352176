import Foundation
import FullChainApp
import FullChainCore
import HTTPTypes
import Hummingbird

/// The OpenAPI 3.1 description of every endpoint, generated from the same list the router serves.
enum OpenAPIDocument {
    static func json(endpoints: [APIEndpoint]) -> [UInt8] {
        var paths: [String: [(String, JSONValue)]] = [:]
        for endpoint in endpoints {
            paths[endpoint.path, default: []].append((endpoint.method.rawValue.lowercased(), operation(endpoint)))
        }
        let document: JSONValue = [
            "openapi": "3.1.0",
            "info": [
                "title": "FullChain API",
                "version": "1.0.0",
                "description":
                    "Full-chain marketing platform: master data, sales org, import and export. Errors are {\"error\": {\"code\", \"message\", \"details\"}}.",
            ],
            "servers": [["url": "/"]],
            "security": [["bearerAuth": []]],
            "paths": .object(paths.keys.sorted().map { ($0, .object(paths[$0] ?? [])) }),
            "components": [
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer"]],
                "schemas": .object(schemas.sorted { $0.0 < $1.0 }),
                "responses": ["Error": ["description": "An error", "content": ["application/json": ["schema": ref("Error")]]]],
            ],
        ]
        return Array((try? JSONEncoder.api.encode(document)) ?? Data())
    }

    static func operation(_ endpoint: APIEndpoint) -> JSONValue {
        var op: [(String, JSONValue)] = [
            ("operationId", .string(endpoint.operationID)),
            ("tags", [.string(endpoint.tag)]),
            ("summary", .string(endpoint.summary)),
        ]
        if case .anyone = endpoint.access { op.append(("security", [])) }
        var parameters: [JSONValue] = endpoint.pathParameters.map { name in
            ["name": .string(name), "in": "path", "required": true, "schema": ["type": name == "id" ? "integer" : "string"]]
        }
        parameters += endpoint.query.map { q in
            ["name": .string(q.name), "in": "query", "required": false, "description": .string(q.description), "schema": ["type": .string(q.type)]]
        }
        if endpoint.method != .get && endpoint.method != .head && endpoint.replay != .never {
            parameters.append([
                "name": "Idempotency-Key", "in": "header", "required": false, "schema": ["type": "string", "maxLength": 255],
                "description": "retries with the same key get the first response (kept a day) instead of a second effect",
            ])
        }
        if !parameters.isEmpty { op.append(("parameters", .array(parameters))) }
        if let schema = endpoint.requestSchema {
            let content: JSONValue =
                schema == "image"
                ? [
                    "image/jpeg": ["schema": ["type": "string", "format": "binary"]],
                    "image/png": ["schema": ["type": "string", "format": "binary"]],
                ]
                : schema == "binary"
                    ? [
                        "text/csv": ["schema": ["type": "string", "format": "binary"]],
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["schema": ["type": "string", "format": "binary"]],
                    ]
                    : ["application/json": ["schema": ref(schema)]]
            op.append(("requestBody", ["required": true, "content": content]))
        }
        var responses: [(String, JSONValue)] = []
        let success = String(endpoint.successStatus.code)
        if let schema = endpoint.responseSchema {
            let content: JSONValue =
                schema == "image"
                ? [
                    "image/jpeg": ["schema": ["type": "string", "format": "binary"]],
                    "image/png": ["schema": ["type": "string", "format": "binary"]],
                ]
                : schema == "binary"
                    ? .object((endpoint.alsoProduces.isEmpty ? ["application/octet-stream"] : endpoint.alsoProduces).map { ($0, file($0)) })
                    : .object([("application/json", ["schema": ref(schema)])] + endpoint.alsoProduces.map { ($0, file($0)) })
            responses.append((success, ["description": "Success", "content": content]))
        } else {
            responses.append((success, ["description": "Success"]))
        }
        for code in ["400", "401", "403", "404", "409", "413", "422", "429"] {
            responses.append((code, ["$ref": "#/components/responses/Error"]))
        }
        // Sign-in locks out repeated failures.
        if endpoint.operationID == "login" { responses.append(("429", ["$ref": "#/components/responses/Error"])) }
        op.append(("responses", .object(responses)))
        return .object(op)
    }

    /// A download's schema: a JSON document (EPCIS JSON-LD) is an object, anything else bytes.
    static func file(_ mediaType: String) -> JSONValue {
        mediaType.hasSuffix("json") ? ["schema": ["type": "object"]] : ["schema": ["type": "string", "format": "binary"]]
    }

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var schema: [(String, JSONValue)] = [("type", "object"), ("properties", .object(properties))]
        if !required.isEmpty { schema.append(("required", .array(required.map { .string($0) }))) }
        return .object(schema)
    }

    static func page(of item: String) -> JSONValue {
        object(
            [("items", ["type": "array", "items": ref(item)]), ("total", int), ("limit", int), ("offset", int)],
            required: ["items", "total", "limit", "offset"])
    }

    static func list(of item: String) -> JSONValue { ["type": "array", "items": ref(item)] }

    static let int: JSONValue = ["type": "integer"]
    static let text: JSONValue = ["type": "string"]
    static let optionalText: JSONValue = ["type": ["string", "null"]]
    static let optionalInt: JSONValue = ["type": ["integer", "null"]]
    static let optionalNumber: JSONValue = ["type": ["number", "null"]]
    static let boolean: JSONValue = ["type": "boolean"]
    static let number: JSONValue = ["type": "number"]
    static func enumeration(_ values: [String]) -> JSONValue { ["type": "string", "enum": .array(values.map { .string($0) })] }

    // Input fields state the limits the server enforces, so clients and fuzzers see the real contract.
    /// Text of 1…`max` characters (trimmed; control characters refused).
    static func text(max: Int) -> JSONValue { ["type": "string", "minLength": 1, "maxLength": .number(max)] }
    /// Optional text of at most `max` characters.
    static func optionalText(max: Int) -> JSONValue { ["type": ["string", "null"], "maxLength": .number(max)] }
    /// A code: letters, digits, '-', '_' and '.', 1…64 characters.
    static let codeText: JSONValue = ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"]
    /// An integer within a range.
    static func int(_ range: ClosedRange<Int64>) -> JSONValue {
        ["type": "integer", "minimum": .number(Int(range.lowerBound)), "maximum": .number(Int(range.upperBound))]
    }
    /// An optional integer within a range.
    static func optionalInt(_ range: ClosedRange<Int64>) -> JSONValue {
        ["type": ["integer", "null"], "minimum": .number(Int(range.lowerBound)), "maximum": .number(Int(range.upperBound))]
    }
    /// An id of an object (a positive integer).
    static let id: JSONValue = ["type": "integer", "minimum": 1]
    static let optionalID: JSONValue = ["type": ["integer", "null"], "minimum": 1]
    static let latitude: JSONValue = ["type": "number", "minimum": -90, "maximum": 90]
    static let longitude: JSONValue = ["type": "number", "minimum": -180, "maximum": 180]
    static let date: JSONValue = ["type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"]
    static let milliseconds: JSONValue = ["type": "integer", "minimum": 0, "maximum": 4_102_444_800_000]
    static let phone: JSONValue = ["type": ["string", "null"], "pattern": "^[0-9+ -]{5,20}$"]
    static func array(of item: JSONValue, max: Int, min: Int = 0) -> JSONValue {
        ["type": "array", "items": item, "minItems": .number(min), "maxItems": .number(max)]
    }

    static let schemas: [(String, JSONValue)] = [
        (
            "Error",
            object([("error", object([("code", text), ("message", text), ("details", [:])], required: ["code", "message"]))], required: ["error"])
        ),
        (
            "LoginInput",
            object(
                [("tenant", text(max: 64)), ("username", text(max: 64)), ("password", text(max: 128))], required: ["tenant", "username", "password"])
        ),
        ("LoginResult", object([("token", text), ("expiresAt", int), ("user", ref("User"))])),
        ("Me", object([("userID", int), ("username", text), ("displayName", text), ("role", text), ("tenantID", int)])),
        ("TokenInput", object([("name", text(max: 100))], required: ["name"])),
        (
            "AuthToken",
            object([
                ("id", int), ("userID", int), ("kind", text), ("name", text), ("createdAt", int), ("expiresAt", optionalInt),
                ("revokedAt", optionalInt),
            ])
        ),
        ("AuthTokenList", list(of: "AuthToken")),
        ("CreatedToken", object([("token", text), ("info", ref("AuthToken"))])),
        (
            "OrgNode",
            object([("id", int), ("parentID", optionalInt), ("level", int), ("code", text), ("name", text), ("path", text), ("createdAt", int)])
        ),
        ("OrgNodeList", list(of: "OrgNode")),
        ("OrgNodeInput", object([("parentID", optionalID), ("code", codeText), ("name", text(max: 100))], required: ["code", "name"])),
        (
            "User",
            object([
                ("id", int), ("username", text), ("displayName", text),
                ("role", enumeration(["admin", "manager", "salesperson", "distributor", "store"])),
                ("orgNodeID", optionalInt), ("distributorID", optionalInt), ("storeID", optionalInt), ("active", boolean), ("createdAt", int),
            ])
        ),
        ("UserPage", page(of: "User")),
        (
            "UserInput",
            object(
                [
                    ("username", codeText), ("displayName", text(max: 100)), ("role", enumeration(Role.allCases.map(\.rawValue))),
                    ("orgNodeID", optionalID), ("distributorID", optionalID), ("storeID", optionalID), ("active", boolean),
                    ("password", ["type": "string", "minLength": 8, "maxLength": 128]),
                ], required: ["username", "displayName", "role"])
        ),
        (
            "Region",
            object([
                ("code", text), ("name", text), ("level", enumeration(["province", "city", "county"])), ("parentCode", optionalText),
                ("longitude", ["type": "number"]), ("latitude", ["type": "number"]),
            ])
        ),
        ("RegionList", list(of: "Region")),
        (
            "Distributor",
            object([
                ("id", int), ("code", text), ("name", text), ("contactName", optionalText), ("phone", optionalText), ("address", optionalText),
                ("orgNodeID", int), ("territory", ["type": "array", "items": text]), ("status", text), ("createdAt", int), ("updatedAt", int),
            ])
        ),
        ("DistributorPage", page(of: "Distributor")),
        (
            "DistributorInput",
            object(
                [
                    ("code", codeText), ("name", text(max: 100)), ("contactName", optionalText(max: 50)), ("phone", phone),
                    ("address", optionalText(max: 300)), ("orgNodeID", id), ("territory", array(of: text(max: 100), max: 500, min: 1)),
                    ("status", enumeration(MasterDataStatus.allCases.map(\.rawValue))),
                ],
                required: ["code", "name", "orgNodeID", "territory"])
        ),
        (
            "StoreView",
            object([
                ("id", int), ("code", text), ("name", text), ("type", text), ("address", optionalText), ("regionCode", text), ("regionName", text),
                ("latitude", optionalNumber), ("longitude", optionalNumber), ("distributorID", optionalInt), ("distributorName", optionalText),
                ("salespersonNodeID", optionalInt), ("salespersonName", optionalText), ("status", text), ("createdAt", int), ("updatedAt", int),
                ("phone", optionalText),
            ])
        ),
        ("StorePage", page(of: "StoreView")),
        (
            "StoreInput",
            object(
                [
                    ("code", codeText), ("name", text(max: 100)), ("type", enumeration(StoreType.allCases.map(\.rawValue))),
                    ("address", optionalText(max: 300)), ("region", text(max: 100)), ("latitude", latitude), ("longitude", longitude),
                    ("distributorID", optionalID), ("salespersonNodeID", optionalID),
                    ("status", enumeration(MasterDataStatus.allCases.map(\.rawValue))), ("phone", phone),
                ],
                required: ["code", "name", "region"])
        ),
        (
            "Product",
            object([
                ("id", int), ("sku", text), ("gtin", text), ("name", text), ("category", text), ("priceFen", int), ("unitsPerCase", int),
                ("launchDate", optionalText), ("status", text), ("createdAt", int), ("updatedAt", int),
            ])
        ),
        ("ProductPage", page(of: "Product")),
        (
            "ProductInput",
            object(
                [
                    ("sku", codeText), ("gtin", ["type": "string", "pattern": "^([0-9]{8}|[0-9]{12,14})$"]), ("name", text(max: 100)),
                    ("category", text(max: 50)), ("priceFen", int(0...100_000_000)), ("unitsPerCase", int(1...10_000)),
                    ("launchDate", date), ("status", enumeration(MasterDataStatus.allCases.map(\.rawValue))),
                ],
                required: ["sku", "gtin", "name", "category", "priceFen", "unitsPerCase"])
        ),
        ("RowError", object([("row", int), ("column", text), ("code", text), ("message", text)])),
        (
            "ImportReport",
            object([
                ("runID", optionalInt), ("kind", text), ("fileName", text), ("format", text), ("encoding", optionalText), ("totalRows", int),
                ("importedRows", int), ("errorCount", int), ("errors", ["type": "array", "items": ref("RowError")]),
            ])
        ),
        (
            "ImportRun",
            object([
                ("id", int), ("kind", text), ("fileName", text), ("format", text), ("userID", int), ("totalRows", int), ("importedRows", int),
                ("errorCount", int), ("errorsJSON", text), ("createdAt", int),
            ])
        ),
        ("ImportRunPage", page(of: "ImportRun")),
        ("Health", object([("status", text)])),
        (
            "CodeBatchInput",
            object(
                [
                    ("productID", id), ("lot", ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,20}$"]),
                    ("quantity", int(1...Int64(CodeBatch.maxQuantity))), ("unitsPerCase", int(1...10_000)),
                ],
                required: ["productID", "lot", "quantity"])
        ),
        (
            "CodeBatch",
            object([
                ("id", int), ("productID", int), ("lot", text), ("quantity", int), ("unitsPerCase", int), ("caseCount", int), ("keyID", int),
                ("createdAt", int),
            ])
        ),
        ("CodeBatchPage", page(of: "CodeBatch")),
        ("CodeKey", object([("keyID", int)])),
        ("CodeCheckInput", object([("code", text(max: 512))], required: ["code"])),
        (
            "ScanInput",
            object(
                [
                    ("code", text(max: 512)), ("latitude", latitude), ("longitude", longitude),
                    ("coordinateSystem", enumeration(["wgs84", "gcj02", "bd09"])), ("deviceID", optionalText(max: 128)),
                    (
                        "openid",
                        [
                            "type": ["string", "null"], "maxLength": 128,
                            "description": "an identity the client asserts: a risk signal only; cash goes only to who signed in on the brand's pages",
                        ]
                    ),
                    ("phone", ["type": ["string", "null"], "pattern": "^[0-9+]{1,20}$", "description": "asserted, like openid"]),
                    (
                        "scannedAt",
                        ["type": ["integer", "null"], "minimum": 0, "description": "when a queued scan was made: within the last 7 days"]
                    ),
                ],
                required: ["code"])
        ),
        (
            "ScanResult",
            object([
                ("authentic", boolean), ("status", enumeration(["inactive", "active", "voided"])), ("firstScan", boolean), ("scanCount", int),
                ("firstScannedAt", int),
                ("firstPlace", optionalText), ("product", ["type": ["object", "null"]]), ("store", ["type": ["object", "null"]]),
                ("countsAsSale", boolean), ("code", text), ("prize", ["oneOf": [ref("Prize"), ["type": "null"]]]), ("signedIn", boolean),
                ("cashPaid", boolean),
            ])
        ),
        (
            "Prize",
            object([
                ("campaignID", int), ("campaign", text), ("outcome", enumeration(DrawOutcome.allCases.map(\.rawValue))), ("tier", optionalText),
                ("kind", optionalText), ("amountFen", optionalInt),
                ("points", optionalInt), ("couponCode", optionalText), ("underReview", boolean),
            ])
        ),
        (
            "NearbyStore",
            object([
                ("id", int), ("name", text), ("address", optionalText), ("latitude", optionalNumber), ("longitude", optionalNumber),
                ("distance", optionalInt),
            ])
        ),
        ("NearbyStoreList", list(of: "NearbyStore")),
        (
            "Alert",
            object([
                ("id", int), ("kind", enumeration(AlertKind.allCases.map(\.rawValue))), ("reason", enumeration(AlertReason.allCases.map(\.rawValue))),
                ("subject", text), ("batchID", optionalInt), ("caseNumber", optionalInt), ("serial", optionalInt), ("productID", optionalInt),
                ("distributorID", optionalInt), ("storeID", optionalInt), ("regionCode", optionalText), ("latitude", optionalNumber),
                ("longitude", optionalNumber), ("devices", int), ("events", int), ("firstAt", int), ("lastAt", int), ("detail", text),
            ])
        ),
        ("AlertPage", page(of: "Alert")),
        (
            "CaseRange",
            object(
                [("batchID", id), ("firstCase", int(0...Int64(CodeBatch.maxQuantity))), ("lastCase", int(0...Int64(CodeBatch.maxQuantity)))],
                required: ["batchID", "firstCase"])
        ),
        (
            "ShipmentInput",
            object(
                [
                    ("distributorID", id), ("cases", array(of: text(max: 512), max: maxCasesPerMovement)),
                    ("ranges", array(of: ref("CaseRange"), max: maxCasesPerMovement)),
                ], required: ["distributorID"])
        ),
        (
            "ReceiptInput",
            object([
                ("storeID", optionalID), ("cases", array(of: text(max: 512), max: maxCasesPerMovement)),
                (
                    "ranges",
                    [
                        "description": "HQ and managers only; store staff name cases by their B codes",
                        "type": "array", "items": ref("CaseRange"), "maxItems": .number(maxCasesPerMovement),
                    ]
                ),
            ])
        ),
        (
            "TransferInput",
            object(
                [
                    ("storeID", id), ("cases", array(of: text(max: 512), max: maxCasesPerMovement)),
                    (
                        "ranges",
                        [
                            "description": "HQ and managers only; distributors name cases by their B codes",
                            "type": "array", "items": ref("CaseRange"), "maxItems": .number(maxCasesPerMovement),
                        ]
                    ),
                ], required: ["storeID"])
        ),
        ("MovementResult", object([("cases", int), ("flagged", int), ("held", int)])),
        (
            "HeldReceipt",
            object([
                ("batchID", int), ("caseNumber", int), ("storeID", int), ("storeName", text), ("distributorID", int),
                ("flag", enumeration(ReceiptFlag.allCases.map(\.rawValue))), ("receivedAt", int), ("heldFen", int),
            ])
        ),
        ("HeldReceiptPage", page(of: "HeldReceipt")),
        (
            "ReceiptReviewInput",
            object(
                [("batchID", id), ("caseNumber", int(0...Int64(CodeBatch.maxQuantity))), ("decision", enumeration(["approve", "reject"]))],
                required: ["batchID", "caseNumber", "decision"])
        ),
        ("ReceiptReviewResult", object([("storeID", int), ("review", enumeration(ReceiptReview.allCases.map(\.rawValue))), ("movedFen", int)])),
        (
            "RepackInput",
            object([("case", text(max: 512)), ("units", array(of: text(max: 512), max: maxUnitsPerRepack, min: 1))], required: ["case", "units"])
        ),
        (
            "PrizeTierInput",
            object(
                [
                    ("name", text(max: 40)), ("kind", enumeration(PrizeKind.allCases.map(\.rawValue))),
                    ("amountFen", int(1...CampaignInput.cashRange.upperBound)), ("points", int(1...1_000_000)),
                    ("couponCode", codeText),
                    ("probability", ["type": "number", "exclusiveMinimum": 0, "maximum": 1, "description": "in steps of one millionth"]),
                    ("stock", int(0...PrizeTierInput.maxStock)),
                ],
                required: ["name", "kind", "probability"])
        ),
        ("GeoFence", object([("storeID", int), ("latitude", ["type": "number"]), ("longitude", ["type": "number"]), ("radiusMeters", int)])),
        (
            "CampaignInput",
            object(
                [
                    ("name", text(max: 100)), ("productIDs", array(of: id, max: 500, min: 1)), ("regionCodes", array(of: text(max: 12), max: 500)),
                    ("storeIDs", array(of: id, max: CampaignInput.maxFencedStores)), ("radiusMeters", int(CampaignInput.radiusRange)),
                    ("startsAt", milliseconds), ("endsAt", milliseconds),
                    ("tiers", array(of: ref("PrizeTierInput"), max: CampaignInput.maxTiers, min: 1)),
                    ("budgetFen", int(0...CampaignInput.maxBudgetFen)), ("storeRewardFen", int(0...CampaignInput.cashRange.upperBound)),
                    ("storeBudgetFen", int(0...CampaignInput.maxBudgetFen)), ("perConsumerPerDay", int(1...1_000)),
                    ("perDevicePerDay", int(1...1_000)), ("segmentID", optionalID),
                ],
                required: ["name", "productIDs", "startsAt", "endsAt", "tiers", "budgetFen"])
        ),
        (
            "CampaignChange",
            object([
                ("name", text(max: 100)), ("endsAt", milliseconds), ("perConsumerPerDay", int(1...1_000)), ("perDevicePerDay", int(1...1_000)),
            ])
        ),
        (
            "Campaign",
            object([
                ("id", int), ("name", text), ("productIDs", ["type": "array", "items": int]), ("regionCodes", ["type": "array", "items": text]),
                ("geofences", ["type": "array", "items": ref("GeoFence")]),
                ("startsAt", int), ("endsAt", int), ("tiers", ["type": "array", "items": ["type": "object"]]), ("budgetFen", int),
                ("budgetLeftFen", int), ("storeRewardFen", int), ("storeBudgetFen", int), ("storeBudgetLeftFen", int),
                ("perConsumerPerDay", int), ("perDevicePerDay", int), ("createdAt", int), ("stats", ref("CampaignStats")), ("segmentID", optionalInt),
                ("pausedAt", optionalInt),
            ])
        ),
        (
            "CampaignStats",
            object([
                ("draws", int), ("outcomes", ["type": "object", "additionalProperties": int]), ("participants", int), ("winners", int),
                ("prizesFen", int), ("points", int), ("storeRewardsFen", int),
            ])
        ),
        ("CampaignPage", page(of: "Campaign")),
        (
            "LedgerCheck",
            object([
                ("balanced", boolean), ("entries", int), ("accounts", int),
                ("debits", ["type": "object", "additionalProperties": int]), ("credits", ["type": "object", "additionalProperties": int]),
                ("unbalancedEntries", ["type": "array", "items": int]), ("mismatchedAccounts", ["type": "array", "items": text]),
                ("accountsBelowFloor", ["type": "array", "items": text]),
            ])
        ),
        (
            "Payout",
            object([
                ("id", int), ("campaignID", int), ("wallet", text), ("amountFen", int), ("riskScore", int),
                ("riskReasons", ["type": "array", "items": text]),
                ("status", enumeration(PayoutStatus.allCases.map(\.rawValue))), ("merchant", text), ("billNumber", text), ("attempts", int),
                ("createdAt", int),
            ])
        ),
        ("PayoutList", list(of: "Payout")),
        ("PayoutTally", object([("count", int), ("amountFen", int)])),
        ("PayoutSummary", ["type": "object", "additionalProperties": ref("PayoutTally")]),
        (
            "BlacklistEntry",
            object(
                [("kind", enumeration(BlacklistKind.allCases.map(\.rawValue))), ("value", text(max: 128)), ("note", optionalText(max: 200))],
                required: ["kind", "value"])
        ),
        ("BlacklistEntryList", list(of: "BlacklistEntry")),
        ("BlacklistAdded", object([("added", int)])),
        (
            "WeChatAppInput",
            object(
                [
                    ("appID", ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$"]),
                    ("secret", ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"]),
                    ("noticeTemplateID", ["type": ["string", "null"], "pattern": "^[A-Za-z0-9_-]{1,64}$"]),
                ], required: ["appID", "secret"])
        ),
        ("WeChatApp", object([("configured", boolean), ("appID", optionalText), ("noticeTemplateID", optionalText), ("callbackURL", text)])),
        ("VoucherRedemptionInput", object([("code", text(max: 512)), ("storeID", optionalID)], required: ["code"])),
        (
            "VoucherRedemption",
            object([
                ("campaignID", int), ("campaign", text), ("tier", text), ("batchID", int), ("serial", int), ("storeID", int),
                ("amountFen", int), ("redeemedAt", int),
            ])
        ),
        (
            "MallItemInput",
            object(
                [
                    ("name", text(max: 60)), ("kind", enumeration(MallItemKind.allCases.map(\.rawValue))),
                    ("pricePoints", int(1...MallItemInput.maxPricePoints)), ("faceValueFen", int(0...MallItemInput.maxFaceValueFen)),
                    ("stock", int(1...MallItemInput.maxStock)), ("perPersonLimit", int(1...1_000)),
                    ("availableFrom", int(0...MallItemInput.maxMillis)), ("availableUntil", int(0...MallItemInput.maxMillis)),
                    ("validDays", int(1...366)),
                ],
                required: ["name", "kind", "pricePoints", "stock", "availableFrom", "availableUntil"])
        ),
        (
            "MallItem",
            object([
                ("id", int), ("name", text), ("kind", text), ("pricePoints", int), ("faceValueFen", int), ("stock", int), ("stockLeft", int),
                ("perPersonLimit", int), ("availableFrom", int), ("availableUntil", int), ("validDays", int), ("createdAt", int),
            ])
        ),
        ("MallItemList", list(of: "MallItem")),
        ("CouponRedemptionInput", object([("code", text(max: 512)), ("storeID", optionalID)], required: ["code"])),
        (
            "CouponRedemption",
            object([("code", text), ("item", text), ("kind", text), ("faceValueFen", int), ("storeID", int), ("redeemedAt", int)])
        ),
        (
            "ConsumerSummary",
            object([
                ("id", int), ("label", text), ("verified", boolean), ("stage", text), ("scans", int), ("firstScanAt", optionalInt),
                ("lastScanAt", optionalInt), ("storeID", optionalInt), ("storeName", optionalText), ("regionCode", optionalText), ("createdAt", int),
            ])
        ),
        ("ConsumerPage", page(of: "ConsumerSummary")),
        (
            "ConsumerMerge",
            object([
                ("id", int), ("keptID", int), ("mergedID", int), ("evidence", text), ("at", int), ("undoneAt", optionalInt),
                ("moved", ["type": "array", "items": text]),
            ])
        ),
        ("ConsumerMergeInput", object([("intoID", id)], required: ["intoID"])),
        (
            "TagRule",
            object(
                [
                    ("kind", enumeration(TagRuleKind.allCases.map(\.rawValue))), ("atLeast", int(1...TagRule.maxPoints)),
                    ("days", optionalInt(1...TagRule.maxDays)), ("productID", optionalID), ("storeID", optionalID),
                    ("regionCode", ["type": ["string", "null"], "pattern": "^[0-9]{12}$"]),
                ], required: ["kind"])
        ),
        (
            "ConsumerTagInput",
            object(
                [("name", text(max: 40)), ("description", optionalText(max: 200)), ("rule", ["oneOf": [ref("TagRule"), ["type": "null"]]])],
                required: ["name"])
        ),
        (
            "ConsumerTag",
            object([
                ("id", int), ("name", text), ("description", text), ("owner", text), ("manual", boolean),
                ("rule", ["oneOf": [ref("TagRule"), ["type": "null"]]]), ("members", optionalInt), ("current", boolean), ("createdAt", int),
            ])
        ),
        ("ConsumerTagList", list(of: "ConsumerTag")),
        ("ConsumerTagging", object([("tagID", id)], required: ["tagID"])),
        ("ConsumerTagged", object([("added", boolean)])),
        (
            "SegmentCondition",
            object(
                [
                    ("kind", enumeration(SegmentConditionKind.allCases.map(\.rawValue))), ("negate", ["type": ["boolean", "null"]]),
                    ("tagID", optionalID),
                    (
                        "stage",
                        ["type": ["string", "null"], "pattern": .string("^(\(ConsumerStage.allCases.map(\.rawValue).joined(separator: "|")))$")]
                    ),
                    ("regionCode", ["type": ["string", "null"], "pattern": "^[0-9]{12}$"]), ("storeID", optionalID), ("productID", optionalID),
                    ("atLeast", optionalInt(1...SegmentRule.maxCount)), ("days", optionalInt(1...SegmentRule.maxDays)),
                    ("rule", ["oneOf": [ref("SegmentRule"), ["type": "null"]]]),
                ], required: ["kind"])
        ),
        (
            "SegmentRule",
            object(
                [
                    ("match", enumeration(SegmentMatch.allCases.map(\.rawValue))),
                    ("conditions", array(of: ref("SegmentCondition"), max: SegmentRule.maxTerms, min: 1)),
                ],
                required: ["match", "conditions"])
        ),
        (
            "SegmentInput",
            object([("name", text(max: 40)), ("description", optionalText(max: 200)), ("rule", ref("SegmentRule"))], required: ["name", "rule"])
        ),
        (
            "Segment",
            object([
                ("id", int), ("name", text), ("description", text), ("owner", text), ("rule", ref("SegmentRule")), ("count", int), ("createdAt", int),
            ])
        ),
        ("SegmentList", list(of: "Segment")),
        ("SegmentCount", object([("count", int)])),
        (
            "Referral",
            object([
                ("id", int), ("referrerID", optionalInt), ("referrer", optionalText), ("referredID", optionalInt), ("referred", optionalText),
                ("storeID", optionalInt), ("storeName", optionalText), ("sku", optionalText), ("at", int),
                ("status", enumeration(ReferralStatus.allCases.map(\.rawValue))),
                ("reasons", ["type": "array", "items": enumeration(ReferralHoldReason.allCases.map(\.rawValue))]),
            ])
        ),
        ("ReferralList", list(of: "Referral")),
        ("ReferralReview", object([("decision", enumeration(["count", "reject"]))], required: ["decision"])),
        (
            "KOC",
            object([
                ("consumerID", optionalInt), ("label", optionalText), ("storeID", optionalInt), ("storeName", optionalText), ("invited", int),
                ("repeaters", int), ("repeatRate", number), ("secondHop", int), ("score", number), ("koc", boolean),
            ])
        ),
        ("KOCList", list(of: "KOC")),
        ("ReferralProgramme", object([("rewardPoints", int), ("budgetLeft", int)])),
        (
            "ReferralProgrammeInput",
            object(
                [
                    ("rewardPoints", int(ReferralProgrammeInput.rewardRange)),
                    ("addBudgetPoints", optionalInt(ReferralProgrammeInput.budgetRange)),
                ], required: ["rewardPoints"])
        ),
        (
            "JourneyTrigger",
            object(
                [
                    ("kind", enumeration(JourneyTriggerKind.allCases.map(\.rawValue))),
                    (
                        "stage",
                        ["type": ["string", "null"], "pattern": .string("^(\(LifecycleStage.allCases.map(\.rawValue).joined(separator: "|")))$")]
                    ),
                    ("days", optionalInt(Int64(JourneyInput.daysRange.lowerBound)...Int64(JourneyInput.daysRange.upperBound))),
                    ("segmentID", optionalID), ("storeID", optionalID),
                    ("date", ["type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"]),
                ], required: ["kind"])
        ),
        (
            "JourneyStep",
            object(
                [
                    ("kind", enumeration(JourneyStepKind.allCases.map(\.rawValue))),
                    ("hours", optionalInt(Int64(JourneyInput.hoursRange.lowerBound)...Int64(JourneyInput.hoursRange.upperBound))),
                    (
                        "condition",
                        [
                            "type": ["string", "null"],
                            "pattern": .string("^(\(JourneyConditionKind.allCases.map(\.rawValue).joined(separator: "|")))$"),
                        ]
                    ),
                    ("tagID", optionalID), ("segmentID", optionalID), ("points", optionalInt(JourneyInput.pointsRange)),
                    ("text", optionalText(max: JourneyInput.maxNoteLength)),
                    (
                        "channel",
                        ["type": ["string", "null"], "pattern": .string("^(\(JourneyChannel.allCases.map(\.rawValue).joined(separator: "|")))$")]
                    ),
                    ("itemID", optionalID),
                    ("next", optionalInt(0...Int64(JourneyInput.maxSteps - 1))), ("otherwise", optionalInt(0...Int64(JourneyInput.maxSteps - 1))),
                ], required: ["kind"])
        ),
        (
            "JourneyInput",
            object(
                [
                    ("name", text(max: 60)), ("description", optionalText(max: 300)), ("trigger", ref("JourneyTrigger")),
                    ("steps", array(of: ref("JourneyStep"), max: JourneyInput.maxSteps, min: 1)),
                    ("holdoutPercent", optionalInt(0...50)), ("weeklyMessageCap", optionalInt(1...14)), ("quietFrom", optionalInt(0...23)),
                    ("quietTo", optionalInt(0...23)), ("goalDays", optionalInt(1...90)), ("budgetPoints", optionalInt(JourneyInput.budgetRange)),
                ], required: ["name", "trigger", "steps"])
        ),
        (
            "Journey",
            object([
                ("id", int), ("status", enumeration(JourneyStatus.allCases.map(\.rawValue))), ("owner", text), ("createdAt", int),
                ("startedAt", optionalInt), ("definition", ref("JourneyInput")),
            ])
        ),
        ("JourneyList", list(of: "Journey")),
        (
            "StoreNotice",
            object([
                ("id", int), ("storeID", int), ("storeName", text), ("journeyID", int), ("text", text), ("createdAt", int), ("readAt", optionalInt),
            ])
        ),
        ("StoreNoticeList", object([("items", list(of: "StoreNotice"))])),
        (
            "DashboardFigures",
            object(
                [
                    ("scans", int), ("unitsSold", int), ("salesFen", int), ("activeStoreDays", int), ("newCustomers", int), ("rewardFen", int),
                    ("diversionAlerts", int), ("counterfeitAlerts", int), ("storeAlerts", int),
                ],
                required: [
                    "scans", "unitsSold", "salesFen", "activeStoreDays", "newCustomers", "rewardFen", "diversionAlerts", "counterfeitAlerts",
                    "storeAlerts",
                ])
        ),
        (
            "DashboardUnit",
            object(
                [
                    ("kind", enumeration(["brand", "org", "store", "unassigned"])), ("id", int),
                    ("level", ["type": "integer", "minimum": 1, "maximum": 4]),
                    ("code", text), ("name", text), ("current", ref("DashboardFigures")), ("previous", ref("DashboardFigures")),
                    ("lastYear", ref("DashboardFigures")),
                ], required: ["kind", "code", "name", "current", "previous", "lastYear"])
        ),
        (
            "Dashboard",
            object(
                [
                    ("from", date), ("to", date), ("days", int), ("previousFrom", date), ("previousTo", date), ("lastYearFrom", date),
                    ("lastYearTo", date), ("unit", ref("DashboardUnit")), ("trail", list(of: "DashboardUnit")),
                    ("childKind", enumeration(["org", "store"])), ("children", list(of: "DashboardUnit")),
                    (
                        "trend",
                        ["type": "array", "items": object([("day", date), ("figures", ref("DashboardFigures"))], required: ["day", "figures"])]
                    ),
                    ("cities", ["type": "object", "additionalProperties": ref("DashboardFigures")]),
                ], required: ["from", "to", "days", "unit", "trail", "childKind", "children", "trend", "cities"])
        ),
        ("JourneyStatusInput", object([("status", enumeration(["running", "paused", "ended"]))], required: ["status"])),
        (
            "JourneyReport",
            object([
                ("journey", ref("Journey")), ("entered", int), ("heldOut", int), ("active", int), ("converted", int), ("heldOutConverted", int),
                ("conversion", number), ("heldOutConversion", number), ("uplift", optionalNumber), ("budgetLeft", int),
                (
                    "steps",
                    [
                        "type": "array",
                        "items": object([
                            ("step", int), ("kind", enumeration(JourneyStepKind.allCases.map(\.rawValue))), ("outcomes", ["type": "object"]),
                        ]),
                    ]
                ),
            ])
        ),
        (
            "LifecycleSettings",
            object(
                [
                    ("retainedWithinDays", int(LifecycleSettings.daysRange)), ("activateOnSignIn", boolean), ("activateOnReward", boolean),
                    ("revenueOnRedemption", boolean), ("revenueOnPointsSpent", boolean),
                ], required: ["retainedWithinDays"])
        ),
        (
            "LifecycleFunnel",
            object([
                ("from", date), ("to", date),
                (
                    "stages",
                    [
                        "type": "array",
                        "items": object([
                            ("stage", enumeration(LifecycleStage.allCases.map(\.rawValue))), ("reached", int), ("moved", int),
                            ("conversion", optionalNumber),
                        ]),
                    ]
                ),
            ])
        ),
        (
            "LifecycleCohorts",
            object([
                (
                    "cohorts",
                    [
                        "type": "array",
                        "items": object([("weekStart", date), ("consumers", int), ("active", ["type": "array", "items": int])]),
                    ]
                )
            ])
        ),
        (
            "LifecycleTransitionList",
            [
                "type": "array",
                "items": object([
                    ("from", ["type": ["string", "null"]]), ("to", enumeration(LifecycleStage.allCases.map(\.rawValue))),
                    ("cause", enumeration(LifecycleCause.allCases.map(\.rawValue))), ("at", int),
                ]),
            ]
        ),
        (
            "ConsumerProfile",
            object([
                ("consumer", ref("ConsumerSummary")), ("mergedInto", optionalInt), ("identities", ["type": "array", "items": ["type": "object"]]),
                ("tags", ["type": "array", "items": ["type": "object"]]),
                ("merges", ["type": "array", "items": ref("ConsumerMerge")]), ("products", ["type": "array", "items": ["type": "object"]]),
                ("stores", ["type": "array", "items": ["type": "object"]]), ("cashWonFen", int), ("pointsWon", int), ("pointsBalance", int),
                ("coupons", int), ("consents", ["type": "object"]), ("timeline", ["type": "array", "items": ["type": "object"]]),
            ])
        ),
        ("PayoutReview", object([("decision", enumeration(["approve", "reject"]))], required: ["decision"])),
        (
            "StoreSettlement",
            object([
                ("storeID", int), ("storeCode", text), ("storeName", text), ("distributorID", optionalInt), ("rewardedScans", int),
                ("rewardsFen", int), ("vouchersRedeemed", int), ("vouchersFen", int), ("couponsRedeemed", int), ("couponsFen", int), ("dueFen", int),
            ])
        ),
        ("StoreSettlementList", list(of: "StoreSettlement")),
        (
            "DistributorSettlement",
            object([
                ("distributorID", int), ("distributorCode", text), ("distributorName", text), ("stores", int),
                ("rewardedScans", int), ("rewardsFen", int), ("vouchersRedeemed", int), ("vouchersFen", int), ("couponsRedeemed", int),
                ("couponsFen", int), ("dueFen", int),
            ])
        ),
        ("DistributorSettlementList", list(of: "DistributorSettlement")),
        ("RepackResult", object([("batchID", int), ("caseNumber", int), ("moved", int), ("unchanged", int)])),
        (
            "CodeRangeInput",
            object(
                [
                    ("action", enumeration(["activate", "void"])), ("firstCase", int(0...Int64(CodeBatch.maxQuantity))),
                    ("lastCase", int(0...Int64(CodeBatch.maxQuantity))),
                ], required: ["action"])
        ),
        (
            "CodeRangeAction",
            object([("id", int), ("action", enumeration(["activate", "void"])), ("firstCase", int), ("lastCase", int), ("createdAt", int)])
        ),
        ("CodeRangeActionList", list(of: "CodeRangeAction")),
        (
            "StoreAlert",
            object([
                ("id", int), ("storeID", int), ("storeCode", optionalText), ("storeName", optionalText),
                ("kind", enumeration(StoreAnomalyKind.allCases.map(\.rawValue))), ("productID", optionalInt), ("salespersonNodeID", optionalInt),
                ("raisedDay", int), ("lastDay", int), ("dueDay", int), ("score", number), ("baseline", number), ("observed", number),
                ("peerMedian", optionalNumber), ("reason", text), ("status", enumeration(TaskStatus.allCases.map(\.rawValue))),
                ("createdAt", int), ("firstVisitAt", optionalInt), ("resolvedAt", optionalInt), ("resolvedBy", optionalInt),
                ("resolution", optionalText), ("resolutionNote", optionalText),
                ("outcome", enumeration(ConversionOutcome.allCases.map(\.rawValue))), ("outcomeDay", optionalInt),
                ("outcomeObserved", optionalNumber),
            ])
        ),
        ("StoreAlertPage", page(of: "StoreAlert")),
        (
            "ResolutionInput",
            object([("reason", enumeration(ResolutionReason.manual.map(\.rawValue))), ("note", optionalText(max: 1_000))], required: ["reason"])
        ),
        (
            "VisitCount",
            object([("productID", id), ("sku", codeText), ("units", int(0...1_000_000)), ("facings", optionalInt(0...1_000))], required: ["units"])
        ),
        (
            "VisitInput",
            object(
                [
                    ("storeID", id), ("alertID", optionalID), ("latitude", latitude), ("longitude", longitude),
                    ("coordinateSystem", enumeration(["wgs84", "gcj02", "bd09"])), ("notes", optionalText(max: 1_000)),
                    ("counts", array(of: ref("VisitCount"), max: 200)),
                ], required: ["storeID", "latitude", "longitude"])
        ),
        (
            "StoreVisit",
            object([
                ("id", int), ("storeID", int), ("userID", int), ("alertID", optionalInt), ("checkedInAt", int), ("day", int),
                ("latitude", number), ("longitude", number), ("distanceMeters", number), ("notes", text), ("photos", int),
                ("counts", ["type": "array", "items": ref("VisitCount")]),
            ])
        ),
        ("VisitPhotoAdded", object([("number", int)])),
        (
            "StockFigures",
            object([
                ("productID", int), ("scanRate", number), ("scanRateError", number),
                ("scanRateSource", enumeration(ScanRateEstimate.Source.allCases.map(\.rawValue))), ("estimatedStock", optionalNumber),
                ("stockLow", number), ("stockHigh", number), ("velocity", number), ("daysOfCover", optionalNumber),
                ("countedUnits", optionalInt), ("countedDay", optionalInt), ("reorderDay", optionalInt), ("reorderUnits", int),
            ])
        ),
        (
            "StoreProfile",
            object([
                ("storeID", int), ("day", int), ("tier", enumeration(StoreTier.allCases.map(\.rawValue))),
                ("tags", ["type": "array", "items": enumeration(StoreTag.allCases.map(\.rawValue))]), ("sales28", int), ("salesPrev28", int),
                ("sales90", int), ("newProductShare", number), ("repeatShare", optionalNumber),
                (
                    "strategies",
                    [
                        "type": "array",
                        "items": object([
                            ("strategy", enumeration(StoreStrategy.allCases.map(\.rawValue))), ("reason", text),
                            ("cause", enumeration(StrategyCause.allCases.map(\.rawValue))),
                            ("figures", ["type": "array", "items": ["type": "number"]]),
                        ]),
                    ]
                ),
            ])
        ),
        (
            "StoreMetrics",
            object([
                ("storeID", int), ("firstDay", text), ("lastDay", text), ("sold", ["type": "array", "items": int]),
                ("received", ["type": "array", "items": int]), ("stock", ["type": "array", "items": ref("StockFigures")]),
                ("profile", ["oneOf": [ref("StoreProfile"), ["type": "null"]]]),
            ])
        ),
        (
            "SalespersonFigures",
            object([
                ("nodeID", int), ("code", text), ("name", text), ("parentID", optionalInt), ("stores", int),
                ("storesVisitedInCycle", int), ("coverage", number), ("visits", int), ("visitDays", int), ("visitsPerDay", number),
                ("alerts", int), ("alertsVisited", int), ("medianResponseHours", optionalNumber), ("resolved", int), ("converted", int),
                ("notConverted", int), ("conversionRate", optionalNumber), ("sales28", int), ("salesPrev28", int),
                ("growth", optionalNumber), ("score", number), ("rank", int),
            ])
        ),
        ("SalespersonRanking", list(of: "SalespersonFigures")),
        (
            "StoreRules",
            [
                "type": "object", "description": "thresholds by name (see GET); fields left out keep their values",
                "additionalProperties": ["type": "number"],
            ]
        ),
        ("StoreJobInput", object([("day", date)])),
        (
            "StoreJobReport",
            object([
                ("day", int), ("stores", int), ("findings", int), ("raised", int), ("closed", int),
                ("byKind", ["type": "object", "additionalProperties": int]),
                ("outcomesJudged", int), ("converted", int), ("milliseconds", int),
            ])
        ),
        (
            "CodeCheck",
            object([
                ("authentic", boolean), ("status", enumeration(["inactive", "active", "voided"])), ("kind", enumeration(["unit", "case"])),
                ("batchID", int), ("serial", int), ("caseNumber", int),
                ("productID", int), ("lot", text), ("distributorID", optionalInt), ("storeID", optionalInt),
            ])
        ),
    ]
}
