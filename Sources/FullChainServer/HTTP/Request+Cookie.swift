import HTTPTypes
import Hummingbird

extension Request {
    /// One cookie's value, found in the `Cookie` header without parsing the others (every page
    /// and signed-in scan asks for one or two; the whole header parsed as characters cost more).
    func cookie(named name: String) -> String? {
        guard let header = headers[.cookie] else { return nil }
        return Self.cookie(named: name, in: header)
    }

    static func cookie(named name: String, in header: String) -> String? {
        let target = Array(name.utf8)
        var rest = header.utf8[...]
        while !rest.isEmpty {
            while rest.first == UInt8(ascii: " ") { rest = rest.dropFirst() }
            let end = rest.firstIndex(of: UInt8(ascii: ";")) ?? rest.endIndex
            let pair = rest[..<end]
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")), pair[..<equals].elementsEqual(target) {
                return String(decoding: pair[pair.index(after: equals)...], as: UTF8.self)
            }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return nil
    }
}
