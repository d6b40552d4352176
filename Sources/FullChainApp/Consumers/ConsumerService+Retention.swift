import FullChainCore
public import FullChainStorage
public import Logging
public import ServiceLifecycle

/// What one retention run did for a brand.
public struct RetentionReport: Sendable, Equatable {
    /// Scans whose positions were rounded.
    public var coarsened: Int
    /// Scan events and store customers whose clear-text consumer became a pseudonym.
    public var pseudonymized: Int

    public init(coarsened: Int, pseudonymized: Int) {
        self.coarsened = coarsened
        self.pseudonymized = pseudonymized
    }
}

extension ConsumerService {
    /// The name a consumer has in scan events and store customer lists: a keyed pseudonym,
    /// never the openid or phone.
    public func scanPseudonym(of subject: String, tenantID: Int64) -> String {
        pseudonyms.scanName(of: subject, tenantID: tenantID)
    }

    /// Applies the brand's retention rules: positions of scans older than the retention are
    /// rounded, consumers that early scans named in clear get their pseudonyms, and deleted
    /// accounts' payouts that have ended lose their recipient.
    public func applyRetention(tenantID: Int64, now: Int64) async throws -> RetentionReport {
        let before = now - settings.positionRetentionDays * 86_400_000
        let coarsened = try await storage.consumers.coarsenPositions(before: before, decimals: settings.positionDecimals, tenantID: tenantID)
        var pseudonymized = 0
        let pseudonyms = self.pseudonyms
        while true {
            let found = try await storage.consumers.clearConsumers(limit: 1_000, tenantID: tenantID)
            guard !found.isEmpty else { break }
            try await storage.consumers.pseudonymize(
                found, as: { pseudonyms.scanName(of: $0, tenantID: tenantID) }, tenantID: tenantID)
            pseudonymized += found.count
        }
        // Payouts of deleted accounts that were in flight then lose their recipient once they end.
        _ = try await storage.consumers.clearErasedRecipients(tenantID: tenantID)
        return RetentionReport(coarsened: coarsened, pseudonymized: pseudonymized)
    }
}

/// Applies the consumers' retention rules for every brand once a day (01:00 China time), and
/// once at start. A failed run is logged and tried again the next day.
public struct RetentionJob: Service {
    let consumers: ConsumerService
    let storage: AppStorage
    let logger: Logger

    public init(consumers: ConsumerService, storage: AppStorage, logger: Logger) {
        self.consumers = consumers
        self.storage = storage
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await runAll()
            let now = currentMillis()
            let next = BusinessDay.start(ofDay: BusinessDay.day(ofMillis: now) + 1) + 60 * 60_000
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(next - now)) }
            } catch {
                return
            }
        }
    }

    func runAll() async {
        do {
            for tenantID in try await storage.storeJob.tenantIDs() {
                let report = try await consumers.applyRetention(tenantID: tenantID, now: currentMillis())
                if report.coarsened > 0 || report.pseudonymized > 0 {
                    logger.info(
                        "retention applied",
                        metadata: ["tenant": "\(tenantID)", "coarsened": "\(report.coarsened)", "pseudonymized": "\(report.pseudonymized)"])
                }
            }
        } catch {
            logger.warning("retention failed", metadata: ["error": "\(error)"])
        }
    }
}
