import Foundation
import Synchronization
import Testing

/// Runs one of the Selenium scripts in `Tests/Browser` (headless Chromium); one decoded JSON object per line it prints.
enum BrowserScript {
    static func run(_ name: String, _ arguments: [String]) async throws -> [[String: String]] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Browser/" + name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        // The pipes are drained as the script writes (on the handles' own queues, never the
        // cooperative pool the server under test runs on): a full pipe would stop the script, and a
        // browser process that outlives it and keeps the pipe open must not hold the test.
        let printed = Collected()
        let logged = Collected()
        output.fileHandleForReading.readabilityHandler = { printed.append($0.availableData) }
        errors.fileHandleForReading.readabilityHandler = { logged.append($0.availableData) }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try await Task.sleep(for: .milliseconds(200))
        output.fileHandleForReading.readabilityHandler = nil
        errors.fileHandleForReading.readabilityHandler = nil
        let text = String(decoding: printed.data, as: UTF8.self)
        let problems = String(decoding: logged.data, as: UTF8.self)
        #expect(status == 0, "\(name): \(problems.suffix(2_000))")
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String]
        }
    }
}

/// Bytes a pipe's handler collected.
private final class Collected: Sendable {
    private let bytes = Mutex(Data())

    func append(_ data: Data) { bytes.withLock { $0.append(data) } }

    var data: Data { bytes.withLock { $0 } }
}
