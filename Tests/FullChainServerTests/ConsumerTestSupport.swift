import FullChainApp
import FullChainCore
import FullChainFakes
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FullChainServer

/// Serves a stand-in's routes on a loopback port while `body` runs.
func serveFake(
    _ register: (Router<BasicRequestContext>) -> Void, _ body: @Sendable @escaping (_ baseURL: String) async throws -> Void
) async throws {
    let router = Router()
    register(router)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        try await body("http://127.0.0.1:\(try #require(client.port))")
    }
}

extension FakeWeChatAuth {
    /// Serves the stand-in on a loopback port while `body` runs.
    func serve(_ body: @Sendable @escaping (_ baseURL: String) async throws -> Void) async throws {
        try await serveFake({ register(on: $0) }, body)
    }
}

extension FakeSMSGateway {
    /// Serves the stand-in on a loopback port while `body` runs.
    func serve(_ body: @Sendable @escaping (_ baseURL: String) async throws -> Void) async throws {
        try await serveFake({ register(on: $0) }, body)
    }
}

extension TestApp {
    /// The headers of a page's request from a consumer signed in as `subject` (`openid:…`):
    /// the session cookie the sign-in sets, sent from the brand's own page.
    func consumerHeaders(_ subject: String, tenantID: Int64) throws -> HTTPFields {
        let session = ConsumerSession(
            tenantID: tenantID, subject: subject, appID: "wx-test", unionid: nil, expiresAt: currentMillis() + 3_600_000)
        let cookie = try #require(services.consumers.seal(session))
        return [.cookie: "\(ConsumerPages.sessionCookie)=\(cookie)", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
    }
}
