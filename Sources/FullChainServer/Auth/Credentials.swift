import Crypto
import Foundation
import HTTPTypes
import HummingbirdBcrypt

/// Bearer tokens and web sessions: `fc_<tenant>_<secret>`. Only a SHA-256 of the whole token is stored.
public enum TokenCodec {
    /// A fresh token for a tenant: 256 random bits, URL-safe.
    public static func generate(tenantID: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secret = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "fc_\(tenantID)_\(secret)"
    }

    /// The tenant a token claims, or nil when it is not shaped like one of ours.
    public static func tenantID(of token: String) -> Int64? {
        let parts = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "fc", parts[2].utf8.count >= 40, parts[2].utf8.count <= 64 else { return nil }
        return Int64(parts[1])
    }

    /// What is stored for a token: hex SHA-256.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Password hashing with bcrypt.
public struct PasswordHasher: Sendable {
    public var cost: UInt8

    public init(cost: UInt8) { self.cost = cost }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A hash to verify against when the user does not exist, so timing does not tell.
    public static let decoy = Bcrypt.hash("decoy-password-for-timing", cost: 10)
}
