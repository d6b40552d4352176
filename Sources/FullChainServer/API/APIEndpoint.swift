import FullChainApp
public import HTTPTypes
public import Hummingbird

/// One API operation: how it is reached, who may call it, what it takes and gives, and its handler.
/// The router, the OpenAPI document and the scope tests are all built from the same list.
public struct APIEndpoint: Sendable {
    /// Who may call an endpoint.
    public enum Access: Sendable, Equatable {
        /// Anyone (sign-in, health).
        case anyone
        /// Any signed-in user; the data layer scopes what they see.
        case signedIn
    }

    /// A query parameter, for the OpenAPI document.
    public struct QueryParameter: Sendable {
        public var name: String
        public var type: String
        public var description: String

        public init(_ name: String, _ type: String = "string", _ description: String) {
            self.name = name
            self.type = type
            self.description = description
        }
    }

    public var method: HTTPRequest.Method
    /// OpenAPI-style path, e.g. `/api/v1/stores/{id}`.
    public var path: String
    public var operationID: String
    public var tag: String
    public var summary: String
    public var access: Access
    /// Component schema of the JSON body, if any (`"binary"` for a raw file upload).
    public var requestSchema: String?
    /// Component schema of a successful response (`"binary"` for a file download).
    public var responseSchema: String?
    public var successStatus: HTTPResponse.Status
    public var query: [QueryParameter]
    /// Media types a success may come as besides the schema's own (a `binary` download's types,
    /// or a file export that a `format` query picks), for the OpenAPI document.
    public var alsoProduces: [String] = []
    public var handler: @Sendable (Request, AppRequestContext) async throws -> Response
    /// What `Idempotency-Key` keeps of the answers for replay.
    var replay: Idempotency.Replay = .answer

    public init(
        _ method: HTTPRequest.Method, _ path: String, id operationID: String, tag: String, summary: String, access: Access = .signedIn,
        request requestSchema: String? = nil, response responseSchema: String?, status: HTTPResponse.Status = .ok,
        query: [QueryParameter] = [], handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.operationID = operationID
        self.tag = tag
        self.summary = summary
        self.access = access
        self.requestSchema = requestSchema
        self.responseSchema = responseSchema
        self.successStatus = status
        self.query = query
        self.handler = handler
    }

    /// The same endpoint, documented as answering with these media types too.
    public func producing(_ types: [String]) -> APIEndpoint {
        var endpoint = self
        endpoint.alsoProduces = types
        return endpoint
    }

    static let spreadsheetTypes = ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]

    /// The same endpoint with another replay rule for `Idempotency-Key`.
    func replaying(_ replay: Idempotency.Replay) -> APIEndpoint {
        var endpoint = self
        endpoint.replay = replay
        return endpoint
    }

    /// The largest body the endpoint reads: an import file (and the blacklist, which also takes
    /// CSV), a photo, or JSON.
    func bodyLimit(_ configuration: AppConfiguration) -> Int {
        switch requestSchema {
        case "binary", "BlacklistEntryList": configuration.maxImportBytes
        case "image": configuration.maxPhotoBytes + 1
        default: configuration.maxJSONBytes
        }
    }

    /// The path in the router's syntax: `{id}` becomes `:id`.
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
    }

    /// Names of the path parameters, in order.
    public var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}

extension AppRequestContext {
    /// An integer path parameter; 404 when it is not a number (no such object).
    func id(_ name: String = "id") throws(APIError) -> Int64 {
        guard let text = parameters.get(name), let value = Int64(text) else { throw APIError.notFound }
        return value
    }
}

/// The paging query every list takes.
let pagingQuery: [APIEndpoint.QueryParameter] = [
    .init("limit", "integer", "page size, 1–500 (default 50)"),
    .init("offset", "integer", "rows to skip"),
    .init("q", "string", "search by name or code"),
]
