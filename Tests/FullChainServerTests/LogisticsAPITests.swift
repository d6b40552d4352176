import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Shipments to distributors and store receipts (the BC association).
@Suite("Logistics API")
struct LogisticsAPITests {
    @Test(arguments: APIBackend.all)
    func casesMoveFromTheBrandThroughADistributorToAStore(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let (manager, salesperson, distributor, storeUser) = (
                world.actors[0].token, world.actors[1].token, world.actors[2].token, world.actors[3].token
            )
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
            let st2 = try #require(
                try await app.storage.stores.list(ListQuery(search: "ST2"), filter: StoreFilter(), scope: .wholeTenant(world.tenantA.id)).items.first)
            try await app.test { client in
                let created = try await client.call(
                    .post, "/api/v1/code-batches", token: admin, json: #"{"productID":\#(product.id),"lot":"LOG1","quantity":60,"unitsPerCase":12}"#)
                let batchID = try #require(created.json["id"] as? Int)
                let batch = try #require(try await app.storage.codes.batch(id: Int64(batchID), tenantID: world.tenantA.id))
                let signer = try #require(try await app.services.codeKeys.entry(keyID: batch.keyID)).signer
                func caseCode(_ n: Int) -> String { signer.text(for: batch.caseCode(n)) }
                // Cases 0…3 are activated; case 4 is not.
                #expect(
                    try await client.call(
                        .post, "/api/v1/code-batches/\(batchID)/activations", token: admin,
                        json: #"{"action":"activate","firstCase":0,"lastCase":3}"#
                    ).status == .created)

                func ship(_ body: String, token: String? = nil) async throws -> TestResponse {
                    try await client.call(.post, "/api/v1/shipments", token: token ?? admin, json: body)
                }
                let shipped = try await ship(
                    #"{"distributorID":\#(world.distributorD1),"cases":["\#(caseCode(0))"],"ranges":[{"batchID":\#(batchID),"firstCase":1,"lastCase":3}]}"#
                )
                #expect(shipped.status == .created && shipped.json["cases"] as? Int == 4, "\(shipped.text)")
                // Refused, nothing shipped: again, unactivated, a unit code, a forged code, unknown distributor, out of range, other roles.
                for (body, status, code) in [
                    (#"{"distributorID":\#(world.distributorD1),"cases":["\#(caseCode(2))"]}"#, 409, "already_shipped"),
                    (#"{"distributorID":\#(world.distributorD1),"cases":["\#(caseCode(4))"]}"#, 422, "validation_failed"),
                    (#"{"distributorID":\#(world.distributorD1),"cases":["\#(signer.text(for: batch.unitCode(0)))"]}"#, 422, "validation_failed"),
                    (#"{"distributorID":\#(world.distributorD1),"cases":["00000000000000000000000000"]}"#, 422, "validation_failed"),
                    (#"{"distributorID":999999,"cases":["\#(caseCode(4))"]}"#, 422, "invalid_reference"),
                    (
                        #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(batchID),"firstCase":4,"lastCase":5}]}"#, 422,
                        "validation_failed"
                    ),
                    (#"{"distributorID":\#(world.distributorD1)}"#, 422, "validation_failed"),
                ] {
                    let response = try await ship(body)
                    #expect(Int(response.status.code) == status && response.errorCode == code, "\(body) → \(response.text)")
                }
                for token in [manager, salesperson, distributor, storeUser] {
                    #expect(
                        try await ship(#"{"distributorID":\#(world.distributorD1),"cases":["\#(caseCode(4))"]}"#, token: token).status == .forbidden)
                }

                // The store's own staff receive case 0 into their store: its units now belong to it.
                let received = try await client.call(.post, "/api/v1/receipts", token: storeUser, json: #"{"cases":["\#(caseCode(0))"]}"#)
                #expect(received.status == .created && received.json["flagged"] as? Int == 0, "\(received.text)")
                let unit = signer.text(for: batch.unitCode(5))
                let check = try await client.call(.post, "/api/v1/codes/check", token: admin, json: #"{"code":"\#(unit)"}"#)
                #expect(check.json["storeID"] as? Int == Int(world.storeST1))
                #expect(check.json["distributorID"] as? Int == Int(world.distributorD1))
                // Refused: twice, never shipped, a distributor's user, a store outside the caller's reach.
                #expect(
                    try await client.call(.post, "/api/v1/receipts", token: storeUser, json: #"{"cases":["\#(caseCode(0))"]}"#).errorCode
                        == "already_received")
                // A case never shipped is refused like a forged one: the answer tells nothing about the case.
                #expect(
                    try await client.call(.post, "/api/v1/receipts", token: storeUser, json: #"{"cases":["\#(caseCode(4))"]}"#).errorCode
                        == "validation_failed")
                #expect(
                    try await client.call(
                        .post, "/api/v1/receipts", token: distributor, json: #"{"storeID":\#(world.storeST1),"cases":["\#(caseCode(1))"]}"#
                    ).status == .forbidden)
                #expect(
                    try await client.call(
                        .post, "/api/v1/receipts", token: manager, json: #"{"storeID":\#(st2.store.id),"cases":["\#(caseCode(1))"]}"#
                    ).status == .notFound)
                #expect(
                    try await client.call(
                        .post, "/api/v1/receipts", token: storeUser, json: #"{"storeID":\#(st2.store.id),"cases":["\#(caseCode(1))"]}"#
                    ).status == .notFound)
                // A salesperson records a receipt at their store on a visit.
                #expect(
                    try await client.call(
                        .post, "/api/v1/receipts", token: salesperson, json: #"{"storeID":\#(world.storeST1),"cases":["\#(caseCode(1))"]}"#
                    ).status == .created)
                // A case shipped to D1 received by a store D2 supplies: recorded, and flagged.
                let diverted = try await client.call(
                    .post, "/api/v1/receipts", token: admin, json: #"{"storeID":\#(st2.store.id),"ranges":[{"batchID":\#(batchID),"firstCase":2}]}"#)
                #expect(diverted.status == .created && diverted.json["flagged"] as? Int == 1, "\(diverted.text)")
                // The store of another subtree is not shown to the manager who checks a unit of it.
                let hidden = try await client.call(
                    .post, "/api/v1/codes/check", token: manager, json: #"{"code":"\#(signer.text(for: batch.unitCode(30)))"}"#)
                #expect(hidden.status == .ok && hidden.json["storeID"] == nil)
                // Exactly cases 0, 1 and 2 were received, 2 flagged; refused requests left nothing behind.
                let receipts = try await app.storage.logistics.receipts(
                    of: (0..<5).map { CaseRef(batchID: batch.id, caseNumber: $0) }, tenantID: world.tenantA.id)
                #expect(receipts.keys.map(\.caseNumber).sorted() == [0, 1, 2])
                #expect(receipts.values.filter { $0.flag == .otherDistributor }.map(\.caseNumber) == [2])
                let shipments = try await app.storage.logistics.shipments(
                    of: (0..<5).map { CaseRef(batchID: batch.id, caseNumber: $0) }, tenantID: world.tenantA.id)
                #expect(shipments.keys.map(\.caseNumber).sorted() == [0, 1, 2, 3])
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func concurrentShipmentsOfOneCaseShipItOnce(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
            try await app.test { client in
                let created = try await client.call(
                    .post, "/api/v1/code-batches", token: admin, json: #"{"productID":\#(product.id),"lot":"RACE","quantity":24,"unitsPerCase":12}"#)
                let batchID = try #require(created.json["id"] as? Int)
                _ = try await client.call(.post, "/api/v1/code-batches/\(batchID)/activations", token: admin, json: #"{"action":"activate"}"#)
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<20 {
                        group.addTask {
                            Int(
                                try await client.call(
                                    .post, "/api/v1/shipments", token: admin,
                                    json: #"{"distributorID":\#(world.distributorD1),"ranges":[{"batchID":\#(batchID),"firstCase":0,"lastCase":1}]}"#
                                ).status.code)
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 201 }.count == 1)
                #expect(statuses.filter { $0 == 409 }.count == 19)
            }
        }
    }
}
