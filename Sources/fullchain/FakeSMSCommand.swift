import ArgumentParser
import Foundation
import FullChainCore
import FullChainFakes
import Hummingbird

/// `fullchain fake-sms`: the local stand-in for Tencent Cloud SMS, for trying consumers' phone
/// sign-in against `serve` without sending texts; what it "sends" is at `/inbox`.
struct FakeSMSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-sms", abstract: "Serve a local stand-in for Tencent Cloud SMS (never for production).")

    @Option(help: "Port to listen on (127.0.0.1 only).")
    var port = 8082

    @Option(
        name: .customLong("sms-app-id"),
        help: "The SMS application (SmsSdkAppId) it accepts; the key pair is FULLCHAIN_SMS_SECRET (SecretId:SecretKey).")
    var smsAppID: String

    @Option(help: "The signature (SignName) it accepts.")
    var smsSignName = "FullChain"

    @Option(help: "The template it accepts.")
    var smsTemplateID: String

    func run() async throws {
        let pair = (ProcessInfo.processInfo.environment["FULLCHAIN_SMS_SECRET"] ?? "").split(separator: ":", maxSplits: 1).map(String.init)
        guard pair.count == 2 else { throw ValidationError("FULLCHAIN_SMS_SECRET must be SecretId:SecretKey") }
        let fake = FakeSMSGateway(
            account: SMSAccount(secretID: pair[0], secretKey: pair[1], sdkAppID: smsAppID, signName: smsSignName, templateID: smsTemplateID))
        let router = Router()
        fake.register(on: router)
        let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "FakeSMS"))
        try await server.runService()
    }
}
