import Foundation
import KubeModel

/// The events of a watch response, decoded line by line as they arrive (the API server writes
/// one JSON `WatchEvent` per line). Ends when the server ends the watch.
public struct WatchEvents<Object: KubeObject>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>
    let chunks: ResponseBodyChunks
    /// Objects are read without `metadata.managedFields`.
    var skipsManagedFields = false

    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: ResponseBodyChunks.AsyncIterator
        var skipsManagedFields = false
        var buffer: [UInt8] = []
        var start = 0
        let decoder = JSONDecoder()

        public mutating func next() async throws -> WatchEvent<Object>? {
            while true {
                if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[start..<newline]
                    start = newline + 1
                    if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                    return try decode(line)
                }
                if start > 0 {
                    buffer.removeFirst(start)
                    start = 0
                }
                guard let chunk = try await chunks.next() else {
                    guard !buffer.isEmpty else { return nil }
                    let rest = buffer[...]
                    buffer = []
                    return try decode(rest)
                }
                buffer += chunk
            }
        }

        private struct Envelope<Payload: Decodable>: Decodable {
            var type: String
            var object: Payload
        }

        private struct BookmarkObject: Decodable {
            var metadata: MetaV1.ObjectMeta
        }

        func decode(_ line: ArraySlice<UInt8>) throws -> WatchEvent<Object> {
            try Self.decode(line, skipsManagedFields: skipsManagedFields, decoder: decoder)
        }

        /// One line: read with the object's own reader, else (unusual layouts, bookmarks,
        /// errors) decoded with `decoder`.
        static func decode(_ line: ArraySlice<UInt8>, skipsManagedFields: Bool,
                           decoder: JSONDecoder) throws -> WatchEvent<Object> {
            if let event = try? read(line, skipsManagedFields: skipsManagedFields) { return event }
            func object(_ data: Data) throws -> Object {
                var object = try decoder.decode(Envelope<Object>.self, from: data).object
                if skipsManagedFields { object.metadata.managedFields = nil }
                return object
            }
            let data = Data(line)
            let type = try eventType(line) ?? decoder.decode(Envelope<EmptyObject>.self, from: data).type
            switch type {
            case "ADDED": return .added(try object(data))
            case "MODIFIED": return .modified(try object(data))
            case "DELETED": return .deleted(try object(data))
            case "BOOKMARK":
                let object = try decoder.decode(Envelope<BookmarkObject>.self, from: data).object
                return .bookmark(resourceVersion: object.metadata.resourceVersion ?? "")
            case "ERROR":
                return .error(StatusError(status: try decoder.decode(Envelope<MetaV1.Status>.self, from: data).object))
            default:
                throw RESTTransportError(message: "unknown watch event type \"\(type)\"")
            }
        }

        /// An `ADDED`/`MODIFIED`/`DELETED` event read with the object's own JSON reader; throws for
        /// anything else (bookmarks, errors, unusual layouts), which ``decode(_:)`` then decodes
        /// with `JSONDecoder`.
        static func read(_ line: ArraySlice<UInt8>, skipsManagedFields: Bool = false) throws(JSONParser.SyntaxError) -> WatchEvent<Object> {
            var reader = JSONReader(line)
            reader.skipsManagedFields = skipsManagedFields
            try reader.beginObject()
            var first = true
            var type: String?
            var object: Object?
            while let key = try reader.nextKey(&first) {
                switch key {
                case "type": type = try reader.readString()
                case "object" where type == "ADDED" || type == "MODIFIED" || type == "DELETED":
                    object = try Object(json: &reader)
                default: try reader.skipValue()
                }
            }
            try reader.finish()
            guard let object else { throw JSONParser.SyntaxError(offset: 0, message: "not an object event") }
            switch type {
            case "ADDED": return .added(object)
            case "MODIFIED": return .modified(object)
            default: return .deleted(object)
            }
        }

        /// The type of a line starting `{"type":"…"` (how API servers write events), read without
        /// decoding the rest; nil otherwise.
        static func eventType(_ line: ArraySlice<UInt8>) -> String? {
            let prefix = Array(#"{"type":""#.utf8)
            guard line.starts(with: prefix) else { return nil }
            let rest = line.dropFirst(prefix.count)
            guard let quote = rest.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: rest[..<quote], as: UTF8.self)
        }

        private struct EmptyObject: Decodable {}
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: chunks.makeAsyncIterator(), skipsManagedFields: skipsManagedFields)
    }
}
