import KubeModel

/// Kinds served in more than one version but stored in one, as upstream's storage versions:
/// objects are kept in the storage version and converted on the way in and out, so every
/// version reads every object. Conversions work on JSON trees.
///
/// Only HorizontalPodAutoscalers need it among the built-in kinds of the GA groups
/// (autoscaling/v1 and autoscaling/v2 share one key prefix; the storage version is v2).
enum StorageVersions {
    struct Conversion: Sendable {
        /// `apiVersion` of the stored form.
        let storageVersion: String
        /// Converts `tree` (of any served version) to `apiVersion`; unchanged when it already is.
        let convert: @Sendable (_ tree: JSONValue, _ apiVersion: String) throws -> JSONValue
    }

    static func conversion(group: String, kind: String) -> Conversion? {
        guard group == "autoscaling", kind == "HorizontalPodAutoscaler" else { return nil }
        return Conversion(storageVersion: "autoscaling/v2", convert: HorizontalPodAutoscalerConversion.convert)
    }

    static func conversion(for resource: KubeResource) -> Conversion? {
        conversion(group: resource.group, kind: resource.kind)
    }

    /// The stored tree of an object of `resource`'s version.
    static func toStorage(_ tree: JSONValue, _ resource: KubeResource) throws -> JSONValue {
        guard let conversion = conversion(for: resource) else { return tree }
        return try conversion.convert(tree, conversion.storageVersion)
    }

    /// A stored tree as `resource`'s version.
    static func fromStorage(_ tree: JSONValue, _ resource: KubeResource) throws -> JSONValue {
        guard let conversion = conversion(for: resource) else { return tree }
        return try conversion.convert(tree, resource.apiVersion)
    }

    /// The stored tree of an object tree of any served version (its own `apiVersion` and `kind` say which).
    static func toStorage(_ tree: JSONValue) throws -> JSONValue {
        guard let conversion = conversion(apiVersion: tree["apiVersion"]?.stringValue, kind: tree["kind"]?.stringValue)
        else { return tree }
        return try conversion.convert(tree, conversion.storageVersion)
    }

    /// The conversion an object of `apiVersion` and `kind` (any served version) needs to be stored.
    static func conversion(apiVersion: String?, kind: String?) -> Conversion? {
        guard let apiVersion, let kind else { return nil }
        // A byte scan: `String.contains(_:)` with a string goes through Foundation's search.
        let group = apiVersion.utf8.contains(UInt8(ascii: "/")) ? String(apiVersion.prefix { $0 != "/" }) : ""
        return conversion(group: group, kind: kind)
    }
}
