import Foundation
public import Logging

/// Text log lines on standard error, as swift-log's `StreamLogHandler` writes them
/// (`time level label : key=value [source] message`), but metadata is rendered only when a line
/// is written: the server sets a request id on every request's logger, and most requests log nothing.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    let label: String

    public init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data(line(for: event, at: Self.timestamp()).utf8))
    }

    /// The line for one event, metadata keys in order (the line's own metadata wins).
    func line(for event: LogEvent, at time: String) -> String {
        var fields = metadata
        for (key, value) in metadataProvider?.get() ?? [:] { fields[key] = value }
        for (key, value) in event.metadata ?? [:] { fields[key] = value }
        let rendered = fields.keys.sorted().map { "\($0)=\(fields[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
        return "\(time) \(event.level) \(label) :\(rendered.isEmpty ? "" : " " + rendered) [\(event.source)] \(event.message)\n"
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
