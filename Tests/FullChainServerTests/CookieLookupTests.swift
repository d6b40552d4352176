import Hummingbird
import Testing

@testable import FullChainServer

/// One cookie found in a `Cookie` header without parsing the rest.
@Suite("Cookie lookup")
struct CookieLookupTests {
    @Test(
        arguments: [
            ("fc_session=abc", "fc_session", "abc"),
            ("a=1; fc_consumer=12.x+/y==; fc_lang=en", "fc_consumer", "12.x+/y=="),
            ("a=1;fc_lang=en", "fc_lang", "en"),
            ("xfc_lang=zh; fc_lang=en", "fc_lang", "en"),
            ("fc_lang=; other=1", "fc_lang", ""),
            ("fc_lang", "fc_lang", nil),
            ("fc_langx=1", "fc_lang", nil),
            ("", "fc_lang", nil),
            (";;; ;", "fc_lang", nil),
        ] as [(String, String, String?)])
    func findsExactlyTheNamedCookie(_ header: String, _ name: String, _ value: String?) {
        #expect(Request.cookie(named: name, in: header) == value)
    }
}
