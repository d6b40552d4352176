import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A script or stylesheet of the web pages, served as a static file whose URL carries a
/// version of its content, so browsers keep it for long and the pages need no inline code
/// (the content security policy allows no inline script or style).
struct WebAsset: Sendable {
    let name: String
    let contentType: String
    let text: String
    /// FNV-1a of the text: changes whenever the text does.
    let version: String

    init(_ name: String, contentType: String, text: String) {
        self.name = name
        self.contentType = contentType
        self.text = text
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        version = String(hash & 0xFFFF_FFFF, radix: 16)
    }

    /// A file of `Web/Assets`; its type from its extension. A file missing from the bundle is served
    /// empty (the asset test fails on it).
    init(file name: String) {
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"
        let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Assets")
        self.init(name, contentType: type, text: url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? "")
    }

    var path: String { "/assets/" + name }
    /// The URL pages link to.
    var url: String { path + "?v=" + version }

    /// `<script src="…"></script>`: the tag pages load a script with.
    var scriptTag: Markup { #"<script src="\#(url)"></script>"# }

    /// The file, cacheable for a year (a changed file has another URL).
    func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: contentType, .cacheControl: "public, max-age=31536000, immutable", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Every script and stylesheet of the web pages: the files in `Web/Assets`, bundled with the server.
enum WebAssets {
    static let stylesheet = WebAsset(file: "app.css")
    static let scanStylesheet = WebAsset(file: "scan.css")
    static let scanScript = WebAsset(file: "scan.js")
    static let campaignEditor = WebAsset(file: "campaign-editor.js")
    static let importUpload = WebAsset(file: "import-upload.js")
    static let payoutReview = WebAsset(file: "payout-review.js")
    static let storeTasks = WebAsset(file: "store-tasks.js")
    static let segmentEditor = WebAsset(file: "segment-editor.js")
    static let journeyEditor = WebAsset(file: "journey-editor.js")

    static let storeDesk = WebAsset(file: "store-desk.js")
    static let apiForm = WebAsset(file: "api-form.js")

    static let all = [
        stylesheet, scanStylesheet, scanScript, campaignEditor, importUpload, payoutReview, storeTasks, segmentEditor, journeyEditor, storeDesk,
        apiForm,
    ]

    static func register(on router: RouterGroup<AppRequestContext>) {
        for asset in all {
            router.get(RouterPath(asset.path)) { _, _ in asset.response() }
        }
    }
}
