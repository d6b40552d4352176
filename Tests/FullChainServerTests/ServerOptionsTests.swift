import Foundation
import FullChainApp
import FullChainServer
import Testing

/// The server's command line refuses values it cannot use, before it opens anything.
@Suite("Server options")
struct ServerOptionsTests {
    /// Runs `fullchain serve` with extra options; returns its exit status and what it wrote to stderr.
    static func serve(_ options: [String]) throws -> (status: Int32, stderr: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fullchain-options-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = try CrashRecoveryTests.executable()
        process.arguments =
            ["serve", "--database", directory.appendingPathComponent("db.sqlite").path, "--port", "0", "--log-level", "error"] + options
        var environment = ProcessInfo.processInfo.environment
        environment["FULLCHAIN_MASTER_KEY"] = MasterKey.generate().base64
        process.environment = environment
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test(arguments: [
        (["--session-hours", "0"], "--session-hours"),
        (["--session-hours", "9223372036854775807"], "--session-hours"),
        (["--api-token-days", "-1"], "--api-token-days"),
        (["--api-token-days", "100000"], "--api-token-days"),
        (["--idle-timeout", "0"], "--idle-timeout"),
        (["--trusted-proxy", "10.0.0.0/33"], "--trusted-proxy"),
        (["--rate-limit", "maybe"], "--rate-limit"),
        (["--claim-window-hours", "0"], "--claim-window-hours must be"),
        (["--claim-window-hours", "99999999999"], "--claim-window-hours"),
        (["--public-url", "ftp://fc.example.cn"], "--public-url is an http(s) address"),
        (["--wechat-api-url", "https://api.weixin.qq.com/"], "--wechat-api-url is an http(s) address"),
        (["--public-url", "fc.example.cn"], "--public-url is an http(s) address"),
        // Phone sign-in needs its key pair from the environment, never from the command line.
        (["--sms-app-id", "1400000001", "--sms-template-id", "100001"], "FULLCHAIN_SMS_SECRET"),
        (["--sms-app-id", "1400000001", "--sms-api-url", "sms.tencentcloudapi.com"], "--sms-api-url is an http(s) address"),
    ])
    func outOfRangeOptionsStopTheStart(_ options: [String], _ named: String) throws {
        let (status, stderr) = try Self.serve(options)
        #expect(status != 0)
        #expect(stderr.contains(named), "\(stderr)")
    }
}
