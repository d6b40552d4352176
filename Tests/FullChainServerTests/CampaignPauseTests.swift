import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import HummingbirdTesting
import Testing

/// HQ pauses a campaign: scans draw nothing from it until it is resumed; pausing twice, resuming
/// a running campaign and other roles are refused with their codes. HQ changes a running
/// campaign's name, end and limits; a bad change is refused whole.
@Suite("Campaign pause")
struct CampaignPauseTests {
    @Test(arguments: APIBackend.all)
    func aPausedCampaignDrawsNothingUntilResumed(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            try await app.test { client in
                let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "PAUSE", quantity: 4)
                let id = try await CampaignDrawTests.campaign(
                    client, app, world, tiers: #"[{"name":"积分","kind":"points","points":10,"probability":1}]"#, budgetFen: 0)
                let code = { (serial: Int) in signer.text(for: batch.unitCode(serial)) }
                func scan(_ serial: Int) async throws -> String {
                    let answer = try await client.call(
                        .post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code(serial))","deviceID":"d-\#(serial)"}"#)
                    return answer.text
                }

                let paused = try await client.call(.post, "/api/v1/campaigns/\(id)/pause", token: admin)
                #expect(paused.status == .ok && paused.json["pausedAt"] as? Int != nil, "\(paused.text)")
                #expect(try await scan(0).contains(#""prize":null"#), "paused: no draw")
                let twice = try await client.call(.post, "/api/v1/campaigns/\(id)/pause", token: admin)
                #expect(twice.status == .conflict && twice.errorCode == "already_paused", "\(twice.text)")
                let listed = try await client.call(.get, "/api/v1/campaigns/\(id)", token: admin)
                #expect(listed.json["pausedAt"] as? Int != nil)

                let resumed = try await client.call(.post, "/api/v1/campaigns/\(id)/resume", token: admin)
                #expect(resumed.status == .ok && resumed.json["pausedAt"] == nil, "\(resumed.text)")
                #expect(CampaignDrawTests.outcome(try await scan(1)) == "won", "resumed: draws again")
                let again = try await client.call(.post, "/api/v1/campaigns/\(id)/resume", token: admin, headers: [.acceptLanguage: "zh-CN"])
                #expect(again.status == .conflict && again.errorCode == "not_paused" && again.text.contains("活动没有暂停"), "\(again.text)")

                #expect(try await client.call(.post, "/api/v1/campaigns/999999/pause", token: admin).status == .notFound)

                // A change of name, end and limits; a bad change is refused whole.
                let end = currentMillis() + 3 * 86_400_000
                let changed = try await client.call(
                    .patch, "/api/v1/campaigns/\(id)", token: admin, json: #"{"name":"加长版","endsAt":\#(end),"perDevicePerDay":7}"#)
                #expect(
                    changed.status == .ok && changed.json["name"] as? String == "加长版" && changed.json["endsAt"] as? Int == Int(end)
                        && changed.json["perDevicePerDay"] as? Int == 7, "\(changed.text)")
                let refused = try await client.call(
                    .patch, "/api/v1/campaigns/\(id)", token: admin, json: #"{"name":"坏","endsAt":1,"perConsumerPerDay":0}"#)
                #expect(refused.status == .unprocessableContent && refused.text.contains("in_the_past"), "\(refused.text)")
                let stored = try #require(try await app.storage.campaigns.get(id: Int64(id), tenantID: world.tenantA.id))
                #expect(stored.draft.name == "加长版" && stored.draft.endsAt == end && stored.draft.limits.perConsumerPerDay == 1_000)
                #expect(CampaignDrawTests.outcome(try await scan(2)) == "won", "a changed campaign still draws")
                for actor in world.actors where actor.role != .admin {
                    #expect(try await client.call(.post, "/api/v1/campaigns/\(id)/pause", token: actor.token).status == .forbidden, "\(actor.name)")
                    #expect(
                        try await client.call(.patch, "/api/v1/campaigns/\(id)", token: actor.token, json: #"{"name":"x"}"#).status == .forbidden)
                }
            }
        }
    }
}
