import Foundation
import KubeModel

/// Why a strategic merge patch cannot be applied, worded as upstream's `strategicpatch` and
/// `mergepatch` errors, with the status upstream's PATCH handler answers it with.
enum StrategicMergePatchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The patch body is not a JSON object (upstream: the JSON decoder's message).
    case notAnObject(String)
    /// `$deleteFromPrimitiveList` without `/<field>`.
    case badPrimitiveListFormat
    /// `$retainKeys` that is not a list, or a patched field missing from it.
    case badRetainKeysFormat
    /// `$setElementOrder` without `/<field>`, or not matching the patch list.
    case badSetElementOrderFormat
    /// A list whose items are lists.
    case listOfLists
    /// Anything else: a missing merge key, an unknown `$patch`, mismatched list items….
    case other(String)

    var description: String {
        switch self {
        case .notAnObject(let message): message
        case .badPrimitiveListFormat: "invalid patch format of primitive list"
        case .badRetainKeysFormat: "invalid patch format of retainKeys"
        case .badSetElementOrderFormat: "invalid patch format of setElementOrder list"
        case .listOfLists: "lists of lists are not supported"
        case .other(let message): message
        }
    }

    /// The API error: malformed directives are 400, lists of lists 422 as upstream. Upstream
    /// answers the remaining application errors with a bare 500; they are the client's fault,
    /// so they are a 400 here.
    var apiError: APIError {
        switch self {
        case .listOfLists: .patchNotApplicable(description)
        default: .badRequest(description)
        }
    }

    // MARK: Upstream's error constructors

    /// `map: map[value:b] does not contain declared merge key: name`
    static func noMergeKey(_ map: [String: JSONValue], _ key: String) -> Self {
        .other("map: \(JSONValue.object(map).goDescription) does not contain declared merge key: \(key)")
    }

    /// `expected a map[string]interface {}, but received a string`
    static func badArgType(expected: String, actual: JSONValue?) -> Self {
        let actualType = actual.map { $0 == .null ? "%!s(<nil>)" : $0.goTypeName } ?? "%!s(<nil>)"
        return .other("expected a \(expected), but received a \(actualType)")
    }

    static let mapType = "map[string]interface {}"
    static let sliceType = "[]interface {}"

    /// `unknown patch type: foo in map: map[$patch:foo name:a]`
    static func badPatchType(_ directive: JSONValue, _ map: [String: JSONValue]) -> Self {
        .other("unknown patch type: \(directive.goStringVerb) in map: \(JSONValue.object(map).goDescription)")
    }

    static func unexpectedStrategy(_ strategies: [String]) -> Self {
        .other("unexpected patch strategy: [\(strategies.joined(separator: " "))]")
    }
}

extension APIError {
    /// A patch that is well-formed but cannot be applied (a failed JSON patch `test`, a path
    /// that does not exist): 422 `Invalid`, with the reason as the `patch` field's cause.
    static func patchNotApplicable(_ detail: String) -> APIError {
        .invalid(kind: "", group: "", name: "", causes: [
            FieldCause(reason: "FieldValueInvalid", field: "patch", message: detail)])
    }

    /// The patched object does not decode as the kind: 422 as upstream
    /// (`patch: Invalid value: "…": <decoding error>`).
    static func patchedObjectInvalid(_ patched: String, _ detail: String) -> APIError {
        let quoted = patched.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return .invalid(kind: "", group: "", name: "", causes: [.invalid("patch", value: quoted, detail)])
    }
}
