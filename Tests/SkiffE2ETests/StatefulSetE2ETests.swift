import Foundation
import SkiffTestSupport
import Testing

/// The statefulset-controller inside `skiff server`, on hollow nodes, driven with kubectl:
/// ordered scale up and down with claims from the volumeClaimTemplates, a partitioned rolling
/// update, `kubectl rollout status|history|undo`.
@Suite(.serialized, .e2eSlot)
struct StatefulSetE2ETests {
    static func manifest(replicas: Int, image: String = "app:1", partition: Int = 0) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          clusterIP: None
          selector: {app: web}
          ports: [{port: 80}]

        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: web
          replicas: \(replicas)
          selector: {matchLabels: {app: web}}
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: {partition: \(partition)}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: app
                image: "\(image)"
          volumeClaimTemplates:
          - metadata:
              name: data
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}

        """
    }

    /// Three 1Gi volumes without a class, made by hand: the PersistentVolume controller binds
    /// the claims of the volumeClaimTemplates to them (Skiff ships no dynamic provisioner), and
    /// the scheduler places a pod only once its claim is bound.
    static let volumes = (0..<3).map { index in
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: web-volume-\(index)}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          storageClassName: ""
          hostPath: {path: /srv/web-\(index)}
        """
    }.joined(separator: "\n---\n")

    @Test(.timeLimit(.minutes(5)))
    func statefulSetScalesInOrderAndRollsWithAPartition() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "2"])
        defer { fleet.kill() }
        try await Self.poll("2 nodes") {
            try server.kubectl("get", "nodes", "-o", "name").stdout.split(separator: "\n").count == 2
        }
        let file = server.dataDirectory.appendingPathComponent("web.yaml")
        let volumes = server.dataDirectory.appendingPathComponent("volumes.yaml")
        try Self.volumes.write(to: volumes, atomically: true, encoding: .utf8)
        #expect(try server.kubectl("apply", "-f", volumes.path).status == 0)

        // 0 → 3: web-0, web-1, web-2 in order, each once its predecessor is Ready.
        try Self.manifest(replicas: 0).write(to: file, atomically: true, encoding: .utf8)
        #expect(try server.kubectl("apply", "-f", file.path).status == 0)
        #expect(try server.kubectl("scale", "statefulset", "web", "--replicas=3").status == 0)
        // Every snapshot on the way is web-0…web-k with all but the newest Ready.
        try await Self.poll("3 Ready pods") {
            let pods = try Self.pods(server)
            let names = pods.map(\.name)
            #expect(names == (0..<names.count).map { "web-\($0)" }, "created in ordinal order: \(pods)")
            let predecessorsReady = pods.dropLast().allSatisfy { $0.ready }
            #expect(predecessorsReady, "each created after its predecessor is Ready: \(pods)")
            return pods.count == 3 && pods.allSatisfy(\.ready)
        }
        let rollout = try server.kubectl("rollout", "status", "statefulset/web", "--timeout=90s")
        #expect(rollout.status == 0, "\(rollout)")
        #expect(rollout.stdout.contains("partitioned roll out complete: 3 new pods have been updated"), "\(rollout)")
        let creates = try Self.events(server, reason: "SuccessfulCreate")
        #expect(creates.filter { $0.hasPrefix("create Pod") }.sorted() == [
            "create Pod web-0 in StatefulSet web successful",
            "create Pod web-1 in StatefulSet web successful",
            "create Pod web-2 in StatefulSet web successful",
        ], "\(creates)")
        let claims = try server.kubectl("get", "pvc", "-o", "jsonpath={.items[*].metadata.name}")
        #expect(claims.stdout.split(separator: " ").sorted() == ["data-web-0", "data-web-1", "data-web-2"], "\(claims)")
        let volume = try server.kubectl("get", "pod", "web-1", "-o",
                                        #"jsonpath={.spec.volumes[?(@.name=="data")].persistentVolumeClaim.claimName} {.spec.hostname} {.spec.subdomain} {.metadata.labels.apps\.kubernetes\.io/pod-index}"#)
        #expect(volume.stdout == "data-web-1 web-1 web 1", "\(volume)")

        // 3 → 1: web-2 goes first, then web-1; the claims stay (Retain).
        #expect(try server.kubectl("scale", "statefulset", "web", "--replicas=1").status == 0)
        try await Self.poll("one pod left") {
            let names = try Self.pods(server).map(\.name)
            #expect(names == (0..<names.count).map { "web-\($0)" }, "deleted from the highest ordinal: \(names)")
            return names == ["web-0"]
        }
        let deletes = try Self.events(server, reason: "SuccessfulDelete")
        #expect(deletes.sorted() == ["delete Pod web-1 in StatefulSet web successful", "delete Pod web-2 in StatefulSet web successful"],
                "\(deletes)")
        #expect(try server.kubectl("get", "pvc", "-o", "name").stdout.split(separator: "\n").count == 3)

        // A rolling update with partition 2 over 3 replicas touches web-2 only.
        #expect(try server.kubectl("scale", "statefulset", "web", "--replicas=3").status == 0)
        #expect(try server.kubectl("rollout", "status", "statefulset/web", "--timeout=90s").status == 0)
        let oldRevision = try server.kubectl("get", "sts", "web", "-o", "jsonpath={.status.currentRevision}").stdout
        try Self.manifest(replicas: 3, image: "app:2", partition: 2).write(to: file, atomically: true, encoding: .utf8)
        #expect(try server.kubectl("apply", "-f", file.path).status == 0)
        let partitioned = try server.kubectl("rollout", "status", "statefulset/web", "--timeout=90s")
        #expect(partitioned.status == 0, "\(partitioned)")
        #expect(partitioned.stdout.contains("partitioned roll out complete: 1 new pods have been updated"), "\(partitioned)")
        let images = try server.kubectl("get", "pods", "-o",
                                        #"jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image}{"\n"}{end}"#)
        #expect(images.stdout.split(separator: "\n").sorted() == ["web-0=app:1", "web-1=app:1", "web-2=app:2"], "\(images)")
        let status = try server.kubectl("get", "sts", "web", "-o",
                                        "jsonpath={.status.currentRevision} {.status.updatedReplicas} {.status.currentReplicas}")
        #expect(status.stdout == "\(oldRevision) 1 2", "\(status)")

        // History and undo.
        let history = try server.kubectl("rollout", "history", "statefulset/web")
        #expect(history.status == 0 && history.stdout.contains("REVISION"), "\(history)")
        #expect(history.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }.count == 2, "\(history)")
        let undo = try server.kubectl("rollout", "undo", "statefulset/web")
        #expect(undo.status == 0, "\(undo)")
        try await Self.poll("web-2 back at app:1") {
            try server.kubectl("get", "pod", "web-2", "-o", "jsonpath={.spec.containers[0].image} {.status.phase}").stdout == "app:1 Running"
        }
        let image = try server.kubectl("get", "sts", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
        #expect(image.stdout == "app:1", "\(image)")
    }

    /// The messages of the StatefulSet's events with `reason`.
    static func events(_ server: SkiffServerProcess, reason: String) throws -> [String] {
        let output = try server.kubectl("get", "events", "--field-selector", "involvedObject.kind=StatefulSet,reason=\(reason)",
                                        "-o", #"jsonpath={range .items[*]}{.message}{"\n"}{end}"#).stdout
        return output.split(separator: "\n").map(String.init)
    }

    /// The pods (by name) and whether each is Ready.
    static func pods(_ server: SkiffServerProcess) throws -> [(name: String, ready: Bool)] {
        let query = #"jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"#
        return try server.kubectl("get", "pods", "-o", query).stdout.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            return (String(parts[0]), parts[1] == "True")
        }.sorted { $0.name < $1.name }
    }

    /// Polls every 250 ms for up to 90 s.
    static func poll(_ what: String, _ condition: () throws -> Bool) async throws {
        for _ in 0..<360 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw E2EError("timed out waiting for \(what)")
    }
}
