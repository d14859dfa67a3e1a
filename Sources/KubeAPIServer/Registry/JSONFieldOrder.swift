import KubeModel

/// The order in which the keys of a JSON document appear, by field path (`spec.containers[0].name`),
/// so that field-validation problems can be reported in document order as upstream's decoder
/// does (a parsed `JSONValue` keeps no key order). Each path maps to the ordinal of every
/// occurrence of that key (more than one when the key is duplicated).
public struct JSONFieldOrder: Sendable {
    private var positions: [String: [Int]] = [:]

    /// Scans `json`, which must already be valid JSON (e.g. accepted by `JSONParser`); a
    /// malformed document yields the order of what could be read.
    public init(_ json: some Sequence<UInt8>) {
        var scanner = Scanner(bytes: Array(json))
        scanner.value(path: "", depth: 0)
        positions = scanner.positions
    }

    /// The ordinal of the `occurrence`-th appearance (0 = first) of the key at `path`, nil when
    /// the document has no such key.
    public func position(of path: String, occurrence: Int = 0) -> Int? {
        guard let list = positions[path], !list.isEmpty else { return nil }
        return list[min(occurrence, list.count - 1)]
    }

    /// The fallback order for paths without a position: plain string order.
    static func pathPrecedes(_ lhs: String, _ rhs: String) -> Bool { lhs < rhs }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var counter = 0
        var positions: [String: [Int]] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        mutating func value(path: String, depth: Int) {
            skipWhitespace()
            guard let byte = current, depth <= JSONParser.maxDepth else { return }
            switch byte {
            case UInt8(ascii: "{"): object(path: path, depth: depth)
            case UInt8(ascii: "["): array(path: path, depth: depth)
            case UInt8(ascii: "\""): _ = string()
            default:
                while let b = current, b != UInt8(ascii: ","), b != UInt8(ascii: "]"), b != UInt8(ascii: "}"),
                      b != 0x20, b != 0x0A, b != 0x0D, b != 0x09 {
                    index += 1
                }
            }
        }

        mutating func object(path: String, depth: Int) {
            index += 1
            while true {
                skipWhitespace()
                guard let byte = current else { return }
                if byte == UInt8(ascii: "}") { index += 1; return }
                if byte == UInt8(ascii: ",") { index += 1; continue }
                guard byte == UInt8(ascii: "\""), let key = string() else { return }
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                positions[keyPath, default: []].append(counter)
                counter += 1
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { return }
                index += 1
                value(path: keyPath, depth: depth + 1)
            }
        }

        mutating func array(path: String, depth: Int) {
            index += 1
            var element = 0
            while true {
                skipWhitespace()
                guard let byte = current else { return }
                if byte == UInt8(ascii: "]") { index += 1; return }
                if byte == UInt8(ascii: ",") { index += 1; continue }
                let before = index
                value(path: "\(path)[\(element)]", depth: depth + 1)
                element += 1
                if index == before { return }
            }
        }

        /// Reads a string starting at its opening quote; nil when it does not end.
        mutating func string() -> String? {
            let start = index
            index += 1
            var escaped = false
            while let byte = current {
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    index += 2
                    continue
                }
                index += 1
                if byte == UInt8(ascii: "\"") {
                    if !escaped { return String(decoding: bytes[(start + 1)..<(index - 1)], as: UTF8.self) }
                    return (try? JSONParser.parse(bytes[start..<index]))?.stringValue
                }
            }
            return nil
        }
    }
}
