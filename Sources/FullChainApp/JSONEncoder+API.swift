public import Foundation

extension JSONEncoder {
    /// The API's JSON (responses, import reports): sorted keys so output is stable.
    public static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
