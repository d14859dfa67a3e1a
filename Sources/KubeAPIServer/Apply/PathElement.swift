import KubeModel

/// One step of a field path, as structured-merge-diff's `fieldpath.PathElement` names it:
///
/// - `field`: a field of an object or an entry of a map (`f:name` in FieldsV1, `.name` in paths);
/// - `key`: the element of an associative list (`x-kubernetes-list-type: map`) whose key fields
///   have these values, sorted by name (`k:{"name":"c"}`, `[name="c"]`);
/// - `value`: the element of a set list (`x-kubernetes-list-type: set`) with this value
///   (`v:"x"`, `[="x"]`);
/// - `index`: an element of a list by position (`i:0`, `[0]`); upstream only produces it for
///   lists it cannot key, which the Kubernetes schema never asks for, but it reads and writes it.
///
/// Elements are ordered as upstream orders them (fields, then keys, then values, then indices),
/// which is the order FieldsV1 is written in.
public enum PathElement: Hashable, Sendable, Comparable, CustomStringConvertible {
    case field(String)
    case key([KeyField])
    case value(JSONValue)
    case index(Int)

    /// One key field of an associative-list element.
    public struct KeyField: Hashable, Sendable {
        public var name: String
        public var value: JSONValue

        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value.canonicalForKeys
        }
    }

    /// A key element from name/value pairs (sorted by name, as upstream keeps them).
    public static func keyed(_ fields: [String: JSONValue]) -> PathElement {
        .key(fields.keys.sorted { JSONValue.compareBytes($0, $1) < 0 }.map { KeyField(name: $0, value: fields[$0]!) })
    }

    /// A set element (numbers canonicalised so `1.0` and `1` are one element).
    public static func setValue(_ value: JSONValue) -> PathElement { .value(value.canonicalForKeys) }

    // MARK: Order

    private var rank: Int {
        switch self {
        case .field: return 0
        case .key: return 1
        case .value: return 2
        case .index: return 3
        }
    }

    /// `PathElement.Compare`.
    static func compare(_ lhs: PathElement, _ rhs: PathElement) -> Int {
        if lhs.rank != rhs.rank { return lhs.rank < rhs.rank ? -1 : 1 }
        switch (lhs, rhs) {
        case (.field(let a), .field(let b)): return JSONValue.compareBytes(a, b)
        case (.key(let a), .key(let b)):
            for (x, y) in zip(a, b) {
                let names = JSONValue.compareBytes(x.name, y.name)
                if names != 0 { return names }
                let values = JSONValue.structuralCompare(x.value, y.value)
                if values != 0 { return values }
            }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        case (.value(let a), .value(let b)): return JSONValue.structuralCompare(a, b)
        case (.index(let a), .index(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        default: return 0
        }
    }

    public static func < (lhs: PathElement, rhs: PathElement) -> Bool { compare(lhs, rhs) < 0 }

    // MARK: Text

    /// As field paths print it: `.name`, `[name="c",port=80]`, `[="x"]`, `[0]`.
    public var description: String {
        switch self {
        case .field(let name): return "." + name
        case .key(let fields): return "[" + fields.map { "\($0.name)=\($0.value.fieldPathText)" }.joined(separator: ",") + "]"
        case .value(let value): return "[=" + value.fieldPathText + "]"
        case .index(let index): return "[\(index)]"
        }
    }

    /// The FieldsV1 key: `f:name`, `k:{"name":"c"}`, `v:"x"`, `i:0`.
    public var fieldsV1Key: String {
        switch self {
        case .field(let name): return "f:" + name
        case .key(let fields):
            let members = fields.map { JSONValue.string($0.name).goJSONText + ":" + $0.value.goJSONText }
            return "k:{" + members.joined(separator: ",") + "}"
        case .value(let value): return "v:" + value.goJSONText
        case .index(let index): return "i:\(index)"
        }
    }

    /// Parses a FieldsV1 key; nil for a key of an unknown kind (upstream skips those).
    init?(fieldsV1Key key: String) throws(ApplyError) {
        let bytes = Array(key.utf8)
        guard bytes.count >= 2 else { throw .managedFields("key must be 2 characters long: \(key)") }
        guard bytes[1] == UInt8(ascii: ":") else { throw .managedFields("missing colon: \(key)") }
        let rest = String(decoding: bytes[2...], as: UTF8.self)
        switch bytes[0] {
        case UInt8(ascii: "f"):
            self = .field(rest)
        case UInt8(ascii: "v"):
            guard let value = try? JSONParser.parse(Array(rest.utf8)) else {
                throw .managedFields("parsing key as path element: invalid value in \(key)")
            }
            self = .setValue(value)
        case UInt8(ascii: "k"):
            guard case .object(let members)? = try? JSONParser.parse(Array(rest.utf8)) else {
                throw .managedFields("parsing key as path element: invalid key in \(key)")
            }
            self = .keyed(members)
        case UInt8(ascii: "i"):
            guard let index = Int(rest) else { throw .managedFields("parsing key as path element: invalid index in \(key)") }
            self = .index(index)
        default:
            return nil
        }
    }
}

/// A path to a field: the elements from the object's root (upstream `fieldpath.Path`).
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var elements: [PathElement]

    public init(_ elements: [PathElement]) {
        self.elements = elements
    }

    public init(arrayLiteral elements: PathElement...) {
        self.elements = elements
    }

    /// A path of field names: `FieldPath(fields: "spec", "replicas")`.
    public init(fields names: String...) {
        elements = names.map(PathElement.field)
    }

    public func appending(_ element: PathElement) -> FieldPath { FieldPath(elements + [element]) }

    public var isEmpty: Bool { elements.isEmpty }

    /// As upstream prints it in conflicts: `.spec.containers[name="c"].image`.
    public var description: String { elements.map(\.description).joined() }
}
