public import FullChainCore

/// Where payouts go: WeChat Pay red packets, or a settlement file the brand pays from. Every
/// call answers (a failure to reach the provider is `.unknown`); a bill number pays at most once.
public protocol PayoutProvider: Sendable {
    /// The merchant accounts payouts are spread over.
    var merchants: [String] { get }
    /// Pays `payout` (its merchant and bill number fixed) to `recipient` (`openid:…` or `phone:…`).
    func send(_ payout: Payout, to recipient: String) async -> PayoutAnswer
    /// What became of a payout sent before under its bill number.
    func query(_ payout: Payout) async -> PayoutAnswer
    /// Releases connections when the server stops.
    func shutdown() async
}
