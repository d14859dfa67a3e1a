import KubeModel

/// The `kubectl.kubernetes.io/last-applied-configuration` annotation as server-side apply by
/// `kubectl` keeps it in step (upstream's `lastAppliedUpdater`): when the result carries the
/// annotation, it becomes the applied configuration (without the annotation itself), encoded as
/// Go's JSON encoder writes it — sorted keys, HTML characters escaped, a trailing newline. When
/// the annotations would outgrow their 256 KiB limit, the annotation is dropped instead.
enum LastApplied {
    static let annotationsSizeLimit = 256 * 1024

    static func updating(_ object: JSONValue, to applied: JSONValue) -> JSONValue {
        let key = ManagedFields.lastAppliedAnnotation
        guard case .object(var members) = object, case .object(var metadata)? = members["metadata"],
              case .object(var annotations)? = metadata["annotations"], annotations[key] != nil else { return object }
        annotations[key] = .string(encode(applied))
        let size = annotations.reduce(0) { $0 + $1.key.utf8.count + ($1.value.stringValue?.utf8.count ?? 0) }
        if size > annotationsSizeLimit { annotations[key] = nil }
        metadata["annotations"] = .object(annotations)
        members["metadata"] = .object(metadata)
        return .object(members)
    }

    /// Upstream `buildLastApplied`.
    static func encode(_ applied: JSONValue) -> String {
        var configuration = applied
        if case .object(var members) = configuration, case .object(var metadata)? = members["metadata"],
           case .object(var annotations)? = metadata["annotations"] {
            annotations[ManagedFields.lastAppliedAnnotation] = nil
            metadata["annotations"] = .object(annotations)
            members["metadata"] = .object(metadata)
            configuration = .object(members)
        }
        return configuration.goJSONText + "\n"
    }
}
