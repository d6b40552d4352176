/// The demo brand's consumers sign in through local stand-ins: for WeChat, under this app id,
/// and for Tencent Cloud SMS, under this application, signature and template.
public enum DemoConsumers {
    public static let appID = "wxd3m0fullchain01"
    public static let smsAppID = "1400900001"
    public static let smsSignName = "FullChain演示"
    public static let smsTemplateID = "2100001"
}
