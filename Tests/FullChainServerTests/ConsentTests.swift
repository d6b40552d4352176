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

/// Consents on "我的", each on its own, recorded with the privacy notice's version and the time:
/// withdrawing the location consent keeps the consumer's later scans to about a kilometre, in
/// this session and the next sign-in; the download lists every choice.
@Suite("Consents")
struct ConsentTests {
    @Test(arguments: APIBackend.all)
    func consentsAreRecordedAndWithdrawingLocationCoarsensScans(_ backend: APIBackend) async throws {
        try await ConsumerSignInTests.world(backend) { app, world, fake, batch, signer in
            let tenantID = world.tenantA.id
            try await app.test { client in
                let unit = signer.text(for: batch.unitCode(0))
                let (state, attempt) = try await ConsumerSignInTests.start(client, code: unit, device: "phone-c")
                let back = try await ConsumerSignInTests.callback(
                    client, code: fake.issueCode(user: "erin", appID: ConsumerSignInTests.app.appID), state: state, attempt: attempt)
                let session = try #require(ConsumerSignInTests.cookie(back, ConsumerPages.sessionCookie))
                func headers(_ cookie: String) -> HTTPFields {
                    [
                        .cookie: "\(ConsumerPages.sessionCookie)=\(cookie)", HTTPField.Name("Sec-Fetch-Site")!: "same-origin",
                        .contentType: "application/x-www-form-urlencoded",
                    ]
                }
                // Never asked: location on (the browser asks each time), marketing and sharing off.
                let me = try await client.call(.get, "/me", token: nil, headers: headers(session))
                #expect(
                    me.text.contains(#"name="location" value="yes" checked"#) && me.text.contains(#"name="marketing" value="yes">"#), "\(me.text)")
                #expect(me.text.contains(#"href="/privacy""#))
                let privacy = try await client.call(.get, "/privacy", token: nil)
                #expect(privacy.status == .ok && privacy.text.contains(PrivacyNotice.version) && privacy.text.contains("单独同意"))

                // From another site: refused. From 我的: marketing yes, location withdrawn.
                var crossSite = headers(session)
                crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
                #expect(
                    try await client.call(.post, "/me/consents", token: nil, body: Array("marketing=yes".utf8), headers: crossSite).status
                        == .forbidden)
                let saved = try await client.call(
                    .post, "/me/consents", token: nil, body: Array("marketing=yes&code=\(unit)".utf8), headers: headers(session))
                #expect(saved.status == .seeOther && saved.headers[.location] == "/me?saved=1&code=\(unit)", "\(saved.text)")
                let updated = try #require(ConsumerSignInTests.cookie(saved, ConsumerPages.sessionCookie))
                let history = try await app.services.consumers.consents(
                    of: try #require(app.services.consumers.session(from: updated, now: currentMillis())))
                #expect(history.state == [.marketing: true, .location: false, .storeSharing: false])
                #expect(history.history.map(\.purpose).sorted { $0.rawValue < $1.rawValue } == [.location, .marketing])
                #expect(history.history.allSatisfy { $0.noticeVersion == PrivacyNotice.version })
                // Saving the same answers again records nothing new.
                _ = try await client.call(.post, "/me/consents", token: nil, body: Array("marketing=yes".utf8), headers: headers(updated))
                #expect(
                    try await app.services.consumers.consents(of: try #require(app.services.consumers.session(from: updated, now: currentMillis())))
                        .history.count == 2)

                // A scan in this session keeps only the area.
                func scan(_ index: Int, _ cookie: String) async throws {
                    var h = headers(cookie)
                    h[.contentType] = nil
                    let response = try await client.call(
                        .post, "/api/v1/scans", token: nil,
                        json:
                            #"{"code":"\#(signer.text(for: batch.unitCode(index)))","deviceID":"phone-c","latitude":31.2345678,"longitude":121.4737651}"#,
                        headers: h)
                    #expect(response.status == .ok, "\(response.text)")
                }
                try await scan(1, updated)
                // The next sign-in remembers it.
                let (state2, attempt2) = try await ConsumerSignInTests.start(client, code: unit, device: "phone-c")
                let again = try await ConsumerSignInTests.callback(
                    client, code: fake.issueCode(user: "erin", appID: ConsumerSignInTests.app.appID), state: state2, attempt: attempt2)
                try await scan(2, try #require(ConsumerSignInTests.cookie(again, ConsumerPages.sessionCookie)))
                // Another consumer, who never withdrew it, keeps the exact position.
                try await scan(
                    3,
                    try #require(
                        app.services.consumers.seal(
                            ConsumerSession(
                                tenantID: tenantID, subject: "openid:o-other", appID: nil, unionid: nil, expiresAt: currentMillis() + 60_000))))
                let rows = try await app.storage.database.read(
                    "SELECT serial, latitude, longitude FROM scan_events WHERE tenant_id = \(tenantID) AND latitude IS NOT NULL ORDER BY serial")
                let positions = Dictionary(uniqueKeysWithValues: rows.map { ($0.optionalInt("serial") ?? -1, $0.double("latitude") ?? 0) })
                #expect(positions[1].map { abs($0 - 31.23) < 1e-9 } == true && positions[2].map { abs($0 - 31.23) < 1e-9 } == true, "\(positions)")
                #expect(positions[3].map { abs($0 - 31.2345678) < 1e-9 } == true, "\(positions)")

                // The download lists every choice.
                let export = try await client.call(.get, "/me/export", token: nil, headers: headers(updated))
                #expect((export.json["consents"] as? [[String: Any]])?.count == 2, "\(export.text)")
            }
        }
    }

    @Test func theCurrentAnswerIsTheLatestOrTheDefault() {
        #expect(ConsentRecord.current([]) == [.marketing: false, .location: true, .storeSharing: false])
        let history = [
            ConsentRecord(purpose: .marketing, granted: true, noticeVersion: "1", at: 2),
            ConsentRecord(purpose: .marketing, granted: false, noticeVersion: "1", at: 5),
            ConsentRecord(purpose: .location, granted: false, noticeVersion: "1", at: 3),
        ]
        #expect(ConsentRecord.current(history.reversed()) == [.marketing: false, .location: false, .storeSharing: false])
        let point = GeoPoint(latitude: 31.2345678, longitude: 121.4737651)
        #expect(point?.coarse == GeoPoint(latitude: 31.23, longitude: 121.47))
    }
}
