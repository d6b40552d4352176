import Foundation

/// Reads QR images with real decoders: `zbarimg` (zbar-tools) for PNG, after `rsvg-convert`
/// (librsvg2-bin) for SVG. The test script installs both; a missing tool fails the test.
public enum QRDecoder {
    /// Every symbol's text found in a PNG file's bytes.
    public static func decode(png: [UInt8]) throws -> [String] {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("code.png")
            try Data(png).write(to: file)
            return try decodeFile(file)
        }
    }

    /// Every symbol's text found in an SVG document, drawn as PNG first.
    public static func decode(svg: String) throws -> [String] {
        try withTemporaryDirectory { directory in
            let source = directory.appendingPathComponent("code.svg")
            let drawn = directory.appendingPathComponent("code.png")
            try Data(svg.utf8).write(to: source)
            let (status, _, errors) = try run(["rsvg-convert", "--format=png", "--output", drawn.path, source.path])
            guard status == 0 else { throw Failure(message: "rsvg-convert exited with \(status): \(errors)") }
            return try decodeFile(drawn)
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private static func decodeFile(_ file: URL) throws -> [String] {
        let (status, output, errors) = try run(["zbarimg", "--raw", "-q", file.path])
        // 0: symbols found; 4: none found; anything else (127: no zbarimg) is a broken setup.
        guard status == 0 || status == 4 else { throw Failure(message: "zbarimg exited with \(status): \(errors)") }
        return output.split(separator: "\n").map(String.init)
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let messages = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: messages, as: UTF8.self))
    }

    private static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fullchain-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }
}
