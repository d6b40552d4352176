import FullChainStorage
import Logging
import ServiceLifecycle

/// Forgets expired idempotency keys off the request path: every `interval` (the first one an
/// interval after start), in batches of at most `batchSize` keys, each its own short
/// transaction so writers never wait long for the table, until no expired key is left.
struct IdempotencyPurger: Service {
    let storage: any IdempotencyRepository
    let logger: Logger
    var interval: Duration = .seconds(60)
    var batchSize = 1_000
    /// Batches in one round, at most; the rest waits for the next round.
    var maxBatches = 1_000

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            await purgeExpired()
        }
    }

    /// One round: forgets the keys older than the retention, batch by batch; returns how many.
    @discardableResult
    func purgeExpired(now: Int64 = currentMillis()) async -> Int {
        var purged = 0
        do {
            for _ in 0..<maxBatches {
                let batch = try await storage.purge(before: now - Idempotency.retention, limit: batchSize)
                purged += batch
                if batch < batchSize || Task.isCancelled { break }
            }
        } catch {
            logger.warning("idempotency key purge failed", metadata: ["error": "\(error)", "purged": "\(purged)"])
        }
        if purged > 0 { logger.debug("idempotency keys purged", metadata: ["count": "\(purged)"]) }
        return purged
    }
}
