import KubeModel

/// Merging lists: by merge key for lists of maps, as sets for lists of scalars.
///
/// Upstream merges in place in the live list's Go backing array, and the caller then orders the
/// result by that same array: deleted elements shift the later ones down and appended elements
/// fill the freed slots. That order decides where server-only elements land, so the merge also
/// returns this "view" of the original list (`originalView`), as upstream sees it afterwards.
extension StrategicMergePatch {
    struct MergedList {
        var merged: [JSONValue]
        var originalView: [JSONValue]
    }

    func mergeSliceHandler(_ original: [JSONValue], _ patch: [JSONValue], _ meta: FieldMeta,
                           strategy: String, isDeleteList: Bool) throws(Failure) -> MergedList {
        // A deletion list is applied whatever the field's strategy; other non-merge lists are replaced.
        guard strategy == Directive.merge || isDeleteList else { return MergedList(merged: patch, originalView: original) }
        return try mergeSlice(original, patch, meta, isDeleteList: isDeleteList)
    }

    func mergeSlice(_ original: [JSONValue], _ patch: [JSONValue], _ meta: FieldMeta,
                    isDeleteList: Bool) throws(Failure) -> MergedList {
        if original.isEmpty && patch.isEmpty { return MergedList(merged: original, originalView: original) }
        let kind = try Self.elementType(of: [original, patch])
        var live = original
        var view = original
        var patch = patch
        let merged: [JSONValue]
        if kind != Failure.mapType {
            if isDeleteList { return MergedList(merged: Self.deleting(patch, from: original), originalView: original) }
            merged = Self.deduplicated(original + patch)
        } else {
            guard !meta.mergeKey.isEmpty else {
                throw .other("cannot merge lists without merge key for \(typeName(meta.schema))")
            }
            let (remaining, plainPatch, shared) = try Self.applySpecialElements(live, patch, mergeKey: meta.mergeKey,
                                                                                view: &view)
            live = remaining
            patch = plainPatch
            merged = try mergeElements(live, patch, meta, view: &view, sharesView: shared)
        }
        let (patchItems, serverOnly) = try Self.partition(merged, by: patch, mergeKey: meta.mergeKey)
        let ordered = try Self.normalizedOrder(patchItems, serverOnly, patchOrder: patch, serverOrder: live,
                                               mergeKey: meta.mergeKey, kind: kind)
        return MergedList(merged: ordered, originalView: view)
    }

    /// Handles the list elements carrying `$patch`: `delete` removes every element with that
    /// merge key, `replace` makes the rest of the patch list the whole list. Returns the new
    /// list, the patch without the special elements and whether the list still shares upstream's
    /// backing array with the original (deletions shift `view`).
    static func applySpecialElements(_ original: [JSONValue], _ patch: [JSONValue], mergeKey: String,
                                     view: inout [JSONValue]) throws(Failure) -> ([JSONValue], [JSONValue], Bool) {
        var live = original
        var plain: [JSONValue] = []
        var replace = false
        for item in patch {
            guard case .object(let members) = item, let directive = members[Directive.marker] else {
                plain.append(item)
                continue
            }
            switch directive {
            case .string(Directive.delete):
                guard let value = members[mergeKey] else { throw .noMergeKey(members, mergeKey) }
                while let (_, index) = try findMap(in: live, key: mergeKey, value: value) {
                    for k in index..<(live.count - 1) { view[k] = live[k + 1] }
                    live.remove(at: index)
                }
            case .string(Directive.replace):
                replace = true
            case .string(Directive.merge):
                throw .other("merging lists cannot yet be specified in the patch")
            default:
                throw .badPatchType(directive, members)
            }
        }
        return replace ? (plain, [], false) : (live, plain, true)
    }

    /// Merges each patch element into the list element with the same merge key, or appends it
    /// (into a slot of `view` freed by a deletion, when the list still shares it).
    func mergeElements(_ original: [JSONValue], _ patch: [JSONValue], _ meta: FieldMeta,
                       view: inout [JSONValue], sharesView: Bool) throws(Failure) -> [JSONValue] {
        var result = original
        for item in patch {
            guard case .object(let members) = item else { throw .badArgType(expected: Failure.mapType, actual: item) }
            guard let value = members[meta.mergeKey] else { throw .noMergeKey(members, meta.mergeKey) }
            if let (match, index) = try Self.findMap(in: result, key: meta.mergeKey, value: value) {
                result[index] = .object(try mergeMap(match, members, meta.schema))
            } else {
                if sharesView && result.count < view.count { view[result.count] = item }
                result.append(item)
            }
        }
        return result
    }

    /// The first map of `list` whose `key` is `value`, with its index.
    static func findMap(in list: [JSONValue], key: String,
                        value: JSONValue) throws(Failure) -> ([String: JSONValue], Int)? {
        for (index, item) in list.enumerated() {
            guard case .object(let members) = item else { throw .other("value for key \(index) is not a map") }
            if let candidate = members[key], candidate == value { return (members, index) }
        }
        return nil
    }

    /// `$deleteFromPrimitiveList`: `current` without the values in `deletions`.
    static func deleting(_ deletions: [JSONValue], from current: [JSONValue]) -> [JSONValue] {
        let removed = Set(deletions)
        return current.filter { !removed.contains($0) }
    }

    /// Upstream's in-place de-duplication (a duplicate is overwritten by the last element, so
    /// the order can change; the order is normalised afterwards).
    static func deduplicated(_ list: [JSONValue]) -> [JSONValue] {
        var items = list
        var last = items.count - 1
        var i = 0
        while i < last {
            var j = i + 1
            while j <= last {
                if items[i] == items[j] {
                    items[j] = items[last]
                    items.removeLast()
                    last -= 1
                    j -= 1
                }
                j += 1
            }
            i += 1
        }
        return items
    }

    /// The Go type shared by every element of the lists: lists of lists and mixed lists are refused.
    static func elementType(of lists: [[JSONValue]]) throws(Failure) -> String {
        var previous: String?
        for list in lists {
            for item in list {
                if let previous {
                    if previous != item.goTypeName {
                        let rendered = JSONValue.array(lists.map { JSONValue.array($0) }).goDescription
                        throw .other("list element types are not identical: \(rendered)")
                    }
                } else {
                    if case .array = item { throw .listOfLists }
                    previous = item.goTypeName
                }
            }
        }
        guard let previous else { throw .other("no elements in any of the given slices") }
        return previous
    }

    /// How upstream names the element type in "cannot merge lists without merge key for …".
    func typeName(_ node: SchemaNode?) -> String {
        guard let node else { return "map" }
        return schema.resolve(node).properties.isEmpty ? "map" : "struct"
    }
}
