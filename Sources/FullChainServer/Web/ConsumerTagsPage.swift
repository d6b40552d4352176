import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// `GET /consumer-tags`: HQ's consumer tags — each rule in words, who owns it, how many carry
/// it — the form that defines one (`POST /consumer-tags`) and deletion. The profile page puts
/// manual tags on and takes them off (`POST /consumers/{id}/tags`, `…/tags/{tagID}/remove`).
enum ConsumerTagsPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let storage = services.storage
        router.get("/consumer-tags") { request, context in
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let notice: String? =
                page.query["created"] == "1" ? page.t(.tagCreated) : page.query["deleted"] == "1" ? page.t(.tagDeleted) : nil
            return try await render(page, services: services, errors: [], notice: notice)
        }

        router.post("/consumer-tags") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 4_096)))
            do {
                _ = try await services.consumers.createTag(
                    input(fields), owner: page.principal.username, tenantID: page.principal.tenantID, now: currentMillis())
                return HTML.redirect("/consumer-tags?created=1")
            } catch let error as ValidationError {
                var response = try await render(page, services: services, errors: error.errors, notice: nil)
                response.status = .unprocessableContent
                return response
            } catch let error as AppError where error.code == "tag_exists" {
                var response = try await render(
                    page, services: services, errors: [FieldError(field: "name", code: "tag_exists", message: error.message)], notice: nil)
                response.status = .conflict
                return response
            }
        }

        router.post("/consumer-tags/:id/delete") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            try await storage.tags.delete(id: try context.id(), tenantID: page.principal.tenantID)
            return HTML.redirect("/consumer-tags?deleted=1")
        }

        router.post("/consumers/:id/tags") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 1_024)))
            let id = try context.id()
            guard let tagID = fields.int("tagID") else { throw APIError.badRequest("validation_failed", "tagID is a tag's number") }
            do {
                _ = try await storage.tags.tag(id, with: tagID, by: page.principal.username, at: currentMillis(), tenantID: page.principal.tenantID)
            } catch let refusal as TagRefusal {
                throw ConsumerTagsAPI.error(refusal)
            }
            return HTML.redirect("/consumers/\(id)?done=1")
        }

        router.post("/consumers/:id/tags/:tagID/remove") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let id = try context.id()
            do {
                _ = try await storage.tags.untag(id, tagID: try context.id("tagID"), tenantID: page.principal.tenantID)
            } catch let refusal as TagRefusal {
                throw ConsumerTagsAPI.error(refusal)
            }
            return HTML.redirect("/consumers/\(id)?done=1")
        }
    }

    /// The form's fields as the API's input: no rule for a manual tag; a product, store and region
    /// only for a scan rule; an empty field is no value.
    static func input(_ fields: FormFields) -> TagInput {
        let kind = fields["kind"] ?? "manual"
        guard kind != "manual" else { return TagInput(name: fields["name"], description: fields["description"], rule: nil) }
        let scans = kind == TagRuleKind.scans.rawValue
        let counts = kind == TagRuleKind.scans.rawValue || kind == TagRuleKind.rewards.rawValue || kind == TagRuleKind.pointsSpent.rawValue
        // A number the form could not read is sent as 0, so the rule reports it as out of range.
        func number(_ name: String) -> Int64? { fields[name].map { Int64($0) ?? 0 } }
        let rule = TagInput.Rule(
            kind: kind, atLeast: counts ? number("atLeast") : nil, days: kind == TagRuleKind.pointsSpent.rawValue ? nil : number("days"),
            productID: scans ? number("productID") : nil, storeID: scans ? number("storeID") : nil, regionCode: scans ? fields["region"] : nil)
        return TagInput(name: fields["name"], description: fields["description"], rule: rule)
    }

    static func label(_ kind: TagRuleKind, t: L10n) -> String {
        switch kind {
        case .scans: t(.tagKindScans)
        case .idle: t(.tagKindIdle)
        case .newcomer: t(.tagKindNewcomer)
        case .rewards: t(.tagKindRewards)
        case .pointsSpent: t(.tagKindPointsSpent)
        }
    }

    /// A rule in words: "近 30 天扫码至少 3 次（产品：茉莉花茶）".
    static func describe(_ rule: TagRule?, t: L10n, products: [Int64: String], stores: [Int64: String], regions: RegionCatalog) -> String {
        guard let rule else { return t(.tagManual) }
        let n = Format.number(Int(clamping: rule.atLeast)), days = Format.number(Int(clamping: rule.days ?? 0))
        var text: String =
            switch rule.kind {
            case .scans: rule.days == nil ? t(.ruleScansAll, ["n": n]) : t(.ruleScansIn, ["n": n, "days": days])
            case .rewards: rule.days == nil ? t(.ruleRewardsAll, ["n": n]) : t(.ruleRewardsIn, ["n": n, "days": days])
            case .idle: t(.ruleIdle, ["days": days])
            case .newcomer: t(.ruleNewcomer, ["days": days])
            case .pointsSpent: t(.rulePointsSpent, ["n": n])
            }
        var places: [String] = []
        if let product = rule.productID { places.append(t(.ruleOfProduct, ["name": products[product] ?? "#\(product)"])) }
        if let store = rule.storeID { places.append(t(.ruleAtStore, ["name": stores[store] ?? "#\(store)"])) }
        if let region = rule.regionCode { places.append(t(.ruleInRegion, ["name": Format.regionName(region, in: regions)])) }
        if !places.isEmpty { text += t.language == .zh ? "（" + places.joined(separator: "，") + "）" : " (" + places.joined(separator: ", ") + ")" }
        return text
    }

    /// The names of the brand's products, and of the stores the tags name.
    static func names(
        tags: [ConsumerTag], services: AppServices, scope: AccessScope
    ) async throws -> (products: [Int64: String], stores: [Int64: String]) {
        let products = try await services.storage.products.list(ListQuery(limit: 500, offset: 0), category: nil, tenantID: scope.tenantID)
        var stores: [Int64: String] = [:]
        for id in Set(tags.compactMap { $0.rule?.storeID }) {
            if let store = try await services.storage.stores.get(id: id, scope: scope) { stores[id] = store.store.name }
        }
        return (Dictionary(products.items.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }), stores)
    }

    /// A field error in the page's language: the field's label and what is wrong with it.
    static func describe(_ error: FieldError, t: L10n) -> String {
        let field: String =
            switch error.field {
            case "name": t(.tagName)
            case "description": t(.tagDescription)
            case "rule.kind": t(.tagRule)
            case "rule.atLeast": t(.tagAtLeast)
            case "rule.days": t(.tagDays)
            case "rule.productID": t(.product)
            case "rule.storeID": t(.tagStoreNumber)
            case "rule.regionCode": t(.region)
            default: t(.tagRule)
            }
        let reason: String =
            switch error.code {
            case "required": t(.errRequired)
            case "too_long": t(.errTooLong)
            case "out_of_range": t(.errOutOfRange)
            case "tag_exists": t(.tagExists)
            default: t(.errInvalid)
            }
        return field + (t.language == .zh ? "：" : ": ") + reason
    }

    static func render(_ page: WebPage, services: AppServices, errors: [FieldError], notice: String?) async throws -> Response {
        let t = page.t
        let scope = page.principal.scope
        let tags = try await services.storage.tags.list(tenantID: scope.tenantID)
        let (products, stores) = try await names(tags: tags, services: services, scope: scope)
        let regions = services.regions
        return Layout.render(page, title: t(.navConsumerTags), section: .consumers) { out in
            Layout.pageHeader(&out, title: t(.navConsumerTags), lead: t(.tagsLead))
            if let notice {
                out += #"<p class="alert ok" id="notice">"#
                out.appendEscaped(notice)
                out += "</p>"
            }
            Layout.fieldErrors(&out, errors) { describe($0, t: t) }
            out += #"<section class="card flush spaced"><div class="table-wrap"><table id="tags"><thead><tr><th>"#
            out.appendJoined([t(.tagName), t(.tagRule), t(.tagOwner)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out += t(.tagMembers)
            out += "</th><th></th></tr></thead><tbody>"
            if tags.isEmpty { Layout.emptyRow(&out, columns: 5, text: t(.noTags)) }
            for tag in tags {
                out += #"<tr data-tag="\#(tag.id)"><td><a href="/consumers?tagId=\#(tag.id)">"#
                out.appendEscaped(tag.name)
                out += "</a>"
                if !tag.description.isEmpty {
                    out += #"<div class="muted">"#
                    out.appendEscaped(tag.description)
                    out += "</div>"
                }
                out += "</td><td>"
                out.appendEscaped(describe(tag.rule, t: t, products: products, stores: stores, regions: regions))
                if !tag.current {
                    out += #" <span class="badge off">"#
                    out += t(.tagComputing)
                    out += "</span>"
                }
                out += "</td><td>"
                out.appendEscaped(tag.owner)
                out += #"</td><td class="num" data-members="\#(tag.members)">"#
                out += Format.number(Int(clamping: tag.members))
                out +=
                    #"</td><td><form method="post" action="/consumer-tags/\#(tag.id)/delete" class="inline"><button type="submit" class="secondary small">"#
                out += t(.tagDelete)
                out += "</button></form></td></tr>"
            }
            out += "</tbody></table></div></section>"

            out += #"<section class="card spaced"><h2>"#
            out += t(.tagCreate)
            out += #"</h2><p class="muted">"#
            out += t(.tagHowTo)
            out += #"</p><form method="post" action="/consumer-tags" class="filters" id="new-tag"><label>"#
            out += t(.tagName)
            out += #"<input type="text" name="name" maxlength="40" required></label><label>"#
            out += t(.tagDescription)
            out += #"<input type="text" name="description" maxlength="200"></label><label>"#
            out += t(.tagRule)
            out += #"<select name="kind">"#
            Layout.option(&out, value: "manual", label: t(.tagKindManual), selected: nil)
            for kind in TagRuleKind.allCases { Layout.option(&out, value: kind.rawValue, label: label(kind, t: t), selected: nil) }
            out += "</select></label><label>"
            out += t(.tagAtLeast)
            out += #"<input type="number" name="atLeast" min="1" max="\#(TagRule.maxPoints)" value="1"></label><label>"#
            out += t(.tagDays)
            out += #"<input type="number" name="days" min="1" max="\#(TagRule.maxDays)"></label><label>"#
            out += t(.product)
            out += #"<select name="productID">"#
            Layout.option(&out, value: "", label: t(.tagAnyProduct), selected: nil)
            for (id, name) in products.sorted(by: { $0.key < $1.key }) { Layout.option(&out, value: String(id), label: name, selected: nil) }
            out += "</select></label><label>"
            out += t(.tagStoreNumber)
            out += #"<input type="number" name="storeID" min="1"></label><label>"#
            out += t(.region)
            out += #"<select name="region">"#
            Layout.option(&out, value: "", label: t(.tagAnyRegion), selected: nil)
            for province in regions.children(of: nil).sorted(by: { $0.code < $1.code }) {
                Layout.option(&out, value: province.code, label: province.name, selected: nil)
            }
            out += #"</select></label><button type="submit">"#
            out += t(.tagCreate)
            out += "</button></form></section>"
        }
    }
}
