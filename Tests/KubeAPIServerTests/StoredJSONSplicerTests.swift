import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

@Suite("Stored JSON splicing")
struct StoredJSONSplicerTests {
    @Test(arguments: [
        (#"{"apiVersion":"v1","data":{"a":"}{\"metadata\":{"},"kind":"ConfigMap","metadata":{"name":"c"}}"#,
         #"{"apiVersion":"v1","data":{"a":"}{\"metadata\":{"},"kind":"ConfigMap","metadata":{"resourceVersion":"7","name":"c"}}"#),
        (#"{"kind":"ConfigMap","metadata":{},"apiVersion":"v1"}"#,
         #"{"kind":"ConfigMap","metadata":{"resourceVersion":"7"},"apiVersion":"v1"}"#),
        (#" { "apiVersion" : "v1" , "kind" : "ConfigMap" , "metadata" : { "name" : "c" } , "x" : [1, {"y": null}, true] } "#,
         #" { "apiVersion" : "v1" , "kind" : "ConfigMap" , "metadata" : {"resourceVersion":"7", "name" : "c" } , "x" : [1, {"y": null}, true] } "#),
    ])
    func insertsTheResourceVersion(stored: String, expected: String) throws {
        let spliced = try #require(StoredJSONSplicer.responseJSON(Array(stored.utf8), revision: 7, apiVersion: "v1", kind: "ConfigMap"))
        #expect(String(decoding: spliced, as: UTF8.self) == expected)
        _ = try JSONParser.parse(spliced)
    }

    @Test(arguments: [
        #"{"apiVersion":"autoscaling/v2","kind":"ConfigMap","metadata":{}}"#,  // another version
        #"{"apiVersion":"v1","kind":"Secret","metadata":{}}"#,  // another kind
        #"{"apiVersion":"v1","metadata":{}}"#,  // no kind
        #"{"apiVersion":"v1","kind":"ConfigMap"}"#,  // no metadata
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":null}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c""#,  // truncated
        #"[]"#, "",
    ])
    func givesUpOnAnythingElse(stored: String) {
        #expect(StoredJSONSplicer.responseJSON(Array(stored.utf8), revision: 7, apiVersion: "v1", kind: "ConfigMap") == nil)
    }

    @Test func splicedJSONEqualsTheDecodedAndEncodedObject() throws {
        let resource = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "pods"))
        var pod = CoreV1.Pod(apiVersion: "v1", kind: "Pod", metadata: MetaV1.ObjectMeta(labels: ["a": "b"], name: "p", namespace: "ns"))
        pod.spec.containers = [CoreV1.Container(image: "busybox", name: "c")]
        let stored = try ResourceRegistry.encodeForStorage(pod)
        let spliced = try #require(StoredJSONSplicer.responseJSON(stored, revision: 42, apiVersion: "v1", kind: "Pod"))
        let decoded = try ResourceRegistry.decodeStored(stored, revision: 42, as: resource)
        #expect(try JSONParser.parse(spliced) == JSONParser.parse(ResponseRenderer.objectJSON(decoded)))
    }
}
