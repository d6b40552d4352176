import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import FullChainTabular
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Browsers are protected: a write authenticated by the session cookie must come from this
/// site's own pages; pages carry no inline script or style, so the content security policy
/// needs no `'unsafe-inline'`; HSTS over HTTPS; CSV exports cannot run as formulas.
@Suite("Browser protection")
struct BrowserProtectionTests {
    /// What is wrong with a page for a policy without `'unsafe-inline'`: inline scripts, style
    /// elements or attributes, event-handler attributes, `javascript:` URLs. Empty when nothing.
    static func inlineCode(in html: String) -> [String] {
        var problems: [String] = []
        func matches(_ pattern: String) -> [String] {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators]) else {
                return [pattern]
            }
            let range = NSRange(html.startIndex..., in: html)
            return regex.matches(in: html, range: range).compactMap { Range($0.range, in: html).map { String(html[$0].prefix(120)) } }
        }
        // A script element is a `src` and nothing inside.
        for script in matches(#"<script\b[^>]*>.*?</script\s*>"#) {
            let isExternal = script.range(of: #"^<script\s+src="/assets/[^"]+"\s*>\s*</script"#, options: .regularExpression) != nil
            if !isExternal { problems.append(script) }
        }
        problems += matches(#"<style\b"#)
        problems += matches(#"<[a-z][a-z0-9-]*\b[^>]*\sstyle\s*="#)
        problems += matches(#"<[a-z][a-z0-9-]*\b[^>]*\son[a-z]+\s*="#)
        problems += matches(#"javascript:"#)
        return problems
    }

    /// The page's headers and HTML meet the policy: CSP without `'unsafe-inline'`, no inline code.
    static func expectProtected(_ response: TestResponse, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let policy = response.headers[.contentSecurityPolicy] ?? ""
        #expect(policy.contains("script-src 'self'") && policy.contains("style-src 'self'"), "\(path): \(policy)", sourceLocation: sourceLocation)
        #expect(!policy.contains("unsafe-inline"), "\(path): \(policy)", sourceLocation: sourceLocation)
        let problems = inlineCode(in: response.text)
        #expect(problems.isEmpty, "\(path): \(problems)", sourceLocation: sourceLocation)
        let escapedTags = escapedMarkup(in: response.text)
        #expect(escapedTags.isEmpty, "\(path) shows markup as text: \(escapedTags)", sourceLocation: sourceLocation)
    }

    /// The page's own tags that were escaped by mistake and so show as text (`&lt;/td&gt;`): the escaping
    /// layer treats every `String` as text, so markup kept in a `String` would land here.
    static func escapedMarkup(in html: String) -> [String] {
        let tags =
            "a|b|br|button|circle|code|dd|div|dl|dt|form|g|h[1-6]|input|label|li|line|option|p|path|rect|section|select|small|span|strong|svg"
            + "|table|tbody|td|text|th|thead|title|tr|ul"
        guard let regex = try? NSRegularExpression(pattern: "&lt;/?(?:\(tags))(?:[\\s/]|&gt;)") else { return ["bad pattern"] }
        let range = NSRange(html.startIndex..., in: html)
        return regex.matches(in: html, range: range).compactMap { Range($0.range, in: html).map { String(html[$0]) } }
    }

    @Test func theEscapedMarkupCheckFindsTagsShownAsText() {
        #expect(Self.escapedMarkup(in: "<td>a</td>&lt;/td&gt;&lt;span class=x&gt;") == ["&lt;/td&gt;", "&lt;span "])
        #expect(Self.escapedMarkup(in: "<td>&lt;script&gt;alert(1)&lt;/script&gt; 3 &lt; 4</td>").isEmpty)
    }

    @Test func theInlineCodeCheckFindsWhatThePolicyWouldBlock() {
        #expect(Self.inlineCode(in: #"<p>x</p><script src="/assets/a.js?v=1"></script>"#).isEmpty)
        #expect(Self.inlineCode(in: #"<p data-strings="{&quot;a&quot;:1}">on=1 style=2</p>"#).isEmpty)
        #expect(Self.inlineCode(in: "<script>alert(1)</script>").count == 1)
        #expect(Self.inlineCode(in: #"<script src="/assets/a.js">alert(1)</script>"#).count == 1)
        #expect(Self.inlineCode(in: "<style>p{}</style>").count == 1)
        #expect(Self.inlineCode(in: #"<span style="color:red">"#).count == 1)
        #expect(Self.inlineCode(in: #"<button class="x" onclick="go()">"#).count == 1)
        #expect(Self.inlineCode(in: #"<a href="javascript:go()">"#).count == 1)
    }

    @Test(arguments: APIBackend.all)
    func aCrossSiteWriteWithTheSessionCookieIsRefused(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let session = world.adminToken
            let nodeID = world.salespersonNodeR1
            @Sendable func store(_ code: String) -> String {
                #"{"code":"\#(code)","name":"跨站\#(code)","type":"supermarket","region":"北京市朝阳区","salespersonNodeID":\#(nodeID)}"#
            }
            try await app.test { client in
                func post(_ code: String, _ headers: HTTPFields) async throws -> TestResponse {
                    var headers = headers
                    headers[.cookie] = "fc_session=\(session)"
                    return try await client.call(.post, "/api/v1/stores", token: nil, json: store(code), headers: headers)
                }
                let refused: [(String, HTTPFields)] = [
                    ("X1", [.origin: "https://evil.example"]),
                    ("X2", [.origin: "null"]),
                    ("X3", [HTTPField.Name("Sec-Fetch-Site")!: "cross-site", .origin: "http://localhost"]),
                    ("X4", [HTTPField.Name("Sec-Fetch-Site")!: "same-site"]),
                    // Neither header: not provably from this site.
                    ("X5", [:]),
                    ("X6", [.origin: "http://localhost.evil.example"]),
                ]
                for (code, headers) in refused {
                    let response = try await post(code, headers)
                    #expect(response.status == .forbidden, "\(code): \(response.text)")
                    #expect(response.errorCode == "cross_site_request", "\(code)")
                }
                let kept = try await client.call(.get, "/api/v1/stores?limit=200", token: session)
                #expect(!kept.text.contains("跨站X"), "nothing written")

                // From this site's own pages, with the cookie; and by bearer token, with no Origin at all.
                #expect(try await post("S1", [.origin: "http://localhost"]).status == .created)
                #expect(try await post("S2", [.origin: "http://localhost:80"]).status == .created)
                #expect(try await post("S3", [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]).status == .created)
                #expect(try await client.call(.post, "/api/v1/stores", token: session, json: store("S4")).status == .created)

                // Sign-out and sign-in forms posted from elsewhere change nothing.
                let logout = try await client.execute(
                    uri: "/logout", method: .post, headers: [.cookie: "fc_session=\(session)", .origin: "https://evil.example"])
                #expect(logout.status == .forbidden)
                #expect(try await client.call(.get, "/api/v1/me", token: nil, headers: [.cookie: "fc_session=\(session)"]).status == .ok)
                let login = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .origin: "https://evil.example"],
                    body: ByteBuffer(string: "tenant=\(world.tenantA.code)&username=admin&password=secret-123&next=/"))
                #expect(login.status == .forbidden)
                #expect(login.headers[values: .setCookie].isEmpty)
                let sameSiteLogin = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .origin: "http://localhost"],
                    body: ByteBuffer(string: "tenant=\(world.tenantA.code)&username=admin&password=secret-123&next=/"))
                #expect(sameSiteLogin.status == .seeOther)
                #expect(sameSiteLogin.headers[values: .setCookie].contains { $0.hasPrefix("fc_session=") })
            }
        }
    }

    @Test func everyPageLoadsItsScriptsAndStylesFromFilesOnly() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            let salesperson = try #require(world.actors.first { $0.role == .salesperson })
            try await app.test { client in
                let (batch, signer) = try await CampaignDrawTests.receivedBatch(app, world, client, lot: "CSP", quantity: 4)
                let campaign = try await CampaignDrawTests.campaign(
                    client, app, world, tiers: #"[{"name":"红包","kind":"cash","amountFen":100,"probability":1}]"#,
                    budgetFen: 10_000)
                let code = signer.text(for: batch.unitCode(0))
                let pages: [(path: String, token: String?)] = [
                    ("/login", nil), ("/", world.adminToken), ("/org", world.adminToken), ("/users", world.adminToken),
                    ("/distributors", world.adminToken), ("/distributors/\(world.distributorD1)", world.adminToken),
                    ("/stores", world.adminToken), ("/stores/\(world.storeST1)", world.adminToken), ("/products", world.adminToken),
                    ("/imports", world.adminToken), ("/campaigns", world.adminToken), ("/campaigns/new", world.adminToken),
                    ("/campaigns/\(campaign)", world.adminToken), ("/campaigns/review", world.adminToken), ("/settlements", world.adminToken),
                    ("/alerts", world.adminToken), ("/store-alerts", world.adminToken), ("/rankings", world.adminToken),
                    ("/m/tasks", salesperson.token), ("/c/\(code)", nil), ("/c/NOT-A-CODE", nil), ("/no-such-page", world.adminToken),
                ]
                var assets = Set<String>()
                for (path, token) in pages {
                    for language in ["zh", "en"] {
                        let headers: HTTPFields = token.map { [.cookie: "fc_session=\($0)"] } ?? [:]
                        let page = try await client.execute(uri: path + "?lang=" + language, method: .get, headers: headers)
                        #expect(page.status == .ok || path == "/no-such-page", "\(path): \(page.status)")
                        #expect(page.headers[.contentType]?.hasPrefix("text/html") == true, "\(path)")
                        Self.expectProtected(page, path)
                        let links = try NSRegularExpression(pattern: #"(?:src|href)="(/assets/[^"]+)""#)
                        for match in links.matches(in: page.text, range: NSRange(page.text.startIndex..., in: page.text)) {
                            if let range = Range(match.range(at: 1), in: page.text) { assets.insert(String(page.text[range])) }
                        }
                    }
                }
                // The genuine code's page hands its script the code and texts as data.
                let scan = try await client.execute(uri: "/c/\(code)", method: .get).text
                #expect(scan.contains(#"data-scan-url="/api/v1/scans""#) && scan.contains("data-strings=") && scan.contains("/assets/scan.js?v="))
                // Every script and stylesheet a page names is served, versioned and cacheable for long.
                #expect(assets.count >= 6, "\(assets)")
                for asset in assets {
                    let file = try await client.execute(uri: asset, method: .get)
                    #expect(file.status == .ok, "\(asset)")
                    #expect(asset.contains("?v="), "\(asset)")
                    let type = file.headers[.contentType] ?? ""
                    #expect(type.hasPrefix(asset.contains(".js?") ? "text/javascript" : "text/css"), "\(asset): \(type)")
                    #expect(file.headers[.cacheControl]?.contains("max-age=31536000") == true, "\(asset)")
                    #expect(!file.text.isEmpty)
                }
            }
        }
    }

    @Test func strictTransportSecurityIsSentOverHTTPS() async throws {
        try await TestApp.with(.sqlite) { app in
            try await app.test { client in
                let https = try await client.execute(uri: "/login", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
                #expect(https.headers[.strictTransportSecurity] == "max-age=31536000; includeSubDomains")
                let api = try await client.execute(uri: "/api/v1/me", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
                #expect(api.status == .unauthorized)
                #expect(api.headers[.strictTransportSecurity] == "max-age=31536000; includeSubDomains")
                let plain = try await client.execute(uri: "/login", method: .get)
                #expect(plain.headers[.strictTransportSecurity] == nil)
            }
        }
    }

    @Test(arguments: APIBackend.all)
    func csvExportsCannotRunAsFormulas(_ backend: APIBackend) async throws {
        try await TestApp.with(backend) { app in
            let world = try await TestWorld.build(app)
            let scope = AccessScope.wholeTenant(world.tenantA.id)
            let names = ["+1-2", "=cmd|' /C calc'!A0", "-12", "@SUM(A1)", "\tTab", "\rReturn"]
            for (index, name) in names.enumerated() {
                _ = try await app.storage.stores.create(
                    StoreDraft(
                        code: "F\(index)", name: name, type: .grocery, regionCode: "110105000000",
                        distributorID: world.distributorD1, salespersonNodeID: world.salespersonNodeR1), scope: scope)
            }
            try await app.test { client in
                let export = try await client.call(.get, "/api/v1/exports/stores?format=csv", token: world.adminToken)
                #expect(export.status == .ok)
                let table = try CSV.decode(Array(export.body.readableBytesView)).table.rows
                let exported = Dictionary(table.compactMap { row in row.first.map { ($0, row) } }, uniquingKeysWith: { a, _ in a })
                for (index, name) in names.enumerated() {
                    #expect(exported["F\(index)"]?[1] == "'" + name, "F\(index): \(String(describing: exported["F\(index)"]))")
                }
                // No cell of the file starts with a character a spreadsheet would run.
                for row in table {
                    for cell in row {
                        #expect(!["=", "+", "-", "@", "\t", "\r"].contains(where: { cell.hasPrefix($0) }), "\(cell)")
                    }
                }
            }
        }
    }
}
