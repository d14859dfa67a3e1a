import KubeModel

/// RFC 7386 JSON merge patch, as upstream's library (evanphx/json-patch v4) applies it:
/// objects merge recursively, `null` deletes a member, anything else (arrays included) replaces
/// the target; `null` members of newly added objects are dropped.
enum JSONMergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return pruned(patch) }
        guard case .object(var members) = target else { return pruned(patch) }
        for (key, value) in patchMembers {
            if value == .null {
                members[key] = nil
            } else if let current = members[key], current != .null {
                members[key] = merge(current, value)
            } else {
                members[key] = pruned(value)
            }
        }
        return .object(members)
    }

    private static func merge(_ current: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object = current else { return pruned(patch) }
        guard case .object = patch else { return patch }
        return apply(patch, to: current)
    }

    /// The value without `null` object members, at any depth (array elements stay).
    static func pruned(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): return .object(members.filter { $0.value != .null }.mapValues(pruned))
        case .array(let items): return .array(items.map { $0 == .null ? $0 : pruned($0) })
        default: return value
        }
    }
}
