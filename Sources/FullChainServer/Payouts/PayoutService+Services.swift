public import FullChainApp
public import Logging

extension PayoutService {
    /// The payout worker on the server's storage and configuration.
    public convenience init(services: AppServices, provider: any PayoutProvider, logger: Logger, batchSize: Int = 64, leaseMillis: Int64 = 120_000) {
        self.init(
            storage: services.storage, configuration: services.configuration, provider: provider, logger: logger, batchSize: batchSize,
            leaseMillis: leaseMillis)
    }
}
