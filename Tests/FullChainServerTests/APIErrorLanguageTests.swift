import Foundation
import FullChainCore
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FullChainServer

/// API errors in the client's language: `Accept-Language` asking for Chinese gets the catalogue's
/// text for the code (and for each field error's code); every code the server can send has one.
@Suite("API error language")
struct APIErrorLanguageTests {
    @Test func chineseClientsReadTheCatalogueAndTheCodeStaysTheSame() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                func ask(_ language: String?, _ path: String = "/api/v1/dashboard?preset=bogus") async throws -> TestResponse {
                    var headers: HTTPFields = [:]
                    if let language { headers[.acceptLanguage] = language }
                    return try await client.call(.get, path, token: world.adminToken, headers: headers)
                }
                func message(_ response: TestResponse) -> String? { (response.json["error"] as? [String: Any])?["message"] as? String }
                for language in ["zh-CN", "zh", "en;q=0.5, zh-CN;q=0.9", "zh-Hans-CN,zh;q=0.9,en;q=0.8"] {
                    let response = try await ask(language)
                    #expect(response.status == .badRequest && response.errorCode == "invalid_query", "\(language)")
                    #expect(message(response) == "查询参数有误", "\(language): \(response.text)")
                }
                for language in [nil, "en-US", "en-US,en;q=0.9,zh-CN;q=0.8", "zh;q=0, en", "*"] {
                    let response = try await ask(language)
                    #expect(
                        response.errorCode == "invalid_query" && message(response)?.hasPrefix("preset is one of") == true,
                        "\(String(describing: language))")
                }
                // Field errors read the catalogue too.
                var headers: HTTPFields = [.acceptLanguage: "zh-CN"]
                headers[.contentType] = "application/json"
                let bad = try await client.call(.post, "/api/v1/stores", token: world.adminToken, json: #"{"code":"","name":""}"#, headers: headers)
                #expect(bad.status == .unprocessableContent || bad.status == .badRequest, "\(bad.text)")
                let fields = ((bad.json["error"] as? [String: Any])?["details"] as? [[String: Any]]) ?? []
                #expect(
                    !fields.isEmpty && fields.allSatisfy { ($0["message"] as? String)?.unicodeScalars.contains { $0.value > 0x4E00 } == true },
                    "\(bad.text)")
            }
        }
    }

    /// Every error code written in the server's sources (`code: "…"`, `badRequest("…"`) has catalogue texts.
    @Test func everyErrorCodeHasCatalogueTexts() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let pattern = try NSRegularExpression(pattern: #"(?:code: |badRequest\()"([a-z0-9_]+)""#)
        var codes: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", !file.path.contains("/Demo/"), !file.path.contains("/fullchain/") else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { codes.insert(String(text[range])) }
            }
        }
        #expect(codes.count > 50, "\(codes.count)")
        // Codes of other things than errors that the pattern also finds.
        let notErrors: Set<String> = ["sealed", "plain"]
        let missing = codes.subtracting(notErrors).filter { L10n.errors[$0] == nil }.sorted()
        #expect(missing.isEmpty, "no catalogue text for: \(missing)")
        for (code, texts) in L10n.errors {
            #expect(!texts.zh.isEmpty && !texts.en.isEmpty && texts.zh.unicodeScalars.contains { $0.value >= 0x4E00 }, "\(code)")
        }
    }
}
