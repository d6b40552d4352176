import Logging
import Testing

@testable import FullChainApp
@testable import FullChainServer

/// Text log lines carry the logger's metadata, the provider's and the line's own, in key order.
@Suite("Text log lines")
struct TextLogHandlerTests {
    @Test func rendersMetadataOnlyInTheLine() {
        var handler = TextLogHandler(label: "fullchain", level: .info, metadataProvider: Logger.MetadataProvider { ["trace": "t1"] })
        handler[metadataKey: "hb.request.id"] = "42"
        handler[metadataKey: "tenant"] = "demo"
        let event = LogEvent(
            level: .warning, message: "scan refused", metadata: ["tenant": "other", "code": "ABC"],
            source: "FullChainServer", file: #fileID, function: #function, line: #line)
        #expect(
            handler.line(for: event, at: "2026-12-02T10:00:00+0000")
                == "2026-12-02T10:00:00+0000 warning fullchain : code=ABC hb.request.id=42 tenant=other trace=t1 [FullChainServer] scan refused\n")
    }

    @Test func writesNoMetadataPartWhenThereIsNone() {
        let handler = TextLogHandler(label: "fullchain", level: .info)
        let event = LogEvent(level: .info, message: "listening", metadata: nil, source: "fullchain", file: #fileID, function: #function, line: #line)
        #expect(handler.line(for: event, at: "T") == "T info fullchain : [fullchain] listening\n")
    }
}
