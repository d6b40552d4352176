/// The demo brand's consumers sign in through a local stand-in for WeChat, under this app id.
public enum DemoConsumers {
    public static let appID = "wxd3m0fullchain01"
}
