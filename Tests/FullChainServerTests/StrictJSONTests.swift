import Foundation
import Testing

@testable import FullChainApp
@testable import FullChainServer

/// Request bodies are strict JSON before any decoder sees them.
@Suite("Strict JSON bodies")
struct StrictJSONTests {
    private func refusal(_ text: String) -> String? {
        refusal(Array(text.utf8))
    }

    private func refusal(_ bytes: [UInt8]) -> String? {
        do {
            try StrictJSON.check(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func acceptsWhatRFC8259Allows() {
        for body in [
            #"{}"#, #"[]"#, #" {"a": [1, -2.5e3, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"]} "#, #""s""#, "0", "-0.0E+1",
            #"{"a":{"b":{"c":[]}}}"#, #"{"名":"值"}"#, #"{"a":1,"b":1}"#,
        ] {
            #expect(refusal(body) == nil, "\(body)")
        }
    }

    @Test func refusesWhatDecodersWouldQuietlyTake() {
        let cases: [(String, String)] = [
            (#"{"a":1,"a":2}"#, "duplicate_key"),
            (#"{"a":1,"\u0061":2}"#, "duplicate_key"),
            (#"{"a":{"b":1,"b":1}}"#, "duplicate_key"),
            (#"{"a":1,}"#, "invalid_json"),
            (#"[1,2,]"#, "invalid_json"),
            (#"{"a":NaN}"#, "invalid_json"),
            (#"{"a":Infinity}"#, "invalid_json"),
            (#"{"a":-Infinity}"#, "invalid_json"),
            (#"{"a":1e309}"#, "number_out_of_range"),
            (#"{"a":-1e309}"#, "number_out_of_range"),
            (#"{"a":01}"#, "invalid_json"),
            (#"{"a":1.}"#, "invalid_json"),
            (#"{"a":.5}"#, "invalid_json"),
            (#"{'a':1}"#, "invalid_json"),
            ("// c\n{}", "invalid_json"),
            (#"{"a":1} {}"#, "invalid_json"),
            (#"{"a":"\x"}"#, "invalid_json"),
            (#"{"a":"\ud800"}"#, "invalid_json"),
            ("{\"a\":\"\t\"}", "invalid_json"),
            ("", "invalid_json"),
            (String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), "json_too_deep"),
            (String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65), "json_too_deep"),
        ]
        for (body, code) in cases {
            #expect(refusal(body) == code, "\(body.prefix(40))")
        }
        // 64 levels are fine.
        #expect(refusal(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) == nil)
    }

    @Test func refusesInvalidUTF8() {
        let prefix = Array(#"{"a":""#.utf8)
        let suffix = Array(#""}"#.utf8)
        for bad: [UInt8] in [[0xC3, 0x28], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            #expect(refusal(prefix + bad + suffix) == "invalid_utf8", "\(bad)")
        }
        #expect(refusal(prefix + Array("长城".utf8) + suffix) == nil)
    }

    @Test func queriesWithControlCharactersOrBrokenUTF8AreRefused() {
        for clean in ["q=%E9%95%BF%E5%9F%8E", "limit=5&offset=0", "q=a+b", "q=100%25", "region=%E5%8C%97%E4%BA%AC"] {
            #expect(QueryCheckMiddleware.isClean(clean), "\(clean)")
        }
        for dirty in ["q=%00", "q=a%0Ab", "q=%1F", "q=%7F", "q=%FF%FE", "q=%C3%28", "q=%", "q=%4", "q=%GG"] {
            #expect(!QueryCheckMiddleware.isClean(dirty), "\(dirty)")
        }
    }
}
