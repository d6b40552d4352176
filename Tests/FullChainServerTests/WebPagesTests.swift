import Foundation
import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import FullChainServer

/// A small brand behind the real router: two 大区 subtrees, a distributor and stores in each,
/// products, and people who sign in with `secret-123`.
private struct WebSite {
    let services: AppServices
    let opened: OpenedStorage
    var storesInR1: [Int64] = []
    var storeInR2: Int64 = 0
    var scriptStore: Int64 = 0
    var distributorR1: Int64 = 0
    var distributorR2: Int64 = 0
    var salespersonNodeR1: Int64 = 0

    static let password = "secret-123"
    static let scriptName = "<script>alert(1)</script>超市"

    /// Builds the app on a fresh SQLite file, seeds it, and runs `body` with a router client.
    static func run(_ body: @Sendable (WebSite, any TestClientProtocol) async throws -> Void) async throws {
        var logger = Logger(label: "fullchain-web-tests")
        logger.logLevel = .error
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fullchain-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = AppConfiguration.Database.sqlite(path: directory.appendingPathComponent("web.sqlite").path)
        let opened = try openStorage(database, logger: logger)
        let services = AppServices(storage: opened.storage, configuration: AppConfiguration(database: database, bcryptCost: 4))
        var site = WebSite(services: services, opened: opened)
        try await site.seed()
        let app = buildApplication(services: services, opened: opened, logger: logger)
        let seeded = site
        try await app.test(.router) { client in try await body(seeded, client) }
    }

    private mutating func seed() async throws {
        let storage = services.storage
        let hash = services.passwords.hash(Self.password)
        let tenant = try await storage.tenants.create(code: "demo", name: "演示品牌", timeZone: "Asia/Shanghai")
        let hq = AccessScope.wholeTenant(tenant.id)

        let r1 = try await storage.org.create(parentID: nil, code: "R01", name: "华北大区", scope: hq)
        let a1 = try await storage.org.create(parentID: r1.id, code: "R01-A01", name: "京津地区", scope: hq)
        let c1 = try await storage.org.create(parentID: a1.id, code: "R01-A01-C01", name: "北京城市组", scope: hq)
        let s1 = try await storage.org.create(parentID: c1.id, code: "R01-A01-C01-S1", name: "朝阳业代一组", scope: hq)
        let r2 = try await storage.org.create(parentID: nil, code: "R02", name: "华东大区", scope: hq)
        let a2 = try await storage.org.create(parentID: r2.id, code: "R02-A01", name: "沪苏地区", scope: hq)
        let c2 = try await storage.org.create(parentID: a2.id, code: "R02-A01-C01", name: "上海城市组", scope: hq)
        let s2 = try await storage.org.create(parentID: c2.id, code: "R02-A01-C01-S1", name: "浦东业代一组", scope: hq)
        salespersonNodeR1 = s1.id

        let d1 = try await storage.distributors.create(
            DistributorDraft(
                code: "D001", name: "北京京华商贸有限公司", contactName: "王建国", phone: "13800138000", address: "北京市朝阳区建国路88号",
                orgNodeID: c1.id, territory: ["110101000000", "110105000000"]), scope: hq)
        let d2 = try await storage.distributors.create(
            DistributorDraft(
                code: "D002", name: "上海浦江贸易有限公司", contactName: "李海", phone: "13900139000", orgNodeID: c2.id,
                territory: ["310115000000"]), scope: hq)
        distributorR1 = d1.id
        distributorR2 = d2.id

        let chaoyang = "110105000000"
        let first = try await storage.stores.create(
            StoreDraft(
                code: "S001", name: "朝阳门便利店", type: .convenience, address: "朝阳门外大街18号", regionCode: chaoyang,
                location: GeoPoint(latitude: 39.9319, longitude: 116.4532), distributorID: d1.id, salespersonNodeID: s1.id), scope: hq)
        let script = try await storage.stores.create(
            StoreDraft(code: "S002", name: Self.scriptName, type: .supermarket, regionCode: chaoyang, distributorID: d1.id, salespersonNodeID: s1.id),
            scope: hq)
        let outside = try await storage.stores.create(
            StoreDraft(
                code: "S003", name: "浦东食杂店", type: .grocery, regionCode: "310115000000",
                location: GeoPoint(latitude: 31.23, longitude: 121.55), distributorID: d2.id, salespersonNodeID: s2.id), scope: hq)
        storesInR1 = [first.id, script.id]
        scriptStore = script.id
        storeInR2 = outside.id

        for (sku, gtin, name, price) in [("TEA-500", "6901234567892", "清爽绿茶 500ml", Int64(350)), ("JUICE-1L", "6901234567885", "橙汁 1L", Int64(1290))]
        {
            let code = try #require(GTIN(gtin))
            _ = try await storage.products.create(
                ProductDraft(sku: sku, gtin: code, name: name, category: "饮料", priceFen: price, unitsPerCase: 12), tenantID: tenant.id)
        }

        let people: [UserDraft] = [
            UserDraft(username: "admin", displayName: "总部管理员", role: .admin),
            UserDraft(username: "mgr-r01", displayName: "赵经理", role: .manager, orgNodeID: r1.id),
            UserDraft(username: "sp-r01", displayName: "钱业代", role: .salesperson, orgNodeID: s1.id),
            UserDraft(username: "mgr-r02", displayName: "孙经理", role: .manager, orgNodeID: r2.id),
            UserDraft(username: "dist-d001", displayName: "王建国", role: .distributor, distributorID: d1.id),
        ]
        for person in people { _ = try await storage.users.create(person, passwordHash: hash, scope: hq) }
    }
}

/// A form body, percent-encoded.
private func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let text = fields.map { name, value in
        "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
    }.joined(separator: "&")
    return ByteBuffer(string: text)
}

extension TestClientProtocol {
    /// Signs in through the form; the `fc_session` cookie, or nil when sign-in failed.
    fileprivate func webSignIn(_ username: String, password: String = WebSite.password, next: String = "/") async throws -> (TestResponse, String?) {
        let response = try await execute(
            uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .origin: "http://localhost"],
            body: formBody([("tenant", "demo"), ("username", username), ("password", password), ("next", next)]))
        return (response, response.cookieValue("fc_session"))
    }

    /// A GET with cookies.
    fileprivate func webGet(_ uri: String, cookies: [String: String] = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        return try await execute(uri: uri, method: .get, headers: headers)
    }
}

extension TestResponse {
    fileprivate var html: String { String(buffer: body) }

    /// The value a `Set-Cookie` header gives the cookie, if any.
    fileprivate func cookieValue(_ name: String) -> String? {
        setCookie(name).flatMap { header in
            header.split(separator: ";").first.map { String($0.dropFirst(name.count + 1)) }
        }
    }

    /// The whole `Set-Cookie` header for the cookie.
    fileprivate func setCookie(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }
}

@Suite("Web pages")
struct WebPagesTests {
    @Test("signed-out visitors are sent to the sign-in page, with where they were going")
    func redirectsToSignIn() async throws {
        try await WebSite.run { _, client in
            let home = try await client.webGet("/")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/login?next=/")

            let stores = try await client.webGet("/stores?type=grocery&q=a")
            #expect(stores.status == .seeOther)
            #expect(stores.headers[.location] == "/login?next=/stores%3Ftype%3Dgrocery%26q%3Da")

            let stale = try await client.webGet("/stores", cookies: ["fc_session": "fc_1_" + String(repeating: "x", count: 43)])
            #expect(stale.status == .seeOther)

            let login = try await client.webGet("/login?next=/stores")
            #expect(login.status == .ok)
            #expect(login.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(login.html.contains(#"value="demo""#))
            #expect(login.html.contains("品牌代码"))
            #expect(login.html.contains(#"name="next" value="/stores""#))
            let english = try await client.webGet("/login?lang=en")
            #expect(english.html.contains("Brand code"))
        }
    }

    @Test("sign-in sets an HttpOnly session cookie; a wrong password does not")
    func signIn() async throws {
        try await WebSite.run { _, client in
            let (wrong, wrongCookie) = try await client.webSignIn("admin", password: "not-the-password")
            #expect(wrong.status == .unauthorized)
            #expect(wrongCookie == nil)
            #expect(wrong.html.contains("品牌代码、用户名或密码不正确"))
            #expect(wrong.html.contains(#"value="admin""#))

            let (unknown, _) = try await client.webSignIn("nobody")
            #expect(unknown.status == .unauthorized)

            let (right, cookie) = try await client.webSignIn("admin", next: "/stores?type=grocery")
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/stores?type=grocery")
            let session = try #require(cookie)
            #expect(session.hasPrefix("fc_"))
            let header = try #require(right.setCookie("fc_session"))
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Lax"))
            #expect(header.contains("Path=/"))
            #expect(header.contains("Max-Age=43"))

            let (offsite, _) = try await client.webSignIn("admin", next: "//evil.example/")
            #expect(offsite.headers[.location] == "/")
            let (absolute, _) = try await client.webSignIn("admin", next: "https://evil.example/")
            #expect(absolute.headers[.location] == "/")
            let (backslash, _) = try await client.webSignIn("admin", next: "/\\evil.example")
            #expect(backslash.headers[.location] == "/")

            let again = try await client.webGet("/login", cookies: ["fc_session": session])
            #expect(again.status == .seeOther)
        }
    }

    /// The English side of the catalogue's sentences (several words), as pages write them: none may
    /// show on a Chinese page.
    static let englishSentences: [String] = L10n.Key.allCases.compactMap { key in
        let (zh, en) = key.text
        guard en != zh, en.split(separator: " ").count >= 3, en.contains(where: \.isLowercase) else { return nil }
        var escaped = HTMLWriter()
        escaped.appendEscaped(en)
        return escaped.html
    }

    @Test("every page renders for HQ in Chinese and in English")
    func pagesRender() async throws {
        try await WebSite.run { site, client in
            let (_, cookie) = try await client.webSignIn("admin")
            let session = try #require(cookie)
            #expect(Self.englishSentences.count > 200 && Self.englishSentences.contains("Not a code of this brand: forged, mistyped or cut short"))

            // A rejected import through the API, with the session cookie, gives a run to look at.
            let csv = "SKU编码,商品条码,产品名称,品类,零售价(元),箱规\nTEA-900,6901234567892,新品绿茶,茶饮料,3.50,24\nBAD-1,123,坏行,茶饮料,abc,0\n"
            let upload = try await client.execute(
                uri: "/api/v1/imports/products?fileName=products.csv", method: .post,
                headers: [.cookie: "fc_session=\(session)", .origin: "http://localhost"], body: ByteBuffer(string: csv))
            #expect(upload.status == .unprocessableContent)
            let envelope = try JSONSerialization.jsonObject(with: Data(upload.html.utf8)) as? [String: Any]
            let details = (envelope?["error"] as? [String: Any])?["details"] as? [String: Any]
            let runID = try #require(details?["runID"] as? Int)

            let pages: [(path: String, zh: [String], en: [String])] = [
                ("/", ["概览", "门店总数", "门店类型分布", "最近导入", "products.csv"], ["Overview", "Active stores", "Stores by type"]),
                ("/org", ["组织架构", "华北大区", "朝阳业代一组", "大区", "赵经理"], ["Organisation", "Region", "Salesperson"]),
                ("/users", ["用户", "总部管理员", "mgr-r01", "钱业代"], ["Users", "HQ admin", "All roles"]),
                ("/users?role=manager&q=%E8%B5%B5", ["赵经理"], ["Manager"]),
                ("/distributors", ["经销商", "北京京华商贸有限公司", "东城区"], ["Distributors", "Territory"]),
                ("/distributors/\(site.distributorR1)", ["北京京华商贸有限公司", "北京市 朝阳区", "供货门店", "朝阳门便利店", "北京城市组"], ["Stores supplied", "Territory"]),
                ("/stores", ["门店", "朝阳门便利店", "浦东食杂店", "全部省份", "便利店", "上海市 浦东新区", "第 1–3 条，共 3 条"], ["Stores", "Convenience", "1–3 of 3"]),
                (
                    "/stores/\(site.storesInR1[0])", ["朝阳门便利店", "北京市 朝阳区", "距区县中心", "北京京华商贸有限公司", "<svg"],
                    ["From the county centre", "Stores of this distributor"]
                ),
                ("/products", ["产品", "清爽绿茶 500ml", "¥3.50", "¥12.90", "6901234567892"], ["Products", "Retail price"]),
                (
                    "/imports", ["导入导出", "/api/v1/templates/stores?format=csv", "/api/v1/exports/users?format=xlsx", "upload-form", "products.csv"],
                    ["Import &amp; export", "Upload and import"]
                ),
                ("/campaigns", ["扫码营销", "新建活动", "风控审核 (0)", "共 0 条"], ["Campaigns", "New campaign", "Risk review"]),
                ("/campaigns/new", ["campaign-form", "奖项", "清爽绿茶 500ml", "每台设备每日中奖上限", "再来一瓶"], ["Prize tiers", "Create and fund"]),
                (
                    "/campaigns/review", ["风控审核", "没有待审核的红包", "待审核收货", "没有待审核的收货"],
                    ["Risk review", "No red packet waits for review", "Held receipts", "No receipt waits for review"]
                ),
                ("/settlements", ["费用结算", "门店结算", "经销商汇总", "/api/v1/settlements/stores?from="], ["Settlements", "Due now"]),
                ("/consumers", ["消费者", "全部标签", "消费者标签"], ["Consumers", "All tags", "Consumer tags"]),
                ("/consumer-tags", ["消费者标签", "新建标签", "手工（无规则）", "积分消费"], ["Consumer tags", "New tag", "Manual (no rule)"]),
                ("/mall-items", ["积分商城", "上架"], ["Points mall"]),
                ("/segments", ["人群", "新建人群", "满足以下全部条件", "成交门店所在地区", "segment-editor"], ["Segments", "New segment", "All of these"]),
                ("/imports/\(runID)", ["导入结果", "存在错误行，本次未导入任何数据", "行错误明细", "商品条码"], ["Import result", "Row errors", "GTIN"]),
                ("/codes", ["码管理", "还没有码批次：先新建一个", "新建码批次", "清爽绿茶 500ml"], ["Codes", "New code batch"]),
            ]
            for page in pages {
                let zh = try await client.webGet(page.path, cookies: ["fc_session": session])
                #expect(zh.status == .ok, "\(page.path)")
                #expect(zh.html.contains(#"<html lang="zh-CN">"#), "\(page.path)")
                for text in page.zh { #expect(zh.html.contains(text), "\(page.path) should show \(text)") }
                for sentence in Self.englishSentences where zh.html.contains(sentence) {
                    Issue.record("\(page.path) in Chinese shows the English \"\(sentence)\"")
                }
                BrowserProtectionTests.expectProtected(zh, page.path)
                let separator = page.path.contains("?") ? "&" : "?"
                let en = try await client.webGet(page.path + separator + "lang=en", cookies: ["fc_session": session])
                #expect(en.status == .ok, "\(page.path)")
                #expect(en.html.contains(#"<html lang="en">"#), "\(page.path)")
                for text in page.en { #expect(en.html.contains(text), "\(page.path)?lang=en should show \(text)") }
                BrowserProtectionTests.expectProtected(en, page.path + "?lang=en")
            }

            let css = try await client.webGet("/assets/app.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            #expect(css.html.contains("PingFang SC"))

            let filtered = try await client.webGet("/stores?type=grocery", cookies: ["fc_session": session])
            #expect(filtered.html.contains("浦东食杂店"))
            #expect(!filtered.html.contains("朝阳门便利店"))
            let byProvince = try await client.webGet("/stores?region=310000000000", cookies: ["fc_session": session])
            #expect(byProvince.html.contains("浦东食杂店"))
            #expect(!byProvince.html.contains("朝阳门便利店"))
            let search = try await client.webGet("/stores?q=%E6%9C%9D%E9%98%B3%E9%97%A8", cookies: ["fc_session": session])
            #expect(search.html.contains("朝阳门便利店"))
            #expect(!search.html.contains("浦东食杂店"))
            let byDistributor = try await client.webGet("/stores?distributorId=\(site.distributorR2)", cookies: ["fc_session": session])
            #expect(byDistributor.html.contains("浦东食杂店"))
            #expect(!byDistributor.html.contains("朝阳门便利店"))
            let nonsense = try await client.webGet("/stores?type=spaceship&region=zz&page=abc", cookies: ["fc_session": session])
            #expect(nonsense.status == .ok)
        }
    }

    @Test("user-provided text is escaped")
    func escapesUserText() async throws {
        try await WebSite.run { site, client in
            let (_, cookie) = try await client.webSignIn("admin")
            let session = try #require(cookie)
            for path in ["/stores", "/stores/\(site.scriptStore)", "/distributors/\(site.distributorR1)"] {
                let page = try await client.webGet(path, cookies: ["fc_session": session])
                #expect(page.status == .ok)
                #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;超市"), "\(path)")
                #expect(!page.html.contains(WebSite.scriptName), "\(path)")
            }
            let search = try await client.webGet("/stores?q=%22%3E%3Cb%3Ex", cookies: ["fc_session": session])
            #expect(search.html.contains(#"value="&quot;&gt;&lt;b&gt;x""#))
            #expect(!search.html.contains("<b>x"))
        }
    }

    @Test("a manager sees only their subtree")
    func managerScope() async throws {
        try await WebSite.run { site, client in
            let (_, cookie) = try await client.webSignIn("mgr-r01")
            let session = try #require(cookie)
            let stores = try await client.webGet("/stores", cookies: ["fc_session": session])
            #expect(stores.status == .ok)
            #expect(stores.html.contains("朝阳门便利店"))
            #expect(!stores.html.contains("浦东食杂店"))
            #expect(stores.html.contains("第 1–2 条，共 2 条"))

            let outside = try await client.webGet("/stores/\(site.storeInR2)", cookies: ["fc_session": session])
            #expect(outside.status == .notFound)
            #expect(outside.html.contains("找不到页面"))
            let inside = try await client.webGet("/stores/\(site.storesInR1[0])", cookies: ["fc_session": session])
            #expect(inside.status == .ok)

            let distributor = try await client.webGet("/distributors/\(site.distributorR2)", cookies: ["fc_session": session])
            #expect(distributor.status == .notFound)
            let distributors = try await client.webGet("/distributors", cookies: ["fc_session": session])
            #expect(distributors.html.contains("北京京华商贸有限公司"))
            #expect(!distributors.html.contains("上海浦江贸易有限公司"))

            let org = try await client.webGet("/org", cookies: ["fc_session": session])
            #expect(org.html.contains("华北大区"))
            #expect(!org.html.contains("华东大区"))
            #expect(!org.html.contains("孙经理"))

            let users = try await client.webGet("/users", cookies: ["fc_session": session])
            #expect(users.html.contains("钱业代"))
            #expect(!users.html.contains("孙经理"))
            #expect(!users.html.contains("总部管理员</td>"))

            let overview = try await client.webGet("/", cookies: ["fc_session": session])
            #expect(overview.html.contains(#"<div class="value">2</div>"#))

            let (_, distributorCookie) = try await client.webSignIn("dist-d001")
            let distributorSession = try #require(distributorCookie)
            let own = try await client.webGet("/stores", cookies: ["fc_session": distributorSession])
            #expect(own.html.contains("朝阳门便利店"))
            #expect(!own.html.contains("浦东食杂店"))
            #expect(!own.html.contains(#"href="/org""#))
            #expect(!own.html.contains(#"href="/campaigns""#))
            // Campaigns are HQ's; settlement statements show each person their own reach.
            let campaigns = try await client.webGet("/campaigns", cookies: ["fc_session": distributorSession])
            #expect(campaigns.status == .forbidden)
            #expect(try await client.webGet("/campaigns/review", cookies: ["fc_session": session]).status == .forbidden)
            let statements = try await client.webGet("/settlements", cookies: ["fc_session": distributorSession])
            #expect(statements.status == .ok && statements.html.contains("门店结算") && !statements.html.contains("上海浦江贸易有限公司"))
            let badPeriod = try await client.webGet("/settlements?from=2026-13-01", cookies: ["fc_session": distributorSession])
            #expect(badPeriod.status == .badRequest)
            let imports = try await client.webGet("/imports", cookies: ["fc_session": distributorSession])
            #expect(imports.status == .ok)
            #expect(!imports.html.contains("upload-form"))
        }
    }

    @Test("unknown ids and pages answer with a page, not a crash")
    func notFound() async throws {
        try await WebSite.run { _, client in
            let (_, cookie) = try await client.webSignIn("admin")
            let session = try #require(cookie)
            for path in ["/stores/999999", "/stores/abc", "/distributors/999999", "/imports/999999", "/no-such-page", "/lang/fr"] {
                let page = try await client.webGet(path, cookies: ["fc_session": session])
                #expect(page.status == .notFound, "\(path)")
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true, "\(path)")
            }
        }
    }

    @Test("the language switch sets a cookie and returns to the page")
    func languageSwitch() async throws {
        try await WebSite.run { _, client in
            let (_, cookie) = try await client.webSignIn("admin")
            let session = try #require(cookie)
            let page = try await client.webGet("/stores?type=grocery", cookies: ["fc_session": session])
            #expect(page.html.contains(#"href="/lang/en?next=/stores%3Ftype%3Dgrocery""#))

            let switched = try await client.webGet("/lang/en?next=/stores%3Ftype%3Dgrocery", cookies: ["fc_session": session])
            #expect(switched.status == .seeOther)
            #expect(switched.headers[.location] == "/stores?type=grocery")
            #expect(switched.cookieValue("fc_lang") == "en")

            let english = try await client.webGet("/stores", cookies: ["fc_session": session, "fc_lang": "en"])
            #expect(english.html.contains(#"<html lang="en">"#))
            #expect(english.html.contains("All provinces"))
            #expect(english.html.contains("Sign out"))

            let offsite = try await client.webGet("/lang/zh?next=//evil.example", cookies: ["fc_session": session])
            #expect(offsite.headers[.location] == "/")
        }
    }

    @Test("signing out revokes the session")
    func signOut() async throws {
        try await WebSite.run { _, client in
            let (_, cookie) = try await client.webSignIn("admin")
            let session = try #require(cookie)
            #expect(try await client.webGet("/", cookies: ["fc_session": session]).status == .ok)

            let out = try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: "fc_session=\(session)", .origin: "http://localhost"])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/login")
            let cleared = try #require(out.setCookie("fc_session"))
            #expect(cleared.hasPrefix("fc_session=;"))
            #expect(cleared.contains("Max-Age=0"))

            let after = try await client.webGet("/", cookies: ["fc_session": session])
            #expect(after.status == .seeOther)
            #expect(after.headers[.location] == "/login?next=/")
            let api = try await client.webGet("/api/v1/me", cookies: ["fc_session": session])
            #expect(api.status == .unauthorized)
        }
    }
}
