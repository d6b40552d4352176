public import FullChainCore
public import FullChainStorage

/// Cases received or moved outside the territory of the distributor they were shipped to (窜货).
public enum DiversionAlerts {
    /// A store outside the territory of the distributor its cases were shipped to: one diversion
    /// alert per store and distributor, counting the cases (managers over the distributor see it).
    public static func raise(
        _ cases: [(CaseRef, distributorID: Int64)], verb: String, store: Store, storage: AppStorage, regions: RegionCatalog,
        tenantID: Int64, at: Int64
    ) async throws {
        var byDistributor: [Int64: [CaseRef]] = [:]
        for (ref, distributorID) in cases { byDistributor[distributorID, default: []].append(ref) }
        var raises: [AlertRaise] = []
        for (distributorID, refs) in byDistributor.sorted(by: { $0.key < $1.key }) {
            guard let distributor = try await storage.channel.distributor(id: distributorID, tenantID: tenantID),
                distributor.territory.excludes(store.regionCode), let first = refs.first
            else { continue }
            raises.append(
                AlertRaise(
                    reason: .storeReceipt, subject: "store:\(store.id):from:\(distributorID)", batchID: first.batchID, caseNumber: first.caseNumber,
                    distributorID: distributorID, storeID: store.id, orgPath: distributor.orgPath, regionCode: store.regionCode,
                    location: store.location,
                    events: refs.count, at: at,
                    detail:
                        "\(store.name) (\(regions.fullName(of: store.regionCode))) \(verb) \(refs.count) case(s) shipped to \(distributor.name), outside its territory"
                ))
        }
        try await storage.alerts.raise(raises, tenantID: tenantID)
    }
}
