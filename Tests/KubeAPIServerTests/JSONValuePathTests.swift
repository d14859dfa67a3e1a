import KubeModel
import Testing
@testable import KubeAPIServer

/// `JSONValue.value(at:)`, the dotted paths field selectors and printers read.
struct JSONValuePathTests {
    static let pod: JSONValue = .object([
        "metadata": .object(["name": .string("p"), "labels": .object(["app": .string("web")])]),
        "spec": .object(["nodeName": .string("n1"), "hostNetwork": .bool(true)]),
        "status": .object(["phase": .string("Running")]),
    ])

    @Test(arguments: [
        ("spec.nodeName", JSONValue.string("n1")),
        ("status.phase", .string("Running")),
        ("metadata.labels.app", .string("web")),
        ("spec.hostNetwork", .bool(true)),
        ("spec", .object(["nodeName": .string("n1"), "hostNetwork": .bool(true)])),
        ("spec..nodeName", .string("n1")),
        (".spec.nodeName.", .string("n1")),
        ("", pod),
    ] as [(String, JSONValue)])
    func presentPaths(_ path: String, _ expected: JSONValue) {
        #expect(Self.pod.value(at: path) == expected)
    }

    @Test(arguments: ["spec.schedulerName", "status.phase.x", "metadata.labels.tier", "nope", "spec.nodeName.deeper"])
    func absentPaths(_ path: String) {
        #expect(Self.pod.value(at: path) == nil)
    }
}
