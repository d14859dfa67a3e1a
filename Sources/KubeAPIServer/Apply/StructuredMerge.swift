import KubeModel

/// A granular list indexed by path element (upstream `indexListPathElements`).
struct IndexedList {
    /// Every element's key, in list order (a duplicated key once per occurrence).
    var order: [PathElement] = []
    /// The elements, parallel to `order`.
    var values: [JSONValue] = []
    /// The first element with each key.
    var items: [PathElement: JSONValue] = [:]
    /// Keys more than one element has (live objects only).
    var duplicated: Set<PathElement> = []
}

extension ApplySchema {
    /// Indexes a list's elements; duplicates are an error when `rejectDuplicates`, else kept aside.
    func index(_ items: [JSONValue]?, _ list: ListShape, path: [PathElement],
               rejectDuplicates: Bool) throws(ApplyPathError) -> IndexedList {
        var indexed = IndexedList()
        for (position, item) in (items ?? []).enumerated() {
            let element: PathElement
            switch pathElement(of: item, in: list, at: position) {
            case .success(let found): element = found
            case .failure(let error): throw error.at(FieldPath(path))
            }
            if indexed.items[element] != nil {
                if rejectDuplicates {
                    throw ApplyPathError("duplicate entries for key \(element)").at(FieldPath(path))
                }
                indexed.duplicated.insert(element)
            } else {
                indexed.items[element] = item
            }
            indexed.order.append(element)
            indexed.values.append(item)
        }
        return indexed
    }

    /// Upstream `TypedValue.Merge`: `rhs` (the applied configuration) merged into `lhs` (the
    /// live object). Leaves take the right-hand value; objects merge field by field; associative
    /// lists and sets merge element by element, in upstream's order (the live order, with the
    /// applied elements' relative order enforced and new elements placed after their applied
    /// predecessor). nil when both sides are absent.
    func merge(_ lhs: JSONValue?, _ rhs: JSONValue?, type: ApplyType,
               path: [PathElement] = []) throws(ApplyPathError) -> JSONValue? {
        guard lhs != nil || rhs != nil else { return nil }
        let keep = rhs ?? lhs
        switch shape(type, for: rhs ?? lhs) {
        case .leaf:
            return keep
        case .object(let object):
            let (l, r) = (lhs?.objectMembers, rhs?.objectMembers)
            if Self.mismatched(lhs, l) || Self.mismatched(rhs, r) { return keep }
            if (l?.isEmpty ?? true) && (r?.isEmpty ?? true) { return keep }
            var out: [String: JSONValue] = [:]
            for key in Set((l ?? [:]).keys).union((r ?? [:]).keys) {
                if let merged = try merge(l?[key], r?[key], type: object.type(of: key), path: path + [.field(key)]) {
                    out[key] = merged
                }
            }
            return out.isEmpty ? nil : .object(out)
        case .list(let list):
            let (l, r) = (lhs?.arrayItems, rhs?.arrayItems)
            if Self.mismatched(lhs, l) || Self.mismatched(rhs, r) { return keep }
            if (l?.isEmpty ?? true) && (r?.isEmpty ?? true) { return keep }
            let merged = try mergeItems(index(l, list, path: path, rejectDuplicates: false),
                                        index(r, list, path: path, rejectDuplicates: true), list, path)
            return merged.isEmpty ? nil : .array(merged)
        }
    }

    /// Whether a present, non-null value is not of the kind its shape expects.
    static func mismatched<T>(_ value: JSONValue?, _ typed: T?) -> Bool {
        guard let value, value != .null else { return false }
        return typed == nil
    }

    /// Upstream's list merge order. Elements whose key the live list holds more than once are
    /// kept as they are when the configuration does not name them, and replaced by the
    /// configuration's element when it does.
    private func mergeItems(_ lhs: IndexedList, _ rhs: IndexedList, _ list: ListShape,
                            _ path: [PathElement]) throws(ApplyPathError) -> [JSONValue] {
        var out: [JSONValue] = []
        var shared = rhs.order.filter { lhs.items[$0] != nil }[...]
        var nextShared = shared.popFirst()
        func emit(_ element: PathElement, _ left: JSONValue?, _ right: JSONValue?) throws(ApplyPathError) {
            let left = lhs.duplicated.contains(element) && right != nil ? nil : left
            if let merged = try merge(left, right, type: list.element, path: path + [element]) { out.append(merged) }
        }
        var (li, ri) = (0, 0)
        while li < lhs.order.count || ri < rhs.order.count {
            if li < lhs.order.count && ri < rhs.order.count {
                let element = lhs.order[li]
                if element == rhs.order[ri] {
                    try emit(element, lhs.values[li], rhs.items[element])
                    li += 1
                    ri += 1
                    nextShared = shared.popFirst()
                    continue
                }
                if rhs.items[element] != nil, let next = nextShared, next != element {
                    // A shared element the applied order places later: it is merged there.
                    li += 1
                    continue
                }
            }
            if li < lhs.order.count {
                let element = lhs.order[li]
                if rhs.items[element] == nil {
                    if lhs.duplicated.contains(element) {
                        out.append(lhs.values[li])
                    } else {
                        try emit(element, lhs.values[li], nil)
                    }
                    li += 1
                    continue
                }
            }
            if ri < rhs.order.count {
                let element = rhs.order[ri]
                try emit(element, lhs.items[element], rhs.items[element])
                ri += 1
                if nextShared == element { nextShared = shared.popFirst() }
            } else {
                li += 1  // a later occurrence of a duplicated key the configuration already placed
            }
        }
        return out
    }
}
