import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// `GET /consumers`: the brand's consumers within the caller's reach (found by phone or openid,
/// filtered by store, region and stage, paged, exported from the API), and `GET /consumers/{id}`:
/// one person's profile — identities, scans by product, stores, rewards, points, coupons,
/// consents, merges and timeline. HQ merges profiles and undoes merges there.
enum ConsumersPage {
    static let perPage = 50

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let regions = services.regions
        let provinces = regions.children(of: nil).sorted { $0.code < $1.code }

        router.get("/consumers") { request, context in
            let page = try WebPage(request, context)
            let number = min(page.pageNumber, ConsumerProfiles.countCap / perPage + 1)
            let search = page.query["q"].flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }
            var filter = ConsumerFilter()
            filter.identity = search.map { services.consumers.searchPseudonyms($0, tenantID: page.principal.tenantID).first ?? "none" }
            filter.regionCode = page.query["region"].flatMap { Region.level(ofCode: $0) != nil ? $0 : nil }
            filter.stage = page.query["stage"].flatMap(ConsumerStage.init(rawValue:))
            filter.storeID = page.query.int("storeId")
            filter.tagID = page.query.int("tagId")
            let tags = try await services.storage.tags.list(tenantID: page.principal.tenantID)
            let result = try await ConsumerProfilesAPI.page(
                ListQuery(limit: perPage, offset: (number - 1) * perPage), filter: filter, q: search, services: services, scope: page.principal.scope)
            let query = QueryString([
                ("q", search), ("region", filter.regionCode), ("stage", filter.stage?.rawValue), ("storeId", filter.storeID.map(String.init)),
                ("tagId", filter.tagID.map(String.init)),
            ])
            return renderList(
                page, result: result, filter: filter, search: search, query: query, number: number, regions: regions, provinces: provinces,
                tags: tags)
        }

        router.get("/consumers/:id") { request, context in
            let page = try WebPage(request, context)
            guard let detail = try await services.storage.profiles.get(id: try context.id(), scope: page.principal.scope) else {
                throw APIError.notFound
            }
            let manualTags = try await services.storage.tags.list(tenantID: page.principal.tenantID).filter { $0.rule == nil }
            let moves = try await services.storage.lifecycle.transitions(of: detail.summary.id, tenantID: page.principal.tenantID)
            return renderProfile(
                page, detail: detail, regions: regions, manualTags: manualTags, moves: moves,
                notice: page.query["done"] == "1" ? page.t(.mergeDone) : nil)
        }

        // HQ: merge this profile into another, and undo a merge (forms on the profile page).
        router.post("/consumers/:id/merge") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 1_024)))
            let id = try context.id()
            guard let into = fields.int("into") else { throw APIError.badRequest("validation_failed", "into is a profile number") }
            do {
                _ = try await services.storage.profiles.merge(
                    id, into: into, evidence: .manual, at: currentMillis(), tenantID: page.principal.tenantID)
            } catch let refusal as MergeRefusal {
                throw ConsumerProfilesAPI.error(refusal)
            }
            return HTML.redirect("/consumers/\(into)?done=1")
        }

        router.post("/consumer-merges/:id/undo") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            do {
                let merge = try await services.storage.profiles.unmerge(try context.id(), at: currentMillis(), tenantID: page.principal.tenantID)
                return HTML.redirect("/consumers/\(merge.keptID)?done=1")
            } catch let refusal as MergeRefusal {
                throw ConsumerProfilesAPI.error(refusal)
            }
        }
    }

    /// Consumers as a table: label and whether signed in, stage, scans, first and last scan, store, region.
    static func table(_ out: inout HTMLWriter, _ items: [ConsumerSummary], id: String, t: L10n, regions: RegionCatalog) {
        out += #"<div class="table-wrap"><table id=""#
        out += id
        out += #""><thead><tr><th>"#
        out.appendJoined([t(.consumer), t(.consumerStage)], separator: "</th><th>")
        out += #"</th><th class="num">"#
        out += t(.consumerScans)
        out += "</th><th>"
        out.appendJoined([t(.firstScan), t(.lastScan), t(.boughtAt), t(.region)], separator: "</th><th>")
        out += "</th></tr></thead><tbody>"
        if items.isEmpty { Layout.emptyRow(&out, columns: 7, text: t(.noResults)) }
        for consumer in items {
            out += #"<tr data-consumer="\#(consumer.id)"><td><a href="/consumers/\#(consumer.id)">"#
            out.appendEscaped(consumer.label)
            out += "</a> "
            out += consumer.verified ? #"<span class="badge ok">"# : #"<span class="badge off">"#
            out += consumer.verified ? t(.verifiedConsumer) : t(.unverifiedConsumer)
            out += "</span></td><td>"
            out += label(consumer.stage, t: t)
            out += #"</td><td class="num">"#
            out += Format.number(Int(clamping: consumer.scans))
            out += "</td><td>"
            out += consumer.firstScanAt.map { t.dateTime($0) } ?? "—"
            out += "</td><td>"
            out += consumer.lastScanAt.map { t.dateTime($0) } ?? "—"
            out += "</td><td>"
            if let store = consumer.storeID {
                out += #"<a href="/stores/\#(store)">"#
                out.appendEscaped(consumer.storeName ?? "#\(store)")
                out += "</a>"
            } else {
                out += "—"
            }
            out += "</td><td>"
            out.appendEscaped(consumer.regionCode.map { Format.regionName($0, in: regions) } ?? "—")
            out += "</td></tr>"
        }
        out += "</tbody></table></div>"
    }

    static func label(_ stage: ConsumerStage, t: L10n) -> String {
        switch stage {
        case .new: t(.stageNew)
        case .active: t(.stageActive)
        case .loyal: t(.stageLoyal)
        case .dormant: t(.stageDormant)
        case .lost: t(.stageLost)
        }
    }

    static func label(_ kind: IdentityKind, t: L10n) -> String {
        switch kind {
        case .openid: t(.identityOpenid)
        case .unionid: t(.identityUnionid)
        case .phone: t(.identityPhone)
        case .scanner: t(.identityScanner)
        case .device: t(.identityDevice)
        }
    }

    static func label(_ evidence: MergeEvidence, t: L10n) -> String {
        switch evidence {
        case .sameUnionid: t(.evidenceSameUnionid)
        case .samePhone: t(.evidenceSamePhone)
        case .phoneThenWeChat: t(.evidencePhoneThenWeChat)
        case .manual: t(.evidenceManual)
        }
    }

    static func renderList(
        _ page: WebPage, result: Page<ConsumerSummary>, filter: ConsumerFilter, search: String?, query: QueryString, number: Int,
        regions: RegionCatalog, provinces: [Region], tags: [ConsumerTag]
    ) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.navConsumers), section: .consumers, capacity: 40_000) { out in
            let cap = ConsumerProfiles.countCap(for: ListQuery(limit: result.limit, offset: result.offset))
            let lead = result.total > cap ? t(.moreThan, ["count": Format.number(cap)]) : t.total(result.total)
            var actions = HTMLWriter()
            if page.principal.role != .store {
                actions += #"<a class="button secondary" href="/segments" id="segments-link">"#
                actions += t(.navSegments)
                actions += "</a> "
                actions += #"<a class="button secondary" href="/lifecycle" id="lifecycle-link">"#
                actions += t(.navLifecycle)
                actions += "</a> "
                actions += #"<a class="button secondary" href="/kocs" id="kocs-link">"#
                actions += t(.navKOCs)
                actions += "</a> "
            }
            if page.principal.role == .admin {
                actions += #"<a class="button secondary" href="/journeys" id="journeys-link">"#
                actions += t(.navJourneys)
                actions += "</a> "
            }
            if Permission.manageCampaigns.isGranted(to: page.principal.role) {
                actions += #"<a class="button secondary" href="/consumer-tags" id="tags-link">"#
                actions += t(.navConsumerTags)
                actions += "</a>"
            }
            Layout.pageHeader(&out, title: t(.navConsumers), lead: t(.consumersLead) + " " + lead, actions: actions.markup)
            out += #"<section class="card flush"><form class="filters" method="get" action="/consumers">"#
            Layout.searchField(&out, label: t(.search), placeholder: t(.consumerSearchPlaceholder), value: search)
            out += "<label>"
            out += t(.region)
            out += #"<select name="region">"#
            Layout.option(&out, value: "", label: t(.allProvinces), selected: filter.regionCode)
            for province in provinces { Layout.option(&out, value: province.code, label: province.name, selected: filter.regionCode) }
            out += "</select></label><label>"
            out += t(.consumerStage)
            out += #"<select name="stage">"#
            Layout.option(&out, value: "", label: t(.allStages), selected: filter.stage?.rawValue)
            for stage in ConsumerStage.allCases {
                Layout.option(&out, value: stage.rawValue, label: label(stage, t: t), selected: filter.stage?.rawValue)
            }
            out += "</select></label><label>"
            out += t(.tagsTitle)
            out += #"<select name="tagId">"#
            Layout.option(&out, value: "", label: t(.allTags), selected: filter.tagID.map(String.init))
            for tag in tags { Layout.option(&out, value: String(tag.id), label: tag.name, selected: filter.tagID.map(String.init)) }
            out += "</select></label>"
            if let store = filter.storeID { out += #"<input type="hidden" name="storeId" value="\#(store)">"# }
            Layout.filterButtons(&out, t: t, resetPath: "/consumers")
            out += "</form>"
            table(&out, result.items, id: "consumers", t: t, regions: regions)
            Layout.pager(
                &out, t: t, path: "/consumers", query: query, page: number, perPage: perPage, total: min(result.total, cap))
            out += #"<p class="links"><a href=""#
            out += query.with("format", "csv").url("/api/v1/consumers")
            out += #"">CSV</a> · <a href=""#
            out += query.with("format", "xlsx").url("/api/v1/consumers")
            out += #"">Excel</a></p></section>"#
        }
    }

    static func renderProfile(
        _ page: WebPage, detail: ConsumerProfileDetail, regions: RegionCatalog, manualTags: [ConsumerTag], moves: [LifecycleTransition],
        notice: String?
    ) -> Response {
        let t = page.t
        let c = detail.summary
        return Layout.render(page, title: c.label, section: .consumers, capacity: 40_000) { out in
            var badges = HTMLWriter()
            badges += c.verified ? #"<span class="badge ok">"# : #"<span class="badge off">"#
            badges += c.verified ? t(.verifiedConsumer) : t(.unverifiedConsumer)
            badges += "</span> <span class=\"badge\">"
            badges += label(c.stage, t: t)
            badges += "</span>"
            Layout.pageHeader(&out, title: c.label, lead: "#\(c.id)", actions: badges.markup)
            if let notice {
                out += #"<p class="alert ok" id="notice">"#
                out.appendEscaped(notice)
                out += "</p>"
            }
            if let into = detail.mergedInto {
                out += #"<p class="alert info" id="merged-into"><a href="/consumers/\#(into)">"#
                out.appendEscaped(t(.mergedIntoNotice, ["id": String(into)]))
                out += "</a></p>"
            }
            out += #"<section class="card spaced"><dl class="facts" id="figures">"#
            DistributorsPage.field(&out, t(.consumerScans)) { $0 += Format.number(Int(clamping: c.scans)) }
            DistributorsPage.field(&out, t(.firstScan)) { $0 += c.firstScanAt.map { t.dateTime($0) } ?? "—" }
            DistributorsPage.field(&out, t(.lastScan)) { $0 += c.lastScanAt.map { t.dateTime($0) } ?? "—" }
            DistributorsPage.field(&out, t(.cashWon)) { $0 += Format.yuan(fen: detail.cashWonFen) }
            DistributorsPage.field(&out, t(.pointsWonLabel)) { $0 += Format.number(Int(clamping: detail.pointsWon)) }
            DistributorsPage.field(&out, t(.pointsBalanceLabel)) { $0 += Format.number(Int(clamping: detail.pointsBalance)) }
            DistributorsPage.field(&out, t(.couponsTaken)) { $0 += Format.number(detail.coupons) }
            DistributorsPage.field(&out, t(.consentsTitle)) { out in
                for (purpose, key) in [
                    (ConsentPurpose.marketing, L10n.Key.consentMarketing), (.location, .consentLocation), (.storeSharing, .consentStoreSharing),
                ] {
                    out += #"<div data-consent=""#
                    out += purpose.rawValue
                    out += #"">"#
                    out += t(key)
                    out += "："
                    out += detail.consents[purpose].map { $0 ? t(.consentGiven) : t(.consentWithdrawn) } ?? t(.consentNone)
                    out += "</div>"
                }
            }
            out += "</dl></section>"

            tagsSection(&out, page: page, detail: detail, manualTags: manualTags)
            lifecycleSection(&out, moves: moves, t: t)

            out += #"<section class="card spaced"><h2>"#
            out += t(.identities)
            out += #"</h2><ul id="identities">"#
            for identity in detail.identities {
                out += #"<li data-kind=""#
                out += identity.kind.rawValue
                out += #"">"#
                out += label(identity.kind, t: t)
                out += #" <code>"#
                out.appendEscaped(String(identity.pseudonym.prefix(8)))
                out += "</code> · "
                out += t(.firstSeen)
                out += " "
                out += t.dateTime(identity.firstSeen)
                out += "</li>"
            }
            out += "</ul></section>"

            out += #"<section class="card spaced"><h2>"#
            out += t(.productsScanned)
            out += #"</h2><ul id="products">"#
            for product in detail.products {
                out += "<li>"
                out.appendEscaped(product.name)
                out += " · "
                out += Format.number(Int(clamping: product.scans))
                out += "</li>"
            }
            out += "</ul><h2>"
            out += t(.storesBoughtFrom)
            out += #"</h2><ul id="stores">"#
            for store in detail.stores {
                out += #"<li><a href="/stores/\#(store.storeID)">"#
                out.appendEscaped(store.name)
                out += "</a> · "
                out.appendEscaped(Format.regionName(store.regionCode, in: regions))
                out += " · "
                out += Format.number(Int(clamping: store.scans))
                out += "</li>"
            }
            out += "</ul></section>"

            if !detail.merges.isEmpty {
                out += #"<section class="card spaced"><h2>"#
                out += t(.mergesTitle)
                out += #"</h2><ul id="merges">"#
                for merge in detail.merges {
                    out += #"<li data-merge="\#(merge.id)" data-undone="\#(merge.undoneAt == nil ? "no" : "yes")">"#
                    out += t.dateTime(merge.at)
                    out += " · "
                    out += label(merge.evidence, t: t)
                    out +=
                        #" · <a href="/consumers/\#(merge.mergedID)">#\#(merge.mergedID)</a> → <a href="/consumers/\#(merge.keptID)">#\#(merge.keptID)</a>"#
                    if merge.undoneAt != nil {
                        out += " · "
                        out += t(.mergeUndone)
                    } else if Permission.manageCampaigns.isGranted(to: page.principal.role) {
                        out +=
                            #" <form method="post" action="/consumer-merges/\#(merge.id)/undo" class="inline"><button type="submit" class="secondary small">"#
                        out += t(.undoMerge)
                        out += "</button></form>"
                    }
                    out += "</li>"
                }
                out += "</ul></section>"
            }
            if detail.mergedInto == nil && Permission.manageCampaigns.isGranted(to: page.principal.role) {
                out += #"<section class="card spaced"><form method="post" action="/consumers/\#(c.id)/merge" class="filters" id="merge"><label>"#
                out += t(.mergeInto)
                out += #"<input type="number" name="into" min="1" required placeholder=""#
                out += t(.mergeIntoHint)
                out += #""></label><button type="submit" class="secondary">"#
                out += t(.mergeInto)
                out += "</button></form></section>"
            }

            out += #"<section class="card spaced"><h2>"#
            out += t(.timeline)
            out += #"</h2><ul id="timeline">"#
            for event in detail.timeline {
                out += #"<li data-kind=""#
                out += event.kind.rawValue
                out += #""><span class="muted">"#
                out += t.dateTime(event.at)
                out += "</span> "
                switch event.kind {
                case .scan:
                    out += t(.eventScan)
                    out += " · "
                    out.appendEscaped(event.text)
                case .reward:
                    if event.text == LedgerAsset.fen.rawValue {
                        out += t(.eventRewardCash)
                        out += " "
                        out += Format.yuan(fen: event.amount ?? 0)
                    } else {
                        out += t(.eventRewardPoints)
                        out += " "
                        out += Format.number(Int(clamping: event.amount ?? 0))
                    }
                case .coupon, .couponRedeemed:
                    out += event.kind == .coupon ? t(.eventCoupon) : t(.eventCouponRedeemed)
                    out += " · "
                    out.appendEscaped(event.text)
                case .consent:
                    out += t(.eventConsent)
                    out += " · "
                    let key: L10n.Key =
                        switch ConsentPurpose(rawValue: event.text) {
                        case .marketing: .consentMarketing
                        case .location: .consentLocation
                        default: .consentStoreSharing
                        }
                    out += t(key)
                    out += "："
                    out += event.amount == 1 ? t(.consentGiven) : t(.consentWithdrawn)
                case .merge:
                    out += t(.eventMerge)
                    out += " · "
                    out += MergeEvidence(rawValue: event.text).map { label($0, t: t) } ?? ""
                }
                out += "</li>"
            }
            out += "</ul></section>"
        }
    }

    /// The profile's tags (by rule or by hand, since when); HQ puts manual tags on and takes them off.
    static func tagsSection(_ out: inout HTMLWriter, page: WebPage, detail: ConsumerProfileDetail, manualTags: [ConsumerTag]) {
        let t = page.t
        let hq = Permission.manageCampaigns.isGranted(to: page.principal.role) && detail.mergedInto == nil
        out += #"<section class="card spaced"><h2>"#
        out += t(.tagsTitle)
        out += #"</h2><ul id="tags">"#
        if detail.tags.isEmpty {
            out += #"<li class="muted">"#
            out += t(.noTags)
            out += "</li>"
        }
        for tag in detail.tags {
            out += #"<li data-tag="\#(tag.tagID)" data-manual="\#(tag.manual ? "yes" : "no")"><span class="badge">"#
            out.appendEscaped(tag.name)
            out += #"</span> <span class="muted">"#
            out += tag.manual ? t(.tagManual) + (tag.by.map { " · " + $0 } ?? "") : t(.tagByRule)
            out += " · "
            out += t.dateTime(tag.since)
            out += "</span>"
            if hq && tag.manual {
                out +=
                    #" <form method="post" action="/consumers/\#(detail.summary.id)/tags/\#(tag.tagID)/remove" class="inline"><button type="submit" class="secondary small">"#
                out += t(.removeTag)
                out += "</button></form>"
            }
            out += "</li>"
        }
        out += "</ul>"
        let carried = Set(detail.tags.map(\.tagID))
        let offered = manualTags.filter { !carried.contains($0.id) }
        if hq && !offered.isEmpty {
            out += #"<form method="post" action="/consumers/\#(detail.summary.id)/tags" class="filters" id="add-tag"><label>"#
            out += t(.addTag)
            out += #"<select name="tagID">"#
            for tag in offered { Layout.option(&out, value: String(tag.id), label: tag.name, selected: nil) }
            out += #"</select></label><button type="submit" class="secondary">"#
            out += t(.addTag)
            out += "</button></form>"
        }
        out += "</section>"
    }

    /// The consumer's moves along the AARRR path, oldest first.
    static func lifecycleSection(_ out: inout HTMLWriter, moves: [LifecycleTransition], t: L10n) {
        out += #"<section class="card spaced"><h2>"#
        out += t(.lifecycleMoves)
        out += #"</h2><ul id="lifecycle">"#
        if moves.isEmpty {
            out += #"<li class="muted">"#
            out += t(.noLifecycleMoves)
            out += "</li>"
        }
        for move in moves {
            out += #"<li data-stage="\#(move.to.rawValue)"><span class="muted">"#
            out += t.dateTime(move.at)
            out += "</span> "
            out += LifecyclePage.label(move.to, t: t)
            out += #" <span class="muted">"#
            out += LifecyclePage.label(move.cause, t: t)
            out += "</span></li>"
        }
        out += "</ul></section>"
    }

}
