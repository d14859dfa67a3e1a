import Foundation
import KubeModel

/// managedFields of creates, updates and non-apply patches (server-side apply records its own).
extension ResourceRegistry {
    /// The manager a write is recorded under: `fieldManager`, else the user agent's product name.
    static func fieldManager(_ request: APIRequest) throws -> String {
        if let manager = request.parameter("fieldManager"), !manager.isEmpty {
            guard manager.utf8.count <= 128 else {
                throw APIError.badRequest("fieldManager: Invalid value: \"\(manager)\": must be less than or equal to 128 characters")
            }
            return manager
        }
        return ManagedFields.defaultManager(userAgent: request.userAgent)
    }

    /// Sets `object.metadata.managedFields` for a write by the request's manager: `old` nil on
    /// create; `subresource` for `status`, `scale` and the like. `newTree` is the JSON tree of
    /// `object` when the caller has it already (then the whole tree is compared); an update
    /// compares only the top-level members that changed and builds no tree of the whole object.
    func recordManagedFields(_ object: inout any KubeObject, old: (any KubeObject)?,
                             newTree: JSONValue? = nil, _ request: APIRequest,
                             resource: KubeResource, subresource: String?) throws {
        guard !request.managedFieldsRecorded else { return }
        let manager = try Self.fieldManager(request)
        let gvk = GroupVersionKind(group: resource.group, version: resource.version, kind: resource.kind)
        let entries = ManagedFields.baseEntries(
            requested: object.metadata.managedFields, live: old?.metadata.managedFields, subresource: subresource)
        // An update compares only the top-level members that changed (a Lease renewal its spec,
        // a status write its status): the members left out are equal on both sides, and the
        // comparison finds the same differences without building the rest.
        let compared: (old: JSONValue?, new: JSONValue)
        if let old, let members = try Self.differingMembers(of: object, from: old) {
            compared = (members.old, members.new)
        } else {
            compared = (try old.map { try Self.json($0) }, try newTree ?? Self.json(object))
        }
        let recorded = ManagedFields.recordUpdate(
            old: compared.old, new: compared.new, manager: manager,
            subresource: subresource, entries: entries, gvk: gvk,
            storedEntries: old != nil && entries == (old?.metadata.managedFields ?? []))
        object.metadata.managedFields = recorded.isEmpty ? nil : recorded
    }

    /// Both objects' JSON of the top-level members in which `new` differs from `old` (see
    /// ``KubeObject/jsonValues(ofMembersDifferingFrom:)``); nil when they are of different types.
    static func differingMembers(of new: any KubeObject, from old: any KubeObject) throws -> (old: JSONValue, new: JSONValue)? {
        func open<T: KubeObject>(_ new: T) throws -> (old: JSONValue, new: JSONValue)? {
            guard let old = old as? T else { return nil }
            let members = try new.jsonValues(ofMembersDifferingFrom: old)
            return (members.other, members.mine)
        }
        return try open(new)
    }
}
