@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct JobPodFailurePolicyTests {
    static func failedPod(exitCodes: [(String, Int32?)] = [], initExitCodes: [(String, Int32?)] = [],
                          conditions: [(String, String)] = []) -> CoreV1.Pod {
        func statuses(_ codes: [(String, Int32?)]) -> [CoreV1.ContainerStatus] {
            codes.map { name, code in
                var status = CoreV1.ContainerStatus()
                status.name = name
                if let code {
                    var terminated = CoreV1.ContainerStateTerminated()
                    terminated.exitCode = code
                    status.state = CoreV1.ContainerState(terminated: terminated)
                } else {
                    status.state = CoreV1.ContainerState(running: CoreV1.ContainerStateRunning())
                }
                return status
            }
        }
        var pod = CoreV1.Pod()
        pod.metadata.name = "mypod"
        pod.metadata.namespace = "default"
        pod.status.phase = "Failed"
        pod.status.containerStatuses = statuses(exitCodes)
        pod.status.initContainerStatuses = statuses(initExitCodes)
        pod.status.conditions = conditions.map { CoreV1.PodCondition(status: $0.1, type: $0.0) }
        return pod
    }

    static func exitCodesRule(_ action: String, _ op: String, _ values: [Int32], container: String? = nil) -> BatchV1.PodFailurePolicyRule {
        BatchV1.PodFailurePolicyRule(action: action, onExitCodes: BatchV1.PodFailurePolicyOnExitCodesRequirement(
            containerName: container, operator: op, values: values))
    }

    static func conditionsRule(_ action: String, _ type: String, _ status: String? = "True") -> BatchV1.PodFailurePolicyRule {
        BatchV1.PodFailurePolicyRule(action: action, onPodConditions: [
            BatchV1.PodFailurePolicyOnPodConditionsPattern(status: status, type: type),
        ])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var rules: [BatchV1.PodFailurePolicyRule]?
        var pod: CoreV1.Pod
        var message: String?
        var counts: Bool
        var action: String?
        var testDescription: String { label }
    }

    static let failJobMessage = "Container main-container for pod default/mypod failed with exit code 2 matching FailJob rule at index 1"

    // upstream pod_failure_policy_test.go TestMatchPodFailurePolicy.
    static let cases: [Case] = [
        Case(label: "default; no pod failure policy", rules: nil, pod: failedPod(exitCodes: [("main-container", 2)]),
             message: nil, counts: true, action: nil),
        Case(label: "default; ignore rule matched for exit codes", rules: [exitCodesRule("Ignore", "In", [1, 2, 3])],
             pod: failedPod(exitCodes: [("main-container", 2)]), message: nil, counts: false, action: "Ignore"),
        Case(label: "default; fail job rule matched for exit codes",
             rules: [exitCodesRule("Ignore", "In", [1]), exitCodesRule("FailJob", "In", [2, 3])],
             pod: failedPod(exitCodes: [("main-container", 2)]), message: failJobMessage, counts: true, action: "FailJob"),
        Case(label: "successful containers are skipped by the rules", rules: [exitCodesRule("FailJob", "NotIn", [111])],
             pod: failedPod(exitCodes: [("main-container", 0), ("suppport-container", 0)], initExitCodes: [("init-container", 0)]),
             message: nil, counts: true, action: nil),
        Case(label: "running containers are skipped", rules: [exitCodesRule("FailJob", "NotIn", [111])],
             pod: failedPod(exitCodes: [("main-container", nil)]), message: nil, counts: true, action: nil),
        Case(label: "pod failure policy with NotIn operator and value 0", rules: [exitCodesRule("FailJob", "NotIn", [0])],
             pod: failedPod(exitCodes: [("main-container", 1), ("suppport-container", 0)]),
             message: "Container main-container for pod default/mypod failed with exit code 1 matching FailJob rule at index 0",
             counts: true, action: "FailJob"),
        Case(label: "init container failure matched", rules: [exitCodesRule("FailJob", "In", [143])],
             pod: failedPod(initExitCodes: [("init-container", 143)]),
             message: "Container init-container for pod default/mypod failed with exit code 143 matching FailJob rule at index 0",
             counts: true, action: "FailJob"),
        Case(label: "container name restricts the rule", rules: [exitCodesRule("FailJob", "In", [2], container: "other")],
             pod: failedPod(exitCodes: [("main-container", 2)]), message: nil, counts: true, action: nil),
        Case(label: "count rule matched", rules: [exitCodesRule("Count", "In", [42])],
             pod: failedPod(exitCodes: [("main-container", 42)]), message: nil, counts: true, action: "Count"),
        Case(label: "FailIndex rule matched", rules: [exitCodesRule("FailIndex", "In", [42])],
             pod: failedPod(exitCodes: [("main-container", 42)]), message: nil, counts: true, action: "FailIndex"),
        Case(label: "unknown action is skipped", rules: [exitCodesRule("UnknownAction", "In", [2]), exitCodesRule("Count", "In", [2])],
             pod: failedPod(exitCodes: [("main-container", 2)]), message: nil, counts: true, action: "Count"),
        Case(label: "ignore rule matched for pod conditions", rules: [conditionsRule("Ignore", "DisruptionTarget")],
             pod: failedPod(exitCodes: [("main-container", 137)], conditions: [("DisruptionTarget", "True")]),
             message: nil, counts: false, action: "Ignore"),
        Case(label: "fail job rule matched for pod conditions", rules: [conditionsRule("FailJob", "DisruptionTarget")],
             pod: failedPod(conditions: [("DisruptionTarget", "True")]),
             message: "Pod default/mypod has condition DisruptionTarget matching FailJob rule at index 0", counts: true, action: "FailJob"),
        Case(label: "pod condition with other status is not matched", rules: [conditionsRule("FailJob", "DisruptionTarget", "False")],
             pod: failedPod(conditions: [("DisruptionTarget", "True")]), message: nil, counts: true, action: nil),
        Case(label: "pattern without status means True", rules: [conditionsRule("Ignore", "DisruptionTarget", nil)],
             pod: failedPod(conditions: [("DisruptionTarget", "True")]), message: nil, counts: false, action: "Ignore"),
        Case(label: "first matching rule wins", rules: [conditionsRule("Ignore", "DisruptionTarget"), exitCodesRule("FailJob", "In", [137])],
             pod: failedPod(exitCodes: [("main-container", 137)], conditions: [("DisruptionTarget", "True")]),
             message: nil, counts: false, action: "Ignore"),
    ]

    @Test(arguments: cases)
    func matchPodFailurePolicy(_ testCase: Case) {
        let policy = testCase.rules.map { BatchV1.PodFailurePolicy(rules: $0) }
        let match = JobPodFailurePolicy.match(policy, testCase.pod)
        #expect(match.failJobMessage == testCase.message)
        #expect(match.countsFailure == testCase.counts)
        #expect(match.action == testCase.action)
    }
}
