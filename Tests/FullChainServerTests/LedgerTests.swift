import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The double-entry ledger: idempotent entries, floors no concurrency can break, and a check that catches tampering.
@Suite("Ledger")
struct LedgerTests {
    @Test(arguments: APIBackend.all)
    func aBudgetIsNeverOverdrawnAndTheBooksBalance(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let tenantID = world.tenantA.id
            let ledger = app.storage.ledger
            let budget = LedgerAccount.campaignBudget(campaignID: 1, shard: 0)
            let funding = try LedgerEntry.transfer(key: "fund:1", memo: "campaign 1 budget", 1_000, .fen, from: .brandFunding, to: budget)
            guard case .posted = try await ledger.post(funding, tenantID: tenantID) else {
                Issue.record("not posted")
                return
            }
            // The same key again: nothing changes. The same key for other postings: refused.
            guard case .alreadyPosted = try await ledger.post(funding, tenantID: tenantID) else {
                Issue.record("posted twice")
                return
            }
            let other = try LedgerEntry.transfer(key: "fund:1", memo: "", 2_000, .fen, from: .brandFunding, to: budget)
            await #expect(throws: StorageError.duplicate("ledger_entries.idempotency_key")) { try await ledger.post(other, tenantID: tenantID) }
            #expect(try await ledger.balance(of: budget, asset: .fen, tenantID: tenantID) == 1_000)

            // 40 winners of 30 fen at once (and each retried): 33 are paid, 10 fen stay, none twice.
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for attempt in 0..<80 {
                    group.addTask {
                        let winner = attempt % 40
                        let entry = try LedgerEntry.transfer(
                            key: "prize:\(winner)", memo: "scan prize", 30, .fen, from: budget, to: .consumerWallet("c\(winner)"))
                        do {
                            switch try await ledger.post(entry, tenantID: tenantID) {
                            case .posted: return "posted"
                            case .alreadyPosted: return "again"
                            }
                        } catch StorageError.floorReached(let account) {
                            return "refused \(account)"
                        }
                    }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(outcomes["posted"] == 33, "\(outcomes)")
            #expect(try await ledger.balance(of: budget, asset: .fen, tenantID: tenantID) == 10)
            var paid: Int64 = 0
            for winner in 0..<40 { paid += try await ledger.balance(of: .consumerWallet("c\(winner)"), asset: .fen, tenantID: tenantID) }
            #expect(paid == 990)
            let check = try await ledger.check(tenantID: tenantID)
            #expect(check.isBalanced && check.entries == 34 && check.debits["fen"] == 1_990 && check.credits["fen"] == 1_990, "\(check)")

            try await app.test { client in
                let answer = try await client.call(.get, "/api/v1/ledger/check", token: world.adminToken)
                #expect(answer.status == .ok && answer.json["balanced"] as? Bool == true && answer.json["entries"] as? Int == 34, "\(answer.text)")
                let manager = try #require(world.actors.first { $0.role == .manager }).token
                #expect(try await client.call(.get, "/api/v1/ledger/check", token: manager).status == .forbidden)

                // Someone edits a balance behind the ledger's back: the check says so.
                try await app.storage.database.execute(
                    """
                    UPDATE ledger_accounts SET balance = -5 WHERE tenant_id = \(tenantID) AND code = 'campaign:1:budget:0' AND asset = 'fen'
                    """)
                let tampered = try await client.call(.get, "/api/v1/ledger/check", token: world.adminToken)
                #expect(tampered.json["balanced"] as? Bool == false)
                #expect(tampered.json["mismatchedAccounts"] as? [String] == ["campaign:1:budget:0/fen"])
                #expect(tampered.json["accountsBelowFloor"] as? [String] == ["campaign:1:budget:0/fen"])
                // Brand B's books are its own, and empty.
                let other = try await app.storage.ledger.check(tenantID: world.tenantB.id)
                #expect(other.isBalanced && other.entries == 0)
            }
        }
    }
}
