import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Testing

/// A campaign's daily win limits count in the server's business day: a phone that claims its
/// scans were queued on other days (`scannedAt`) gets no fresh daily quota.
@Suite("Daily limits")
struct DailyLimitTests {
    static func scan(_ client: some TestClientProtocol, _ code: String, device: String, scannedAt: Int64?) async throws -> String? {
        let at = scannedAt.map { #","scannedAt":\#($0)"# } ?? ""
        let answer = try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code)","deviceID":"\#(device)"\#(at)}"#)
        #expect(answer.status == .ok, "\(answer.text)")
        return CampaignDrawTests.outcome(answer.text)
    }

    @Test(arguments: APIBackend.all)
    func scannedAtOfAnotherDayGivesNoFreshQuota(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "DAYS", quantity: 6)
                let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
                let now = currentMillis()
                let day: Int64 = 86_400_000
                // Every draw wins; one win a device a day. The campaign began three days ago, so queued scans of the last days take part.
                let created = try await client.call(
                    .post, "/api/v1/campaigns", token: world.adminToken,
                    json: """
                        {"name":"每日一次","productIDs":[\(product.id)],"startsAt":\(now - 3 * day),"endsAt":\(now + day),
                         "tiers":[{"name":"积分","kind":"points","points":10,"probability":1}],"budgetFen":0,"perDevicePerDay":1,"perConsumerPerDay":1000}
                        """)
                #expect(created.status == .created, "\(created.text)")
                let code = { (serial: Int) in signer.text(for: batch.unitCode(serial)) }
                #expect(try await Self.scan(client, code(0), device: "phone-day", scannedAt: now - 2 * day) == "won")
                #expect(try await Self.scan(client, code(1), device: "phone-day", scannedAt: nil) == "limit_reached")
                #expect(try await Self.scan(client, code(2), device: "phone-day", scannedAt: now - day) == "limit_reached")
                #expect(try await Self.scan(client, code(3), device: "phone-day", scannedAt: now - 3 * day + 60_000) == "limit_reached")
                // Another phone has its own quota.
                #expect(try await Self.scan(client, code(4), device: "phone-other", scannedAt: now - day) == "won")
            }
        }
    }
}
