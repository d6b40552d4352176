import Foundation
import FullChainCore
public import FullChainStorage
public import Logging
public import ServiceLifecycle
import Synchronization

/// The payout outbox's worker. It takes due payouts under a lease (so servers sharing one
/// database never send one payout at once, and a crashed worker's payouts come back), checks
/// the provider's limits, keeps each merchant account's pace (counted in the database, so it
/// holds across servers), hands each payout off in the ledger and records the provider's
/// answer. Scans never wait for it: a peak leaves a backlog that drains at the provider's pace.
public final class PayoutService: Service {
    private let storage: AppStorage
    private let provider: any PayoutProvider
    private let limits: PayoutLimits
    private let seal: RecipientSeal
    private let logger: Logger
    /// Payouts taken per round, and how long a worker holds them.
    private let batchSize: Int
    private let leaseMillis: Int64
    /// Whose turn it is among the merchant accounts.
    private let turn = Atomic<Int>(0)

    /// A worker for the services' storage and configuration (its limits and master key), sending through `provider`.
    public init(
        storage: AppStorage, configuration: AppConfiguration, provider: any PayoutProvider, logger: Logger, batchSize: Int = 64,
        leaseMillis: Int64 = 120_000
    ) {
        self.storage = storage
        self.provider = provider
        limits = configuration.payouts.limits
        seal = RecipientSeal(masterKey: configuration.masterKey)
        self.logger = logger
        self.batchSize = batchSize
        self.leaseMillis = leaseMillis
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if try await runOnce() == 0 { try? await Task.sleep(for: .milliseconds(500)) }
            } catch {
                logger.warning("payout round failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(2))
            }
        }
        await provider.shutdown()
    }

    /// One round: takes the due payouts (of one tenant, or all) and sends them; returns how many it took.
    @discardableResult
    public func runOnce(tenantID: Int64? = nil) async throws -> Int {
        let now = currentMillis()
        let lease = UUID().uuidString
        let jobs = try await storage.payouts.claimDue(tenantID: tenantID, now: now, lease: lease, leaseUntil: now + leaseMillis, limit: batchSize)
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask {
                    do {
                        try await self.process(job)
                    } catch {
                        // The lease runs out and the payout comes back, asked about first.
                        self.logger.warning("payout not recorded", metadata: ["payout": "\(job.payout.id)", "error": "\(error)"])
                    }
                }
            }
        }
        return jobs.count
    }

    /// The payout's lease was lost (it ran out and another worker may hold the payout): this
    /// worker neither sends nor records anything more for it.
    struct LeaseLost: Error {}

    private func process(_ taken: PayoutJob) async throws {
        var job = taken
        let payout = job.payout
        // Recorded only while the lease is still this worker's: a worker whose lease ran out
        // during a slow call leaves the payout to the one that took it over.
        let record = { (answer: PayoutAnswer) async throws in
            let now = currentMillis()
            let retryAt: Int64 =
                switch answer {
                case .later(_, nextDay: true): BusinessDay.start(ofDay: BusinessDay.day(ofMillis: now) + 1)
                default: now + self.limits.retryDelay(afterAttempts: payout.attempts)
                }
            guard try await self.storage.payouts.record(job, answer: answer, retryAt: retryAt, now: now) else { throw LeaseLost() }
        }
        // Extends the lease before a provider call, so a slow answer does not let another worker send too.
        let renew = {
            let now = currentMillis()
            guard try await self.storage.payouts.renewLease(job, now: now, leaseUntil: now + self.leaseMillis) else { throw LeaseLost() }
        }
        guard let recipient = seal.open(payout.recipient, tenantID: payout.tenantID) else {
            return try await record(.refused(reason: "recipient_unreadable"))
        }
        // An earlier hand-off's outcome is not known: ask before sending again.
        if job.askFirst && payout.billNumber != nil {
            try await renew()
            let answer = await provider.query(payout)
            if answer != .notFound { return try await record(answer) }
        }
        if let reason = limits.refusal(amountFen: payout.amountFen) { return try await record(.refused(reason: reason)) }
        let day = BusinessDay.day(ofMillis: currentMillis())
        guard let merchant = try await merchant(for: payout, day: day) else {
            return try await record(.later(reason: "merchant_daily_limit", nextDay: true))
        }
        // A payout keeps the bill number of its first hand-off; only a new one takes a serial.
        let billNumber: String
        if let kept = payout.billNumber {
            billNumber = kept
        } else {
            billNumber = Payout.billNumber(merchant: merchant, day: day, serial: try await storage.payouts.nextBillSerial())
        }
        let handOffAt = currentMillis()
        switch try await storage.payouts.handOff(
            job, merchant: merchant, billNumber: billNumber, day: day, limits: limits, now: handOffAt,
            leaseUntil: handOffAt + leaseMillis)
        {
        case .limitReached(let reason): return try await record(.later(reason: reason, nextDay: true))
        case .leaseLost: throw LeaseLost()
        case .handedOff(let fixed): job.payout = fixed
        }
        try await pace(merchant)
        try await renew()
        let answer = await provider.send(job.payout, to: recipient)
        logger.debug("payout sent", metadata: ["bill": "\(job.payout.billNumber ?? "")", "answer": "\(answer)"])
        try await record(answer)
    }

    /// The payout's merchant account (fixed at its first hand-off), else one with room today,
    /// tried in turns so that load spreads over them all.
    private func merchant(for payout: Payout, day: Int64) async throws -> String? {
        let accounts = provider.merchants
        guard !accounts.isEmpty else { return nil }
        let first = turn.add(1, ordering: .relaxed).oldValue & 0xFFFF
        let candidates = payout.merchant.map { [$0] } ?? accounts.indices.map { accounts[(first + $0) % accounts.count] }
        for candidate in candidates {
            let today = try await storage.payouts.merchantDay(merchant: candidate, day: day, excluding: payout.id, tenantID: payout.tenantID)
            if limits.merchantAllows(fen: today.amountFen, amountFen: payout.amountFen) { return candidate }
        }
        return nil
    }

    /// Waits for a slot in the merchant account's pace (payouts per second, across servers).
    private func pace(_ merchant: String) async throws {
        while true {
            let now = currentMillis()
            if try await storage.payouts.takePace(merchant: merchant, second: now / 1000, limit: limits.perSecondPerMerchant) { return }
            try await Task.sleep(for: .milliseconds(1000 - now % 1000 + Int64.random(in: 0...20)))
        }
    }
}
