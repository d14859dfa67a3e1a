import KubeModel

/// An object's labels and the values of every field its kind supports in field selectors
/// (upstream's `GetAttrs`), which the watch cache keeps beside each stored object as upstream's
/// cacher keeps them in its store elements: read from the stored bytes once, then shared by
/// every list and watch whose selectors test the object (a kubelet's `spec.nodeName=…` watch,
/// `kubectl get pods --field-selector …`).
struct SelectableAttributes: Sendable {
    let labels: [String: String]
    let fields: [String: String]

    /// The paths to read of `resource`'s stored objects: `metadata.labels` and every
    /// selectable field's.
    static func paths(for resource: KubeResource) -> StoredFieldPaths {
        StoredFieldPaths(["metadata.labels"] + SelectableFields.supported(resource).flatMap { SelectableFields.paths(of: $0, resource) })
    }

    init(labels: [String: String], fields: [String: String]) {
        self.labels = labels
        self.fields = fields
    }

    /// The attributes of the object stored as `bytes` (nil when they do not hold an object),
    /// read along `paths` (``paths(for:)``).
    init?(stored bytes: [UInt8], resource: KubeResource, paths: StoredFieldPaths) {
        guard let partial = paths.tree(of: bytes) else { return nil }
        self.init(json: partial, resource: resource)
    }

    /// The attributes of a decoded object, from its typed members; nil for kinds whose
    /// selectable fields are only read from JSON (see ``SelectableFields/values(ofTyped:_:)``).
    init?(typed object: any KubeObject, resource: KubeResource) {
        guard let fields = SelectableFields.values(ofTyped: object, resource) else { return nil }
        self.init(labels: object.metadata.labels ?? [:], fields: fields)
    }

    /// The attributes of an object's JSON tree (whole, or holding at least ``paths(for:)``).
    init(json: JSONValue, resource: KubeResource) {
        var labels: [String: String] = [:]
        if case .object(let map)? = json.value(at: "metadata.labels") {
            for (key, value) in map { if let text = value.stringValue { labels[key] = text } }
        }
        self.init(labels: labels, fields: SelectableFields.values(of: json, resource))
    }
}
