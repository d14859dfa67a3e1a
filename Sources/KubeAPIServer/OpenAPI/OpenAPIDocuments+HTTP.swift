import Foundation
import Hummingbird

/// `GET /openapi/v3[/<entry>]` with upstream's caching semantics: a quoted ETag (the hash) and
/// `If-None-Match` → 304; for a document asked with the current `?hash=`, `Cache-Control: public,
/// immutable` and an `Expires` a year ahead; with a stale hash, a 301 to the current URL;
/// without one, `no-cache, private` (what upstream's default filter sets). JSON only: an Accept
/// that rules JSON out gets 406 (upstream would offer protobuf).
extension OpenAPIDocuments {
    static let pathPrefix = "/openapi/v3"

    /// Whether `path` is served here.
    public static func handles(_ path: String) -> Bool {
        path == pathPrefix || path.hasPrefix(pathPrefix + "/")
    }

    public func response(path: String, query: String?, headers: HTTPFields) -> Response {
        let key = path.dropFirst(Self.pathPrefix.count).split(separator: "/").joined(separator: "/")
        var extra = HTTPFields()
        if key.isEmpty {
            let document = discovery()
            extra[.cacheControl] = "no-cache, private"
            return Self.send(document, headers: headers, extra: extra)
        }
        guard let document = document(for: key) else { return ResponseRenderer.error(.pathNotFound(path)) }
        let accept = MediaType.acceptList(headers[.accept])
        if !accept.isEmpty && !accept.contains(where: \.matchesJSON) {
            return ResponseRenderer.error(.notAcceptable)
        }
        extra[.vary] = "Accept"
        let hash = APIResponder.queryParameters(query)["hash"]?.first ?? ""
        if hash.isEmpty {
            extra[.cacheControl] = "no-cache, private"
        } else if hash != document.hash {
            extra[.location] = Self.serverRelativeURL(key: key, hash: document.hash)
            extra[.eTag] = Self.quoted(document.hash)
            extra[.contentLength] = "0"
            return Response(status: .movedPermanently, headers: extra)
        } else {
            extra[.cacheControl] = "public, immutable"
            extra[.expires] = Self.httpDate(Date().addingTimeInterval(365 * 24 * 3600))
        }
        return Self.send(document, headers: headers, extra: extra)
    }

    /// 200 with the document, or 304 when the client already has it.
    static func send(_ document: Document, headers: HTTPFields, extra: HTTPFields) -> Response {
        var extra = extra
        let etag = quoted(document.hash)
        extra[.eTag] = etag
        if let ifNoneMatch = headers[.ifNoneMatch],
           ifNoneMatch.split(separator: ",").contains(where: { let tag = $0.trimmingCharacters(in: .whitespaces); return tag == etag || tag == "*" }) {
            return Response(status: .notModified, headers: extra)
        }
        return ResponseRenderer.response(.ok, contentType: "application/json", body: Data(document.bytes), extraHeaders: extra)
    }

    static func quoted(_ hash: String) -> String { "\"\(hash)\"" }

    /// An HTTP date (`Mon, 02 Jan 2006 15:04:05 GMT`).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
