import Foundation
import KubeModel
import KubeStore

/// PATCH: JSON patch, JSON merge patch and strategic merge patch on the main resource and its
/// `status` subresource (the `scale` subresource: ResourceRegistry+Subresources.swift).
extension ResourceRegistry {
    func patch(_ request: APIRequest, resource: KubeResource, mode: UpdateMode) async throws -> APIResult {
        if request.contentType == Self.applyContentType { return try await serverSideApply(request, resource: resource, mode: mode) }
        let schema = Self.patchSchema(group: resource.group, version: resource.version, kind: resource.kind)
        let patch = try ResourcePatch(contentType: request.contentType, body: request.body, strategicSchema: schema)
        let directive = try FieldValidation.directive(request, optionsKind: "PatchOptions")
        let kind = GroupVersionKind(group: resource.group, version: resource.version, kind: resource.kind)
        var attempt = 0
        while true {
            let (current, _) = try await fetch(request, resource: resource)
            let patched = try Self.patchedJSON(current, patch, schema: schema, resource: Self.groupResource(resource))
            // Unknown fields the patch brought in: an error (Strict) or warnings (Warn).
            let warnings = try FieldValidation.check(json: patched, duplicates: [], kind: kind, mode: directive)
            let object = try Self.decodePatched(patched, as: resource)
            do {
                return try await write(object, request, resource: resource, mode: mode).addingWarnings(warnings)
            } catch APIError.conflict(let r, let n, let m) {
                // The object changed between read and write: patch the new version (the patch
                // itself pins no stale resourceVersion, that was checked above).
                attempt += 1
                if attempt == 5 { throw APIError.conflict(resource: r, name: n, message: m) }
            }
        }
    }

    /// The OpenAPI schema of a built-in kind (nil for kinds the schema does not know, which
    /// cannot take a strategic merge patch).
    static func patchSchema(group: String, version: String, kind: String) -> SchemaNode? {
        APISchema.builtIn.schema(for: GroupVersionKind(group: group, version: version, kind: kind))
    }

    /// `current` with the patch applied, keeping its resourceVersion unless the patch sets one:
    /// a patch that pins another version than the current one is a 409 (optimistic locking
    /// through the patch, as upstream).
    static func patchedJSON(_ current: any KubeObject, _ patch: ResourcePatch, schema: SchemaNode?,
                            resource: APIError.GroupResource) throws -> JSONValue {
        var patched = try patch.apply(to: json(current), schema: schema)
        if case .strategic = patch { patched = Self.withoutPatchDirectives(patched) }
        let currentVersion = current.metadata.resourceVersion ?? ""
        let patchedVersion = patched.value(at: "metadata.resourceVersion")?.stringValue ?? ""
        if patchedVersion.isEmpty {
            if case .object = patched["metadata"] ?? .null {
                var metadata = patched["metadata"]!
                metadata.set("resourceVersion", .string(currentVersion))
                patched.set("metadata", metadata)
            }
        } else if patchedVersion != currentVersion {
            throw APIError.conflict(resource: resource, name: current.metadata.name ?? "", message: conflictMessage)
        }
        return patched
    }

    /// The patched JSON decoded as the kind; what no longer fits the kind is a 422 as upstream.
    static func decodePatched(_ patched: JSONValue, as resource: KubeResource) throws -> any KubeObject {
        let bytes = patched.serialized()
        do {
            return try decodeBody(Data(bytes), as: resource)
        } catch APIError.badRequest(let message) {
            throw APIError.patchedObjectInvalid(String(decoding: bytes, as: UTF8.self), message)
        }
    }

    /// The value without strategic-merge directives (`$patch`, `$retainKeys`,
    /// `$setElementOrder/…`, `$deleteFromPrimitiveList/…`) that a merge left behind in newly
    /// added elements: they are never fields of an object.
    static func withoutPatchDirectives(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, member) in members {
                if key == "$patch" || key == "$retainKeys" || key.hasPrefix("$setElementOrder/")
                    || key.hasPrefix("$deleteFromPrimitiveList/") { continue }
                kept[key] = withoutPatchDirectives(member)
            }
            return .object(kept)
        case .array(let items):
            return .array(items.map(withoutPatchDirectives))
        default:
            return value
        }
    }
}
