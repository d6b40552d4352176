import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Campaign definitions over HTTP: checked, stored, funded in the ledger, HQ only.
@Suite("Campaigns API")
struct CampaignsAPITests {
    @Test(arguments: APIBackend.all)
    func campaignsAreCheckedStoredAndFunded(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
            let now = currentMillis()
            @Sendable func body(
                _ tiers: String, products: String? = nil, start: Int64 = now, end: Int64 = now + 30 * 86_400_000, budget: Int = 100_000,
                regions: String = #"["110000000000"]"#
            ) -> String {
                #"{"name":"夏日再来一瓶","productIDs":\#(products ?? "[\(product.id)]"),"regionCodes":\#(regions),"startsAt":\#(start),"endsAt":\#(end),"tiers":\#(tiers),"budgetFen":\#(budget),"storeRewardFen":20,"storeBudgetFen":50000,"perConsumerPerDay":2}"#
            }
            let tiers =
                #"[{"name":"红包","kind":"cash","amountFen":188,"probability":0.05},{"name":"再来一瓶","kind":"free_item","amountFen":350,"probability":0.1,"stock":1000}]"#
            try await app.test { client in
                let created = try await client.call(.post, "/api/v1/campaigns", token: admin, json: body(tiers))
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(created.json["id"] as? Int)
                #expect(created.json["budgetLeftFen"] as? Int == 100_000 && created.json["storeBudgetLeftFen"] as? Int == 50_000)
                let stored = try await client.call(.get, "/api/v1/campaigns/\(id)", token: admin)
                #expect((stored.json["tiers"] as? [[String: Any]])?.compactMap { $0["probability"] as? Double } == [0.05, 0.1])
                #expect(stored.json["perConsumerPerDay"] as? Int == 2)
                let list = try await client.call(.get, "/api/v1/campaigns?q=再来", token: admin)
                #expect(list.json["total"] as? Int == 1)
                // The brand funded both budgets in one entry; the books balance.
                let check = try await app.storage.ledger.check(tenantID: world.tenantA.id)
                #expect(check.isBalanced && check.entries == 1 && check.debits["fen"] == 150_000, "\(check)")

                // Invalid definitions: clear 422s naming the field, nothing stored.
                for (json, field) in [
                    (
                        body(
                            #"[{"name":"a","kind":"points","points":5,"probability":0.7},{"name":"b","kind":"points","points":5,"probability":0.4}]"#),
                        "tiers"
                    ),
                    (body(#"[{"name":"a","kind":"cash","amountFen":-188,"probability":0.1}]"#), "tiers[0].amountFen"),
                    (body(tiers, start: now, end: now - 1), "endsAt"),
                    (body(tiers, budget: -5), "budgetFen"),
                    (body(tiers, products: "[999999]"), "productIDs[0]"),
                    (body(tiers, regions: #"["999999999999"]"#), "regionCodes[0]"),
                ] {
                    let response = try await client.call(.post, "/api/v1/campaigns", token: admin, json: json)
                    let fields = ((response.json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []).compactMap {
                        $0["field"] as? String
                    }
                    #expect(response.status == .unprocessableContent && fields.contains(field), "\(field) → \(response.text)")
                }
                #expect(try await client.call(.post, "/api/v1/campaigns", token: admin, json: #"{"name":"#).status == .badRequest)
                #expect(try await client.call(.get, "/api/v1/campaigns", token: admin).json["total"] as? Int == 1)
                // HQ only; another brand's campaign is not there.
                for actor in world.actors {
                    #expect(try await client.call(.post, "/api/v1/campaigns", token: actor.token, json: body(tiers)).status == .forbidden)
                    #expect(try await client.call(.get, "/api/v1/campaigns", token: actor.token).status == .forbidden)
                }
                let foreign = try #require(world.foreignB["campaigns"])
                #expect(try await client.call(.get, "/api/v1/campaigns/\(foreign)", token: admin).status == .notFound)
            }
        }
    }
}
