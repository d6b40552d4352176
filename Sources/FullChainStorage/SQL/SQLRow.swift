import FullChainCore

/// One result row, read by column name.
public struct SQLRow: Sendable {
    let columns: [String: Int]
    let values: [SQLValue]

    public init(columns: [String: Int], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ name: String) -> SQLValue {
        guard let index = columns[name], index < values.count else { return .null }
        return values[index]
    }

    public func int(_ name: String) throws(StorageError) -> Int64 {
        guard let value = optionalInt(name) else { throw .corruptRow("\(name) is not an integer") }
        return value
    }

    public func optionalInt(_ name: String) -> Int64? {
        switch self[name] {
        case .integer(let value): value
        case .real(let value): Int64(exactly: value.rounded())
        case .text(let text): Int64(text)
        case .null, .blob: nil
        }
    }

    public func double(_ name: String) -> Double? {
        switch self[name] {
        case .integer(let value): Double(value)
        case .real(let value): value
        case .text(let text): Double(text)
        case .null, .blob: nil
        }
    }

    /// A position stored as latitude and longitude columns, when both hold a valid one.
    func geoPoint(_ latitude: String = "latitude", _ longitude: String = "longitude") -> GeoPoint? {
        double(latitude).flatMap { lat in double(longitude).flatMap { GeoPoint(latitude: lat, longitude: $0) } }
    }

    public func string(_ name: String) throws(StorageError) -> String {
        guard let value = optionalString(name) else { throw .corruptRow("\(name) is not text") }
        return value
    }

    public func optionalString(_ name: String) -> String? {
        switch self[name] {
        case .text(let text): text
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .null, .blob: nil
        }
    }

    /// Bytes stored as a blob.
    public func bytes(_ name: String) throws(StorageError) -> [UInt8] {
        guard case .blob(let bytes) = self[name] else { throw .corruptRow("\(name) is not bytes") }
        return bytes
    }

    public func bool(_ name: String) -> Bool { (optionalInt(name) ?? 0) != 0 }
}
