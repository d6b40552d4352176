import Foundation
import FullChainCore
import FullChainStorage
import Testing

/// The repositories' contract, run on every backend: SQLite always, PostgreSQL when configured.
/// Each test works in tenants of its own, so tests sharing one PostgreSQL database never meet.
@Suite("Storage conformance")
struct StorageConformanceTests {
    // MARK: - Tenants

    @Test(arguments: Backend.all)
    func tenantsCreateAndFind(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let code = uniqueCode("acme")
            let tenant = try await storage.tenants.create(code: code, name: "Acme 饮料", timeZone: "Asia/Shanghai")
            #expect(tenant.code == code)
            #expect(tenant.name == "Acme 饮料")
            #expect(tenant.timeZone == "Asia/Shanghai")

            let found = try await storage.tenants.find(code: code)
            #expect(found == tenant)
            #expect(try await storage.tenants.get(id: tenant.id) == tenant)
            #expect(try await storage.tenants.find(code: uniqueCode("missing")) == nil)

            let other = try await makeTenant(storage, "other")
            #expect(other.id != tenant.id)

            await expectStorageError(.duplicate, "same tenant code twice") {
                _ = try await storage.tenants.create(code: code, name: "Copy", timeZone: "Asia/Shanghai")
            }
            #expect(try await storage.tenants.find(code: code)?.name == "Acme 饮料")
        }
    }

    // MARK: - Org tree

    @Test(arguments: Backend.all)
    func orgTreeLevelsPathsAndScopes(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let org = try await makeOrg(storage)
            let hq = org.hq

            // Levels follow depth; paths are the ids from the root.
            #expect(org.north.level == .region)
            #expect(org.northArea.level == .area)
            #expect(org.beijing.level == .city)
            #expect(org.repA1.level == .salesperson)
            #expect(org.north.parentID == nil)
            #expect(org.repA1.parentID == org.beijing.id)
            #expect(org.north.path == "/\(org.north.id)/")
            #expect(org.northArea.path == "/\(org.north.id)/\(org.northArea.id)/")
            #expect(org.beijing.path == "/\(org.north.id)/\(org.northArea.id)/\(org.beijing.id)/")
            #expect(org.repA1.path == "/\(org.north.id)/\(org.northArea.id)/\(org.beijing.id)/\(org.repA1.id)/")
            #expect(try await storage.org.get(id: org.repA1.id, scope: hq) == org.repA1)
            #expect(try await storage.org.find(code: "N-JJ-BJ", scope: hq) == org.beijing)

            // No fifth level.
            await expectStorageError(.missingReference, "a child of a 业代 node") {
                _ = try await storage.org.create(parentID: org.repA1.id, code: "TOO-DEEP", name: "第五级", scope: hq)
            }
            await expectStorageError(.missingReference, "unknown parent") {
                _ = try await storage.org.create(parentID: 999_999, code: "ORPHAN", name: "孤儿", scope: hq)
            }
            await expectStorageError(.duplicate, "org code taken") {
                _ = try await storage.org.create(parentID: org.north.id, code: "N-JJ", name: "重复", scope: hq)
            }

            // The whole tree, depth first.
            let all = try await storage.org.list(scope: hq, level: nil)
            #expect(all.count == org.allNodes.count)
            #expect(Set(all.map(\.id)) == Set(org.allNodes.map(\.id)))
            #expect(all.map(\.path) == all.map(\.path).sorted())
            for node in all {
                if let parentID = node.parentID, let parent = all.first(where: { $0.id == parentID }) {
                    #expect(node.level.rawValue == parent.level.rawValue + 1)
                    #expect(node.path.hasPrefix(parent.path))
                }
            }
            let reps = try await storage.org.list(scope: hq, level: .salesperson)
            #expect(Set(reps.map(\.id)) == Set([org.repA1.id, org.repA2.id, org.repB1.id]))
            #expect(reps.map(\.id) == all.filter { $0.level == .salesperson }.map(\.id))

            // A manager sees exactly its subtree.
            let northManager = org.scope(org.north)
            let northIDs = Set([org.north, org.northArea, org.beijing, org.repA1, org.repA2].map(\.id))
            #expect(Set(try await storage.org.list(scope: northManager, level: nil).map(\.id)) == northIDs)
            #expect(
                Set(try await storage.org.list(scope: org.scope(org.beijing), level: nil).map(\.id))
                    == Set([org.beijing.id, org.repA1.id, org.repA2.id]))
            #expect(try await storage.org.list(scope: org.scope(org.repA2), level: nil).map(\.id) == [org.repA2.id])
            #expect(try await storage.org.get(id: org.south.id, scope: northManager) == nil)
            #expect(try await storage.org.find(code: "S-YD", scope: northManager) == nil)

            // A sibling root whose path shares the manager's prefix as text ("/1/" and "/10/") stays out.
            let rootPrefix = String(org.north.path.dropLast())
            var sibling: OrgNode?
            for index in 0..<60 {
                let root = try await storage.org.create(parentID: nil, code: "R\(index)", name: "大区 \(index)", scope: hq)
                if root.path.hasPrefix(rootPrefix) {
                    sibling = root
                    break
                }
            }
            let lookalike = try #require(sibling)
            #expect(try await storage.org.get(id: lookalike.id, scope: northManager) == nil)
            #expect(Set(try await storage.org.list(scope: northManager, level: nil).map(\.id)) == northIDs)

            // Managers add nodes under their subtree only, and never roots.
            let newRep = try await storage.org.create(parentID: org.beijing.id, code: "N-JJ-BJ-3", name: "业代A3", scope: northManager)
            #expect(newRep.level == .salesperson)
            #expect(newRep.path == org.beijing.childPath(id: newRep.id))
            await expectStorageError(.missingReference, "a manager adding a root") {
                _ = try await storage.org.create(parentID: nil, code: "ROGUE", name: "越权大区", scope: northManager)
            }
            await expectStorageError(.missingReference, "a manager adding under another subtree") {
                _ = try await storage.org.create(parentID: org.shenzhen.id, code: "ROGUE-2", name: "越权业代", scope: northManager)
            }
            let distributorScope = AccessScope(tenantID: org.tenant.id, reach: .distributor(id: 1))
            await expectStorageError(.missingReference, "a distributor adding a root") {
                _ = try await storage.org.create(parentID: nil, code: "ROGUE-3", name: "越权", scope: distributorScope)
            }
            #expect(try await storage.org.list(scope: distributorScope, level: nil).isEmpty)

            // Renames are scoped.
            let renamed = try await storage.org.rename(id: org.beijing.id, code: "N-JJ-BJC", name: "北京市", scope: northManager)
            #expect(renamed.name == "北京市")
            #expect(renamed.code == "N-JJ-BJC")
            #expect(renamed.path == org.beijing.path)
            #expect(renamed.level == .city)
            #expect(try await storage.org.get(id: org.beijing.id, scope: hq)?.name == "北京市")
            await expectStorageError(.notFound, "renaming a node outside the scope") {
                _ = try await storage.org.rename(id: org.shenzhen.id, code: "HIJACK", name: "被改名", scope: northManager)
            }
            #expect(try await storage.org.get(id: org.shenzhen.id, scope: hq)?.name == "深圳")
            await expectStorageError(.notFound, "renaming a missing node") {
                _ = try await storage.org.rename(id: 999_999, code: "NOPE", name: "无", scope: hq)
            }
            await expectStorageError(.duplicate, "renaming to a taken code") {
                _ = try await storage.org.rename(id: org.repA2.id, code: "N-JJ-BJ-1", name: "重名", scope: hq)
            }

            // Another tenant sees none of it.
            let other = try await makeTenant(storage, "org-other")
            #expect(try await storage.org.list(scope: .wholeTenant(other.id), level: nil).isEmpty)
            #expect(try await storage.org.get(id: org.north.id, scope: .wholeTenant(other.id)) == nil)
            await expectStorageError(.missingReference, "a parent from another tenant") {
                _ = try await storage.org.create(parentID: org.north.id, code: "X", name: "跨租户", scope: .wholeTenant(other.id))
            }
            await expectStorageError(.notFound, "renaming another tenant's node") {
                _ = try await storage.org.rename(id: org.north.id, code: "X", name: "跨租户", scope: .wholeTenant(other.id))
            }
            // The same codes are free in another tenant.
            let otherRoot = try await storage.org.create(parentID: nil, code: "N", name: "华北大区", scope: .wholeTenant(other.id))
            #expect(otherRoot.level == .region)
        }
    }

    // MARK: - Distributors

    @Test(arguments: Backend.all)
    func distributorsWithTerritories(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let hq = world.hq

            let fetched = try #require(try await storage.distributors.get(id: world.distA.id, scope: hq))
            #expect(fetched.code == "D-A")
            #expect(fetched.name == "北京朝海商贸")
            #expect(fetched.contactName == "张三")
            #expect(fetched.phone == "010-12345678")
            #expect(fetched.address == "北京市朝阳区")
            #expect(fetched.orgNodeID == world.org.beijing.id)
            #expect(fetched.territory == [Regions.chaoyang, Regions.haidian])
            #expect(fetched.status == .active)
            #expect(fetched == world.distA)

            // Lists: search, status, paging with totals.
            let all = try await storage.distributors.list(ListQuery(), status: nil, scope: hq)
            #expect(all.total == 3)
            #expect(all.items.map(\.id) == [world.distA.id, world.distB.id, world.distX.id])
            #expect(all.items.first { $0.id == world.distB.id }?.territory == [Regions.nanshan])
            let byName = try await storage.distributors.list(ListQuery(search: "深圳"), status: nil, scope: hq)
            #expect(byName.items.map(\.id) == [world.distB.id])
            #expect(byName.total == 1)
            let byCode = try await storage.distributors.list(ListQuery(search: "d-x"), status: nil, scope: hq)
            #expect(byCode.items.map(\.id) == [world.distX.id])
            let page1 = try await storage.distributors.list(ListQuery(limit: 2, offset: 0), status: nil, scope: hq)
            #expect(page1.items.map(\.id) == [world.distA.id, world.distB.id])
            #expect(page1.total == 3)
            #expect(page1.limit == 2)
            let page2 = try await storage.distributors.list(ListQuery(limit: 2, offset: 2), status: nil, scope: hq)
            #expect(page2.items.map(\.id) == [world.distX.id])
            #expect(page2.total == 3)
            #expect(page2.offset == 2)
            #expect(try await storage.distributors.list(ListQuery(), status: .inactive, scope: hq).total == 0)

            // Update replaces the territory.
            var draft = DistributorDraft(
                code: "D-A", name: "北京朝海商贸有限公司", contactName: nil, phone: nil, address: "北京市东城区",
                orgNodeID: world.org.northArea.id, territory: [Regions.dongcheng], status: .inactive)
            let updated = try await storage.distributors.update(id: world.distA.id, draft, scope: hq)
            #expect(updated.territory == [Regions.dongcheng])
            #expect(updated.createdAt == world.distA.createdAt)
            let reread = try #require(try await storage.distributors.get(id: world.distA.id, scope: hq))
            #expect(reread.territory == [Regions.dongcheng])
            #expect(reread.name == "北京朝海商贸有限公司")
            #expect(reread.contactName == nil)
            #expect(reread.orgNodeID == world.org.northArea.id)
            #expect(reread.status == .inactive)
            #expect(try await storage.distributors.list(ListQuery(), status: .inactive, scope: hq).items.map(\.id) == [world.distA.id])
            // The other distributors' territories are untouched.
            #expect(try await storage.distributors.get(id: world.distX.id, scope: hq)?.territory == [Regions.chaoyang])
            draft.territory = [Regions.chaoyang, Regions.dongcheng, Regions.haidian]
            draft.status = .active
            #expect(try await storage.distributors.update(id: world.distA.id, draft, scope: hq).territory.count == 3)
            #expect(
                try await storage.distributors.get(id: world.distA.id, scope: hq)?.territory
                    == [Regions.dongcheng, Regions.chaoyang, Regions.haidian])

            await expectStorageError(.duplicate, "distributor code taken") {
                _ = try await storage.distributors.create(
                    DistributorDraft(code: "D-B", name: "重复", orgNodeID: world.org.shenzhen.id, territory: [Regions.nanshan]), scope: hq)
            }
            await expectStorageError(.missingReference, "unknown managing node") {
                _ = try await storage.distributors.create(
                    DistributorDraft(code: "D-Z", name: "无主", orgNodeID: 999_999, territory: [Regions.nanshan]), scope: hq)
            }
            await expectStorageError(.notFound, "updating a missing distributor") {
                _ = try await storage.distributors.update(id: 999_999, draft, scope: hq)
            }

            // createMany is all or nothing.
            let batch = [
                DistributorDraft(code: "D-M1", name: "批量一", orgNodeID: world.org.beijing.id, territory: [Regions.chaoyang]),
                DistributorDraft(code: "D-M2", name: "批量二", orgNodeID: world.org.shenzhen.id, territory: [Regions.nanshan, Regions.shenzhenCity]),
            ]
            await expectStorageError(.duplicate, "a batch with a taken code") {
                _ = try await storage.distributors.createMany(
                    batch + [
                        DistributorDraft(
                            code: "D-X", name: "重复", orgNodeID: world.org.beijing.id,
                            territory: [Regions.haidian])
                    ], scope: hq)
            }
            await expectStorageError(.missingReference, "a batch with an unknown managing node") {
                _ = try await storage.distributors.createMany(
                    batch + [
                        DistributorDraft(
                            code: "D-M3", name: "无主", orgNodeID: 999_999,
                            territory: [Regions.haidian])
                    ], scope: hq)
            }
            await expectStorageError(.missingReference, "a north manager's batch with a south node") {
                _ = try await storage.distributors.createMany(batch, scope: world.scope(world.org.north))
            }
            #expect(try await storage.distributors.list(ListQuery(), status: nil, scope: hq).total == 3)
            #expect(try await storage.distributors.createMany(batch, scope: hq) == 2)
            let afterBatch = try await storage.distributors.list(ListQuery(search: "批量"), status: nil, scope: hq)
            #expect(afterBatch.items.map(\.code) == ["D-M1", "D-M2"])
            #expect(afterBatch.items.last?.territory == [Regions.shenzhenCity, Regions.nanshan])
        }
    }

    @Test(arguments: Backend.all)
    func distributorScopes(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let org = world.org

            // A manager sees the distributors its subtree manages and those supplying its stores.
            let north = world.scope(org.north)
            let northList = try await storage.distributors.list(ListQuery(), status: nil, scope: north)
            #expect(northList.items.map(\.id) == [world.distA.id, world.distX.id])
            #expect(northList.total == 2)
            #expect(try await storage.distributors.get(id: world.distX.id, scope: north)?.territory == [Regions.chaoyang])
            #expect(try await storage.distributors.get(id: world.distB.id, scope: north) == nil)

            let south = world.scope(org.south)
            #expect(
                try await storage.distributors.list(ListQuery(), status: nil, scope: south).items.map(\.id)
                    == [world.distB.id, world.distX.id])
            #expect(try await storage.distributors.get(id: world.distA.id, scope: south) == nil)

            // A salesperson's territory: distributors of its own stores only.
            #expect(
                try await storage.distributors.list(ListQuery(), status: nil, scope: world.scope(org.repA2)).items.map(\.id)
                    == [world.distA.id])
            #expect(
                try await storage.distributors.list(ListQuery(), status: nil, scope: world.scope(org.repA1)).items.map(\.id)
                    == [world.distA.id, world.distX.id])

            // A distributor sees only itself; a store only its own distributor.
            let asDistA = world.scope(world.distA)
            #expect(try await storage.distributors.list(ListQuery(), status: nil, scope: asDistA).items.map(\.id) == [world.distA.id])
            #expect(try await storage.distributors.get(id: world.distB.id, scope: asDistA) == nil)
            let asS3 = world.scope(world.s3)
            #expect(try await storage.distributors.list(ListQuery(), status: nil, scope: asS3).items.map(\.id) == [world.distB.id])
            #expect(try await storage.distributors.get(id: world.distA.id, scope: asS3) == nil)
            #expect(try await storage.distributors.get(id: world.distX.id, scope: world.scope(world.s4))?.id == world.distX.id)

            // Writes are scoped too.
            let southDraft = DistributorDraft(code: "D-B", name: "改名", orgNodeID: org.beijing.id, territory: [Regions.chaoyang])
            await expectStorageError(.notFound, "a north manager updating a south-only distributor") {
                _ = try await storage.distributors.update(id: world.distB.id, southDraft, scope: north)
            }
            #expect(try await storage.distributors.get(id: world.distB.id, scope: world.hq)?.name == "深圳南山贸易")
            #expect(try await storage.distributors.get(id: world.distB.id, scope: world.hq)?.territory == [Regions.nanshan])
            await expectStorageError(.missingReference, "a north manager creating a distributor managed in the south") {
                _ = try await storage.distributors.create(
                    DistributorDraft(code: "D-N", name: "越权", orgNodeID: org.shenzhen.id, territory: [Regions.nanshan]), scope: north)
            }
            let own = try await storage.distributors.create(
                DistributorDraft(code: "D-N", name: "北京新经销商", orgNodeID: org.beijing.id, territory: [Regions.haidian]), scope: north)
            #expect(try await storage.distributors.get(id: own.id, scope: north)?.territory == [Regions.haidian])
            #expect(try await storage.distributors.get(id: own.id, scope: south) == nil)

            // Another tenant sees none of them.
            let other = try await makeTenant(storage, "dist-other")
            #expect(try await storage.distributors.list(ListQuery(), status: nil, scope: .wholeTenant(other.id)).total == 0)
            #expect(try await storage.distributors.get(id: world.distA.id, scope: .wholeTenant(other.id)) == nil)
        }
    }

    // MARK: - Stores

    @Test(arguments: Backend.all)
    func storesCreateGetAndFilter(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let hq = world.hq
            let org = world.org

            let summary = try #require(try await storage.stores.get(id: world.s1.id, scope: hq))
            #expect(summary.store == world.s1)
            #expect(summary.store.code == "S001")
            #expect(summary.store.type == .supermarket)
            #expect(summary.store.regionCode == Regions.chaoyang)
            #expect(summary.store.location == GeoPoint(latitude: 39.92, longitude: 116.44))
            #expect(summary.store.distributorID == world.distA.id)
            #expect(summary.store.salespersonNodeID == org.repA1.id)
            #expect(summary.distributorName == "北京朝海商贸")
            #expect(summary.salespersonName == "业代A1")

            func ids(_ query: ListQuery = ListQuery(), _ filter: StoreFilter = StoreFilter(), scope: AccessScope? = nil) async throws -> [Int64] {
                try await storage.stores.list(query, filter: filter, scope: scope ?? hq).items.map(\.store.id)
            }

            #expect(try await ids() == [world.s1.id, world.s2.id, world.s3.id, world.s4.id])
            // Region filter: a province, city or county matches the stores at or below it.
            #expect(try await ids(ListQuery(), StoreFilter(regionCode: Regions.beijing)) == [world.s1.id, world.s2.id, world.s4.id])
            #expect(try await ids(ListQuery(), StoreFilter(regionCode: Regions.chaoyang)) == [world.s1.id, world.s4.id])
            #expect(try await ids(ListQuery(), StoreFilter(regionCode: Regions.shenzhenCity)) == [world.s3.id])
            #expect(try await ids(ListQuery(), StoreFilter(regionCode: "120000000000")).isEmpty)
            #expect(try await ids(ListQuery(), StoreFilter(distributorID: world.distA.id)) == [world.s1.id, world.s2.id])
            #expect(try await ids(ListQuery(), StoreFilter(salespersonNodeID: org.repA1.id)) == [world.s1.id, world.s4.id])
            #expect(try await ids(ListQuery(), StoreFilter(type: .convenience)) == [world.s2.id, world.s4.id])
            #expect(try await ids(ListQuery(), StoreFilter(status: .inactive)) == [world.s4.id])
            #expect(try await ids(ListQuery(), StoreFilter(status: .active)) == [world.s1.id, world.s2.id, world.s3.id])
            #expect(try await ids(ListQuery(), StoreFilter(regionCode: Regions.beijing, type: .convenience, status: .active)) == [world.s2.id])
            #expect(try await ids(ListQuery(search: "朝阳")) == [world.s1.id, world.s4.id])
            #expect(try await ids(ListQuery(search: "s003")) == [world.s3.id])

            // Search text is literal: `%` and `_` are not wildcards.
            let percent = try await storage.stores.create(storeDraft("P1", name: "满100%返现店", region: Regions.nanshan), scope: hq)
            _ = try await storage.stores.create(storeDraft("P2", name: "满100元返现店", region: Regions.nanshan), scope: hq)
            let underscore = try await storage.stores.create(storeDraft("U1", name: "A_B 便利", region: Regions.nanshan), scope: hq)
            _ = try await storage.stores.create(storeDraft("U2", name: "AXB 便利", region: Regions.nanshan), scope: hq)
            #expect(try await ids(ListQuery(search: "100%")) == [percent.id])
            #expect(try await ids(ListQuery(search: "A_B")) == [underscore.id])
            #expect(try await ids(ListQuery(search: "%")) == [percent.id])
            #expect(try await ids(ListQuery(search: "_")) == [underscore.id])
            #expect(try await ids(ListQuery(search: "返现")).count == 2)
            let backslash = try await storage.stores.create(storeDraft("K1", name: #"C:\门店"#, region: Regions.nanshan), scope: hq)
            #expect(try await ids(ListQuery(search: #"\"#)) == [backslash.id])
            #expect(try await ids(ListQuery(search: #"C:\"#)) == [backslash.id])

            // Paging: totals count every match.
            let first = try await storage.stores.list(ListQuery(limit: 3, offset: 0), filter: StoreFilter(), scope: hq)
            #expect(first.total == 9)
            #expect(first.items.map(\.store.id) == [world.s1.id, world.s2.id, world.s3.id])
            let last = try await storage.stores.list(ListQuery(limit: 3, offset: 6), filter: StoreFilter(), scope: hq)
            #expect(last.total == 9)
            #expect(last.items.count == 3)
            let beyond = try await storage.stores.list(ListQuery(limit: 3, offset: 20), filter: StoreFilter(), scope: hq)
            #expect(beyond.total == 9)
            #expect(beyond.items.isEmpty)
            let filteredPage = try await storage.stores.list(
                ListQuery(limit: 1, offset: 1), filter: StoreFilter(regionCode: Regions.beijing), scope: hq)
            #expect(filteredPage.total == 3)
            #expect(filteredPage.items.map(\.store.id) == [world.s2.id])

            // The search index follows renames and bulk writes; pairs out of order do not match.
            _ = try await storage.stores.update(
                id: world.s1.id,
                storeDraft(
                    "S001", name: "望京旗舰店", region: Regions.chaoyang,
                    distributor: world.distA, rep: org.repA1), scope: hq)
            #expect(try await ids(ListQuery(search: "朝阳")) == [world.s4.id])
            #expect(try await ids(ListQuery(search: "望京")) == [world.s1.id])
            #expect(try await ids(ListQuery(search: "旗舰店")) == [world.s1.id])
            #expect(try await ids(ListQuery(search: "阳朝")).isEmpty)
            #expect(try await ids(ListQuery(search: "S003")) == [world.s3.id])
            #expect(try await ids(ListQuery(search: "满100%返现店")) == [percent.id])
            #expect(try await ids(ListQuery(search: "0%")) == [percent.id])
            // Remembered totals never hide this process's own writes.
            let northBefore = try await storage.stores.list(ListQuery(), filter: StoreFilter(), scope: world.scope(org.north)).total
            _ = try await storage.stores.create(storeDraft("N9", name: "北区新店", region: Regions.chaoyang, rep: org.repA1), scope: hq)
            #expect(try await storage.stores.list(ListQuery(), filter: StoreFilter(), scope: world.scope(org.north)).total == northBefore + 1)
            let bulk = (1...3).map { storeDraft("B\($0)", name: "批量\(["甲", "乙", "丙"][$0 - 1])店", region: Regions.nanshan) }
            #expect(try await storage.stores.createMany(bulk, scope: hq) == 3)
            #expect(try await storage.stores.list(ListQuery(search: "批量"), filter: StoreFilter(), scope: hq).total == 3)
            #expect(try await storage.stores.list(ListQuery(search: "乙"), filter: StoreFilter(), scope: hq).total == 1)
            #expect(try await storage.stores.list(ListQuery(search: "b2"), filter: StoreFilter(), scope: hq).total == 1)
            // Search stays within scope.
            #expect(try await ids(ListQuery(search: "店"), scope: world.scope(org.north)).count == 3)
        }
    }

    @Test(arguments: Backend.all)
    func storeScopes(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let hq = world.hq
            let org = world.org

            func ids(_ scope: AccessScope, _ filter: StoreFilter = StoreFilter()) async throws -> [Int64] {
                try await storage.stores.list(ListQuery(), filter: filter, scope: scope).items.map(\.store.id)
            }

            // A subtree lists its stores grouped by salesperson territory (org path), then by id.
            #expect(try await ids(world.scope(org.north)) == [world.s1.id, world.s4.id, world.s2.id])
            #expect(try await storage.stores.list(ListQuery(), filter: StoreFilter(), scope: world.scope(org.north)).total == 3)
            #expect(try await ids(world.scope(org.repA1)) == [world.s1.id, world.s4.id])
            #expect(try await ids(world.scope(org.south)) == [world.s3.id])
            #expect(try await ids(world.scope(world.distA)) == [world.s1.id, world.s2.id])
            #expect(try await ids(world.scope(world.distX)) == [world.s4.id])
            #expect(try await ids(world.scope(world.s2)) == [world.s2.id])
            // Filters cannot widen a scope.
            #expect(try await ids(world.scope(org.south), StoreFilter(distributorID: world.distA.id)).isEmpty)

            // Gets are scoped.
            let other = try await makeTenant(storage, "store-other")
            #expect(try await storage.stores.get(id: world.s1.id, scope: .wholeTenant(other.id)) == nil)
            #expect(try await storage.stores.list(ListQuery(), filter: StoreFilter(), scope: .wholeTenant(other.id)).total == 0)
            #expect(try await storage.stores.get(id: world.s1.id, scope: world.scope(org.south)) == nil)
            #expect(try await storage.stores.get(id: world.s1.id, scope: world.scope(org.repA2)) == nil)
            #expect(try await storage.stores.get(id: world.s1.id, scope: world.scope(org.north))?.store.id == world.s1.id)
            #expect(try await storage.stores.get(id: world.s2.id, scope: world.scope(world.distA))?.store.id == world.s2.id)
            #expect(try await storage.stores.get(id: world.s3.id, scope: world.scope(world.distA)) == nil)
            #expect(try await storage.stores.get(id: world.s4.id, scope: world.scope(world.distA)) == nil)
            #expect(try await storage.stores.get(id: world.s1.id, scope: world.scope(world.s1))?.store.id == world.s1.id)
            #expect(try await storage.stores.get(id: world.s2.id, scope: world.scope(world.s1)) == nil)

            // Updates are scoped.
            var draft = storeDraft("S002", name: "海淀便利(新)", type: .grocery, region: Regions.haidian, distributor: world.distA, rep: org.repA1)
            let updated = try await storage.stores.update(id: world.s2.id, draft, scope: world.scope(org.north))
            #expect(updated.name == "海淀便利(新)")
            #expect(updated.type == .grocery)
            #expect(updated.salespersonNodeID == org.repA1.id)
            #expect(updated.createdAt == world.s2.createdAt)
            #expect(try await ids(world.scope(org.repA1)) == [world.s1.id, world.s2.id, world.s4.id])
            #expect(try await ids(world.scope(org.repA2)).isEmpty)

            let southDraft = storeDraft("S001", name: "被越权修改", region: Regions.nanshan, distributor: world.distB, rep: org.repB1)
            await expectStorageError(.notFound, "a south manager updating a north store") {
                _ = try await storage.stores.update(id: world.s1.id, southDraft, scope: world.scope(org.south))
            }
            await expectStorageError(.notFound, "another tenant updating the store") {
                _ = try await storage.stores.update(id: world.s1.id, storeDraft("S001"), scope: .wholeTenant(other.id))
            }
            #expect(try await storage.stores.get(id: world.s1.id, scope: hq)?.store == world.s1)
            await expectStorageError(.missingReference, "moving a store to a node outside the scope") {
                _ = try await storage.stores.update(id: world.s1.id, storeDraft("S001", rep: org.repB1), scope: world.scope(org.north))
            }
            await expectStorageError(.duplicate, "changing a code to a taken one") {
                _ = try await storage.stores.update(id: world.s1.id, storeDraft("S003", rep: org.repA1), scope: hq)
            }
            await expectStorageError(.notFound, "updating a missing store") {
                _ = try await storage.stores.update(id: 999_999, storeDraft("S999", rep: org.repA1), scope: hq)
            }

            // Creating within a scope.
            let northManager = world.scope(org.north)
            let created = try await storage.stores.create(storeDraft("S005", distributor: world.distA, rep: org.repA2), scope: northManager)
            #expect(try await storage.stores.get(id: created.id, scope: world.scope(org.repA2))?.store.code == "S005")
            await expectStorageError(.missingReference, "a salesperson node outside the manager's scope") {
                _ = try await storage.stores.create(storeDraft("S006", rep: org.repB1), scope: northManager)
            }
            await expectStorageError(.missingReference, "a distributor outside the manager's scope") {
                _ = try await storage.stores.create(storeDraft("S006", distributor: world.distB, rep: org.repA1), scope: northManager)
            }
            await expectStorageError(.missingReference, "a manager creating a store linked to nothing") {
                _ = try await storage.stores.create(storeDraft("S006"), scope: northManager)
            }
            await expectStorageError(.missingReference, "a node that is not a 业代 node") {
                _ = try await storage.stores.create(storeDraft("S006", rep: org.beijing), scope: hq)
            }
            await expectStorageError(.missingReference, "an unknown distributor") {
                _ = try await storage.stores.create(storeDraft("S006", distributor: nil, rep: nil).withDistributor(999_999), scope: hq)
            }
            await expectStorageError(.duplicate, "a taken store code") {
                _ = try await storage.stores.create(storeDraft("S001", rep: org.repA1), scope: hq)
            }
            draft.code = "S001"
            await expectStorageError(.duplicate, "a taken store code, by a manager") {
                _ = try await storage.stores.create(draft, scope: northManager)
            }
            #expect(try await storage.stores.list(ListQuery(), filter: StoreFilter(), scope: hq).total == 5)

            // The same code is free in another tenant.
            let otherStore = try await storage.stores.create(storeDraft("S001"), scope: .wholeTenant(other.id))
            #expect(try await storage.stores.get(id: otherStore.id, scope: .wholeTenant(other.id))?.store.code == "S001")
            #expect(try await storage.stores.existingCodes(["S001", "S005"], tenantID: other.id) == ["S001"])
        }
    }

    @Test(arguments: Backend.all)
    func storesCreateManyIsAllOrNothing(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let hq = world.hq
            let org = world.org

            func total() async throws -> Int {
                try await storage.stores.list(ListQuery(limit: 1), filter: StoreFilter(), scope: hq).total
            }

            let codes = (1...2_000).map { String(format: "B%05d", $0) }
            let drafts = codes.enumerated().map { index, code in
                storeDraft(
                    code, type: index.isMultiple(of: 2) ? .grocery : .restaurant, region: Regions.haidian,
                    distributor: world.distA, rep: index.isMultiple(of: 2) ? org.repA1 : org.repA2)
            }
            #expect(try await storage.stores.createMany(drafts, scope: hq) == 2_000)
            #expect(try await total() == 2_004)
            #expect(try await storage.stores.list(ListQuery(limit: 1), filter: StoreFilter(type: .restaurant), scope: hq).total == 1_000)
            #expect(try await storage.stores.list(ListQuery(limit: 1), filter: StoreFilter(), scope: world.scope(org.repA2)).total == 1_001)
            let page = try await storage.stores.list(ListQuery(limit: 500, offset: 1_000), filter: StoreFilter(), scope: hq)
            #expect(page.items.count == 500)
            #expect(page.total == 2_004)
            #expect(Set(page.items.map(\.store.id)).count == 500)

            // existingCodes, across more codes than one lookup takes.
            #expect(try await storage.stores.existingCodes(codes + ["NOPE"], tenantID: world.tenant.id) == Set(codes))
            #expect(try await storage.stores.existingCodes(["S001", "B00001", "ZZZ"], tenantID: world.tenant.id) == ["S001", "B00001"])
            #expect(try await storage.stores.existingCodes([], tenantID: world.tenant.id).isEmpty)

            // One duplicate (an existing code) sinks the whole batch.
            var second = (1...2_000).map { storeDraft(String(format: "C%05d", $0), rep: org.repA1) }
            second[1_234].code = "S003"
            await expectStorageError(.duplicate, "a batch with a code already taken") {
                _ = try await storage.stores.createMany(second, scope: hq)
            }
            #expect(try await total() == 2_004)
            #expect(try await storage.stores.existingCodes(["C00001", "C01234", "C02000"], tenantID: world.tenant.id).isEmpty)

            // A duplicate within the batch itself does too.
            var third = (1...50).map { storeDraft(String(format: "E%05d", $0), rep: org.repB1) }
            third[49].code = third[0].code
            await expectStorageError(.duplicate, "a batch repeating a code") {
                _ = try await storage.stores.createMany(third, scope: hq)
            }
            #expect(try await total() == 2_004)

            // A link outside the caller's scope rejects the batch before anything is written.
            var fourth = (1...20).map { storeDraft(String(format: "F%05d", $0), rep: org.repA1) }
            fourth[10] = storeDraft("F-SOUTH", rep: org.repB1)
            await expectStorageError(.missingReference, "a batch with a store outside the scope") {
                _ = try await storage.stores.createMany(fourth, scope: world.scope(org.north))
            }
            #expect(try await total() == 2_004)
            #expect(try await storage.stores.createMany([], scope: hq) == 0)

            // A clean batch by a manager lands.
            fourth[10] = storeDraft("F-NORTH", rep: org.repA2)
            #expect(try await storage.stores.createMany(fourth, scope: world.scope(org.north)) == 20)
            #expect(try await total() == 2_024)
        }
    }

    @Test(arguments: Backend.all)
    func reassigningADistributorRescopesWhatHangsOffIt(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let org = world.org
            let hq = world.hq
            let north = world.scope(org.north)
            let south = world.scope(org.south)

            // A store without a salesperson, and a distributor's user, are scoped by the distributor's node.
            let kiosk = try await storage.stores.create(storeDraft("K001", distributor: world.distA), scope: hq)
            let dealer = try await storage.users.create(
                UserDraft(username: "dealer-a", displayName: "经销商甲", role: .distributor, distributorID: world.distA.id), passwordHash: nil, scope: hq)
            #expect(try await storage.stores.get(id: kiosk.id, scope: north) != nil)
            #expect(try await storage.stores.get(id: kiosk.id, scope: south) == nil)
            #expect(try await storage.users.get(id: dealer.id, scope: north) != nil)

            // HQ hands the distributor over to 深圳.
            let draft = DistributorDraft(code: "D-A", name: world.distA.name, orgNodeID: org.shenzhen.id, territory: world.distA.territory)
            _ = try await storage.distributors.update(id: world.distA.id, draft, scope: hq)
            #expect(try await storage.distributors.get(id: world.distA.id, scope: south)?.orgNodeID == org.shenzhen.id)
            // Stores with a salesperson stay with the salesperson's node.
            #expect(try await storage.stores.get(id: world.s1.id, scope: north) != nil)
            #expect(try await storage.stores.get(id: world.s1.id, scope: south) == nil)

            // Stores reached only through the distributor, and its staff, follow it.
            #expect(try await storage.stores.get(id: kiosk.id, scope: south) != nil)
            #expect(try await storage.stores.get(id: kiosk.id, scope: north) == nil)
            #expect(try await storage.users.get(id: dealer.id, scope: south) != nil)
            #expect(try await storage.users.get(id: dealer.id, scope: north) == nil)
        }
    }

    // MARK: - Products

    @Test(arguments: Backend.all)
    func products(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let tenant = try await makeTenant(storage, "products")
            let other = try await makeTenant(storage, "products-other")
            let cola = try await storage.products.create(
                ProductDraft(
                    sku: "COLA-330", gtin: try makeGTIN("690123456789"), name: "可乐 330ml", category: "饮料",
                    priceFen: 350, unitsPerCase: 24, launchDate: "2024-03-01"),
                tenantID: tenant.id)
            let tea = try await storage.products.create(
                ProductDraft(
                    sku: "TEA-500", gtin: try makeGTIN("690123456790"), name: "绿茶 500ml", category: "饮料",
                    priceFen: 400, unitsPerCase: 15),
                tenantID: tenant.id)
            let chips = try await storage.products.create(
                ProductDraft(
                    sku: "CHIPS-70", gtin: try makeGTIN("1234567"), name: "薯片 70g", category: "零食",
                    priceFen: 650, unitsPerCase: 30, status: .inactive),
                tenantID: tenant.id)
            #expect(chips.gtin.digits.count == 14)

            let fetched = try #require(try await storage.products.get(id: cola.id, tenantID: tenant.id))
            #expect(fetched == cola)
            let colaGTIN = try makeGTIN("690123456789")
            #expect(fetched.gtin == colaGTIN)
            #expect(fetched.launchDate == "2024-03-01")
            #expect(try await storage.products.get(id: tea.id, tenantID: tenant.id)?.launchDate == nil)
            #expect(try await storage.products.get(id: chips.id, tenantID: tenant.id)?.status == .inactive)

            func ids(_ query: ListQuery = ListQuery(), category: String? = nil, tenantID: Int64? = nil) async throws -> [Int64] {
                try await storage.products.list(query, category: category, tenantID: tenantID ?? tenant.id).items.map(\.id)
            }
            #expect(try await ids() == [cola.id, tea.id, chips.id])
            #expect(try await ids(category: "饮料") == [cola.id, tea.id])
            #expect(try await ids(ListQuery(search: "薯片")) == [chips.id])
            #expect(try await ids(ListQuery(search: "tea")) == [tea.id])
            #expect(try await ids(ListQuery(search: "0690123456789")) == [cola.id])
            #expect(try await ids(ListQuery(search: "ml"), category: "零食").isEmpty)
            let paged = try await storage.products.list(ListQuery(limit: 2, offset: 2), category: nil, tenantID: tenant.id)
            #expect(paged.total == 3)
            #expect(paged.items.map(\.id) == [chips.id])

            // Update.
            let newDraft = ProductDraft(
                sku: "COLA-330", gtin: try makeGTIN("690123456789"), name: "可乐 330ml 新包装", category: "饮料",
                priceFen: 380, unitsPerCase: 24, launchDate: nil, status: .active)
            let updated = try await storage.products.update(id: cola.id, newDraft, tenantID: tenant.id)
            #expect(updated.name == "可乐 330ml 新包装")
            #expect(updated.priceFen == 380)
            #expect(updated.launchDate == nil)
            #expect(updated.createdAt == cola.createdAt)
            #expect(try await storage.products.get(id: cola.id, tenantID: tenant.id) == updated)

            // Unique SKU and GTIN per tenant.
            await expectStorageError(.duplicate, "a taken SKU") {
                _ = try await storage.products.create(
                    ProductDraft(sku: "TEA-500", gtin: try makeGTIN("690123456791"), name: "另一款", category: "饮料", priceFen: 1, unitsPerCase: 1),
                    tenantID: tenant.id)
            }
            await expectStorageError(.duplicate, "a taken GTIN") {
                _ = try await storage.products.create(
                    ProductDraft(sku: "TEA-501", gtin: try makeGTIN("690123456790"), name: "另一款", category: "饮料", priceFen: 1, unitsPerCase: 1),
                    tenantID: tenant.id)
            }
            await expectStorageError(.duplicate, "the same GTIN written as GTIN-14") {
                _ = try await storage.products.create(
                    ProductDraft(sku: "TEA-502", gtin: try makeGTIN("0690123456790"), name: "另一款", category: "饮料", priceFen: 1, unitsPerCase: 1),
                    tenantID: tenant.id)
            }
            await expectStorageError(.duplicate, "updating to a taken SKU") {
                var draft = newDraft
                draft.sku = "CHIPS-70"
                _ = try await storage.products.update(id: cola.id, draft, tenantID: tenant.id)
            }
            await expectStorageError(.duplicate, "a batch with a taken GTIN") {
                _ = try await storage.products.createMany(
                    [
                        ProductDraft(sku: "NEW-1", gtin: try makeGTIN("690123456792"), name: "新品1", category: "饮料", priceFen: 1, unitsPerCase: 1),
                        ProductDraft(sku: "NEW-2", gtin: try makeGTIN("1234567"), name: "新品2", category: "饮料", priceFen: 1, unitsPerCase: 1),
                    ], tenantID: tenant.id)
            }
            #expect(try await storage.products.list(ListQuery(), category: nil, tenantID: tenant.id).total == 3)
            #expect(
                try await storage.products.createMany(
                    [
                        ProductDraft(sku: "NEW-1", gtin: try makeGTIN("690123456792"), name: "新品1", category: "饮料", priceFen: 1, unitsPerCase: 1),
                        ProductDraft(sku: "NEW-2", gtin: try makeGTIN("690123456793"), name: "新品2", category: "饮料", priceFen: 1, unitsPerCase: 1),
                    ], tenantID: tenant.id) == 2)
            #expect(try await storage.products.list(ListQuery(), category: nil, tenantID: tenant.id).total == 5)

            // Tenant isolation: nothing crosses, and the same SKU and GTIN are free elsewhere.
            #expect(try await ids(tenantID: other.id).isEmpty)
            #expect(try await storage.products.get(id: cola.id, tenantID: other.id) == nil)
            await expectStorageError(.notFound, "another tenant updating the product") {
                _ = try await storage.products.update(id: cola.id, newDraft, tenantID: other.id)
            }
            #expect(try await storage.products.get(id: cola.id, tenantID: tenant.id)?.priceFen == 380)
            let otherCola = try await storage.products.create(
                ProductDraft(sku: "COLA-330", gtin: try makeGTIN("690123456789"), name: "别家可乐", category: "饮料", priceFen: 300, unitsPerCase: 24),
                tenantID: other.id)
            #expect(try await ids(tenantID: other.id) == [otherCola.id])
            #expect(try await ids(ListQuery(search: "别家")).isEmpty)
        }
    }

    // MARK: - Users

    @Test(arguments: Backend.all)
    func usersRolesAndPrincipals(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let hq = world.hq
            let org = world.org
            let tenantID = world.tenant.id

            let admin = try await storage.users.create(
                UserDraft(username: "boss", displayName: "总部管理员", role: .admin),
                passwordHash: "hash-admin", scope: hq)
            let manager = try await storage.users.create(
                UserDraft(username: "north", displayName: "华北经理", role: .manager, orgNodeID: org.north.id),
                passwordHash: "hash-manager", scope: hq)
            let rep = try await storage.users.create(
                UserDraft(username: "rep-a1", displayName: "业代甲", role: .salesperson, orgNodeID: org.repA1.id),
                passwordHash: nil, scope: hq)
            let dealer = try await storage.users.create(
                UserDraft(username: "dealer-a", displayName: "经销商甲", role: .distributor, distributorID: world.distA.id),
                passwordHash: "hash-dealer", scope: hq)
            let shop = try await storage.users.create(
                UserDraft(username: "shop-3", displayName: "店员丙", role: .store, storeID: world.s3.id),
                passwordHash: "hash-shop", scope: hq)
            #expect(manager.orgNodeID == org.north.id)
            #expect(dealer.distributorID == world.distA.id)
            #expect(shop.storeID == world.s3.id)
            #expect(try await storage.users.get(id: manager.id, scope: hq) == manager)

            // Principals carry the scope the role gives.
            let adminPrincipal = try #require(try await storage.users.principal(tenantID: tenantID, userID: admin.id))
            #expect(adminPrincipal.role == .admin)
            #expect(adminPrincipal.scope == .wholeTenant(tenantID))
            #expect(adminPrincipal.username == "boss")
            #expect(adminPrincipal.displayName == "总部管理员")
            #expect(adminPrincipal.userID == admin.id)
            #expect(adminPrincipal.tenantID == tenantID)
            #expect(
                try await storage.users.principal(tenantID: tenantID, userID: manager.id)?.scope
                    == AccessScope(tenantID: tenantID, reach: .orgSubtree(path: org.north.path)))
            #expect(
                try await storage.users.principal(tenantID: tenantID, userID: rep.id)?.scope
                    == AccessScope(tenantID: tenantID, reach: .orgSubtree(path: org.repA1.path)))
            #expect(
                try await storage.users.principal(tenantID: tenantID, userID: dealer.id)?.scope
                    == AccessScope(tenantID: tenantID, reach: .distributor(id: world.distA.id)))
            #expect(
                try await storage.users.principal(tenantID: tenantID, userID: shop.id)?.scope
                    == AccessScope(tenantID: tenantID, reach: .store(id: world.s3.id)))
            #expect(try await storage.users.principal(tenantID: tenantID, userID: 999_999) == nil)

            // Credentials.
            let credentials = try #require(try await storage.users.credentials(tenantID: tenantID, username: "north"))
            #expect(credentials.passwordHash == "hash-manager")
            #expect(credentials.user == manager)
            #expect(try await storage.users.credentials(tenantID: tenantID, username: "rep-a1")?.passwordHash == nil)
            #expect(try await storage.users.credentials(tenantID: tenantID, username: "nobody") == nil)

            // Attachments must match the role.
            await expectStorageError(.missingReference, "a salesperson on a city node") {
                _ = try await storage.users.create(
                    UserDraft(username: "x1", displayName: "x", role: .salesperson, orgNodeID: org.beijing.id),
                    passwordHash: nil, scope: hq)
            }
            await expectStorageError(.missingReference, "a manager on a 业代 node") {
                _ = try await storage.users.create(
                    UserDraft(username: "x2", displayName: "x", role: .manager, orgNodeID: org.repA1.id),
                    passwordHash: nil, scope: hq)
            }
            await expectStorageError(.missingReference, "a manager without a node") {
                _ = try await storage.users.create(UserDraft(username: "x3", displayName: "x", role: .manager), passwordHash: nil, scope: hq)
            }
            await expectStorageError(.missingReference, "an unknown distributor") {
                _ = try await storage.users.create(
                    UserDraft(username: "x4", displayName: "x", role: .distributor, distributorID: 999_999),
                    passwordHash: nil, scope: hq)
            }
            await expectStorageError(.missingReference, "an unknown store") {
                _ = try await storage.users.create(
                    UserDraft(username: "x5", displayName: "x", role: .store, storeID: 999_999),
                    passwordHash: nil, scope: hq)
            }
            await expectStorageError(.duplicate, "a taken username") {
                _ = try await storage.users.create(UserDraft(username: "north", displayName: "重名", role: .admin), passwordHash: nil, scope: hq)
            }

            // A manager creates users in its subtree only, and never admins.
            let northScope = try #require(try await storage.users.principal(tenantID: tenantID, userID: manager.id)).scope
            let newRep = try await storage.users.create(
                UserDraft(username: "rep-a2", displayName: "业代乙", role: .salesperson, orgNodeID: org.repA2.id),
                passwordHash: "hash-rep2", scope: northScope)
            #expect(try await storage.users.principal(tenantID: tenantID, userID: newRep.id)?.scope == world.scope(org.repA2))
            await expectStorageError(.missingReference, "a manager creating an admin") {
                _ = try await storage.users.create(UserDraft(username: "x6", displayName: "x", role: .admin), passwordHash: nil, scope: northScope)
            }
            await expectStorageError(.missingReference, "a manager creating a manager outside its subtree") {
                _ = try await storage.users.create(
                    UserDraft(username: "x7", displayName: "x", role: .manager, orgNodeID: org.south.id),
                    passwordHash: nil, scope: northScope)
            }
            await expectStorageError(.missingReference, "a manager creating a store user outside its subtree") {
                _ = try await storage.users.create(
                    UserDraft(username: "x8", displayName: "x", role: .store, storeID: world.s3.id),
                    passwordHash: nil, scope: northScope)
            }
            await expectStorageError(.missingReference, "a manager creating a distributor user outside its subtree") {
                _ = try await storage.users.create(
                    UserDraft(username: "x9", displayName: "x", role: .distributor, distributorID: world.distB.id),
                    passwordHash: nil, scope: northScope)
            }
            #expect(try await storage.users.credentials(tenantID: tenantID, username: "x6") == nil)

            // Lists are scoped.
            func names(_ scope: AccessScope, role: Role? = nil, search: String? = nil) async throws -> [String] {
                try await storage.users.list(ListQuery(search: search), role: role, scope: scope).items.map(\.username)
            }
            #expect(try await names(hq) == ["boss", "north", "rep-a1", "dealer-a", "shop-3", "rep-a2"])
            #expect(try await storage.users.list(ListQuery(limit: 2, offset: 2), role: nil, scope: hq).total == 6)
            #expect(
                try await storage.users.list(ListQuery(limit: 2, offset: 2), role: nil, scope: hq).items.map(\.username) == ["rep-a1", "dealer-a"])
            #expect(try await names(hq, role: .salesperson) == ["rep-a1", "rep-a2"])
            #expect(try await names(hq, search: "经销商") == ["dealer-a"])
            #expect(try await names(northScope) == ["north", "rep-a1", "dealer-a", "rep-a2"])
            #expect(try await names(world.scope(org.south)) == ["shop-3"])
            #expect(try await names(world.scope(org.repA1)) == ["rep-a1"])
            #expect(try await names(world.scope(world.distA)) == ["dealer-a"])
            #expect(try await names(world.scope(world.s3)) == ["shop-3"])
            #expect(try await storage.users.get(id: admin.id, scope: northScope) == nil)
            #expect(try await storage.users.get(id: shop.id, scope: northScope) == nil)

            // Updates: scoped, and the password changes only when a new hash is given.
            var repDraft = UserDraft(username: "rep-a1", displayName: "业代甲(改)", role: .salesperson, orgNodeID: org.repA1.id)
            let renamed = try await storage.users.update(id: rep.id, repDraft, passwordHash: nil, scope: northScope)
            #expect(renamed.displayName == "业代甲(改)")
            #expect(try await storage.users.credentials(tenantID: tenantID, username: "north")?.passwordHash == "hash-manager")
            _ = try await storage.users.update(id: rep.id, repDraft, passwordHash: "hash-new", scope: northScope)
            #expect(try await storage.users.credentials(tenantID: tenantID, username: "rep-a1")?.passwordHash == "hash-new")
            _ = try await storage.users.update(id: rep.id, repDraft, passwordHash: nil, scope: northScope)
            #expect(try await storage.users.credentials(tenantID: tenantID, username: "rep-a1")?.passwordHash == "hash-new")
            await expectStorageError(.notFound, "a manager updating a user outside its subtree") {
                _ = try await storage.users.update(
                    id: shop.id, UserDraft(username: "shop-3", displayName: "改", role: .salesperson, orgNodeID: org.repA1.id),
                    passwordHash: nil, scope: northScope)
            }
            await expectStorageError(.missingReference, "a manager promoting a user to admin") {
                _ = try await storage.users.update(
                    id: rep.id, UserDraft(username: "rep-a1", displayName: "x", role: .admin), passwordHash: nil, scope: northScope)
            }

            // Inactive users get no principal.
            repDraft.active = false
            let deactivated = try await storage.users.update(id: rep.id, repDraft, passwordHash: nil, scope: northScope)
            #expect(deactivated.active == false)
            #expect(try await storage.users.principal(tenantID: tenantID, userID: rep.id) == nil)
            #expect(try await storage.users.credentials(tenantID: tenantID, username: "rep-a1")?.user.active == false)
            let inactive = try await storage.users.create(
                UserDraft(username: "gone", displayName: "离职", role: .manager, orgNodeID: org.south.id, active: false), passwordHash: "h", scope: hq)
            #expect(inactive.active == false)
            #expect(try await storage.users.principal(tenantID: tenantID, userID: inactive.id) == nil)

            // Another tenant sees none of them.
            let other = try await makeTenant(storage, "users-other")
            #expect(try await storage.users.principal(tenantID: other.id, userID: admin.id) == nil)
            #expect(try await storage.users.credentials(tenantID: other.id, username: "boss") == nil)
            #expect(try await storage.users.list(ListQuery(), role: nil, scope: .wholeTenant(other.id)).total == 0)
            #expect(try await storage.users.get(id: admin.id, scope: .wholeTenant(other.id)) == nil)
            let otherBoss = try await storage.users.create(
                UserDraft(username: "boss", displayName: "别家管理员", role: .admin),
                passwordHash: "other-hash", scope: .wholeTenant(other.id))
            #expect(try await storage.users.credentials(tenantID: other.id, username: "boss")?.user.id == otherBoss.id)
            #expect(try await storage.users.credentials(tenantID: tenantID, username: "boss")?.passwordHash == "hash-admin")
        }
    }

    // MARK: - Auth tokens

    @Test(arguments: Backend.all)
    func authTokens(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let tenant = try await makeTenant(storage, "tokens")
            let hq = AccessScope.wholeTenant(tenant.id)
            let alice = try await storage.users.create(UserDraft(username: "alice", displayName: "Alice", role: .admin), passwordHash: "h", scope: hq)
            let bob = try await storage.users.create(UserDraft(username: "bob", displayName: "Bob", role: .admin), passwordHash: "h", scope: hq)
            let now = currentMillis()
            let hour: Int64 = 3_600_000

            let session = try await storage.tokens.create(
                tenantID: tenant.id, userID: alice.id, kind: .session, name: "浏览器",
                tokenHash: "hash-session", expiresAt: now + hour)
            let expired = try await storage.tokens.create(
                tenantID: tenant.id, userID: alice.id, kind: .session, name: "旧会话",
                tokenHash: "hash-expired", expiresAt: now - 1)
            let api = try await storage.tokens.create(
                tenantID: tenant.id, userID: alice.id, kind: .api, name: "ERP 对接",
                tokenHash: "hash-api", expiresAt: nil)
            let bobs = try await storage.tokens.create(
                tenantID: tenant.id, userID: bob.id, kind: .api, name: "bob",
                tokenHash: "hash-bob", expiresAt: nil)
            #expect(session.userID == alice.id)
            #expect(session.kind == .session)
            #expect(session.revokedAt == nil)
            #expect(Set([session.id, expired.id, api.id, bobs.id]).count == 4)

            // Resolving by hash.
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-session", now: now) == alice.id)
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-api", now: now + 1_000 * hour) == alice.id)
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-bob", now: now) == bob.id)
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-expired", now: now) == nil)
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-session", now: now + 2 * hour) == nil)
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-unknown", now: now) == nil)
            await expectStorageError(.duplicate, "a hash used twice") {
                _ = try await storage.tokens.create(
                    tenantID: tenant.id, userID: bob.id, kind: .api, name: "dup", tokenHash: "hash-api", expiresAt: nil)
            }

            // Lists by user and kind.
            let sessions = try await storage.tokens.list(tenantID: tenant.id, userID: alice.id, kind: .session)
            #expect(sessions.map(\.id) == [session.id, expired.id])
            #expect(sessions.first == session)
            #expect(try await storage.tokens.list(tenantID: tenant.id, userID: alice.id, kind: .api) == [api])
            #expect(try await storage.tokens.list(tenantID: tenant.id, userID: bob.id, kind: .session).isEmpty)

            // Revoking by id: only one's own live tokens.
            await expectStorageError(.notFound, "revoking another user's token") {
                try await storage.tokens.revoke(tenantID: tenant.id, userID: bob.id, id: api.id, now: now)
            }
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-api", now: now) == alice.id)
            try await storage.tokens.revoke(tenantID: tenant.id, userID: alice.id, id: api.id, now: now)
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-api", now: now) == nil)
            #expect(try await storage.tokens.list(tenantID: tenant.id, userID: alice.id, kind: .api).first?.revokedAt == now)
            await expectStorageError(.notFound, "revoking a revoked token") {
                try await storage.tokens.revoke(tenantID: tenant.id, userID: alice.id, id: api.id, now: now + 1)
            }
            await expectStorageError(.notFound, "revoking a missing token") {
                try await storage.tokens.revoke(tenantID: tenant.id, userID: alice.id, id: 999_999, now: now)
            }

            // Revoking by hash (sign-out).
            try await storage.tokens.revoke(tenantID: tenant.id, tokenHash: "hash-session", now: now)
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-session", now: now) == nil)
            #expect(try await storage.tokens.list(tenantID: tenant.id, userID: alice.id, kind: .session).first?.revokedAt == now)
            try await storage.tokens.revoke(tenantID: tenant.id, tokenHash: "hash-unknown", now: now)
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-bob", now: now) == bob.id)

            // Tenants do not share tokens.
            let other = try await makeTenant(storage, "tokens-other")
            let carol = try await storage.users.create(
                UserDraft(username: "carol", displayName: "Carol", role: .admin), passwordHash: "h",
                scope: .wholeTenant(other.id))
            _ = try await storage.tokens.create(
                tenantID: other.id, userID: carol.id, kind: .api, name: "other", tokenHash: "hash-other", expiresAt: nil)
            #expect(try await storage.tokens.userID(tenantID: other.id, tokenHash: "hash-other", now: now) == carol.id)
            #expect(try await storage.tokens.userID(tenantID: tenant.id, tokenHash: "hash-other", now: now) == nil)
            #expect(try await storage.tokens.userID(tenantID: other.id, tokenHash: "hash-bob", now: now) == nil)
            try await storage.tokens.revoke(tenantID: tenant.id, tokenHash: "hash-other", now: now)
            #expect(try await storage.tokens.userID(tenantID: other.id, tokenHash: "hash-other", now: now) == carol.id)
            await expectStorageError(.missingReference, "a token for a user of another tenant") {
                _ = try await storage.tokens.create(tenantID: other.id, userID: 999_999, kind: .api, name: "x", tokenHash: "hash-x", expiresAt: nil)
            }
        }
    }

    // MARK: - Import runs

    @Test(arguments: Backend.all)
    func importRuns(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let tenantID = world.tenant.id
            let org = world.org

            func run(_ fileName: String, rows: Int, errors: Int) -> ImportRun {
                ImportRun(
                    id: 0, kind: "stores", fileName: fileName, format: "xlsx", userID: 7, totalRows: rows, importedRows: rows - errors,
                    errorCount: errors, errorsJSON: errors == 0 ? "[]" : #"[{"row":2,"column":"region","code":"unknown_region","message":"未知地区"}]"#,
                    createdAt: 1_700_000_000_000)
            }
            let hqRun = try await storage.imports.record(run("总部门店.xlsx", rows: 100, errors: 0), orgPath: "", tenantID: tenantID)
            let beijingRun = try await storage.imports.record(run("北京门店.xlsx", rows: 10, errors: 1), orgPath: org.beijing.path, tenantID: tenantID)
            let shenzhenRun = try await storage.imports.record(run("深圳门店.csv", rows: 5, errors: 0), orgPath: org.shenzhen.path, tenantID: tenantID)
            #expect(Set([hqRun.id, beijingRun.id, shenzhenRun.id]).count == 3)

            let fetched = try #require(try await storage.imports.get(id: beijingRun.id, scope: world.hq))
            #expect(fetched == beijingRun)
            #expect(fetched.fileName == "北京门店.xlsx")
            #expect(fetched.totalRows == 10)
            #expect(fetched.importedRows == 9)
            #expect(fetched.errorCount == 1)
            #expect(fetched.errorsJSON.contains("unknown_region"))
            #expect(fetched.createdAt == 1_700_000_000_000)

            // Newest first; scoped like the org.
            let all = try await storage.imports.list(ListQuery(), scope: world.hq)
            #expect(all.items.map(\.id) == [shenzhenRun.id, beijingRun.id, hqRun.id])
            #expect(all.total == 3)
            let paged = try await storage.imports.list(ListQuery(limit: 1, offset: 1), scope: world.hq)
            #expect(paged.items.map(\.id) == [beijingRun.id])
            #expect(paged.total == 3)
            #expect(try await storage.imports.list(ListQuery(), scope: world.scope(org.north)).items.map(\.id) == [beijingRun.id])
            #expect(try await storage.imports.list(ListQuery(), scope: world.scope(org.north)).total == 1)
            #expect(try await storage.imports.list(ListQuery(), scope: world.scope(org.south)).items.map(\.id) == [shenzhenRun.id])
            #expect(try await storage.imports.list(ListQuery(), scope: world.scope(org.repA1)).total == 0)
            #expect(try await storage.imports.get(id: beijingRun.id, scope: world.scope(org.south)) == nil)
            #expect(try await storage.imports.get(id: hqRun.id, scope: world.scope(org.north)) == nil)
            #expect(try await storage.imports.get(id: beijingRun.id, scope: world.scope(org.northArea))?.id == beijingRun.id)
            #expect(try await storage.imports.list(ListQuery(), scope: world.scope(world.distA)).total == 0)
            #expect(try await storage.imports.get(id: beijingRun.id, scope: world.scope(world.s1)) == nil)

            let other = try await makeTenant(storage, "imports-other")
            #expect(try await storage.imports.list(ListQuery(), scope: .wholeTenant(other.id)).total == 0)
            #expect(try await storage.imports.get(id: hqRun.id, scope: .wholeTenant(other.id)) == nil)
        }
    }

    // MARK: - Id allocation

    @Test(arguments: Backend.all)
    func concurrentIDAllocation(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let tenant = try await makeTenant(storage, "ids")
            let database = storage.database
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await database.allocateIDs("x", tenantID: tenant.id) }
                }
                var ids: [Int64] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            #expect(ids.count == 50)
            #expect(Set(ids).count == 50)
            // With no failed allocations in between, the ids are consecutive.
            #expect(ids.max()! - ids.min()! == 49)

            // Ranges: a block of ids, then the next one after it; sequences are per tenant and name.
            let block = try await database.allocateIDs("x", tenantID: tenant.id, count: 10)
            #expect(block == ids.max()! + 1)
            #expect(try await database.allocateIDs("x", tenantID: tenant.id) == block + 10)
            let other = try await makeTenant(storage, "ids-other")
            let otherFirst = try await database.allocateIDs("x", tenantID: other.id)
            #expect(try await database.allocateIDs("x", tenantID: other.id) == otherFirst + 1)
            #expect(try await database.allocateIDs("y", tenantID: tenant.id) == ids.min()!)

            // Concurrent blocks do not overlap.
            let blocks = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await database.allocateIDs("z", tenantID: tenant.id, count: 5) }
                }
                var firsts: [Int64] = []
                for try await first in group { firsts.append(first) }
                return firsts
            }
            let covered = blocks.flatMap { first in (0..<5).map { first + $0 } }
            #expect(Set(covered).count == 100)
        }
    }
}

extension StorageConformanceTests {
    // MARK: - Store alert feed

    /// The abnormal-store feed: newest first across pages, each manager's subtree only, filters inside it.
    @Test(arguments: Backend.all)
    func storeAlertFeedPagesNewestFirstWithinTheSubtree(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let org = world.org
            let day: Int64 = 20_700
            let plan: [(day: Int64, store: Store, rep: OrgNode, kind: StoreAnomalyKind)] = [
                (day, world.s1, org.repA1, .dormant), (day, world.s2, org.repA2, .tooLow), (day, world.s3, org.repB1, .tooHigh),
                (day + 1, world.s1, org.repA1, .offPeers), (day + 1, world.s3, org.repB1, .dormant),
                (day + 2, world.s2, org.repA2, .dormant), (day + 2, world.s1, org.repA1, .tooHigh),
            ]
            for runDay in day...(day + 2) {
                let findings = plan.filter { $0.day == runDay }.map {
                    StoreFinding(
                        anomaly: StoreAnomaly(
                            storeID: $0.store.id, kind: $0.kind, score: 4, baseline: 30, observed: 3, peerMedian: nil, reason: "test"),
                        orgPath: $0.rep.path, salespersonNodeID: $0.rep.id, dueDay: runDay + 7)
                }
                _ = try await storage.storeJob.applyJob(
                    findings: findings, outcomes: [], profiles: [], scanRates: [], day: runDay,
                    at: BusinessDay.start(ofDay: runDay + 1), tenantID: world.tenant.id)
            }
            func all(
                _ scope: AccessScope, _ filter: StoreAlertFilter = StoreAlertFilter(), pageSize: Int = 2
            ) async throws -> (items: [StoreAlert], totals: Set<Int>) {
                var items: [StoreAlert] = []
                var totals: Set<Int> = []
                for offset in stride(from: 0, to: 10, by: pageSize) {
                    let page = try await storage.storeTasks.alerts(ListQuery(limit: pageSize, offset: offset), filter: filter, scope: scope)
                    #expect(page.items.count <= pageSize)
                    items += page.items
                    totals.insert(page.total)
                }
                return (items, totals)
            }
            let newestFirst = { (items: [StoreAlert]) in zip(items, items.dropFirst()).allSatisfy { ($0.raisedDay, $0.id) > ($1.raisedDay, $1.id) } }

            let hq = try await all(world.hq)
            #expect(hq.items.count == 7 && hq.totals == [7] && Set(hq.items.map(\.id)).count == 7 && newestFirst(hq.items))
            #expect(hq.items.map(\.raisedDay) == [day + 2, day + 2, day + 1, day + 1, day, day, day])
            #expect(hq.items.first?.storeName == world.s1.name || hq.items.first?.storeName == world.s2.name)

            let north = try await all(world.scope(org.north))
            #expect(north.items.count == 5 && north.totals == [5] && newestFirst(north.items))
            #expect(Set(north.items.map(\.storeID)) == [world.s1.id, world.s2.id])
            let northDormant = try await all(world.scope(org.north), StoreAlertFilter(kind: .dormant), pageSize: 1)
            #expect(northDormant.items.map(\.storeID) == [world.s2.id, world.s1.id] && northDormant.totals == [2])
            let rep = try await all(world.scope(org.repA1))
            #expect(rep.items.map(\.kind) == [.tooHigh, .offPeers, .dormant] && rep.totals == [3])
            #expect(try await all(world.scope(org.south)).items.map(\.storeID) == [world.s3.id, world.s3.id])
            #expect(try await all(world.scope(world.distA)).items.isEmpty)
        }
    }

    /// An unresolved alert the job no longer finds closes itself with the reason recorded; found again later, it is raised anew.
    @Test(arguments: Backend.all)
    func alertsWhoseCauseIsGoneCloseThemselves(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let org = world.org
            let day: Int64 = 20_700
            let finding = { (store: Store, kind: StoreAnomalyKind, runDay: Int64) in
                StoreFinding(
                    anomaly: StoreAnomaly(storeID: store.id, kind: kind, score: 4, baseline: 30, observed: 3, peerMedian: nil, reason: "test"),
                    orgPath: org.repA1.path, salespersonNodeID: org.repA1.id, dueDay: runDay + 7)
            }
            let run = { (runDay: Int64, findings: [StoreFinding]) in
                try await storage.storeJob.applyJob(
                    findings: findings, outcomes: [], profiles: [], scanRates: [], day: runDay,
                    at: BusinessDay.start(ofDay: runDay + 1), tenantID: world.tenant.id)
            }
            #expect(try await run(day, [finding(world.s1, .dormant, day), finding(world.s2, .tooLow, day)]) == AppliedJob(raised: 2, closed: 0))
            #expect(try await run(day + 1, [finding(world.s1, .dormant, day + 1)]) == AppliedJob(raised: 0, closed: 1))
            let after = try await storage.storeTasks.alerts(ListQuery(limit: 10), filter: StoreAlertFilter(), scope: world.hq).items
            let dormant = try #require(after.first { $0.kind == .dormant }), low = try #require(after.first { $0.kind == .tooLow })
            #expect(dormant.status == .open && dormant.lastDay == day + 1 && dormant.resolution == nil)
            #expect(
                low.status == .resolved && low.resolution == .causeGone && low.resolvedBy == nil
                    && low.resolvedAt == BusinessDay.start(ofDay: day + 2)
                    && low.outcome == .pending && low.lastDay == day)
            // Found again: a new task, the closed one kept as it was.
            #expect(
                try await run(day + 2, [finding(world.s1, .dormant, day + 2), finding(world.s2, .tooLow, day + 2)])
                    == AppliedJob(raised: 1, closed: 0))
            let again = try await storage.storeTasks.alerts(ListQuery(limit: 10), filter: StoreAlertFilter(kind: .tooLow), scope: world.hq).items
            #expect(again.count == 2 && again.map(\.status) == [.open, .resolved] && again[0].raisedDay == day + 2, "\(again)")
            let unresolved = try await storage.storeTasks.alerts(ListQuery(limit: 10), filter: StoreAlertFilter(unresolved: true), scope: world.hq)
                .items
            #expect(Set(unresolved.map(\.kind)) == [.dormant, .tooLow] && unresolved.count == 2)
        }
    }

    // MARK: - Supply (the distributor's portal)

    @Test(arguments: Backend.all)
    func supplyReadsReceivedAndSoldWithinReach(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let tenantID = world.tenant.id
            let db = storage.database
            // S1 (distributor A) received 48 units on day 100 and 24 on day 90 (outside the period); sold 12 on day 101.
            // S2 (A) sold 5 and received nothing; S4 (X, inactive) received 24.
            for (store, day, units) in [(world.s1.id, 100, 48), (world.s1.id, 90, 24), (world.s4.id, 100, 24)] as [(Int64, Int64, Int64)] {
                try await db.execute(
                    """
                    INSERT INTO store_day_receipts (tenant_id, store_id, product_id, day, cases, units)
                    VALUES (\(tenantID), \(store), 1, \(day), \(units / 24), \(units))
                    """)
            }
            for (store, day, units) in [(world.s1.id, 101, 12), (world.s2.id, 101, 5)] as [(Int64, Int64, Int64)] {
                try await db.execute(
                    "INSERT INTO store_days (tenant_id, store_id, day, scans, units_sold) VALUES (\(tenantID), \(store), \(day), \(units), \(units))")
            }
            for (number, store, at) in [(0, world.s1.id, 1_000), (1, world.s2.id, 2_000), (2, world.s4.id, 3_000)] as [(Int64, Int64, Int64)] {
                let distributor = store == world.s4.id ? world.distX.id : world.distA.id
                try await db.execute(
                    """
                    INSERT INTO case_transfers (tenant_id, batch_id, case_number, distributor_id, store_id, transferred_at)
                    VALUES (\(tenantID), 1, \(number), \(distributor), \(store), \(at))
                    """)
            }
            let figures = storage.storeFigures
            let lines = try await figures.supply(from: 95, to: 110, limit: 100, scope: world.scope(world.distA))
            #expect(
                lines == [
                    SupplyLine(storeID: world.s1.id, storeCode: world.s1.code, storeName: world.s1.name, received: 48, sold: 12),
                    SupplyLine(storeID: world.s2.id, storeCode: world.s2.code, storeName: world.s2.name, received: 0, sold: 5),
                ])
            #expect(try await figures.supply(from: 95, to: 110, limit: 1, scope: world.scope(world.distA)).count == 1)
            // S4, distributor X's only store, is inactive: the portal leaves it out.
            #expect(try await figures.supply(from: 95, to: 110, limit: 100, scope: world.scope(world.distX)).isEmpty)
            #expect(try await figures.supply(from: 95, to: 110, limit: 100, scope: .wholeTenant(tenantID + 1_000_000)).isEmpty)

            let deliveries = try await figures.deliveries(limit: 10, scope: world.scope(world.distA))
            #expect(deliveries.map(\.storeID) == [world.s2.id, world.s1.id] && deliveries.first?.at == 2_000)
            #expect(try await figures.deliveries(limit: 10, scope: world.scope(world.s1)).map(\.caseNumber) == [0])
            #expect(try await figures.deliveries(limit: 10, scope: world.hq).count == 3)
        }
    }
}

extension StoreDraft {
    func withDistributor(_ id: Int64?) -> StoreDraft {
        var copy = self
        copy.distributorID = id
        return copy
    }
}
