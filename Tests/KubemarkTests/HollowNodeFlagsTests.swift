import KubeModel
@testable import Kubemark
import Testing

@Suite struct HollowNodeFlagsTests {
    @Test(arguments: [
        ("k=v:NoSchedule", "k", "v", "NoSchedule"),
        ("k:NoExecute", "k", nil, "NoExecute"),
        ("example.com/gpu=true:PreferNoSchedule", "example.com/gpu", "true", "PreferNoSchedule"),
        ("dedicated=:NoSchedule", "dedicated", nil, "NoSchedule"),
        ("node.kubernetes.io/hollow=yes:NoExecute", "node.kubernetes.io/hollow", "yes", "NoExecute"),
    ] as [(String, String, String?, String)])
    func parsesTaints(text: String, key: String, value: String?, effect: String) throws {
        let taint = try HollowNodeFlags.taint(text)
        #expect(taint == CoreV1.Taint(effect: effect, key: key, value: value))
    }

    @Test(arguments: [
        ("k=v", "expected key=value:Effect or key:Effect"),
        ("k=v:Sometimes", "the effect must be one of NoSchedule, PreferNoSchedule, NoExecute"),
        (":NoSchedule", "key name part must be non-empty"),
        ("bad key:NoSchedule", "invalid taint \"bad key:NoSchedule\": key name part"),
        ("k=not valid:NoSchedule", "value a valid label must be"),
        ("k=v:noschedule", "the effect must be one of"),
    ])
    func rejectsBadTaints(text: String, message: String) {
        let error = #expect(throws: HollowNodeFlags.InvalidValue.self) { try HollowNodeFlags.taint(text) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test func parsesTaintLists() throws {
        let taints = try HollowNodeFlags.taints("a=1:NoSchedule, b:NoExecute,")
        #expect(taints.map(\.key) == ["a", "b"])
        #expect(try HollowNodeFlags.taints("").isEmpty)
        #expect(throws: HollowNodeFlags.InvalidValue("taint \"a:NoSchedule\" given twice")) {
            try HollowNodeFlags.taints("a=1:NoSchedule,a=2:NoSchedule")
        }
    }

    @Test(arguments: [
        ("", [:]),
        ("zone=a", ["zone": "a"]),
        ("zone=a,rack=r1", ["zone": "a", "rack": "r1"]),
        ("node-role.kubernetes.io/hollow=", ["node-role.kubernetes.io/hollow": ""]),
        (" tier = x ,", nil),
        ("a=b=c", nil),
    ] as [(String, [String: String]?)])
    func parsesLabels(text: String, expected: [String: String]?) throws {
        if let expected {
            #expect(try HollowNodeFlags.labels(text) == expected)
        } else {
            #expect(throws: HollowNodeFlags.InvalidValue.self) { try HollowNodeFlags.labels(text) }
        }
    }

    @Test(arguments: ["zone", "=a", "bad/key/x=1", "k=v,k=w"])
    func rejectsBadLabels(text: String) {
        #expect(throws: HollowNodeFlags.InvalidValue.self) { try HollowNodeFlags.labels(text) }
    }

    @Test(arguments: [("8", "8"), ("500m", "500m"), ("32Gi", "32Gi"), ("1.5", "1500m"), ("100G", "100G")])
    func parsesQuantities(text: String, canonical: String) throws {
        #expect(try HollowNodeFlags.quantity(text, flag: "cpu").description == canonical)
    }

    @Test(arguments: ["lots", "-1", "32GB", ""])
    func rejectsBadQuantities(text: String) {
        let error = #expect(throws: HollowNodeFlags.InvalidValue.self) { try HollowNodeFlags.quantity(text, flag: "memory") }
        #expect(error?.description.hasPrefix("--memory: ") == true)
    }
}
