import ArgumentParser
import FullChainCore
import FullChainFakes
import Hummingbird

/// `fullchain fake-wechat`: the local stand-in for WeChat's web authorisation, for trying
/// consumers' sign-in against `serve` (and for the benchmarks) without calling WeChat.
struct FakeWeChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-wechat", abstract: "Serve a local stand-in for WeChat's web authorisation (never for production).")

    @Option(help: "Port to listen on (127.0.0.1 only).")
    var port = 8081

    @Option(help: "An official account it knows, as APPID:SECRET (repeatable).")
    var app: [String]

    func run() async throws {
        var apps: [WeChatApp] = []
        for text in app {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, WeChatWebAuth.isToken(parts[0], maxLength: 32), WeChatWebAuth.isToken(parts[1], maxLength: 64) else {
                throw ValidationError("--app is APPID:SECRET (letters, digits, '-' and '_')")
            }
            apps.append(WeChatApp(appID: parts[0], secret: parts[1]))
        }
        guard !apps.isEmpty else { throw ValidationError("give at least one --app APPID:SECRET") }
        let fake = FakeWeChatAuth(apps: apps)
        let router = Router()
        fake.register(on: router)
        let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "FakeWeChat"))
        try await server.runService()
    }
}
