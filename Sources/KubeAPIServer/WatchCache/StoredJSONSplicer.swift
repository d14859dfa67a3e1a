import Foundation
import KubeStore

/// Turns a stored object's JSON into its response JSON without decoding it: the store keeps
/// every object exactly as the API serialises it, minus `metadata.resourceVersion` (which is the
/// key's revision), so the response is the stored bytes with `"resourceVersion":"N"` inserted at
/// the start of `metadata`. Used for lists, GETs and watch events served from the watch cache.
///
/// It scans only the top level of the object (strings and nesting are skipped properly) and
/// gives up — the caller then decodes and encodes — unless `apiVersion` and `kind` are exactly
/// the ones asked for (two versions of one resource share a storage prefix) and `metadata` is
/// an object.
enum StoredJSONSplicer {
    static func responseJSON(_ stored: [UInt8], revision: Revision, apiVersion: String, kind: String) -> Data? {
        var scanner = Scanner(bytes: stored)
        guard scanner.skipSpace(), scanner.take(UInt8(ascii: "{")) else { return nil }
        var insertion: Int?
        var metadataEmpty = false
        var apiVersionMatches = false
        var kindMatches = false
        if scanner.skipSpace(), scanner.peek == UInt8(ascii: "}") { return nil }
        while true {
            guard scanner.skipSpace(), let key = scanner.plainString(), scanner.skipSpace(),
                  scanner.take(UInt8(ascii: ":")), scanner.skipSpace() else { return nil }
            switch key {
            case "metadata":
                guard scanner.take(UInt8(ascii: "{")) else { return nil }
                insertion = scanner.index
                metadataEmpty = scanner.skipSpace() && scanner.peek == UInt8(ascii: "}")
                guard scanner.skipContainerBody(closing: UInt8(ascii: "}")) else { return nil }
            case "apiVersion":
                apiVersionMatches = scanner.plainString() == apiVersion
            case "kind":
                kindMatches = scanner.plainString() == kind
            default:
                guard scanner.skipValue() else { return nil }
            }
            guard scanner.skipSpace() else { return nil }
            if scanner.take(UInt8(ascii: ",")) { continue }
            guard scanner.take(UInt8(ascii: "}")) else { return nil }
            break
        }
        guard let insertion, apiVersionMatches, kindMatches else { return nil }
        var out = Data()
        out.reserveCapacity(stored.count + 40)
        out.append(contentsOf: stored[..<insertion])
        out.append(contentsOf: Array("\"resourceVersion\":\"\(revision)\"".utf8))
        if !metadataEmpty { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: stored[insertion...])
        return out
    }

    /// A forward-only scanner over JSON bytes.
    struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        /// Skips whitespace; false at the end of input.
        mutating func skipSpace() -> Bool {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            return index < bytes.count
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        /// A string without escapes (nil for anything else, including escaped strings).
        mutating func plainString() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") { return nil }
                if byte == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return String(decoding: bytes[start..<index], as: UTF8.self)
                }
                index += 1
            }
            return nil
        }

        /// Skips a string whose opening quote is at `index`.
        mutating func skipString() -> Bool {
            guard take(UInt8(ascii: "\"")) else { return false }
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return true
                default: index += 1
                }
            }
            return false
        }

        /// Skips the rest of an object or array whose opening bracket was consumed.
        mutating func skipContainerBody(closing: UInt8) -> Bool {
            var depth = 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default: break
                }
                index += 1
            }
            return false
        }

        /// Skips one value of any kind.
        mutating func skipValue() -> Bool {
            guard let byte = peek else { return false }
            switch byte {
            case UInt8(ascii: "\""): return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                index += 1
                return skipContainerBody(closing: byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            default:
                while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index]) {
                    index += 1
                }
                return true
            }
        }
    }
}
