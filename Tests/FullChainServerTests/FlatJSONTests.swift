import Foundation
import FullChainCore
import Testing

@testable import FullChainApp
@testable import FullChainServer

/// Scan bodies read without `JSONDecoder` read as it reads them, and whatever the fast reader
/// declines is left to the decoder.
@Suite("Flat JSON bodies")
struct FlatJSONTests {
    /// What the server takes from a body: the fast reader's value when it has one, else the decoder's.
    private func read(_ body: String) -> ScanInput? {
        let bytes = Array(body.utf8)
        if let object = FlatJSONObject(bytes), let input = ScanInput(flat: object) { return input }
        return try? JSONDecoder().decode(ScanInput.self, from: Data(bytes))
    }

    private func same(_ a: ScanInput?, _ b: ScanInput?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.code == b.code && a.latitude == b.latitude && a.longitude == b.longitude && a.coordinateSystem == b.coordinateSystem
            && a.deviceID == b.deviceID && a.openid == b.openid && a.phone == b.phone && a.scannedAt == b.scannedAt
    }

    static let bodies = [
        #"{"code":"ABC123","latitude":39.95,"longitude":116.48,"deviceID":"d-1"}"#,
        #" { "code" : "ABC" , "latitude" : -0.5e-3 , "longitude" : 1E2 , "scannedAt" : 1795363200123 , "phone" : "13800138000" } "#,
        #"{"code":"扫码","openid":"o_中文","coordinateSystem":"gcj02","latitude":30,"longitude":114}"#,
        #"{"code":null,"latitude":null,"longitude":null,"extra":true,"more":false,"other":null}"#,
        #"{}"#,
        #"{"code":"A\"B","deviceID":"x\u0041"}"#,
        #"{"code":"ABC","nested":{"a":1}}"#,
        #"{"code":"ABC","list":[1,2]}"#,
        #"{"code":5}"#,
        #"{"code":"ABC","scannedAt":1.0}"#,
        #"{"code":"ABC","scannedAt":1e3}"#,
        #"{"code":"ABC","scannedAt":99999999999999999999}"#,
        #"{"code":"ABC","latitude":1e400,"longitude":0}"#,
        #"{"code":"ABC","latitude":"39.9"}"#,
        #"{"code":"ABC","code":"DEF"}"#,
        #"{"code":"ABC",}"#,
        #"{"code":"ABC"} x"#,
        #"{"code":"ABC""#,
        #"{"code":"ABC","latitude":01}"#,
        #"{"code":"ABC","latitude":-}"#,
        #"{"code":"ABC","latitude":1.}"#,
        #"{"code":"ABC","flag":tru}"#,
        "{\"code\":\"A\u{01}B\"}",
        #"[{"code":"ABC"}]"#,
        #""ABC""#,
        "",
    ]

    @Test(arguments: bodies)
    func readsAsTheDecoderReads(_ body: String) {
        let expected = try? JSONDecoder().decode(ScanInput.self, from: Data(body.utf8))
        #expect(same(read(body), expected))
    }

    @Test func readsPlainScansItself() throws {
        let object = try #require(FlatJSONObject(Array(#"{"code":"ABC","latitude":39.95,"longitude":116.48,"deviceID":"d-1","scannedAt":-7}"#.utf8)))
        let input = try #require(ScanInput(flat: object))
        #expect(input.code == "ABC" && input.latitude == 39.95 && input.longitude == 116.48 && input.deviceID == "d-1" && input.scannedAt == -7)
        #expect(object["deviceID"] == .string("d-1"))
    }

    @Test func declinesWhatItDoesNotRead() throws {
        for body in [#"{"code":"A\"B"}"#, #"{"a":{"b":1}}"#, #"{"a":1,"a":2}"#, #"{"a":1}}"#, #"{"a" 1}"#] {
            #expect(FlatJSONObject(Array(body.utf8)) == nil, "\(body)")
        }
        // Bad UTF-8 inside a string.
        #expect(FlatJSONObject([UInt8](#"{"code":""#.utf8) + [0xFF, 0xFE] + [UInt8](#""}"#.utf8)) == nil)
        let mistyped = try #require(FlatJSONObject(Array(#"{"code":7}"#.utf8)))
        #expect(ScanInput(flat: mistyped) == nil)
    }
}
