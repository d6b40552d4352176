import Testing

@testable import FullChainServer

/// The web layer escapes by default: literals are markup, every other value is escaped unless it is `Markup`.
@Suite("HTML writer")
struct HTMLWriterTests {
    static let hostile = #"<img src=x onerror="alert('x')">&amp;"#
    static let escaped = "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;"

    @Test func literalsAreMarkupAndStringsAreText() {
        var out = HTMLWriter()
        let name = Self.hostile
        out += "<td>"
        out += name
        out += "</td>"
        #expect(out.html == "<td>" + Self.escaped + "</td>")
    }

    @Test func interpolatedValuesAreEscapedUnlessMarkup() {
        var out = HTMLWriter()
        let name = Self.hostile
        let count = 3
        let badge: Markup = #"<span class="badge">ok</span>"#
        out += #"<a title="\#(name)">\#(count) \#(badge)</a>"#
        #expect(out.html == #"<a title=""# + Self.escaped + #"">3 <span class="badge">ok</span></a>"#)
    }

    /// A literal beside a `String` in a conditional is a `String` too: escaped, never trusted.
    @Test(arguments: [true, false])
    func aStringConditionalIsText(useName: Bool) {
        var out = HTMLWriter()
        let name = Self.hostile
        out += useName ? name : "<b>none</b>"
        #expect(out.html == (useName ? Self.escaped : "&lt;b&gt;none&lt;/b&gt;"))
    }

    @Test func joinedTextsKeepTheirMarkupSeparator() {
        var out = HTMLWriter()
        out.appendJoined(["a<b", "c"], separator: "</th><th>")
        out.appendEscaped(nil, placeholder: "—")
        #expect(out.html == "a&lt;b</th><th>c—")
    }

    @Test func aWriterPlacedInAnotherIsNotEscapedTwice() {
        var inner = HTMLWriter()
        inner += #"<span class="badge">"#
        inner += Self.hostile
        inner += "</span>"
        var out = HTMLWriter()
        out += inner.markup + Markup(text: "&")
        #expect(out.html == #"<span class="badge">"# + Self.escaped + "</span>&amp;")
    }
}
