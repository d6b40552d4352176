import Crypto
import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import Testing

@Suite("Code export")
struct CodeExportTests {
    @Test
    func aMillionCodesExportAsDistinctSignedLinesInFilesTheManifestVouchesFor() async throws {
        let key = SymmetricKey(size: .bits256)
        let signer = CodeSigner(keyID: 77, key: key)
        let batch = CodeBatch(id: 3, productID: 1, lot: "L26", quantity: 1_000_003, unitsPerCase: 24, keyID: 77, createdAt: 0)
        let printout = CodePrintout(batch: batch, signer: signer, format: .csv, link: .short, host: "fc.example.cn", gtin14: "06901234567892")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("codes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let manifest = try await CodeExporter.writeFiles(printout, filesOf: 300_000, to: directory, workers: 2)
        #expect(manifest.files.map(\.codes) == [300_000, 300_000, 300_000, 100_003])
        #expect(manifest.totalCodes == batch.quantity)

        var seen = Set<UInt64>()
        seen.reserveCapacity(batch.quantity)
        var expectedSequence = 1
        for file in manifest.files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file.name))
            #expect(data.count == file.bytes)
            #expect(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() == file.sha256)
            #expect(file.firstSequence == expectedSequence)
            let lines = data.split(separator: 0x0A)
            #expect(lines.first.map { String(decoding: $0, as: UTF8.self) } == "sequence,case_code,unit_code,url")
            for line in lines.dropFirst() {
                let fields = line.split(separator: 0x2C)
                let (code, tag) = try ScanCode.parse(String(decoding: fields[2], as: UTF8.self))
                #expect(code.serial == UInt32(expectedSequence - 1))
                // Every 1,000th line is checked in full; the serial check above covers uniqueness.
                if expectedSequence % 1000 == 0 { #expect(signer.isAuthentic(code, tag: tag)) }
                seen.insert(UInt64(code.serial))
                expectedSequence += 1
            }
        }
        #expect(seen.count == batch.quantity)

        let archive = directory.appendingPathComponent("export.zip")
        try CodeExporter.zip(manifest, in: directory, to: archive)
        let size = try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as? Int ?? 0
        #expect(size > manifest.files.reduce(0) { $0 + $1.bytes })
    }
}
