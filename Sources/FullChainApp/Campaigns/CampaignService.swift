public import FullChainCore
public import FullChainStorage
import Synchronization

/// A scan's prize as the consumer's page shows it.
public struct PrizeInfo: Codable, Sendable, Equatable {
    public var campaignID: Int64
    public var campaign: String
    public var outcome: DrawOutcome
    /// The tier won (only when `outcome` is `won`).
    public var tier: String?
    public var kind: PrizeKind?
    public var amountFen: Int64?
    public var points: Int64?
    public var couponCode: String?
    /// The scan looked risky: the cash prize waits for the brand's review before it is paid.
    public var underReview = false
}

/// What the scan path knows when it asks for a draw.
struct DrawRequest: Sendable {
    var tenantID: Int64
    var batchID: Int64
    var serial: Int
    var productID: Int64
    var regionCode: String?
    /// When the phone says it scanned (a queued scan's time): which campaigns cover the scan.
    var at: Int64
    /// When the server received the scan (its own clock): the draw's business day and risk signals.
    var receivedAt: Int64
    var status: CodeStatus
    var deviceID: String?
    /// Who signed in: the wallet, and (for an openid WeChat confirmed) who cash is paid to.
    var consumer: String?
    /// An identity the client sent unproven: a risk signal and a limit subject, never a payee.
    var asserted: String? = nil
    var storeID: Int64?
    /// The case whose receipt waits for HQ's review: the store's reward is held for it.
    var heldFor: CaseRef? = nil
    var ip: String?
    var location: GeoPoint?

    /// Cash goes only to an openid WeChat confirmed; a phone's cash waits in its wallet.
    var paysCash: Bool { consumer?.hasPrefix("openid:") ?? false }
}

/// A scan's draw before it is settled: what the page will show and, when the scan claims a prize
/// (or the draw's row), the claim the scan path settles (see `ScanService`).
struct PreparedDraw: Sendable {
    var info: PrizeInfo
    var claim: RewardClaim?
}

/// Draws on consumer scans. The brand's running campaigns come from a short-lived cache, the
/// draw is made in memory from a cryptographically secure source (or a seeded one, in tests and
/// the demo), and the scan path settles the claim (limits, stock, budgets, ledger) with the scan's
/// own transaction or right after it, grouped with concurrent scans; each scan is answered only
/// after its draw committed.
public final class CampaignService: Sendable {
    private let storage: AppStorage
    private let running = ExpiringCache<Int64, [RunningCampaign]>(lifetime: .seconds(5))
    /// Set when configuration seeds the draws.
    private let seeded: Mutex<SeededRandom?>
    let pseudonyms: Pseudonyms
    private let recipients: RecipientSeal
    /// Risk control: the brands' blacklists (read again every few seconds), this server's memory of recent scans, the rules.
    private let blacklists = ExpiringCache<Int64, Set<String>>(lifetime: .seconds(5))
    private let tracker = RiskTracker()
    private let riskRules: RiskRules
    /// How many ledger accounts each new campaign's budgets are split into.
    public let budgetShards: Int

    /// Who is in a targeted campaign's segment.
    private let audience: CampaignAudience?

    public init(storage: AppStorage, configuration: AppConfiguration, audience: CampaignAudience? = nil) {
        self.storage = storage
        self.audience = audience
        seeded = Mutex(configuration.drawSeed.map { SeededRandom(seed: $0) })
        pseudonyms = Pseudonyms(masterKey: configuration.masterKey)
        recipients = RecipientSeal(masterKey: configuration.masterKey)
        riskRules = configuration.riskRules
        budgetShards = max(1, min(configuration.budgetShards, 64))
    }

    /// A campaign was created or changed: the next scan reads the brand's campaigns afresh.
    public func campaignsChanged(tenantID: Int64) {
        running.remove(tenantID)
    }

    /// The blacklist changed: the next scan reads it afresh.
    public func blacklistChanged(tenantID: Int64) {
        blacklists.remove(tenantID)
    }

    /// The scan's risk: its signals on this server (counted by when the server drew), and which
    /// of its subjects the brand blacklisted.
    private func assess(_ scan: DrawRequest, now: Int64) async throws -> RiskAssessment {
        var signals = tracker.observe(
            tenantID: scan.tenantID, deviceID: scan.deviceID, ip: scan.ip, consumer: scan.consumer ?? scan.asserted, batchID: scan.batchID,
            at: now, location: scan.location)
        let blacklist = try await blacklists.value(for: scan.tenantID) {
            Set(try await storage.risk.blacklist(tenantID: scan.tenantID).map(\.subject))
        }
        if !blacklist.isEmpty {
            let subjects = [scan.deviceID.map { "device:" + $0 }, scan.ip.map { "ip:" + $0 }, scan.consumer, scan.asserted]
            signals.blacklisted = subjects.compactMap { $0 }.filter(blacklist.contains).compactMap { $0.split(separator: ":").first.map(String.init) }
        }
        return riskRules.assess(signals)
    }

    /// Draws for a scan in the newest running campaign that covers it; nil when none does.
    func prepare(_ scan: DrawRequest) async throws -> PreparedDraw? {
        let campaigns = try await running.value(for: scan.tenantID) {
            try await storage.campaigns.running(at: currentMillis(), lookahead: 10_000, tenantID: scan.tenantID).map(RunningCampaign.init)
        }
        // The newest campaign that covers the scan and whose audience (if it names one) holds the consumer.
        var chosen: Campaign?
        // The consumer's pseudonym: made once, when an audience asks (and reused for the draw).
        var named: String?? = nil
        for running in campaigns where running.applies(productID: scan.productID, regionCode: scan.regionCode, location: scan.location, at: scan.at) {
            if let segment = running.campaign.draft.audienceSegmentID {
                let wallet = named ?? (scan.consumer ?? scan.asserted).map { pseudonyms.of($0, tenantID: scan.tenantID) }
                named = .some(wallet)
                guard
                    try await audience?.includes(wallet: wallet, segmentID: segment, tenantID: scan.tenantID, now: scan.receivedAt) == true
                else { continue }
            }
            chosen = running.campaign
            break
        }
        guard let campaign = chosen else { return nil }
        var info = PrizeInfo(campaignID: campaign.id, campaign: campaign.draft.name, outcome: .lost)
        guard scan.status == .active else {
            info.outcome = .inactiveCode
            return PreparedDraw(info: info)
        }
        // The ledger and the draws know consumers and devices by pseudonyms; the wallet is the
        // signed-in consumer's, else the device's (claimed by whoever signs in on it later).
        let device = scan.deviceID.map { pseudonyms.of("device:\($0)", tenantID: scan.tenantID) }
        let consumer = named ?? (scan.consumer ?? scan.asserted).map { pseudonyms.of($0, tenantID: scan.tenantID) }
        // The signed-in consumer's pseudonym is the one just made: one HMAC, not two.
        let verified = scan.consumer == nil ? nil : consumer
        guard let wallet = verified ?? device ?? consumer else {
            info.outcome = .identityNeeded
            return PreparedDraw(info: info)
        }
        // The draw happens when the server received the scan, by its own clock: the daily win limits
        // count in the server's business day, whatever time the phone says it scanned.
        let risk = try await assess(scan, now: scan.receivedAt)
        let (tier, shard) =
            seeded.withLock { state -> (Int?, Int)? in
                guard var random = state else { return nil }
                defer { state = random }
                return Self.roll(campaign, using: &random)
            }
            ?? {
                var random = SystemRandomNumberGenerator()
                return Self.roll(campaign, using: &random)
            }()
        let claim = RewardClaim(
            tenantID: scan.tenantID, campaign: campaign, batchID: scan.batchID, serial: scan.serial, drawnAt: scan.receivedAt, tierIndex: tier,
            wallet: wallet,
            deviceSubject: device.map { "device:" + $0 }, consumerSubject: consumer.map { "consumer:" + $0 }, deviceID: scan.deviceID,
            storeID: scan.storeID, firstShard: shard,
            // A consumer WeChat confirmed who may win cash is who the payout goes to (sealed); else
            // it waits in the wallet (a phone's until its owner signs in with WeChat).
            payoutRecipient: tier.flatMap { campaign.draft.tiers[$0].kind == .cash && scan.paysCash ? scan.consumer : nil }.flatMap {
                recipients.seal($0, tenantID: scan.tenantID)
            },
            risk: risk, heldFor: scan.heldFor)
        return PreparedDraw(info: info, claim: claim)
    }

    /// The prize the consumer's page shows once the draw's claim was settled with the scan.
    func prize(_ draw: PreparedDraw, settled result: RewardResult?) -> PrizeInfo {
        var info = draw.info
        guard let claim = draw.claim, let result else { return info }
        info.outcome = result.outcome
        if result.outcome == .won, let won = claim.tier {
            info.tier = won.name
            info.kind = won.kind
            info.amountFen = won.kind == .cash || won.kind == .freeItem ? won.amountFen : nil
            info.points = won.kind == .points ? won.points : nil
            // Each winner's coupon is its own: the tier's prefix and ten letters keyed to the winning code.
            info.couponCode = won.couponCode.map { prefix in
                prefix + "-"
                    + pseudonyms.of("coupon:\(claim.campaign.id):\(claim.batchID):\(claim.serial)", tenantID: claim.tenantID).prefix(10).uppercased()
            }
            info.underReview = won.kind == .cash && claim.risk.held
        }
        return info
    }

    /// The tier a draw lands on (the system's secure source, or the configured seed) and the budget shard it pays from first.
    private static func roll(_ campaign: Campaign, using random: inout some RandomNumberGenerator) -> (tier: Int?, shard: Int) {
        (PrizeDraw.draw(campaign.draft.tiers, using: &random), Int.random(in: 0..<campaign.budgetShards, using: &random))
    }
}
