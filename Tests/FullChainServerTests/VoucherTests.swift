import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Testing

/// "再来一瓶": a free-item voucher a consumer won is redeemed at a store once, whatever the
/// concurrency; the brand then owes that store the voucher's amount, in the ledger and on its
/// settlement statement.
@Suite("Voucher redemption")
struct VoucherTests {
    @Test(arguments: APIBackend.all)
    func aVoucherIsRedeemedOnceAndOwedToTheStore(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let store = try #require(world.actors.first { $0.role == .store })
            let manager = try #require(world.actors.first { $0.role == .manager })
            try await app.test { client in
                let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "VOUCHER", quantity: 6)
                let campaignID = try await CampaignDrawTests.campaign(
                    client, app, world,
                    tiers: #"[{"name":"再来一瓶","kind":"free_item","amountFen":350,"probability":1}]"#,
                    budgetFen: 10_000)
                let code = { (serial: Int) in signer.text(for: batch.unitCode(serial)) }
                for serial in 0..<2 {
                    let answer = try await client.call(
                        .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code(serial))","deviceID":"phone-\#(serial)"}"#)
                    #expect(CampaignDrawTests.outcome(answer.text) == "won", "\(answer.text)")
                }
                let redeem = { (serial: Int, token: String, storeID: Int64?) in
                    try await client.call(
                        .post, "/api/v1/vouchers/redemptions", token: token,
                        json: #"{"code":"\#(code(serial))"\#(storeID.map { #","storeID":\#($0)"# } ?? "")}"#)
                }
                // The store's own staff redeems the first voucher; a second time is refused.
                let first = try await redeem(0, store.token, nil)
                #expect(
                    first.status == .created && first.json["amountFen"] as? Int == 350 && first.json["storeID"] as? Int == Int(world.storeST1),
                    "\(first.text)")
                let again = try await redeem(0, store.token, nil)
                #expect(again.status == .conflict && again.errorCode == "already_redeemed", "\(again.text)")

                // Twenty tills at once with the second voucher: exactly one redeems it.
                let body = #"{"code":"\#(code(1))","storeID":\#(world.storeST1)}"#
                let admin = world.adminToken
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<20 {
                        group.addTask { try await client.call(.post, "/api/v1/vouchers/redemptions", token: admin, json: body).status.code }
                    }
                    var statuses: [Int] = []
                    for try await status in group { statuses.append(status) }
                    return statuses
                }
                #expect(statuses.filter { $0 == 201 }.count == 1 && statuses.filter { $0 == 409 }.count == 19, "\(statuses)")

                // Codes that won nothing, forged codes, and stores outside the caller's reach.
                #expect(try await redeem(2, store.token, nil).errorCode == "no_voucher")
                #expect(
                    try await client.call(.post, "/api/v1/vouchers/redemptions", token: store.token, json: #"{"code":"NOT-A-CODE"}"#).errorCode
                        == "invalid_code")
                #expect(try await redeem(2, world.adminToken, nil).status == .unprocessableContent)
                let outside = try #require(world.outsideA["stores"])
                #expect(try await redeem(2, manager.token, outside).status == .notFound)
                #expect(try await redeem(2, store.token, outside).status == .notFound)

                // The ledger: both vouchers moved from what the campaign owes to the store's wallet.
                let ledger = app.storage.ledger
                #expect(try await ledger.balance(of: .storeWallet(storeID: world.storeST1), asset: .fen, tenantID: tenantID) == 700)
                #expect(try await ledger.balance(of: .vouchersOutstanding(campaignID: Int64(campaignID)), asset: .fen, tenantID: tenantID) == 0)
                #expect(try await ledger.check(tenantID: tenantID).isBalanced)

                // The store's settlement statement shows them, and what is owed.
                let statement = try await client.call(.get, "/api/v1/settlements/stores", token: world.adminToken)
                let lines = try #require(try JSONSerialization.jsonObject(with: Data(statement.text.utf8)) as? [[String: Any]], "\(statement.text)")
                let line = try #require(lines.first { $0["storeID"] as? Int == Int(world.storeST1) })
                #expect(line["vouchersRedeemed"] as? Int == 2 && line["vouchersFen"] as? Int == 700 && line["dueFen"] as? Int == 700, "\(line)")
                let csv = try await client.call(.get, "/api/v1/settlements/stores?format=csv", token: world.adminToken).text
                #expect(csv.contains("vouchers_redeemed") && csv.contains(",2,7.00,0,0.00,7.00"), "\(csv)")
            }
        }
    }
}
