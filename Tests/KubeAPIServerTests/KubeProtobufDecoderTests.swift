import Foundation
@testable import KubeAPIServer
import KubeModel
import ProtobufWire
import Testing

/// Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`) decoded into the JSON
/// form of the object. Fixtures are the bytes the stock kubectl 1.32 sends (from `-v=9`) and
/// hand-built messages.
struct KubeProtobufDecoderTests {
    typealias PB = ProtobufTestEncoder

    static func decode(_ bytes: [UInt8]) throws -> JSONValue { try KubeProtobufDecoder.decode(bytes) }

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text.utf8) }

    /// As the server sees it: serialised and parsed again (a Double 10 becomes the integer 10).
    static func reparsed(_ value: JSONValue?) throws -> JSONValue? {
        try value.map { try JSONParser.parse($0.serialized()) }
    }

    /// ObjectMeta as gogo-protobuf writes it: every non-pointer field, empty or not.
    static func objectMeta(name: String, labels: [String: String] = [:]) -> PB {
        var meta = PB().string(1, name).string(2, "").string(3, "").string(4, "").string(5, "").string(6, "")
            .int(7, 0).message(8, PB())
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { meta = meta.entry(11, key, value) }
        return meta
    }

    // MARK: kubectl's own bodies

    @Test func configMapFromKubectlCreateConfigmap() throws {
        let body = PB.hex("6b 38 73 00 0a 0f 0a 02 76 31 12 09 43 6f 6e 66 69 67 4d 61 70 12 1b 0a 11 0a 01 78 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 12 06 0a 01 61 12 01 62 1a 00 22 00")
        #expect(try Self.decode(body) == Self.json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"b"}}"#))
    }

    @Test func secretFromKubectlCreateSecretGeneric() throws {
        let body = PB.hex("6b 38 73 00 0a 0c 0a 02 76 31 12 06 53 65 63 72 65 74 12 1d 0a 11 0a 01 73 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 12 06 0a 01 61 12 01 62 1a 00 1a 00 22 00")
        #expect(try Self.decode(body) == Self.json(#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"Yg=="}}"#))
    }

    @Test func deploymentFromKubectlCreateDeployment() throws {
        let body = PB.hex("""
            6b 38 73 00 0a 15 0a 07 61 70 70 73 2f 76 31 12 0a 44 65 70 6c 6f 79 6d 65 6e 74 12 af 01 0a 1f 0a 03 77 65 62 \
            12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 5a 0a 0a 03 61 70 70 12 03 77 65 62 12 7e 08 02 12 0c 0a 0a 0a 03 61 \
            70 70 12 03 77 65 62 1a 64 0a 1c 0a 00 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 5a 0a 0a 03 61 70 70 12 03 77 \
            65 62 12 44 12 26 0a 07 62 75 73 79 62 6f 78 12 07 62 75 73 79 62 6f 78 2a 00 42 00 6a 00 72 00 80 01 00 88 01 \
            00 90 01 00 a2 01 00 1a 00 32 00 42 00 4a 00 52 00 58 00 60 00 68 00 82 01 00 8a 01 00 9a 01 00 c2 01 00 22 02 \
            0a 00 28 00 38 00 1a 0c 08 00 10 00 18 00 20 00 28 00 38 00 1a 00 22 00
            """)
        // What `kubectl create deployment web --image=busybox --replicas=2 --dry-run=client -o json`
        // prints, without the `creationTimestamp: null`s.
        #expect(try Self.decode(body) == Self.json("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},
                                 "spec":{"containers":[{"name":"busybox","image":"busybox","resources":{}}]}},
                     "strategy":{}},
             "status":{}}
            """))
    }

    @Test func serviceFromKubectlCreateServiceWithIntAndStringTargetPorts() throws {
        let body = PB.hex("""
            6b 38 73 00 0a 0d 0a 02 76 31 12 07 53 65 72 76 69 63 65 12 89 01 0a 1f 0a 03 73 76 63 12 00 1a 00 22 00 2a 00 \
            32 00 38 00 42 00 5a 0a 0a 03 61 70 70 12 03 73 76 63 12 62 0a 1b 0a 07 38 30 2d 38 30 38 30 12 03 54 43 50 18 \
            50 22 07 08 00 10 90 3f 1a 00 28 00 0a 1e 0a 07 38 31 2d 68 74 74 70 12 03 54 43 50 18 51 22 0a 08 01 10 00 1a \
            04 68 74 74 70 28 00 12 0a 0a 03 61 70 70 12 03 73 76 63 1a 00 22 09 43 6c 75 73 74 65 72 49 50 3a 00 42 00 52 \
            00 5a 00 60 00 68 00 1a 02 0a 00 1a 00 22 00
            """)
        #expect(try Self.decode(body) == Self.json("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"svc","labels":{"app":"svc"}},
             "spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080},
                              {"name":"81-http","protocol":"TCP","port":81,"targetPort":"http"}],
                     "selector":{"app":"svc"},"type":"ClusterIP"},
             "status":{"loadBalancer":{}}}
            """))
    }

    /// `kubectl auth can-i get pods` (kubectl-wire.md §11).
    @Test func selfSubjectAccessReviewFromKubectlAuthCanI() throws {
        let body = PB.hex("""
            6b 38 73 00 0a 32 0a 17 61 75 74 68 6f 72 69 7a 61 74 69 6f 6e 2e 6b 38 73 2e 69 6f 2f 76 31 12 17 53 65 6c 66 \
            53 75 62 6a 65 63 74 41 63 63 65 73 73 52 65 76 69 65 77 12 3c 0a 10 0a 00 12 00 1a 00 22 00 2a 00 32 00 38 00 \
            42 00 12 1e 0a 1c 0a 07 64 65 66 61 75 6c 74 12 03 67 65 74 1a 00 22 00 2a 04 70 6f 64 73 32 00 3a 00 1a 08 08 \
            00 12 00 1a 00 20 00 1a 00 22 00
            """)
        // status.allowed has no omitempty in Go: it stays, false.
        #expect(try Self.decode(body) == Self.json("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},
             "spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}},
             "status":{"allowed":false}}
            """))
    }

    // MARK: Hand-built messages

    @Test func configMapWithBinaryDataAndImmutable() throws {
        let configMap = PB().message(1, Self.objectMeta(name: "c"))
            .entry(2, "plain", "text").entry(2, "empty", "")
            .entry(3, "blob", bytes: [0x00, 0xFF, 0x10])
            .bool(4, true)
        let decoded = try Self.decode(PB.envelope(apiVersion: "v1", kind: "ConfigMap", configMap))
        #expect(decoded == (try Self.json("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"immutable":true,
             "data":{"plain":"text","empty":""},"binaryData":{"blob":"AP8Q"}}
            """)))
    }

    @Test func deploymentWithIntOrStringQuantitiesAndProbes() throws {
        let container = PB().string(1, "app").string(2, "nginx:1.27")
            .message(6, PB().int(3, 8080).string(4, "TCP"))
            .message(8, PB().entry(1, "cpu", PB().string(1, "500m")).entry(2, "memory", PB().string(1, "128Mi")))
            .message(10, PB().message(1, PB().message(2, PB().string(1, "/healthz").message(2, PB().int(1, 1).string(3, "http"))))
                .int(2, 0).int(4, 10))
        let podSpec = PB().message(2, container).int(4, -1).message(14, PB().varint(4, 1000).varint(4, 2000))
        let spec = PB().int(1, 3)
            .message(2, PB().entry(1, "app", "web"))
            .message(3, PB().message(1, Self.objectMeta(name: "", labels: ["app": "web"])).message(2, podSpec))
            .message(4, PB().string(1, "RollingUpdate").message(2, PB().message(1, PB().int(1, 0).int(2, 0)).message(2, PB().int(1, 1).string(3, "25%"))))
        let decoded = try Self.decode(PB.envelope(apiVersion: "apps/v1", kind: "Deployment", PB().message(1, Self.objectMeta(name: "web")).message(2, spec)))
        #expect(decoded == (try Self.json("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{
                        "terminationGracePeriodSeconds":-1,"securityContext":{"supplementalGroups":[1000,2000]},
                        "containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":8080,"protocol":"TCP"}],
                                       "resources":{"limits":{"cpu":"500m"},"requests":{"memory":"128Mi"}},
                                       "livenessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":10}}]}}}}
            """)))
    }

    @Test func packedRepeatedIntegersDecodeLikeUnpacked() throws {
        let packed = PB().lengthDelimited(4, PB.varintBytes(1000) + PB.varintBytes(2000))
        let pod = PB().message(1, Self.objectMeta(name: "p")).message(2, PB().message(14, packed))
        let decoded = try Self.decode(PB.envelope(apiVersion: "v1", kind: "Pod", pod))
        #expect(decoded["spec"]?["securityContext"]?["supplementalGroups"] == .array([.int(1000), .int(2000)]))
    }

    @Test func timesAreRFC3339AndZeroTimesAreLeftOut() throws {
        // 2024-01-02T03:04:05Z = 1704164645; MicroTime keeps six fraction digits.
        let meta = PB().string(1, "lease").message(8, PB().int(1, 1_704_164_645).int(2, 123_456_789)).message(9, PB())
        let lease = PB().message(1, meta)
            .message(2, PB().string(1, "holder").message(3, PB().int(1, 1_704_164_645).int(2, 123_456_789)).message(4, PB()))
        let decoded = try Self.decode(PB.envelope(apiVersion: "coordination.k8s.io/v1", kind: "Lease", lease))
        #expect(decoded == (try Self.json("""
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
             "metadata":{"name":"lease","creationTimestamp":"2024-01-02T03:04:05Z"},
             "spec":{"holderIdentity":"holder","acquireTime":"2024-01-02T03:04:05.123456Z"}}
            """)))
    }

    @Test func embeddedJSONOfRawExtensionsAndManagedFields() throws {
        let meta = PB().string(1, "rev").message(17, PB().string(1, "kubectl").string(2, "Update").string(3, "apps/v1")
            .string(6, "FieldsV1").message(7, PB().bytes(1, Array(#"{"f:data":{}}"#.utf8))))
        let revision = PB().message(1, meta).message(2, PB().bytes(1, Array(#"{"spec":{"replicas":1}}"#.utf8))).int(3, 4)
        let decoded = try Self.decode(PB.envelope(apiVersion: "apps/v1", kind: "ControllerRevision", revision))
        #expect(decoded == (try Self.json("""
            {"apiVersion":"apps/v1","kind":"ControllerRevision","revision":4,"data":{"spec":{"replicas":1}},
             "metadata":{"name":"rev","managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"apps/v1",
                                                       "fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]}}
            """)))
    }

    @Test func customResourceDefinitionSchemaSpecialCases() throws {
        let stringSchema = PB().string(5, "string")
        let schema = PB().string(5, "object")
            .entry(29, "replicas", PB().string(5, "integer").message(8, PB().bytes(1, Array("1".utf8))).double(9, 10))
            .entry(29, "tags", PB().string(5, "array").message(24, PB().message(1, stringSchema)))
            .message(30, PB().bool(1, false))
            .bool(38, true).string(3, "#/ref")
        let version = PB().string(1, "v1").bool(2, true).bool(3, true).message(4, PB().message(1, schema))
        let crd = PB().message(1, Self.objectMeta(name: "widgets.example.com"))
            .message(2, PB().string(1, "example.com").message(3, PB().string(1, "widgets").string(4, "Widget")).string(4, "Namespaced").message(7, version))
        let decoded = try Self.decode(PB.envelope(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", crd))
        guard case .array(let versions)? = decoded["spec"]?["versions"], let first = versions.first else {
            Issue.record("no versions in \(decoded)")
            return
        }
        let openAPI = first["schema"]?["openAPIV3Schema"]
        #expect(try Self.reparsed(openAPI) == (try Self.json("""
            {"type":"object","$ref":"#/ref","x-kubernetes-preserve-unknown-fields":true,"additionalProperties":false,
             "properties":{"replicas":{"type":"integer","default":1,"maximum":10},
                           "tags":{"type":"array","items":{"type":"string"}}}}
            """)))
    }

    @Test func extraValuesAreStringLists() throws {
        let spec = PB().string(3, "alice").entry(5, "scopes", PB().string(1, "a").string(1, "b"))
            .message(1, PB().string(2, "list").string(5, "pods"))
        let decoded = try Self.decode(PB.envelope(apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", PB().message(2, spec)))
        #expect(decoded["spec"] == (try Self.json(#"{"user":"alice","extra":{"scopes":["a","b"]},"resourceAttributes":{"verb":"list","resource":"pods"}}"#)))
    }

    @Test func unknownFieldsAreSkipped() throws {
        let configMap = PB().message(1, PB().string(1, "c").string(99, "future").fixed64(98, 7))
            .varint(50, 1).fixed64(51, 2).string(52, "x").entry(2, "a", "b")
        let decoded = try Self.decode(PB.envelope(apiVersion: "v1", kind: "ConfigMap", configMap))
        #expect(decoded == (try Self.json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}}"#)))
    }

    // MARK: Malformed input: errors, never crashes

    @Test(arguments: [
        ("no magic", Array("{\"kind\":\"ConfigMap\"}".utf8), "prefix"),
        ("empty", [], "prefix"),
        ("truncated varint", [0x6B, 0x38, 0x73, 0x00, 0x0A, 0x80], "truncated varint"),
        ("length past end", [0x6B, 0x38, 0x73, 0x00, 0x0A, 0x20, 0x0A], "past the end"),
        ("overlong varint", [0x6B, 0x38, 0x73, 0x00, 0x28] + [UInt8](repeating: 0xFF, count: 11), "varint overflows"),
        ("field number zero", [0x6B, 0x38, 0x73, 0x00, 0x02, 0x00], "field number"),
        ("group wire type", [0x6B, 0x38, 0x73, 0x00, 0x2B], "groups"),
    ] as [(String, [UInt8], String)])
    func malformedEnvelopes(label: String, body: [UInt8], message: String) {
        #expect(throws: ProtobufDecodingError.self, "\(label)") { try Self.decode(body) }
        do {
            _ = try Self.decode(body)
        } catch {
            #expect("\(error)".contains(message), "\(label): \(error)")
        }
    }

    @Test func wrongWireTypeForAKnownField() throws {
        // ConfigMap.immutable (field 4) is a bool; send it length-delimited.
        let configMap = PB().message(1, Self.objectMeta(name: "c")).string(4, "yes")
        #expect(throws: ProtobufDecodingError("k8s.io.api.core.v1.ConfigMap.immutable (field 4): expected varint, got length-delimited")) {
            try Self.decode(PB.envelope(apiVersion: "v1", kind: "ConfigMap", configMap))
        }
        // ObjectMeta (field 1) is a message; send a varint.
        #expect(throws: ProtobufDecodingError.self) {
            try Self.decode(PB.envelope(apiVersion: "v1", kind: "ConfigMap", PB().varint(1, 5)))
        }
    }

    @Test func truncatedNestedMessage() {
        // The envelope is intact; inside the object, ObjectMeta claims two bytes more than there are.
        var object = PB().message(1, Self.objectMeta(name: "c")).bytes
        object.removeLast(2)
        let body = KubeProtobufDecoder.magic + PB().message(1, PB().string(1, "v1").string(2, "ConfigMap")).bytes(2, object).bytes
        #expect(throws: ProtobufDecodingError("length 17 runs past the end of the message")) { try Self.decode(body) }
    }

    @Test func unknownKindsAndEncodingsAreRefused() {
        #expect(throws: ProtobufDecodingError("no protobuf message is known for apiVersion \"example.com/v1\", kind \"Widget\"")) {
            try Self.decode(PB.envelope(apiVersion: "example.com/v1", kind: "Widget", PB()))
        }
        let gzip = [0x6B, 0x38, 0x73, 0x00] + PB().message(1, PB().string(1, "v1").string(2, "ConfigMap")).string(3, "gzip").bytes
        #expect(throws: ProtobufDecodingError("content encoding \"gzip\" is not supported")) { try Self.decode(gzip) }
    }

    @Test func hostileNestingIsBounded() {
        var schema = PB().string(5, "object")
        for _ in 0..<200 { schema = PB().message(28, schema) }
        let crd = PB().message(2, PB().message(7, PB().message(4, PB().message(1, schema))))
        #expect(throws: ProtobufDecodingError.self) {
            try Self.decode(PB.envelope(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", crd))
        }
    }

    // MARK: The table

    @Test func everyReferencedMessageAndKindIsInTheTable() {
        let table = ProtobufMessageTable.shared
        for message in table.messages.values {
            for field in message.fields.values {
                if case .message(let name) = field.type {
                    #expect(table.messages[name] != nil, "\(message.name).\(field.jsonName) → \(name)")
                }
            }
        }
        for (kind, name) in table.kinds { #expect(table.messages[name] != nil, "\(kind)") }
        for kind in ["v1/Pod", "apps/v1/Deployment", "batch/v1/CronJob", "rbac.authorization.k8s.io/v1/RoleBinding",
                     "authentication.k8s.io/v1/TokenRequest", "policy/v1/Eviction", "apiextensions.k8s.io/v1/CustomResourceDefinition",
                     "autoscaling/v2/HorizontalPodAutoscaler", "flowcontrol.apiserver.k8s.io/v1/FlowSchema", "v1/DeleteOptions", "policy/v1/DeleteOptions"] {
            #expect(table.kinds[kind] != nil, "\(kind)")
        }
    }

    @Test func requestBodyReaderTurnsProtobufIntoJSON() throws {
        let body = Data(PB.envelope(apiVersion: "v1", kind: "Namespace", PB().message(1, Self.objectMeta(name: "team-a")).message(2, PB()).message(3, PB())))
        let json = try RequestBodyReader.json(fromProtobuf: body)
        #expect(try JSONParser.parse(json) == Self.json(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"},"spec":{},"status":{}}"#))
        #expect(throws: APIError.self) { try RequestBodyReader.json(fromProtobuf: Data([0x6B, 0x38, 0x73, 0x00, 0x0A, 0xFF])) }
    }
}
