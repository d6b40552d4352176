import Crypto
public import Foundation
public import FullChainCore
import ZIPFoundation

/// What an export wrote: each file with its count of codes and SHA-256, for the printer to check.
public struct CodeExportManifest: Codable, Sendable {
    public struct File: Codable, Sendable {
        public var name: String
        public var firstSequence: Int
        public var codes: Int
        public var bytes: Int
        public var sha256: String
    }

    public var batchID: Int64
    public var lot: String
    public var format: CodePrintout.Format
    public var link: CodePrintout.LinkStyle
    public var totalCodes: Int
    public var files: [File]
}

/// Writes a batch's printout as files of at most `filesOf` codes, a few at a time in parallel,
/// each rendered in chunks so memory stays flat whatever the batch size.
public enum CodeExporter {
    /// Codes rendered per write.
    static let chunk = 65_536

    public static func writeFiles(_ printout: CodePrintout, filesOf: Int, to directory: URL, workers: Int = 2) async throws -> CodeExportManifest {
        let quantity = printout.batch.quantity
        let perFile = max(1, filesOf)
        let fileCount = (quantity + perFile - 1) / perFile
        let digits = max(3, String(fileCount).count)
        let ext = printout.format.rawValue
        var files: [CodeExportManifest.File] = []
        try await withThrowingTaskGroup(of: CodeExportManifest.File.self) { group in
            var next = 0
            func start() {
                guard next < fileCount else { return }
                let index = next
                next += 1
                let range = (index * perFile)..<min((index + 1) * perFile, quantity)
                let number = String(index + 1)
                let name = "batch-\(printout.batch.id)-\(String(repeating: "0", count: max(0, digits - number.count)))\(number).\(ext)"
                group.addTask { try writeFile(printout, serials: range, to: directory.appendingPathComponent(name)) }
            }
            for _ in 0..<max(1, workers) { start() }
            while let file = try await group.next() {
                files.append(file)
                start()
            }
        }
        files.sort { $0.firstSequence < $1.firstSequence }
        let manifest = CodeExportManifest(
            batchID: printout.batch.id, lot: printout.batch.lot, format: printout.format, link: printout.link,
            totalCodes: files.reduce(0) { $0 + $1.codes }, files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: directory.appendingPathComponent("manifest.json"))
        return manifest
    }

    static func writeFile(_ printout: CodePrintout, serials: Range<Int>, to url: URL) throws -> CodeExportManifest.File {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var hash = SHA256()
        var bytes = 0
        var buffer = printout.header
        buffer.reserveCapacity(chunk * 128)
        var start = serials.lowerBound
        while start < serials.upperBound {
            let end = min(start + chunk, serials.upperBound)
            printout.render(start..<end, into: &buffer)
            try buffer.withUnsafeBytes { raw in
                hash.update(bufferPointer: raw)
                try handle.write(contentsOf: raw)
            }
            bytes += buffer.count
            buffer.removeAll(keepingCapacity: true)
            start = end
        }
        let digest = hash.finalize().map { String(format: "%02x", $0) }.joined()
        return .init(name: url.lastPathComponent, firstSequence: serials.lowerBound + 1, codes: serials.count, bytes: bytes, sha256: digest)
    }

    /// Zips the files of a manifest and the manifest itself (stored, not compressed: printers
    /// want them as they are, and the codes hardly compress).
    public static func zip(_ manifest: CodeExportManifest, in directory: URL, to archiveURL: URL) throws {
        let archive = try Archive(url: archiveURL, accessMode: .create)
        for name in manifest.files.map(\.name) + ["manifest.json"] {
            try archive.addEntry(with: name, relativeTo: directory, compressionMethod: .none)
        }
    }
}
