import ArgumentParser
import Foundation
import KubeAPIServer
import KubeModel

/// `skiff bench codec`: decoding and encoding typical API objects with the types' own JSON
/// readers and tree writers, beside Foundation's `JSONDecoder`/`JSONEncoder` and the
/// Codable-driven ``JSONValueEncoder`` path measured in the same run.
struct BenchCodecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Benchmark JSON decoding and encoding of API objects (own readers/writers vs Codable)."
    )

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 1

    func run() async throws {
        BenchOutput.say("skiff bench codec — \(seconds) s per measurement, one thread")
        BenchOutput.say("| object | bytes | JSONDecoder | own reader | speed-up | JSONEncoder | own writer + serialize | speed-up | tree to sorted bytes | direct writer (sorted bytes) |")
        BenchOutput.say("|---|---|---|---|---|---|---|---|---|---|")
        try row("Pod (bound, Running, managedFields)", CoreV1.Pod.self, Self.pod)
        try row("Node (Ready, 4 conditions, images)", CoreV1.Node.self, Self.node)
        try row("Lease (with managedFields)", CoordinationV1.Lease.self, Self.lease)
        BenchOutput.say("")
        BenchOutput.say("Request bodies with server-side field validation (`Warn`), as the API server reads a create or update:")
        BenchOutput.say("| object | tree + schema walk + own reader (two passes) | own reader noting unknown and repeated keys (one pass) | speed-up |")
        BenchOutput.say("|---|---|---|---|")
        try bodyRow("Pod (bound, Running, managedFields)", CoreV1.Pod.self, Self.pod)
        try bodyRow("Lease (with managedFields)", CoordinationV1.Lease.self, Self.lease)
    }

    /// A request body read the way the API server did before (parse to a tree with duplicate
    /// keys reported, walk it against the schema, read it typed) and the way it does now (read
    /// typed once, noting whether field validation has anything to look at).
    private func bodyRow<T: KubeObject>(_ name: String, _ type: T.Type, _ json: String) throws {
        let bytes = Array(json.utf8)
        let value = try JSONDecoder().decode(T.self, from: Data(bytes))
        let kind = GroupVersionKind(group: value.apiVersion?.split(separator: "/").dropLast().first.map(String.init) ?? "",
                                    version: String(value.apiVersion?.split(separator: "/").last ?? "v1"), kind: value.kind ?? "")
        let twoPasses = try Self.measure(seconds: seconds) {
            let (tree, duplicates) = try JSONParser.parseReportingDuplicates(bytes)
            var reader = JSONReader(bytes)
            _ = try T(json: &reader)
            _ = try FieldValidation.check(json: tree, duplicates: duplicates, kind: kind, mode: .warn)
        }
        let onePass = try Self.measure(seconds: seconds) {
            var reader = JSONReader(bytes)
            reader.checksFields = true
            _ = try T(json: &reader)
            precondition(!reader.needsFieldCheck, "the benchmark's \(name) has a field to check")
        }
        BenchOutput.say(String(format: "| %@ | %.1f µs | %.1f µs | %.1f× |", name, twoPasses * 1e6, onePass * 1e6, twoPasses / onePass))
    }

    private func row<T: KubeType>(_ name: String, _ type: T.Type, _ json: String) throws {
        let bytes = Array(json.utf8)
        let data = Data(bytes)
        let value = try JSONDecoder().decode(T.self, from: data)
        let decoder = JSONDecoder()
        let slowDecode = try Self.measure(seconds: seconds) { _ = try decoder.decode(T.self, from: data) }
        let fastDecode = try Self.measure(seconds: seconds) {
            var reader = JSONReader(bytes)
            _ = try T(json: &reader)
        }
        let encoder = JSONEncoder()
        let slowEncode = try Self.measure(seconds: seconds) { _ = try encoder.encode(value) }
        let fastEncode = try Self.measure(seconds: seconds) { _ = try value.jsonValue().serialized(sortedKeys: false) }
        let tree = try value.jsonValue()
        let sortedBytes = try Self.measure(seconds: seconds) { _ = tree.serialized(sortedKeys: true) }
        let direct = try Self.measure(seconds: seconds) { _ = try value.jsonBytes() }
        func micros(_ seconds: Double) -> String { String(format: "%.1f µs", seconds * 1e6) }
        func ratio(_ a: Double, _ b: Double) -> String { String(format: "%.1f×", a / b) }
        BenchOutput.say("| \(name) | \(bytes.count) | \(micros(slowDecode)) | \(micros(fastDecode)) | \(ratio(slowDecode, fastDecode)) | \(micros(slowEncode)) | \(micros(fastEncode)) | \(ratio(slowEncode, fastEncode)) | \(micros(sortedBytes)) | \(micros(direct)) |")
    }

    /// Seconds per call, over `seconds` of repeated calls.
    static func measure(seconds: Double, _ body: () throws -> Void) throws -> Double {
        for _ in 0..<100 { try body() }
        let clock = ContinuousClock()
        let start = clock.now
        var calls = 0
        while true {
            for _ in 0..<100 { try body() }
            calls += 100
            let elapsed = clock.now - start
            if elapsed >= .seconds(seconds) {
                return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(calls)
            }
        }
    }

    static let managedFields = #"""
    [{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2026-11-22T10:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{".":{},"f:requests":{".":{},"f:cpu":{},"f:memory":{}}}}}}}},
     {"manager":"skiff-hollow-node","operation":"Update","apiVersion":"v1","time":"2026-11-22T10:00:01Z","fieldsType":"FieldsV1","subresource":"status","fieldsV1":{"f:status":{"f:conditions":{"k:{\"type\":\"Ready\"}":{".":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}}},"f:phase":{},"f:podIP":{}}}}]
    """#

    static let pod = #"""
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d4b9c6f5-x2k8p","generateName":"web-7d4b9c6f5-","namespace":"default","uid":"4f1c2b9e-8a7d-4e3f-9b1a-2c3d4e5f6a7b","resourceVersion":"123456","creationTimestamp":"2026-11-22T10:00:00Z","labels":{"app":"web","pod-template-hash":"7d4b9c6f5"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d4b9c6f5","uid":"0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d","controller":true,"blockOwnerDeletion":true}],"managedFields":\#(managedFields)},
     "spec":{"containers":[{"name":"app","image":"registry.k8s.io/pause:3.10","ports":[{"containerPort":8080,"protocol":"TCP"}],"resources":{"requests":{"cpu":"100m","memory":"500Mi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default","nodeName":"hollow-node-42","securityContext":{},"schedulerName":"default-scheduler","tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],"priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},
     "status":{"phase":"Running","conditions":[{"type":"PodReadyToStartContainers","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-22T10:00:01Z"},{"type":"Initialized","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-22T10:00:01Z"},{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-22T10:00:01Z"},{"type":"ContainersReady","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-22T10:00:01Z"},{"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-22T10:00:00Z"}],"hostIP":"127.64.0.43","hostIPs":[{"ip":"127.64.0.43"}],"podIP":"10.244.42.7","podIPs":[{"ip":"10.244.42.7"}],"startTime":"2026-11-22T10:00:01Z","containerStatuses":[{"name":"app","state":{"running":{"startedAt":"2026-11-22T10:00:01Z"}},"lastState":{},"ready":true,"restartCount":0,"image":"registry.k8s.io/pause:3.10","imageID":"sha256:873ed75102791e5b0b8a7fcd41606c92fcec98d56d05ead4ac5131650004c136","containerID":"containerd://0123456789abcdef","started":true}],"qosClass":"Burstable"}}
    """#

    static let node = #"""
    {"apiVersion":"v1","kind":"Node","metadata":{"name":"hollow-node-42","uid":"9e8d7c6b-5a4f-3e2d-1c0b-a9f8e7d6c5b4","resourceVersion":"98765","creationTimestamp":"2026-11-22T09:59:00Z","labels":{"beta.kubernetes.io/arch":"amd64","beta.kubernetes.io/os":"linux","kubernetes.io/arch":"amd64","kubernetes.io/hostname":"hollow-node-42","kubernetes.io/os":"linux","topology.kubernetes.io/zone":"zone-2"},"annotations":{"node.alpha.kubernetes.io/ttl":"0"}},
     "spec":{"podCIDR":"10.244.42.0/24","podCIDRs":["10.244.42.0/24"]},
     "status":{"capacity":{"cpu":"8","ephemeral-storage":"100Gi","memory":"32Gi","pods":"110"},"allocatable":{"cpu":"8","ephemeral-storage":"100Gi","memory":"32Gi","pods":"110"},"conditions":[{"type":"MemoryPressure","status":"False","lastHeartbeatTime":"2026-11-22T10:05:00Z","lastTransitionTime":"2026-11-22T09:59:00Z","reason":"KubeletHasSufficientMemory","message":"kubelet has sufficient memory available"},{"type":"DiskPressure","status":"False","lastHeartbeatTime":"2026-11-22T10:05:00Z","lastTransitionTime":"2026-11-22T09:59:00Z","reason":"KubeletHasNoDiskPressure","message":"kubelet has no disk pressure"},{"type":"PIDPressure","status":"False","lastHeartbeatTime":"2026-11-22T10:05:00Z","lastTransitionTime":"2026-11-22T09:59:00Z","reason":"KubeletHasSufficientPID","message":"kubelet has sufficient PID available"},{"type":"Ready","status":"True","lastHeartbeatTime":"2026-11-22T10:05:00Z","lastTransitionTime":"2026-11-22T09:59:00Z","reason":"KubeletReady","message":"kubelet is posting ready status"}],"addresses":[{"type":"InternalIP","address":"127.64.0.43"},{"type":"Hostname","address":"hollow-node-42"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},"nodeInfo":{"machineID":"","systemUUID":"","bootID":"","kernelVersion":"6.1.0","osImage":"Debian GNU/Linux 12 (bookworm)","containerRuntimeVersion":"containerd://1.6.20","kubeletVersion":"v1.36.0","kubeProxyVersion":"","operatingSystem":"linux","architecture":"amd64"},"images":[{"names":["registry.k8s.io/pause:3.10"],"sizeBytes":320368}]}}
    """#

    static let lease = #"""
    {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"hollow-node-42","namespace":"kube-node-lease","uid":"1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d","resourceVersion":"223344","creationTimestamp":"2026-11-22T09:59:00Z","ownerReferences":[{"apiVersion":"v1","kind":"Node","name":"hollow-node-42","uid":"9e8d7c6b-5a4f-3e2d-1c0b-a9f8e7d6c5b4"}],"managedFields":[{"manager":"skiff-hollow-node","operation":"Update","apiVersion":"coordination.k8s.io/v1","time":"2026-11-22T10:05:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:ownerReferences":{".":{},"k:{\"uid\":\"9e8d7c6b-5a4f-3e2d-1c0b-a9f8e7d6c5b4\"}":{}}},"f:spec":{"f:holderIdentity":{},"f:leaseDurationSeconds":{},"f:renewTime":{}}}}]},"spec":{"holderIdentity":"hollow-node-42","leaseDurationSeconds":40,"renewTime":"2026-11-22T10:05:00.123456Z"}}
    """#
}
