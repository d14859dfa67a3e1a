import KubeModel

extension APIError {
    /// The HTTP status code.
    public var code: Int32 {
        switch self {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound, .pathNotFound: 404
        case .methodNotAllowed: 405
        case .notAcceptable: 406
        case .alreadyExists, .conflict, .applyConflict: 409
        case .expired: 410
        case .requestEntityTooLarge: 413
        case .unsupportedMediaType: 415
        case .invalid: 422
        case .tooManyRequests: 429
        case .internalError: 500
        case .timeout: 504
        }
    }

    /// The `Status.reason` upstream uses.
    public var reason: String {
        switch self {
        case .badRequest: "BadRequest"
        case .unauthorized: "Unauthorized"
        case .forbidden: "Forbidden"
        case .notFound, .pathNotFound: "NotFound"
        case .methodNotAllowed: "MethodNotAllowed"
        case .notAcceptable: "NotAcceptable"
        case .alreadyExists: "AlreadyExists"
        case .conflict, .applyConflict: "Conflict"
        case .expired: "Expired"
        case .requestEntityTooLarge: "RequestEntityTooLarge"
        case .unsupportedMediaType: "UnsupportedMediaType"
        case .invalid: "Invalid"
        case .tooManyRequests: "TooManyRequests"
        case .internalError: "InternalError"
        case .timeout: "Timeout"
        }
    }

    /// The message, worded as upstream's.
    public var message: String {
        switch self {
        case .badRequest(let m), .expired(let m), .requestEntityTooLarge(let m), .timeout(let m): m
        case .unauthorized: "Unauthorized"
        case .forbidden(let r, let name, let m, _): "\(r) \"\(name)\" is forbidden: \(m)"
        case .notFound(let r, let name): "\(r) \"\(name)\" not found"
        case .pathNotFound: "the server could not find the requested resource"
        case .methodNotAllowed: "the server does not allow this method on the requested resource"
        case .notAcceptable:
            "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf"
        case .alreadyExists(let r, let name): "\(r) \"\(name)\" already exists"
        case .conflict(let r, let name, let m): "Operation cannot be fulfilled on \(r) \"\(name)\": \(m)"
        case .unsupportedMediaType(let type):
            "the body of the request was in an unknown format - accepted media types include: "
                + "application/json, application/yaml, application/apply-patch+yaml, "
                + "application/json-patch+json, application/merge-patch+json, "
                + "application/strategic-merge-patch+json" + (type.isEmpty ? "" : " (got \(type))")
        case .invalid(let kind, let group, let name, let causes):
            Self.invalidMessage(kind: group.isEmpty ? kind : "\(kind).\(group)", name: name, causes: causes)
        case .tooManyRequests(_, let message, _): message ?? "Too many requests, please try again later."
        case .internalError(let m): "Internal error occurred: \(m)"
        case .applyConflict(let m, _): m
        }
    }

    /// `Pod "x" is invalid: spec.containers[0].name: Required value` (several causes: in brackets;
    /// the kind qualified by its group, `Deployment.apps`, as upstream's `GroupKind.String()`).
    static func invalidMessage(kind: String, name: String, causes: [FieldCause]) -> String {
        let rendered = causes.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }
        let list = rendered.count == 1 ? rendered[0] : "[" + rendered.joined(separator: ", ") + "]"
        return "\(kind) \"\(name)\" is invalid: \(list)"
    }

    /// The `Status` object sent as the response body.
    public var status: MetaV1.Status {
        var details: MetaV1.StatusDetails?
        switch self {
        case .notFound(let r, let name), .alreadyExists(let r, let name), .conflict(let r, let name, _):
            details = MetaV1.StatusDetails(group: r.group.isEmpty ? nil : r.group, kind: r.resource, name: name)
        case .forbidden(let r, let name, _, let causeReason):
            details = MetaV1.StatusDetails(
                causes: causeReason.map { [MetaV1.StatusCause(message: message, reason: $0)] },
                group: r.group.isEmpty ? nil : r.group, kind: r.resource, name: name)
        case .invalid(let kind, let group, let name, let causes):
            details = MetaV1.StatusDetails(
                causes: causes.map { MetaV1.StatusCause(field: $0.field, message: $0.message, reason: $0.reason) },
                group: group.isEmpty ? nil : group, kind: kind, name: name)
        case .tooManyRequests(let seconds, _, let causes):
            details = MetaV1.StatusDetails(
                causes: causes.isEmpty ? nil : causes.map { MetaV1.StatusCause(field: $0.field.isEmpty ? nil : $0.field, message: $0.message, reason: $0.reason) },
                retryAfterSeconds: Int32(seconds))
        case .applyConflict(_, let causes):
            details = MetaV1.StatusDetails(causes: causes.map { MetaV1.StatusCause(field: $0.field, message: $0.message, reason: $0.reason) })
        default:
            details = nil
        }
        return MetaV1.Status(
            apiVersion: "v1", code: code, details: details, kind: "Status", message: message,
            metadata: MetaV1.ListMeta(), reason: reason, status: "Failure")
    }
}
