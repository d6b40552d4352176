public import FullChainStorage
public import Logging

extension MasterKey {
    /// Refuses a key that is not the deployment's: the first node to start stores the key's
    /// check value, every later start compares with it. A mismatch writes nothing.
    public static func verify(_ key: MasterKey?, storage: AppStorage) async throws {
        guard let key else { return }
        let proposed = key.checkValue
        let stored = try await storage.deployment.masterKeyCheck(proposing: proposed)
        guard stored == proposed else { throw MasterKeyError.mismatch }
    }
}

/// Opens the configured database for a server node: its `prepare` migrates and then refuses
/// to go on when the node's master key is not the deployment's.
public func openStorage(_ configuration: AppConfiguration, logger: Logger) throws -> OpenedStorage {
    var opened = try openStorage(configuration.database, logger: logger)
    let migrate = opened.prepare
    let storage = opened.storage
    let key = configuration.masterKey
    opened.prepare = {
        try await migrate()
        try await MasterKey.verify(key, storage: storage)
    }
    return opened
}
