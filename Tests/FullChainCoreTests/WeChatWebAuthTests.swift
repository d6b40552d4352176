import FullChainCore
import Testing

/// WeChat web authorisation, as its documentation has it: the authorise address, and the
/// exchange's answers (the identity, or an `errcode` in an HTTP 200 body).
@Suite("WeChat web authorisation")
struct WeChatWebAuthTests {
    @Test func theAuthoriseAddressEncodesTheRedirectAndEndsWithTheFragmentWeChatNeeds() {
        let url = WeChatWebAuth.authorizeURL(
            base: "https://open.weixin.qq.com", appID: "wx520c15f417810387", redirect: "https://fc.example.cn/consumer/wechat/callback?x=1&y=中",
            scope: .userInfo, state: "Ab9_-")
        #expect(
            url == "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx520c15f417810387"
                + "&redirect_uri=https%3A%2F%2Ffc.example.cn%2Fconsumer%2Fwechat%2Fcallback%3Fx%3D1%26y%3D%E4%B8%AD"
                + "&response_type=code&scope=snsapi_userinfo&state=Ab9_-#wechat_redirect")
        let token = WeChatWebAuth.tokenURL(
            base: "https://api.weixin.qq.com", app: WeChatApp(appID: "wx1", secret: "s&e=c"), code: "CODE 1")
        #expect(token == "https://api.weixin.qq.com/sns/oauth2/access_token?appid=wx1&secret=s%26e%3Dc&code=CODE%201&grant_type=authorization_code")
        #expect(!"\(WeChatApp(appID: "wx1", secret: "topsecret"))".contains("topsecret"))
    }

    @Test func anAnswerGivesTheOpenidAndTheUnionidWhenBound() throws {
        let base = Array(
            #"{"access_token":"T","expires_in":7200,"refresh_token":"R","openid":"oLVPpjqs9BhvzwPj5A-vTYAX3GLc","scope":"snsapi_base"}"#.utf8)
        #expect(
            try WeChatWebAuth.answer(toToken: base, appID: "wx1").get()
                == WeChatIdentity(appID: "wx1", openid: "oLVPpjqs9BhvzwPj5A-vTYAX3GLc", unionid: nil, scope: .base))
        let bound = Array(#"{"access_token":"T","openid":"o1","scope":"snsapi_userinfo","unionid":"o6_bmasdasdsad6_2sgVt7hMZOPfL"}"#.utf8)
        let identity = try WeChatWebAuth.answer(toToken: bound, appID: "wx1").get()
        #expect(identity.unionid == "o6_bmasdasdsad6_2sgVt7hMZOPfL" && identity.scope == .userInfo)
    }

    @Test(arguments: [
        (#"{"errcode":40029,"errmsg":"invalid code"}"#, WeChatAuthFailure.invalidCode),
        (#"{"errcode":40163,"errmsg":"code been used"}"#, .codeUsed),
        (#"{"errcode":40125,"errmsg":"invalid appsecret"}"#, .badCredentials),
        (#"{"errcode":40013,"errmsg":"invalid appid"}"#, .badCredentials),
        (#"{"errcode":45011,"errmsg":"api minute-quota reach limit"}"#, .refused(code: 45011)),
        ("<html>502</html>", .unavailable),
        (#"{"access_token":"T"}"#, .unavailable),
        (#"{"access_token":"T","openid":"o<script>"}"#, .unavailable),
        (#"{"openid":"o1"}"#, .unavailable),
        (#"[1,2]"#, .unavailable),
    ])
    func refusalsAndUnreadableAnswersAreFailures(_ body: String, _ failure: WeChatAuthFailure) {
        #expect(WeChatWebAuth.answer(toToken: Array(body.utf8), appID: "wx1") == .failure(failure))
    }

    @Test func anOversizedAnswerIsNotRead() {
        let padded = #"{"access_token":"T","openid":"o1","pad":""# + String(repeating: "x", count: 20_000) + #""}"#
        #expect(WeChatWebAuth.answer(toToken: Array(padded.utf8), appID: "wx1") == .failure(.unavailable))
    }

    @Test func identifiersAndTokensAreLettersDigitsDashAndUnderscore() {
        #expect(WeChatWebAuth.isIdentifier("oLVPpjqs9BhvzwPj5A-vTYAX3GLc"))
        #expect(
            !WeChatWebAuth.isIdentifier("") && !WeChatWebAuth.isIdentifier("o 1") && !WeChatWebAuth.isIdentifier(String(repeating: "a", count: 65)))
        #expect(WeChatWebAuth.isToken("abc_DEF-123") && !WeChatWebAuth.isToken("a/b") && !WeChatWebAuth.isToken("短"))
        #expect(
            !WeChatWebAuth.isToken(String(repeating: "a", count: 129)) && WeChatWebAuth.isToken("abc", maxLength: 3)
                && !WeChatWebAuth.isToken("abcd", maxLength: 3))
    }
}
