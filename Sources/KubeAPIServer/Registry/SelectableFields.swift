import KubeModel

/// The fields each kind supports in field selectors, and their values for one object
/// (upstream's per-kind `ToSelectableFields` / `GetAttrs`).
enum SelectableFields {
    /// Extra fields (beyond `metadata.name` and `metadata.namespace`) with a default value used
    /// when the object does not set them.
    static func extraFields(group: String, resource: String) -> [(field: String, defaultValue: String)] {
        switch (group, resource) {
        case ("", "pods"):
            return [("spec.nodeName", ""), ("spec.restartPolicy", ""), ("spec.schedulerName", ""),
                    ("spec.serviceAccountName", ""), ("spec.hostNetwork", "false"), ("status.phase", ""),
                    ("status.podIP", ""), ("status.nominatedNodeName", "")]
        case ("", "events"):
            return [("involvedObject.kind", ""), ("involvedObject.namespace", ""), ("involvedObject.name", ""),
                    ("involvedObject.uid", ""), ("involvedObject.apiVersion", ""),
                    ("involvedObject.resourceVersion", ""), ("involvedObject.fieldPath", ""),
                    ("reason", ""), ("reportingComponent", ""), ("source", ""), ("type", "")]
        case ("", "secrets"): return [("type", "")]
        case ("", "nodes"): return [("spec.unschedulable", "false")]
        case ("", "namespaces"): return [("status.phase", "")]
        case ("", "replicationcontrollers"), ("apps", "replicasets"): return [("status.replicas", "0")]
        case ("batch", "jobs"): return [("status.successful", "0")]
        case ("certificates.k8s.io", "certificatesigningrequests"): return [("spec.signerName", "")]
        default: return []
        }
    }

    /// Every supported field of the resource, `metadata.name` and `metadata.namespace` first.
    static func supported(_ resource: KubeResource) -> [String] {
        ["metadata.name", "metadata.namespace"] + extraFields(group: resource.group, resource: resource.resource).map(\.field)
    }

    /// Rejects terms on unsupported fields with upstream's 400 message.
    static func validate(_ selector: Fields.Selector, _ resource: KubeResource, labelSelector: String) throws {
        let known = Set(supported(resource))
        for requirement in selector.requirements where !known.contains(requirement.field) {
            throw APIError.badRequest(
                "Unable to find \"\(resource.group)/\(resource.version), Resource=\(resource.resource)\" that match "
                    + "label selector \"\(labelSelector)\", field selector \"\(selector)\": "
                    + "field label not supported: \(requirement.field)")
        }
    }

    /// The selectable field values of one object (as JSON).
    /// `only`: just these fields (those a selector names), else all.
    static func values(of json: JSONValue, _ resource: KubeResource, only: Set<String>? = nil) -> [String: String] {
        var fields: [String: String] = [:]
        if only?.contains("metadata.name") ?? true {
            fields["metadata.name"] = json.value(at: "metadata.name")?.stringValue ?? ""
        }
        if resource.namespaced, only?.contains("metadata.namespace") ?? true {
            fields["metadata.namespace"] = json.value(at: "metadata.namespace")?.stringValue ?? ""
        }
        for (field, defaultValue) in extraFields(group: resource.group, resource: resource.resource)
        where only?.contains(field) ?? true {
            fields[field] = lookup(field, in: json, resource) ?? defaultValue
        }
        return fields
    }

    /// The JSON paths reading `field` takes (see ``lookup(_:in:_:)``).
    static func paths(of field: String, _ resource: KubeResource) -> [String] {
        switch (resource.resource, field) {
        case ("pods", "status.podIP"): return ["status.podIP", "status.podIPs"]
        case ("events", "source"): return ["source", "reportingComponent"]
        default: return [field]
        }
    }

    private static func lookup(_ field: String, in json: JSONValue, _ resource: KubeResource) -> String? {
        switch (resource.resource, field) {
        case ("pods", "status.podIP"):
            if let ip = json.value(at: "status.podIP")?.stringValue { return ip }
            if case .array(let ips)? = json.value(at: "status.podIPs") { return ips.first?["ip"]?.stringValue }
            return nil
        case ("events", "source"):
            return json.value(at: "source.component")?.stringValue ?? json.value(at: "reportingComponent")?.stringValue
        default:
            return json.value(at: field)?.scalarText
        }
    }
}
