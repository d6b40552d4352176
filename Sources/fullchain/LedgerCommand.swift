import ArgumentParser
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage
import Logging

/// `fullchain ledger check`: proves every brand's books balance; exits non-zero when not.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "The double-entry ledger.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that debits equal credits in every entry, balances equal their postings, and no account is below its floor.")

        @Option(help: "An SQLite file path or a postgres:// URL.")
        var database = "fullchain.sqlite"

        @Option(help: "Only this brand (tenant code); every brand by default.")
        var tenant: String?

        func run() async throws {
            let db: AppConfiguration.Database = database.hasPrefix("postgres") ? .postgres(url: database) : .sqlite(path: database)
            let opened = try openStorage(db, logger: Logger(label: "fullchain-ledger"))
            let tenant = self.tenant
            try await withOpenedStorage(opened) {
                let storage = opened.storage
                var tenants = try await storage.tenants.all()
                if let tenant {
                    tenants = tenants.filter { $0.code == tenant }
                    guard !tenants.isEmpty else { throw ValidationError("no brand '\(tenant)'") }
                }
                if tenants.isEmpty { print("no brands yet: nothing to check") }
                var balanced = true
                for brand in tenants {
                    let check = try await storage.ledger.check(tenantID: brand.id)
                    balanced = balanced && check.isBalanced
                    let totals = check.debits.keys.sorted().map { "\($0): debits \(check.debits[$0] ?? 0) credits \(check.credits[$0] ?? 0)" }
                    print(
                        "\(brand.code): \(check.isBalanced ? "balanced" : "NOT BALANCED") — \(check.entries) entries, \(check.accounts) accounts"
                            + (totals.isEmpty ? "" : "; " + totals.joined(separator: "; ")))
                    for id in check.unbalancedEntries { print("  entry \(id): postings do not sum to zero") }
                    for account in check.mismatchedAccounts { print("  \(account): balance differs from its postings") }
                    for account in check.accountsBelowFloor { print("  \(account): below its floor") }
                }
                if !balanced { throw ExitCode(2) }
            }
        }
    }
}
