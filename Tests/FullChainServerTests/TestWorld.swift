import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Testing

/// Two brands with a small org each. In brand A, everything under 大区 R2 is named `OUTSIDE…`
/// (outside every non-HQ test user's reach); everything of brand B is named `FOREIGN…`.
struct TestWorld {
    struct Actor {
        var name: String
        var role: Role
        var token: String
    }

    var tenantA: Tenant
    var tenantB: Tenant
    var actors: [Actor]
    /// Ids of objects no non-HQ actor of A may reach, by kind (`stores`, `distributors`, `org/nodes`, `users`, `products`, `tokens`, `imports`).
    var outsideA: [String: Int64]
    /// Ids of brand B's objects (none of them exist in brand A).
    var foreignB: [String: Int64]
    /// Ids inside the reach of the test users (R1's salesperson node, distributor D1, store st1).
    var salespersonNodeR1: Int64
    var cityR1: Int64
    var distributorD1: Int64
    var storeST1: Int64
    var adminToken: String

    static func build(_ app: TestApp) async throws -> TestWorld {
        let storage = app.storage
        let hash = app.services.passwords.hash("secret-123")
        // Unique codes: the PostgreSQL test database is shared by every test.
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let tenantA = try await storage.tenants.create(code: "brand-a-\(suffix)", name: "Brand A", timeZone: "Asia/Shanghai")
        let tenantB = try await storage.tenants.create(code: "brand-b-\(suffix)", name: "Brand B", timeZone: "Asia/Shanghai")
        let a = AccessScope.wholeTenant(tenantA.id)
        let b = AccessScope.wholeTenant(tenantB.id)

        // Brand A: R1 (inside) and R2 (OUTSIDE).
        let r1 = try await storage.org.create(parentID: nil, code: "R1", name: "华北大区", scope: a)
        let a1 = try await storage.org.create(parentID: r1.id, code: "R1-A1", name: "京津地区", scope: a)
        let c1 = try await storage.org.create(parentID: a1.id, code: "R1-A1-C1", name: "北京", scope: a)
        let s1 = try await storage.org.create(parentID: c1.id, code: "R1-A1-C1-S1", name: "业代一", scope: a)
        let r2 = try await storage.org.create(parentID: nil, code: "R2", name: "OUTSIDE 华南大区", scope: a)
        let a2 = try await storage.org.create(parentID: r2.id, code: "R2-A1", name: "OUTSIDE 广深地区", scope: a)
        let c2 = try await storage.org.create(parentID: a2.id, code: "R2-A1-C1", name: "OUTSIDE 深圳", scope: a)
        let s2 = try await storage.org.create(parentID: c2.id, code: "R2-A1-C1-S1", name: "OUTSIDE 业代", scope: a)
        let d1 = try await storage.distributors.create(
            DistributorDraft(code: "D1", name: "京华商贸", orgNodeID: c1.id, territory: ["110105000000"]), scope: a)
        let d2 = try await storage.distributors.create(
            DistributorDraft(code: "D2", name: "OUTSIDE 鹏城商贸", orgNodeID: c2.id, territory: ["440305000000"]), scope: a)
        let st1 = try await storage.stores.create(
            StoreDraft(
                code: "ST1", name: "朝阳便利店", type: .convenience, regionCode: "110105000000",
                location: GeoPoint(latitude: 39.92, longitude: 116.44), distributorID: d1.id, salespersonNodeID: s1.id), scope: a)
        let st2 = try await storage.stores.create(
            StoreDraft(
                code: "ST2", name: "OUTSIDE 南山超市", type: .supermarket, regionCode: "440305000000",
                distributorID: d2.id, salespersonNodeID: s2.id), scope: a)
        _ = try await storage.products.create(
            ProductDraft(
                sku: "TEA-500", gtin: try #require(GTIN("6901234567892")), name: "清爽绿茶 500ml", category: "茶饮料", priceFen: 350, unitsPerCase: 24),
            tenantID: tenantA.id)
        let admin = try await storage.users.create(UserDraft(username: "admin", displayName: "HQ Admin", role: .admin), passwordHash: hash, scope: a)
        let mgr = try await storage.users.create(
            UserDraft(username: "mgr-r1", displayName: "大区经理", role: .manager, orgNodeID: r1.id), passwordHash: hash, scope: a)
        let sp = try await storage.users.create(
            UserDraft(username: "sp-s1", displayName: "业代甲", role: .salesperson, orgNodeID: s1.id), passwordHash: hash, scope: a)
        let dist = try await storage.users.create(
            UserDraft(username: "dist-d1", displayName: "经销商甲", role: .distributor, distributorID: d1.id), passwordHash: hash, scope: a)
        let store = try await storage.users.create(
            UserDraft(username: "store-st1", displayName: "店主甲", role: .store, storeID: st1.id), passwordHash: hash, scope: a)
        let outsideUser = try await storage.users.create(
            UserDraft(username: "mgr-r2", displayName: "OUTSIDE 经理", role: .manager, orgNodeID: r2.id), passwordHash: hash, scope: a)
        let outsideToken = try await storage.tokens.create(
            tenantID: tenantA.id, userID: outsideUser.id, kind: .api, name: "OUTSIDE token", tokenHash: TokenCodec.hash("x-\(outsideUser.id)"),
            expiresAt: nil)
        let outsideImport = try await storage.imports.record(
            ImportRun(
                id: 0, kind: "stores", fileName: "OUTSIDE.csv", format: "csv", userID: outsideUser.id, totalRows: 1,
                importedRows: 1, errorCount: 0, errorsJSON: "[]", createdAt: currentMillis()),
            orgPath: r2.path, tenantID: tenantA.id)

        // Brand B: ids pushed past anything brand A has.
        for sequence in [
            "org_nodes", "distributors", "stores", "products", "users", "auth_tokens", "import_runs", "campaigns", "consumer_profiles",
            "consumer_merges", "consumer_tags", "segments",
        ] {
            _ = try await storage.database.allocateIDs(sequence, tenantID: tenantB.id, count: 1_000)
        }
        let bRoot = try await storage.org.create(parentID: nil, code: "R1", name: "FOREIGN 大区", scope: b)
        let bArea = try await storage.org.create(parentID: bRoot.id, code: "R1-A1", name: "FOREIGN 地区", scope: b)
        let bCity = try await storage.org.create(parentID: bArea.id, code: "R1-A1-C1", name: "FOREIGN 城市", scope: b)
        let bNode = try await storage.org.create(parentID: bCity.id, code: "R1-A1-C1-S1", name: "FOREIGN 业代", scope: b)
        let bDist = try await storage.distributors.create(
            DistributorDraft(code: "D1", name: "FOREIGN 商贸", orgNodeID: bCity.id, territory: ["110105000000"]), scope: b)
        let bStore = try await storage.stores.create(
            StoreDraft(
                code: "ST1", name: "FOREIGN 便利店", type: .convenience, regionCode: "110105000000",
                distributorID: bDist.id, salespersonNodeID: bNode.id), scope: b)
        let bProduct = try await storage.products.create(
            ProductDraft(
                sku: "TEA-500", gtin: try #require(GTIN("6901234567892")), name: "FOREIGN 绿茶", category: "FOREIGN", priceFen: 300, unitsPerCase: 12),
            tenantID: tenantB.id)
        let bUser = try await storage.users.create(
            UserDraft(username: "admin", displayName: "FOREIGN Admin", role: .admin), passwordHash: hash, scope: b)
        let bToken = try await storage.tokens.create(
            tenantID: tenantB.id, userID: bUser.id, kind: .api, name: "FOREIGN token", tokenHash: TokenCodec.hash("y-\(bUser.id)"), expiresAt: nil)
        let bImport = try await storage.imports.record(
            ImportRun(
                id: 0, kind: "stores", fileName: "FOREIGN.csv", format: "csv", userID: bUser.id, totalRows: 1,
                importedRows: 1, errorCount: 0, errorsJSON: "[]", createdAt: currentMillis()), orgPath: "", tenantID: tenantB.id)

        let bSigner = try await app.services.codeKeys.currentSigner(tenantID: tenantB.id)
        _ = try await storage.database.allocateIDs("code_batches", tenantID: tenantB.id, count: 1_000)
        let bBatch = try await storage.codes.createBatch(
            productID: bProduct.id, lot: "FOREIGN1", quantity: 48, unitsPerCase: 12, keyID: bSigner.keyID, tenantID: tenantB.id)

        let bCampaign = try await storage.campaigns.create(
            CampaignDraft(
                name: "FOREIGN campaign", productIDs: [bProduct.id], regionCodes: [], startsAt: 0, endsAt: 86_400_000,
                tiers: [PrizeTier(name: "FOREIGN prize", kind: .points, points: 1, ppm: 500_000)], budgetFen: 0, storeRewardFen: 0, storeBudgetFen: 0,
                limits: CampaignLimits()), budgetShards: 1, tenantID: tenantB.id)

        // Alerts: one about R2's distributor (OUTSIDE), one of brand B (FOREIGN).
        let now = currentMillis()
        try await storage.alerts.raise(
            [
                AlertRaise(
                    reason: .storeReceipt, subject: "store:\(st2.id):from:\(d2.id)", distributorID: d2.id, storeID: st2.id,
                    orgPath: r2.path, regionCode: "440305000000", at: now, detail: "OUTSIDE alert")
            ], tenantID: tenantA.id)
        try await storage.alerts.raise(
            [
                AlertRaise(
                    reason: .storeReceipt, subject: "store:\(bStore.id):from:\(bDist.id)", distributorID: bDist.id,
                    storeID: bStore.id, orgPath: bRoot.path, at: now, detail: "FOREIGN alert")
            ], tenantID: tenantB.id)
        let outsideAlert = try #require(try await storage.alerts.list(ListQuery(), filter: AlertFilter(), scope: a).items.first)
        let foreignAlert = try #require(try await storage.alerts.list(ListQuery(), filter: AlertFilter(), scope: b).items.first)

        // Store alerts (tasks): one at R2's store (OUTSIDE), one of brand B (FOREIGN).
        let today = BusinessDay.day(ofMillis: now)
        for (store, path, tenant, label) in [(st2.id, s2.path, tenantA.id, "OUTSIDE"), (bStore.id, bNode.path, tenantB.id, "FOREIGN")] {
            let anomaly = StoreAnomaly(
                storeID: store, kind: .dormant, score: 20, baseline: 40, observed: 0, peerMedian: nil, reason: "\(label) store alert")
            _ = try await storage.storeJob.applyJob(
                findings: [StoreFinding(anomaly: anomaly, orgPath: path, salespersonNodeID: nil, dueDay: today + 7)],
                outcomes: [], profiles: [], scanRates: [], day: today, at: now, tenantID: tenant)
        }
        let outsideStoreAlert = try #require(try await storage.storeTasks.alerts(ListQuery(), filter: StoreAlertFilter(), scope: a).items.first)
        let foreignStoreAlert = try #require(try await storage.storeTasks.alerts(ListQuery(), filter: StoreAlertFilter(), scope: b).items.first)

        // Consumers: two of R2's store (OUTSIDE), merged into one; two of brand B (FOREIGN), merged too.
        func consumers(_ name: String, store: Int64, tenantID: Int64) async throws -> (profile: Int64, merge: Int64) {
            var ids: [Int64] = []
            for n in 0..<2 {
                ids.append(
                    try await storage.profiles.attach(
                        [("\(name)-\(suffix)-\(n)", .phone)], label: "\(name) 139****000\(n)", evidence: nil, at: now, tenantID: tenantID))
            }
            let merge = try await storage.profiles.merge(ids[1], into: ids[0], evidence: .manual, at: now, tenantID: tenantID)
            // Bought at the store (they have no scans here to roll up).
            try await storage.database.execute("UPDATE consumer_profiles SET store_id = \(store) WHERE tenant_id = \(tenantID)")
            return (ids[0], merge.id)
        }
        let outsideConsumer = try await consumers("OUTSIDE", store: st2.id, tenantID: tenantA.id)
        let foreignConsumer = try await consumers("FOREIGN", store: bStore.id, tenantID: tenantB.id)
        // Brand B's own tag, on its consumer.
        let foreignTag = try await storage.tags.create(
            TagDraft(name: "FOREIGN 标签", description: "FOREIGN", rule: nil), owner: "FOREIGN", at: now, tenantID: tenantB.id)
        _ = try await storage.tags.tag(foreignConsumer.profile, with: foreignTag.id, by: "FOREIGN", at: now, tenantID: tenantB.id)
        // Brand B's segment of it.
        let foreignSegment = try await storage.segments.create(
            SegmentDraft(name: "FOREIGN 人群", description: "FOREIGN", rule: SegmentRule(match: .all, terms: [SegmentTerm(.tag(foreignTag.id))])),
            owner: "FOREIGN", at: now, tenantID: tenantB.id)
        // Brand B's journey for that segment.
        let foreignJourney = try await storage.journeys.create(
            try JourneyInput(
                name: "FOREIGN 旅程", description: "FOREIGN", trigger: JourneyTrigger(kind: .segment, segmentID: foreignSegment.id),
                steps: [JourneyStep(kind: .exit)]
            ).validated(), owner: "FOREIGN", at: now, tenantID: tenantB.id)

        // Notices a journey left for the store outside the subtree and for the other brand's store.
        for (tenant, store, text) in [(tenantA.id, st2.id, "OUTSIDE 通知"), (tenantB.id, bStore.id, "FOREIGN 通知")] {
            try await storage.database.execute(
                """
                INSERT INTO store_notices (tenant_id, id, store_id, journey_id, profile_id, step, text, created_at)
                VALUES (\(tenant), 900001, \(store), 1, 1, 0, \(text), \(now))
                """)
        }

        var actors: [Actor] = []
        for (user, role) in [(mgr, Role.manager), (sp, .salesperson), (dist, .distributor), (store, .store)] {
            actors.append(Actor(name: user.username, role: role, token: try await app.token(tenantID: tenantA.id, userID: user.id)))
        }
        let adminToken = try await app.token(tenantID: tenantA.id, userID: admin.id)
        return TestWorld(
            tenantA: tenantA, tenantB: tenantB, actors: actors,
            outsideA: [
                "stores": st2.id, "distributors": d2.id, "org/nodes": s2.id, "users": outsideUser.id, "tokens": outsideToken.id,
                "imports": outsideImport.id,
                "alerts": outsideAlert.id, "store-alerts": outsideStoreAlert.id, "consumers": outsideConsumer.profile,
                "consumer-merges": outsideConsumer.merge, "store-notices": 900_001,
            ],
            foreignB: [
                "stores": bStore.id, "distributors": bDist.id, "org/nodes": bNode.id, "users": bUser.id, "products": bProduct.id, "tokens": bToken.id,
                "store-notices": 900_001,
                "imports": bImport.id,
                "code-batches": bBatch.id, "alerts": foreignAlert.id, "campaigns": bCampaign.id,
                "store-alerts": foreignStoreAlert.id, "consumers": foreignConsumer.profile, "consumer-merges": foreignConsumer.merge,
                "consumer-tags": foreignTag.id, "segments": foreignSegment.id, "journeys": foreignJourney.id,
            ],
            salespersonNodeR1: s1.id, cityR1: c1.id, distributorD1: d1.id, storeST1: st1.id, adminToken: adminToken)
    }
}
