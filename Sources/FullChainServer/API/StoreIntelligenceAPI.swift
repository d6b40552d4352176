import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import NIOCore

extension StoreAlertFilter {
    /// Filters from `?kind=&status=&outcome=&storeID=&salespersonNodeID=&since=YYYY-MM-DD`.
    init(_ request: Request) throws(APIError) {
        var since: Int64?
        if let text = request.query("since") {
            guard let day = BusinessDay.day(ofDate: text) else { throw .badRequest("invalid_query", "since must be a date, YYYY-MM-DD") }
            since = day
        }
        let status = request.query("status")
        self.init(
            kind: try request.enumQuery("kind", StoreAnomalyKind.self),
            status: status == "unresolved" ? nil : try request.enumQuery("status", TaskStatus.self), unresolved: status == "unresolved",
            outcome: try request.enumQuery("outcome", ConversionOutcome.self), storeID: try request.intQuery("storeID"),
            salespersonNodeID: try request.intQuery("salespersonNodeID"), sinceDay: since)
    }
}

/// How a task was closed.
struct ResolutionInput: Codable, Sendable {
    var reason: String?
    var note: String?
}

/// Runs the daily job now, for a day (default: yesterday, the last complete day).
struct StoreJobInput: Codable, Sendable {
    var day: String?
}

/// A store's figures as the API shows them: daily series, stock per SKU, profile.
struct StoreMetricsView: Codable, Sendable {
    var storeID: Int64
    var firstDay: String
    var lastDay: String
    var sold: [Int]
    var received: [Int]
    var stock: [StockFigures]
    var profile: StoreProfile?
}

/// The store intelligence and sales force API: abnormal stores as tasks, visits with stock counts and photos,
/// store metrics and profiles, the salesperson ranking, and each brand's thresholds.
enum StoreIntelligenceAPI {
    static let feedQuery: [APIEndpoint.QueryParameter] = [
        .init("kind", "string", StoreAnomalyKind.allCases.map(\.rawValue).joined(separator: ", ")),
        .init("status", "string", "open, visited, resolved or unresolved"),
        .init("outcome", "string", "pending, converted or not_converted (resolved tasks)"),
        .init("storeID", "integer", "one store's alerts"),
        .init("salespersonNodeID", "integer", "one salesperson's tasks"),
        .init("since", "string", "raised on or after this date (YYYY-MM-DD)"),
    ]

    /// The store figures as of today: the stock position corrected with the measured scan rates.
    static func metrics(_ detail: StoreIntelligenceDetail, products: [Int64: Product], today: Int64, rules: StoreRules) -> [StockFigures] {
        let rates = ScanRateRow.table(detail.scanRates)
        return detail.skus.map { t in
            t.position(
                unitsPerCase: Int(products[t.productID]?.unitsPerCase ?? 1),
                scanRate: rates.estimate(productID: t.productID, province: detail.province, storeType: detail.storeType, rules: rules)
            )
            .figures(today: today, rules: rules)
        }
    }

    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let limit = services.configuration.maxJSONBytes
        let photoLimit = services.configuration.maxPhotoBytes
        return [
            APIEndpoint(
                .get, "/api/v1/store-alerts", id: "listStoreAlerts", tag: "stores",
                summary: "Abnormal stores within my reach, each a task for the store's salesperson, newest first",
                response: "StoreAlertPage", query: pagingQuery + feedQuery
            ) { request, context in
                let p = try context.requirePrincipal()
                return try .json(try await storage.storeTasks.alerts(try ListQuery(request), filter: try StoreAlertFilter(request), scope: p.scope))
            },
            APIEndpoint(
                .get, "/api/v1/store-alerts/{id}", id: "getStoreAlert", tag: "stores", summary: "One store alert (task) with why it was raised",
                response: "StoreAlert"
            ) { _, context in
                let p = try context.requirePrincipal()
                guard let alert = try await storage.storeTasks.alert(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                return try .json(alert)
            },
            APIEndpoint(
                .get, "/api/v1/tasks", id: "listMyTasks", tag: "stores", summary: "My open tasks (not yet resolved), earliest due first",
                response: "StoreAlertPage", query: pagingQuery
            ) { request, context in
                let p = try context.requirePrincipal()
                var page = try await storage.storeTasks.alerts(try ListQuery(request), filter: StoreAlertFilter(unresolved: true), scope: p.scope)
                page.items.sort { ($0.dueDay, $0.id) < ($1.dueDay, $1.id) }
                return try .json(page)
            },
            APIEndpoint(
                .post, "/api/v1/store-alerts/{id}/resolve", id: "resolveStoreAlert", tag: "stores",
                summary: "Closes a task with a reason code; whether the store comes back to normal is judged after the conversion window",
                request: "ResolutionInput", response: "StoreAlert"
            ) { request, context in
                let p = try context.requirePrincipal()
                guard p.role == .admin || p.role == .manager || p.role == .salesperson else { throw APIError.forbidden }
                let input = try await request.decodeJSON(ResolutionInput.self, limit: limit)
                var v = Validator()
                let reason = ResolutionReason(rawValue: input.reason ?? "").flatMap { ResolutionReason.manual.contains($0) ? $0 : nil }
                if reason == nil {
                    v.add(
                        FieldError(
                            field: "reason", code: "invalid_value",
                            message: "reason must be one of " + ResolutionReason.manual.map(\.rawValue).joined(separator: ", ")))
                }
                let note = v.optionalText(input.note, field: "note", maxLength: 1_000)
                guard v.errors.isEmpty, let reason else { throw ValidationError(v.errors) }
                do {
                    guard
                        let alert = try await storage.storeTasks.resolve(
                            alertID: try context.id(), reason: reason, note: note, userID: p.userID, at: currentMillis(),
                            scope: p.scope)
                    else { throw APIError.notFound }
                    return try .json(alert)
                } catch StorageError.duplicate {
                    throw APIError(.conflict, code: "already_resolved", message: "this task was resolved before")
                }
            },
            APIEndpoint(
                .post, "/api/v1/visits", id: "recordVisit", tag: "stores",
                summary: "Checks in at a store within my reach (within the brand's distance of it), with stock counts and shelf facings per SKU",
                request: "VisitInput", response: "StoreVisit", status: .created
            ) { request, context in
                let p = try context.requirePrincipal()
                guard p.role == .admin || p.role == .manager || p.role == .salesperson else { throw APIError.forbidden }
                let input = try await request.decodeJSON(VisitInput.self, limit: limit)
                var products: [String: Int64] = [:]
                var known: Set<Int64> = []
                for product in try await storage.allProducts(tenantID: p.tenantID) {
                    products[product.sku] = product.id
                    known.insert(product.id)
                }
                let checked = try input.validated(productIDs: products, knownProductIDs: known)
                guard let summary = try await storage.stores.get(id: checked.storeID, scope: p.scope) else { throw APIError.notFound }
                let rules = try await storage.storeRules.rules(tenantID: p.tenantID)
                guard let place = summary.store.location else {
                    throw APIError(.unprocessableContent, code: "no_location", message: "this store has no position to check in against")
                }
                let distance = place.distance(to: checked.location)
                guard distance <= rules.checkInRadiusMeters else {
                    throw APIError(
                        .unprocessableContent, code: "too_far",
                        message: "the check-in is \(Int(distance.rounded())) m from the store; at most \(Int(rules.checkInRadiusMeters)) m is allowed"
                    )
                }
                let now = currentMillis()
                let visit = StoreVisit(
                    id: 0, storeID: checked.storeID, userID: p.userID, alertID: input.alertID, checkedInAt: now,
                    day: BusinessDay.day(ofMillis: now), latitude: checked.location.latitude, longitude: checked.location.longitude,
                    distanceMeters: (distance * 10).rounded() / 10, notes: checked.notes, photos: 0, counts: checked.counts)
                let saved = try await storage.visits.recordVisit(visit, province: String(summary.store.regionCode.prefix(2)), scope: p.scope)
                return try .json(saved, status: .created)
            },
            APIEndpoint(.get, "/api/v1/visits/{id}", id: "getVisit", tag: "stores", summary: "One visit with its counts", response: "StoreVisit") {
                _, context in
                let p = try context.requirePrincipal()
                guard let visit = try await storage.visits.visit(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                return try .json(visit)
            },
            APIEndpoint(
                .post, "/api/v1/visits/{id}/photos", id: "addVisitPhoto", tag: "stores",
                summary: "Adds a shelf photo to a visit: the body is a JPEG or PNG image, Content-Type image/jpeg or image/png (at most 5 a visit)",
                request: "image", response: "VisitPhotoAdded", status: .created
            ) { request, context in
                let p = try context.requirePrincipal()
                guard p.role == .admin || p.role == .manager || p.role == .salesperson else { throw APIError.forbidden }
                let id = try context.id()
                guard try await storage.visits.visit(id: id, scope: p.scope) != nil else { throw APIError.notFound }
                let bytes = try await request.bytes(limit: photoLimit + 1)
                switch VisitPhoto.check(bytes, declaredType: request.headers[.contentType], limit: photoLimit) {
                case .failure(.empty):
                    throw APIError.badRequest("empty_body", "send the image as the request body")
                case .failure(.tooLarge(let limit)):
                    throw APIError(.contentTooLarge, code: "payload_too_large", message: "a photo may be at most \(limit / 1024) KiB")
                case .failure(.unsupportedType):
                    throw APIError(
                        .unsupportedMediaType, code: "unsupported_image",
                        message: "send a JPEG (image/jpeg) or PNG (image/png), the bytes matching the type")
                case .success(let type):
                    do {
                        let number = try await storage.visits.addPhoto(visitID: id, contentType: type, bytes: bytes, maxPhotos: 5, scope: p.scope)
                        return try .json(["number": number], status: .created)
                    } catch StorageError.floorReached {
                        throw APIError(.conflict, code: "too_many_photos", message: "a visit holds at most 5 photos")
                    }
                }
            },
            APIEndpoint(
                .get, "/api/v1/visits/{id}/photos/{number}", id: "getVisitPhoto", tag: "stores", summary: "One photo of a visit",
                response: "image"
            ) { _, context in
                let p = try context.requirePrincipal()
                guard let number = context.parameters.get("number").flatMap(Int.init),
                    let photo = try await storage.visits.photo(visitID: try context.id(), number: number, scope: p.scope)
                else { throw APIError.notFound }
                return Response(
                    status: .ok, headers: [.contentType: photo.contentType, .cacheControl: "private, max-age=86400"],
                    body: .init(byteBuffer: ByteBuffer(bytes: photo.bytes)))
            },
            APIEndpoint(
                .get, "/api/v1/stores/{id}/metrics", id: "getStoreMetrics", tag: "stores",
                summary: "A store's last 90 days: scanned and received units per day, stock, velocity, days of cover and reorder per SKU, profile",
                response: "StoreMetrics"
            ) { _, context in
                let p = try context.requirePrincipal()
                let today = BusinessDay.day(ofMillis: currentMillis())
                let rules = try await storage.storeRules.rules(tenantID: p.tenantID)
                let detail = try await storage.storeFigures.detail(storeID: try context.id(), today: today, days: rules.historyDays, scope: p.scope)
                let products = Dictionary(uniqueKeysWithValues: try await storage.allProducts(tenantID: p.tenantID).map { ($0.id, $0) })
                return try .json(
                    StoreMetricsView(
                        storeID: try context.id(), firstDay: BusinessDay.date(ofDay: detail.firstDay), lastDay: BusinessDay.date(ofDay: today),
                        sold: detail.sold, received: detail.received,
                        stock: metrics(detail, products: products, today: today, rules: rules), profile: detail.profile))
            },
            APIEndpoint(
                .get, "/api/v1/salespeople/ranking", id: "salespersonRanking", tag: "stores",
                summary:
                    "Salespeople within my reach ranked by coverage, visits, response time, conversion and territory growth (a salesperson sees their own line)",
                response: "SalespersonRanking"
            ) { _, context in
                let p = try context.requirePrincipal()
                return try .json(try await ranking(storage, principal: p))
            },
            APIEndpoint(
                .get, "/api/v1/store-rules", id: "getStoreRules", tag: "stores",
                summary: "The brand's thresholds for abnormal stores, stock and visits",
                response: "StoreRules"
            ) { _, context in
                let p = try context.requirePrincipal()
                return try .json(try await storage.storeRules.rules(tenantID: p.tenantID))
            },
            APIEndpoint(
                .put, "/api/v1/store-rules", id: "putStoreRules", tag: "stores",
                summary: "Changes the brand's thresholds (HQ); fields left out keep their values", request: "StoreRules", response: "StoreRules"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                let current = try await storage.storeRules.rules(tenantID: p.tenantID)
                let body = try await request.strictJSONBody(limit: limit)
                let rules = try StoreRules.merging(Array(body.readableBytesView), over: current)
                let problems = rules.problems()
                guard problems.isEmpty else { throw ValidationError(problems) }
                try await storage.storeRules.saveRules(rules, tenantID: p.tenantID)
                return try .json(rules)
            },
            APIEndpoint(
                .post, "/api/v1/store-intelligence/run", id: "runStoreJob", tag: "stores",
                summary: "Runs the daily store job now (HQ): finds abnormal stores, raises tasks, judges conversions, refreshes profiles",
                request: "StoreJobInput", response: "StoreJobReport"
            ) { request, context in
                let p = try context.require(.manageCampaigns)
                // No body runs the job for the last complete day; a body must be a valid StoreJobInput.
                let body = try await request.bytes(limit: limit)
                let input = body.isEmpty ? StoreJobInput() : try StrictJSON.decode(StoreJobInput.self, from: body)
                var day = StoreIntelligenceService.lastCompleteDay()
                if let text = input.day {
                    guard let chosen = BusinessDay.day(ofDate: text), chosen <= day else {
                        throw APIError(.unprocessableContent, code: "invalid_day", message: "day must be a complete past business day, YYYY-MM-DD")
                    }
                    day = chosen
                }
                return try .json(try await StoreIntelligenceService(storage: storage).run(tenantID: p.tenantID, day: day))
            },
        ]
    }

    /// The ranking the caller may see: everyone in a manager's (or HQ's) reach; a salesperson's own line, with their place in their team.
    static func ranking(_ storage: AppStorage, principal p: Principal) async throws -> [SalespersonFigures] {
        let rules = try await storage.storeRules.rules(tenantID: p.tenantID)
        let today = BusinessDay.day(ofMillis: currentMillis())
        switch p.role {
        case .admin, .manager:
            return try await storage.storeFigures.ranking(today: today, rules: rules, scope: p.scope)
        case .salesperson:
            // Their team is their city node's subtree; only their own figures are returned.
            guard let user = try await storage.users.get(id: p.userID, scope: p.scope), let nodeID = user.orgNodeID,
                let node = try await storage.org.get(id: nodeID, scope: .wholeTenant(p.tenantID))
            else { return [] }
            let teamPath =
                node.parentID.flatMap { parent in node.path.range(of: "/\(parent)/").map { String(node.path[..<$0.upperBound]) } } ?? node.path
            let team = try await storage.storeFigures.ranking(
                today: today, rules: rules,
                scope: AccessScope(tenantID: p.tenantID, reach: .orgSubtree(path: teamPath)))
            return team.filter { $0.nodeID == nodeID }
        case .distributor, .store:
            throw APIError.forbidden
        }
    }
}

extension StoreRules {
    /// The current rules with the JSON body's fields put over them (fields left out keep their values).
    static func merging(_ body: [UInt8], over current: StoreRules) throws -> StoreRules {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw APIError.badRequest("invalid_json", "send a JSON object of rules")
        }
        var merged = (try JSONSerialization.jsonObject(with: JSONEncoder().encode(current)) as? [String: Any]) ?? [:]
        let known = Set(merged.keys)
        let unknown = object.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw ValidationError(unknown.map { FieldError(field: $0, code: "unknown_field", message: "\($0) is not a store rule") })
        }
        for (key, value) in object { merged[key] = value }
        return try JSONDecoder().decode(StoreRules.self, from: JSONSerialization.data(withJSONObject: merged))
    }
}
