import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// The phone pages of the chain's ends in a real browser (`Tests/Browser/store_desk.py`): a
/// distributor records a delivery to its store, the store receives a case and redeems a voucher,
/// each outcome said in the page's language, and what the taps did is in the books.
@Suite("Store desk in a browser")
struct StoreDeskBrowserTests {
    @Test func aDistributorDeliversAndAStoreReceivesAndRedeems() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let made = Mutex<(deliver: String, receive: String, voucher: String, batchID: Int64)>(("", "", "", 0))
            try await app.test { client in
                // Three cases shipped to D1 (the store's distributor); a received batch whose first unit wins a free item.
                let cases = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "DESK1")
                let shipped = try await client.call(
                    .post, "/api/v1/shipments", token: world.adminToken,
                    json: #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(cases.batch.id),"firstCase":0,"lastCase":2}]}"#)
                #expect(shipped.status == .created, "\(shipped.text)")
                let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "DESK2", quantity: 4)
                _ = try await CampaignDrawTests.campaign(
                    client, app, world, tiers: #"[{"name":"再来一瓶","kind":"free_item","amountFen":350,"probability":1}]"#, budgetFen: 10_000)
                let winner = signer.text(for: batch.unitCode(0))
                let scan = try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(winner)","deviceID":"phone-1"}"#)
                #expect(CampaignDrawTests.outcome(scan.text) == "won", "\(scan.text)")
                // The supply portal is the distributor's alone.
                for actor in world.actors where actor.role != .distributor {
                    #expect(try await client.call(.get, "/supply", token: actor.token).status == .forbidden, "\(actor.name)")
                }
                made.withLock {
                    $0 = (cases.signer.text(for: cases.batch.caseCode(0)), cases.signer.text(for: cases.batch.caseCode(1)), winner, cases.batch.id)
                }
            }
            let codes = made.withLock { $0 }
            try await app.live { port in
                let lines = try await BrowserScript.run(
                    "store_desk.py",
                    [
                        "http://127.0.0.1:\(port)", world.tenantA.code, "secret-123", String(world.storeST1), codes.deliver, codes.receive,
                        codes.voucher,
                    ])
                let steps = Dictionary(lines.map { ($0["step"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
                #expect(steps.count == 12, "\(lines)")
                let supply = steps["supply"]
                #expect(
                    supply?["body"]?.contains("供货门店") == true && supply?["body"]?.contains("动销率") == true
                        && supply?["deliveries"]?.contains("朝阳便利店") == true, "\(String(describing: supply))")
                #expect(steps["wallet"]?["wallet"]?.contains("¥3.50 · 1 张") == true, "\(String(describing: steps["wallet"]))")
                #expect(steps["delivered"]?["outcome"] == "已出库到店 1 箱", "\(String(describing: steps["delivered"]))")
                #expect(steps["delivered-again"]?["outcome"] == "这箱货已经出库到店了", "\(String(describing: steps["delivered-again"]))")
                #expect(steps["distributor-menu"]?["menu"]?.contains("/m/deliveries") == true)
                #expect(steps["distributor-menu"]?["menu"]?.contains("/supply") == true)
                #expect(steps["desk"]?["title"]?.contains("门店工作台") == true && steps["desk"]?["camera"] != nil, "\(String(describing: steps["desk"]))")
                #expect(steps["received"]?["outcome"] == "已收货 1 箱", "\(String(describing: steps["received"]))")
                #expect(steps["not-ours"]?["outcome"] == "这箱货不在你的手上（没有发给你的经销商或送到你的店）", "\(String(describing: steps["not-ours"]))")
                #expect(steps["redeemed"]?["outcome"] == "已兑奖：开盖有奖 · 再来一瓶", "\(String(describing: steps["redeemed"]))")
                #expect(steps["redeemed-again"]?["outcome"] == "这张奖券已经兑过了", "\(String(describing: steps["redeemed-again"]))")
                #expect(steps["english"]?["body"]?.contains("Receive a case") == true && steps["english"]?["body"]?.contains("收货") == false)
                let menu = steps["store-menu"]?["menu"] ?? ""
                #expect(menu.contains("/m/store") && !menu.contains("/m/deliveries") && !menu.contains("/m/tasks"), "\(menu)")
            }
            // What the taps did: the delivery and the receipt are recorded, the voucher redeemed at ST1.
            let delivered = CaseRef(batchID: codes.batchID, caseNumber: 0)
            let received = CaseRef(batchID: codes.batchID, caseNumber: 1)
            #expect(try await app.storage.logistics.transfers(of: [delivered], tenantID: tenantID)[delivered]?.storeID == world.storeST1)
            #expect(try await app.storage.logistics.receipts(of: [received], tenantID: tenantID)[received]?.storeID == world.storeST1)
        }
    }
}
