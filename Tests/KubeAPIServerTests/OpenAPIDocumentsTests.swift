import Foundation
import Hummingbird
import KubeModel
import Testing
@testable import KubeAPIServer

@Suite("OpenAPI v3 documents")
struct OpenAPIDocumentsTests {
    /// One instance for the suite: documents are built lazily and cached.
    static let documents = OpenAPIDocuments()

    static func json(_ key: String) throws -> JSONValue {
        let document = try #require(documents.document(for: key))
        return try JSONParser.parse(document.bytes)
    }

    @Test(arguments: [
        ("/api/v1/namespaces/{namespace}/pods/{name}", "api/v1"),
        ("/api/v1/", "api/v1"),
        ("/api/", "api"),
        ("/apis/", "apis"),
        ("/apis/apps/", "apis/apps"),
        ("/apis/apps/v1/namespaces/{namespace}/deployments", "apis/apps/v1"),
        ("/apis/apps/v1/watch/deployments", "apis/apps/v1"),
        ("/version/", "version"),
        ("/logs/{logpath}", "logs"),
        ("/logs/", "logs"),
        ("/openid/v1/jwks/", "openid/v1/jwks"),
        ("/.well-known/openid-configuration/", ".well-known/openid-configuration"),
    ])
    func entryOfPath(path: String, key: String) {
        #expect(OpenAPIV3Converter.key(forPath: path) == key)
    }

    @Test func entriesFollowWhatTheServerServes() {
        let keys = Set(Self.documents.keys)
        for key in ["api", "api/v1", "apis", "apis/apps", "apis/apps/v1", "apis/batch/v1", "apis/autoscaling/v2",
                    "apis/rbac.authorization.k8s.io/v1", "version"] {
            #expect(keys.contains(key), "\(key)")
        }
        // Not served by Skiff: non-GA versions, logs, service-account issuer discovery.
        for key in ["logs", "openid/v1/jwks", ".well-known/openid-configuration", "apis/resource.k8s.io/v1alpha3"] {
            #expect(!keys.contains(key), "\(key)")
        }
        #expect(Self.documents.document(for: "apis/nope/v1") == nil)
        #expect(Self.documents.document(for: "logs") == nil)
    }

    @Test func discoveryListsEveryEntryWithItsHash() throws {
        let discovery = try JSONParser.parse(Self.documents.discovery().bytes)
        guard case .object(let paths)? = discovery["paths"] else { Issue.record("no paths"); return }
        #expect(Set(paths.keys) == Set(Self.documents.keys))
        let hash = try #require(Self.documents.document(for: "api/v1")).hash
        #expect(hash.count == 128 && hash.allSatisfy { "0123456789ABCDEF".contains($0) })
        #expect(paths["api/v1"]?["serverRelativeURL"] == .string("/openapi/v3/api/v1?hash=\(hash)"))
    }

    /// What kubectl looks for before sending `fieldValidation=Strict` and for its strategic merge
    /// patch metadata: a PATCH operation with the kind's `x-kubernetes-group-version-kind`, an
    /// inline `fieldValidation` parameter, and a request body accepting strategic merge patches.
    @Test(arguments: [
        ("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "", "Pod", "io.k8s.api.core.v1.Pod"),
        ("api/v1", "/api/v1/namespaces/{name}", "", "Namespace", "io.k8s.api.core.v1.Namespace"),
        ("apis/apps/v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "apps", "Deployment",
         "io.k8s.api.apps.v1.Deployment"),
    ])
    func patchOperationsCarryWhatKubectlNeeds(key: String, path: String, group: String, kind: String, definition: String) throws {
        let document = try Self.json(key)
        #expect(document["openapi"] == .string("3.0.0"))
        let patch = try #require(document["paths"]?[path]?["patch"])
        #expect(patch["x-kubernetes-group-version-kind"] == .object([
            "group": .string(group), "version": .string("v1"), "kind": .string(kind)]))
        #expect(patch["x-kubernetes-action"] == .string("patch"))
        let names = OpenAPIV3Converter.array(patch["parameters"] ?? .null).compactMap { $0["name"]?.stringValue }
        #expect(names.contains("fieldValidation") && names.contains("fieldManager") && names.contains("force"))
        let fieldValidation = OpenAPIV3Converter.array(patch["parameters"] ?? .null).first { $0["name"] == .string("fieldValidation") }
        #expect(fieldValidation?["in"] == .string("query"))
        #expect(fieldValidation?["schema"]?["type"] == .string("string"))
        guard case .object(let content)? = patch["requestBody"]?["content"] else { Issue.record("no requestBody"); return }
        for mediaType in ["application/json-patch+json", "application/merge-patch+json",
                          "application/strategic-merge-patch+json", "application/apply-patch+yaml"] {
            #expect(content[mediaType]?["schema"]?["$ref"] == .string("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"))
        }
        #expect(patch["requestBody"]?["required"] == .bool(true))
        let ok = patch["responses"]?["200"]
        #expect(ok?["description"] == .string("OK"))
        #expect(ok?["content"]?["application/json"]?["schema"]?["$ref"] == .string("#/components/schemas/\(definition)"))
        #expect(patch["responses"]?["401"] == .object(["description": .string("Unauthorized")]))

        // The schema explain renders: found by its group-version-kind.
        let schema = try #require(document["components"]?["schemas"]?[definition])
        #expect(schema["x-kubernetes-group-version-kind"] == .array([.object([
            "group": .string(group), "version": .string("v1"), "kind": .string(kind)])]))
        // Path-level parameters are inline too.
        let pathParameters = OpenAPIV3Converter.array(document["paths"]?[path]?["parameters"] ?? .null)
        #expect(pathParameters.contains { $0["name"] == .string("name") && $0["in"] == .string("path") && $0["schema"]?["type"] == .string("string") })
    }

    @Test func bodiesBecomeRequestBodies() throws {
        let document = try Self.json("api/v1")
        let post = try #require(document["paths"]?["/api/v1/namespaces/{namespace}/configmaps"]?["post"])
        #expect(post["requestBody"]?["content"]?["*/*"]?["schema"]?["$ref"] == .string("#/components/schemas/io.k8s.api.core.v1.ConfigMap"))
        let parameters = OpenAPIV3Converter.array(post["parameters"] ?? .null)
        #expect(!parameters.contains { $0["in"] == .string("body") })
        #expect(post["responses"]?["201"]?["description"] == .string("Created"))
        let delete = try #require(document["paths"]?["/api/v1/namespaces/{namespace}/configmaps/{name}"]?["delete"])
        #expect(delete["requestBody"]?["content"]?["*/*"]?["schema"]?["$ref"]
                == .string("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"))
        let watch = try #require(document["paths"]?["/api/v1/watch/namespaces/{namespace}/configmaps"]?["get"])
        #expect(watch["responses"]?["200"]?["content"]?["application/json;stream=watch"] != nil)
    }

    /// Every `$ref` points into `components.schemas`, and every referenced schema is there.
    @Test(arguments: ["api/v1", "apis/apps/v1", "apis/batch/v1", "api", "apis", "apis/apps", "version"])
    func referencesAreClosed(key: String) throws {
        let document = try Self.json(key)
        guard case .object(let schemas)? = document["components"]?["schemas"] else { Issue.record("no schemas"); return }
        var refs: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if case .string(let ref)? = members["$ref"] { refs.append(ref) }
                members.values.forEach(collect)
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(document)
        #expect(!refs.isEmpty)
        for ref in refs {
            #expect(ref.hasPrefix("#/components/schemas/"), "\(ref)")
            #expect(schemas[String(ref.dropFirst("#/components/schemas/".count))] != nil, "\(ref)")
        }
        #expect(document["components"]?["securitySchemes"]?["BearerToken"]?["type"] == .string("apiKey"))
    }

    /// A reference with siblings is wrapped in `allOf` (OpenAPI 3.0 ignores `$ref` siblings).
    @Test func referencesWithSiblingsAreWrapped() throws {
        let strategy = try #require(try Self.json("apis/apps/v1")["components"]?["schemas"]?["io.k8s.api.apps.v1.DeploymentSpec"]?["properties"]?["strategy"])
        #expect(strategy == .object([
            "allOf": .array([.object(["$ref": .string("#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy")])]),
            "x-kubernetes-patch-strategy": .string("retainKeys"),
        ]))
        let containers = try #require(try Self.json("api/v1")["components"]?["schemas"]?["io.k8s.api.core.v1.PodSpec"]?["properties"]?["containers"])
        #expect(containers["x-kubernetes-patch-merge-key"] == .string("name"))
        #expect(containers["items"] == .object(["$ref": .string("#/components/schemas/io.k8s.api.core.v1.Container")]))
    }

    // MARK: HTTP

    static func request(_ path: String, query: String? = nil, headers: HTTPFields = [:]) -> Response {
        documents.response(path: path, query: query, headers: headers)
    }

    @Test func servedWithUpstreamCaching() throws {
        let hash = try #require(Self.documents.document(for: "apis/apps/v1")).hash

        let pinned = Self.request("/openapi/v3/apis/apps/v1", query: "hash=\(hash)")
        #expect(pinned.status == .ok)
        #expect(pinned.headers[.contentType] == "application/json")
        #expect(pinned.headers[.cacheControl] == "public, immutable")
        #expect(pinned.headers[.eTag] == "\"\(hash)\"")
        #expect(pinned.headers[.expires] != nil)

        let unpinned = Self.request("/openapi/v3/apis/apps/v1")
        #expect(unpinned.status == .ok)
        #expect(unpinned.headers[.cacheControl] == "no-cache, private")

        let stale = Self.request("/openapi/v3/apis/apps/v1", query: "hash=ABC")
        #expect(stale.status == .movedPermanently)
        #expect(stale.headers[.location] == "/openapi/v3/apis/apps/v1?hash=\(hash)")

        var conditional = HTTPFields()
        conditional[.ifNoneMatch] = "\"\(hash)\""
        #expect(Self.request("/openapi/v3/apis/apps/v1", headers: conditional).status == .notModified)

        var protobufOnly = HTTPFields()
        protobufOnly[.accept] = "application/com.github.proto-openapi.spec.v3.v1.0+protobuf"
        #expect(Self.request("/openapi/v3/apis/apps/v1", headers: protobufOnly).status == .notAcceptable)

        #expect(Self.request("/openapi/v3/apis/nope/v1").status == .notFound)
        let root = Self.request("/openapi/v3")
        #expect(root.status == .ok)
        #expect(root.headers[.contentType] == "application/json")
        #expect(root.headers[.eTag]?.hasPrefix("\"") == true)
        #expect(OpenAPIDocuments.handles("/openapi/v3/api/v1") && OpenAPIDocuments.handles("/openapi/v3"))
        #expect(!OpenAPIDocuments.handles("/openapi/v2") && !OpenAPIDocuments.handles("/openapi/v3x"))
    }
}
