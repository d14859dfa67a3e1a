import KubeModel

/// The `FieldsV1` encoding of a field set (`metadata.managedFields[].fieldsV1`), both ways, as
/// upstream's `Set.ToJSON` / `Set.FromJSON` write and read it: each element is an object key
/// (`f:`, `k:`, `v:`, `i:`); a member without descendants maps to `{}`; a member with descendants
/// maps to its descendants plus `".": {}`; a non-member maps to its descendants only.
extension FieldSet {
    /// The set as FieldsV1 JSON. Every write that changes an object's fields encodes its
    /// managers' sets, and the same sets recur (each pod of a template, each node's Lease):
    /// encoded sets seen more than once are remembered (a pod's status set, naming its IPs, is
    /// seen once).
    public var fieldsV1: JSONValue {
        Self.encodedSets.value(for: self) { $0.encodedFieldsV1 }
    }

    private static let encodedSets = RecurringMemo<FieldSet, JSONValue>(capacity: 1024)

    private var encodedFieldsV1: JSONValue {
        var out: [String: JSONValue] = [:]
        out.reserveCapacity(members.count + children.count)
        for member in members where children[member] == nil {
            out[member.fieldsV1Key] = .object([:])
        }
        for (element, set) in children {
            guard case .object(var nested) = set.encodedFieldsV1 else { continue }
            if members.contains(element) { nested["."] = .object([:]) }
            out[element.fieldsV1Key] = .object(nested)
        }
        return .object(out)
    }

    /// The FieldsV1 text exactly as upstream writes it: elements in path-element order, `"."`
    /// after a member's descendants.
    public var fieldsV1Text: String {
        "{" + contentsText(includeSelf: false) + "}"
    }

    private func contentsText(includeSelf: Bool) -> String {
        var parts: [String] = []
        let elements = Set(members).union(children.keys).sorted()
        for element in elements {
            let key = JSONValue.string(element.fieldsV1Key).goJSONText
            if let set = children[element] {
                parts.append(key + ":{" + set.contentsText(includeSelf: members.contains(element)) + "}")
            } else {
                parts.append(key + ":{}")
            }
        }
        if includeSelf && !parts.isEmpty { parts.append("\".\":{}") }
        return parts.joined(separator: ",")
    }

    /// Reads FieldsV1 JSON. Keys of unknown kinds are skipped, as upstream does; malformed keys
    /// and non-object values throw.
    public init(fieldsV1: JSONValue) throws(ApplyError) {
        guard case .object(let members) = fieldsV1 else {
            throw .managedFields("FieldsV1 is not a JSON object")
        }
        self = try Self.read(members).children ?? FieldSet()
    }

    /// Reads FieldsV1 text (`{"f:metadata":{…}}`).
    public init(fieldsV1Text text: String) throws(ApplyError) {
        guard let value = try? JSONParser.parse(Array(text.utf8)) else {
            throw .managedFields("FieldsV1 is not valid JSON")
        }
        try self.init(fieldsV1: value)
    }

    /// Upstream's `readIterV1`: the descendants of one node and whether the node is a member.
    private static func read(_ object: [String: JSONValue]) throws(ApplyError) -> (children: FieldSet?, isMember: Bool) {
        var isMember = false
        var members: Set<PathElement> = []
        var children: [PathElement: FieldSet] = [:]
        var any = false
        for (key, value) in object {
            if key == "." {
                isMember = true
                continue
            }
            guard let element = try PathElement(fieldsV1Key: key) else { continue }
            guard case .object(let nested) = value else {
                throw .managedFields("FieldsV1 value of \(key) is not an object")
            }
            let (grandchildren, childIsMember) = try read(nested)
            if childIsMember {
                members.insert(element)
                any = true
            }
            if let grandchildren, !grandchildren.isEmpty {
                children[element] = grandchildren
                any = true
            }
        }
        if !any { return (nil, true) }
        return (FieldSet.node(members: members, children: children), isMember)
    }
}

extension MetaV1.ManagedFieldsEntry {
    /// The entry's field set (`fieldsV1`, empty when absent). Every write decodes the stored
    /// entries, and one manager's FieldsV1 recurs across writes: decoded sets are remembered.
    /// Some sets are one object's own (a kubelet's Lease names its Node's UID in
    /// `ownerReferences`), so the memo holds enough for every Lease of a 5,000-node cluster:
    /// with 1,024 entries, emptied when full, Lease renewals missed nearly always.
    public func fieldSet() throws(ApplyError) -> FieldSet {
        guard let fieldsV1 else { return FieldSet() }
        return try Self.decodedSets.value(for: fieldsV1) { fieldsV1 throws(ApplyError) in try FieldSet(fieldsV1: fieldsV1) }
    }

    private static let decodedSets = BoundedMemo<JSONValue, FieldSet>(capacity: 8192)
}
