import KubeModel

/// A set of field paths, stored as upstream's `fieldpath.Set`: a tree whose nodes say which of
/// their children are *members* (the field itself is in the set) and which have descendants in
/// the set. A field can be both — a list element (`k:{"name":"c"}`) is owned as a whole and its
/// fields are owned too — which FieldsV1 writes as `".": {}`.
///
/// Children never hold empty sets, so two sets are equal exactly when they hold the same paths.
public struct FieldSet: Hashable, Sendable, CustomStringConvertible {
    public private(set) var members: Set<PathElement>
    public private(set) var children: [PathElement: FieldSet]

    public init() {
        members = []
        children = [:]
    }

    public init(_ paths: [FieldPath]) {
        self.init()
        for path in paths { insert(path) }
    }

    /// Upstream's convenience: each path given as field names separated by dots (`"spec.replicas"`).
    public init(dotted paths: String...) {
        self.init(paths.map { FieldPath($0.split(separator: ".").map { PathElement.field(String($0)) }) })
    }

    private init(members: Set<PathElement>, children: [PathElement: FieldSet]) {
        self.members = members
        self.children = children.filter { !$0.value.isEmpty }
    }

    public var isEmpty: Bool { members.isEmpty && children.isEmpty }

    /// Adds the field at `path` (not its parents). The empty path (the whole object) is never owned.
    public mutating func insert(_ path: FieldPath) {
        insert(path.elements[...])
    }

    private mutating func insert(_ path: ArraySlice<PathElement>) {
        guard let first = path.first else { return }
        if path.count == 1 {
            members.insert(first)
        } else {
            children[first, default: FieldSet()].insert(path.dropFirst())
        }
    }

    /// Makes `element` (a direct child) a member.
    mutating func insertMember(_ element: PathElement) {
        members.insert(element)
    }

    /// Puts `set` below `element`, replacing what was there (nothing when `set` is empty).
    mutating func setChild(_ element: PathElement, _ set: FieldSet) {
        children[element] = set.isEmpty ? nil : set
    }

    /// Whether the field at `path` is a member.
    public func contains(_ path: FieldPath) -> Bool {
        var node = self
        for (i, element) in path.elements.enumerated() {
            if i == path.elements.count - 1 { return node.members.contains(element) }
            guard let child = node.children[element] else { return false }
            node = child
        }
        return false
    }

    /// The paths below `element`, without it (empty when there are none).
    public func withPrefix(_ element: PathElement) -> FieldSet { children[element] ?? FieldSet() }

    // MARK: Set algebra (upstream's semantics)

    public func union(_ other: FieldSet) -> FieldSet {
        if other.isEmpty { return self }
        if isEmpty { return other }
        var children = self.children
        for (element, set) in other.children {
            children[element] = children[element].map { $0.union(set) } ?? set
        }
        return FieldSet(members: members.union(other.members), children: children)
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        if isEmpty || other.isEmpty { return FieldSet() }
        var children: [PathElement: FieldSet] = [:]
        for (element, set) in self.children {
            if let theirs = other.children[element] { children[element] = set.intersection(theirs) }
        }
        return FieldSet(members: members.intersection(other.members), children: children)
    }

    /// The paths of this set not in `other`. Only exact paths are removed: removing a parent
    /// leaves its children (see ``recursiveDifference(_:)``).
    public func subtracting(_ other: FieldSet) -> FieldSet {
        if isEmpty || other.isEmpty { return self }
        var children: [PathElement: FieldSet] = [:]
        for (element, set) in self.children {
            children[element] = other.children[element].map { set.subtracting($0) } ?? set
        }
        return FieldSet(members: members.subtracting(other.members), children: children)
    }

    /// The paths of this set not in `other` and not below a member of `other`.
    public func recursiveDifference(_ other: FieldSet) -> FieldSet {
        if isEmpty || other.isEmpty { return self }
        var children: [PathElement: FieldSet] = [:]
        for (element, set) in self.children where !other.members.contains(element) {
            children[element] = other.children[element].map { set.recursiveDifference($0) } ?? set
        }
        return FieldSet(members: members.subtracting(other.members), children: children)
    }

    /// The members that have no members below them.
    public var leaves: FieldSet {
        var children: [PathElement: FieldSet] = [:]
        for (element, set) in self.children { children[element] = set.leaves }
        let leafMembers = members.filter { self.children[$0] == nil }
        return FieldSet(members: leafMembers, children: children)
    }

    // MARK: Iteration

    /// Every member, in upstream's order (a node's members sorted, then its children sorted, depth first).
    public var paths: [FieldPath] {
        var out: [FieldPath] = []
        collect(prefix: [], into: &out)
        return out
    }

    private func collect(prefix: [PathElement], into out: inout [FieldPath]) {
        for member in members.sorted() { out.append(FieldPath(prefix + [member])) }
        for element in children.keys.sorted() { children[element]!.collect(prefix: prefix + [element], into: &out) }
    }

    /// One path per line, as upstream's `Set.String()`.
    public var description: String { paths.map(\.description).joined(separator: "\n") }

    /// Rebuilds a node from parts (children pruned of empty sets).
    static func node(members: Set<PathElement>, children: [PathElement: FieldSet]) -> FieldSet {
        FieldSet(members: members, children: children)
    }

    /// A node from parts whose children are known to be non-empty (no pruning pass).
    static func node(members: Set<PathElement>, nonEmptyChildren children: [PathElement: FieldSet]) -> FieldSet {
        var set = FieldSet()
        set.members = members
        set.children = children
        return set
    }
}
