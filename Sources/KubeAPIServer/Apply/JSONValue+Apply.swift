import KubeModel

/// JSON helpers of the structured merge: value equality and ordering as structured-merge-diff's
/// `value` package defines them (integers and floats compare numerically), Go's `%q` quoting for
/// field paths, and the Go `encoding/json` HTML escaping that FieldsV1 keys carry.
extension JSONValue {
    /// `value.Equals`: like `==`, except that `1` and `1.0` are equal.
    func structurallyEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            return zip(a, b).allSatisfy { $0.structurallyEquals($1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { key, value in b[key].map { value.structurallyEquals($0) } ?? false }
        default: return self == other
        }
    }

    /// The value with integral floating-point numbers turned into integers, so equal keys hash alike.
    var canonicalForKeys: JSONValue {
        switch self {
        case .double(let d) where d == d.rounded() && abs(d) < 9.0e18: return .int(Int64(d))
        case .array(let items): return .array(items.map(\.canonicalForKeys))
        case .object(let members): return .object(members.mapValues(\.canonicalForKeys))
        default: return self
        }
    }

    /// `value.Compare`: numbers < strings < booleans < lists < maps < null.
    static func structuralCompare(_ lhs: JSONValue, _ rhs: JSONValue) -> Int {
        func rank(_ v: JSONValue) -> Int {
            switch v {
            case .int, .double: return 0
            case .string: return 1
            case .bool: return 2
            case .array: return 3
            case .object: return 4
            case .null: return 5
            }
        }
        let (l, r) = (rank(lhs), rank(rhs))
        if l != r { return l < r ? -1 : 1 }
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.int(let a), .double(let b)): return compareDoubles(Double(a), b)
        case (.double(let a), .int(let b)): return compareDoubles(a, Double(b))
        case (.double(let a), .double(let b)): return compareDoubles(a, b)
        case (.string(let a), .string(let b)): return compareBytes(a, b)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.array(let a), .array(let b)):
            for (x, y) in zip(a, b) {
                let c = structuralCompare(x, y)
                if c != 0 { return c }
            }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        case (.object(let a), .object(let b)):
            let (ka, kb) = (a.keys.sorted(by: { compareBytes($0, $1) < 0 }), b.keys.sorted(by: { compareBytes($0, $1) < 0 }))
            for (x, y) in zip(ka, kb) {
                let c = compareBytes(x, y)
                if c != 0 { return c }
                let v = structuralCompare(a[x]!, b[y]!)
                if v != 0 { return v }
            }
            return ka.count == kb.count ? 0 : (ka.count < kb.count ? -1 : 1)
        default: return 0
        }
    }

    private static func compareDoubles(_ a: Double, _ b: Double) -> Int { a == b ? 0 : (a < b ? -1 : 1) }

    /// Go's `strings.Compare`: byte-wise.
    static func compareBytes(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    /// `value.ToString`, as field paths print key and set values: strings quoted as Go's `%q`.
    var fieldPathText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e21 ? String(Int64(d)) : "\(d)"
        case .string(let s): return Self.goQuoted(s)
        case .array(let items): return "[" + items.map(\.fieldPathText).joined(separator: ",") + "]"
        case .object(let members):
            return members.keys.sorted().map { "\($0)=\(members[$0]!.fieldPathText)" }.joined()
        }
    }

    /// Go's `%q` for a string.
    static func goQuoted(_ s: String) -> String { GoSyntax.quoted(s) }

    /// Compact JSON as Go's `encoding/json` writes it: sorted keys, `<`, `>`, `&`, U+2028 and
    /// U+2029 escaped.
    var goJSONText: String {
        let bytes = serialized(sortedKeys: true)
        let text = String(decoding: bytes, as: UTF8.self)
        // `<`, `>` and `&` are single bytes; U+2028 and U+2029 start with 0xE2 in UTF-8.
        guard bytes.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "&") || $0 == 0xE2 })
        else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The value with every object member whose value is `null` dropped, at any depth: a null a
    /// configuration sets means "no value" once the merged object is typed again.
    var droppingNullMembers: JSONValue {
        switch self {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, value) in members where value != .null { out[key] = value.droppingNullMembers }
            return .object(out)
        case .array(let items): return .array(items.map(\.droppingNullMembers))
        default: return self
        }
    }

    /// The members of an object, nil for anything else.
    var objectMembers: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The items of an array, nil for anything else.
    var arrayItems: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
