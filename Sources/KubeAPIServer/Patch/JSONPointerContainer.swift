import Foundation
import KubeModel

/// The JSON patch view of objects and arrays as containers addressed by pointer tokens, with
/// upstream's (evanphx/json-patch v4) rules and error wording.
enum JSONPointerContainer {
    typealias Failure = JSONPatch.Failure

    /// RFC 6901 token unescaping, left to right: `~1` → `/`, `~0` → `~`.
    static func unescape(_ token: String) -> String {
        guard token.contains("~") else { return token }
        var result = ""
        var characters = token.makeIterator()
        while let character = characters.next() {
            guard character == "~" else { result.append(character); continue }
            switch characters.next() {
            case "1": result.append("/")
            case "0": result.append("~")
            case let other?: result.append("~"); result.append(other)
            case nil: result.append("~")
            }
        }
        return result
    }

    /// Walks `parents` down from `value` and runs `body` on the container found there; nil when
    /// a step is missing, `null`, out of range or not an object or array.
    static func descend<T>(_ value: inout JSONValue, _ parents: ArraySlice<String>,
                           _ body: (inout JSONValue) throws(Failure) -> T) throws(Failure) -> T? {
        guard let first = parents.first else {
            switch value {
            case .object, .array: return try body(&value)
            default: return nil
            }
        }
        switch value {
        case .object(var members):
            guard var child = members[first], isContainer(child) else { return nil }
            guard let result = try descend(&child, parents.dropFirst(), body) else { return nil }
            members[first] = child
            value = .object(members)
            return result
        case .array(var items):
            guard let index = try? resolvedIndex(first, count: items.count), index < items.count else { return nil }
            var child = items[index]
            guard isContainer(child), let result = try descend(&child, parents.dropFirst(), body) else { return nil }
            items[index] = child
            value = .array(items)
            return result
        default:
            return nil
        }
    }

    static func isContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: true
        default: false
        }
    }

    /// The member or element at `key`; nil for a missing (or `null`) object member.
    static func get(_ container: JSONValue, _ key: String) throws(Failure) -> JSONValue? {
        switch container {
        case .object(let members):
            let value = members[key]
            return value == .null ? nil : value
        case .array(let items):
            let index = try resolvedIndex(key, count: items.count)
            guard index < items.count else { throw invalidIndex(index) }
            let value = items[index]
            return value == .null ? nil : value
        default:
            return nil
        }
    }

    /// Sets an existing member or element (after ``get(_:_:)`` succeeded).
    static func set(_ container: inout JSONValue, _ key: String, _ value: JSONValue) {
        switch container {
        case .object(var members):
            members[key] = value
            container = .object(members)
        case .array(var items):
            guard let index = try? resolvedIndex(key, count: items.count), index < items.count else { return }
            items[index] = value
            container = .array(items)
        default:
            break
        }
    }

    /// `add`: sets a member, or inserts an element (`-` appends; the index may equal the count).
    static func add(_ container: inout JSONValue, _ key: String, _ value: JSONValue) throws(Failure) {
        switch container {
        case .object(var members):
            members[key] = value
            container = .object(members)
        case .array(var items):
            if key == "-" {
                items.append(value)
                container = .array(items)
                return
            }
            let raw: Int
            do { raw = try atoi(key) } catch { throw Failure("value was not a proper array index: '\(key)': \(error)") }
            let size = items.count + 1
            if raw >= size { throw invalidIndex(raw) }
            var index = raw
            if index < 0 {
                if index < -size { throw invalidIndex(raw) }
                index += size
            }
            items.insert(value, at: index)
            container = .array(items)
        default:
            break
        }
    }

    static func remove(_ container: inout JSONValue, _ key: String) throws(Failure) {
        switch container {
        case .object(var members):
            guard members.removeValue(forKey: key) != nil else {
                throw Failure("Unable to remove nonexistent key: \(key): missing value")
            }
            container = .object(members)
        case .array(var items):
            let index = try resolvedIndex(key, count: items.count)
            guard index < items.count else { throw invalidIndex(index) }
            items.remove(at: index)
            container = .array(items)
        default:
            break
        }
    }

    /// An array index: decimal, negative ones counted from the end.
    static func resolvedIndex(_ key: String, count: Int) throws(Failure) -> Int {
        let index = try atoi(key)
        guard index < 0 else { return index }
        if index < -count { throw invalidIndex(index) }
        return index + count
    }

    static func invalidIndex(_ index: Int) -> Failure {
        Failure("Unable to access invalid index: \(index): invalid index referenced")
    }

    /// Go's `strconv.Atoi`: optional sign, then decimal digits.
    static func atoi(_ text: String) throws(Failure) -> Int {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let quoted = "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }) else {
            throw Failure("strconv.Atoi: parsing \(quoted): invalid syntax")
        }
        guard let magnitude = Int(negative ? "-" + digits : String(digits)) else {
            throw Failure("strconv.Atoi: parsing \(quoted): value out of range")
        }
        return magnitude
    }
}
