import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import FullChainTabular
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Settlement statements: what each store earned from campaigns in a period and what the brand
/// owes it, per store and per distributor, each caller seeing only their reach; CSV and XLSX.
@Suite("Settlement statements")
struct SettlementsTests {
    @Test(arguments: APIBackend.all)
    func statementsShowEarnedAndDueWithinReach(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            // R2's store (OUTSIDE every non-HQ actor's reach) is owed ¥5.00 from before.
            let outsideStore = try #require(world.outsideA["stores"])
            _ = try await app.storage.ledger.post(
                try .transfer(
                    key: "old-reward", memo: "earlier reward", 500, .fen, from: .brandFunding,
                    to: .storeWallet(storeID: outsideStore)), tenantID: tenantID)
            try await app.test { client in
                let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "SETTLE", quantity: 10)
                _ = try await CampaignDrawTests.campaign(
                    client, app, world, tiers: #"[{"name":"积分","kind":"points","points":5,"probability":1}]"#,
                    budgetFen: 0, storeRewardFen: 20, storeBudgetFen: 10_000)
                for serial in 0..<10 {
                    #expect(
                        CampaignDrawTests.outcome(
                            try await CampaignDrawTests.scan(client, signer.text(for: batch.unitCode(serial)), device: "s-\(serial)")) == "won")
                }

                // HQ: ST1 earned ¥2.00 on 10 scans this month and is owed it; R2's store is owed ¥5.00 from before.
                let all = try await client.call(.get, "/api/v1/settlements/stores", token: world.adminToken)
                #expect(all.status == .ok, "\(all.text)")
                let lines = try #require(try JSONSerialization.jsonObject(with: Data(all.text.utf8)) as? [[String: Any]])
                let st1 = try #require(lines.first { $0["storeID"] as? Int == Int(world.storeST1) })
                #expect(st1["rewardedScans"] as? Int == 10 && st1["rewardsFen"] as? Int == 200 && st1["dueFen"] as? Int == 200)
                let outside = try #require(lines.first { $0["storeID"] as? Int == Int(outsideStore) })
                #expect(outside["rewardedScans"] as? Int == 0 && outside["dueFen"] as? Int == 500)
                let distributors = try await client.call(.get, "/api/v1/settlements/distributors", token: world.adminToken).text
                let d1 = try #require(
                    (try JSONSerialization.jsonObject(with: Data(distributors.utf8)) as? [[String: Any]])?
                        .first { $0["distributorID"] as? Int == Int(world.distributorD1) })
                #expect(d1["rewardsFen"] as? Int == 200 && d1["dueFen"] as? Int == 200 && d1["stores"] as? Int == 1)

                // Every other actor sees ST1 and never R2's store.
                for actor in world.actors {
                    for path in ["/api/v1/settlements/stores", "/api/v1/settlements/distributors"] {
                        let answer = try await client.call(.get, path, token: actor.token)
                        #expect(answer.status == .ok, "\(actor.name) \(path)")
                        #expect(!answer.text.contains("OUTSIDE") && !answer.text.contains("FOREIGN"), "\(actor.name) \(path): \(answer.text)")
                        #expect(answer.text.contains("\"rewardsFen\":200"), "\(actor.name) \(path): \(answer.text)")
                    }
                }

                // A past period: nothing earned then, but ST1 is still owed what it earned since.
                let past = try await client.call(.get, "/api/v1/settlements/stores?from=2020-01-01&to=2020-01-31", token: world.adminToken).text
                let pastST1 = try #require(
                    (try JSONSerialization.jsonObject(with: Data(past.utf8)) as? [[String: Any]])?
                        .first { $0["storeID"] as? Int == Int(world.storeST1) })
                #expect(pastST1["rewardedScans"] as? Int == 0 && pastST1["dueFen"] as? Int == 200)

                // Exports.
                let csv = try await client.call(.get, "/api/v1/settlements/stores?format=csv", token: world.adminToken)
                #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(
                    csv.text.contains(
                        "store_code,store_name,distributor_id,from,to,rewarded_scans,rewards_yuan,vouchers_redeemed,vouchers_yuan,coupons_redeemed,coupons_yuan,due_yuan"
                    ))
                #expect(csv.text.contains(",10,2.00,0,0.00,0,0.00,2.00") && csv.text.contains(",0,0.00,0,0.00,0,0.00,5.00"), "\(csv.text)")
                let xlsx = try await client.call(.get, "/api/v1/settlements/distributors?format=xlsx", token: world.adminToken)
                let table = try XLSX.read(Array(xlsx.body.readableBytesView))
                #expect(
                    table.header == [
                        "distributor_code", "distributor_name", "from", "to", "stores", "rewarded_scans", "rewards_yuan", "vouchers_redeemed",
                        "vouchers_yuan", "coupons_redeemed", "coupons_yuan", "due_yuan",
                    ])
                #expect(table.rows.contains { $0.last == "2.00" })

                // Bad periods and formats.
                for query in [
                    "from=2026-13-01", "from=2026-02-30", "from=2026-03-02&to=2026-03-01", "from=2020-01-01&to=2026-01-01", "format=pdf",
                    "to=yesterday",
                ] {
                    let answer = try await client.call(.get, "/api/v1/settlements/stores?\(query)", token: world.adminToken)
                    #expect(answer.status == .badRequest && answer.errorCode == "invalid_query", "\(query): \(answer.text)")
                }
                #expect(try await client.call(.get, "/api/v1/settlements/stores", token: nil).status == .unauthorized)
            }
        }
    }
}
