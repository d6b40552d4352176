import ArgumentParser
import Crypto
import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Logging

/// Measurements that need no server: `fullchain bench code-export`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that run without a server.",
        subcommands: [
            CodeExportBench.self, LoadConsumersBench.self, SegmentCountBench.self, JourneyActionsBench.self, EventLatencyBench.self,
            LoadDashboardBench.self,
        ]
    )
}

/// Code export (generate + MAC + base32 + CSV to files) beside raw HMAC-SHA256, in one run.
struct CodeExportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "code-export", abstract: "Code export throughput beside raw HMAC-SHA256.")

    @Option(help: "Codes in the batch.")
    var codes = 10_000_000

    @Option(help: "Codes per file.")
    var filesOf = 1_000_000

    @Option(help: "Parallel workers (one per core).")
    var workers = 2

    @Option(help: "txt or csv")
    var format = "csv"

    @Option(help: "Where to write the files (a temporary directory when omitted).")
    var out: String?

    func run() async throws {
        guard let printFormat = CodePrintout.Format(rawValue: format) else { throw ValidationError("format must be txt or csv") }
        let key = SymmetricKey(size: .bits256)
        let batch = CodeBatch(id: 1, productID: 1, lot: "BENCH", quantity: codes, unitsPerCase: 24, keyID: 1, createdAt: 0)
        let printout = CodePrintout(
            batch: batch, signer: CodeSigner(keyID: 1, key: key), format: printFormat, link: .short,
            host: "fc.example.cn", gtin14: "06901234567892")

        // Raw HMAC-SHA256 of 8-byte messages on every worker, alone: the tag function the export
        // uses (key states made once), and swift-crypto's one-shot call for reference.
        let workers = self.workers
        let keyBytes = key.withUnsafeBytes { Array($0) }
        let rawCount = min(codes, 20_000_000)
        let rawSeconds = try await timed(workers: workers) { worker in
            let signer = CodeSigner(keyID: 1, key: SymmetricKey(data: keyBytes))
            var sink: UInt64 = 0
            for index in stride(from: worker, to: rawCount, by: workers) { sink &+= signer.tag(payload: UInt64(index)) }
            return sink
        }
        let oneShotCount = min(codes, 2_000_000)
        let oneShotSeconds = try await timed(workers: workers) { worker in
            let key = SymmetricKey(data: keyBytes)
            var sink: UInt64 = 0
            for index in stride(from: worker, to: oneShotCount, by: workers) {
                let mac = withUnsafeBytes(of: UInt64(index).bigEndian) { HMAC<SHA256>.authenticationCode(for: $0, using: key) }
                sink &+= mac.withUnsafeBytes { UInt64($0[0]) }
            }
            return sink
        }

        let directory = URL(fileURLWithPath: out ?? NSTemporaryDirectory()).appendingPathComponent("code-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if out == nil { try? FileManager.default.removeItem(at: directory) } }
        let exportStart = ContinuousClock.now
        let manifest = try await CodeExporter.writeFiles(printout, filesOf: filesOf, to: directory, workers: workers)
        let exportSeconds = seconds(since: exportStart)
        let bytes = manifest.files.reduce(0) { $0 + $1.bytes }

        let rawRate = Double(rawCount) / rawSeconds
        let oneShotRate = Double(oneShotCount) / oneShotSeconds
        let exportRate = Double(manifest.totalCodes) / exportSeconds
        print(
            String(
                format:
                    #"{"workers":%d,"raw_hmac_per_s":%.0f,"swift_crypto_one_shot_hmac_per_s":%.0f,"codes":%d,"files":%d,"bytes":%d,"export_seconds":%.3f,"export_codes_per_s":%.0f,"export_vs_raw_hmac":%.2f}"#,
                workers, rawRate, oneShotRate, manifest.totalCodes, manifest.files.count, bytes, exportSeconds, exportRate, exportRate / rawRate))
    }

    /// Runs `work` on each worker at once and returns the wall time.
    private func timed(workers: Int, _ work: @escaping @Sendable (Int) -> UInt64) async throws -> Double {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: UInt64.self) { group in
            for worker in 0..<workers { group.addTask { work(worker) } }
            for try await _ in group {}
        }
        return seconds(since: start)
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Loads millions of synthetic consumer profiles into a demo database for the consumer search
/// and profile benchmarks; the first `searchable` get the phones 139 0000 0000, 139 0000 0001, …
/// (as sign-in stores them: by keyed pseudonym) and five scans each.
struct LoadConsumersBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load-consumers", abstract: "Bulk-load synthetic consumers.")

    @OptionGroup var target: BenchDatabase

    @Option(help: "Profiles to load.")
    var count = 10_000_000

    @Option(help: "Profiles with a phone that a search finds.")
    var searchable = 10_000

    func run() async throws {
        try await target.run { services, tenant in
            let storage = services.storage
            let stores = try await storage.stores.list(ListQuery(limit: 500), filter: StoreFilter(), scope: .wholeTenant(tenant.id)).items
            guard let firstStore = stores.map(\.store.id).min(),
                let batch = try await storage.codes.batches(ListQuery(limit: 1), productID: nil, tenantID: tenant.id).items.first
            else { throw ValidationError("load the demo first") }
            let storeCount = Int64(try await storage.stores.list(ListQuery(limit: 1), filter: StoreFilter(), scope: .wholeTenant(tenant.id)).total)
            let synthetic = SyntheticConsumers(storage: storage)
            let base = try await storage.database.allocateIDs("consumer_profiles", tenantID: tenant.id, count: count)
            let now = currentMillis()
            let started = ContinuousClock.now
            let chunk: Int64 = 500_000
            for first in stride(from: base, to: base + Int64(count), by: Int(chunk)) {
                let last = min(first + chunk, base + Int64(count)) - 1
                try await synthetic.load(first: first, last: last, firstStore: firstStore, stores: storeCount, now: now, tenantID: tenant.id)
                print("loaded \(last - base + 1) profiles, \(String(format: "%.0f", (ContinuousClock.now - started).seconds)) s")
            }
            var phones: [(pseudonym: String, profileID: Int64)] = []
            var scans: [(consumer: String, serial: Int64, storeID: Int64, at: Int64)] = []
            for index in 0..<min(searchable, count) {
                let phone = "1390000" + String(index + 10_000).suffix(4)
                guard let pseudonym = services.consumers.searchPseudonyms(phone, tenantID: tenant.id).first else { continue }
                let profile = base + Int64(index)
                phones.append((pseudonym, profile))
                for scan in 0..<5 {
                    scans.append(
                        (
                            "consumer:" + pseudonym, Int64(index * 5 + scan) % Int64(batch.quantity), firstStore + Int64(index) % storeCount,
                            now - Int64(scan) * 86_400_000 * 7
                        ))
                }
            }
            try await synthetic.addIdentities(phones, kind: .phone, at: now, tenantID: tenant.id)
            try await synthetic.addScans(scans, batchID: batch.id, tenantID: tenant.id)
            try await synthetic.analyze()
            print(
                String(
                    format: #"{"profiles":%d,"searchable":%d,"first_id":%lld,"load_seconds":%.1f}"#, count, phones.count, base,
                    (ContinuousClock.now - started).seconds))
        }
    }
}

/// The loaded demo database a benchmark works on, and its brand.
struct BenchDatabase: ParsableArguments {
    @Option(help: "An SQLite file path or a postgres:// URL (a loaded demo).")
    var database = "fullchain.sqlite"

    @Option(help: "The master key file (default: DATABASE.master-key for SQLite, fullchain.master-key for PostgreSQL).")
    var masterKeyFile: String?

    @Option(help: "The tenant (brand) code.")
    var tenant = "demo"

    /// Opens the database, finds the brand and runs `body` with them.
    func run(_ body: @escaping @Sendable (AppServices, Tenant) async throws -> Void) async throws {
        let isPostgres = database.hasPrefix("postgres")
        let db: AppConfiguration.Database = isPostgres ? .postgres(url: database) : .sqlite(path: database)
        let keyFile = masterKeyFile ?? (isPostgres ? "fullchain.master-key" : database + ".master-key")
        let (masterKey, _) = try MasterKey.load(environment: ProcessInfo.processInfo.environment, file: keyFile)
        let configuration = AppConfiguration(database: db, masterKey: masterKey)
        let opened = try openStorage(db, logger: .init(label: "fullchain-bench"))
        let services = AppServices(storage: opened.storage, configuration: configuration)
        let code = tenant
        try await withOpenedStorage(opened) {
            guard let tenant = try await services.storage.tenants.find(code: code) else { throw ValidationError("no tenant \(code)") }
            try await body(services, tenant)
        }
    }
}
