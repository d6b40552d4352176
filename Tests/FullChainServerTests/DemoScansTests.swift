import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Testing

/// The demo's code story, loaded through the real scan path: what a newcomer is promised to see.
@Suite("Demo scans")
struct DemoScansTests {
    @Test(arguments: APIBackend.all)
    func theDemoShowsSalesDeliveriesRepackingAndAlerts(_ backend: APIBackend) async throws {
        // Seeded draws: the gang scans last and one at a time, so its prizes repeat from run to run.
        try await TestApp.with(backend, configure: { $0.drawSeed = 11 }) { app in
            let brand = DemoBrand.generate(seed: 11, storeCount: 400, referenceDate: "2026-11-20")
            let tenant = try await DemoLoader.load(brand, into: app.storage, passwordHash: app.services.passwords.hash("demo-secret"))
            let summary = try await DemoScans.load(tenantID: tenant.id, core: app.services.core, seed: 11, now: currentMillis())
            #expect(summary.batches == 4 && summary.scans > 500 && summary.forgedAttempts == 25)
            #expect(summary.casesDelivered > 0 && summary.casesReceived > 0 && summary.unitsRepacked == 8)

            // Every kind of alert the feed promises.
            let alerts = try await app.storage.alerts.list(ListQuery(limit: 200), filter: AlertFilter(), scope: .wholeTenant(tenant.id)).items
            #expect(Set(alerts.map(\.reason)) == Set(AlertReason.allCases), "\(alerts.map(\.reason))")

            let batch = try #require(try await app.storage.codes.batch(id: 1, tenantID: tenant.id))
            let signer = try await app.services.codeKeys.currentSigner(tenantID: tenant.id)
            let cases = (0..<3).map { CaseRef(batchID: batch.id, caseNumber: $0) }
            let receipts = try await app.storage.logistics.receipts(of: cases, tenantID: tenant.id)
            let transfers = try await app.storage.logistics.transfers(of: cases, tenantID: tenant.id)
            // Case 2 was delivered but its store never scanned the receipt: the delivery names the store.
            #expect(receipts[cases[2]] == nil)
            let delivered = try #require(transfers[cases[2]])
            let scan = try await app.services.scanning.scan(
                code: signer.text(for: batch.unitCode(2 * batch.unitsPerCase + batch.unitsPerCase - 1)),
                at: currentMillis(), receivedAt: currentMillis(), location: nil, deviceID: "test", ip: nil, signedIn: nil)
            #expect(scan.store?.id == delivered.storeID)
            // Unit 0 was re-packed from case 0 into case 1: it belongs to case 1's store.
            let repacked = try await app.services.scanning.scan(
                code: signer.text(for: batch.unitCode(0)), at: currentMillis(), receivedAt: currentMillis(), location: nil,
                deviceID: "test", ip: nil, signedIn: nil)
            #expect(repacked.store?.id == receipts[cases[1]]?.storeID && receipts[cases[1]]?.storeID != receipts[cases[0]]?.storeID)

            // The diverted cases' receipts, recorded for their stores by someone else, wait for HQ with the rewards their units earned.
            let heldReceipts = try await app.storage.logistics.heldReceipts(ListQuery(), scope: .wholeTenant(tenant.id))
            #expect(
                heldReceipts.total >= 1 && heldReceipts.items.allSatisfy { $0.flag == .otherDistributor }
                    && heldReceipts.items.contains { $0.heldFen > 0 },
                "\(heldReceipts.items)")

            // The month's scans drew in the demo campaign: prizes and store rewards, booked in a balanced ledger.
            let campaignID = try #require(summary.campaignID)
            let stats = try await app.storage.rewards.stats(campaignID: campaignID, tenantID: tenant.id)
            #expect(stats.draws > 400 && stats.winners > 10 && stats.storeRewardsFen > 0, "\(stats)")
            #expect(try await app.storage.ledger.check(tenantID: tenant.id).isBalanced)
            // Its cash prizes wait in the payout outbox, one per red packet won by a consumer (the scan above named none):
            // queued to be sent, or held for review when the scan looked risky; the consumer who deleted the account
            // had theirs cancelled.
            let outbox = try await app.storage.payouts.summary(tenantID: tenant.id)
            #expect(summary.erasedConsumers == 1 && (outbox[.rejected]?.count ?? 0) == summary.cancelledPayouts, "\(outbox)")
            #expect(summary.consentsSet > 0 && summary.consentsWithdrawn > 0, "\(summary)")
            let withdrawn = try await app.storage.database.read(
                "SELECT COUNT(*) AS n FROM consumer_consents WHERE tenant_id = \(tenant.id) AND purpose = 'location' AND granted = 0")
            #expect(withdrawn.first?.optionalInt("n") == Int64(summary.consentsWithdrawn))
            let queued = (outbox[.queued]?.count ?? 0) + (outbox[.held]?.count ?? 0) + summary.cancelledPayouts
            let cashWon = try await app.storage.database.read(
                """
                SELECT COUNT(*) AS n FROM campaign_draws WHERE tenant_id = \(tenant.id) AND campaign_id = \(campaignID) AND outcome = 'won' AND tier IN (0, 1) AND device_id <> 'test'
                """
            ).first?.optionalInt("n")
            #expect(queued > 0 && queued == cashWon.map(Int.init), "\(queued) vs \(String(describing: cashWon))")
            // The reward-farming gang's red packets, and only theirs, wait for review: eight accounts on two phones.
            let held = try await app.storage.payouts.list(tenantID: tenant.id, status: .held, limit: 1000)
            let gangWins =
                try await app.storage.database.read(
                    """
                    SELECT COUNT(*) AS n FROM campaign_draws WHERE tenant_id = \(tenant.id) AND campaign_id = \(campaignID) AND outcome = 'won' AND tier IN (0, 1)
                    AND device_id LIKE 'gang-phone-%'
                    """
                ).first?.optionalInt("n") ?? 0
            // Stores redeemed most of the free bottles won, and are owed for them.
            #expect(summary.vouchersRedeemed > 0, "\(summary)")
            let statements = try await app.storage.settlements.stores(
                from: BusinessDay.day(ofMillis: currentMillis()) - 40,
                to: BusinessDay.day(ofMillis: currentMillis()) + 1, scope: .wholeTenant(tenant.id))
            #expect(
                statements.reduce(0) { $0 + $1.vouchersRedeemed } == summary.vouchersRedeemed
                    && statements.allSatisfy { $0.dueFen >= $0.vouchersFen + $0.couponsFen })
            // Consumers spent their points in the mall, and stores redeemed some of the coupons, owed on their statements.
            #expect(summary.couponsTaken > 0 && summary.couponsRedeemed > 0, "\(summary)")
            #expect(statements.reduce(0) { $0 + $1.couponsRedeemed } == summary.couponsRedeemed)
            // Every scanning consumer has a profile; two people's phones were joined by their unionid, one join undone.
            #expect(summary.profiles > 20 && summary.merges == 2 && summary.mergesUndone == 1, "\(summary)")
            let people = try await app.storage.profiles.list(ListQuery(limit: 500), filter: ConsumerFilter(), scope: .wholeTenant(tenant.id))
            // (The list counts ten pages ahead: more than that reads as "more than 5,000".)
            #expect(people.total == min(summary.profiles, ConsumerProfiles.countCap(for: ListQuery(limit: 500)) + 1), "\(people.total) vs \(summary)")
            #expect(people.items.contains { $0.verified } && people.items.allSatisfy { $0.scans > 0 }, "\(people.items.filter { $0.scans == 0 })")
            // HQ's tags are on the consumers who meet them: repeat buyers, Beijing's, mall spenders, three VIPs.
            let tags = try await app.storage.tags.list(tenantID: tenant.id)
            #expect(tags.count == summary.tags && tags.allSatisfy(\.current) && summary.taggedConsumers > 10, "\(tags) \(summary)")
            let members = Dictionary(uniqueKeysWithValues: tags.map { ($0.name, $0.members) })
            #expect(members["重点会员"] == 3 && (members["积分兑换者"] ?? 0) > 0 && (members["近30天复购"] ?? 0) > 0, "\(members)")
            // HQ's three segments have members; the first agrees with the same question asked in SQL.
            #expect(summary.segments.count == 3 && summary.segments.allSatisfy { $0 > 0 }, "\(summary.segments)")
            let beijingRepeat = try await app.storage.database.read(
                """
                SELECT COUNT(*) AS n FROM consumer_profiles p JOIN stores s ON s.tenant_id = p.tenant_id AND s.id = p.store_id
                JOIN consumer_tag_members m ON m.tenant_id = p.tenant_id AND m.profile_id = p.id
                JOIN consumer_tags t ON t.tenant_id = m.tenant_id AND t.id = m.tag_id
                WHERE p.tenant_id = \(tenant.id) AND p.merged_into IS NULL AND t.name = '近30天复购' AND s.region_code LIKE '11%'
                """
            ).first?.optionalInt("n")
            #expect(beijingRepeat == Int64(summary.segments[0]), "\(String(describing: beijingRepeat)) vs \(summary.segments)")
            // The lifecycle funnel narrows stage by stage, and its rollups agree with the profiles' own stages.
            let funnel = LifecycleStage.allCases.map { summary.lifecycle[$0] ?? 0 }
            #expect(funnel.allSatisfy { $0 > 0 }, "\(summary.lifecycle)")
            #expect(zip(funnel, funnel.dropFirst()).allSatisfy { $0 >= $1 }, "\(summary.lifecycle)")
            for stage in LifecycleStage.allCases {
                let atOrBeyond = LifecycleStage.allCases.filter { $0 >= stage }.map(\.rawValue)
                let profiles = try await app.storage.database.read(
                    """
                    SELECT COUNT(*) AS n FROM consumer_profiles WHERE tenant_id = \(tenant.id)
                    AND lifecycle_stage IN (\(SQLStatement.join(atOrBeyond.map { "\($0)" }, separator: ", ")))
                    """
                ).first?.optionalInt("n")
                #expect(profiles == summary.lifecycle[stage] ?? 0, "\(stage): \(String(describing: profiles)) vs \(summary.lifecycle)")
            }
            #expect(!held.isEmpty && held.allSatisfy { $0.riskReasons.contains("shared_device") }, "\(held)")
            // The referral tree: KOCs who brought friends (one with reach two steps out), and the gang's invitations held.
            let referrers = try await app.storage.referrals.referrers(scope: .wholeTenant(tenant.id), storeID: nil, limit: 100)
            #expect(referrers.filter(\.figures.isKOC).count >= 2 && referrers.contains { $0.figures.secondHop > 0 }, "\(referrers)")
            #expect(summary.referralsCounted >= 14 && summary.referralsHeld >= 4, "\(summary)")
            // Both journeys run; the idle consumers entered the wake-up journey at once, a fifth held out.
            let journeys = try await app.storage.journeys.list(tenantID: tenant.id)
            #expect(journeys.count == 2 && journeys.allSatisfy { $0.status == .running })
            #expect(summary.journeyEntrants > 0, "\(summary)")
            let wakeUp = try #require(journeys.first { $0.definition.trigger.kind == .inactive })
            let report = try await app.storage.journeys.report(journeyID: wakeUp.id, goalDays: 14, tenantID: tenant.id)
            #expect(report.entered + report.heldOut <= Int64(summary.journeyEntrants) && report.heldOut > 0, "\(report)")
            #expect(report.steps[0]?[.done] == report.entered, "\(report)")
            // The welcome journey ran through the month: its group came back more than its holdout.
            let welcome = try #require(journeys.first { $0.definition.trigger.kind == .stage })
            let welcomed = try await app.storage.journeys.report(journeyID: welcome.id, goalDays: 14, tenantID: tenant.id)
            #expect(summary.welcomeReturns > 0 && welcomed.heldOut > 0, "\(summary)")
            #expect((welcomed.uplift ?? 0) > 0.1, "\(welcomed)")
            let heldReferrals = try await app.storage.referrals.list(status: .held, scope: .wholeTenant(tenant.id), limit: 100)
            #expect(heldReferrals.count == summary.referralsHeld && heldReferrals.allSatisfy { !$0.referral.reasons.isEmpty })
            #expect(Int64(held.count) <= gangWins && Int64(held.count) >= gangWins - 6, "\(held.count) held of \(gangWins) gang red packets")
        }
    }
}
