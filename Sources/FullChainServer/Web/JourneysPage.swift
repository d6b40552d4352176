import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// `GET /journeys`: the brand's journeys with their figures. HQ's editor (`/journeys/new`,
/// `/journeys/{id}/edit`) builds one step per row without JSON; `GET /journeys/{id}` is its
/// report (the journey's group against its holdout, each step's outcomes) with start, pause and end.
enum JourneysPage {
    /// Rows of the editor: the steps a journey may have on this page.
    static let rows = 8
    /// Rows shown for a journey: eight, or one per step when it has more.
    static func rows(for steps: [JourneyStep]) -> Int { min(JourneyInput.maxSteps, max(rows, steps.count)) }

    static let statusKeys: [JourneyStatus: L10n.Key] = [
        .draft: .journeyDraft, .running: .journeyRunning, .paused: .journeyPaused, .ended: .journeyEnded,
    ]
    static let stepKeys: [JourneyStepKind: L10n.Key] = [
        .wait: .stepWait, .branch: .stepBranch, .points: .stepPoints, .message: .stepMessage, .exit: .stepExit,
        .coupon: .stepCoupon, .task: .stepTask, .notify: .stepNotify,
    ]
    static let outcomeKeys: [JourneyOutcome: L10n.Key] = [
        .done: .outcomeDone, .sending: .outcomeSending, .unknown: .outcomeUnknown, .noConsent: .outcomeNoConsent, .capped: .outcomeCapped,
        .budgetSpent: .outcomeBudgetSpent, .failed: .outcomeFailed, .outOfStock: .outcomeNoneLeft, .noStore: .outcomeNoStore,
    ]

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let storage = services.storage
        router.get("/journeys") { request, context in
            let page = try WebPage(request, context)
            let p = try JourneysAPI.headquarters(page.principal)
            let journeys = try await storage.journeys.list(tenantID: p.tenantID)
            var reports: [Int64: JourneyReport] = [:]
            for journey in journeys.prefix(100) {
                reports[journey.id] = try await storage.journeys.report(
                    journeyID: journey.id, goalDays: journey.definition.goalDays, tenantID: p.tenantID)
            }
            return list(page, journeys: journeys, reports: reports)
        }
        router.get("/journeys/new") { request, context in
            let page = try WebPage(request, context)
            _ = try JourneysAPI.headquarters(page.principal)
            return try await editor(page, services: services, id: nil, input: nil, errors: [])
        }
        router.post("/journeys") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let p = try JourneysAPI.headquarters(page.principal)
            let input = Self.input(FormFields(String(buffer: try await request.body.collect(upTo: 16_384))))
            return try await saving(page, services: services, id: nil, input: input) {
                try await services.journeys.create(input, owner: p.username, tenantID: p.tenantID, now: currentMillis())
            }
        }
        router.get("/journeys/:id") { request, context in
            let page = try WebPage(request, context)
            let p = try JourneysAPI.headquarters(page.principal)
            let (journey, report, left) = try await services.journeys.report(id: try context.id(), tenantID: p.tenantID)
            return try await detail(page, services: services, journey: journey, report: report, budgetLeft: left)
        }
        router.get("/journeys/:id/edit") { request, context in
            let page = try WebPage(request, context)
            let p = try JourneysAPI.headquarters(page.principal)
            guard let journey = try await storage.journeys.get(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
            return try await editor(page, services: services, id: journey.id, input: journey.definition.input, errors: [])
        }
        router.post("/journeys/:id") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let p = try JourneysAPI.headquarters(page.principal)
            let id = try context.id()
            let input = Self.input(FormFields(String(buffer: try await request.body.collect(upTo: 16_384))))
            return try await saving(page, services: services, id: id, input: input) {
                try await services.journeys.update(id: id, input, tenantID: p.tenantID)
            }
        }
        router.post("/journeys/:id/status") { request, context in
            try SameOrigin.require(request)
            let page = try WebPage(request, context)
            guard Permission.manageCampaigns.isGranted(to: page.principal.role) else { throw APIError.forbidden }
            let p = try JourneysAPI.headquarters(page.principal)
            let id = try context.id()
            let fields = FormFields(String(buffer: try await request.body.collect(upTo: 1_024)))
            guard let status = fields["status"].flatMap(JourneyStatus.init(rawValue:)), status != .draft else {
                throw APIError(.badRequest, code: "invalid_status", message: "status is running, paused or ended")
            }
            _ = try await services.journeys.setStatus(id: id, status, tenantID: p.tenantID, now: currentMillis())
            return HTML.redirect("/journeys/\(id)")
        }
    }

    /// Saves, then shows the journey; the editor again with what was wrong.
    static func saving(
        _ page: WebPage, services: AppServices, id: Int64?, input: JourneyInput, save: () async throws -> Journey
    ) async throws -> Response {
        do {
            let journey = try await save()
            return HTML.redirect("/journeys/\(journey.id)" + (id == nil ? "?created=1" : ""))
        } catch let error as ValidationError {
            var response = try await editor(page, services: services, id: id, input: input, errors: error.errors)
            response.status = .unprocessableContent
            return response
        } catch let error as AppError where error.kind == .conflict {
            var response = try await editor(
                page, services: services, id: id, input: input, errors: [FieldError(field: "name", code: error.code, message: error.message)])
            response.status = .conflict
            return response
        }
    }

    /// The journey the form describes: used rows become steps in order; "the next step" is the
    /// next used row, a row number names that row's step.
    static func input(_ fields: FormFields) -> JourneyInput {
        func int(_ name: String) -> Int? { fields[name].flatMap { Int($0.trimmingWhitespace()) } }
        func int64(_ name: String) -> Int64? { fields[name].flatMap { Int64($0.trimmingWhitespace()) } }
        let used = (1...JourneyInput.maxSteps).filter { !(fields["kind\($0)"] ?? "").isEmpty }
        let index = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($0.element, $0.offset) })
        func target(_ value: String?, after row: Int) -> Int? {
            switch value ?? "auto" {
            case "auto": return used.first { $0 > row }.flatMap { index[$0] }
            case "end": return nil
            case let text:
                // A row left unused is no step: the journey is refused for pointing nowhere.
                guard let number = Int(text), (1...JourneyInput.maxSteps).contains(number) else { return JourneyInput.maxSteps }
                return index[number] ?? JourneyInput.maxSteps
            }
        }
        let steps = used.map { row -> JourneyStep in
            let kind = JourneyStepKind(rawValue: fields["kind\(row)"] ?? "") ?? .exit
            return JourneyStep(
                kind: kind, hours: int("hours\(row)"), condition: fields["condition\(row)"].flatMap(JourneyConditionKind.init(rawValue:)),
                tagID: int64("tag\(row)"), segmentID: int64("segment\(row)"), points: int64("points\(row)"),
                text: kind == .message ? fields["text\(row)"] : fields["note\(row)"],
                channel: fields["channel\(row)"].flatMap(JourneyChannel.init(rawValue:)),
                itemID: int64("item\(row)"),
                next: target(fields["next\(row)"], after: row), otherwise: target(fields["otherwise\(row)"], after: row))
        }
        let kind = JourneyTriggerKind(rawValue: fields["triggerKind"] ?? "") ?? .stage
        let trigger = JourneyTrigger(
            kind: kind, stage: fields["triggerStage"].flatMap(LifecycleStage.init(rawValue:)), days: int("triggerDays"),
            segmentID: int64("triggerSegment"), storeID: int64("triggerStore"), date: fields["triggerDate"])
        return JourneyInput(
            name: fields["name"], description: fields["description"], trigger: trigger, steps: steps, holdoutPercent: int("holdoutPercent"),
            weeklyMessageCap: int("weeklyMessageCap"), quietFrom: int("quietFrom"), quietTo: int("quietTo"), goalDays: int("goalDays"),
            budgetPoints: int64("budgetPoints"))
    }

    static func describe(_ error: FieldError, t: L10n) -> String {
        switch error.code {
        case "cycle": t(.journeyCycle)
        case "invalid_text": t(.journeyNoLinks)
        case "invalid_reference": t(.segmentBadReference)
        case "journey_exists": t(.journeyExists)
        case "journey_not_editable", "journey_steps_in_use": t(.journeyNotEditable)
        case "out_of_range": error.field + "：" + t(.errOutOfRange)
        case "required": error.field + "：" + t(.errRequired)
        case "too_long": error.field + "：" + t(.errTooLong)
        default: t(.errInvalid)
        }
    }

    static func label(_ status: JourneyStatus, t: L10n) -> String { statusKeys[status].map { t($0) } ?? status.rawValue }

    static func percent(_ share: Double) -> String { Format.decimal(share * 100, places: 1) + "%" }

    static func list(_ page: WebPage, journeys: [Journey], reports: [Int64: JourneyReport]) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.navJourneys), section: .consumers, capacity: 24_000) { out in
            var actions = HTMLWriter()
            if Permission.manageCampaigns.isGranted(to: page.principal.role) {
                actions += #"<a class="button" href="/journeys/new" id="new-journey">"#
                actions += t(.journeyNew)
                actions += "</a>"
            }
            Layout.pageHeader(&out, title: t(.navJourneys), lead: t(.journeysLead), actions: actions.markup)
            out += #"<section class="card flush"><div class="table-wrap"><table id="journeys"><thead><tr><th>"#
            out.appendJoined([t(.journeyName), t(.journeyStatus)], separator: "</th><th>")
            out += #"</th><th class="num">"#
            out.appendJoined(
                [t(.journeyEntered), t(.journeyHeldOut), t(.journeyConversion), t(.journeyHoldoutConversion), t(.journeyUplift)],
                separator: #"</th><th class="num">"#)
            out += "</th></tr></thead><tbody>"
            if journeys.isEmpty { Layout.emptyRow(&out, columns: 7, text: t(.noJourneys)) }
            for journey in journeys {
                let report = reports[journey.id]
                out += #"<tr data-journey="\#(journey.id)"><td><a href="/journeys/\#(journey.id)">"#
                out.appendEscaped(journey.definition.name)
                out += "</a></td><td>"
                out += label(journey.status, t: t)
                out += #"</td><td class="num">"#
                out += Format.number(Int(report?.entered ?? 0))
                out += #"</td><td class="num">"#
                out += Format.number(Int(report?.heldOut ?? 0))
                out += #"</td><td class="num">"#
                out += report.map { percent($0.conversion) } ?? "—"
                out += #"</td><td class="num">"#
                out += report.map { percent($0.heldOutConversion) } ?? "—"
                out += #"</td><td class="num">"#
                out += report?.uplift.map { (($0 >= 0 ? "+" : "") + Format.decimal($0 * 100, places: 1)) } ?? "—"
                out += "</td></tr>"
            }
            out += "</tbody></table></div></section>"
        }
    }

    static func detail(_ page: WebPage, services: AppServices, journey: Journey, report: JourneyReport, budgetLeft: Int64) async throws -> Response {
        let t = page.t
        let definition = journey.definition
        let canEdit = Permission.manageCampaigns.isGranted(to: page.principal.role)
        let words = try await triggerWords(definition.trigger, t: t, services: services, tenantID: page.principal.tenantID)
        return Layout.render(page, title: definition.name, section: .consumers, capacity: 24_000) { out in
            var actions = HTMLWriter()
            if canEdit {
                for (status, key) in [(JourneyStatus.running, L10n.Key.journeyStart), (.paused, .journeyPause), (.ended, .journeyEnd)]
                where journey.status != .ended && journey.status != status && !(status == .paused && journey.status != .running) {
                    actions +=
                        #"<form method="post" action="/journeys/\#(journey.id)/status" class="inline"><input type="hidden" name="status" value="\#(status.rawValue)"><button type="submit" class="\#(status == .running ? "" : "secondary")" id="journey-\#(status.rawValue)">"#
                    actions += t(key)
                    actions += "</button></form> "
                }
                if journey.status == .draft || journey.status == .paused {
                    actions += #"<a class="button secondary" href="/journeys/\#(journey.id)/edit" id="edit-journey">"#
                    actions += t(.journeyEdit)
                    actions += "</a>"
                }
            }
            Layout.pageHeader(
                &out, title: definition.name, lead: definition.description.isEmpty ? nil : definition.description, actions: actions.markup)
            if page.query["created"] == "1" {
                out += #"<p class="alert ok" id="notice">"#
                out += t(.journeyCreated)
                out += "</p>"
            }
            out += #"<section class="card spaced"><dl class="facts" id="journey-facts"><dt>"#
            out += t(.journeyStatus)
            out += #"</dt><dd id="journey-status" data-status="\#(journey.status.rawValue)">"#
            out += label(journey.status, t: t)
            out += "</dd><dt>"
            out += t(.journeyTrigger)
            out += "</dt><dd>"
            out.appendEscaped(words)
            let figures: [(String, L10n.Key, String)] = [
                ("entered", .journeyEntered, Format.number(Int(report.entered))), ("held-out", .journeyHeldOut, Format.number(Int(report.heldOut))),
                ("active", .journeyActive, Format.number(Int(report.active))), ("conversion", .journeyConversion, percent(report.conversion)),
                ("holdout-conversion", .journeyHoldoutConversion, percent(report.heldOutConversion)),
                ("uplift", .journeyUplift, report.uplift.map { ($0 >= 0 ? "+" : "") + Format.decimal($0 * 100, places: 1) } ?? "—"),
                ("budget-left", .journeyBudgetLeft, Format.number(Int(budgetLeft))),
            ]
            for (id, key, value) in figures {
                out += "</dd><dt>"
                out += t(key)
                out += #"</dt><dd id="journey-\#(id)">"#
                out += value
            }
            out += "</dd></dl></section>"

            out += #"<section class="card flush spaced"><h2>"#
            out += t(.journeyOutcomes)
            out += #"</h2><div class="table-wrap"><table id="journey-steps"><thead><tr><th>"#
            out.appendJoined([t(.journeySteps), t(.stepCondition)], separator: "</th><th>")
            for outcome in JourneyOutcome.allCases {
                out += #"</th><th class="num">"#
                out += outcomeKeys[outcome].map { t($0) } ?? outcome.rawValue
            }
            out += "</th></tr></thead><tbody>"
            for (index, step) in definition.steps.enumerated() {
                out += #"<tr data-step="\#(index)"><td>"#
                out += t(.stepN, ["n": String(index + 1)]) + " · " + (stepKeys[step.kind].map { t($0) } ?? step.kind.rawValue)
                out += "</td><td>"
                stepWords(&out, step, t: t)
                for outcome in JourneyOutcome.allCases {
                    out += #"<td class="num">"#
                    out += report.steps[index]?[outcome].map { Format.number(Int($0)) } ?? ""
                    out += "</td>"
                }
                out += "</tr>"
            }
            out += "</tbody></table></div></section>"
        }
    }

    /// A step's settings in words.
    static func stepWords(_ out: inout HTMLWriter, _ step: JourneyStep, t: L10n) {
        switch step.kind {
        case .wait: out += String(step.hours ?? 0) + " " + t(.stepHours)
        case .points: out += String(step.points ?? 0) + " " + t(.journeyPoints)
        case .message:
            out += t(step.channel == .wechat ? .channelWeChat : .channelSMS) + "："
            out.appendEscaped(step.text ?? "")
        case .task, .notify: out.appendEscaped(step.text ?? "")
        case .coupon: out += t(.stepItem) + " #" + String(step.itemID ?? 0)
        case .branch:
            switch step.condition {
            case .tag?: out += t(.condTag) + " #" + String(step.tagID ?? 0)
            case .segment?: out += t(.condSegmentMember) + " #" + String(step.segmentID ?? 0)
            case .scannedSinceEntry?: out += t(.condScannedSinceEntry)
            case nil: break
            }
        case .exit: break
        }
        if step.kind != .exit {
            out += " → " + (step.next.map { t(.stepN, ["n": String($0 + 1)]) } ?? t(.stepEndJourney))
        }
        if step.kind == .branch {
            out += " / " + t(.stepOtherwise) + " " + (step.otherwise.map { t(.stepN, ["n": String($0 + 1)]) } ?? t(.stepEndJourney))
        }
    }

    static func triggerWords(_ trigger: JourneyTrigger, t: L10n, services: AppServices, tenantID: Int64) async throws -> String {
        switch trigger.kind {
        case .stage: return t(.triggerStage) + "：" + (trigger.stage.map { LifecyclePage.label($0, t: t) } ?? "")
        case .inactive: return t(.triggerInactive) + "：" + String(trigger.days ?? 0)
        case .segment:
            let name = try await trigger.segmentID.asyncFlatMap { try await services.storage.segments.get(id: $0, tenantID: tenantID) }?.name
            return t(.triggerSegment) + "：" + (name ?? "—")
        case .storeVisit:
            let whole = AccessScope(tenantID: tenantID, reach: .wholeTenant)
            let name = try await trigger.storeID.asyncFlatMap { try await services.storage.stores.get(id: $0, scope: whole)?.store }?.name
            return t(.triggerStoreVisit) + "：" + (name ?? "—")
        case .date:
            let name = try await trigger.segmentID.asyncFlatMap { try await services.storage.segments.get(id: $0, tenantID: tenantID) }?.name
            return t(.triggerDate) + "：" + (trigger.date ?? "") + (name.map { "，" + t(.triggerSegment) + "：" + $0 } ?? "")
        }
    }

    static func editor(_ page: WebPage, services: AppServices, id: Int64?, input: JourneyInput?, errors: [FieldError]) async throws -> Response {
        let t = page.t
        let tenantID = page.principal.tenantID
        let tags = try await services.storage.tags.list(tenantID: tenantID)
        let segments = try await services.storage.segments.list(tenantID: tenantID)
        let items = try await services.storage.mall.items(limit: 500, tenantID: tenantID).filter { $0.draft.kind != .cash }
        let stores = try await services.storage.stores.list(
            ListQuery(limit: 1_000), filter: StoreFilter(), scope: AccessScope(tenantID: tenantID, reach: .wholeTenant)
        ).items.map(\.store)
        let input = input ?? JourneyInput(name: nil, trigger: JourneyTrigger(kind: .stage, stage: .acquired), steps: [])
        let steps = input.steps ?? []
        let title = id == nil ? t(.journeyNew) : t(.journeyEdit)
        return Layout.render(page, title: title, section: .consumers, capacity: 48_000) { out in
            Layout.pageHeader(&out, title: title, lead: t(.journeyHowTo))
            Layout.fieldErrors(&out, errors) { describe($0, t: t) }
            out +=
                #"<form method="post" action="\#(id.map { "/journeys/\($0)" } ?? "/journeys")" class="card spaced" id="journey-editor"><div class="filters"><label>"#
            out += t(.journeyName)
            out += #"<input type="text" name="name" maxlength="60" required value=""#
            out.appendEscaped(input.name ?? "")
            out += #""></label><label>"#
            out += t(.tagDescription)
            out += #"<input type="text" name="description" maxlength="300" value=""#
            out.appendEscaped(input.description ?? "")
            out += #""></label></div><h2>"#
            out += t(.journeyTrigger)
            out += #"</h2><div class="filters"><label>"#
            out += t(.journeyTrigger)
            out += #"<select name="triggerKind">"#
            let trigger = input.trigger ?? JourneyTrigger(kind: .stage)
            for (kind, key) in [
                (JourneyTriggerKind.stage, L10n.Key.triggerStage), (.inactive, .triggerInactive), (.segment, .triggerSegment),
                (.storeVisit, .triggerStoreVisit), (.date, .triggerDate),
            ] {
                Layout.option(&out, value: kind.rawValue, label: t(key), selected: trigger.kind.rawValue)
            }
            out += #"</select></label><label data-for="stage">"#
            out += t(.lifecycleStage)
            out += #"<select name="triggerStage">"#
            for stage in LifecycleStage.allCases {
                Layout.option(&out, value: stage.rawValue, label: LifecyclePage.label(stage, t: t), selected: (trigger.stage ?? .acquired).rawValue)
            }
            out += #"</select></label><label data-for="inactive">"#
            out += t(.triggerDays)
            out +=
                #"<input type="number" name="triggerDays" min="1" max="365" value="\#(trigger.days.map(String.init) ?? "30")"></label><label data-for="store_visit">"#
            out += t(.navStores)
            out += #"<select name="triggerStore">"#
            for store in stores { Layout.option(&out, value: String(store.id), label: store.name, selected: trigger.storeID.map(String.init)) }
            out += #"</select></label><label data-for="date">"#
            out += t(.triggerDay)
            out += #"<input type="date" name="triggerDate" value=""#
            out.appendEscaped(trigger.date ?? "")
            out += #""></label><label data-for="segment date">"#
            out += t(.triggerSegment)
            out += #"<select name="triggerSegment"><option value=""></option>"#
            for segment in segments {
                Layout.option(&out, value: String(segment.id), label: segment.name, selected: trigger.segmentID.map(String.init))
            }
            out += "</select></label></div><h2>"
            out += t(.journeySteps)
            out += "</h2>"
            let count = rows(for: steps)
            for row in 1...count {
                stepRow(
                    &out, row: row, of: count, step: steps.indices.contains(row - 1) ? steps[row - 1] : nil, tags: tags, segments: segments,
                    items: items,
                    t: t)
            }
            out += "<h2>"
            out += t(.journeyRules)
            out += #"</h2><div class="filters">"#
            let numbers: [(String, L10n.Key, ClosedRange<Int64>, Int64?)] = [
                ("holdoutPercent", .journeyHoldout, 0...50, input.holdoutPercent.map(Int64.init) ?? 10),
                ("weeklyMessageCap", .journeyWeeklyCap, 1...14, input.weeklyMessageCap.map(Int64.init) ?? 2),
                ("quietFrom", .journeyQuietFrom, 0...23, input.quietFrom.map(Int64.init) ?? 22),
                ("quietTo", .journeyQuietTo, 0...23, input.quietTo.map(Int64.init) ?? 8),
                ("goalDays", .journeyGoalDays, 1...90, input.goalDays.map(Int64.init) ?? 14),
                ("budgetPoints", .journeyBudget, JourneyInput.budgetRange, input.budgetPoints ?? 0),
            ]
            for (name, key, range, value) in numbers {
                out += "<label>"
                out += t(key)
                out +=
                    #"<input type="number" name="\#(name)" min="\#(range.lowerBound)" max="\#(range.upperBound)" value="\#(value.map(String.init) ?? "")"></label>"#
            }
            out += #"</div><div class="filter-actions"><button type="submit" id="save-journey">"#
            out += id == nil ? t(.journeySave) : t(.journeySaveChanges)
            out += "</button></div></form>"
            out += WebAssets.journeyEditor.scriptTag
        }
    }

    static func stepRow(
        _ out: inout HTMLWriter, row: Int, of count: Int, step: JourneyStep?, tags: [ConsumerTag], segments: [Segment], items: [MallItem], t: L10n
    ) {
        out += #"<fieldset class="filters step" data-row="\#(row)"><legend>"#
        out += t(.stepN, ["n": String(row)])
        out += #"</legend><label><select name="kind\#(row)">"#
        Layout.option(&out, value: "", label: t(.stepUnused), selected: step?.kind.rawValue ?? "")
        for kind in JourneyStepKind.allCases {
            Layout.option(&out, value: kind.rawValue, label: stepKeys[kind].map { t($0) } ?? kind.rawValue, selected: step?.kind.rawValue)
        }
        out += #"</select></label><label data-for="wait">"#
        out += t(.stepHours)
        out +=
            #"<input type="number" name="hours\#(row)" min="1" max="2160" value="\#(step?.hours.map(String.init) ?? "24")"></label><label data-for="branch">"#
        out += t(.stepCondition)
        out += #"<select name="condition\#(row)">"#
        for (condition, key) in [
            (JourneyConditionKind.scannedSinceEntry, L10n.Key.condScannedSinceEntry), (.tag, .condTag), (.segment, .condSegmentMember),
        ] {
            Layout.option(&out, value: condition.rawValue, label: t(key), selected: step?.condition?.rawValue)
        }
        out += #"</select></label><label data-for="branch">"#
        out += t(.condTag)
        out += #"<select name="tag\#(row)"><option value=""></option>"#
        for tag in tags { Layout.option(&out, value: String(tag.id), label: tag.name, selected: step?.tagID.map(String.init)) }
        out += #"</select></label><label data-for="branch">"#
        out += t(.condSegmentMember)
        out += #"<select name="segment\#(row)"><option value=""></option>"#
        for segment in segments { Layout.option(&out, value: String(segment.id), label: segment.name, selected: step?.segmentID.map(String.init)) }
        out += #"</select></label><label data-for="points">"#
        out += t(.journeyPoints)
        out +=
            #"<input type="number" name="points\#(row)" min="1" max="10000" value="\#(step?.points.map(String.init) ?? "")"></label><label data-for="message">"#
        out += t(.stepChannel)
        out += #"<select name="channel\#(row)">"#
        for (channel, key) in [(JourneyChannel.sms, L10n.Key.channelSMS), (.wechat, .channelWeChat)] {
            Layout.option(&out, value: channel.rawValue, label: t(key), selected: step?.channel?.rawValue)
        }
        out += #"</select></label><label data-for="message">"#
        out += t(.stepText)
        out += #"<input type="text" name="text\#(row)" maxlength="\#(JourneyInput.maxTextLength)" value=""#
        if step?.kind == .message { out.appendEscaped(step?.text ?? "") }
        out += #""></label><label data-for="task notify">"#
        out += t(.stepNote)
        out += #"<input type="text" name="note\#(row)" maxlength="\#(JourneyInput.maxNoteLength)" value=""#
        if step?.kind == .task || step?.kind == .notify { out.appendEscaped(step?.text ?? "") }
        out += #""></label><label data-for="coupon">"#
        out += t(.stepItem)
        out += #"<select name="item\#(row)"><option value=""></option>"#
        for item in items { Layout.option(&out, value: String(item.id), label: item.draft.name, selected: step?.itemID.map(String.init)) }
        out += "</select></label>"
        for (name, key) in [("next", L10n.Key.stepThen), ("otherwise", .stepOtherwise)] {
            let chosen: String
            if let step {
                let target = name == "next" ? step.next : step.otherwise
                chosen = target.map { String($0 + 1) } ?? "end"
            } else {
                chosen = "auto"
            }
            out += #"<label data-for="\#(name == "next" ? "wait branch points message coupon task notify" : "branch")">"#
            out += t(key)
            out += #"<select name="\#(name)\#(row)">"#
            Layout.option(&out, value: "auto", label: t(.stepNextRow), selected: chosen)
            Layout.option(&out, value: "end", label: t(.stepEndJourney), selected: chosen)
            for other in 1...count where other != row {
                Layout.option(&out, value: String(other), label: t(.stepN, ["n": String(other)]), selected: chosen)
            }
            out += "</select></label>"
        }
        out += "</fieldset>"
    }
}
