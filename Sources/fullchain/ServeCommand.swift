import ArgumentParser
import FullChainApp
import FullChainServer
import Hummingbird

/// Serves the API and web pages until SIGTERM or SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the FullChain server.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let logger = options.logger()
        let app = try await buildApplication(options.configuration(logger: logger), logger: logger)
        try await app.runService()
    }
}
