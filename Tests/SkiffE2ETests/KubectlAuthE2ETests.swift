import Foundation
import Testing

/// `kubectl auth can-i` and `auth whoami` (protobuf review bodies, answered without storage).
@Suite(.serialized)
struct KubectlAuthE2ETests {
    @Test(.timeLimit(.minutes(3)))
    func canIAndWhoAmI() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()

        let canI = try server.kubectl("auth", "can-i", "create", "deployments", "-n", "default")
        #expect(canI.status == 0 && canI.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "yes", "\(canI)")
        let list = try server.kubectl("auth", "can-i", "--list")
        #expect(list.status == 0 && list.stdout.contains("*.*"), "\(list)")
        let whoami = try server.kubectl("auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}")
        #expect(whoami.status == 0 && whoami.stdout.hasPrefix("system:admin"), "\(whoami)")
        #expect(whoami.stdout.contains("system:masters"), "\(whoami)")
    }
}
