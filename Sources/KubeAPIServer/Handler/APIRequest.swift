import Foundation

/// A request as the resource handlers see it: already authenticated, its path parsed, its body
/// read (bounded) — independent of HTTP/1.1 vs HTTP/2 and of the server library.
public struct APIRequest: Sendable {
    public var info: RequestInfo
    /// Query parameters; a parameter may repeat (`command=ls&command=-l`).
    public var query: [String: [String]]
    /// `Content-Type` without parameters, lower-cased (`application/json`,
    /// `application/strategic-merge-patch+json`, `application/apply-patch+yaml`, ...).
    public var contentType: String
    /// The request body (empty for GET/DELETE without options).
    public var body: Data
    public var user: UserInfo
    /// The `User-Agent` header (names the field manager of writes without `fieldManager`).
    public var userAgent: String
    /// Set by server-side apply, which records managedFields itself, on the writes it makes.
    var managedFieldsRecorded = false
    /// Fires when the client goes away (set by the HTTP layer on watches).
    public var connectionClosed: ConnectionClosedSignal?

    public init(info: RequestInfo, query: [String: [String]] = [:], contentType: String = "",
                body: Data = Data(), user: UserInfo, userAgent: String = "") {
        self.info = info
        self.query = query
        self.contentType = contentType
        self.body = body
        self.user = user
        self.userAgent = userAgent
    }

    /// The first value of a query parameter.
    public func parameter(_ name: String) -> String? { query[name]?.first }
}
