import Foundation
import KubeModel

/// A PATCH request body, read according to its media type, ready to apply to the JSON of the
/// current object. Errors are the API errors upstream's PATCH handler answers with: malformed
/// bodies 400, inapplicable JSON patches 422, strategic merge patch without a schema (custom
/// resources) and server-side apply 415.
enum ResourcePatch: Sendable {
    case json(JSONPatch)
    case merge(JSONValue)
    case strategic(JSONValue)

    static let jsonPatch = "application/json-patch+json"
    static let mergePatch = "application/merge-patch+json"
    static let strategicMergePatch = "application/strategic-merge-patch+json"
    static let applyPatchYAML = "application/apply-patch+yaml"
    static let applyPatchCBOR = "application/apply-patch+cbor"
    /// Upstream's limit on the operations of one JSON patch.
    static let maxJSONPatchOperations = 10_000

    /// `strategicSchema` is the schema of the kind the patch applies to; a strategic merge
    /// patch needs one.
    init(contentType: String, body: Data, strategicSchema: SchemaNode?) throws(APIError) {
        switch contentType {
        case Self.jsonPatch:
            let document = try Self.parse(body, prefix: "error decoding patch: ")
            let patch: JSONPatch
            do { patch = try JSONPatch(document) } catch { throw .badRequest("error decoding patch: \(error)") }
            if patch.operations.count > Self.maxJSONPatchOperations {
                throw .requestEntityTooLarge("The allowed maximum operations in a JSON patch is "
                                             + "\(Self.maxJSONPatchOperations), got \(patch.operations.count)")
            }
            self = .json(patch)
        case Self.mergePatch:
            let document = try Self.parse(body, prefix: "error decoding patch: ")
            switch document {
            case .object, .array: self = .merge(document)
            default: throw .badRequest("Invalid JSON Patch")
            }
        case Self.strategicMergePatch:
            guard strategicSchema != nil else { throw .unsupportedMediaType(contentType) }
            self = .strategic(try Self.parse(body, prefix: ""))
        case Self.applyPatchYAML, Self.applyPatchCBOR:
            throw .unsupportedMediaType("\(contentType); server-side apply is not supported yet")
        default:
            throw .unsupportedMediaType(contentType)
        }
    }

    /// The patched JSON. `schema` drives a strategic merge patch.
    func apply(to object: JSONValue, schema: SchemaNode?) throws(APIError) -> JSONValue {
        switch self {
        case .json(let patch):
            do { return try patch.apply(to: object) } catch { throw .patchNotApplicable(error.description) }
        case .merge(let patch):
            return JSONMergePatch.apply(patch, to: object)
        case .strategic(let patch):
            do {
                return try StrategicMergePatch().apply(patch, to: object, node: schema)
            } catch {
                throw error.apiError
            }
        }
    }

    /// The body as JSON; a syntax error is a 400.
    private static func parse(_ body: Data, prefix: String) throws(APIError) -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw .badRequest(prefix + error.description)
        }
    }
}
