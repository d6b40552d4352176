public import FullChainCore
import FullChainStorage

/// The demo brand's code story: batches printed and activated, cases shipped to distributors,
/// delivered to their stores and received there (some stores never scan receipts; a broken
/// carton's units re-packed), then 30 days of consumer scans through the real scan path —
/// with a few cases diverted to other provinces, some counterfeit attempts and a reward-farming gang.
public enum DemoScans {
    /// What was made, for the log.
    public struct Summary: Sendable {
        public var batches = 0
        public var casesShipped = 0
        public var casesDelivered = 0
        public var casesReceived = 0
        public var unitsRepacked = 0
        public var scans = 0
        public var forgedAttempts = 0
        public var vouchersRedeemed = 0
        /// Consumers who set their consents on 我的, and who withdrew one.
        public var consentsSet = 0
        public var consentsWithdrawn = 0
        /// The consumer who deleted the account, and their red packets that were cancelled.
        public var erasedConsumers = 0
        public var cancelledPayouts = 0
        /// Coupons taken with points in the mall, and those redeemed at stores.
        public var couponsTaken = 0
        public var couponsRedeemed = 0
        /// Consumers' profiles, and merges of two profiles into one person (some undone).
        public var profiles = 0
        public var merges = 0
        public var mergesUndone = 0
        /// The brand's consumer tags, and consumers carrying one of them.
        public var tags = 0
        public var taggedConsumers = 0
        /// HQ's segments, and the consumers in each (in the order made).
        public var segments: [Int] = []
        /// Consumers who reached each lifecycle stage, over the whole demo.
        public var lifecycle: [LifecycleStage: Int64] = [:]
        /// Referrals counted, and held for review (the farming gang's).
        public var referralsCounted = 0
        public var referralsHeld = 0
        /// Consumers who entered the demo's journeys when it started.
        public var journeyEntrants = 0
        /// Consumers welcomed by the welcome journey who came back for another bottle.
        public var welcomeReturns = 0
        /// The scan campaign the consumers' scans drew in.
        public var campaignID: Int64?
    }

    /// Loads the story for the tenant; `now` is the last day's end (milliseconds).
    public static func load(tenantID: Int64, core: AppCore, seed: UInt64, now: Int64) async throws -> Summary {
        let storage = core.storage
        let scope = AccessScope.wholeTenant(tenantID)
        var random = SeededRandom(seed: seed ^ 0x5CA7_5CA7)
        var summary = Summary()
        let signer = try await core.codeKeys.currentSigner(tenantID: tenantID)
        // The demo's consumers signed in with WeChat on the brand's pages.
        @Sendable func signedIn(_ subject: String) -> ConsumerSession {
            ConsumerSession(tenantID: tenantID, subject: subject, appID: DemoConsumers.appID, unionid: nil, expiresAt: now + 86_400_000)
        }
        let products = try await storage.products.list(ListQuery(limit: 4), category: nil, tenantID: tenantID).items
        let distributors = try await storage.distributors.list(ListQuery(limit: 24), status: .active, scope: scope).items.filter {
            !$0.territory.isEmpty
        }
        guard !products.isEmpty, distributors.count >= 2 else { return summary }
        let day: Int64 = 86_400_000
        let start = now - 30 * day

        // Stores (with positions) of each distributor.
        var storesOf: [Int64: [Store]] = [:]
        for distributor in distributors {
            let page = try await storage.stores.list(
                ListQuery(limit: 12), filter: StoreFilter(distributorID: distributor.id, status: .active), scope: scope)
            storesOf[distributor.id] = page.items.map(\.store).filter { $0.location != nil }
        }
        let supplied = distributors.filter { !(storesOf[$0.id] ?? []).isEmpty }
        guard supplied.count >= 2 else { return summary }

        var scans: [(code: String, at: Int64, point: GeoPoint, device: String)] = []
        // A reward-farming gang (羊毛党): caps bought up in bulk, scanned on two phones by eight accounts behind one address.
        var gang: [(code: String, at: Int64, point: GeoPoint, device: String, consumer: String)] = []
        // Units delivered and received that nobody scanned in the month's story, with a spot near their store.
        var onShelf: [(code: String, point: GeoPoint)] = []
        var shelfRandom = SeededRandom(seed: seed &+ 7)
        for product in products {
            let unitsPerCase = Int(max(1, min(product.unitsPerCase, 24)))
            let caseCount = supplied.count * 4 + 6
            let batch = try await storage.codes.createBatch(
                productID: product.id, lot: "DEMO-\(product.sku)", quantity: caseCount * unitsPerCase,
                unitsPerCase: unitsPerCase, keyID: signer.keyID, tenantID: tenantID)
            summary.batches += 1
            // The line activates all but the last four cases; two of those are voided (misprints).
            _ = try await storage.codes.recordRangeAction(.activate, cases: 0...(caseCount - 5), batchID: batch.id, tenantID: tenantID)
            _ = try await storage.codes.recordRangeAction(.void, cases: (caseCount - 2)...(caseCount - 1), batchID: batch.id, tenantID: tenantID)
            // Case 0's carton broke in the brand's warehouse: two of its units went into case 1.
            let repacks = (0..<min(2, unitsPerCase - 1)).map {
                UnitRepack(batchID: batch.id, serial: $0, fromCase: 0, toCase: 1, repackedAt: start - day)
            }
            try await storage.logistics.repack(repacks, tenantID: tenantID)
            summary.unitsRepacked += repacks.count
            // Four cases per distributor; it delivers them to its stores, which receive them.
            for (index, distributor) in supplied.enumerated() {
                let cases = (0..<4).map { CaseRef(batchID: batch.id, caseNumber: index * 4 + $0) }
                try await storage.logistics.ship(cases, distributorID: distributor.id, tenantID: tenantID)
                summary.casesShipped += cases.count
                let stores = storesOf[distributor.id] ?? []
                // The first distributor's last case goes to another distributor's store in another place: 窜货.
                let divertedTo = index == 0 ? supplied.last.flatMap { storesOf[$0.id]?.first } : nil
                for (offset, ref) in cases.enumerated() {
                    // The second distributor keeps its last case in the warehouse: it surfaces far away (below).
                    if index == 1 && offset == 3 { continue }
                    let diverted = offset == 3 ? divertedTo : nil
                    let store = diverted ?? stores[offset % stores.count]
                    let at = start + Int64(offset) * 3_600_000
                    // The distributor delivers its own stores' cases; the third store of each never scans its receipt.
                    if diverted == nil {
                        try await storage.logistics.transfer(
                            [
                                CaseTransfer(
                                    batchID: ref.batchID, caseNumber: ref.caseNumber, distributorID: distributor.id,
                                    storeID: store.id, transferredAt: at - 1_800_000)
                            ], tenantID: tenantID)
                        summary.casesDelivered += 1
                    }
                    if offset != 2 || diverted != nil {
                        // The diverted case's receipt was recorded by a salesperson, not the store: its rewards wait for HQ's review.
                        let flag: ReceiptFlag = store.distributorID == distributor.id ? .ok : .otherDistributor
                        let receipt = CaseReceipt(
                            batchID: ref.batchID, caseNumber: ref.caseNumber, storeID: store.id, distributorID: distributor.id,
                            flag: flag, receivedAt: at, review: .initial(flag: flag, byStoreStaff: false))
                        try await storage.logistics.receive([receipt], tenantID: tenantID)
                        try await DiversionAlerts.raise(
                            [(ref, distributor.id)], verb: "received", store: store, storage: storage, regions: core.regions,
                            tenantID: tenantID, at: at)
                        summary.casesReceived += 1
                    }
                    // Consumers scan about two thirds of the units near the store over 30 days; one
                    // scan in three is by one of the store's three regulars, who come back for more.
                    guard let location = store.location else { continue }
                    for unit in 0..<unitsPerCase {
                        let serial = ref.caseNumber * unitsPerCase + unit
                        // The rest stay on the shelf (some are bought later, below).
                        guard random.chance(2.0 / 3) else {
                            onShelf.append((signer.text(for: batch.unitCode(serial)), jitter(location, by: 0.02, random: &shelfRandom)))
                            continue
                        }
                        let at = start + Int64(random.int(below: 29 * 86_400)) * 1_000 + day / 2
                        let point = jitter(location, by: 0.02, random: &random)
                        let device = random.chance(1.0 / 3) ? "demo-r\(store.id)-\(random.int(below: 3))" : "demo-\(random.int(below: 1_000_000))"
                        scans.append((signer.text(for: batch.unitCode(serial)), at, point, device))
                        // One in fifteen is scanned again later (a curious consumer, or a copied code).
                        if random.chance(1.0 / 15) {
                            scans.append(
                                (
                                    signer.text(for: batch.unitCode(serial)), min(now - 60_000, at + 3 * day), point,
                                    "demo-\(random.int(below: 1_000_000))"
                                ))
                        }
                    }
                }
            }
            // Diverted by consumers: the second distributor's warehouse case, scanned far outside its territory on five phones.
            if let far = supplied.last.flatMap({ storesOf[$0.id]?.first?.location }) {
                let ref = CaseRef(batchID: batch.id, caseNumber: 7)
                for unit in 0..<min(5, unitsPerCase) {
                    let serial = ref.caseNumber * unitsPerCase + unit
                    scans.append(
                        (
                            signer.text(for: batch.unitCode(serial)), now - Int64(unit + 1) * day, jitter(far, by: 0.03, random: &random),
                            "roaming-\(unit)"
                        ))
                }
            }
            // The gang's caps: units of the two activated cases after the shipped ones, scanned in one evening three days ago
            // (one business day whatever the hour now, so each phone's accounts are counted together).
            if let place = supplied.first.flatMap({ storesOf[$0.id]?.first?.location }) {
                let evening = BusinessDay.start(ofDay: BusinessDay.day(ofMillis: now) - 3) + 19 * 3_600_000
                for caseNumber in [supplied.count * 4, supplied.count * 4 + 1] {
                    for unit in 0..<min(12, unitsPerCase) {
                        let n = gang.count
                        gang.append(
                            (
                                signer.text(for: batch.unitCode(caseNumber * unitsPerCase + unit)), evening + Int64(n) * 4 * 60_000,
                                place, "gang-phone-\(n % 2 + 1)", "openid:o-gang-\(n % 8)"
                            ))
                    }
                }
            }
            // Units of a case the line never activated, and of a voided one: recorded and flagged, never sales.
            if let place = supplied.first.flatMap({ storesOf[$0.id]?.first?.location }) {
                for serial in [(caseCount - 4) * unitsPerCase, (caseCount - 1) * unitsPerCase] {
                    scans.append((signer.text(for: batch.unitCode(serial)), now - 5 * day, place, "demo-flagged"))
                }
            }
        }
        // A copied code: one unit scanned in two far-apart provinces.
        if let first = scans.first, let far = supplied.last.flatMap({ storesOf[$0.id]?.first?.location }) {
            scans.append((first.code, now - day, far, "copy-1"))
        }
        scans.sort { $0.at < $1.at }
        // A scan campaign over the month: red packets, a free bottle, points, and a reward for the selling store.
        let campaign = try await storage.campaigns.create(
            CampaignDraft(
                name: "开盖扫码赢红包", productIDs: products.map(\.id), regionCodes: [], startsAt: start - day, endsAt: now + 30 * day,
                tiers: [
                    PrizeTier(name: "¥8.88 红包", kind: .cash, amountFen: 888, ppm: 10_000),
                    PrizeTier(name: "¥1.88 红包", kind: .cash, amountFen: 188, ppm: 100_000),
                    PrizeTier(name: "再来一瓶", kind: .freeItem, amountFen: 350, ppm: 50_000, stock: 200),
                    PrizeTier(name: "10 积分", kind: .points, points: 10, ppm: 300_000),
                ],
                budgetFen: 500_000, storeRewardFen: 20, storeBudgetFen: 100_000, limits: CampaignLimits(perConsumerPerDay: 3, perDevicePerDay: 5)),
            budgetShards: core.campaigns.budgetShards, tenantID: tenantID)
        core.campaigns.campaignsChanged(tenantID: tenantID)
        summary.campaignID = campaign.id
        // Through the real scan path, a few at a time so the group commit batches them.
        var freeBottles: [(code: String, storeID: Int64, at: Int64)] = []
        for chunk in stride(from: 0, to: scans.count, by: 32).map({ scans[$0..<min($0 + 32, scans.count)] }) {
            try await withThrowingTaskGroup(of: (code: String, storeID: Int64, at: Int64)?.self) { group in
                for scan in chunk {
                    group.addTask {
                        // Consumers scan inside WeChat, signed in: each phone comes with its openid, so cash prizes enter the payout outbox.
                        let result = try await core.scanning.scan(
                            code: scan.code, at: scan.at, receivedAt: scan.at, location: scan.point, deviceID: scan.device,
                            ip: nil, signedIn: signedIn("openid:o-\(scan.device)"))
                        guard result.prize?.outcome == .won, result.prize?.kind == .freeItem, let store = result.store else { return nil }
                        return (scan.code, store.id, scan.at)
                    }
                }
                for try await bottle in group { if let bottle { freeBottles.append(bottle) } }
            }
        }
        // Most winners of a free bottle take the cap back to the store that sold it within a day.
        for bottle in freeBottles.sorted(by: { $0.at < $1.at }).prefix(max(0, freeBottles.count * 3 / 4)) {
            guard let code = try await core.codeKeys.verify(bottle.code, tenantID: tenantID),
                let win = try await storage.vouchers.wins(
                    batchID: Int64(code.batch), serial: Int64(code.serial), campaignIDs: [campaign.id], tenantID: tenantID
                ).first
            else { continue }
            _ = try await storage.vouchers.redeem(
                VoucherRedemption(
                    tenantID: tenantID, campaignID: campaign.id, batchID: Int64(code.batch), serial: Int64(code.serial),
                    storeID: bottle.storeID, amountFen: win.amountFen, redeemedAt: min(now - 60_000, bottle.at + 3_600_000)))
            summary.vouchersRedeemed += 1
        }
        // The gang scans last: the risk rules see many accounts on each phone and hold its red packets for review.
        for scan in gang.sorted(by: { $0.at < $1.at }) {
            _ = try await core.scanning.scan(
                code: scan.code, at: scan.at, receivedAt: scan.at, location: scan.point, deviceID: scan.device, ip: "198.51.100.23",
                signedIn: signedIn(scan.consumer))
        }
        summary.scans = scans.count + gang.count
        // The points mall: consumers with enough points take its dearest item they can afford;
        // every other coupon (the first among them) is then redeemed at one of the stores.
        let mallItems = [
            MallItemDraft(
                name: "满20减2元券", kind: .coupon, pricePoints: 20, faceValueFen: 200, stock: 500, perPersonLimit: 3, availableFrom: start - day,
                availableUntil: now + 60 * day, validDays: 30),
            MallItemDraft(
                name: "再来一瓶兑换券", kind: .voucher, pricePoints: 30, faceValueFen: 350, stock: 100, perPersonLimit: 2, availableFrom: start - day,
                availableUntil: now + 60 * day, validDays: 30),
            MallItemDraft(
                name: "品牌定制开瓶器", kind: .gift, pricePoints: 50, faceValueFen: 800, stock: 10, perPersonLimit: 1, availableFrom: start - day,
                availableUntil: now + 60 * day, validDays: 60),
        ]
        var listed: [MallItem] = []
        for draft in mallItems { listed.append(try await storage.mall.create(draft, at: start - day, tenantID: tenantID)) }
        let redeemingStores = supplied.flatMap { storesOf[$0.id] ?? [] }
        for device in Array(Set(scans.map(\.device))).sorted() {
            let session = signedIn("openid:o-\(device)")
            let points = try await core.consumers.wallet(of: session).points
            guard let item = listed.sorted(by: { $0.draft.pricePoints > $1.draft.pricePoints }).first(where: { $0.draft.pricePoints <= points }),
                case .taken(let coupon) = try await core.consumers.takeMallItem(item.id, for: session, now: now - 2 * day)
            else { continue }
            summary.couponsTaken += 1
            guard summary.couponsTaken % 2 == 1, !redeemingStores.isEmpty else { continue }
            let store = redeemingStores[summary.couponsTaken % redeemingStores.count]
            if case .redeemed = try await storage.mall.redeem(code: coupon.code, storeID: store.id, at: now - day, tenantID: tenantID) {
                summary.couponsRedeemed += 1
            }
        }
        // Profiles: every scanning consumer has one; two people scanned on two phones each, and
        // WeChat's unionid joins each pair. One of the joins was wrong and HQ undid it.
        // The whole month: its scans were loaded after the fact, and another node's rollup may have run meanwhile.
        _ = try await core.consumers.rollupProfiles(tenantID: tenantID, now: now, since: 0)
        let devices = Array(Set(scans.map(\.device))).sorted()
        if devices.count >= 4 {
            for (pair, person) in [(devices[0], devices[1]), (devices[2], devices[3])].enumerated() {
                for device in [person.0, person.1] {
                    var session = signedIn("openid:o-\(device)")
                    session.unionid = "u-demo-\(pair)"
                    try await core.consumers.attachProfile(session, now: now - day + Int64(pair) * 60_000)
                }
            }
            let merges = try await storage.database.read(
                "SELECT id FROM consumer_merges WHERE tenant_id = \(tenantID) AND undone_at IS NULL ORDER BY id")
            summary.merges = merges.count
            if let last = merges.last?.optionalInt("id") {
                _ = try await storage.profiles.unmerge(last, at: now - day + 3_600_000, tenantID: tenantID)
                summary.mergesUndone = 1
            }
        }
        // Consumers' choices on 我的: one in five agrees to marketing and to sharing with the store; one
        // in five agreed to marketing and later withdrew it and the exact location; the last deletes the account.
        let phones = Array(Set(scans.map(\.device))).sorted()
        for (index, device) in phones.dropLast().enumerated() {
            let session = signedIn("openid:o-\(device)")
            switch index % 5 {
            case 0:
                _ = try await core.consumers.setConsents([.marketing: true, .storeSharing: true], for: session, now: now - 2 * day)
                summary.consentsSet += 1
            case 1:
                _ = try await core.consumers.setConsents([.marketing: true], for: session, now: now - 3 * day)
                _ = try await core.consumers.setConsents([.marketing: false, .location: false], for: session, now: now - day)
                summary.consentsWithdrawn += 1
            default:
                break
            }
        }
        if let last = phones.last {
            let erased = try await core.consumers.erase(signedIn("openid:o-\(last)"), now: now - 60_000)
            summary.erasedConsumers = 1
            summary.cancelledPayouts = erased.cancelledPayouts
        }
        _ = try await core.consumers.rollupProfiles(tenantID: tenantID, now: now)
        // Two journeys with holdouts: newcomers welcomed (below), and idle consumers woken up (at
        // the end: those idle then enter at once and get their points; the held-out fifth gets nothing).
        let journeys = [
            JourneyInput(
                name: "新客欢迎", description: "首次扫码送 10 积分，3 天后没再扫码的提醒一次", trigger: JourneyTrigger(kind: .stage, stage: .acquired),
                steps: [
                    JourneyStep(kind: .points, points: 10, next: 1), JourneyStep(kind: .wait, hours: 72, next: 2),
                    JourneyStep(kind: .branch, condition: .scannedSinceEntry, next: nil, otherwise: 3),
                    JourneyStep(kind: .message, text: "新品上市，扫码再领积分"),
                ], holdoutPercent: 10, budgetPoints: 50_000),
            JourneyInput(
                name: "沉睡唤醒", description: "14 天未扫码的送 20 积分，7 天后仍未扫码的发短信", trigger: JourneyTrigger(kind: .inactive, days: 14),
                steps: [
                    JourneyStep(kind: .points, points: 20, next: 1), JourneyStep(kind: .wait, hours: 168, next: 2),
                    JourneyStep(kind: .branch, condition: .scannedSinceEntry, next: nil, otherwise: 3),
                    JourneyStep(kind: .message, text: "好久不见，扫码领积分"),
                ], holdoutPercent: 20, budgetPoints: 100_000),
        ]
        // The welcome journey ran through the month: each day's newcomers entered it (a tenth held
        // out) and got their points. The demo's story: one in three of those welcomed came back
        // within a week for another bottle; the holdout shows how many would have come back anyway.
        let welcome = try await core.journeys.create(journeys[0], owner: "admin", tenantID: tenantID, now: start)
        _ = try await core.journeys.setStatus(id: welcome.id, .running, tenantID: tenantID, now: start)
        for past in stride(from: start + day, to: now, by: Int64.Stride(day)) { _ = try await core.journeys.run(now: past, tenantID: tenantID) }
        var deviceOf: [String: String] = [:]
        for device in Set(scans.map(\.device)) {
            deviceOf[String(core.consumers.scanPseudonym(of: "openid:o-\(device)", tenantID: tenantID).dropFirst("consumer:".count))] = device
        }
        let welcomed = try await storage.database.read(
            """
            SELECT e.profile_id, e.entered_at, MIN(i.pseudonym) AS pseudonym FROM journey_entries e
            JOIN consumer_identities i ON i.tenant_id = e.tenant_id AND i.profile_id = e.profile_id
            WHERE e.tenant_id = \(tenantID) AND e.journey_id = \(welcome.id) AND e.held_out = 0
            GROUP BY e.profile_id, e.entered_at ORDER BY e.profile_id
            """)
        var shelf = onShelf.makeIterator()
        for row in welcomed {
            let profile = try row.int("profile_id")
            let at = try row.int("entered_at") + (1 + profile % 6) * day
            guard profile % 3 == 0, at < now - 60_000, let device = deviceOf[try row.string("pseudonym")], let unit = shelf.next() else { continue }
            _ = try await core.scanning.scan(
                code: unit.code, at: at, receivedAt: at, location: unit.point, deviceID: device, ip: nil, signedIn: signedIn("openid:o-\(device)"))
            summary.welcomeReturns += 1
        }
        _ = try await core.consumers.rollupProfiles(tenantID: tenantID, now: now, since: 0)
        // HQ's consumer tags: repeat buyers, fans of the first product, Beijing's, mall spenders and
        // the idle (by rule: put on the profiles there are in one pass, then kept current as they
        // roll up), and VIPs put on by hand.
        let tagDrafts = [
            TagDraft(name: "近30天复购", description: "30 天内扫码 2 次及以上", rule: TagRule(kind: .scans, atLeast: 2, days: 30)),
            TagDraft(name: products[0].name + "爱好者", description: "扫过此产品 2 次及以上", rule: TagRule(kind: .scans, atLeast: 2, productID: products[0].id)),
            TagDraft(name: "北京消费者", description: "在北京的门店买过", rule: TagRule(kind: .scans, regionCode: "110000000000")),
            TagDraft(name: "积分兑换者", description: "在积分商城兑换过", rule: TagRule(kind: .pointsSpent, atLeast: 20)),
            TagDraft(name: "沉睡预警", description: "14 天未扫码", rule: TagRule(kind: .idle, days: 14)),
            TagDraft(name: "重点会员", description: "总部标记的重点会员", rule: nil),
        ]
        var tags: [ConsumerTag] = []
        for draft in tagDrafts { tags.append(try await storage.tags.create(draft, owner: "admin", at: now - 60_000, tenantID: tenantID)) }
        summary.tags = tags.count
        _ = try await core.consumers.catchUpTags(tenantID: tenantID, now: now, budget: .seconds(600))
        // HQ marks the three most active consumers as VIPs.
        if let vip = tags.last {
            let top = try await storage.database.read(
                """
                SELECT id FROM consumer_profiles WHERE tenant_id = \(tenantID) AND merged_into IS NULL AND label NOT LIKE '#erased%'
                ORDER BY scans DESC, id LIMIT 3
                """)
            for row in top {
                _ = try await storage.tags.tag(try row.int("id"), with: vip.id, by: "admin", at: now - day, tenantID: tenantID)
            }
        }
        summary.taggedConsumers = Int(
            try await storage.database.read("SELECT COUNT(DISTINCT profile_id) AS n FROM consumer_tag_members WHERE tenant_id = \(tenantID)")
                .first?.optionalInt("n") ?? 0)
        summary.profiles = Int(
            try await storage.database.read("SELECT COUNT(*) AS n FROM consumer_profiles WHERE tenant_id = \(tenantID) AND merged_into IS NULL")
                .first?.optionalInt("n") ?? 0)
        // HQ's segments: Beijing's repeat buyers; fans of the first product who have not used a
        // mall coupon lately; consumers to win back.
        let tagID = { (name: String) in tags.first { $0.name == name }?.id ?? 0 }
        let segmentDrafts = [
            SegmentDraft(
                name: "北京复购客", description: "近 30 天复购，且在北京的门店买过",
                rule: SegmentRule(match: .all, terms: [SegmentTerm(.tag(tagID("近30天复购"))), SegmentTerm(.region("110000000000"))])),
            SegmentDraft(
                name: products[0].name + "常客未核销", description: "近 30 天扫此产品 2 次及以上，且近 30 天没核销过商城优惠券",
                rule: SegmentRule(
                    match: .all,
                    terms: [
                        SegmentTerm(.scanned(productID: products[0].id, atLeast: 2, days: 30)), SegmentTerm(.redeemed(days: 30), negate: true),
                    ])),
            SegmentDraft(
                name: "待唤醒", description: "沉睡、流失或 14 天未扫码",
                rule: SegmentRule(
                    match: .any, terms: [SegmentTerm(.stage(.dormant)), SegmentTerm(.stage(.lost)), SegmentTerm(.tag(tagID("沉睡预警")))])),
        ]
        for draft in segmentDrafts {
            _ = try await storage.segments.create(draft, owner: "admin", at: now - 60_000, tenantID: tenantID)
            summary.segments.append(try await core.segments.members(of: draft.rule, scope: scope, now: now).count)
        }
        // Who brought whom: a referral tree with a few KOCs, and the gang caught farming invitations.
        _ = try await core.consumers.setReferralProgramme(
            ReferralProgrammeInput(rewardPoints: 50, addBudgetPoints: 5_000), by: "admin", tenantID: tenantID, now: now - 30 * day)
        (summary.referralsCounted, summary.referralsHeld) = try await DemoReferrals.load(tenantID: tenantID, core: core)
        let wakeUp = try await core.journeys.create(journeys[1], owner: "admin", tenantID: tenantID, now: now - 60_000)
        _ = try await core.journeys.setStatus(id: wakeUp.id, .running, tenantID: tenantID, now: now - 60_000)
        summary.journeyEntrants = try await core.journeys.run(now: now, tenantID: tenantID).entered
        // The lifecycle funnel the consumers made as they scanned, signed in, won, redeemed and brought friends.
        let today = BusinessDay.day(ofMillis: now)
        summary.lifecycle = try await core.lifecycle.funnel(days: (today - 400)...(today + 1), scope: scope).reached
        // Someone tries made-up codes with the brand's key id from one phone.
        do {
            let code = ScanCode(kind: .unit, keyID: signer.keyID, batch: 1, serial: 1)
            for attempt in 0..<25 {
                let forged = code.text(tag: signer.tag(for: code) ^ UInt64(attempt + 1))
                do {
                    _ = try await core.scanning.scan(
                        code: forged, at: now - 2 * day + Int64(attempt) * 1_000,
                        receivedAt: now - 2 * day + Int64(attempt) * 1_000, location: supplied.first.flatMap { storesOf[$0.id]?.first?.location },
                        deviceID: "scanner-x", ip: "203.0.113.7", signedIn: nil)
                } catch ScanService.Refusal.notGenuine {
                    summary.forgedAttempts += 1
                }
            }
        }
        return summary
    }

    private static func jitter(_ point: GeoPoint, by degrees: Double, random: inout SeededRandom) -> GeoPoint {
        let dLat = (random.unit() * 2 - 1) * degrees
        let dLon = (random.unit() * 2 - 1) * degrees
        return GeoPoint(latitude: point.latitude + dLat, longitude: point.longitude + dLon) ?? point
    }
}
