import Foundation
import FullChainApp
import FullChainCore
import FullChainFakes
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FullChainServer

/// A consumer's rights on "我的" (PIPL): they download everything the brand holds on them, and
/// delete their account. Deleting cancels what was not yet sent (back to the budget), lets a
/// payout in flight end and then drops its recipient, keeps every figure under a random name,
/// and leaves the ledger balanced.
@Suite("Consumer rights")
struct ConsumerRightsTests {
    @Test(arguments: APIBackend.all)
    func aConsumerDownloadsTheirDataThenDeletesTheirAccount(_ backend: APIBackend) async throws {
        try await ConsumerSignInTests.world(backend) { app, world, fake, batch, signer in
            let tenantID = world.tenantA.id
            try await app.test { client in
                // Won on the phone, then signed in (claimed and queued), then won again signed in.
                _ = try await client.call(
                    .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(signer.text(for: batch.unitCode(0)))","deviceID":"phone-1"}"#)
                let (state, attempt) = try await ConsumerSignInTests.start(client, code: signer.text(for: batch.unitCode(0)), device: "phone-1")
                let back = try await ConsumerSignInTests.callback(
                    client, code: fake.issueCode(user: "dana", appID: ConsumerSignInTests.app.appID), state: state, attempt: attempt)
                let session = try #require(ConsumerSignInTests.cookie(back, ConsumerPages.sessionCookie))
                let signedIn: HTTPFields = [
                    .cookie: "\(ConsumerPages.sessionCookie)=\(session)", HTTPField.Name("Sec-Fetch-Site")!: "same-origin",
                    .contentType: "application/x-www-form-urlencoded",
                ]
                let scan = try await client.call(
                    .post, "/api/v1/scans", token: nil,
                    json: #"{"code":"\#(signer.text(for: batch.unitCode(1)))","deviceID":"phone-1","latitude":31.23,"longitude":121.47}"#,
                    headers: signedIn)
                #expect(scan.json["cashPaid"] as? Bool == true, "\(scan.text)")
                #expect(try await ConsumerSignInTests.payouts(app, tenantID).count == 2)
                // One payout is with the provider now; the other waits its turn.
                let now = currentMillis()
                let job = try #require(
                    try await app.storage.payouts.claimDue(tenantID: tenantID, now: now, lease: "w1", leaseUntil: now + 600_000, limit: 1).first)
                let handOff = try await app.storage.payouts.handOff(
                    job, merchant: "1900000001", billNumber: "1900000001202612060000000001", day: BusinessDay.day(ofMillis: now),
                    limits: PayoutLimits(),
                    now: now, leaseUntil: now + 600_000)
                guard case .handedOff = handOff else {
                    Issue.record("\(handOff)")
                    return
                }

                // The download: who they are, what they won, every ledger line, the scan and the store.
                let export = try await client.call(.get, "/me/export", token: nil, headers: signedIn)
                #expect(export.status == .ok && export.headers[.contentDisposition]?.contains("attachment") == true)
                let data = export.json
                let openid = fake.openid(user: "dana", appID: ConsumerSignInTests.app.appID)
                #expect((data["identity"] as? [String: Any])?["value"] as? String == openid, "\(export.text)")
                #expect((data["payouts"] as? [Any])?.count == 2 && (data["ledger"] as? [Any])?.count ?? 0 >= 3)
                let scans = try #require(data["scans"] as? [[String: Any]], "\(export.text)")
                #expect(scans.count == 1 && scans.first?["latitude"] as? Double == 31.23 && scans.first?["store"] is String, "\(scans)")
                #expect((data["stores"] as? [Any])?.count == 1)
                #expect(try await client.call(.get, "/me/export", token: nil).status == .unauthorized)

                // Deleting needs the tick, and a form from this site.
                let unticked = try await client.call(.post, "/me/delete", token: nil, body: Array("confirm=no".utf8), headers: signedIn)
                #expect(unticked.status == .badRequest && unticked.text.contains(#"data-error="confirmation_required""#))
                var crossSite = signedIn
                crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
                #expect(
                    try await client.call(.post, "/me/delete", token: nil, body: Array("confirm=yes".utf8), headers: crossSite).status == .forbidden)
                #expect(try await ConsumerSignInTests.payouts(app, tenantID).allSatisfy { $0.status != "rejected" })

                let deleted = try await client.call(.post, "/me/delete", token: nil, body: Array("confirm=yes".utf8), headers: signedIn)
                #expect(deleted.status == .ok && deleted.text.contains("取消了 1 个") && deleted.text.contains("1 个正在发放"), "\(deleted.text)")
                #expect(deleted.headers[values: .setCookie].contains { $0.hasPrefix("\(ConsumerPages.sessionCookie)=;") || $0.contains("Max-Age=0") })

                // Nothing names the consumer any more; the figures stay, under a random name.
                let wallet = try #require(app.services.consumers.scanPseudonym(of: "openid:" + openid, tenantID: tenantID).split(separator: ":").last)
                let like = "%" + wallet + "%"
                let checks: [(String, SQLStatement)] = [
                    ("ledger_postings", "SELECT COUNT(*) AS n FROM ledger_postings WHERE tenant_id = \(tenantID) AND account_code LIKE \(like)"),
                    ("ledger_accounts", "SELECT COUNT(*) AS n FROM ledger_accounts WHERE tenant_id = \(tenantID) AND code LIKE \(like)"),
                    ("payouts", "SELECT COUNT(*) AS n FROM payouts WHERE tenant_id = \(tenantID) AND wallet LIKE \(like)"),
                    ("campaign_draws", "SELECT COUNT(*) AS n FROM campaign_draws WHERE tenant_id = \(tenantID) AND wallet LIKE \(like)"),
                    ("campaign_win_counts", "SELECT COUNT(*) AS n FROM campaign_win_counts WHERE tenant_id = \(tenantID) AND subject LIKE \(like)"),
                    ("scan_events", "SELECT COUNT(*) AS n FROM scan_events WHERE tenant_id = \(tenantID) AND consumer LIKE \(like)"),
                    ("store_consumers", "SELECT COUNT(*) AS n FROM store_consumers WHERE tenant_id = \(tenantID) AND consumer LIKE \(like)"),
                ]
                for (table, query) in checks {
                    #expect(try await app.storage.database.read(query).first?.optionalInt("n") == 0, "\(table)")
                }
                #expect(
                    try await app.storage.database.read("SELECT COUNT(*) AS n FROM store_consumers WHERE tenant_id = \(tenantID)").first?.optionalInt(
                        "n") == 1)
                let payouts = try await app.storage.database.read(
                    "SELECT id, status, recipient, wallet FROM payouts WHERE tenant_id = \(tenantID) ORDER BY id")
                #expect(try payouts.map { try $0.string("status") }.sorted() == ["rejected", "sending"])
                for row in payouts {
                    #expect(try row.string("wallet").hasPrefix("erased-"))
                    #expect(try row.string("recipient").isEmpty == (try row.string("status") == "rejected"))
                }
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)

                // The payout in flight ends (the provider refuses it for good: the money goes back to the wallet under
                // its new name); then it keeps no recipient either.
                #expect(try await app.storage.payouts.record(job, answer: .refused(reason: "NO_AUTH"), retryAt: now, now: now + 1_000))
                _ = try await app.services.consumers.applyRetention(tenantID: tenantID, now: now + 2_000)
                let ended = try await app.storage.database.read(
                    "SELECT status, recipient, wallet FROM payouts WHERE tenant_id = \(tenantID) AND status = 'failed'")
                #expect(ended.count == 1 && ended.first?.optionalString("recipient") == "")
                let renamed = try #require(ended.first?.optionalString("wallet"))
                #expect(try await app.storage.ledger.balance(of: .consumerWallet(renamed), asset: .fen, tenantID: tenantID) == 188)
                for (table, query) in checks {
                    #expect(try await app.storage.database.read(query).first?.optionalInt("n") == 0, "\(table) after the refusal")
                }
                #expect(try await app.storage.ledger.check(tenantID: tenantID).isBalanced)
                // The old cookie finds an empty account.
                let me = try await client.call(.get, "/me", token: nil, headers: signedIn)
                #expect(!me.text.contains("¥1.88"), "\(me.text)")
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func deletingAPhoneAccountForgetsThePhone(_ backend: APIBackend) async throws {
        try await PhoneSignInTests.world(backend) { app, world, sms, _, batch, signer in
            let tenantID = world.tenantA.id
            try await app.test { client in
                let unit = signer.text(for: batch.unitCode(0))
                #expect(try await PhoneSignInTests.send(client, code: unit).status == .ok)
                let good = try await PhoneSignInTests.verify(client, code: unit, otp: try #require(sms.lastCode(to: PhoneSignInTests.phone)))
                let session = try #require(ConsumerSignInTests.cookie(good, ConsumerPages.sessionCookie))
                var signedIn = PhoneSignInTests.sameSite
                signedIn[.cookie] = "\(ConsumerPages.sessionCookie)=\(session)"
                let export = try await client.call(.get, "/me/export", token: nil, headers: signedIn)
                #expect((export.json["identity"] as? [String: Any])?["value"] as? String == PhoneSignInTests.phone)
                #expect(try await client.call(.post, "/me/delete", token: nil, body: Array("confirm=yes".utf8), headers: signedIn).status == .ok)
                let phones = try await app.storage.database.read("SELECT COUNT(*) AS n FROM consumer_phones WHERE tenant_id = \(tenantID)")
                let codes = try await app.storage.database.read("SELECT COUNT(*) AS n FROM consumer_phone_codes WHERE tenant_id = \(tenantID)")
                #expect(phones.first?.optionalInt("n") == 0 && codes.first?.optionalInt("n") == 0)
            }
        }
    }
}
