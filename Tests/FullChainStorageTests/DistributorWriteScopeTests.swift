import FullChainCore
import FullChainStorage
import Testing

/// Seeing a distributor because it supplies your stores is not managing it.
@Suite("Distributor write scope")
struct DistributorWriteScopeTests {
    @Test(arguments: Backend.all)
    func aManagerSeesButCannotChangeADistributorManagedElsewhere(backend: Backend) async throws {
        try await withBackend(backend) { storage in
            let world = try await makeWorld(storage)
            let north = world.scope(world.org.north)
            let south = world.scope(world.org.south)
            // D-X is managed in the south and supplies a northern store: the north sees it…
            #expect(try await storage.distributors.get(id: world.distX.id, scope: north) != nil)
            // …but may not rename it, nor pull it into the north.
            let draft = DistributorDraft(code: "D-X", name: "被改名", orgNodeID: world.org.beijing.id, territory: world.distX.territory)
            await #expect(throws: StorageError.notFound) {
                _ = try await storage.distributors.update(id: world.distX.id, draft, scope: north)
            }
            #expect(try await storage.distributors.get(id: world.distX.id, scope: south)?.name == "跨区物流")
            // The managing subtree may.
            let renamed = DistributorDraft(code: "D-X", name: "跨区物流（华南）", orgNodeID: world.org.shenzhen.id, territory: world.distX.territory)
            #expect(try await storage.distributors.update(id: world.distX.id, renamed, scope: south).name == "跨区物流（华南）")
        }
    }
}
