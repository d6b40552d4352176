import AsyncHTTPClient
import Foundation
import FullChainApp
import FullChainServer
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Idle and slow connections are closed: a thousand clients that connect and then send nothing,
/// or dribble a request head or body, do not keep their connections (nor the memory behind them), and
/// the server answers others meanwhile.
@Suite("Slow clients")
struct SlowClientTests {
    /// A plain TCP connection to the loopback port, made non-blocking once connected.
    static func dial(port: Int) throws -> Int32 {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    /// Sends bytes, ignoring a connection the server already closed (no SIGPIPE).
    static func dribble(_ fd: Int32, _ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
    }

    /// Whether the server closed the connection (end of stream or reset); what it sent is discarded.
    static func isClosed(_ fd: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 { return true }
            if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
        }
    }

    /// `/healthz` over a fresh connection (the test client's own would have idled out meanwhile).
    static func healthz(port: Int) async throws -> HTTPResponseStatus {
        try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(10)).status
    }

    @Test func silentAndDribblingConnectionsAreClosedWhileTheServerAnswers() async throws {
        try await TestApp.with(.sqlite, configure: { $0.idleTimeout = .seconds(1) }) { app in
            try await app.test(.live) { client in
                let port = try #require(client.port)
                var sockets: [Int32] = []
                defer { for fd in sockets { close(fd) } }
                for index in 0..<1_000 {
                    let fd = try Self.dial(port: port)
                    sockets.append(fd)
                    // Every other one starts a request head it never finishes; every fourth sends a
                    // whole head announcing a body, then dribbles the body (to a route that reads
                    // it, and to one that answers before reading it).
                    if index % 4 == 3 {
                        let path = index % 8 == 3 ? "/api/v1/scans" : "/api/v1/stores"
                        Self.dribble(
                            fd, "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                    } else if index % 2 == 1 {
                        Self.dribble(fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    }
                }
                #expect(try await Self.healthz(port: port) == .ok)

                // The dribblers send another header or body byte now and then; it does not keep them open.
                var open = Set(sockets.indices)
                let deadline = ContinuousClock.now + .seconds(60)
                var round = 0
                while !open.isEmpty && ContinuousClock.now < deadline {
                    round += 1
                    for index in open {
                        if Self.isClosed(sockets[index]) {
                            open.remove(index)
                        } else if index % 2 == 1 {
                            Self.dribble(sockets[index], index % 4 == 3 ? " " : round % 20 == 0 ? "\r\nX-Slow: " : "a")
                        }
                    }
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(open.isEmpty, "\(open.count) of \(sockets.count) slow connections are still open")
                #expect(try await Self.healthz(port: port) == .ok)
            }
        }
    }
}
