import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

/// Risk control on scans: blacklisted devices, consumers and IP addresses, and devices shared
/// by many consumers, hold the cash prize for HQ's review; approved prizes are paid, rejected
/// ones go back to the campaign's budget.
@Suite("Risk control")
struct RiskControlTests {
    static func scan(
        _ client: some TestClientProtocol, _ code: String, device: String, openid: String, ip: String? = nil, signedIn: HTTPFields = [:]
    ) async throws -> [String: Any] {
        var headers = signedIn
        if let ip { headers[HTTPField.Name("X-Forwarded-For")!] = ip }
        let answer = try await client.call(
            .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code)","deviceID":"\#(device)","openid":"\#(openid)"}"#,
            headers: headers)
        return try #require(CampaignDrawTests.prize(answer.text), "\(answer.text)")
    }

    @Test(arguments: APIBackend.all)
    func riskyScansWaitForReview(_ backend: APIBackend) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fullchain-risk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Over real connections from loopback, a trusted proxy: the scans' X-Forwarded-For names the client.
        let loopback = try #require(IPNetwork("127.0.0.0/8"))
        try await TestApp.with(
            backend,
            configure: {
                PayoutTests.fastRetries(&$0)
                $0.trustedProxies = TrustedProxies([loopback])
            }
        ) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let admin = world.adminToken
            try await app.test(.live) { client in
                let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "RISK", quantity: 8)
                let campaignID = try await CampaignDrawTests.campaign(
                    client, app, world, tiers: #"[{"name":"红包","kind":"cash","amountFen":188,"probability":1}]"#,
                    budgetFen: 100_000)
                // The blacklist: JSON and CSV imports, all or nothing.
                let added = try await client.call(
                    .post, "/api/v1/risk/blacklist", token: admin,
                    json: #"[{"kind":"device","value":"bad-phone","note":"羊毛党"},{"kind":"openid","value":"o-bad"}]"#)
                #expect(added.status == .created && added.json["added"] as? Int == 2, "\(added.text)")
                #expect(
                    try await client.call(.post, "/api/v1/risk/blacklist", token: admin, json: #"[{"kind":"device","value":"bad-phone"}]"#).json[
                        "added"] as? Int == 0)
                for bad in [#"[]"#, #"[{"kind":"email","value":"x"}]"#, #"[{"kind":"ip","value":"1.2.3.4"},{"kind":"phone","value":"abc"}]"#] {
                    let refused = try await client.call(.post, "/api/v1/risk/blacklist", token: admin, json: bad)
                    #expect(refused.status == .unprocessableContent, "\(bad): \(refused.text)")
                }
                let csv = try await client.call(
                    .post, "/api/v1/risk/blacklist?format=csv", token: admin, body: Array("kind,value,note\nip,203.0.113.9,gang\n".utf8))
                #expect(csv.status == .created && csv.json["added"] as? Int == 1, "\(csv.text)")
                #expect(try await app.storage.risk.blacklist(tenantID: tenantID).count == 3, "the refused imports wrote nothing")
                let exported = try await client.call(.get, "/api/v1/risk/blacklist?format=csv", token: admin).text
                #expect(exported.contains("device,bad-phone,羊毛党") && exported.contains("ip,203.0.113.9,gang"))
                #expect(try await client.call(.get, "/api/v1/risk/blacklist", token: world.actors[0].token).status == .forbidden)

                // Eight winning scans: a blacklisted device, consumer and IP, and a fourth consumer on one phone, are held.
                let code = { (serial: Int) in signer.text(for: batch.unitCode(serial)) }
                // Each consumer signed in with WeChat as the openid they name.
                let who = { (openid: String) throws -> HTTPFields in try app.consumerHeaders("openid:" + openid, tenantID: tenantID) }
                var review: [Bool] = []
                review.append(
                    try await Self.scan(client, code(0), device: "bad-phone", openid: "o-1", signedIn: try who("o-1"))["underReview"] as? Bool
                        ?? false)
                review.append(
                    try await Self.scan(client, code(1), device: "good-1", openid: "o-bad", signedIn: try who("o-bad"))["underReview"] as? Bool
                        ?? false)
                review.append(
                    try await Self.scan(client, code(2), device: "good-2", openid: "o-2", signedIn: try who("o-2"))["underReview"] as? Bool ?? false)
                for (offset, serial) in (3...6).enumerated() {
                    review.append(
                        try await Self.scan(
                            client, code(serial), device: "shared", openid: "o-shared-\(offset)", signedIn: try who("o-shared-\(offset)"))[
                                "underReview"] as? Bool ?? false)
                }
                review.append(
                    try await Self.scan(client, code(7), device: "good-7", openid: "o-7", ip: "203.0.113.9", signedIn: try who("o-7"))["underReview"]
                        as? Bool ?? false)
                #expect(review == [true, true, false, false, false, false, true, true])

                let queue = try await client.call(.get, "/api/v1/payouts?status=held", token: admin)
                let held = try #require(try JSONSerialization.jsonObject(with: Data(queue.text.utf8)) as? [[String: Any]])
                #expect(
                    Set(held.compactMap { ($0["riskReasons"] as? [String])?.first }) == [
                        "blacklisted_device", "blacklisted_openid", "shared_device", "blacklisted_ip",
                    ])

                // The worker pays the four clean prizes and leaves the held ones alone.
                let worker = PayoutService(
                    services: app.services, provider: try SettlementFileProvider(directory: directory.path), logger: PayoutTests.logger)
                let drained = try await PayoutTests.drain(worker, app, tenantID: tenantID)
                #expect(drained[.paid]?.count == 4, "\(drained)")
                #expect(try await app.storage.payouts.summary(tenantID: tenantID)[.held]?.count == 4)

                // HQ approves the blacklisted device's prize and rejects the rest.
                let byReason = Dictionary(uniqueKeysWithValues: held.map { (($0["riskReasons"] as? [String])?.first ?? "", $0["id"] as? Int ?? 0) })
                let approved = try await client.call(
                    .post, "/api/v1/payouts/\(byReason["blacklisted_device"] ?? 0)/review", token: admin, json: #"{"decision":"approve"}"#)
                #expect(approved.status == .ok && approved.json["status"] as? String == "queued", "\(approved.text)")
                for reason in ["blacklisted_openid", "shared_device", "blacklisted_ip"] {
                    let rejected = try await client.call(
                        .post, "/api/v1/payouts/\(byReason[reason] ?? 0)/review", token: admin, json: #"{"decision":"reject"}"#)
                    #expect(rejected.json["status"] as? String == "rejected", "\(rejected.text)")
                }
                let again = try await client.call(
                    .post, "/api/v1/payouts/\(byReason["blacklisted_ip"] ?? 0)/review", token: admin, json: #"{"decision":"approve"}"#)
                #expect(again.status == .conflict && again.errorCode == "not_held")
                #expect(
                    try await client.call(.post, "/api/v1/payouts/999999999/review", token: admin, json: #"{"decision":"approve"}"#).status
                        == .notFound)
                #expect(
                    try await client.call(
                        .post, "/api/v1/payouts/\(byReason["blacklisted_ip"] ?? 0)/review", token: admin, json: #"{"decision":"maybe"}"#
                    ).status
                        == .unprocessableContent)
                let reviewed = try await PayoutTests.drain(worker, app, tenantID: tenantID)
                #expect(reviewed[.paid]?.count == 5, "\(reviewed)")

                // The ledger: five prizes paid out, three back in the budget, the books balanced.
                let ledger = app.storage.ledger
                #expect(try await ledger.balance(of: .paidOut, asset: .fen, tenantID: tenantID) == 5 * 188)
                let shards = (0..<8).map { LedgerAccount.campaignBudget(campaignID: Int64(campaignID), shard: $0) }
                #expect(try await ledger.total(of: shards, asset: .fen, tenantID: tenantID) == 100_000 - 5 * 188)
                #expect(try await ledger.check(tenantID: tenantID).isBalanced)

                #expect(try await client.call(.delete, "/api/v1/risk/blacklist/device/bad-phone", token: admin).status == .noContent)
                #expect(try await client.call(.delete, "/api/v1/risk/blacklist/device/bad-phone", token: admin).status == .notFound)
            }
        }
    }
}
