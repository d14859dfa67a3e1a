import Foundation
import SkiffTestSupport
import Testing

/// Local PersistentVolumes through `skiff server` and the stock kubectl: the scheduler places a
/// pod where its WaitForFirstConsumer claim can have a local volume and binds it, the
/// PersistentVolume controller completes the binding and binds Immediate claims itself, a pod
/// with no fitting volume waits until one appears, a deleted claim releases its volume, and
/// claims and volumes in use wait for their pod before they go.
@Suite(.serialized, .e2eSlot)
struct VolumeSchedulingE2ETests {
    static let storage = """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: local-storage}
        provisioner: kubernetes.io/no-provisioner
        volumeBindingMode: WaitForFirstConsumer
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: local-1}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          storageClassName: local-storage
          local: {path: /mnt/disks/1}
          nodeAffinity:
            required:
              nodeSelectorTerms:
              - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [hollow-node-1]}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: local-storage
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: more}
        spec:
          storageClassName: local-storage
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 2Gi}}
        """

    static func pod(_ name: String, claim: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: \(name)}
        spec:
          containers: [{name: app, image: "app:1", volumeMounts: [{name: data, mountPath: /data}]}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: \(claim)}}]
        """
    }

    static func apply(_ server: SkiffServerProcess, _ name: String, _ manifest: String) throws {
        let file = server.dataDirectory.appendingPathComponent("\(name).yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        let result = try server.kubectl("apply", "-f", file.path)
        #expect(result.status == 0, "\(result)")
    }

    static func jsonpath(_ server: SkiffServerProcess, _ arguments: String...) throws -> String {
        try server.kubectl(arguments).stdout
    }

    @Test(.timeLimit(.minutes(5)))
    func localVolumesPlacePodsAndBindClaims() async throws {
        let (server, fleet) = try await SchedulerE2ETests.twoNodesOf2CPUs()
        defer { server.kill(); fleet.kill() }
        try Self.apply(server, "storage", Self.storage)
        // No pod yet: the claim waits for its first consumer.
        try await SchedulerE2ETests.poll("WaitForFirstConsumer event") {
            try Self.jsonpath(server, "get", "events", "--field-selector", "involvedObject.name=data,reason=WaitForFirstConsumer",
                              "-o", "jsonpath={.items[*].message}").contains("waiting for first consumer to be created before binding")
        }
        #expect(try Self.jsonpath(server, "get", "pvc", "data", "-o", "jsonpath={.status.phase}") == "Pending")

        try Self.apply(server, "first", Self.pod("first", claim: "data"))
        try await SchedulerE2ETests.poll("first bound with its claim") {
            try SchedulerE2ETests.placement(server)["first"] == "hollow-node-1"
                && Self.jsonpath(server, "get", "pvc", "data", "-o", "jsonpath={.status.phase}") == "Bound"
        }
        #expect(try Self.jsonpath(server, "get", "pvc", "data", "-o", "jsonpath={.spec.volumeName}") == "local-1")
        let volumes = try server.kubectl("get", "pv", "local-1")
        #expect(volumes.stdout.contains("Bound") && volumes.stdout.contains("default/data"), "\(volumes)")
        let claims = try server.kubectl("get", "pvc", "data")
        #expect(claims.stdout.contains("local-1") && claims.stdout.contains("1Gi") && claims.stdout.contains("RWO"), "\(claims)")

        // 2Gi fits no volume: the pod waits, then takes the volume that appears.
        try Self.apply(server, "second", Self.pod("second", claim: "more"))
        let expected = "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        try await SchedulerE2ETests.poll("FailedScheduling for second") {
            try Self.jsonpath(server, "get", "events", "--field-selector", "involvedObject.name=second,reason=FailedScheduling",
                              "-o", "jsonpath={.items[*].message}").contains(expected)
        }
        try Self.apply(server, "local-2", """
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: local-2}
            spec:
              capacity: {storage: 5Gi}
              accessModes: [ReadWriteOnce]
              storageClassName: local-storage
              local: {path: /mnt/disks/2}
              nodeAffinity:
                required:
                  nodeSelectorTerms:
                  - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [hollow-node-0]}]
            """)
        try await SchedulerE2ETests.poll("second placed on the new volume's node") {
            try SchedulerE2ETests.placement(server)["second"] == "hollow-node-0"
                && Self.jsonpath(server, "get", "pvc", "more", "-o", "jsonpath={.spec.volumeName}") == "local-2"
        }

        // Deleting the pod and its claim releases the volume (Retain keeps it).
        #expect(try server.kubectl("delete", "pod", "first", "--wait=false").status == 0)
        #expect(try server.kubectl("delete", "pvc", "data", "--wait=false").status == 0)
        try await SchedulerE2ETests.poll("local-1 Released") {
            try Self.jsonpath(server, "get", "pv", "local-1", "-o", "jsonpath={.status.phase}") == "Released"
        }

        // In-use protection: `more` and `local-2` wait while `second` runs on them.
        #expect(try server.kubectl("delete", "pvc", "more", "--wait=false").status == 0)
        #expect(try server.kubectl("delete", "pv", "local-2", "--wait=false").status == 0)
        let held = try server.kubectl("get", "pvc", "more")
        #expect(held.stdout.contains("Terminating"), "\(held)")
        #expect(try Self.jsonpath(server, "get", "pvc", "more", "-o", "jsonpath={.metadata.finalizers}").contains("kubernetes.io/pvc-protection"))
        #expect(try server.kubectl("delete", "pod", "second", "--wait=false").status == 0)
        try await SchedulerE2ETests.poll("claim and volume gone after their pod") {
            let claims = try server.kubectl("get", "pvc", "more").status
            let volumes = try server.kubectl("get", "pv", "local-2").status
            return claims != 0 && volumes != 0
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func theControllerBindsImmediateClaims() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        try Self.apply(server, "manual", """
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: manual}
            spec:
              capacity: {storage: 3Gi}
              accessModes: [ReadWriteOnce, ReadOnlyMany]
              storageClassName: ""
              hostPath: {path: /srv/manual}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: quick}
            spec:
              storageClassName: ""
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 2Gi}}
            """)
        try await SchedulerE2ETests.poll("quick Bound") {
            try Self.jsonpath(server, "get", "pvc", "quick", "-o", "jsonpath={.status.phase}") == "Bound"
        }
        #expect(try Self.jsonpath(server, "get", "pvc", "quick", "-o", "jsonpath={.status.capacity.storage}") == "3Gi")
        #expect(try Self.jsonpath(server, "get", "pv", "manual", "-o", "jsonpath={.status.phase}") == "Bound")
    }
}
