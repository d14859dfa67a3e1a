import Foundation
import Testing

/// `kubectl apply --server-side`: create, change, conflicts between field managers, and force.
@Suite(.serialized, .e2eSlot)
struct KubectlServerSideApplyE2ETests {
    static func manifest(replicas: Int) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ssa, labels: {app: ssa}}
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: ssa}}
          template:
            metadata: {labels: {app: ssa}}
            spec:
              containers: [{name: c, image: "busybox:1.36"}]
        """
    }

    @Test(.timeLimit(.minutes(3)))
    func serverSideApplyOwnsFieldsAndReportsConflicts() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()
        let file = server.dataDirectory.appendingPathComponent("ssa.yaml")

        try Self.manifest(replicas: 2).write(to: file, atomically: true, encoding: .utf8)
        let created = try server.kubectl("apply", "--server-side", "-f", file.path)
        #expect(created.status == 0 && created.stdout.contains("serverside-applied"), "\(created)")
        try Self.manifest(replicas: 3).write(to: file, atomically: true, encoding: .utf8)
        let changed = try server.kubectl("apply", "--server-side", "-f", file.path)
        #expect(changed.status == 0, "\(changed)")
        #expect(try server.kubectl("get", "deploy", "ssa", "-o", "jsonpath={.spec.replicas}").stdout == "3")

        let fields = try server.kubectl("get", "deploy", "ssa", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}")
        #expect(fields.stdout == "kubectl Apply", "\(fields)")

        // Another manager changing a field kubectl owns: conflict, then force.
        try Self.manifest(replicas: 4).write(to: file, atomically: true, encoding: .utf8)
        let conflict = try server.kubectl("apply", "--server-side", "--field-manager=other", "-f", file.path)
        #expect(conflict.status != 0 && conflict.stderr.contains("Apply failed with 1 conflict"), "\(conflict)")
        #expect(conflict.stderr.contains(".spec.replicas"), "\(conflict)")
        let forced = try server.kubectl("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", file.path)
        #expect(forced.status == 0, "\(forced)")
        #expect(try server.kubectl("get", "deploy", "ssa", "-o", "jsonpath={.spec.replicas}").stdout == "4")
    }
}
