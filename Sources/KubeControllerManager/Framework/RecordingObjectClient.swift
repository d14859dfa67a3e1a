import Foundation
import KubeClient
import KubeModel
import Synchronization

/// An in-memory ``ObjectClient`` that records every call (client-go's fake clientset with its
/// object tracker): creates get a UID, a resourceVersion and a name from `generateName`;
/// updates check the resourceVersion; merge patches are applied (strategic-merge patches are
/// applied as merge patches); errors can be injected per verb and kind. Controllers' unit tests
/// seed it, run `reconcile`, and read ``actions``.
public final class RecordingObjectClient: ObjectClient {
    /// One recorded call.
    public struct Action: Sendable, Equatable, CustomStringConvertible {
        /// `create`, `update`, `patch`, `delete`, `get`, `list`, `deletecollection`.
        public var verb: String
        /// The kind (`Pod`, `ReplicaSet`).
        public var kind: String
        public var namespace: String
        public var name: String
        /// `status` for status updates and patches of the status subresource.
        public var subresource: String?
        /// The object sent (create, update) or the patch body (patch), as JSON.
        public var body: JSONValue?
        public var deleteOptions: DeleteOptions?

        public var description: String {
            "\(verb) \(kind)\(subresource.map { "/\($0)" } ?? "") \(namespace.isEmpty ? "" : namespace + "/")\(name)"
        }
    }

    private struct Key: Hashable {
        var group: String
        var kind: String
        var namespace: String
        var name: String
    }

    private struct State {
        var objects: [Key: JSONValue] = [:]
        var actions: [Action] = []
        var revision = 100
        var injected: [String: [StatusError]] = [:]
    }

    private let state = Mutex(State())

    public init(objects: [any KubeObject] = []) {
        for object in objects { seed(object) }
    }

    /// Every call so far, in order (reads included).
    public var actions: [Action] { state.withLock { $0.actions } }

    /// The writes so far (`get` and `list` left out).
    public var writes: [Action] { actions.filter { $0.verb != "get" && $0.verb != "list" } }

    public func clearActions() { state.withLock { $0.actions = [] } }

    /// Puts `object` into the store as is (no action recorded).
    public func seed(_ object: some KubeObject) {
        var object = object
        object.setTypeMeta()
        let key = Self.key(type(of: object).groupVersionKind, object.metadata.namespace, object.metadata.name ?? "")
        let json = (try? JSONValueEncoder().encode(object)) ?? .null
        state.withLock { $0.objects[key] = json }
    }

    /// The stored object of `type`, if any.
    public func object<Object: KubeObject>(_ type: Object.Type, namespace: String? = nil, name: String) -> Object? {
        let key = Self.key(Object.groupVersionKind, namespace, name)
        guard let json = state.withLock({ $0.objects[key] }) else { return nil }
        return try? JSONValueDecoder().decode(Object.self, from: json)
    }

    /// Every stored object of `type`.
    public func objects<Object: KubeObject>(_ type: Object.Type) -> [Object] {
        let gvk = Object.groupVersionKind
        let values = state.withLock { state in
            state.objects.filter { $0.key.group == gvk.group && $0.key.kind == gvk.kind }
                .sorted { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }.map(\.value)
        }
        return values.compactMap { try? JSONValueDecoder().decode(Object.self, from: $0) }
    }

    /// The next `verb` on `kind` fails with `error` (once per injection).
    public func inject(_ error: StatusError, verb: String, kind: String) {
        state.withLock { $0.injected["\(verb)/\(kind)", default: []].append(error) }
    }

    /// A Status error as the API server sends it (`NotFound`, `AlreadyExists`, `Conflict`, …).
    public static func statusError(code: Int32, reason: String, message: String) -> StatusError {
        var status = MetaV1.Status()
        status.apiVersion = "v1"
        status.kind = "Status"
        status.status = "Failure"
        status.code = code
        status.reason = reason
        status.message = message
        return StatusError(status: status)
    }

    // MARK: ObjectClient

    public func create<Object: KubeObject>(_ object: Object) async throws -> Object {
        var object = object
        object.setTypeMeta()
        if (object.metadata.name ?? "").isEmpty, let prefix = object.metadata.generateName {
            object.metadata.name = prefix + Self.randomSuffix()
        }
        let kind = Object.groupVersionKind.kind
        let name = object.metadata.name ?? ""
        let key = Self.key(Object.groupVersionKind, object.metadata.namespace, name)
        let body = try JSONValueEncoder().encode(object)
        return try state.withLock { state in
            state.actions.append(Action(verb: "create", kind: kind, namespace: key.namespace, name: name, body: body))
            try Self.takeInjected(&state, "create", kind)
            guard state.objects[key] == nil else {
                throw Self.statusError(code: 409, reason: "AlreadyExists", message: "\(kind) \"\(name)\" already exists")
            }
            state.revision += 1
            object.metadata.uid = object.metadata.uid ?? UUID().uuidString.lowercased()
            object.metadata.resourceVersion = String(state.revision)
            if object.metadata.creationTimestamp == nil { object.metadata.creationTimestamp = .now() }
            state.objects[key] = try JSONValueEncoder().encode(object)
            return object
        }
    }

    public func update<Object: KubeObject>(_ object: Object) async throws -> Object {
        try write(object, subresource: nil)
    }

    public func updateStatus<Object: KubeObject>(_ object: Object) async throws -> Object {
        try write(object, subresource: "status")
    }

    /// Records `update` with the subresource; `finalize` replaces a Namespace's `spec.finalizers`
    /// (and deletes it when it is being deleted and none remain), other subresources store the object.
    public func update<Object: KubeObject>(_ object: Object, subresource: String) async throws -> Object {
        guard subresource == "finalize", let namespace = object as? CoreV1.Namespace else {
            return try write(object, subresource: subresource)
        }
        var stored = self.object(CoreV1.Namespace.self, name: namespace.metadata.name ?? "") ?? namespace
        stored.spec.finalizers = namespace.spec.finalizers
        stored.metadata.resourceVersion = namespace.metadata.resourceVersion
        let written = try write(stored, subresource: subresource)
        if written.metadata.deletionTimestamp != nil, (written.spec.finalizers ?? []).isEmpty,
           (written.metadata.finalizers ?? []).isEmpty {
            let key = Self.key(CoreV1.Namespace.groupVersionKind, nil, written.metadata.name ?? "")
            state.withLock { $0.objects[key] = nil }
        }
        return written as! Object
    }

    private func write<Object: KubeObject>(_ object: Object, subresource: String?) throws -> Object {
        var object = object
        object.setTypeMeta()
        let kind = Object.groupVersionKind.kind
        let name = object.metadata.name ?? ""
        let key = Self.key(Object.groupVersionKind, object.metadata.namespace, name)
        let body = try JSONValueEncoder().encode(object)
        return try state.withLock { state in
            state.actions.append(Action(verb: "update", kind: kind, namespace: key.namespace, name: name,
                                        subresource: subresource, body: body))
            try Self.takeInjected(&state, "update", kind)
            guard let current = state.objects[key] else { throw Self.notFound(kind, name) }
            let currentVersion = current["metadata"]?["resourceVersion"]?.stringValue
            if let sent = object.metadata.resourceVersion, !sent.isEmpty, sent != currentVersion {
                throw Self.statusError(code: 409, reason: "Conflict", message:
                    "Operation cannot be fulfilled on \(kind) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again")
            }
            state.revision += 1
            object.metadata.resourceVersion = String(state.revision)
            state.objects[key] = try JSONValueEncoder().encode(object)
            return object
        }
    }

    public func patch<Object: KubeObject>(
        _ type: Object.Type, namespace: String?, name: String, _ patch: ObjectPatch
    ) async throws -> Object {
        let json = try applyPatch(Object.groupVersionKind, namespace: namespace, name: name, patch)
        return try JSONValueDecoder().decode(Object.self, from: json)
    }

    public func delete<Object: KubeObject>(
        _ type: Object.Type, namespace: String?, name: String, _ options: DeleteOptions
    ) async throws {
        try remove(Object.groupVersionKind, namespace: namespace, name: name, options)
    }

    public func get<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String) async throws -> Object {
        let json = try read(Object.groupVersionKind, namespace: namespace, name: name)
        return try JSONValueDecoder().decode(Object.self, from: json)
    }

    public func getMetadata(_ resource: KubeResource, namespace: String?, name: String) async throws -> PartialObjectMetadata {
        let json = try read(resource.groupVersionKind, namespace: resource.namespaced ? namespace : nil, name: name)
        return try JSONValueDecoder().decode(PartialObjectMetadata.self, from: json)
    }

    public func listMetadata(_ resource: KubeResource, namespace: String?) async throws -> [PartialObjectMetadata] {
        let values = state.withLock { state in
            state.actions.append(Action(verb: "list", kind: resource.kind, namespace: namespace ?? "", name: ""))
            return state.objects.filter {
                $0.key.group == resource.group && $0.key.kind == resource.kind
                    && (namespace == nil || !resource.namespaced || $0.key.namespace == namespace)
            }.sorted { $0.key.name < $1.key.name }.map(\.value)
        }
        return try values.map { try JSONValueDecoder().decode(PartialObjectMetadata.self, from: $0) }
    }

    public func patchMetadata(
        _ resource: KubeResource, namespace: String?, name: String, _ patch: ObjectPatch
    ) async throws -> PartialObjectMetadata {
        let json = try applyPatch(resource.groupVersionKind, namespace: resource.namespaced ? namespace : nil, name: name, patch)
        return try JSONValueDecoder().decode(PartialObjectMetadata.self, from: json)
    }

    public func delete(_ resource: KubeResource, namespace: String?, name: String, _ options: DeleteOptions) async throws {
        try remove(resource.groupVersionKind, namespace: resource.namespaced ? namespace : nil, name: name, options)
    }

    public func deleteCollection(_ resource: KubeResource, namespace: String, _ options: DeleteOptions) async throws {
        try state.withLock { state in
            state.actions.append(Action(verb: "deletecollection", kind: resource.kind, namespace: namespace, name: "",
                                        deleteOptions: options))
            try Self.takeInjected(&state, "deletecollection", resource.kind)
            for key in state.objects.keys
            where key.group == resource.group && key.kind == resource.kind && key.namespace == namespace {
                state.objects[key] = nil
            }
        }
    }

    /// The `autoscaling/v1` Scale of a stored workload: `spec.replicas`, `status.replicas` and its
    /// selector as a string. Records `get` with subresource `scale`; injected `get` errors apply.
    public func getScale(_ resource: KubeResource, namespace: String, name: String) async throws -> AutoscalingV1.Scale {
        let key = Self.key(resource.groupVersionKind, namespace, name)
        let json = try state.withLock { state in
            state.actions.append(Action(verb: "get", kind: resource.kind, namespace: namespace, name: name, subresource: "scale"))
            try Self.takeInjected(&state, "get", resource.kind)
            guard let json = state.objects[key] else { throw Self.notFound(resource.kind, name) }
            return json
        }
        return Self.scale(of: json, kind: resource.kind)
    }

    /// Writes `scale.spec.replicas` into the stored workload (its resourceVersion, when given,
    /// must match). Records `update` with subresource `scale`; injected `update` errors apply.
    public func updateScale(_ resource: KubeResource, namespace: String, _ scale: AutoscalingV1.Scale) async throws -> AutoscalingV1.Scale {
        let name = scale.metadata.name ?? ""
        let key = Self.key(resource.groupVersionKind, namespace, name)
        let body = try JSONValueEncoder().encode(scale)
        let json = try state.withLock { state in
            state.actions.append(Action(verb: "update", kind: resource.kind, namespace: namespace, name: name,
                                        subresource: "scale", body: body))
            try Self.takeInjected(&state, "update", resource.kind)
            guard let current = state.objects[key] else { throw Self.notFound(resource.kind, name) }
            if let sent = scale.metadata.resourceVersion, !sent.isEmpty,
               sent != current["metadata"]?["resourceVersion"]?.stringValue {
                throw Self.statusError(code: 409, reason: "Conflict", message:
                    "Operation cannot be fulfilled on \(resource.groupResource) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again")
            }
            state.revision += 1
            let replicas = JSONValue.int(Int64(scale.spec.replicas ?? 0))
            let patch = JSONValue.object([
                "spec": .object(["replicas": replicas]),
                "metadata": .object(["resourceVersion": .string(String(state.revision))]),
            ])
            let updated = Self.mergePatch(current, patch)
            state.objects[key] = updated
            return updated
        }
        return Self.scale(of: json, kind: resource.kind)
    }

    /// The Scale view of a workload's JSON (ReplicationControllers have a map selector).
    static func scale(of json: JSONValue, kind: String) -> AutoscalingV1.Scale {
        let metadata = (try? JSONValueDecoder().decode(MetaV1.ObjectMeta.self, from: json["metadata"] ?? .object([:])))
            ?? MetaV1.ObjectMeta()
        var scaleMetadata = MetaV1.ObjectMeta()
        scaleMetadata.name = metadata.name
        scaleMetadata.namespace = metadata.namespace
        scaleMetadata.uid = metadata.uid
        scaleMetadata.resourceVersion = metadata.resourceVersion
        scaleMetadata.creationTimestamp = metadata.creationTimestamp
        var replicas: Int32 = 1
        if case .int(let value)? = json["spec"]?["replicas"] { replicas = Int32(clamping: value) }
        var statusReplicas: Int32 = 0
        if case .int(let value)? = json["status"]?["replicas"] { statusReplicas = Int32(clamping: value) }
        var selector: String?
        if let raw = json["spec"]?["selector"] {
            if kind == "ReplicationController" {
                let labels = (try? JSONValueDecoder().decode([String: String].self, from: raw)) ?? [:]
                selector = Labels.Selector(matching: labels).description
            } else if let labelSelector = try? JSONValueDecoder().decode(MetaV1.LabelSelector.self, from: raw),
                      let parsed = try? Labels.Selector(labelSelector) {
                selector = parsed.description
            }
        }
        var scale = AutoscalingV1.Scale(metadata: scaleMetadata, spec: AutoscalingV1.ScaleSpec(replicas: replicas),
                                        status: AutoscalingV1.ScaleStatus(replicas: statusReplicas, selector: selector))
        scale.setTypeMeta()
        return scale
    }

    // MARK: Store

    private func read(_ gvk: GroupVersionKind, namespace: String?, name: String) throws -> JSONValue {
        let key = Self.key(gvk, namespace, name)
        return try state.withLock { state in
            state.actions.append(Action(verb: "get", kind: gvk.kind, namespace: key.namespace, name: name))
            try Self.takeInjected(&state, "get", gvk.kind)
            guard let json = state.objects[key] else { throw Self.notFound(gvk.kind, name) }
            return json
        }
    }

    private func remove(_ gvk: GroupVersionKind, namespace: String?, name: String, _ options: DeleteOptions) throws {
        let key = Self.key(gvk, namespace, name)
        try state.withLock { state in
            state.actions.append(Action(verb: "delete", kind: gvk.kind, namespace: key.namespace, name: name,
                                        deleteOptions: options))
            try Self.takeInjected(&state, "delete", gvk.kind)
            guard let current = state.objects[key] else { throw Self.notFound(gvk.kind, name) }
            if let uid = options.preconditionUID, uid != current["metadata"]?["uid"]?.stringValue {
                throw Self.statusError(code: 409, reason: "Conflict", message:
                    "Precondition failed: UID in precondition: \(uid), UID in object meta: \(current["metadata"]?["uid"]?.stringValue ?? "")")
            }
            state.objects[key] = nil
        }
    }

    private func applyPatch(_ gvk: GroupVersionKind, namespace: String?, name: String, _ patch: ObjectPatch) throws -> JSONValue {
        let key = Self.key(gvk, namespace, name)
        let body = try? JSONValue(parsing: patch.body)
        return try state.withLock { state in
            state.actions.append(Action(verb: "patch", kind: gvk.kind, namespace: key.namespace, name: name,
                                        subresource: patch.subresource, body: body))
            try Self.takeInjected(&state, "patch", gvk.kind)
            guard let current = state.objects[key] else { throw Self.notFound(gvk.kind, name) }
            guard patch.type != .json, let body else { return current }
            var merged = Self.mergePatch(current, body)
            state.revision += 1
            if case .object(var fields) = merged, case .object(var metadata)? = fields["metadata"] {
                metadata["resourceVersion"] = .string(String(state.revision))
                fields["metadata"] = .object(metadata)
                merged = .object(fields)
            }
            state.objects[key] = merged
            return merged
        }
    }

    /// RFC 7386 JSON merge patch.
    static func mergePatch(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let patchFields) = patch else { return patch }
        var fields: [String: JSONValue] = [:]
        if case .object(let targetFields) = target { fields = targetFields }
        for (name, value) in patchFields {
            if value == .null {
                fields[name] = nil
            } else {
                fields[name] = mergePatch(fields[name] ?? .null, value)
            }
        }
        return .object(fields)
    }

    private static func takeInjected(_ state: inout State, _ verb: String, _ kind: String) throws {
        let slot = "\(verb)/\(kind)"
        guard var errors = state.injected[slot], !errors.isEmpty else { return }
        let error = errors.removeFirst()
        state.injected[slot] = errors
        throw error
    }

    private static func key(_ gvk: GroupVersionKind, _ namespace: String?, _ name: String) -> Key {
        Key(group: gvk.group, kind: gvk.kind, namespace: namespace ?? "", name: name)
    }

    private static func notFound(_ kind: String, _ name: String) -> StatusError {
        statusError(code: 404, reason: "NotFound", message: "\(kind.lowercased()) \"\(name)\" not found")
    }

    /// Five characters from upstream's alphabet for generated names (no vowels, no 0/1/3).
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }
}
