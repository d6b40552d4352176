import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QRTestSupport
import Testing
import ZIPFoundation

/// QR images of a batch's codes over the API, read back with a real decoder.
@Suite("QR codes API")
struct QRCodesAPITests {
    /// The URLs of a batch's print file (txt), one per unit in serial order.
    static func printedURLs(_ client: some TestClientProtocol, batchID: Int, link: String, token: String) async throws -> [String] {
        let export = try await client.call(.get, "/api/v1/code-batches/\(batchID)/export?format=txt&link=\(link)", token: token)
        #expect(export.status == .ok)
        let archive = try Archive(data: Data(export.body.readableBytesView), accessMode: .read)
        guard let entry = archive["batch-\(batchID)-001.txt"] else { throw CocoaError(.fileNoSuchFile) }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test(arguments: APIBackend.all)
    func symbolsHoldThePrintedURLs(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
            try await app.test { client in
                let created = try await client.call(
                    .post, "/api/v1/code-batches", token: admin, json: #"{"productID":\#(product.id),"lot":"L2611Q","quantity":100}"#)
                let batchID = try #require(created.json["id"] as? Int)
                let urls = try await Self.printedURLs(client, batchID: batchID, link: "short", token: admin)
                #expect(urls.count == 100 && urls[30].hasPrefix("https://fc.example.cn/c/"))
                let base = "/api/v1/code-batches/\(batchID)"

                // One unit: PNG and SVG both hold exactly the URL its print file line has.
                let png = try await client.call(.get, "\(base)/qr?serial=30&format=png&scale=4", token: admin)
                #expect(png.status == .ok && png.headers[.contentType] == "image/png", "\(png.text.prefix(200))")
                #expect(png.headers[.cacheControl] == "private, no-store")
                let pngBytes = Array(png.body.readableBytesView)
                #expect(try PNGFile(pngBytes).width == (33 + 8) * 4)
                #expect(try QRDecoder.decode(png: pngBytes) == [urls[30]])
                let svg = try await client.call(.get, "\(base)/qr?serial=30", token: admin)
                #expect(svg.status == .ok && svg.headers[.contentType] == "image/svg+xml")
                #expect(svg.headers[.contentDisposition] == "inline; filename=\"batch-\(batchID)-unit-30.svg\"")
                #expect(try QRDecoder.decode(svg: svg.text) == [urls[30]])
                let high = try await client.call(.get, "\(base)/qr?serial=99&ecc=high&format=png", token: admin)
                #expect(try QRDecoder.decode(png: Array(high.body.readableBytesView)) == [urls[99]])

                // The GS1 Digital Link form, as its print file writes it.
                let gs1URLs = try await Self.printedURLs(client, batchID: batchID, link: "gs1", token: admin)
                let gs1 = try await client.call(.get, "\(base)/qr?serial=7&link=gs1&format=png", token: admin)
                #expect(try QRDecoder.decode(png: Array(gs1.body.readableBytesView)) == [gs1URLs[7]])

                // A case's symbol holds its B code, which checks out as that case.
                let caseImage = try await client.call(.get, "\(base)/qr?kind=case&serial=4&format=png", token: admin)
                let caseCode = try #require(try QRDecoder.decode(png: Array(caseImage.body.readableBytesView)).first)
                let check = try await client.call(.post, "/api/v1/codes/check", token: admin, json: #"{"code":"\#(caseCode)"}"#)
                #expect(check.json["kind"] as? String == "case" && check.json["serial"] as? Int == 4, "\(check.text)")

                // Sheets: every code of the page, in both formats; the last page stops at the batch's end.
                let sheet = try await client.call(.get, "\(base)/qr-sheet?from=0&count=12&columns=4", token: admin)
                #expect(sheet.status == .ok && sheet.headers[.contentType] == "image/svg+xml")
                #expect(Set(try QRDecoder.decode(svg: sheet.text)) == Set(urls[0..<12]))
                let last = try await client.call(.get, "\(base)/qr-sheet?from=90&count=20&format=png&scale=3", token: admin)
                #expect(last.status == .ok && last.headers[.contentDisposition] == "inline; filename=\"batch-\(batchID)-unit-90-99.png\"")
                let lastCodes = try QRDecoder.decode(png: Array(last.body.readableBytesView))
                #expect(lastCodes.count == 10 && Set(lastCodes) == Set(urls[90..<100]))
                let cases = try await client.call(.get, "\(base)/qr-sheet?kind=case&count=100&format=png", token: admin)
                #expect(try QRDecoder.decode(png: Array(cases.body.readableBytesView)).count == 5)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func hostileQueriesGetClearErrors(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let admin = world.adminToken
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
            try await app.test { client in
                let created = try await client.call(
                    .post, "/api/v1/code-batches", token: admin, json: #"{"productID":\#(product.id),"lot":"L2611R","quantity":50}"#)
                let base = "/api/v1/code-batches/\(try #require(created.json["id"] as? Int))"
                for (query, status, code) in [
                    ("qr?serial=50", 422, "serial_out_of_range"),
                    ("qr?serial=-1", 422, "serial_out_of_range"),
                    ("qr?serial=3&kind=case", 422, "serial_out_of_range"),
                    ("qr?serial=99999999999999999999", 400, "invalid_query"),
                    ("qr?serial=abc", 400, "invalid_query"),
                    ("qr?serial=1e3", 400, "invalid_query"),
                    ("qr", 400, "invalid_query"),
                    ("qr?serial=1&format=gif", 400, "invalid_query"),
                    ("qr?serial=1&kind=pallet", 400, "invalid_query"),
                    ("qr?serial=1&kind=case&link=gs1", 400, "invalid_query"),
                    ("qr?serial=1&link=long", 400, "invalid_query"),
                    ("qr?serial=1&ecc=max", 400, "invalid_query"),
                    ("qr?serial=1&scale=0", 400, "invalid_query"),
                    ("qr?serial=1&scale=41", 400, "invalid_query"),
                    ("qr-sheet?count=101", 400, "invalid_query"),
                    ("qr-sheet?count=1000000000", 400, "invalid_query"),
                    ("qr-sheet?count=0", 400, "invalid_query"),
                    ("qr-sheet?columns=21", 400, "invalid_query"),
                    ("qr-sheet?scale=11", 400, "invalid_query"),
                    ("qr-sheet?from=x", 400, "invalid_query"),
                    ("qr-sheet?from=50", 422, "serial_out_of_range"),
                    ("qr-sheet?from=-5", 422, "serial_out_of_range"),
                    ("qr-sheet?from=3&kind=case", 422, "serial_out_of_range"),
                ] {
                    let response = try await client.call(.get, "\(base)/\(query)", token: admin)
                    #expect(Int(response.status.code) == status && response.errorCode == code, "\(query) → \(response.status.code) \(response.text)")
                }
                #expect(try await client.call(.get, "/api/v1/code-batches/999999/qr?serial=1", token: admin).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/code-batches/x/qr-sheet", token: admin).status == .notFound)
                // Only HQ prints codes; another brand's batch is not there.
                for actor in world.actors {
                    #expect(try await client.call(.get, "\(base)/qr?serial=1", token: actor.token).status == .forbidden)
                    #expect(try await client.call(.get, "\(base)/qr-sheet", token: actor.token).status == .forbidden)
                }
                let foreign = try #require(world.foreignB["code-batches"])
                #expect(try await client.call(.get, "/api/v1/code-batches/\(foreign)/qr?serial=1", token: admin).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/code-batches/\(foreign)/qr-sheet", token: admin).status == .notFound)
            }
        }
    }
}
