import KubeModel
import KubePKI
import Synchronization

/// The OpenAPI v3 documents the server publishes (upstream's `handler3`): `GET /openapi/v3`
/// lists one entry per served group-version (`api/v1`, `apis/apps/v1`) plus `api`, `apis`,
/// `apis/<group>` and `version`, each with a `serverRelativeURL` carrying the hash of its
/// document; `GET /openapi/v3/<entry>` is that document. Documents are derived from the
/// embedded v2 schema on first use and kept as serialized bytes; the hash is upstream's: the
/// upper-case hex SHA-512 of those bytes.
public final class OpenAPIDocuments: Sendable {
    /// A rendered document and its hash (also its ETag).
    public struct Document: Sendable {
        public let bytes: [UInt8]
        public let hash: String
    }

    /// The entries served, sorted.
    public let keys: [String]
    private let converter: OpenAPIV3Converter
    private let documents = Mutex<[String: Document]>([:])
    private let discoveryDocument = Mutex<Document?>(nil)

    public init(catalog: KubeResourceCatalog = .builtIn, schema: APISchema = .builtIn) {
        converter = OpenAPIV3Converter(document: schema.document)
        keys = Self.servedKeys(catalog: catalog).intersection(converter.keys()).sorted()
    }

    /// The entries for what `catalog` serves: `api`, `api/<version>`, `apis`, `apis/<group>`,
    /// `apis/<group>/<version>`, and `version`.
    static func servedKeys(catalog: KubeResourceCatalog) -> Set<String> {
        var keys: Set<String> = ["version", "apis"]
        for group in catalog.groups {
            if group.name.isEmpty {
                keys.insert("api")
                for version in group.versions { keys.insert("api/\(version)") }
            } else {
                keys.insert("apis/\(group.name)")
                for version in group.versions { keys.insert("apis/\(group.name)/\(version)") }
            }
        }
        return keys
    }

    /// The document of one entry (`api/v1`), nil when it is not served.
    public func document(for key: String) -> Document? {
        if let cached = documents.withLock({ $0[key] }) { return cached }
        guard keys.contains(key), let json = converter.convert(key: key) else { return nil }
        let rendered = Self.document(json.serialized())
        return documents.withLock { cache in
            if let existing = cache[key] { return existing }
            cache[key] = rendered
            return rendered
        }
    }

    /// `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"},…}}`.
    public func discovery() -> Document {
        if let cached = discoveryDocument.withLock({ $0 }) { return cached }
        var paths: [String: JSONValue] = [:]
        for key in keys {
            guard let document = document(for: key) else { continue }
            paths[key] = .object(["serverRelativeURL": .string(Self.serverRelativeURL(key: key, hash: document.hash))])
        }
        let rendered = Self.document(JSONValue.object(["paths": .object(paths)]).serialized())
        return discoveryDocument.withLock { cached in
            if let existing = cached { return existing }
            cached = rendered
            return rendered
        }
    }

    /// `/openapi/v3/apis/apps/v1?hash=…`.
    static func serverRelativeURL(key: String, hash: String) -> String {
        "/openapi/v3/\(key)?hash=\(hash)"
    }

    static func document(_ bytes: [UInt8]) -> Document {
        Document(bytes: bytes, hash: hash(bytes))
    }

    /// Upper-case hex SHA-512, as upstream's `computeETag`.
    static func hash(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(128)
        for byte in Digest.sha512.hash(bytes) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
