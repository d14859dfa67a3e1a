import KubeModel

/// The fields one object adds, changes and removes relative to another (upstream
/// `typed.Comparison`). Containers appear with their leaves: an added list element is in `added`
/// together with all its fields.
struct FieldComparison: Sendable {
    var added = FieldSet()
    var modified = FieldSet()
    var removed = FieldSet()

    var isSame: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }

    /// Upstream `ExcludeFields`: drops `fields` and everything below them.
    func excluding(_ fields: FieldSet) -> FieldComparison {
        guard !fields.isEmpty else { return self }
        return FieldComparison(added: added.recursiveDifference(fields),
                               modified: modified.recursiveDifference(fields),
                               removed: removed.recursiveDifference(fields))
    }
}

extension ApplySchema {
    /// Upstream `TypedValue.Compare`: what changes from `lhs` to `rhs`.
    func compare(_ lhs: JSONValue?, _ rhs: JSONValue?, type: ApplyType) throws(ApplyPathError) -> FieldComparison {
        var comparison = FieldComparison()
        var path: [PathElement] = []
        try compare(lhs, rhs, type, at: nil, path: &path, into: &comparison)
        return comparison
    }

    /// Compares the values at `element` of the node `parent` describes (nil: the root, which is
    /// never recorded itself), adding to `parent` what changed. The sets are built bottom-up: a
    /// container's comparison is made apart and hung below its element. `path` (the path to
    /// the values) only serves error messages.
    private func compare(_ lhs: JSONValue?, _ rhs: JSONValue?, _ type: ApplyType, at element: PathElement?,
                         path: inout [PathElement], into parent: inout FieldComparison) throws(ApplyPathError) {
        guard lhs != nil || rhs != nil else { return }
        // A value only the right side has is added whole, with everything below it.
        if lhs == nil, let rhs, let element {
            if let below = try addedFields(below: rhs, type, path: &path) { parent.added.setChild(element, below) }
            parent.added.insertMember(element)
            return
        }
        func leaf() {
            guard let element else { return }
            if lhs == nil {
                parent.added.insertMember(element)
            } else if let rhs {
                if !lhs!.structurallyEquals(rhs) { parent.modified.insertMember(element) }
            } else {
                parent.removed.insertMember(element)
            }
        }
        let shape = shape(type, for: rhs ?? lhs)
        if case .leaf = shape {
            return leaf()
        }
        // An unchanged container changes nothing below it: most of an object is untouched by
        // a write (a pod's spec by a status update), and comparing is cheaper than walking.
        // Not the root: a write nearly always changes something, and its members are checked.
        if element != nil, let lhs, let rhs, lhs.structurallyEquals(rhs) { return }
        var below = FieldComparison()
        switch shape {
        case .leaf:
            return leaf()
        case .object(let object):
            let (l, r) = (lhs?.objectMembers, rhs?.objectMembers)
            if Self.mismatched(lhs, l) || Self.mismatched(rhs, r) { return leaf() }
            if (l?.isEmpty ?? true) && (r?.isEmpty ?? true) { return leaf() }
            func visit(_ key: String, _ left: JSONValue?, _ right: JSONValue?) throws(ApplyPathError) {
                var (left, right) = (left, right)
                if left == nil || right == nil, let zero = zeroValue(of: key, in: object) {
                    if left == nil, l != nil, Self.hasContent(right) { left = zero }
                    if right == nil, r != nil, Self.hasContent(left) { right = zero }
                }
                let child = PathElement.field(key)
                path.append(child)
                defer { path.removeLast() }
                try compare(left, right, object.type(of: key), at: child, path: &path, into: &below)
            }
            for (key, left) in l ?? [:] { try visit(key, left, r?[key]) }
            for (key, right) in r ?? [:] where l?[key] == nil { try visit(key, nil, right) }
        case .list(let list):
            let (l, r) = (lhs?.arrayItems, rhs?.arrayItems)
            if Self.mismatched(lhs, l) || Self.mismatched(rhs, r) { return leaf() }
            if (l?.isEmpty ?? true) && (r?.isEmpty ?? true) { return leaf() }
            let left = try index(l, list, path: path, rejectDuplicates: false)
            let right = try index(r, list, path: path, rejectDuplicates: false)
            var seen: Set<PathElement> = []
            for child in left.order where seen.insert(child).inserted {
                path.append(child)
                defer { path.removeLast() }
                try compare(left.items[child], right.items[child], list.element, at: child, path: &path, into: &below)
            }
            for child in right.order where left.items[child] == nil && seen.insert(child).inserted {
                path.append(child)
                defer { path.removeLast() }
                try compare(nil, right.items[child], list.element, at: child, path: &path, into: &below)
            }
        }
        guard let element else {
            parent = below
            return
        }
        parent.added.setChild(element, below.added)
        parent.modified.setChild(element, below.modified)
        parent.removed.setChild(element, below.removed)
        if lhs == nil { parent.added.insertMember(element) } else if rhs == nil { parent.removed.insertMember(element) }
    }

    /// What ``compare(_:_:type:)`` finds added below `value` when the left side has nothing
    /// there: every field of it (nil when it is a leaf, an empty container or not the container
    /// its schema says, which are members only). A create's whole object and most of a status
    /// update take this path, which skips the modified and removed sets and the zero values.
    private func addedFields(below value: JSONValue, _ type: ApplyType,
                             path: inout [PathElement]) throws(ApplyPathError) -> FieldSet? {
        switch shape(type, for: value) {
        case .leaf:
            return nil
        case .object(let object):
            guard case .object(let fields) = value, !fields.isEmpty else { return nil }
            var members = Set<PathElement>(minimumCapacity: fields.count)
            var children: [PathElement: FieldSet] = [:]
            for (key, child) in fields {
                let element = PathElement.field(key)
                path.append(element)
                defer { path.removeLast() }
                if let below = try addedFields(below: child, object.type(of: key), path: &path) { children[element] = below }
                members.insert(element)
            }
            return .node(members: members, nonEmptyChildren: children)
        case .list(let list):
            guard case .array(let items) = value, !items.isEmpty else { return nil }
            let indexed = try index(items, list, path: path, rejectDuplicates: false)
            var members = Set<PathElement>(minimumCapacity: items.count)
            var children: [PathElement: FieldSet] = [:]
            for element in indexed.order where members.insert(element).inserted {
                guard let item = indexed.items[element] else { continue }
                path.append(element)
                defer { path.removeLast() }
                if let below = try addedFields(below: item, list.element, path: &path) { children[element] = below }
            }
            return .node(members: members, nonEmptyChildren: children)
        }
    }

    /// The value a declared field has in upstream's Go objects when Skiff's JSON omits it: a
    /// struct-typed field is an empty struct, a required list or map is `null` (Go always
    /// encodes those). Upstream compares such objects, so a struct or required list appearing
    /// with content was not itself added (only its content was) — which keeps `f:spec`,
    /// `f:template`, `f:containers` without `"."` in recorded sets, as upstream's are. Used only
    /// when the other side has content (an empty `{}` stays an owned leaf, as for a pointer).
    private func zeroValue(of field: String, in object: ObjectShape) -> JSONValue? {
        guard let node = object.fields[field] else { return nil }
        switch node.memo.value(ZeroValue.memoKey, { zero(of: node) }) {
        case .emptyObject: return .object([:])
        case .nullWhenRequired: return object.required.contains(field) ? .null : nil
        case .none: return nil
        }
    }

    /// The zero value of a field's schema, whatever object declares it.
    private enum ZeroValue: Sendable {
        static let memoKey = SchemaNodeMemo.Key<ZeroValue>()

        case emptyObject
        case nullWhenRequired
        case none
    }

    private func zero(of node: SchemaNode) -> ZeroValue {
        switch shape(of: node) {
        case .object(let nested) where !nested.fields.isEmpty: return .emptyObject
        case .object, .list: return .nullWhenRequired
        case .leaf: return !schema.resolve(node).properties.isEmpty ? .emptyObject : .none
        }
    }

    static func hasContent(_ value: JSONValue?) -> Bool {
        switch value {
        case .object(let members)?: return !members.isEmpty
        case .array(let items)?: return !items.isEmpty
        default: return false
        }
    }

    /// Upstream `TypedValue.RemoveItems`: `value` without the members of `set` (and what lies
    /// below them). Containers left empty disappear; nil when nothing is left.
    func removing(_ set: FieldSet, from value: JSONValue, type: ApplyType) -> JSONValue? {
        switch shape(type, for: value) {
        case .leaf:
            return value
        case .object(let object):
            guard case .object(let members) = value, !members.isEmpty else { return value }
            var out: [String: JSONValue] = [:]
            for (key, child) in members {
                let element = PathElement.field(key)
                if set.members.contains(element) { continue }
                let below = set.withPrefix(element)
                if below.isEmpty {
                    out[key] = child
                } else if let kept = removing(below, from: child, type: object.type(of: key)) {
                    out[key] = kept
                }
            }
            return out.isEmpty ? nil : .object(out)
        case .list(let list):
            guard case .array(let items) = value, !items.isEmpty else { return value }
            var out: [JSONValue] = []
            for (position, item) in items.enumerated() {
                guard case .success(let element) = pathElement(of: item, in: list, at: position) else {
                    out.append(item)
                    continue
                }
                if set.members.contains(element) { continue }
                let below = set.withPrefix(element)
                if below.isEmpty {
                    out.append(item)
                } else if let kept = removing(below, from: item, type: list.element) {
                    out.append(kept)
                }
            }
            return out.isEmpty ? nil : .array(out)
        }
    }

    /// Upstream `Set.EnsureNamedFieldsAreMembers`: `set` with every declared field of an object
    /// that has members below it made a member too (map entries and list elements are already).
    func ensuringNamedFieldsAreMembers(_ set: FieldSet, type: ApplyType) -> FieldSet {
        guard case .node(let node) = type else { return set }
        let shape = shape(of: node)
        var members = set.members
        var children: [PathElement: FieldSet] = [:]
        for (element, child) in set.children {
            var childType: ApplyType = .untyped
            switch (element, shape) {
            case (.field(let name), .object(let object)):
                childType = object.type(of: name)
                if object.declares(name) { members.insert(element) }
            case (.key, .list(let list)):
                childType = list.element
            default:
                break
            }
            children[element] = ensuringNamedFieldsAreMembers(child, type: childType)
        }
        return FieldSet.node(members: members, children: children)
    }
}
