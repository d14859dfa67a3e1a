import Foundation
import KubeModel

/// Parses JSON into `JSONValue` and compares two documents the way the wire-fidelity tests need:
/// key order ignored, numbers compared by value (`2` == `2.0`), `null` members treated as absent.
/// A member absent on the left may be present on the right with a zero value (`""`, `0`, `false`,
/// `[]`, `{}`, or an object of zero values): upstream's encoder writes the zero values of required
/// fields and of a kind's `spec`/`status` (its nil required slices as `null`, ours as `[]`).
/// The other way round — a member lost by the round trip — is always a difference.
enum JSONComparison {
    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    static func normalised(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            return .object(o.filter { $0.value != .null }.mapValues(normalised))
        case .array(let a):
            return .array(a.map(normalised))
        case .int(let i):
            return .double(Double(i))
        default:
            return v
        }
    }

    static func isZero(_ v: JSONValue) -> Bool {
        switch v {
        case .null: return true
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .double(let d): return d == 0
        case .string(let s): return s.isEmpty
        case .array(let a): return a.isEmpty
        case .object(let o): return o.values.allSatisfy(isZero)
        }
    }

    /// The first path at which the two documents differ, or nil when they are the same.
    static func difference(_ a: JSONValue, _ b: JSONValue, path: String = "$") -> String? {
        switch (normalised(a), normalised(b)) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                guard let xv = x[key] else {
                    if isZero(y[key]!) { continue }
                    return "\(path).\(key): missing on the left"
                }
                guard let yv = y[key] else { return "\(path).\(key): missing on the right" }
                if let d = difference(xv, yv, path: "\(path).\(key)") { return d }
            }
            return nil
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return "\(path): \(x.count) vs \(y.count) items" }
            for (i, (xv, yv)) in zip(x, y).enumerated() {
                if let d = difference(xv, yv, path: "\(path)[\(i)]") { return d }
            }
            return nil
        case (let x, let y):
            return x == y ? nil : "\(path): \(x) vs \(y)"
        }
    }
}

/// Decodes `data` as `type` and encodes it again (opening the existential).
func roundTrip(_ type: any KubeType.Type, _ data: Data) throws -> Data {
    func open<T: KubeType>(_ t: T.Type) throws -> Data {
        let value = try JSONDecoder().decode(T.self, from: data)
        let encoded = try JSONEncoder().encode(value)
        let again = try JSONDecoder().decode(T.self, from: encoded)
        guard again == value else { throw RoundTripError.notEqualAfterReencode }
        return encoded
    }
    return try open(type)
}

enum RoundTripError: Error { case notEqualAfterReencode }
