import KubeModel

/// The few paths of an object a selector reads (`metadata.labels`, `spec.nodeName`, …), as a
/// trie, and the partial JSON tree holding just them, read straight from stored JSON bytes.
///
/// Watches with selectors test every event of their resource. Decoding each stored object into
/// its Swift type and encoding it back into a tree to read two fields cost more than everything
/// else a watch does per event; this reads the bytes once, skipping every value off the paths
/// without building anything.
struct StoredFieldPaths: Sendable {
    /// Children by key; a path ending at a node takes its whole value.
    private var children: [String: StoredFieldPaths] = [:]
    private var whole = false

    init() {}

    /// The trie of dotted `paths` (`"metadata.labels"`, `"status.podIP"`).
    init(_ paths: some Sequence<String>) {
        for path in paths { insert(path.split(separator: ".").map(String.init)[...]) }
    }

    private mutating func insert(_ path: ArraySlice<String>) {
        guard let first = path.first else {
            whole = true
            return
        }
        children[first, default: StoredFieldPaths()].insert(path.dropFirst())
    }

    var isEmpty: Bool { children.isEmpty && !whole }

    /// The object in `bytes` with only the members on these paths (nil when the bytes do not
    /// hold a JSON object). Values off the paths are skipped; a path through a non-object ends
    /// there, as `JSONValue.value(at:)` would find nothing below it.
    func tree(of bytes: [UInt8]) -> JSONValue? {
        var reader = JSONReader(bytes)
        return try? read(&reader)
    }

    private func read(_ reader: inout JSONReader) throws(JSONParser.SyntaxError) -> JSONValue? {
        if whole { return try reader.readValue() }
        do {
            try reader.beginObject()
        } catch {
            // Not an object (nothing was consumed): nothing lies below this path.
            try reader.skipValue()
            return nil
        }
        var members: [String: JSONValue] = [:]
        var first = true
        while let key = try reader.nextKey(&first) {
            if let child = children[key] {
                members[key] = try child.read(&reader)
            } else {
                try reader.skipValue()
            }
        }
        return .object(members)
    }
}
