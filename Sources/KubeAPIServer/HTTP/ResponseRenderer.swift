import Foundation
import Hummingbird
import KubeModel
import Yams

/// Renders what handlers return — objects, lists, `Status`, watches, errors — as JSON, YAML or
/// `Table` bytes, with upstream's envelopes (`<Kind>List`, one-row tables for watch events).
public struct ResponseRenderer: Sendable {
    public var tables: TableConvertors
    public var now: @Sendable () -> Date

    public init(tables: TableConvertors = .builtIn, now: @escaping @Sendable () -> Date = { Date() }) {
        self.tables = tables
        self.now = now
    }

    static let jsonContentType = "application/json"
    static let yamlContentType = "application/yaml"

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    // MARK: Pieces

    /// An object's JSON with `kind` and `apiVersion` filled in from its type.
    public static func objectJSON(_ object: any KubeObject) throws -> Data {
        var copy = object
        let gvk = type(of: object).groupVersionKind
        if copy.kind?.isEmpty ?? true { copy.kind = gvk.kind }
        if copy.apiVersion?.isEmpty ?? true { copy.apiVersion = gvk.apiVersion }
        return try encoder().encode(copy)
    }

    public static func statusJSON(_ status: MetaV1.Status) -> Data {
        (try? Data(status.jsonValue().serialized(sortedKeys: true)))
            ?? Data(#"{"kind":"Status","apiVersion":"v1","status":"Failure"}"#.utf8)
    }

    /// `{"kind":"ConfigMapList","apiVersion":"v1","metadata":{…},"items":[…]}`.
    public static func listJSON(_ list: ObjectList) throws -> Data {
        var out = Data("{\"kind\":".utf8)
        out.reserveCapacity(256 + list.entries.count * 1024)
        let encoder = encoder()
        out += try encoder.encode(list.resource.kind + "List")
        out += Data(",\"apiVersion\":".utf8)
        out += try encoder.encode(list.resource.apiVersion)
        out += Data(",\"metadata\":".utf8)
        out += try encoder.encode(list.metadata)
        out += Data(",\"items\":[".utf8)
        for (i, entry) in list.entries.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += try entry.json(as: list.resource)
        }
        out += Data("]}".utf8)
        return out
    }

    /// A `meta.k8s.io/v1` `Table` of `objects`, each row carrying its full object.
    public func tableJSON(resource: KubeResource, objects: [any KubeObject], metadata: MetaV1.ListMeta) throws -> Data {
        let convertor = tables.convertor(for: resource)
        let encoder = Self.encoder()
        let now = now()
        var out = Data(#"{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":"#.utf8)
        out += try encoder.encode(metadata)
        out += Data(#","columnDefinitions":"#.utf8)
        out += try encoder.encode(convertor.columns)
        out += Data(#","rows":["#.utf8)
        for (i, object) in objects.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += Data(#"{"cells":"#.utf8)
            out += try encoder.encode(convertor.cells(for: object, now: now))
            out += Data(#","object":"#.utf8)
            out += try Self.objectJSON(object)
            out.append(UInt8(ascii: "}"))
        }
        out += Data("]}".utf8)
        return out
    }

    /// JSON → YAML (`-o yaml` style, keys sorted).
    public static func yaml(fromJSON data: Data) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return Data(try Yams.dump(object: object, sortKeys: true).utf8)
    }

    // MARK: Responses

    public static func response(_ status: HTTPResponse.Status, contentType: String, body: Data,
                                extraHeaders: HTTPFields = [:]) -> Response {
        var headers = extraHeaders
        headers[.contentType] = contentType
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// An `APIError` as its `Status`.
    public static func error(_ error: APIError) -> Response {
        response(.init(code: Int(error.code)), contentType: jsonContentType, body: statusJSON(error.status))
    }

    /// A success or failure `Status` in the negotiated format (never a table).
    func status(_ status: MetaV1.Status, code: Int, format: ResponseFormat) throws -> Response {
        let json = Self.statusJSON(status)
        if format == .yaml {
            return Self.response(.init(code: code), contentType: Self.yamlContentType, body: try Self.yaml(fromJSON: json))
        }
        return Self.response(.init(code: code), contentType: Self.jsonContentType, body: json)
    }

    /// Renders a handler's result for `resource` in `format`.
    public func render(_ result: APIResult, resource: KubeResource, format: ResponseFormat,
                       warnings: [String] = []) throws -> Response {
        if case .warning(let more, let inner) = result {
            return try render(inner, resource: resource, format: format, warnings: warnings + more)
        }
        var headers = HTTPFields()
        if !warnings.isEmpty {
            headers[values: .init("Warning")!] = warnings.map(Self.warningValue)
        }
        if case .stored(let cached, let inner) = result {
            if format == .json, case .object(_, let code) = inner {
                return Self.response(.init(code: code), contentType: Self.jsonContentType,
                                     body: try cached.json(as: resource), extraHeaders: headers)
            }
            return try render(inner, resource: resource, format: format, warnings: warnings)
        }
        func send(_ code: Int, _ json: Data) throws -> Response {
            if format == .yaml {
                return Self.response(.init(code: code), contentType: Self.yamlContentType,
                                     body: try Self.yaml(fromJSON: json), extraHeaders: headers)
            }
            return Self.response(.init(code: code), contentType: Self.jsonContentType, body: json, extraHeaders: headers)
        }
        switch result {
        case .object(let object, let code):
            if format == .table {
                let meta = MetaV1.ListMeta(resourceVersion: object.metadata.resourceVersion)
                return try send(code, tableJSON(resource: resource, objects: [object], metadata: meta))
            }
            return try send(code, Self.objectJSON(object))
        case .list(let list):
            if format == .table {
                return try send(200, tableJSON(resource: list.resource, objects: list.entries.map { try $0.object(as: list.resource) }, metadata: list.metadata))
            }
            return try send(200, Self.listJSON(list))
        case .status(let status, let code):
            return try send(code, Self.statusJSON(status))
        case .raw(let bytes, let contentType, let code):
            var h = headers
            h[.contentType] = contentType
            h[.contentLength] = String(bytes.count)
            return Response(status: .init(code: code), headers: h, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .watch(let stream):
            return watch(stream, resource: resource, table: format == .table, headers: headers)
        case .warning, .stored:
            preconditionFailure("unwrapped above")
        }
    }

    /// `299 - "text"` as upstream formats a warning.
    static func warningValue(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "299 - \"\(escaped)\""
    }

    /// A chunked stream of newline-delimited events: each batch the stream hands over (every
    /// event ready) goes out in one write; ends with the stream or when a write fails because
    /// the client went away.
    func watch(_ stream: APIWatchStream, resource: KubeResource, table: Bool, headers: HTTPFields) -> Response {
        var h = headers
        h[.contentType] = Self.jsonContentType
        let renderer = self
        let body = ResponseBody { writer in
            do {
                while let batch = try await stream.nextBatch() {
                    var lines = Data()
                    for event in batch {
                        lines += try renderer.eventJSON(event, resource: resource, table: table)
                        lines.append(UInt8(ascii: "\n"))
                    }
                    try await writer.write(ByteBuffer(bytes: lines))
                }
            } catch let error as APIError {
                var line = Data(#"{"type":"ERROR","object":"#.utf8) + Self.statusJSON(error.status)
                line += Data("}\n".utf8)
                try await writer.write(ByteBuffer(bytes: line))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: h, body: body)
    }

    /// `{"type":"ADDED","object":{…}}`; with `table`, the object is a one-row `Table`.
    func eventJSON(_ event: APIWatchEvent, resource: KubeResource, table: Bool) throws -> Data {
        // The type is one of a few upper-case words: no escaping to do.
        var out = Data(#"{"type":""#.utf8)
        out += Data(event.type.rawValue.utf8)
        out += Data(#"","object":"#.utf8)
        switch event.payload {
        case .object(let object):
            if table {
                let meta = MetaV1.ListMeta(resourceVersion: object.metadata.resourceVersion)
                out += try tableJSON(resource: resource, objects: [object], metadata: meta)
            } else if let source = event.source {
                out += try source.json(as: resource)
            } else {
                out += try Self.objectJSON(object)
            }
        case .cached(let cached, let objectResource):
            if table {
                let object = try cached.object(as: objectResource)
                let meta = MetaV1.ListMeta(resourceVersion: object.metadata.resourceVersion)
                out += try tableJSON(resource: resource, objects: [object], metadata: meta)
            } else {
                out += try cached.json(as: objectResource)
            }
        case .bookmark(let kind, let apiVersion, let resourceVersion):
            let bookmark: JSONValue = .object([
                "kind": .string(kind), "apiVersion": .string(apiVersion),
                "metadata": .object(["resourceVersion": .string(resourceVersion)]),
            ])
            out += Data(bookmark.serialized(sortedKeys: true))
        case .status(let status):
            out += Self.statusJSON(status)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
