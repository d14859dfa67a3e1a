import KubeModel

/// The label and field selectors of a list, watch or deletecollection request.
struct ObjectFilter: Sendable {
    var labels: Labels.Selector
    var fields: Fields.Selector
    let resource: KubeResource
    /// The fields the field selector names.
    private(set) var selectedFields: Set<String> = []
    /// What ``matches(cached:as:)`` reads of stored JSON: labels and every selectable field
    /// (kept with the cached object for the next selector).
    private(set) var storedPaths = StoredFieldPaths()

    /// Parses `labelSelector` and `fieldSelector` (400 on syntax errors or unsupported fields).
    /// A request naming one object (`/watch/namespaces/ns/pods/x`) selects `metadata.name=x`.
    init(_ request: APIRequest, resource: KubeResource) throws {
        self.resource = resource
        let labelText = request.parameter("labelSelector") ?? ""
        let fieldText = request.parameter("fieldSelector") ?? ""
        do {
            labels = try Labels.Selector(parsing: labelText)
        } catch {
            throw APIError.badRequest(error.message)
        }
        do {
            fields = try Fields.Selector(parsing: fieldText)
        } catch {
            throw APIError.badRequest(error.message)
        }
        try SelectableFields.validate(fields, resource, labelSelector: labelText)
        if !request.info.name.isEmpty {
            fields = Fields.Selector(requirements: fields.requirements
                + [Fields.Requirement(field: "metadata.name", operator: .equals, value: request.info.name)])
        }
        selectedFields = Set(fields.requirements.map(\.field))
        if !isEverything { storedPaths = SelectableAttributes.paths(for: resource) }
    }

    var isEverything: Bool { labels.isEmpty && fields.isEmpty }

    /// Whether a typed object matches; label-only selectors read the labels without a JSON tree.
    func matches(object: any KubeObject) throws -> Bool {
        if isEverything { return true }
        if fields.isEmpty { return labels.matches(object.metadata.labels ?? [:]) }
        return matches(try ResourceRegistry.json(object))
    }

    /// Whether a cached object matches, by the labels and fields it keeps (read from its stored
    /// JSON once, without decoding it; objects held only decoded are tested decoded).
    func matches(cached: CachedObject, as resource: KubeResource) throws -> Bool {
        if isEverything { return true }
        if let attributes = cached.attributes(as: resource, paths: storedPaths) { return matches(attributes) }
        return try matches(object: cached.object(as: resource))
    }

    func matches(_ attributes: SelectableAttributes) -> Bool {
        labels.matches(attributes.labels) && (fields.isEmpty || fields.matches(attributes.fields))
    }

    func matches(_ json: JSONValue) -> Bool {
        if isEverything { return true }
        var objectLabels: [String: String] = [:]
        if case .object(let map)? = json.value(at: "metadata.labels") {
            for (key, value) in map { if let s = value.stringValue { objectLabels[key] = s } }
        }
        guard labels.matches(objectLabels) else { return false }
        return fields.isEmpty || fields.matches(SelectableFields.values(of: json, resource, only: selectedFields))
    }
}
