import ArgumentParser

/// `fullchain`: run the server, load the demo brand, import files, check the ledger.
@main
struct FullChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fullchain",
        abstract: "FullChain — full-chain marketing for consumer-goods brands.",
        subcommands: [
            DemoCommand.self, ServeCommand.self, ImportCommand.self, LedgerCommand.self, BenchCommand.self, FakeWeChatCommand.self,
            FakeSMSCommand.self,
        ]
    )
}
