import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Field sets and their FieldsV1 encoding. The golden texts, the set-algebra tables and the
/// named-fields schema come from structured-merge-diff's `fieldpath/serialize_test.go` and
/// `fieldpath/set_test.go`; the object walks from what the API server records for the same
/// objects.
struct FieldSetTests {
    static func json(_ text: String) -> JSONValue {
        do { return try JSONParser.parse(Array(text.utf8)) } catch { fatalError("bad JSON in test: \(text)") }
    }

    static func p(_ elements: PathElement...) -> FieldPath { FieldPath(elements) }
    static func f(_ name: String) -> PathElement { .field(name) }
    static func k(_ name: String, _ value: String) -> PathElement { .keyed([name: .string(value)]) }
    static func set(_ paths: FieldPath...) -> FieldSet { FieldSet(paths) }

    // MARK: FieldsV1

    /// Upstream's golden data: read and written back byte for byte (element order, `"."` last).
    static let goldenFieldsV1: [String] = [
        #"{"f:aaa":{},"f:aab":{},"f:aac":{},"f:aad":{},"f:aae":{},"f:aaf":{},"k:{\"name\":\"first\"}":{},"k:{\"name\":\"second\"}":{},"k:{\"port\":443,\"protocol\":\"tcp\"}":{},"k:{\"port\":443,\"protocol\":\"udp\"}":{},"v:1":{},"v:2":{},"v:3":{},"v:\"aa\"":{},"v:\"ab\"":{},"v:true":{},"i:1":{},"i:2":{},"i:3":{},"i:4":{}}"#,
        #"{"f:aaa":{"k:{\"name\":\"second\"}":{"v:3":{"f:aab":{}}},"v:3":{},"v:true":{}},"f:aab":{"f:aaa":{},"f:aaf":{"k:{\"port\":443,\"protocol\":\"udp\"}":{"k:{\"port\":443,\"protocol\":\"tcp\"}":{}}},"k:{\"name\":\"first\"}":{}},"f:aac":{"f:aaa":{"v:1":{}},"f:aac":{},"v:3":{"k:{\"name\":\"second\"}":{}}},"f:aad":{"f:aac":{"v:1":{}},"f:aaf":{"k:{\"name\":\"first\"}":{"k:{\"name\":\"first\"}":{}}},"i:1":{"i:1":{},"i:3":{"v:true":{}}}},"f:aae":{"f:aae":{},"k:{\"port\":443,\"protocol\":\"tcp\"}":{"k:{\"port\":443,\"protocol\":\"udp\"}":{}},"i:4":{"f:aaf":{}}},"f:aaf":{"i:1":{"f:aac":{}},"i:2":{},"i:3":{}},"k:{\"name\":\"first\"}":{"f:aad":{"f:aaf":{}}},"k:{\"port\":443,\"protocol\":\"tcp\"}":{"f:aaa":{"f:aad":{}}},"k:{\"port\":443,\"protocol\":\"udp\"}":{"f:aac":{},"k:{\"name\":\"first\"}":{"i:3":{}},"k:{\"port\":443,\"protocol\":\"udp\"}":{"i:4":{}}},"v:1":{"f:aac":{"i:4":{}},"f:aaf":{},"k:{\"port\":443,\"protocol\":\"tcp\"}":{}},"v:2":{"f:aad":{"f:aaf":{}},"i:1":{}},"v:3":{"f:aaa":{},"k:{\"name\":\"first\"}":{},"i:2":{}},"v:\"aa\"":{"f:aab":{"f:aaf":{}},"f:aae":{},"k:{\"name\":\"first\"}":{"f:aad":{}},"i:2":{}},"v:\"ab\"":{"f:aaf":{"i:4":{}},"k:{\"port\":443,\"protocol\":\"tcp\"}":{},"k:{\"port\":443,\"protocol\":\"udp\"}":{},"v:1":{"k:{\"port\":443,\"protocol\":\"udp\"}":{}},"i:1":{"f:aae":{"i:4":{}}}},"v:true":{"k:{\"name\":\"second\"}":{"f:aaa":{}},"i:2":{"k:{\"port\":443,\"protocol\":\"tcp\"}":{}}},"i:1":{"i:3":{"f:aaf":{}}},"i:2":{"f:aae":{},"k:{\"port\":443,\"protocol\":\"tcp\"}":{"v:1":{}}},"i:3":{"f:aab":{"v:true":{"v:\"aa\"":{}}},"f:aaf":{},"i:1":{}},"i:4":{"v:\"aa\"":{"f:aab":{"k:{\"name\":\"second\"}":{}}}}}"#,
        #"{"f:metadata":{"f:labels":{"f:app":{},".":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{"f:image":{},"f:name":{},".":{}}}}}"#,
    ]

    @Test(arguments: goldenFieldsV1)
    func fieldsV1TextRoundTrips(_ text: String) throws {
        let set = try FieldSet(fieldsV1Text: text)
        #expect(set.fieldsV1Text == text)
        #expect(try FieldSet(fieldsV1: set.fieldsV1) == set)
        #expect(set.fieldsV1 == Self.json(text))
    }

    /// Go's `encoding/json` escapes `<`, `>`, `&`, U+2028 and U+2029 in the keys it writes;
    /// other characters (U+2013 shares U+2028's first UTF-8 byte) stay as they are.
    @Test(arguments: [
        ("plain", #""plain""#), ("a<b>&c", #""a\u003cb\u003e\u0026c""#), ("x\u{2028}y\u{2029}", #""x\u2028y\u2029""#),
        ("é–x", "\"é–x\""),
    ])
    func goJSONTextEscapesAsGoDoes(text: String, expected: String) {
        #expect(JSONValue.string(text).goJSONText == expected)
        #expect(PathElement.value(.string(text)).fieldsV1Key == "v:" + expected)
    }

    @Test func fieldsV1OfTheBrief() throws {
        let text = #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}}}}"#
        let set = try FieldSet(fieldsV1: Self.json(text))
        let c = Self.k("name", "c")
        #expect(set == Self.set(
            Self.p(Self.f("metadata"), Self.f("labels")), Self.p(Self.f("metadata"), Self.f("labels"), Self.f("app")),
            Self.p(Self.f("spec"), Self.f("containers"), c), Self.p(Self.f("spec"), Self.f("containers"), c, Self.f("image")),
            Self.p(Self.f("spec"), Self.f("containers"), c, Self.f("name"))))
        #expect(String(decoding: set.fieldsV1.serialized(), as: UTF8.self) == text)
        #expect(set.paths.map(\.description) == [
            ".metadata.labels", ".metadata.labels.app", #".spec.containers[name="c"]"#,
            #".spec.containers[name="c"].image"#, #".spec.containers[name="c"].name"#,
        ])
    }

    @Test func unknownElementKindsAreDropped() throws {
        #expect(try FieldSet(fieldsV1Text: #"{"f:aaa":{},"r:aab":{}}"#).fieldsV1Text == #"{"f:aaa":{}}"#)
    }

    @Test(arguments: [#"{"x":{}}"#, #"{"k:[1]":{}}"#, #"{"i:one":{}}"#, #"{"f:a":1}"#])
    func malformedFieldsV1Throws(_ text: String) {
        #expect(throws: ApplyError.self) { try FieldSet(fieldsV1Text: text) }
    }

    @Test(arguments: [
        (PathElement.field("image"), ".image", "f:image"),
        (PathElement.keyed(["containerPort": .int(80), "protocol": .string("TCP")]),
         #"[containerPort=80,protocol="TCP"]"#, #"k:{"containerPort":80,"protocol":"TCP"}"#),
        (PathElement.setValue(.string("a<b")), #"[="a<b"]"#, #"v:"a\u003cb""#),
        (PathElement.setValue(.double(2)), "[=2]", "v:2"),
        (PathElement.index(3), "[3]", "i:3"),
    ])
    func pathElementText(_ element: PathElement, _ description: String, _ key: String) throws {
        #expect(element.description == description)
        #expect(element.fieldsV1Key == key)
        #expect(try PathElement(fieldsV1Key: key) == element)
    }

    // MARK: Set algebra (upstream's TestSetIntersectionDifference, TestSetDifference, TestSetLeaves)

    @Test func intersectionAndDifference() {
        let first = PathElement.keyed(["name": .string("first")])
        let s1 = Self.set(Self.p(.field("a0")), Self.p(.field("a1")), Self.p(.field("foo"), .index(0)),
                          Self.p(.field("foo"), .index(1)), Self.p(.field("b0"), first), Self.p(.field("b1"), first),
                          Self.p(.field("bar"), .field("c0")), Self.p(.field("cp"), first, .field("child")))
        let s2 = Self.set(Self.p(.field("a1")), Self.p(.field("a2")), Self.p(.field("foo"), .index(1)),
                          Self.p(.field("foo"), .index(2)), Self.p(.field("b1"), first), Self.p(.field("b2"), first),
                          Self.p(.field("bar"), .field("c2")), Self.p(.field("cp"), first))
        let intersection = Self.set(Self.p(.field("a1")), Self.p(.field("foo"), .index(1)), Self.p(.field("b1"), first))
        #expect(s1.intersection(s2) == intersection)
        #expect(s1.subtracting(s2) == Self.set(
            Self.p(.field("a0")), Self.p(.field("foo"), .index(0)), Self.p(.field("b0"), first),
            Self.p(.field("bar"), .field("c0")), Self.p(.field("cp"), first, .field("child"))))
        #expect(s2.subtracting(s1) == Self.set(
            Self.p(.field("a2")), Self.p(.field("foo"), .index(2)), Self.p(.field("b2"), first),
            Self.p(.field("bar"), .field("c2")), Self.p(.field("cp"), first)))
        let notIntersection = s2.subtracting(s1).union(s1.subtracting(s2))
        #expect(s1.union(s2).subtracting(notIntersection) == intersection)
    }

    @Test(arguments: [
        // (a, b, difference, recursive difference), paths as dotted field names
        (["a"], ["a"], [String](), [String]()),
        (["a.b.c"], ["a.b.c"], [], []),
        (["a.b.c", "b.b.c"], ["a.b.c"], ["b.b.c"], ["b.b.c"]),
        (["a"], ["a.aa"], ["a"], ["a"]),
        (["a.b.c"], ["a"], ["a.b.c"], []),
        (["a.aa.aab", "a.ab.aba"], ["a.aa"], ["a.aa.aab", "a.ab.aba"], ["a.ab.aba"]),
        (["a.aa.aab", "a.ab.aba"], ["a"], ["a.aa.aab", "a.ab.aba"], []),
    ])
    func difference(_ a: [String], _ b: [String], _ difference: [String], _ recursive: [String]) {
        func dotted(_ paths: [String]) -> FieldSet {
            FieldSet(paths.map { FieldPath($0.split(separator: ".").map { PathElement.field(String($0)) }) })
        }
        #expect(dotted(a).subtracting(dotted(b)) == dotted(difference))
        #expect(dotted(a).recursiveDifference(dotted(b)) == dotted(recursive))
    }

    @Test func leaves() {
        let a = PathElement.keyed(["name": .string("a")])
        let p = PathElement.keyed(["name": .string("p")])
        let input = Self.set(
            Self.p(.field("root")), Self.p(.field("root"), a), Self.p(.field("root"), a, .field("name")),
            Self.p(.field("root"), a, .field("value"), .field("b")), Self.p(.field("root"), a, .field("value"), .field("b"), .field("c")),
            Self.p(.field("root"), a, .field("value"), .field("d")), Self.p(.field("root"), a, .field("value"), .field("e")),
            Self.p(.field("root"), .field("x")), Self.p(.field("root"), .field("x"), .field("y")),
            Self.p(.field("root"), .field("x"), .field("z")), Self.p(.field("root"), p), Self.p(.field("root"), p, .field("name")),
            Self.p(.field("root"), p, .field("value"), .field("q")))
        #expect(input.leaves == Self.set(
            Self.p(.field("root"), a, .field("name")), Self.p(.field("root"), a, .field("value"), .field("b"), .field("c")),
            Self.p(.field("root"), a, .field("value"), .field("d")), Self.p(.field("root"), a, .field("value"), .field("e")),
            Self.p(.field("root"), .field("x"), .field("y")), Self.p(.field("root"), .field("x"), .field("z")),
            Self.p(.field("root"), p, .field("name")), Self.p(.field("root"), p, .field("value"), .field("q"))))
        #expect(FieldSet().leaves.isEmpty)
    }

    /// Upstream's `nestedSchema`: a type with a named field of itself, a keyed list of itself,
    /// a numeric `value`, and map entries of itself.
    static let nestedSchema: APISchema = {
        let text = #"""
        {"definitions": {"test.Type": {"type": "object",
          "properties": {
            "named": {"$ref": "#/definitions/test.Type"},
            "list": {"type": "array", "items": {"$ref": "#/definitions/test.Type"},
                     "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]},
            "value": {"type": "integer"}},
          "additionalProperties": {"$ref": "#/definitions/test.Type"}}}}
        """#
        do { return try APISchema(json: Array(text.utf8)) } catch { fatalError("\(error)") }
    }()

    @Test func ensureNamedFieldsAreMembers() throws {
        let types = ApplySchema(Self.nestedSchema)
        let type = ApplyType.node(try #require(Self.nestedSchema.definitions["test.Type"]))
        let a = PathElement.keyed(["name": .string("a")])
        let cases: [(FieldSet, FieldSet)] = [
            (Self.set(Self.p(.field("named"), .field("named"), .field("value"))),
             Self.set(Self.p(.field("named"), .field("named"), .field("value")), Self.p(.field("named"), .field("named")),
                      Self.p(.field("named")))),
            (Self.set(Self.p(.field("named"), .field("a"), .field("named"), .field("value")),
                      Self.p(.field("a"), .field("named"), .field("value")), Self.p(.field("a"), .field("b"), .field("value"))),
             Self.set(Self.p(.field("named"), .field("a"), .field("named"), .field("value")),
                      Self.p(.field("named"), .field("a"), .field("named")), Self.p(.field("named")),
                      Self.p(.field("a"), .field("named"), .field("value")), Self.p(.field("a"), .field("named")),
                      Self.p(.field("a"), .field("b"), .field("value")))),
            (Self.set(Self.p(.field("named"), .field("list"), a, .field("named"), .field("a"), .field("value"))),
             Self.set(Self.p(.field("named"), .field("list"), a, .field("named"), .field("a"), .field("value")),
                      Self.p(.field("named"), .field("list"), a, .field("named")), Self.p(.field("named"), .field("list")),
                      Self.p(.field("named")))),
        ]
        for (input, expected) in cases {
            #expect(types.ensuringNamedFieldsAreMembers(input, type: type) == expected)
        }
    }

    // MARK: The fields an object sets

    struct ObjectCase: CustomTestStringConvertible, Sendable {
        let name: String
        let gvk: GroupVersionKind
        let object: String
        let fieldsV1: String
        var subresource: String?
        var testDescription: String { name }
    }

    static let objectCases: [ObjectCase] = [
        ObjectCase(
            name: "pod: map entries, keyed lists with a defaulted key, identity fields and status left out",
            gvk: GroupVersionKind(group: "", version: "v1", kind: "Pod"),
            object: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}]}]},"status":{"phase":"Running"}}"#,
            fieldsV1: #"{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}"#),
        ObjectCase(
            name: "pod status subresource: spec left out",
            gvk: GroupVersionKind(group: "", version: "v1", kind: "Pod"),
            object: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"nodeName":"n"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}"#,
            fieldsV1: #"{"f:status":{"f:conditions":{"k:{\"type\":\"Ready\"}":{".":{},"f:status":{},"f:type":{}}},"f:phase":{}}}"#,
            subresource: "status"),
        ObjectCase(
            name: "sets by value, atomic lists and maps as leaves, empty and null values owned",
            gvk: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"),
            object: #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","finalizers":["a","b"],"annotations":{}},"spec":{"replicas":null,"selector":{"matchLabels":{"app":"d"}},"template":{"spec":{"containers":[{"name":"c","args":["x","y"]}],"tolerations":[{"key":"k"}]}}}}"#,
            fieldsV1: #"{"f:metadata":{"f:annotations":{},"f:finalizers":{"v:\"a\"":{},"v:\"b\"":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:args":{},"f:name":{}}},"f:tolerations":{}}}}}"#),
        ObjectCase(
            name: "a kind the schema does not know: objects by entry, lists atomic",
            gvk: GroupVersionKind(group: "example.com", version: "v1", kind: "Widget"),
            object: #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1,"parts":{"a":[1,2]}}}"#,
            fieldsV1: #"{"f:spec":{".":{},"f:parts":{".":{},"f:a":{}},"f:size":{}}}"#),
    ]

    @Test(arguments: objectCases)
    func fieldsOfAnObject(_ c: ObjectCase) throws {
        let set = try FieldSet.of(object: Self.json(c.object), gvk: c.gvk, subresource: c.subresource)
        #expect(set.fieldsV1 == Self.json(c.fieldsV1), "\(set.fieldsV1Text)")
    }

    @Test func aKeyedElementWithoutItsKeyIsAnError() {
        let pod = Self.json(#"{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"image":"nginx"}]}}"#)
        #expect(throws: ApplyError.invalidObject(
            #"failed to create typed object (v1, Kind=Pod): .spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn't have default value)"#)
        ) {
            try FieldSet.of(object: pod, gvk: GroupVersionKind(group: "", version: "v1", kind: "Pod"))
        }
    }
}
