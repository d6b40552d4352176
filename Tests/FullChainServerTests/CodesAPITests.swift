import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZIPFoundation

/// Code batches, their print files and checking codes, over the API.
@Suite("Codes API")
struct CodesAPITests {
    @Test(arguments: APIBackend.all)
    func hqCreatesABatchExportsItAndItsCodesCheckOut(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
            try await app.test { client in
                let created = try await client.call(
                    .post, "/api/v1/code-batches", token: admin,
                    json: #"{"productID":\#(product.id),"lot":"L2611A","quantity":100}"#)
                #expect(created.status == .created, "\(created.text)")
                #expect(created.json["unitsPerCase"] as? Int == 24)
                #expect(created.json["caseCount"] as? Int == 5)
                let batchID = try #require(created.json["id"] as? Int)

                // Bad batches: clear 4xx, nothing stored.
                for (body, status, code) in [
                    (#"{"productID":\#(product.id),"lot":"批次","quantity":100}"#, 422, "validation_failed"),
                    (#"{"productID":\#(product.id),"lot":"L1","quantity":100000001}"#, 422, "validation_failed"),
                    (#"{"productID":\#(product.id),"lot":"L1","quantity":0}"#, 422, "validation_failed"),
                    (#"{"productID":999999,"lot":"L1","quantity":10,"unitsPerCase":6}"#, 422, "invalid_reference"),
                    (#"{"productID":\#(product.id),"lot":"L2611A","quantity":10}"#, 409, "duplicate"),
                    (#"{"productID":"x"}"#, 400, "invalid_json"),
                ] {
                    let response = try await client.call(.post, "/api/v1/code-batches", token: admin, json: body)
                    #expect(Int(response.status.code) == status && response.errorCode == code, "\(body) → \(response.status.code) \(response.text)")
                }
                #expect(try await client.call(.get, "/api/v1/code-batches", token: admin).json["total"] as? Int == 1)
                for actor in world.actors {
                    #expect(
                        try await client.call(
                            .post, "/api/v1/code-batches", token: actor.token,
                            json: #"{"productID":\#(product.id),"lot":"L9","quantity":10}"#
                        ).status == .forbidden)
                }

                // The print files: a zip of CSV files and a manifest that vouches for them.
                let export = try await client.call(.get, "/api/v1/code-batches/\(batchID)/export?format=csv&filesOf=40", token: admin)
                #expect(export.status == .ok, "\(export.text.prefix(200))")
                #expect(export.headers[.contentType] == "application/zip")
                let archive = try Archive(data: Data(export.body.readableBytesView), accessMode: .read)
                func contents(_ name: String) throws -> Data {
                    var data = Data()
                    guard let entry = archive[name] else { throw CocoaError(.fileNoSuchFile) }
                    _ = try archive.extract(entry) { data.append($0) }
                    return data
                }
                let manifest = try #require(try JSONSerialization.jsonObject(with: try contents("manifest.json")) as? [String: Any])
                let files = try #require(manifest["files"] as? [[String: Any]])
                #expect(files.compactMap { $0["codes"] as? Int } == [40, 40, 20])
                var codes: [String] = []
                for file in files {
                    let text = String(decoding: try contents(try #require(file["name"] as? String)), as: UTF8.self)
                    codes += text.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[2]) }
                    #expect(text.contains("https://fc.example.cn/c/"))
                }
                #expect(codes.count == 100 && Set(codes).count == 100)

                // Printed codes are inactive until the line activates their cases; a voided range stays void.
                func status(_ code: String) async throws -> String? {
                    try await client.call(.post, "/api/v1/codes/check", token: admin, json: #"{"code":"\#(code)"}"#).json["status"] as? String
                }
                #expect(try await status(codes[30]) == "inactive")
                let activated = try await client.call(
                    .post, "/api/v1/code-batches/\(batchID)/activations", token: admin, json: #"{"action":"activate"}"#)
                #expect(activated.status == .created && activated.json["lastCase"] as? Int == 4, "\(activated.text)")
                #expect(
                    try await client.call(
                        .post, "/api/v1/code-batches/\(batchID)/activations", token: admin,
                        json: #"{"action":"void","firstCase":3,"lastCase":3}"#
                    ).status == .created)
                #expect(try await status(codes[30]) == "active")
                #expect(try await status(codes[80]) == "voided")
                for body in [#"{"action":"print"}"#, #"{"action":"void","firstCase":5}"#, #"{"action":"void","firstCase":2,"lastCase":1}"#] {
                    let response = try await client.call(.post, "/api/v1/code-batches/\(batchID)/activations", token: admin, json: body)
                    #expect(response.status == .unprocessableContent, "\(body) → \(response.text)")
                }
                #expect(
                    try await client.call(.get, "/api/v1/code-batches/\(batchID)/activations", token: admin).text.components(separatedBy: "\"id\"")
                        .count == 3)

                // Every printed code checks out and names its unit and case.
                let check = try await client.call(.post, "/api/v1/codes/check", token: admin, json: #"{"code":"\#(codes[30])"}"#)
                #expect(check.status == .ok, "\(check.text)")
                #expect(check.json["serial"] as? Int == 30)
                #expect(check.json["caseNumber"] as? Int == 1)
                #expect(check.json["batchID"] as? Int == batchID)
                // A code of this brand is not one of another brand's, and a typo is no code.
                var typo = Array(codes[30])
                typo[20] = typo[20] == "A" ? "B" : "A"
                for bad in [String(typo), String(codes[30].dropLast()), "hello", ""] {
                    let response = try await client.call(.post, "/api/v1/codes/check", token: admin, json: #"{"code":"\#(bad)"}"#)
                    #expect(response.status == .unprocessableContent && response.errorCode == "invalid_code", "\(bad) → \(response.text)")
                }

                // A new key signs new batches; the old batch's codes stay valid.
                let rotated = try await client.call(.post, "/api/v1/code-keys/rotate", token: admin)
                #expect(rotated.status == .created)
                let second = try await client.call(
                    .post, "/api/v1/code-batches", token: admin, json: #"{"productID":\#(product.id),"lot":"L2611B","quantity":10}"#)
                #expect(second.json["keyID"] as? Int == rotated.json["keyID"] as? Int)
                #expect(second.json["keyID"] as? Int != created.json["keyID"] as? Int)
                #expect(try await client.call(.post, "/api/v1/codes/check", token: admin, json: #"{"code":"\#(codes[99])"}"#).status == .ok)
                let gs1 = try await client.call(.get, "/api/v1/code-batches/\(batchID)/export?link=gs1&format=txt", token: admin)
                #expect(gs1.status == .ok)
                #expect(try await client.call(.get, "/api/v1/code-batches/\(batchID)/export?format=pdf", token: admin).status == .badRequest)
            }
            // Keys are stored sealed, never in clear.
            let stored = try await app.storage.codes.allKeys().filter { $0.tenantID == world.tenantA.id }
            #expect(stored.count == 2)
            #expect(stored.allSatisfy { !$0.sealedKey.isEmpty })
        }
    }

    @Test
    func forgedCodesAreRefusedWithoutAStorageRead() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let counting = CountingDatabase(inner: app.storage.database)
            let ring = CodeKeyRing(
                storage: AppStorage(database: counting), masterKey: app.services.configuration.masterKey, refreshInterval: .seconds(3600))
            try await ring.reload()
            let reads = counting.count
            #expect(reads > 0)
            var random = SeededRandom(seed: 5)
            for _ in 0..<10_000 {
                let text = String(
                    decoding: (0..<26).map { position in CrockfordBase32.alphabet[Int(random.next() % (position == 0 ? 8 : 32))] }, as: UTF8.self)
                #expect(try await ring.verify(text, tenantID: world.tenantA.id) == nil)
            }
            #expect(counting.count == reads)
            // A server with another master key opens none of the keys: it says so rather than call codes forged.
            let key = try #require(try await app.storage.codes.allKeys().first { $0.tenantID == world.tenantB.id })
            let stranger = CodeKeyRing(storage: app.storage, masterKey: .generate())
            try await stranger.reload()
            await #expect(
                throws: AppError(.unavailable, code: "no_code_key", message: "this code's key cannot be opened with the server's master key")
            ) {
                try await stranger.entry(keyID: key.keyID)
            }
        }
    }
}

/// Counts every statement sent to a database.
final class CountingDatabase: SQLDatabase, @unchecked Sendable {
    let inner: any SQLDatabase
    private let lock = NSLock()
    private var statements = 0

    init(inner: any SQLDatabase) { self.inner = inner }

    var count: Int { lock.withLock { statements } }
    var dialect: SQLDialect { inner.dialect }

    func read(_ statement: SQLStatement) async throws(StorageError) -> [SQLRow] {
        lock.withLock { statements += 1 }
        return try await inner.read(statement)
    }

    func transaction(_ steps: [SQLStep]) async throws(StorageError) -> [[SQLRow]] {
        lock.withLock { statements += steps.count }
        return try await inner.transaction(steps)
    }

    func transaction(phases next: @escaping @Sendable ([[SQLRow]]) throws(StorageError) -> [SQLStep]) async throws(StorageError) -> [[SQLRow]] {
        lock.withLock { statements += 1 }
        return try await inner.transaction(phases: next)
    }
}
