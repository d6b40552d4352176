public import FullChainApp

extension PayoutSettings {
    /// The configured provider; nil when there is none.
    public func makeProvider() throws -> (any PayoutProvider)? {
        switch provider {
        case .none: nil
        case .weChat(let settings): try WeChatRedPacketProvider(settings)
        case .settlementFile(let directory): try SettlementFileProvider(directory: directory)
        }
    }
}
