import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// `GET /segments`: the brand's segments, each rule in words with its live count; HQ's editor,
/// row by row, whose count follows every change (`POST /segments/count`, from the editor's
/// script) and which saves (`POST /segments`). `GET /segments/{id}`: a segment's members,
/// paged, with their export.
enum SegmentsPage {
    /// The editor's count, and its words in the page's language.
    struct LiveCount: Codable, Sendable {
        var count: Int
        var text: String
    }

    static let rows = 6
    static let perPage = 50

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let storage = services.storage
        router.get("/segments") { request, context in
            let page = try WebPage(request, context)
            _ = try SegmentsAPI.scope(page.principal)
            let notice: String? =
                page.query["created"] == "1" ? page.t(.segmentCreated) : page.query["deleted"] == "1" ? page.t(.segmentDeleted) : nil
            return try await render(page, services: services, errors: [], notice: notice, fields: FormFields(""))
        }

        router.post("/segments") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 8_192)))
            do {
                let segment = try await services.segments.create(
                    SegmentInput(name: fields["name"], description: fields["description"], rule: rule(fields)), owner: page.principal.username,
                    tenantID: page.principal.tenantID, now: currentMillis())
                return HTML.redirect("/segments/\(segment.id)?created=1")
            } catch let error as ValidationError {
                var response = try await render(page, services: services, errors: error.errors, notice: nil, fields: fields)
                response.status = .unprocessableContent
                return response
            } catch let error as AppError where error.code == "segment_exists" {
                var response = try await render(
                    page, services: services, errors: [FieldError(field: "name", code: "segment_exists", message: error.message)], notice: nil,
                    fields: fields)
                response.status = .conflict
                return response
            }
        }

        // The editor's live count: the form as it stands, counted within the caller's reach.
        router.post("/segments/count") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            let scope = try SegmentsAPI.scope(page.principal)
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 8_192)))
            let rule = try await services.segments.checked(rule(fields), tenantID: scope.tenantID)
            let count = try await services.segments.members(of: rule, scope: scope, now: currentMillis()).count
            return try Response.json(LiveCount(count: count, text: page.t(.liveCount, ["n": Format.number(count)])))
        }

        router.get("/segments/:id") { request, context in
            let page = try WebPage(request, context)
            let scope = try SegmentsAPI.scope(page.principal)
            guard let segment = try await storage.segments.get(id: try context.id(), tenantID: scope.tenantID) else { throw APIError.notFound }
            let number = max(1, min(Int(page.query["page"] ?? "") ?? 1, ConsumerProfiles.countCap / perPage))
            let members = try await services.segments.members(
                of: try SegmentsAPI.rule(segment), scope: scope, offset: (number - 1) * perPage, limit: perPage, now: currentMillis())
            let rows = try await storage.profiles.summaries(ids: members.ids, scope: scope)
            let words = try await describe(segment.rule, t: page.t, services: services, scope: scope)
            let t = page.t
            return Layout.render(page, title: segment.name, section: .consumers, capacity: 40_000) { out in
                Layout.pageHeader(&out, title: segment.name, lead: segment.description.isEmpty ? t(.navSegments) : segment.description)
                if page.query["created"] == "1" {
                    out += #"<p class="alert ok" id="notice">"#
                    out += t(.segmentCreated)
                    out += "</p>"
                }
                out += #"<section class="card spaced"><p id="rule">"#
                out.appendEscaped(words)
                out += #"</p><p><strong id="count" data-count="\#(members.count)">"#
                out += t(.liveCount, ["n": Format.number(members.count)])
                out += #"</strong></p><p class="links">"#
                out += t(.segmentExport)
                out += #": <a href="/api/v1/segments/\#(segment.id)/members?format=csv">CSV</a> · "#
                out += #"<a href="/api/v1/segments/\#(segment.id)/members?format=xlsx">Excel</a></p>"#
                if Permission.manageCampaigns.isGranted(to: page.principal.role) {
                    out +=
                        #"<form method="post" action="/segments/\#(segment.id)/delete" class="inline"><button type="submit" class="secondary small">"#
                    out += t(.tagDelete)
                    out += "</button></form>"
                }
                out += #"</section><section class="card flush spaced"><h2>"#
                out += t(.segmentMembers)
                out += "</h2>"
                ConsumersPage.table(&out, rows, id: "members", t: t, regions: services.regions)
                Layout.pager(
                    &out, t: t, path: "/segments/\(segment.id)", query: QueryString(), page: number, perPage: perPage,
                    total: min(members.count, ConsumerProfiles.countCap))
                out += "</section>"
            }
        }

        router.post("/segments/:id/delete") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            try await storage.segments.delete(id: try context.id(), tenantID: page.principal.tenantID)
            return HTML.redirect("/segments?deleted=1")
        }
    }

    /// The editor's rows as a rule: a row without a kind is not used; a row reads only the fields
    /// its kind uses; a number the form could not read is sent as 0, so the rule reports it.
    static func rule(_ fields: FormFields) -> SegmentRuleInput {
        func number(_ name: String) -> Int64? { fields[name].map { Int64($0) ?? 0 } }
        var conditions: [SegmentRuleInput.Condition] = []
        for row in 0..<rows {
            guard let kind = fields["kind\(row)"] else { continue }
            var c = SegmentRuleInput.Condition(kind: kind, negate: fields["negate\(row)"] == "1")
            switch SegmentConditionKind(rawValue: kind) {
            case .tag: c.tagID = number("tag\(row)")
            case .stage: c.stage = fields["stage\(row)"]
            case .region: c.regionCode = fields["region\(row)"]
            case .store: c.storeID = number("store\(row)")
            case .scanned:
                c.productID = number("product\(row)")
                c.atLeast = number("atLeast\(row)")
                c.days = number("days\(row)")
            case .redeemed: c.days = number("days\(row)")
            default: break
            }
            conditions.append(c)
        }
        return SegmentRuleInput(match: fields["match"] ?? "all", conditions: conditions)
    }

    /// A rule in words: "带标签「常客」，且成交门店在北京市，且非：近 30 天核销过商城优惠券".
    static func describe(_ input: SegmentRuleInput, t: L10n, services: AppServices, scope: AccessScope) async throws -> String {
        let rule: SegmentRule
        do { rule = try input.validated() } catch { return "—" }
        let tags = Dictionary(
            try await services.storage.tags.list(tenantID: scope.tenantID).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let products = try await services.storage.products.list(ListQuery(limit: 500, offset: 0), category: nil, tenantID: scope.tenantID)
        let productNames = Dictionary(products.items.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var stores: [Int64: String] = [:]
        for case .store(let id) in Set(rule.conditions) {
            let whole = AccessScope(tenantID: scope.tenantID, reach: .wholeTenant)
            if let store = try await services.storage.stores.get(id: id, scope: whole) { stores[id] = store.store.name }
        }
        func words(_ rule: SegmentRule) -> String {
            rule.terms.map { term in
                let text: String =
                    switch term.condition {
                    case .tag(let id): t(.wordsTag, ["name": tags[id] ?? "#\(id)"])
                    case .stage(let stage): t(.wordsStage, ["name": ConsumersPage.label(stage, t: t)])
                    case .region(let code): t(.wordsRegion, ["name": Format.regionName(code, in: services.regions)])
                    case .store(let id): t(.wordsStore, ["name": stores[id] ?? "#\(id)"])
                    case .verified: t(.wordsVerified)
                    case .scanned(let product, let atLeast, let days):
                        t(.ruleScansIn, ["n": Format.number(Int(atLeast)), "days": Format.number(Int(days))])
                            + (product.map { p in
                                let name = t(.ruleOfProduct, ["name": productNames[p] ?? "#\(p)"])
                                return t.language == .zh ? "（" + name + "）" : " (" + name + ")"
                            } ?? "")
                    case .redeemed(let days): t(.wordsRedeemed, ["days": Format.number(Int(days))])
                    case .group(let inner): t.language == .zh ? "（" + words(inner) + "）" : "(" + words(inner) + ")"
                    }
                return term.negate ? t(.wordsNot) + text : text
            }.joined(separator: rule.match == .all ? t(.wordsAnd) : t(.wordsOr))
        }
        return words(rule)
    }

    /// A field error in the page's language: which condition, which field, what is wrong.
    static func describe(_ error: FieldError, t: L10n) -> String {
        let colon = t.language == .zh ? "：" : ": "
        switch error.code {
        case "unbounded": return t(.segmentUnbounded)
        case "too_deep": return t(.segmentTooDeep)
        case "invalid_reference": return t(.segmentBadReference)
        case "segment_exists": return t(.segmentExists)
        default: break
        }
        var field: String =
            switch error.field.split(separator: ".").last.map(String.init) ?? "" {
            case "name": t(.segmentName)
            case "description": t(.tagDescription)
            case "atLeast": t(.tagAtLeast)
            case "days": t(.tagDays)
            case "storeID": t(.condStore)
            case "regionCode": t(.region)
            case "stage": t(.condStage)
            case "tagID": t(.condTag)
            case "productID": t(.product)
            default: t(.segmentRule)
            }
        if let open = error.field.firstIndex(of: "["), let close = error.field.firstIndex(of: "]"), open < close,
            let index = Int(error.field[error.field.index(after: open)..<close])
        {
            field = t(.segmentCondition, ["n": String(index + 1)]) + colon + field
        }
        let reason: String =
            switch error.code {
            case "required": t(.errRequired)
            case "too_long": t(.errTooLong)
            case "out_of_range": t(.errOutOfRange)
            default: t(.errInvalid)
            }
        return field + colon + reason
    }

    static func render(_ page: WebPage, services: AppServices, errors: [FieldError], notice: String?, fields: FormFields) async throws -> Response {
        let t = page.t
        let scope = try SegmentsAPI.scope(page.principal)
        let segments = try await services.storage.segments.list(tenantID: scope.tenantID)
        var listed: [(segment: Segment, words: String, count: Int)] = []
        for segment in segments {
            listed.append(
                (
                    segment, try await describe(segment.rule, t: t, services: services, scope: scope),
                    try await SegmentsAPI.count(segment, services: services, scope: scope)
                ))
        }
        let canEdit = Permission.manageCampaigns.isGranted(to: page.principal.role)
        let tags = try await services.storage.tags.list(tenantID: scope.tenantID)
        let products = try await services.storage.products.list(ListQuery(limit: 500, offset: 0), category: nil, tenantID: scope.tenantID).items
        let provinces = services.regions.children(of: nil).sorted { $0.code < $1.code }
        return Layout.render(page, title: t(.navSegments), section: .consumers, capacity: 48_000) { out in
            Layout.pageHeader(&out, title: t(.navSegments), lead: t(.segmentsLead))
            if let notice {
                out += #"<p class="alert ok" id="notice">"#
                out.appendEscaped(notice)
                out += "</p>"
            }
            Layout.fieldErrors(&out, errors) { describe($0, t: t) }
            out += #"<section class="card flush spaced"><div class="table-wrap"><table id="segments"><thead><tr><th>"#
            out.appendJoined([t(.segmentName), t(.segmentRule), t(.tagOwner)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out += t(.segmentCount)
            out += "</th></tr></thead><tbody>"
            if listed.isEmpty { Layout.emptyRow(&out, columns: 4, text: t(.noSegments)) }
            for (segment, words, count) in listed {
                out += #"<tr data-segment="\#(segment.id)"><td><a href="/segments/\#(segment.id)">"#
                out.appendEscaped(segment.name)
                out += "</a>"
                if !segment.description.isEmpty {
                    out += #"<div class="muted">"#
                    out.appendEscaped(segment.description)
                    out += "</div>"
                }
                out += "</td><td>"
                out.appendEscaped(words)
                out += "</td><td>"
                out.appendEscaped(segment.owner)
                out += #"</td><td class="num" data-count="\#(count)">"#
                out += Format.number(count)
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
            guard canEdit else { return }

            out += #"<section class="card spaced"><h2>"#
            out += t(.segmentCreate)
            out += #"</h2><p class="muted">"#
            out += t(.segmentHowTo)
            out += #"</p><form method="post" action="/segments" id="segment-editor"><div class="filters"><label>"#
            out += t(.segmentName)
            out += #"<input type="text" name="name" maxlength="40" required value=""#
            out.appendEscaped(fields["name"] ?? "")
            out += #""></label><label>"#
            out += t(.tagDescription)
            out += #"<input type="text" name="description" maxlength="200" value=""#
            out.appendEscaped(fields["description"] ?? "")
            out += #""></label><label>"#
            out += t(.segmentRule)
            out += #"<select name="match">"#
            Layout.option(&out, value: "all", label: t(.segmentMatchAll), selected: fields["match"])
            Layout.option(&out, value: "any", label: t(.segmentMatchAny), selected: fields["match"])
            out += "</select></label></div>"
            for row in 0..<rows {
                out += #"<div class="filters condition" data-row="\#(row)"><label>"#
                out += t(.segmentCondition, ["n": String(row + 1)])
                out += #"<select name="negate\#(row)">"#
                Layout.option(&out, value: "0", label: t(.segmentInclude), selected: fields["negate\(row)"])
                Layout.option(&out, value: "1", label: t(.segmentExclude), selected: fields["negate\(row)"])
                out += #"</select></label><label>&nbsp;<select name="kind\#(row)">"#
                Layout.option(&out, value: "", label: t(.condNone), selected: fields["kind\(row)"])
                let kinds: [(SegmentConditionKind, L10n.Key)] = [
                    (.tag, .condTag), (.stage, .condStage), (.region, .condRegion), (.store, .condStore), (.verified, .condVerified),
                    (.scanned, .condScanned), (.redeemed, .condRedeemed),
                ]
                for (kind, key) in kinds { Layout.option(&out, value: kind.rawValue, label: t(key), selected: fields["kind\(row)"]) }
                out += "</select></label><label>"
                out += t(.condTag)
                out += #"<select name="tag\#(row)">"#
                Layout.option(&out, value: "", label: "—", selected: fields["tag\(row)"])
                for tag in tags { Layout.option(&out, value: String(tag.id), label: tag.name, selected: fields["tag\(row)"]) }
                out += "</select></label><label>"
                out += t(.condStage)
                out += #"<select name="stage\#(row)">"#
                for stage in ConsumerStage.allCases {
                    Layout.option(&out, value: stage.rawValue, label: ConsumersPage.label(stage, t: t), selected: fields["stage\(row)"])
                }
                out += "</select></label><label>"
                out += t(.region)
                out += #"<select name="region\#(row)">"#
                Layout.option(&out, value: "", label: "—", selected: fields["region\(row)"])
                for province in provinces { Layout.option(&out, value: province.code, label: province.name, selected: fields["region\(row)"]) }
                out += "</select></label><label>"
                out += t(.tagStoreNumber)
                out += #"<input type="number" name="store\#(row)" min="1" value=""#
                out.appendEscaped(fields["store\(row)"] ?? "")
                out += #""></label><label>"#
                out += t(.product)
                out += #"<select name="product\#(row)">"#
                Layout.option(&out, value: "", label: t(.tagAnyProduct), selected: fields["product\(row)"])
                for product in products { Layout.option(&out, value: String(product.id), label: product.name, selected: fields["product\(row)"]) }
                out += "</select></label><label>"
                out += t(.tagAtLeast)
                out += #"<input type="number" name="atLeast\#(row)" min="1" max="\#(SegmentRule.maxCount)" value=""#
                out.appendEscaped(fields["atLeast\(row)"] ?? "1")
                out += #""></label><label>"#
                out += t(.tagDays)
                out += #"<input type="number" name="days\#(row)" min="1" max="\#(SegmentRule.maxDays)" value=""#
                out.appendEscaped(fields["days\(row)"] ?? "")
                out += #""></label></div>"#
            }
            out += #"<div class="filters"><output id="live-count" class="badge" data-incomplete=""#
            out += t(.liveCountIncomplete)
            out += #"" aria-live="polite"></output><button type="submit">"#
            out += t(.segmentCreate)
            out += "</button></div></form>"
            out += WebAssets.segmentEditor.scriptTag
            out += "</section>"
        }
    }
}
