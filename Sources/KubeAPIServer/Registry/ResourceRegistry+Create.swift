import Foundation
import KubeModel
import KubeStore

extension ResourceRegistry {
    /// Upstream's alphabet for `generateName` suffixes (no vowels, no look-alikes).
    static let nameSuffixAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    static let generatedSuffixLength = 5

    func create(_ request: APIRequest, resource: KubeResource) async throws(APIError) -> APIResult {
        try await Self.mappingErrors { try await createObject(request, resource: resource) }
    }

    private func createObject(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        let decoded = try Self.decodeValidatedBody(request, as: resource, optionsKind: "CreateOptions")
        var object = decoded.object
        let warnings = decoded.warnings
        try Self.checkTypeMeta(object, resource)
        let namespace = try Self.resolveNamespace(request, object, resource)
        object.metadata.namespace = resource.namespaced ? namespace : nil
        object.apiVersion = resource.apiVersion
        object.kind = resource.kind

        let generateName = object.metadata.generateName ?? ""
        let explicitName = object.metadata.name ?? ""
        if explicitName.isEmpty && generateName.isEmpty {
            throw APIError.invalid(kind: resource.kind, group: resource.group, name: "",
                                   causes: [.required("metadata.name", "name or generateName is required")])
        }
        if explicitName.isEmpty {
            try Self.validateName(generateName, prefix: true, field: "metadata.generateName", resource)
        } else {
            try Self.validateName(explicitName, prefix: false, field: "metadata.name", resource)
        }
        if resource.namespaced {
            try await checkNamespaceAccepts(namespace, resource: resource, name: explicitName)
        }
        try await admitPodPriority(&object, resource: resource)

        object.metadata.uid = UUID().uuidString.lowercased()
        object.metadata.creationTimestamp = MetaV1.Time.now()
        object.metadata.deletionTimestamp = nil
        object.metadata.deletionGracePeriodSeconds = nil
        object.metadata.resourceVersion = nil
        object.metadata.selfLink = nil
        if resource.resource == "namespaces" && resource.group.isEmpty {
            object = try Self.prepareNewNamespace(Self.json(object), resource: resource)
        }

        let dryRun = Self.isDryRun(request)
        for attempt in 0..<3 {
            if explicitName.isEmpty {
                let prefix = String(generateName.prefix(NameValidation.dns1123LabelMaxLength - Self.generatedSuffixLength))
                let suffix = String((0..<Self.generatedSuffixLength).map { _ in Self.nameSuffixAlphabet.randomElement()! })
                object.metadata.name = prefix + suffix
            }
            let name = object.metadata.name ?? ""
            if resource.resource == "namespaces" && resource.group.isEmpty {
                object.metadata.labels = (object.metadata.labels ?? [:]).merging(
                    ["kubernetes.io/metadata.name": name]) { _, new in new }
            }
            var candidate = object
            try await admitLimitRanges(&candidate, resource: resource, namespace: namespace)
            try await admitDefaultStorageClass(&candidate, resource: resource)
            admitStorageProtection(&candidate, resource: resource)
            try admitCreate(&candidate, resource: resource)
            try await admitResourceQuota(candidate, resource: resource, namespace: namespace, dryRun: dryRun)
            // One JSON tree of the new object serves the generation check and managedFields.
            var tree = try Self.json(candidate)
            if tree["spec"] != nil {
                candidate.metadata.generation = 1
                tree.setMetadata("generation", .int(1))
            }
            try recordManagedFields(&candidate, old: nil, newTree: tree, request, resource: resource, subresource: nil)
            let key = Self.key(resource, namespace: namespace, name: name)
            if dryRun {
                if try await store.get(key) != nil {
                    throw APIError.alreadyExists(resource: Self.groupResource(resource), name: name)
                }
                return APIResult.object(candidate, code: 201).addingWarnings(warnings)
            }
            let allocated = try await allocateResources(&candidate, resource: resource, dryRun: dryRun)
            let result: (succeeded: Bool, revision: Revision, existing: KeyValue?)
            let bytes = try Self.encodeForStorage(candidate)
            expectWrite(key: key, bytes: bytes, object: candidate, resource: resource)
            do {
                result = try await store.create(key, bytes, lease: try await writeLease(for: resource))
            } catch {
                await releaseResources(candidate, resource: resource)
                throw error
            }
            if result.succeeded {
                candidate.metadata.resourceVersion = String(result.revision)
                // The response JSON is the stored bytes with the resourceVersion spliced in.
                let stored = written(key: key, bytes: bytes, revision: result.revision, object: candidate, resource: resource)
                return APIResult.stored(stored, .object(candidate, code: 201)).addingWarnings(warnings)
            }
            await releaseResources(candidate, resource: resource)
            if !explicitName.isEmpty || attempt == 2 {
                throw APIError.alreadyExists(resource: Self.groupResource(resource), name: name)
            }
        }
        throw APIError.internalError("unreachable")
    }

    /// Namespaces start Active with the `kubernetes` finalizer and the
    /// `kubernetes.io/metadata.name` label.
    static func prepareNewNamespace(_ json: JSONValue, resource: KubeResource) throws -> any KubeObject {
        var json = json
        var spec = json["spec"] ?? .object([:])
        spec.set("finalizers", .array([.string("kubernetes")]))
        json.set("spec", spec)
        json.set("status", .object(["phase": .string("Active")]))
        return try object(from: json, as: resource)
    }

    static func checkTypeMeta(_ object: any KubeObject, _ resource: KubeResource) throws {
        if let kind = object.kind, !kind.isEmpty, kind != resource.kind {
            throw APIError.badRequest(
                "the kind of the provided object (\(kind)) does not match the resource's kind (\(resource.kind))")
        }
        if let apiVersion = object.apiVersion, !apiVersion.isEmpty, apiVersion != resource.apiVersion {
            throw APIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))")
        }
    }

    /// The path namespace wins; a different body namespace is an error.
    static func resolveNamespace(_ request: APIRequest, _ object: any KubeObject, _ resource: KubeResource) throws -> String {
        guard resource.namespaced else { return "" }
        let pathNamespace = request.info.namespace
        let bodyNamespace = object.metadata.namespace ?? ""
        if !pathNamespace.isEmpty {
            if !bodyNamespace.isEmpty && bodyNamespace != pathNamespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            return pathNamespace
        }
        if bodyNamespace.isEmpty { throw APIError.badRequest("a namespace must be specified for \(resource.groupResource)") }
        return bodyNamespace
    }

    /// Validates an object name the way the kind's upstream validation does.
    static func validateName(_ name: String, prefix: Bool, field: String, _ resource: KubeResource) throws {
        let errors: [String]
        switch (resource.group, resource.resource) {
        case ("", "namespaces"): errors = NameValidation.nameIsDNSLabel(name, prefix: prefix)
        case ("", "services"): errors = NameValidation.nameIsDNS1035Label(name, prefix: prefix)
        case ("rbac.authorization.k8s.io", _): errors = pathSegmentNameErrors(name, prefix: prefix)
        default: errors = NameValidation.nameIsDNSSubdomain(name, prefix: prefix)
        }
        guard !errors.isEmpty else { return }
        throw APIError.invalid(kind: resource.kind, group: resource.group, name: name,
                               causes: errors.map { .invalid(field, value: name, $0) })
    }

    /// Upstream `path.IsValidPathSegmentName` (RBAC names such as `system:controller:x`).
    static func pathSegmentNameErrors(_ name: String, prefix: Bool) -> [String] {
        var errors: [String] = []
        if !prefix && (name == "." || name == "..") { errors.append("may not be '\(name)'") }
        if name.contains("/") { errors.append("may not contain '/'") }
        if name.contains("%") { errors.append("may not contain '%'") }
        return errors
    }

    /// 404 for a missing namespace, 403 `NamespaceTerminating` for one being deleted.
    func checkNamespaceAccepts(_ namespace: String, resource: KubeResource, name: String) async throws {
        guard let namespaces = catalog.resource(group: "", version: "v1", resource: "namespaces") else { return }
        let key = Self.key(namespaces, namespace: "", name: namespace)
        guard let stored = try await admissionGet(key) else {
            throw APIError.notFound(resource: APIError.GroupResource(group: "", resource: "namespaces"), name: namespace)
        }
        let object = try stored.object(as: namespaces)
        let terminating = object.metadata.deletionTimestamp != nil || (object as? CoreV1.Namespace)?.status.phase == "Terminating"
        if terminating {
            throw APIError.forbidden(
                resource: Self.groupResource(resource), name: name,
                message: "unable to create new content in namespace \(namespace) because it is being terminated",
                causeReason: "NamespaceTerminating")
        }
    }

    static func isDryRun(_ request: APIRequest) -> Bool {
        (request.query["dryRun"] ?? []).contains("All")
    }
}
