import FullChainCore
import FullChainStorage

/// The demo's referral tree: three early regulars brought friends who then scanned (some of
/// whom came back, and one of whom brought two more), and the reward-farming gang "invited" one
/// another on their two shared phones behind one address, held for review. Each referral goes
/// through the same rules as a live one, dated at the newcomer's first genuine scan.
enum DemoReferrals {
    /// A consumer's first genuine scan and how many they made.
    struct Newcomer {
        var wallet: String
        var at: Int64
        var storeID: Int64?
        var device: String?
        var ip: String?
        var sku: String?
        var scans: Int64
        var verified: Bool
    }

    /// How many each referrer brings, and how many of those came back.
    static let quotas: [(brought: Int, returning: Int)] = [(5, 3), (4, 2), (3, 2)]

    static func load(tenantID: Int64, core: AppCore) async throws -> (counted: Int, held: Int) {
        let rows = try await core.storage.database.read(
            """
            SELECT e.consumer, e.scanned_at, e.store_id, e.device_id, e.ip, p.sku,
                (SELECT COUNT(*) FROM scan_events x WHERE x.tenant_id = e.tenant_id AND x.consumer = e.consumer AND x.status = 'active') AS n,
                (SELECT COUNT(*) FROM consumer_identities i WHERE i.tenant_id = e.tenant_id AND i.pseudonym = SUBSTR(e.consumer, 10)
                    AND i.kind IN ('openid', 'unionid', 'phone')) AS verified
            FROM scan_events e
            JOIN code_batches b ON b.tenant_id = e.tenant_id AND b.id = e.batch_id
            JOIN products p ON p.tenant_id = b.tenant_id AND p.id = b.product_id
            WHERE e.tenant_id = \(tenantID) AND e.consumer LIKE 'consumer:%' AND e.status = 'active'
            AND e.scanned_at = (SELECT MIN(y.scanned_at) FROM scan_events y WHERE y.tenant_id = e.tenant_id AND y.consumer = e.consumer
                AND y.status = 'active')
            ORDER BY e.scanned_at, e.consumer
            """)
        var seen = Set<String>()
        var newcomers: [Newcomer] = []
        for row in rows {
            let name = try row.string("consumer")
            guard seen.insert(name).inserted else { continue }
            newcomers.append(
                Newcomer(
                    wallet: String(name.dropFirst("consumer:".count)), at: try row.int("scanned_at"), storeID: row.optionalInt("store_id"),
                    device: row.optionalString("device_id"), ip: row.optionalString("ip"), sku: row.optionalString("sku"),
                    scans: row.optionalInt("n") ?? 0, verified: (row.optionalInt("verified") ?? 0) > 0))
        }
        let gang = newcomers.filter { $0.device?.hasPrefix("gang-phone-") == true }
        let others = newcomers.filter { $0.device?.hasPrefix("gang-phone-") != true }
        // The earliest consumers who came back (signed-in ones first) are the ones who bring friends.
        let regulars = others.filter { $0.scans >= 2 }.prefix(50)
        let referrers = Array((regulars.filter(\.verified) + regulars.filter { !$0.verified }).prefix(quotas.count))
        var used = Set(referrers.map(\.wallet))
        var plan: [(referrer: Newcomer, referred: Newcomer)] = []

        /// `count` newcomers after `referrer` first scanned, `returning` of them ones who came back.
        func bring(_ referrer: Newcomer, count: Int, returning: Int) -> [Newcomer] {
            var picked: [Newcomer] = []
            let later = others.filter { $0.at > referrer.at && !used.contains($0.wallet) }
            for candidate in later where candidate.scans >= 2 && picked.count < returning {
                picked.append(candidate)
                used.insert(candidate.wallet)
            }
            for candidate in later where candidate.scans < 2 && picked.count < count && !used.contains(candidate.wallet) {
                picked.append(candidate)
                used.insert(candidate.wallet)
            }
            plan += picked.map { (referrer, $0) }
            return picked
        }
        for (referrer, quota) in zip(referrers, quotas) {
            let brought = bring(referrer, count: quota.brought, returning: quota.returning)
            // The first KOC's first newcomer brings two friends of their own: reach two steps out.
            if referrer.wallet == referrers.first?.wallet, let friend = brought.first {
                _ = bring(friend, count: 2, returning: 1)
            }
        }
        if let leader = gang.first {
            plan += gang.dropFirst().map { (leader, $0) }
        }
        var counted = 0, held = 0
        for referrer in Set(plan.map(\.referrer.wallet)).sorted() {
            _ = try await core.storage.referrals.inviteCode(wallet: referrer, at: newcomers.first?.at ?? 0, tenantID: tenantID)
        }
        for (referrer, referred) in plan.sorted(by: { ($0.referred.at, $0.referred.wallet) < ($1.referred.at, $1.referred.wallet) }) {
            let referral = try await core.consumers.recordReferral(
                referrer: referrer.wallet, referred: referred.wallet, storeID: referred.storeID, sku: referred.sku, deviceID: referred.device,
                ip: referred.ip, at: referred.at, tenantID: tenantID)
            switch referral?.status {
            case .counted: counted += 1
            case .held: held += 1
            default: break
            }
        }
        return (counted, held)
    }
}
