/// Seals who a payout goes to (an openid or a phone number) with AES-256-GCM under a key
/// derived from the master key, bound to the tenant: the outbox holds no readable identity.
struct RecipientSeal: Sendable {
    private let seal: TextSeal

    init(masterKey: MasterKey?) {
        seal = TextSeal(masterKey: masterKey, purpose: "payout-recipients")
    }

    private static func context(tenantID: Int64) -> String { "fullchain-payout-recipient/\(tenantID)" }

    /// Nonce, ciphertext and tag, base64; nil only if the system cannot seal.
    func seal(_ recipient: String, tenantID: Int64) -> String? {
        seal.seal(recipient, context: Self.context(tenantID: tenantID))
    }

    /// What `seal` sealed for the same tenant; nil for anything else.
    func open(_ sealed: String, tenantID: Int64) -> String? {
        seal.open(sealed, context: Self.context(tenantID: tenantID))
    }
}
