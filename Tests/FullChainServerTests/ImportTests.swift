import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import FullChainTabular
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Spreadsheet import and export over HTTP: encodings, formats, per-row reports, all-or-nothing.
@Suite("Import and export")
struct ImportTests {
    static func storesCSV(count: Int, badRow: Int? = nil, startAt: Int = 1) -> String {
        var lines = ["门店编码,门店名称,门店类型,地址,区域,纬度,经度,经销商编码,业代编码,状态"]
        for n in startAt..<(startAt + count) {
            let region = n == badRow ? "火星市" : (n % 2 == 0 ? "北京市朝阳区" : "110105")
            lines.append("IMP\(n),\"导入门店 \(n)号, 朝阳\",便利店,朝阳路\(n)号,\(region),39.9\(n % 10),116.4\(n % 10),D1,R1-A1-C1-S1,启用")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    @Test(arguments: APIBackend.all)
    func aBadRowAmongTenThousandRejectsTheFileUnlessAskedToKeepGoodRows(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let csv = Array(Self.storesCSV(count: 10_000, badRow: 7_777).utf8)
            try await app.test { client in
                let rejected = try await client.call(.post, "/api/v1/imports/stores?fileName=stores.csv", token: world.adminToken, body: csv)
                #expect(rejected.status == .unprocessableContent)
                #expect(rejected.errorCode == "import_rejected")
                let details = try #require((rejected.json["error"] as? [String: Any])?["details"] as? [String: Any])
                #expect(details["errorCount"] as? Int == 1)
                let errors = try #require(details["errors"] as? [[String: Any]])
                #expect(errors.first?["row"] as? Int == 7_778)
                #expect(errors.first?["column"] as? String == "区域")
                #expect(errors.first?["code"] as? String == "unknown_region")
                #expect(try await client.call(.get, "/api/v1/stores", token: world.adminToken).json["total"] as? Int == 2)

                let kept = try await client.call(.post, "/api/v1/imports/stores?keepGood=true", token: world.adminToken, body: csv)
                #expect(kept.status == .ok, "\(kept.text.prefix(300))")
                #expect(kept.json["importedRows"] as? Int == 9_999)
                #expect(try await client.call(.get, "/api/v1/stores", token: world.adminToken).json["total"] as? Int == 10_001)

                // Importing the same codes again: every row is a duplicate, nothing changes.
                let again = try await client.call(
                    .post, "/api/v1/imports/stores", token: world.adminToken, body: Array(Self.storesCSV(count: 3).utf8))
                #expect(again.status == .unprocessableContent)
                #expect(again.text.contains("duplicate_code"))
                let history = try await client.call(.get, "/api/v1/import-runs", token: world.adminToken)
                #expect(history.json["total"] as? Int == 4)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func gb18030AndBOMAndXLSXFilesImport(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let gbk = try #require(CSV.encodeGB18030(Self.storesCSV(count: 3, startAt: 100)))
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(Self.storesCSV(count: 3, startAt: 200).utf8)
            let table = try CSV.decode(Array(Self.storesCSV(count: 3, startAt: 300).utf8)).table
            let xlsx = try XLSX.write(table)
            try await app.test { client in
                let gb = try await client.call(.post, "/api/v1/imports/stores", token: world.adminToken, body: gbk)
                #expect(gb.status == .ok, "\(gb.text)")
                #expect(gb.json["encoding"] as? String == "gb18030")
                let withBOM = try await client.call(.post, "/api/v1/imports/stores", token: world.adminToken, body: bom)
                #expect(withBOM.json["encoding"] as? String == "utf8BOM")
                let sheet = try await client.call(.post, "/api/v1/imports/stores?format=xlsx", token: world.adminToken, body: xlsx)
                #expect(sheet.status == .ok, "\(sheet.text)")
                let search = try await client.call(.get, "/api/v1/stores?q=%E5%AF%BC%E5%85%A5%E9%97%A8%E5%BA%97%20101", token: world.adminToken)
                #expect(search.json["total"] as? Int == 1)
                #expect(search.text.contains("导入门店 101号, 朝阳"))

                let truncated = try await client.call(
                    .post, "/api/v1/imports/stores?format=xlsx", token: world.adminToken, body: Array(xlsx.prefix(xlsx.count / 2)))
                #expect(truncated.status == .unprocessableContent)
                #expect(truncated.errorCode == "invalid_xlsx")
                let garbage = try await client.call(
                    .post, "/api/v1/imports/stores", token: world.adminToken, body: [0xFF, 0xFE, 0x00, 0x81, 0x30, 0xC0, 0xFF])
                #expect(garbage.status == .unprocessableContent)
                let missing = try await client.call(.post, "/api/v1/imports/stores", token: world.adminToken, body: Array("name,code\nx,y\n".utf8))
                #expect(missing.errorCode == "missing_columns")
                let empty = try await client.call(.post, "/api/v1/imports/stores", token: world.adminToken, body: [])
                #expect(empty.status == .badRequest)
                #expect(try await client.call(.get, "/api/v1/stores", token: world.adminToken).json["total"] as? Int == 11)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func exportsRoundTripAndTemplatesDownload(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                for kind in ImportKind.allCases {
                    let csv = try await client.call(.get, "/api/v1/templates/\(kind.rawValue)?format=csv", token: world.adminToken)
                    #expect(csv.status == .ok)
                    #expect(Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
                    let xlsx = try await client.call(.get, "/api/v1/templates/\(kind.rawValue)?format=xlsx", token: world.adminToken)
                    #expect(try XLSX.read(Array(xlsx.body.readableBytesView)).rows.count == 1)
                }
                // A manager's export holds their stores only, and re-imports cleanly into another brand's shape.
                let export = try await client.call(.get, "/api/v1/exports/stores?format=xlsx", token: world.actors[0].token)
                let table = try XLSX.read(Array(export.body.readableBytesView))
                #expect(table.rows.count == 1)
                #expect(table.rows.first?.first == "ST1")
                let products = try await client.call(.get, "/api/v1/exports/products?format=csv", token: world.adminToken)
                let decoded = try CSV.decode(Array(products.body.readableBytesView)).table
                #expect(decoded.rows.first?[4] == "3.50")
                // Products exported by brand A import into brand A as duplicates: refused row by row.
                let reimport = try await client.call(
                    .post, "/api/v1/imports/products", token: world.adminToken, body: Array(products.body.readableBytesView))
                #expect(reimport.status == .conflict || reimport.status == .unprocessableContent)
                // A salesperson may not import products.
                let forbidden = try await client.call(
                    .post, "/api/v1/imports/products", token: world.actors[1].token, body: Array(products.body.readableBytesView))
                #expect(forbidden.status == .forbidden)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func aUserFileThatClashesImportsNobody(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let csv = """
                用户名,姓名,角色,组织编码,经销商编码,门店编码,初始密码,启用
                new-sp,新业代,业代,R1-A1-C1-S1,,,long-enough-1,是
                sp-s1,重名业代,业代,R1-A1-C1-S1,,,long-enough-2,是
                """
            try await app.test { client in
                let before = try await client.call(.get, "/api/v1/users", token: world.adminToken).json["total"] as? Int
                let response = try await client.call(.post, "/api/v1/imports/users", token: world.adminToken, body: Array(csv.utf8))
                #expect(response.status == .conflict, "\(response.text)")
                #expect(try await client.call(.get, "/api/v1/users", token: world.adminToken).json["total"] as? Int == before)
                let good = csv.replacingOccurrences(of: "sp-s1,重名业代", with: "new-sp-2,第二业代")
                let imported = try await client.call(.post, "/api/v1/imports/users", token: world.adminToken, body: Array(good.utf8))
                #expect(imported.json["importedRows"] as? Int == 2, "\(imported.text)")
                let login = try await client.call(
                    .post, "/api/v1/auth/login", token: nil,
                    json: #"{"tenant":"\#(world.tenantA.code)","username":"new-sp-2","password":"long-enough-2"}"#)
                #expect(login.status == .ok)
                // A manager cannot import users into another subtree: the whole file is refused.
                let outside = "用户名,姓名,角色,组织编码\nx-sp,外人,业代,R2-A1-C1-S1\n"
                let refused = try await client.call(.post, "/api/v1/imports/users", token: world.actors[0].token, body: Array(outside.utf8))
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains("unknown_org_node"))
            }
        }
    }

    @Test func theCommandLineImportRefusesWithItsOwnErrors() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let importer = Importer(core: app.services.core)
            let csv = Array("code,name\n".utf8)
            // No HTTP in sight: the refusals are import errors the command line prints.
            await #expect(throws: AppError(.notFound, code: "unknown_tenant", message: "no brand nope")) {
                _ = try await importer.importAsAdmin(kind: .stores, tenantCode: "nope", bytes: csv, fileName: "s.csv", keepGood: false)
            }
            do {
                _ = try await importer.importAsAdmin(kind: .stores, tenantCode: world.tenantA.code, bytes: csv, fileName: "s.csv", keepGood: false)
                Issue.record("a file without the required columns was imported")
            } catch let error as AppError {
                #expect(error.kind == .unreadable && error.code == "missing_columns", "\(error)")
            }
        }
    }
}
