import Foundation
import FullChainCore
import FullChainServer
import FullChainStorage
import Testing

/// The consumer's H5 page in a real browser (headless Chromium driven by Selenium,
/// `Tests/Browser/scan_page.py`): its script records the scan and shows the answer.
@Suite("Scan page in a browser")
struct ScanPageBrowserTests {
    @Test func aPhoneOpeningTheCodeSeesGenuineTheStoreAndNearbyStoresThenTheRepeat() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: tenantID).items.first)
            let signer = try await app.services.codeKeys.currentSigner(tenantID: tenantID)
            let batch = try await app.storage.codes.createBatch(productID: product.id, lot: "BROWSER1", quantity: 24, unitsPerCase: 12,
                                                                keyID: signer.keyID, tenantID: tenantID)
            _ = try await app.storage.codes.recordRangeAction(.activate, cases: 0...1, batchID: batch.id, tenantID: tenantID)
            let ref = CaseRef(batchID: batch.id, caseNumber: 0)
            try await app.storage.logistics.ship([ref], distributorID: world.distributorD1, tenantID: tenantID)
            try await app.storage.logistics.receive([CaseReceipt(batchID: batch.id, caseNumber: 0, storeID: world.storeST1, distributorID: world.distributorD1,
                                                                 flag: .ok, receivedAt: currentMillis())], tenantID: tenantID)
            let page = signer.text(for: batch.unitCode(2))
            // A running campaign where every draw wins a red packet.
            let now = currentMillis()
            let campaign = try await app.storage.campaigns.create(CampaignDraft(
                name: "开盖有奖", productIDs: [product.id], regionCodes: [], startsAt: now - 60_000, endsAt: now + 86_400_000,
                tiers: [PrizeTier(name: "现金红包", kind: .cash, amountFen: 288, ppm: PrizeDraw.rolls)], budgetFen: 10_000, storeRewardFen: 0, storeBudgetFen: 0,
                limits: CampaignLimits()), budgetShards: 2, tenantID: tenantID)
            try await app.live { port in
                let lines = try await Self.browse("http://127.0.0.1:\(port)/c/\(page)", latitude: 39.921, longitude: 116.441)
                #expect(lines.count == 2, "\(lines)")
                guard lines.count == 2 else { return }
                #expect(lines[0]["verdict"]?.contains("您是第一位扫码的消费者") == true, "\(lines[0])")
                #expect(lines[0]["store"]?.contains("朝阳便利店") == true, "\(lines[0])")
                #expect(lines[0]["nearby"]?.contains("朝阳便利店") == true && lines[0]["nearby"]?.contains("公里") == true, "\(lines[0])")
                #expect(lines[0]["prize"]?.contains("恭喜中奖") == true && lines[0]["prize"]?.contains("¥2.88") == true, "\(lines[0])")
                #expect(lines[1]["prize"]?.contains("此码的奖励已被领取") == true, "\(lines[1])")
                // The second visit is the second scan, first made in Beijing.
                #expect(lines[1]["verdict"]?.contains("此码已被扫描 2 次") == true && lines[1]["verdict"]?.contains("北京市") == true, "\(lines[1])")
            }
            // Exactly two scans were recorded (the page's retry key never counts one twice), one of them the store's sale.
            let today = BusinessDay.day(ofMillis: currentMillis())
            let days = try await app.storage.scans.storeDays((today - 1)...(today + 1), scope: .wholeTenant(world.tenantA.id))
            let rows = days.filter { $0.productID == batch.productID && $0.key == "\(world.storeST1)" }
            #expect(rows.reduce(0) { $0 + $1.scans } == 2 && rows.reduce(0) { $0 + $1.unitsSold } == 1, "\(days)")
            // One prize, paid once.
            let stats = try await app.storage.rewards.stats(campaignID: campaign.id, tenantID: tenantID)
            #expect(stats.draws == 1 && stats.winners == 1 && stats.prizesFen == 288)
        }
    }

    /// Runs the browser script; one decoded JSON object per visit.
    static func browse(_ url: String, latitude: Double, longitude: Double) async throws -> [[String: String]] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Browser/scan_page.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, url, String(latitude), String(longitude)]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status == 0, "scan_page.py: \(problems.suffix(2_000))")
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String]
        }
    }
}
