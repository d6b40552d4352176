import ArgumentParser
import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Logging

/// Imports a CSV or XLSX file as a tenant's HQ admin, printing the report.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import stores, distributors, products or users from a file.")

    @Argument(help: "stores, distributors, products or users")
    var kind: String

    @Argument(help: "The CSV or XLSX file.")
    var file: String

    @Option(help: "The tenant (brand) code.")
    var tenant = "demo"

    @Option(help: "An SQLite file path or a postgres:// URL.")
    var database = "fullchain.sqlite"

    @Flag(help: "Import the good rows even when some rows are bad.")
    var keepGood = false

    func run() async throws {
        guard let importKind = ImportKind(rawValue: kind) else { throw ValidationError("kind must be stores, distributors, products or users") }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let db: AppConfiguration.Database = database.hasPrefix("postgres") ? .postgres(url: database) : .sqlite(path: database)
        let configuration = AppConfiguration(database: db)
        let opened = try openStorage(db, logger: .init(label: "fullchain-import"))
        let services = AppServices(storage: opened.storage, configuration: configuration)
        let fileName = URL(fileURLWithPath: file).lastPathComponent
        try await withOpenedStorage(opened) {
            let started = ContinuousClock.now
            let report = try await Importer(core: services.core).importAsAdmin(
                kind: importKind, tenantCode: tenant, bytes: bytes, fileName: fileName, keepGood: keepGood)
            let seconds = (ContinuousClock.now - started).seconds
            print(
                "rows: \(report.totalRows), imported: \(report.importedRows), errors: \(report.errorCount), seconds: \(String(format: "%.3f", seconds)), rows/s: \(Int(Double(report.totalRows) / max(seconds, 1e-9)))"
            )
            for error in report.errors.prefix(20) { print("  row \(error.row) [\(error.column)] \(error.code): \(error.message)") }
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
