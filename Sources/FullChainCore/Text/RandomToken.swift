/// Random letters and digits from the system's secure source: nonces, OAuth states, app secrets.
public enum RandomToken {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    public static func alphanumeric(_ length: Int) -> String {
        var random = SystemRandomNumberGenerator()
        return String((0..<max(0, length)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
    }
}
