/// One API request: method, path (with its query), optional body.
public struct RESTRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [(String, String)]
    public var body: [UInt8]?
    public var contentType: String

    public init(method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                contentType: String = "application/json") {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.contentType = contentType
    }

    /// Only requests that cannot change anything are retried after a failure in flight (client-go
    /// retries GET on a reset connection; any verb when the request never left).
    var isIdempotent: Bool { method == "GET" || method == "HEAD" }

    /// `path?name=value&…`, percent-encoded.
    var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    static func escape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }
}

/// A complete response.
public struct RESTResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name }?.1
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
