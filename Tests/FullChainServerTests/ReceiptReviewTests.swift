import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Testing

/// A receipt recorded by a manager or HQ for a case outside the store's channel holds that
/// store's campaign rewards until HQ approves (they go to the store) or rejects it (they go back
/// to the campaign, and the store earns nothing more from the case).
@Suite("Receipt review")
struct ReceiptReviewTests {
    @Test(arguments: APIBackend.all)
    func aReceiptOutsideTheChannelHoldsTheStoresRewardsUntilHQDecides(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let admin = world.adminToken
            let manager = try #require(world.actors.first { $0.role == .manager }).token
            let storeStaff = try #require(world.actors.first { $0.role == .store }).token
            let otherDistributor = try #require(world.outsideA["distributors"])
            try await app.test { client in
                let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first)
                let created = try await client.call(
                    .post, "/api/v1/code-batches", token: admin,
                    json: #"{"productID":\#(product.id),"lot":"REVIEW","quantity":400,"unitsPerCase":100}"#)
                let batchID = try #require(created.json["id"] as? Int, "\(created.text)")
                let batch = try #require(try await app.storage.codes.batch(id: Int64(batchID), tenantID: tenantID))
                let signer = try #require(try await app.services.codeKeys.entry(keyID: batch.keyID)).signer
                let unit = { (serial: Int) in signer.text(for: batch.unitCode(serial)) }
                let range = { (first: Int, last: Int) in #"[{"batchID":\#(batchID),"firstCase":\#(first),"lastCase":\#(last)}]"# }
                #expect(
                    try await client.call(.post, "/api/v1/code-batches/\(batchID)/activations", token: admin, json: #"{"action":"activate"}"#).status
                        == .created)
                // Case 1 goes the usual way (to D1, ST1's distributor); cases 0, 2 and 3 go to another distributor.
                #expect(
                    try await client.call(
                        .post, "/api/v1/shipments", token: admin, json: #"{"distributorID":\#(world.distributorD1),"ranges":\#(range(1, 1))}"#
                    ).status == .created)
                for number in [0, 2, 3] {
                    #expect(
                        try await client.call(
                            .post, "/api/v1/shipments", token: admin,
                            json: #"{"distributorID":\#(otherDistributor),"ranges":\#(range(number, number))}"#
                        ).status == .created)
                }

                // The manager records ST1's receipt of another distributor's case: flagged and held.
                let held = try await client.call(
                    .post, "/api/v1/receipts", token: manager, json: #"{"storeID":\#(world.storeST1),"ranges":\#(range(0, 0))}"#)
                #expect(held.status == .created && held.json["flagged"] as? Int == 1 && held.json["held"] as? Int == 1, "\(held.text)")
                let usual = try await client.call(
                    .post, "/api/v1/receipts", token: manager, json: #"{"storeID":\#(world.storeST1),"ranges":\#(range(1, 1))}"#)
                #expect(usual.json["flagged"] as? Int == 0 && usual.json["held"] as? Int == 0, "\(usual.text)")
                // A case the other distributor delivered to ST1, received by ST1's own staff: flagged (窜货 evidence), not held.
                #expect(
                    try await client.call(.post, "/api/v1/transfers", token: admin, json: #"{"storeID":\#(world.storeST1),"ranges":\#(range(3, 3))}"#)
                        .status == .created)
                let caseCode = signer.text(for: batch.caseCode(3))
                let own = try await client.call(.post, "/api/v1/receipts", token: storeStaff, json: #"{"cases":["\#(caseCode)"]}"#)
                #expect(own.json["flagged"] as? Int == 1 && own.json["held"] as? Int == 0, "\(own.text)")

                let campaignID = try await CampaignDrawTests.campaign(
                    client, app, world, tiers: #"[{"name":"积分","kind":"points","points":5,"probability":1}]"#,
                    budgetFen: 0, storeRewardFen: 20, storeBudgetFen: 10_000)
                let wallet = { try await app.storage.ledger.balance(of: .storeWallet(storeID: world.storeST1), asset: .fen, tenantID: tenantID) }
                let heldFor = { (number: Int) in
                    try await app.storage.ledger.balance(
                        of: .heldStoreReward(
                            storeID: world.storeST1, batchID: Int64(batchID), caseNumber: number,
                            campaignID: Int64(campaignID)), asset: .fen, tenantID: tenantID)
                }
                // A unit of the held case: the store's reward is held; a unit of the usual case pays the store.
                #expect(CampaignDrawTests.outcome(try await CampaignDrawTests.scan(client, unit(0), device: "p-0")) == "won")
                #expect(CampaignDrawTests.outcome(try await CampaignDrawTests.scan(client, unit(100), device: "p-1")) == "won")
                #expect(CampaignDrawTests.outcome(try await CampaignDrawTests.scan(client, unit(300), device: "p-2")) == "won")
                #expect(try await wallet() == 40)
                #expect(try await heldFor(0) == 20)

                // HQ's review queue shows the held receipt and what it holds; nobody else reaches it.
                let queue = try await client.call(.get, "/api/v1/receipts/held", token: admin)
                #expect(queue.json["total"] as? Int == 1, "\(queue.text)")
                let item = try #require((queue.json["items"] as? [[String: Any]])?.first)
                #expect(item["caseNumber"] as? Int == 0 && item["storeID"] as? Int == Int(world.storeST1) && item["heldFen"] as? Int == 20)
                #expect(item["flag"] as? String == "other_distributor" && item["distributorID"] as? Int == Int(otherDistributor))
                // HQ's review page lists it with approve and reject buttons.
                let page = try await client.call(.get, "/campaigns/review", token: admin)
                let storeName = try #require(item["storeName"] as? String)
                #expect(page.status == .ok && page.text.contains("待审核收货") && page.text.contains(storeName), "\(page.text.prefix(300))")
                #expect(page.text.contains(#"data-batch="\#(batchID)" data-case="0""#) && page.text.contains("非本经销商的货"))
                for actor in world.actors {
                    #expect(try await client.call(.get, "/api/v1/receipts/held", token: actor.token).status == .forbidden)
                    let tried = try await client.call(
                        .post, "/api/v1/receipts/review", token: actor.token,
                        json: #"{"batchID":\#(batchID),"caseNumber":0,"decision":"approve"}"#)
                    #expect(tried.status == .forbidden, "\(actor.name): \(tried.text)")
                }
                #expect(try await wallet() == 40)

                // Hostile or unknown decisions change nothing.
                let bad = try await client.call(
                    .post, "/api/v1/receipts/review", token: admin, json: #"{"batchID":\#(batchID),"caseNumber":-1,"decision":"maybe"}"#)
                #expect(bad.status == .unprocessableContent && bad.text.contains("caseNumber") && bad.text.contains("decision"), "\(bad.text)")
                let unknown = try await client.call(
                    .post, "/api/v1/receipts/review", token: admin, json: #"{"batchID":\#(batchID),"caseNumber":9,"decision":"approve"}"#)
                #expect(unknown.status == .notFound)
                #expect(try await heldFor(0) == 20)

                // Approved: the held reward goes to the store, later scans pay it directly.
                let approved = try await client.call(
                    .post, "/api/v1/receipts/review", token: admin, json: #"{"batchID":\#(batchID),"caseNumber":0,"decision":"approve"}"#)
                #expect(
                    approved.status == .ok && approved.json["movedFen"] as? Int == 20 && approved.json["review"] as? String == "approved",
                    "\(approved.text)")
                #expect(try await wallet() == 60)
                #expect(try await heldFor(0) == 0)
                #expect(CampaignDrawTests.outcome(try await CampaignDrawTests.scan(client, unit(1), device: "p-3")) == "won")
                #expect(try await wallet() == 80)
                #expect(try await heldFor(0) == 0)
                #expect(try await client.call(.get, "/api/v1/receipts/held", token: admin).json["total"] as? Int == 0)
                // Decided once: the other way is refused, the same way again moves nothing more.
                let flip = try await client.call(
                    .post, "/api/v1/receipts/review", token: admin, json: #"{"batchID":\#(batchID),"caseNumber":0,"decision":"reject"}"#)
                #expect(flip.status == .conflict && flip.text.contains("already_reviewed"), "\(flip.text)")
                let again = try await client.call(
                    .post, "/api/v1/receipts/review", token: admin, json: #"{"batchID":\#(batchID),"caseNumber":0,"decision":"approve"}"#)
                #expect(again.status == .ok && again.json["movedFen"] as? Int == 0, "\(again.text)")
                // A receipt that needed no review has nothing to decide.
                let plain = try await client.call(
                    .post, "/api/v1/receipts/review", token: admin, json: #"{"batchID":\#(batchID),"caseNumber":1,"decision":"approve"}"#)
                #expect(plain.status == .conflict && plain.text.contains("not_held"), "\(plain.text)")

                // Rejected: the held reward goes back to the campaign's store budget, later scans pay the store nothing.
                #expect(
                    try await client.call(.post, "/api/v1/receipts", token: admin, json: #"{"storeID":\#(world.storeST1),"ranges":\#(range(2, 2))}"#)
                        .json["held"] as? Int == 1)
                #expect(CampaignDrawTests.outcome(try await CampaignDrawTests.scan(client, unit(200), device: "p-4")) == "won")
                #expect(try await heldFor(2) == 20)
                let budgetBefore = try await client.call(.get, "/api/v1/campaigns/\(campaignID)", token: admin).json["storeBudgetLeftFen"] as? Int
                let rejected = try await client.call(
                    .post, "/api/v1/receipts/review", token: admin, json: #"{"batchID":\#(batchID),"caseNumber":2,"decision":"reject"}"#)
                #expect(
                    rejected.status == .ok && rejected.json["movedFen"] as? Int == 20 && rejected.json["review"] as? String == "rejected",
                    "\(rejected.text)")
                #expect(try await heldFor(2) == 0)
                #expect(try await wallet() == 80)
                let budgetAfter = try await client.call(.get, "/api/v1/campaigns/\(campaignID)", token: admin).json["storeBudgetLeftFen"] as? Int
                #expect(budgetAfter == budgetBefore.map { $0 + 20 } && budgetAfter == 10_000 - 80)
                #expect(CampaignDrawTests.outcome(try await CampaignDrawTests.scan(client, unit(201), device: "p-5")) == "won")
                #expect(try await wallet() == 80)
                #expect(try await heldFor(2) == 0)
                #expect(
                    try await client.call(.get, "/api/v1/campaigns/\(campaignID)", token: admin).json["storeBudgetLeftFen"] as? Int == 10_000 - 80)
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
            }
        }
    }
}
