import KubeModel

/// Who owns a managedFields entry, as upstream's `BuildManagerIdentifier` keys them: the manager
/// name, the operation (`Apply` / `Update`), the subresource, and — for updates only — the API
/// version (an applier keeps one entry whatever version it applies with). Entries with the same
/// identity are one entry.
public struct ManagerIdentity: Hashable, Sendable, CustomStringConvertible {
    public static let apply = "Apply"
    public static let update = "Update"

    public var manager: String
    public var operation: String
    /// Empty for `Apply`.
    public var apiVersion: String
    /// Empty for the main resource.
    public var subresource: String

    public init(manager: String, operation: String, apiVersion: String, subresource: String = "") {
        self.manager = manager
        self.operation = operation
        self.apiVersion = operation == Self.apply ? "" : apiVersion
        self.subresource = subresource
    }

    public var isApply: Bool { operation == Self.apply }

    /// The identifier upstream sorts managers by: the entry's JSON without fields and time
    /// (`{"manager":"kubectl","operation":"Update","apiVersion":"v1"}`).
    var identifierJSON: String {
        var text = "{\"manager\":" + JSONValue.string(manager).goJSONText
        text += ",\"operation\":" + JSONValue.string(operation).goJSONText
        if !apiVersion.isEmpty { text += ",\"apiVersion\":" + JSONValue.string(apiVersion).goJSONText }
        if !subresource.isEmpty { text += ",\"subresource\":" + JSONValue.string(subresource).goJSONText }
        return text + "}"
    }

    /// As conflict messages name it (upstream `printManager`): `"kubectl"`,
    /// `"kubectl-client-side-apply" using apps/v1`, `"x" with subresource "status" using v1`.
    public var description: String {
        var text = JSONValue.goQuoted(manager)
        if !subresource.isEmpty { text += " with subresource " + JSONValue.goQuoted(subresource) }
        if operation == Self.update { text += " using " + apiVersion }
        return text
    }
}
