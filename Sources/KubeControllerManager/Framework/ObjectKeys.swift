import KubeClient
import KubeModel

/// Work-queue keys, as client-go's `MetaNamespaceKeyFunc`: `namespace/name`, or `name` for
/// cluster-scoped objects.
public enum ObjectKeys {
    public static func key(of object: some KubeObject) -> String {
        key(namespace: object.metadata.namespace ?? "", name: object.metadata.name ?? "")
    }

    public static func key(namespace: String, name: String) -> String {
        namespace.isEmpty ? name : "\(namespace)/\(name)"
    }

    /// The namespace ("" for cluster-scoped) and name of `key`.
    public static func split(_ key: String) -> (namespace: String, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return ("", key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }
}
