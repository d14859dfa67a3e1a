import Foundation
import KubeModel
import Testing

@testable import KubeClient

/// Watch lines read as informers that drop managedFields read them (kube-scheduler's pod
/// informer): the object without `metadata.managedFields`, everything else as sent.
@Suite struct WatchEventsDecodingTests {
    static let line = Array(#"""
        {"type":"MODIFIED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","resourceVersion":"7","labels":{"app":"web"},"managedFields":[{"apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}}},"manager":"kubectl","operation":"Update","time":"2026-11-22T10:00:00Z"}]},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"busybox"}]}}}
        """#.utf8)

    @Test(arguments: [false, true])
    func readsWithOrWithoutManagedFields(skipping: Bool) throws {
        let event = try WatchEvents<CoreV1.Pod>.AsyncIterator.read(Self.line[...], skipsManagedFields: skipping)
        guard case .modified(let pod) = event else {
            Issue.record("expected MODIFIED, got \(event)")
            return
        }
        #expect(pod.metadata.name == "p")
        #expect(pod.metadata.labels == ["app": "web"])
        #expect(pod.metadata.resourceVersion == "7")
        #expect(pod.spec.nodeName == "n1")
        #expect(pod.spec.containers.map(\.name) == ["c"])
        #expect(pod.metadata.managedFields?.first?.manager == (skipping ? nil : "kubectl"))
    }

    /// Lines the fast reader refuses fall back to JSONDecoder, which drops them too.
    @Test func fallbackDropsManagedFieldsToo() throws {
        // The object before the type: the fast reader, which reads the type first, refuses it.
        let object = String(decoding: Self.line, as: UTF8.self)
            .replacingOccurrences(of: #"{"type":"MODIFIED","object":"#, with: "").dropLast()
        let text = #"{"object":"# + object + #","type":"MODIFIED"}"#
        let line = Array(text.utf8)[...]
        #expect(throws: (any Error).self) { try WatchEvents<CoreV1.Pod>.AsyncIterator.read(line) }
        guard case .modified(let pod) = try WatchEvents<CoreV1.Pod>.AsyncIterator.decode(
            line, skipsManagedFields: true, decoder: JSONDecoder()) else {
            Issue.record("expected MODIFIED")
            return
        }
        #expect(pod.metadata.managedFields == nil)
        #expect(pod.metadata.labels == ["app": "web"])
    }
}

/// Responses read by clients that drop managedFields (``ResourceClient/droppingManagedFields()``).
@Suite struct ResponseDecodingTests {
    static let pod = Array(#"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","managedFields":[{"manager":"m","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{}}]},"spec":{"containers":[{"name":"c"}]}}
        """#.utf8)

    @Test(arguments: [false, true])
    func readsWithOrWithoutManagedFields(skipping: Bool) throws {
        let pod = try RESTClient.decode(CoreV1.Pod.self, Self.pod, skippingManagedFields: skipping)
        #expect(pod.metadata.name == "p")
        #expect(pod.spec.containers.map(\.name) == ["c"])
        #expect((pod.metadata.managedFields?.count ?? 0) == (skipping ? 0 : 1))
    }

    /// A body the reader refuses (a Codable-only layout) is decoded by JSONDecoder and stripped.
    @Test func fallbackStripsToo() throws {
        // `generation: 1.0`: the reader wants an integer literal, JSONDecoder takes an integral float.
        let text = String(decoding: Self.pod, as: UTF8.self).replacingOccurrences(of: #""name":"p""#, with: #""name":"p","generation":1.0"#)
        let pod = try RESTClient.decode(CoreV1.Pod.self, Array(text.utf8), skippingManagedFields: true)
        #expect(pod.metadata.name == "p")
        #expect(pod.metadata.managedFields == nil)
    }
}
