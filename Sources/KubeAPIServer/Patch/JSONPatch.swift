import KubeModel

/// An RFC 6902 JSON patch, applied with the semantics of the library kube-apiserver uses
/// (evanphx/json-patch v4): `add`, `remove`, `replace`, `move`, `copy`, `test` on RFC 6901
/// pointers (`~0`/`~1` escapes, `-` appends, negative indices count from the end). Like upstream,
/// `replace` of a missing object member adds it, and `copy` of a missing member copies `null`.
struct JSONPatch: Sendable {
    struct Operation: Sendable, Equatable {
        /// `add`, `remove`, … (`unknown` when absent).
        var op: String
        var path: String?
        var from: String?
        /// The `value` member (`null` when absent).
        var value: JSONValue
    }

    /// Why a patch cannot be applied, worded as upstream's library words it.
    struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    var operations: [Operation]

    init(operations: [Operation]) {
        self.operations = operations
    }

    /// Reads a patch document: an array of operation objects (`null`: no operations). The
    /// failure reads like Go's JSON decoder (`json: cannot unmarshal object into …`).
    init(_ document: JSONValue) throws(Failure) {
        switch document {
        case .null:
            operations = []
        case .array(let items):
            var operations: [Operation] = []
            for item in items {
                guard case .object(let members) = item else {
                    if item == .null { operations.append(Operation(op: "unknown", value: .null)); continue }
                    throw Failure("json: cannot unmarshal \(StrategicMergePatch.jsonTypeName(item)) into Go value of type handlers.jsonPatchOp")
                }
                func string(_ name: String) throws(Failure) -> String? {
                    switch members[name] {
                    case .none, .null?: return nil
                    case .string(let text)?: return text
                    case let other?:
                        throw Failure("json: cannot unmarshal \(StrategicMergePatch.jsonTypeName(other)) into Go struct field jsonPatchOp.\(name) of type string")
                    }
                }
                let op = try string("op") ?? "unknown"
                operations.append(Operation(op: op.isEmpty ? "unknown" : op, path: try string("path"),
                                            from: try string("from"), value: members["value"] ?? .null))
            }
            self.operations = operations
        default:
            throw Failure("json: cannot unmarshal \(StrategicMergePatch.jsonTypeName(document)) into Go value of type []handlers.jsonPatchOp")
        }
    }

    /// The document with every operation applied in order; the first failing one aborts.
    func apply(to document: JSONValue) throws(Failure) -> JSONValue {
        var document = document
        for operation in operations {
            switch operation.op {
            case "add": try Self.add(&document, operation)
            case "remove": try Self.remove(&document, operation)
            case "replace": try Self.replace(&document, operation)
            case "move": try Self.move(&document, operation)
            case "test": try Self.test(document, operation)
            case "copy": try Self.copy(&document, operation)
            default: throw Failure("Unexpected kind: \(operation.op)")
            }
        }
        return document
    }

    // MARK: Operations

    static func add(_ document: inout JSONValue, _ operation: Operation) throws(Failure) {
        guard let path = operation.path else { throw Failure("add operation failed to decode path: missing value") }
        let done: Void? = try withContainer(&document, of: path) { (container, key) throws(Failure) in
            do { try JSONPointerContainer.add(&container, key, operation.value) } catch {
                throw Failure("error in add for path: '\(path)': \(error)")
            }
        }
        if done == nil { throw Failure("add operation does not apply: doc is missing path: \"\(path)\": missing value") }
    }

    static func remove(_ document: inout JSONValue, _ operation: Operation) throws(Failure) {
        guard let path = operation.path else { throw Failure("remove operation failed to decode path: missing value") }
        let done: Void? = try withContainer(&document, of: path) { (container, key) throws(Failure) in
            do { try JSONPointerContainer.remove(&container, key) } catch {
                throw Failure("error in remove for path: '\(path)': \(error)")
            }
        }
        if done == nil { throw Failure("remove operation does not apply: doc is missing path: \"\(path)\": missing value") }
    }

    static func replace(_ document: inout JSONValue, _ operation: Operation) throws(Failure) {
        guard let path = operation.path else {
            throw Failure("replace operation failed to decode path: operation missing path field: missing value")
        }
        if path.isEmpty {
            // The whole document; upstream silently ignores a value that is not an object or array.
            switch operation.value {
            case .object, .array: document = operation.value
            default: break
            }
            return
        }
        let done: Void? = try withContainer(&document, of: path) { (container, key) throws(Failure) in
            do { _ = try JSONPointerContainer.get(container, key) } catch {
                throw Failure("replace operation does not apply: doc is missing key: \(path): missing value")
            }
            JSONPointerContainer.set(&container, key, operation.value)
        }
        if done == nil { throw Failure("replace operation does not apply: doc is missing path: \(path): missing value") }
    }

    static func move(_ document: inout JSONValue, _ operation: Operation) throws(Failure) {
        guard let from = operation.from else {
            throw Failure("move operation failed to decode from: operation, missing from field: missing value")
        }
        let taken = try withContainer(&document, of: from) { (container, key) throws(Failure) -> JSONValue in
            do {
                let value = try JSONPointerContainer.get(container, key) ?? .null
                try JSONPointerContainer.remove(&container, key)
                return value
            } catch {
                throw Failure("error in move for path: '\(key)': \(error)")
            }
        }
        guard let value = taken else {
            throw Failure("move operation does not apply: doc is missing from path: \(from): missing value")
        }
        guard let path = operation.path else {
            throw Failure("move operation failed to decode path: operation missing path field: missing value")
        }
        let done: Void? = try withContainer(&document, of: path) { (container, key) throws(Failure) in
            do { try JSONPointerContainer.add(&container, key, value) } catch {
                throw Failure("error in move for path: '\(path)': \(error)")
            }
        }
        if done == nil { throw Failure("move operation does not apply: doc is missing destination path: \(path): missing value") }
    }

    static func copy(_ document: inout JSONValue, _ operation: Operation) throws(Failure) {
        guard let from = operation.from else {
            throw Failure("copy operation failed to decode from: operation, missing from field: missing value")
        }
        var source = document
        let found = try withContainer(&source, of: from) { (container, key) throws(Failure) -> JSONValue in
            do { return try JSONPointerContainer.get(container, key) ?? .null } catch {
                throw Failure("error in copy for from: '\(from)': \(error)")
            }
        }
        guard let value = found else {
            throw Failure("copy operation does not apply: doc is missing from path: \(from): missing value")
        }
        guard let path = operation.path else { throw Failure("copy operation failed to decode path: missing value") }
        let done: Void? = try withContainer(&document, of: path) { (container, key) throws(Failure) in
            do { try JSONPointerContainer.add(&container, key, value) } catch {
                throw Failure("error while adding value during copy: \(error)")
            }
        }
        if done == nil { throw Failure("copy operation does not apply: doc is missing destination path: \(path): missing value") }
    }

    static func test(_ document: JSONValue, _ operation: Operation) throws(Failure) {
        guard let path = operation.path else {
            throw Failure("test operation failed to decode path: operation missing path field: missing value")
        }
        var copy = document
        let found = try withContainer(&copy, of: path) { (container, key) throws(Failure) -> JSONValue? in
            do { return try JSONPointerContainer.get(container, key) } catch {
                throw Failure("error in test for path: '\(path)': \(error)")
            }
        }
        guard let actual = found else { throw Failure("test operation does not apply: is missing path: \(path): missing value") }
        let passed: Bool
        if let actual {
            passed = operation.value != .null && Self.matches(actual, operation.value)
        } else {
            passed = operation.value == .null
        }
        if !passed { throw Failure("testing value \(path) failed: test failed") }
    }

    /// The `test` comparison of upstream's library: objects match when every member of the
    /// document's object matches in the test value; arrays element-wise; scalars exactly.
    static func matches(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        switch (actual, expected) {
        case (.object(let members), .object(let wanted)):
            for (key, value) in members {
                guard let other = wanted[key] else { return false }
                if value == .null && other == .null { continue }
                if !matches(value, other) { return false }
            }
            return true
        case (.array(let items), .array(let wanted)):
            return items.count == wanted.count && zip(items, wanted).allSatisfy { matches($0, $1) }
        default:
            return actual == expected
        }
    }

    // MARK: Pointers

    /// Runs `body` on the container the pointer's parent names and the pointer's last token;
    /// nil when the pointer has no parent or the parent is not an existing object or array.
    static func withContainer<T>(_ document: inout JSONValue, of pointer: String,
                                 _ body: (inout JSONValue, String) throws(Failure) -> T) throws(Failure) -> T? {
        let tokens = pointer.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard tokens.count >= 2 else { return nil }
        let parents = tokens[1..<(tokens.count - 1)].map(JSONPointerContainer.unescape)
        let key = JSONPointerContainer.unescape(tokens[tokens.count - 1])
        return try JSONPointerContainer.descend(&document, parents[...]) { (container) throws(Failure) in
            try body(&container, key)
        }
    }
}
