/// A value bound into a statement; never spliced into SQL text.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// Bytes (SQLite BLOB, PostgreSQL BYTEA).
    case blob([UInt8])
}

/// Types that bind as one `SQLValue`.
public protocol SQLBindable: Sendable {
    var sqlValue: SQLValue { get }
}

extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .real(self) } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Array: SQLBindable where Element == UInt8 { public var sqlValue: SQLValue { .blob(self) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// The SQL flavours FullChain speaks.
public enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

/// A statement whose text comes only from string literals in this module's source, and
/// whose values are bound parameters: `"SELECT * FROM stores WHERE tenant_id = \(tenantID)"`.
/// Interpolating a value binds it; interpolating another statement splices that fragment.
public struct SQLStatement: Sendable, ExpressibleByStringInterpolation {
    enum Part: Sendable {
        case sql(String)
        case bind(SQLValue)
        case dialect(sqlite: SQLStatement, postgres: SQLStatement)
    }

    var parts: [Part]

    public init(stringLiteral value: StaticString) {
        parts = [.sql(value.description)]
    }

    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    init(parts: [Part]) { self.parts = parts }

    public struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: StaticString) { parts.append(.sql(literal.description)) }
        public mutating func appendInterpolation(_ value: some SQLBindable) { parts.append(.bind(value.sqlValue)) }
        public mutating func appendInterpolation<Value: SQLBindable>(_ value: Value?) { parts.append(.bind(value.sqlValue)) }
        public mutating func appendInterpolation(_ fragment: SQLStatement) { parts.append(contentsOf: fragment.parts) }
    }

    /// A fragment written differently for each dialect.
    public static func dialect(sqlite: SQLStatement, postgres: SQLStatement) -> SQLStatement {
        SQLStatement(parts: [.dialect(sqlite: sqlite, postgres: postgres)])
    }

    /// Joins fragments with a separator fragment.
    public static func join(_ fragments: [SQLStatement], separator: SQLStatement) -> SQLStatement {
        var parts: [Part] = []
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { parts.append(contentsOf: separator.parts) }
            parts.append(contentsOf: fragment.parts)
        }
        return SQLStatement(parts: parts)
    }

    /// Appends another fragment.
    public static func + (lhs: SQLStatement, rhs: SQLStatement) -> SQLStatement {
        SQLStatement(parts: lhs.parts + rhs.parts)
    }

    /// The text with placeholders for a dialect (`?` for SQLite, `$1…` for PostgreSQL) and the values in order.
    public func rendered(for dialect: SQLDialect) -> (sql: String, values: [SQLValue]) {
        // The text is gathered as bytes and made a string once: a group commit's statements
        // have thousands of parts, and appending each to a string checks and grows it each time.
        var sql: [UInt8] = []
        sql.reserveCapacity(parts.count * 8)
        var values: [SQLValue] = []
        values.reserveCapacity(parts.count / 2)
        render(into: &sql, values: &values, dialect: dialect)
        return (String(decoding: sql, as: UTF8.self), values)
    }

    private func render(into sql: inout [UInt8], values: inout [SQLValue], dialect: SQLDialect) {
        for part in parts {
            switch part {
            case .sql(let text):
                sql.append(contentsOf: text.utf8)
            case .bind(let value):
                values.append(value)
                if dialect == .sqlite {
                    sql.append(UInt8(ascii: "?"))
                } else {
                    sql.append(UInt8(ascii: "$"))
                    sql.append(contentsOf: String(values.count).utf8)
                }
            case .dialect(let sqlite, let postgres):
                (dialect == .sqlite ? sqlite : postgres).render(into: &sql, values: &values, dialect: dialect)
            }
        }
    }
}
