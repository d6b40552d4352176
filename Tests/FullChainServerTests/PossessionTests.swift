import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Cases move only from hands that hold them, and no count a client sends can overflow: store
/// staff receive what was shipped to their distributor or delivered to them, distributors deliver
/// what was shipped to them, both by B code; every other case is refused with one answer.
@Suite("Possession and case counts")
struct PossessionTests {
    @Test(arguments: APIBackend.all)
    func rangesThatOverflowAreRefusedAndTheServerKeepsServing(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let storeUser = world.actors[3].token
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "OVER1")
                let batch = codes.batch.id
                let max = Int64.max
                let min = Int64.min
                // The request that once stopped the whole server, as the lowest-privileged account.
                let clerk = try await client.call(
                    .post, "/api/v1/receipts", token: storeUser,
                    json: #"{"ranges":[{"batchID":1,"firstCase":0,"lastCase":\#(max)}]}"#)
                #expect(clerk.status == .unprocessableContent, "\(clerk.text)")
                #expect((try await client.call(.get, "/healthz", token: nil)).status == .ok)
                let bodies = [
                    #"{"ranges":[{"batchID":\#(batch),"firstCase":0,"lastCase":\#(max)}]}"#,
                    #"{"ranges":[{"batchID":\#(batch),"firstCase":\#(min),"lastCase":0}]}"#,
                    #"{"ranges":[{"batchID":\#(batch),"firstCase":\#(min),"lastCase":\#(max)}]}"#,
                    #"{"ranges":[{"batchID":\#(batch),"firstCase":0,"lastCase":\#(max / 2 + 1)},{"batchID":\#(batch),"firstCase":0,"lastCase":\#(max / 2 + 1)}]}"#,
                    #"{"ranges":[{"batchID":\#(batch),"firstCase":1,"lastCase":0}]}"#,
                ]
                for path in ["/api/v1/shipments", "/api/v1/receipts", "/api/v1/transfers"] {
                    for body in bodies {
                        let json = body.dropLast() + #","distributorID":\#(world.distributorD1),"storeID":\#(world.storeST1)}"#
                        let response = try await client.call(.post, path, token: world.adminToken, json: String(json))
                        #expect(
                            response.status == .unprocessableContent && response.errorCode == "validation_failed",
                            "\(path) \(body) → \(response.text)")
                    }
                }
                // A campaign whose times reach both ends of Int64.
                let campaign = try await client.call(
                    .post, "/api/v1/campaigns", token: world.adminToken,
                    json: """
                        {"name":"x","productIDs":[\(codes.batch.productID)],"startsAt":-1,"endsAt":\(max),"budgetFen":0,
                         "tiers":[{"name":"p","kind":"points","points":1,"probability":0.5,"stock":\(max)}]}
                        """)
                #expect(campaign.status == .unprocessableContent, "\(campaign.text)")
                #expect(campaign.text.contains("startsAt") && campaign.text.contains("endsAt") && campaign.text.contains("stock"))
                #expect((try await client.call(.get, "/healthz", token: nil)).status == .ok)
                // Nothing moved.
                let refs = (0..<3).map { CaseRef(batchID: batch, caseNumber: $0) }
                #expect(try await app.storage.logistics.shipments(of: refs, tenantID: world.tenantA.id).isEmpty)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func storesAndDistributorsMoveOnlyWhatIsInTheirHands(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let (distributor, storeUser) = (world.actors[2].token, world.actors[3].token)
            let d2 = try #require(world.outsideA["distributors"])
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "HELD1")
                let batch = codes.batch.id
                func caseCode(_ n: Int) -> String { codes.signer.text(for: codes.batch.caseCode(n)) }
                func receive(_ token: String, _ cases: [String]) async throws -> TestResponse {
                    try await client.call(
                        .post, "/api/v1/receipts", token: token, json: #"{"cases":[\#(cases.map { "\"\($0)\"" }.joined(separator: ","))]}"#)
                }
                // Case 0 goes to D1 (ST1's distributor), case 1 to D2; case 2 is never shipped.
                #expect(
                    try await client.call(
                        .post, "/api/v1/shipments", token: world.adminToken,
                        json: #"{"distributorID":\#(world.distributorD1),"cases":["\#(caseCode(0))"]}"#
                    ).status == .created)
                #expect(
                    try await client.call(
                        .post, "/api/v1/shipments", token: world.adminToken,
                        json: #"{"distributorID":\#(d2),"cases":["\#(caseCode(1))"]}"#
                    ).status == .created)

                // ST1's clerk: another distributor's case, a never-shipped case and a forged code get the very same answer.
                let otherDistributors = try await receive(storeUser, [caseCode(1)])
                let neverShipped = try await receive(storeUser, [caseCode(2)])
                let forged = try await receive(storeUser, ["00000000000000000000000000"])
                #expect(otherDistributors.status == .unprocessableContent && otherDistributors.text.contains("not_held"), "\(otherDistributors.text)")
                #expect(otherDistributors.text == neverShipped.text && neverShipped.text == forged.text)
                // Ranges are HQ's: a clerk names cases by their B codes.
                let ranged = try await client.call(
                    .post, "/api/v1/receipts", token: storeUser, json: #"{"ranges":[{"batchID":\#(batch),"firstCase":0}]}"#)
                #expect(ranged.status == .unprocessableContent && ranged.text.contains("not_allowed"), "\(ranged.text)")
                // The distributor cannot deliver D2's case, nor use ranges.
                let delivered = try await client.call(
                    .post, "/api/v1/transfers", token: distributor,
                    json: #"{"storeID":\#(world.storeST1),"cases":["\#(caseCode(1))"]}"#)
                #expect(delivered.text == forged.text, "\(delivered.text)")
                let rangedDelivery = try await client.call(
                    .post, "/api/v1/transfers", token: distributor,
                    json: #"{"storeID":\#(world.storeST1),"ranges":[{"batchID":\#(batch),"firstCase":0}]}"#)
                #expect(rangedDelivery.text.contains("not_allowed"))
                // Nothing of that was recorded.
                let refs = (0..<3).map { CaseRef(batchID: batch, caseNumber: $0) }
                #expect(try await app.storage.logistics.receipts(of: refs, tenantID: world.tenantA.id).isEmpty)
                #expect(try await app.storage.logistics.transfers(of: refs, tenantID: world.tenantA.id).isEmpty)

                // What is theirs moves: ST1 receives D1's case by its B code.
                let received = try await receive(storeUser, [caseCode(0)])
                #expect(received.status == .created && received.json["cases"] as? Int == 1, "\(received.text)")
                // D2's case delivered to ST1 by HQ's record is in ST1's hands, and ST1 may receive it (flagged as 窜货 evidence).
                #expect(
                    try await client.call(
                        .post, "/api/v1/transfers", token: world.adminToken,
                        json: #"{"storeID":\#(world.storeST1),"cases":["\#(caseCode(1))"]}"#
                    ).status == .created)
                let diverted = try await receive(storeUser, [caseCode(1)])
                #expect(diverted.status == .created && diverted.json["flagged"] as? Int == 1, "\(diverted.text)")
            }
        }
    }
}
