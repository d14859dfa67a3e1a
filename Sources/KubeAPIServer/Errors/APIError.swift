import KubeModel

/// The one error vocabulary of the API server. Every failure a request can meet is one of these,
/// and each maps onto the Kubernetes `Status` (reason, code, message, details) that upstream's
/// API server returns for it, so clients (kubectl, client-go, the Python client) react the same.
public enum APIError: Error, Equatable, Sendable {
    /// 400: malformed body, bad query parameter, bad selector.
    case badRequest(String)
    /// 401.
    case unauthorized
    /// 403, e.g. creating in a terminating namespace.
    case forbidden(resource: GroupResource, name: String, message: String, causeReason: String? = nil)
    /// 404 for an object.
    case notFound(resource: GroupResource, name: String)
    /// 404 for a path that names no resource.
    case pathNotFound(String)
    /// 405.
    case methodNotAllowed
    /// 406.
    case notAcceptable
    /// 409, create of an existing name.
    case alreadyExists(resource: GroupResource, name: String)
    /// 409, stale resourceVersion or precondition.
    case conflict(resource: GroupResource, name: String, message: String)
    /// 409, server-side apply found fields owned by other managers (`FieldManagerConflict` causes).
    case applyConflict(message: String, causes: [FieldCause])
    /// 410, resourceVersion compacted.
    case expired(String)
    /// 413.
    case requestEntityTooLarge(String)
    /// 415.
    case unsupportedMediaType(String)
    /// 422 with field causes.
    case invalid(kind: String, group: String, name: String, causes: [FieldCause])
    /// 429, with upstream's generic message unless one is given (evictions blocked by a
    /// disruption budget carry their own message and causes).
    case tooManyRequests(retryAfterSeconds: Int, message: String? = nil, causes: [FieldCause] = [])
    /// 500: only for faults of the server itself (the store failing), never for bad input.
    case internalError(String)
    /// 504.
    case timeout(String)

    public struct GroupResource: Equatable, Sendable, CustomStringConvertible {
        public var group: String
        public var resource: String

        public init(group: String, resource: String) {
            self.group = group
            self.resource = resource
        }

        /// `pods`, `deployments.apps` — as upstream prints it in messages.
        public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
    }

    /// One invalid field: `spec.containers[0].name: Required value`.
    public struct FieldCause: Equatable, Sendable {
        /// `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, `FieldValueDuplicate`,
        /// `FieldValueForbidden`, `FieldValueTooLong`, `FieldValueTypeInvalid`.
        public var reason: String
        public var field: String
        public var message: String

        public init(reason: String, field: String, message: String) {
            self.reason = reason
            self.field = field
            self.message = message
        }

        public static func required(_ field: String, _ detail: String = "") -> FieldCause {
            FieldCause(reason: "FieldValueRequired", field: field, message: "Required value" + (detail.isEmpty ? "" : ": \(detail)"))
        }

        public static func invalid(_ field: String, value: String, _ detail: String) -> FieldCause {
            FieldCause(reason: "FieldValueInvalid", field: field, message: "Invalid value: \"\(value)\": \(detail)")
        }

        public static func notSupported(_ field: String, value: String, supported: [String]) -> FieldCause {
            let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
            return FieldCause(reason: "FieldValueNotSupported", field: field,
                              message: "Unsupported value: \"\(value)\": supported values: \(list)")
        }

        public static func forbidden(_ field: String, _ detail: String) -> FieldCause {
            FieldCause(reason: "FieldValueForbidden", field: field, message: "Forbidden: \(detail)")
        }

        public static func duplicate(_ field: String, value: String) -> FieldCause {
            FieldCause(reason: "FieldValueDuplicate", field: field, message: "Duplicate value: \"\(value)\"")
        }
    }
}
