import Foundation
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FullChainApp
@testable import FullChainServer

/// Overload is answered, not suffered: the public endpoints answer 429 with `Retry-After` to a
/// device or client address over its allowance, and nobody else notices.
@Suite("Public rate limits")
struct RateLimitTests {
    static func scan(
        _ client: some TestClientProtocol, _ code: String, device: String?, key: String? = nil, forwardedFor: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let key { headers[Idempotency.header] = key }
        if let forwardedFor { headers[.xForwardedFor] = forwardedFor }
        let device = device.map { #","deviceID":"\#($0)""# } ?? ""
        return try await client.call(.post, "/api/v1/scans", token: nil, json: #"{"code":"\#(code)"\#(device)}"#, headers: headers)
    }

    /// A 429 as the API answers it: the envelope's code and a whole number of seconds to wait.
    static func expectLimited(_ response: TestResponse, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            response.status == .tooManyRequests && response.errorCode == "rate_limited", "\(comment) \(response.text)", sourceLocation: sourceLocation
        )
        let wait = response.headers[.retryAfter].flatMap { Int($0) }
        #expect(wait.map { $0 >= 1 } == true, "Retry-After: \(String(describing: response.headers[.retryAfter]))", sourceLocation: sourceLocation)
    }

    @Test func aDeviceOverItsAllowanceIsAnsweredWithRetryAfter() async throws {
        try await TestApp.with(.sqlite, configure: { $0.rateLimits.scansPerDevice = RateLimit(perMinute: 1, burst: 3) }) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "RATE1")
                for serial in 0..<3 {
                    #expect(try await Self.scan(client, codes.unit(serial), device: "phone-1").status == .ok)
                }
                Self.expectLimited(try await Self.scan(client, codes.unit(3), device: "phone-1"))
                // Forged codes count too: a device cannot guess codes faster than it may scan.
                Self.expectLimited(try await Self.scan(client, "not-a-code", device: "phone-1"))
                // Another phone is not affected, nor is a scan naming no device.
                #expect(try await Self.scan(client, codes.unit(3), device: "phone-2").status == .ok)
                #expect(try await Self.scan(client, codes.unit(4), device: nil).status == .ok)
                // The refused scans were not recorded: three of phone-1's, one each of the others.
                let rows = try await app.storage.database.read("SELECT device_id FROM scan_events WHERE tenant_id = \(world.tenantA.id)")
                #expect(rows.filter { $0.optionalString("device_id") == "phone-1" }.count == 3 && rows.count == 5)
            }
        }
    }

    @Test func aRefusedScanDoesNotUseUpItsIdempotencyKey() async throws {
        try await TestApp.with(.sqlite, configure: { $0.rateLimits.scansPerDevice = RateLimit(perMinute: 1, burst: 1) }) { app in
            let world = try await TestWorld.build(app)
            try await app.test { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "RATE2")
                #expect(try await Self.scan(client, codes.unit(0), device: "phone-1", key: "k-1").status == .ok)
                Self.expectLimited(try await Self.scan(client, codes.unit(1), device: "phone-1", key: "k-2"))
                // Had the 429 been kept for k-2, the key with another body would be refused as reused.
                let retried = try await Self.scan(client, codes.unit(1), device: "phone-2", key: "k-2")
                #expect(retried.status == .ok && retried.headers[Idempotency.replayedHeader] == nil, "\(retried.text)")
            }
        }
    }

    @Test func aClientAddressOverItsAllowanceIsAnsweredOnEveryPublicEndpoint() async throws {
        try await TestApp.with(
            .sqlite,
            configure: { configuration in
                configuration.rateLimits.scansPerIP = RateLimit(perMinute: 1, burst: 4)
                configuration.rateLimits.pagesPerIP = RateLimit(perMinute: 1, burst: 3)
                configuration.rateLimits.qrImagesPerIP = RateLimit(perMinute: 1, burst: 1)
            }
        ) { app in
            let world = try await TestWorld.build(app)
            let product = try #require(try await app.storage.products.list(ListQuery(), category: nil, tenantID: world.tenantA.id).items.first)
            try await app.test(.live) { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "RATE3")
                // Scans from one address, each from another phone: the address's allowance ends them.
                for serial in 0..<4 {
                    #expect(try await Self.scan(client, codes.unit(serial), device: "phone-\(serial)").status == .ok)
                }
                Self.expectLimited(try await Self.scan(client, codes.unit(4), device: "phone-4"))
                // Without a trusted proxy, X-Forwarded-For is no way around it.
                Self.expectLimited(try await Self.scan(client, codes.unit(4), device: "phone-4", forwardedFor: "203.0.113.50"))

                // The scan pages, GS1 Digital Link URLs and nearby stores share the pages' allowance.
                #expect(try await client.call(.get, "/c/\(codes.unit(0))", token: nil).status == .ok)
                let link = "/01/\(product.gtin.gtin14)/10/\(codes.batch.lot)/21/x"
                #expect(try await client.call(.get, link, token: nil).status == .notFound)
                let nearby = "/api/v1/scans/nearby-stores?code=\(codes.unit(0))&latitude=39.92&longitude=116.44"
                #expect(try await client.call(.get, nearby, token: nil).status == .ok)
                Self.expectLimited(try await client.call(.get, nearby, token: nil))
                let linkRefused = try await client.call(.get, link, token: nil)
                #expect(linkRefused.status == .tooManyRequests && linkRefused.headers[.retryAfter] != nil, "\(linkRefused.text)")
                // A browser gets a short page in its language, with Retry-After.
                for (language, text) in [("", "请求过于频繁"), ("?lang=en", "Too many requests")] {
                    let page = try await client.call(.get, "/c/\(codes.unit(0))" + language, token: nil)
                    #expect(
                        page.status == .tooManyRequests && page.text.contains(text) && page.headers[.contentType]?.hasPrefix("text/html") == true,
                        "\(page.text)")
                    #expect(page.headers[.retryAfter].flatMap { Int($0) }.map { $0 >= 1 } == true)
                }
                // So do the consumer's sign-in and "我的".
                for path in ["/consumer/wechat/callback?code=a&state=b", "/me"] {
                    let page = try await client.call(.get, path, token: nil)
                    #expect(page.status == .tooManyRequests && page.headers[.retryAfter] != nil, "\(path): \(page.text)")
                }

                // QR images (HQ's) have an allowance of their own.
                let qr = "/api/v1/code-batches/\(codes.batch.id)/qr?serial=0"
                #expect(try await client.call(.get, qr, token: world.adminToken).status == .ok)
                Self.expectLimited(try await client.call(.get, qr, token: world.adminToken))
                Self.expectLimited(try await client.call(.get, "/api/v1/code-batches/\(codes.batch.id)/qr-sheet", token: world.adminToken))

                // Everything else is not limited.
                #expect(try await client.call(.get, "/healthz", token: nil).status == .ok)
                #expect(try await client.call(.get, "/api/v1/code-batches/\(codes.batch.id)", token: world.adminToken).status == .ok)
            }
        }
    }

    @Test func behindATrustedProxyEachClientHasItsOwnAllowance() async throws {
        let loopback = try #require(IPNetwork("127.0.0.1"))
        try await TestApp.with(
            .sqlite,
            configure: { configuration in
                configuration.rateLimits.scansPerIP = RateLimit(perMinute: 1, burst: 2)
                configuration.trustedProxies = TrustedProxies([loopback])
            }
        ) { app in
            let world = try await TestWorld.build(app)
            try await app.test(.live) { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "RATE4")
                // Six consumers behind the proxy, each once: nobody is limited; the scans name each consumer's address.
                for serial in 0..<6 {
                    let response = try await Self.scan(
                        client, codes.unit(serial), device: "phone-\(serial)", forwardedFor: "198.51.100.1, 203.0.113.\(serial + 1)")
                    #expect(response.status == .ok, "\(response.text)")
                }
                let rows = try await app.storage.database.read("SELECT ip FROM scan_events WHERE tenant_id = \(world.tenantA.id)")
                #expect(Set(rows.compactMap { $0.optionalString("ip") }) == Set((1...6).map { "203.0.113.\($0)" }))
                // One of them scanning on: that address's allowance ends.
                #expect(try await Self.scan(client, codes.unit(6), device: "phone-6", forwardedFor: "203.0.113.1").status == .ok)
                Self.expectLimited(try await Self.scan(client, codes.unit(7), device: "phone-7", forwardedFor: "203.0.113.1"))
            }
        }
    }

    @Test func withoutATrustedProxyTheSocketNamesTheClient() async throws {
        try await TestApp.with(.sqlite) { app in
            let world = try await TestWorld.build(app)
            try await app.test(.live) { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "RATE5")
                #expect(try await Self.scan(client, codes.unit(0), device: "phone-0", forwardedFor: "203.0.113.9").status == .ok)
                let rows = try await app.storage.database.read("SELECT ip FROM scan_events WHERE tenant_id = \(world.tenantA.id)")
                #expect(rows.map { $0.optionalString("ip") } == ["127.0.0.1"])
            }
        }
    }

    @Test func limitsCanBeTurnedOff() async throws {
        try await TestApp.with(
            .sqlite,
            configure: { configuration in
                configuration.rateLimits = PublicRateLimits(
                    enabled: false, scansPerDevice: RateLimit(perMinute: 1, burst: 1), scansPerIP: RateLimit(perMinute: 1, burst: 1))
            }
        ) { app in
            let world = try await TestWorld.build(app)
            try await app.test(.live) { client in
                let codes = try await ScanAlertsTests.makeBatch(app, world, client: client, lot: "RATE6")
                for serial in 0..<5 {
                    #expect(try await Self.scan(client, codes.unit(serial), device: "phone").status == .ok)
                }
            }
        }
    }

    @Test func aLimiterRemembersABoundedNumberOfCallers() {
        let limiter = RateLimiter<String>(RateLimit(perMinute: 1, burst: 1), capacity: 100)
        #expect(limiter.take("first", now: 0) == nil)
        #expect(limiter.take("first", now: 0) != nil)
        // A flood of new callers pushes out the least recently seen, never more than the capacity.
        for caller in 0..<1_000 { _ = limiter.take("caller-\(caller)", now: 0) }
        #expect(limiter.count == 100)
        #expect(limiter.take("first", now: 0) == nil, "forgotten: a full bucket again")
        #expect(limiter.take("caller-999", now: 0) != nil, "the most recent caller is still counted")
    }
}
