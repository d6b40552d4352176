/// Why the application refused or could not do something, without HTTP: the server answers
/// each kind with its status, the command line prints it.
public struct AppError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Nothing of that name within the caller's reach (e.g. no such brand).
        case notFound
        /// The input cannot be used as it is (e.g. a file that cannot be read, or lacks columns).
        case unreadable
        /// The caller asked for something not offered (e.g. a file format).
        case unsupported
        /// The caller's role may not do this.
        case notAllowed
        /// It clashes with what exists (e.g. a unique code); nothing was written.
        case conflict
        /// This server cannot do it now (e.g. no master key for code keys).
        case unavailable
    }

    public var kind: Kind
    /// Machine-readable reason, e.g. `no_code_key`.
    public var code: String
    public var message: String

    public init(_ kind: Kind, code: String, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
