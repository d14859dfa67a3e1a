import Foundation
import KubeModel
import KubeStore

/// `pods/binding` (and the `bindings` resource) and the `scale` subresource.
extension ResourceRegistry {
    /// Assigns a pod to a node: sets `spec.nodeName` (409 if already bound) and the
    /// PodScheduled condition; answers a `Status` Success with 201 like upstream.
    func bind(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        let binding: CoreV1.Binding
        do {
            binding = try CoreV1.Binding.decode(request.body)
        } catch let error as DecodingError {
            throw APIError.badRequest("error decoding Binding: \(Self.describe(error))")
        }
        let podName = request.info.subresource == "binding" ? request.info.name : (binding.metadata.name ?? "")
        let node = binding.target.name ?? ""
        if let kind = binding.target.kind, !kind.isEmpty, kind != "Node" {
            throw APIError.invalid(kind: "Binding", group: "", name: podName, causes: [
                .notSupported("target.kind", value: kind, supported: ["Node"])])
        }
        if node.isEmpty {
            throw APIError.invalid(kind: "Binding", group: "", name: podName, causes: [.required("target.name")])
        }
        guard let pods = catalog.resource(group: "", version: "v1", resource: "pods") else {
            throw APIError.pathNotFound(request.info.path)
        }
        let gr = Self.groupResource(pods)
        let key = Self.key(pods, namespace: request.info.namespace, name: podName)
        // The first attempt starts from the watch cache's copy (see `UpdateBase`); the
        // compare-and-swap tells whether it was current, and later attempts read the store.
        var attempt = 0
        while true {
            attempt += 1
            let kv: UpdateBase
            if attempt == 1, !Self.isDryRun(request), let cached = watchCache?.object(forKey: key), !cached.value.isEmpty {
                kv = UpdateBase(cached: cached)
            } else if let stored = try await store.get(key) {
                kv = UpdateBase(stored: cachedEntry(stored))
            } else {
                throw APIError.notFound(resource: gr, name: podName)
            }
            guard var pod = try kv.object(as: pods) as? CoreV1.Pod else {
                throw APIError.internalError("stored pod has the wrong type")
            }
            if let uid = binding.metadata.uid, !uid.isEmpty, uid != pod.metadata.uid {
                if kv.fromCache { continue }
                throw APIError.conflict(resource: gr, name: podName, message:
                    "Precondition failed: UID in precondition: \(uid), UID in object meta: \(pod.metadata.uid ?? "")")
            }
            if pod.metadata.deletionTimestamp != nil {
                if kv.fromCache { continue }
                throw APIError.conflict(resource: gr, name: podName,
                                        message: "pod \(podName) is being deleted, cannot be assigned to a host")
            }
            if let current = pod.spec.nodeName, !current.isEmpty {
                if kv.fromCache { continue }
                throw APIError.conflict(resource: gr, name: podName,
                                        message: "pod \(podName) is already assigned to node \"\(current)\"")
            }
            pod.spec.nodeName = node
            if let annotations = binding.metadata.annotations, !annotations.isEmpty {
                pod.metadata.annotations = (pod.metadata.annotations ?? [:]).merging(annotations) { _, new in new }
            }
            var conditions = (pod.status.conditions ?? []).filter { $0.type != "PodScheduled" }
            conditions.append(CoreV1.PodCondition(lastTransitionTime: .now(), status: "True", type: "PodScheduled"))
            pod.status.conditions = conditions
            if Self.isDryRun(request) { break }
            let bytes = try Self.encodeForStorage(pod)
            expectWrite(key: key, bytes: bytes, object: pod, resource: pods)
            let result = try await store.update(key, bytes, expectedModRevision: kv.modRevision)
            if result.succeeded {
                _ = written(key: key, bytes: bytes, revision: result.revision, object: pod, resource: pods)
                break
            }
            if result.current == nil { throw APIError.notFound(resource: gr, name: podName) }
            if attempt >= 5 { throw APIError.conflict(resource: gr, name: podName, message: Self.conflictMessage) }
        }
        return .status(MetaV1.Status(apiVersion: "v1", code: 201, kind: "Status", metadata: MetaV1.ListMeta(),
                                     status: "Success"), code: 201)
    }

    static func supportsScale(_ resource: KubeResource) -> Bool {
        switch (resource.group, resource.resource) {
        case ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("", "replicationcontrollers"):
            return true
        default:
            return false
        }
    }

    func getScale(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        guard Self.supportsScale(resource) else { throw APIError.badRequest("the scale subresource of \(resource.groupResource) is not supported yet") }
        let (object, _) = try await fetch(request, resource: resource)
        return .object(try Self.scale(of: object), code: 200)
    }

    func updateScale(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        guard Self.supportsScale(resource) else { throw APIError.badRequest("the scale subresource of \(resource.groupResource) is not supported yet") }
        let scale: AutoscalingV1.Scale
        do {
            scale = try JSONDecoder().decode(AutoscalingV1.Scale.self, from: request.body)
        } catch let error as DecodingError {
            throw APIError.badRequest("error decoding Scale: \(Self.describe(error))")
        }
        return try await applyScale(scale, request, resource: resource)
    }

    /// Patches the Scale view (JSON, merge or strategic merge patch) and writes its replicas.
    func patchScale(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        guard Self.supportsScale(resource) else { throw APIError.badRequest("the scale subresource of \(resource.groupResource) is not supported yet") }
        let schema = Self.patchSchema(group: "autoscaling", version: "v1", kind: "Scale")
        let patch = try ResourcePatch(contentType: request.contentType, body: request.body, strategicSchema: schema)
        var attempt = 0
        while true {
            let (object, _) = try await fetch(request, resource: resource)
            let current = try Self.scale(of: object)
            let patched = try Self.patchedJSON(current, patch, schema: schema, resource: Self.groupResource(resource))
            let scale: AutoscalingV1.Scale
            do {
                scale = try JSONDecoder().decode(AutoscalingV1.Scale.self, from: Data(patched.serialized()))
            } catch let error as DecodingError {
                throw APIError.patchedObjectInvalid(String(decoding: patched.serialized(), as: UTF8.self),
                                                    "error decoding Scale: \(Self.describe(error))")
            }
            do {
                return try await applyScale(scale, request, resource: resource)
            } catch APIError.conflict(let r, let n, let m) {
                attempt += 1
                if attempt == 5 { throw APIError.conflict(resource: r, name: n, message: m) }
            }
        }
    }

    /// Writes `scale.spec.replicas` into the parent (its resourceVersion, when given, must match).
    private func applyScale(_ scale: AutoscalingV1.Scale, _ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        if let name = scale.metadata.name, name != request.info.name {
            throw APIError.badRequest("the name of the object (\(name)) does not match the name on the URL (\(request.info.name))")
        }
        let (object, kv) = try await fetch(request, resource: resource)
        var json = try Self.json(object)
        var spec = json["spec"] ?? .object([:])
        spec.set("replicas", .int(Int64(scale.spec.replicas ?? 0)))
        json.set("spec", spec)
        var updated = try Self.object(from: json, as: resource)
        let version = scale.metadata.resourceVersion ?? ""
        updated.metadata.resourceVersion = version.isEmpty ? String(kv.modRevision) : version
        guard case .object(let written, let code) = try await write(updated, request, resource: resource, mode: .main, subresource: "scale").withoutWarnings else {
            throw APIError.internalError("unexpected update result")
        }
        return .object(try Self.scale(of: written), code: code)
    }

    /// The `autoscaling/v1` Scale view of a workload.
    static func scale(of object: any KubeObject) throws -> AutoscalingV1.Scale {
        let json = try json(object)
        var selector = ""
        if let raw = json.value(at: "spec.selector") {
            if case .object(let map) = raw, map["matchLabels"] == nil && map["matchExpressions"] == nil {
                var set: [String: String] = [:]
                for (key, value) in map { set[key] = value.stringValue ?? "" }
                selector = Labels.Selector(matching: set).description
            } else {
                let labelSelector = try JSONDecoder().decode(MetaV1.LabelSelector.self, from: encoder.encode(raw))
                selector = (try? Labels.Selector(labelSelector).description) ?? ""
            }
        }
        var replicas: Int32 = 0
        if case .int(let value)? = json.value(at: "spec.replicas") { replicas = Int32(clamping: value) }
        var statusReplicas: Int32 = 0
        if case .int(let value)? = json.value(at: "status.replicas") { statusReplicas = Int32(clamping: value) }
        let meta = MetaV1.ObjectMeta(
            creationTimestamp: object.metadata.creationTimestamp, name: object.metadata.name,
            namespace: object.metadata.namespace, resourceVersion: object.metadata.resourceVersion,
            uid: object.metadata.uid)
        return AutoscalingV1.Scale(
            apiVersion: "autoscaling/v1", kind: "Scale", metadata: meta,
            spec: AutoscalingV1.ScaleSpec(replicas: replicas),
            status: AutoscalingV1.ScaleStatus(replicas: statusReplicas, selector: selector.isEmpty ? nil : selector))
    }
}
