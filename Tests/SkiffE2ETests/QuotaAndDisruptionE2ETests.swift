import Foundation
import SkiffTestSupport
import Testing

/// LimitRange defaults, ResourceQuota admission with the quota controller keeping `status.used`,
/// and a PodDisruptionBudget kept current by the disruption controller, driven by kubectl.
@Suite(.serialized, .e2eSlot)
struct QuotaAndDisruptionE2ETests {
    static func pod(_ name: String, cpu: String? = nil, labels: String = "{}") -> String {
        let resources = cpu.map { "resources: {requests: {cpu: \"\($0)\"}}" } ?? "resources: {}"
        return """
            apiVersion: v1
            kind: Pod
            metadata: {name: \(name), labels: \(labels)}
            spec:
              containers: [{name: app, image: "app:1", \(resources)}]
            """
    }

    static func apply(_ server: SkiffServerProcess, _ yaml: String, _ name: String) throws -> Command.Result {
        let file = server.dataDirectory.appendingPathComponent("\(name).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try server.kubectl("apply", "-f", file.path)
    }

    @Test(.timeLimit(.minutes(5)))
    func quotasAndLimitRangesGovernPodCreation() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent", "--disable-scheduler"])
        defer { server.kill() }
        try await server.waitUntilReady()
        #expect(try Self.apply(server, """
            apiVersion: v1
            kind: LimitRange
            metadata: {name: defaults}
            spec:
              limits:
              - {type: Container, defaultRequest: {cpu: 100m}, default: {cpu: "1"}, max: {cpu: "1"}}

            ---
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: small}
            spec:
              hard: {pods: "2", requests.cpu: 500m}

            ---
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: storage}
            spec:
              hard: {requests.storage: 5Gi}
            """, "limits").status == 0)
        try await SchedulerE2ETests.poll("quota status computed") {
            try server.kubectl("get", "resourcequota", "small", "-o", "jsonpath={.status.used.pods}").stdout == "0"
                && server.kubectl("get", "resourcequota", "storage", "-o", "jsonpath={.status.used.requests\\.storage}").stdout == "0"
        }
        #expect(try Self.apply(server, Self.pod("first"), "first").status == 0)
        let defaulted = try server.kubectl("get", "pod", "first", "-o",
                                           "jsonpath={.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.limits.cpu}")
        #expect(defaulted.stdout == "100m 1")
        let tooBig = try Self.apply(server, Self.pod("huge", cpu: "2"), "huge")
        #expect(tooBig.status != 0)
        #expect(tooBig.stderr.contains("maximum cpu usage per Container is 1, but request is 2"), "\(tooBig)")
        #expect(try Self.apply(server, Self.pod("second", cpu: "300m"), "second").status == 0)
        let third = try Self.apply(server, Self.pod("third"), "third")
        #expect(third.status != 0)
        #expect(third.stderr.contains("exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2"), "\(third)")

        // Deleting a pod gives its share back once the controller recounts.
        #expect(try server.kubectl("delete", "pod", "second", "--wait=false").status == 0)
        try await SchedulerE2ETests.poll("usage released") {
            try server.kubectl("get", "resourcequota", "small", "-o", "jsonpath={.status.used.pods}").stdout == "1"
        }
        #expect(try Self.apply(server, Self.pod("third"), "third").status == 0)
        let describe = try server.kubectl("describe", "resourcequota", "small")
        #expect(describe.stdout.contains("requests.cpu") && describe.stdout.contains("200m"), "\(describe.stdout)")

        // Expanding a (bound) claim is charged the increase.
        #expect(try Self.apply(server, """
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: data-volume}
            spec:
              capacity: {storage: 10Gi}
              accessModes: [ReadWriteOnce]
              storageClassName: ""
              hostPath: {path: /srv/data}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 2Gi}}
            """, "claim").status == 0)
        try await SchedulerE2ETests.poll("claim bound") {
            try server.kubectl("get", "pvc", "data", "-o", "jsonpath={.status.phase}").stdout == "Bound"
        }
        let expansion = try server.kubectl("patch", "pvc", "data", "-p", #"{"spec":{"resources":{"requests":{"storage":"8Gi"}}}}"#)
        #expect(expansion.status != 0)
        #expect(expansion.stderr.contains(
            "exceeded quota: storage, requested: requests.storage=6Gi, used: requests.storage=2Gi, limited: requests.storage=5Gi"), "\(expansion)")
    }

    @Test(.timeLimit(.minutes(5)))
    func aDisruptionBudgetTracksHealthyPodsAndGuardsEvictions() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "2"], logName: "fleet.log")
        defer { fleet.kill() }
        let labels = "{app: guarded}"
        #expect(try Self.apply(server, Self.pod("g1", labels: labels) + "\n\n---\n" + Self.pod("g2", labels: labels)
            + "\n\n---\n" + Self.pod("g3", labels: labels) + """


            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: guard}
            spec:
              minAvailable: 2
              selector: {matchLabels: {app: guarded}}
            """, "guarded").status == 0)
        try await SchedulerE2ETests.poll("3 healthy pods, 1 disruption allowed") {
            try server.kubectl("get", "pdb", "guard", "-o",
                               "jsonpath={.status.currentHealthy} {.status.desiredHealthy} {.status.disruptionsAllowed} {.status.expectedPods}").stdout
                == "3 2 1 3"
        }
        let table = try server.kubectl("get", "pdb", "guard")
        #expect(table.stdout.contains("guard") && table.stdout.contains("ALLOWED DISRUPTIONS"), "\(table.stdout)")
        // kubectl drain-style eviction: the first is allowed, the second would break the budget.
        func eviction(_ pod: String) throws -> String {
            let file = server.dataDirectory.appendingPathComponent("evict-\(pod).json")
            try #"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"\#(pod)","namespace":"default"}}"#
                .write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }
        let first = try server.kubectl("create", "--raw", "/api/v1/namespaces/default/pods/g1/eviction", "-f", try eviction("g1"))
        #expect(first.status == 0, "\(first)")
        try await SchedulerE2ETests.poll("budget recomputed after the eviction") {
            try server.kubectl("get", "pdb", "guard", "-o", "jsonpath={.status.disruptionsAllowed} {.status.currentHealthy}").stdout == "0 2"
        }
        let second = try server.kubectl("create", "--raw", "/api/v1/namespaces/default/pods/g2/eviction", "-f", try eviction("g2"))
        #expect(second.status != 0)
        #expect(second.stderr.contains("Cannot evict pod as it would violate the pod's disruption budget"), "\(second)")
    }
}
