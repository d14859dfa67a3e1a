import KubeModel

/// An API error: the server answered with a `Status` (client-go's `errors.StatusError`).
public struct StatusError: Error, Sendable, CustomStringConvertible {
    public let status: MetaV1.Status
    public var code: Int { Int(status.code ?? 0) }
    /// `NotFound`, `AlreadyExists`, `Conflict`, `Expired`, `Invalid`, …
    public var reason: String { status.reason ?? "" }
    public var message: String { status.message ?? "" }

    public init(status: MetaV1.Status) {
        self.status = status
    }

    /// A Status made up for a response that carried none (upstream's `NewGenericServerResponse`).
    init(code: Int, body: [UInt8]) {
        var status = MetaV1.Status()
        status.code = Int32(code)
        status.status = "Failure"
        status.reason = Self.reason(forCode: code)
        let text = String(decoding: body.prefix(1024), as: UTF8.self)
        status.message = text.isEmpty ? "the server responded with status \(code)" : text
        self.status = status
    }

    static func reason(forCode code: Int) -> String {
        switch code {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 405: "MethodNotAllowed"
        case 409: "Conflict"
        case 410: "Gone"
        case 413: "RequestEntityTooLarge"
        case 415: "UnsupportedMediaType"
        case 422: "Invalid"
        case 429: "TooManyRequests"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        case 504: "Timeout"
        default: "Unknown"
        }
    }

    public var isNotFound: Bool { reason == "NotFound" || (code == 404 && reason.isEmpty) }
    public var isAlreadyExists: Bool { reason == "AlreadyExists" }
    public var isConflict: Bool { reason == "Conflict" }
    public var isInvalid: Bool { reason == "Invalid" }
    /// 410: the requested resourceVersion is compacted (relist).
    public var isGone: Bool { code == 410 || reason == "Expired" || reason == "Gone" }

    public var description: String { "\(message) (\(code) \(reason))" }
}
