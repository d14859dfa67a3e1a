import KubeModel

/// managedFields bookkeeping for writes that are not server-side apply (create, update, every
/// patch type but apply), as upstream's field manager does it on `UpdateNoErrors`: the writing
/// manager gains the fields its write adds or changes, every manager loses the fields the write
/// changes or removes, entries left empty disappear, and at most ten update entries are kept.
public enum ManagedFields {
    /// Update entries kept before the oldest are merged into ``ancientChangesManager``.
    public static let maxUpdateManagers = 10
    public static let ancientChangesManager = "ancient-changes"
    /// `kubectl.kubernetes.io/last-applied-configuration`.
    public static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// Fields never recorded (upstream's `stripMetaManager`).
    public static let strippedFields = FieldSet(dotted:
        "apiVersion", "kind", "metadata", "metadata.name", "metadata.namespace", "metadata.creationTimestamp",
        "metadata.selfLink", "metadata.uid", "metadata.clusterName", "metadata.generation",
        "metadata.managedFields", "metadata.resourceVersion")

    /// The managedFields after a create (`old` nil), update or non-apply patch by `manager`.
    ///
    /// - Parameters:
    ///   - old: the stored object before the write; nil on create.
    ///   - new: the object about to be stored (defaults applied, strategy run).
    ///   - manager: the request's `fieldManager`, else ``defaultManager(userAgent:)``.
    ///   - subresource: `status`, `scale`, …; nil for the main resource.
    ///   - entries: the managedFields the write starts from — ``baseEntries(requested:live:subresource:)``.
    ///   - now: the time recorded on the manager's entry when the write changes something.
    ///   - storedEntries: `entries` are the stored object's, as Skiff encoded them (their
    ///     FieldsV1 are reused for sets the write leaves unchanged).
    /// - Returns: the entries to store, sorted as upstream sorts them; the operation recorded is
    ///   always `Update` (creates included). Undecodable entries are dropped and the write is
    ///   recorded alone; an object the schema cannot walk (a keyed list element without its key)
    ///   gets no managedFields, as upstream's `UpdateNoErrors` does.
    public static func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, subresource: String? = nil,
                                    entries: [MetaV1.ManagedFieldsEntry], schema: APISchema = .builtIn,
                                    gvk: GroupVersionKind, now: MetaV1.Time = .now(),
                                    storedEntries: Bool = false) -> [MetaV1.ManagedFieldsEntry] {
        let types = ApplySchema(schema)
        var state = (try? ManagedFieldsState(decoding: entries, canonical: storedEntries)) ?? ManagedFieldsState()
        let ignored = ResetFields.fields(for: gvk, subresource: subresource)
        let live = withoutManagedFields(old ?? .object([:]))
        let updated = withoutManagedFields(new)
        guard let everything = try? types.compare(live, updated, type: types.rootType(gvk)) else { return [] }
        let comparison = everything.excluding(ignored)
        try? state.settle(comparison, writer: nil, force: true)
        let identity = ManagerIdentity(manager: manager, operation: ManagerIdentity.update, apiVersion: gvk.apiVersion,
                                       subresource: subresource ?? "")
        let written = comparison.modified.union(comparison.added).subtracting(comparison.removed)
            .recursiveDifference(ignored).subtracting(strippedFields)
        if !written.isEmpty {
            let previous = state.fields[identity]?.set ?? FieldSet()
            state.fields[identity] = .init(set: written.union(previous), apiVersion: gvk.apiVersion, applied: false)
            state.times[identity] = now
        }
        state.capUpdateManagers()
        // A comparison with differences proves a change without walking both objects again.
        return ManagedFieldsState.keepingTimestamps(old: entries, new: state.encoded(),
                                                    objectUnchanged: everything.isSame && live.structurallyEquals(updated))
    }

    /// The managedFields a write starts from (upstream `decodeManagedFields`): the request
    /// object's, unless it carries none or undecodable ones (then the live object's), or it
    /// resets them (`managedFields: []` or `[{}]`: then none); subresource writes always keep
    /// the live object's.
    public static func baseEntries(requested: [MetaV1.ManagedFieldsEntry]?, live: [MetaV1.ManagedFieldsEntry]?,
                                   subresource: String? = nil) -> [MetaV1.ManagedFieldsEntry] {
        if let subresource, !subresource.isEmpty { return live ?? [] }
        if let requested {
            if requested.isEmpty || (requested.count == 1 && requested[0] == MetaV1.ManagedFieldsEntry()) { return [] }
            if (try? ManagedFieldsState(decoding: requested)) != nil { return requested }
        }
        return live ?? []
    }

    /// The manager of a request without `fieldManager` (upstream `prefixFromUserAgent`): the user
    /// agent up to its first `/`, printable characters only, at most 128 bytes.
    public static func defaultManager(userAgent: String) -> String {
        defaultManagers.value(for: userAgent, managerPrefix)
    }

    private static let defaultManagers = BoundedMemo<String, String>(capacity: 256)

    private static func managerPrefix(_ userAgent: String) -> String {
        let prefix = userAgent.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var out = ""
        for character in prefix where !character.unicodeScalars.contains(where: { $0.properties.generalCategory.isControlOrFormat }) {
            if out.utf8.count + String(character).utf8.count > 128 { break }
            out.append(character)
        }
        return out
    }

    /// `object` with `metadata.managedFields` set to `entries` (removed when empty).
    public static func setting(_ entries: [MetaV1.ManagedFieldsEntry], on object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        var metadata = members["metadata"]?.objectMembers ?? [:]
        metadata["managedFields"] = entries.isEmpty ? nil : .array(entries.map(json))
        members["metadata"] = .object(metadata)
        return .object(members)
    }

    /// One entry as JSON.
    static func json(_ entry: MetaV1.ManagedFieldsEntry) -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["apiVersion"] = entry.apiVersion.map(JSONValue.string)
        members["fieldsType"] = entry.fieldsType.map(JSONValue.string)
        members["fieldsV1"] = entry.fieldsV1
        members["manager"] = entry.manager.map(JSONValue.string)
        members["operation"] = entry.operation.map(JSONValue.string)
        members["subresource"] = entry.subresource.map(JSONValue.string)
        members["time"] = entry.time.map { JSONValue.string($0.rfc3339) }
        return .object(members)
    }

    static func withoutManagedFields(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object, case .object(var metadata)? = members["metadata"],
              metadata["managedFields"] != nil else { return object }
        metadata["managedFields"] = nil
        members["metadata"] = .object(metadata)
        return .object(members)
    }
}

private extension Unicode.GeneralCategory {
    /// Go's `unicode.IsPrint` rejects these (and spaces other than U+0020, kept here).
    var isControlOrFormat: Bool {
        switch self {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}
