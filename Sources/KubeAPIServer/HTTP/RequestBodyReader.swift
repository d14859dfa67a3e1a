import Foundation
import Hummingbird
import Yams

/// Reads a request body (bounded) and checks its `Content-Type`: handlers always get JSON bytes
/// (YAML and Kubernetes protobuf are converted) and the media type without parameters.
enum RequestBodyReader {
    /// Types a create or update body may have.
    static let objectTypes: Set<String> = ["application/json", "application/yaml", KubeProtobufDecoder.mediaType]
    /// Patch types (`PATCH`).
    static let patchTypes: Set<String> = [
        "application/json-patch+json", "application/merge-patch+json",
        "application/strategic-merge-patch+json", "application/apply-patch+yaml",
    ]
    static let yamlTypes: Set<String> = ["application/yaml", "application/apply-patch+yaml"]

    static func read(_ request: inout Request, verb: String, limit: Int) async throws -> (String, Data) {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError.requestEntityTooLarge("Request entity too large: limit is \(limit)")
        }
        var body = Data(buffer.readableBytesView)
        let header = request.headers[.contentType] ?? ""
        var contentType = MediaType.contentType(header).essence
        if body.isEmpty { return (contentType, body) }
        switch verb {
        case "create", "update":
            // `kubectl scale --current-replicas` PUTs without a Content-Type.
            if contentType.isEmpty { contentType = "application/json" }
            guard objectTypes.contains(contentType) else { throw APIError.unsupportedMediaType(contentType) }
        case "patch":
            guard patchTypes.contains(contentType) else { throw APIError.unsupportedMediaType(contentType) }
        default:
            // Delete options and the like: JSON or YAML.
            if contentType.isEmpty { contentType = "application/json" }
            guard objectTypes.contains(contentType) else { throw APIError.unsupportedMediaType(contentType) }
        }
        if yamlTypes.contains(contentType) {
            body = try json(fromYAML: body)
        }
        if contentType == KubeProtobufDecoder.mediaType {
            body = try json(fromProtobuf: body)
            contentType = "application/json"
        }
        return (contentType, body)
    }

    /// Kubernetes protobuf (`k8s\0` + runtime.Unknown) → JSON bytes.
    static func json(fromProtobuf data: Data) throws -> Data {
        do {
            return try KubeProtobufDecoder.decode(data).jsonData()
        } catch {
            throw APIError.badRequest("the protobuf request body could not be decoded: \(error)")
        }
    }

    /// YAML (or JSON, which is YAML) → JSON bytes.
    static func json(fromYAML data: Data) throws -> Data {
        if (try? JSONSerialization.jsonObject(with: data)) != nil { return data }
        guard let text = String(data: data, encoding: .utf8) else {
            throw APIError.badRequest("the request body is not valid UTF-8")
        }
        do {
            guard let object = try Yams.load(yaml: text) else { return Data("null".utf8) }
            guard JSONSerialization.isValidJSONObject(object) else {
                throw APIError.badRequest("the YAML body is not a JSON-compatible document")
            }
            return try JSONSerialization.data(withJSONObject: object)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("error converting YAML to JSON: \(error)")
        }
    }
}
