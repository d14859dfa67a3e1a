import Foundation
import Testing

/// `kubectl auth can-i` and `auth whoami` (protobuf review bodies, answered without storage).
@Suite(.serialized, .e2eSlot)
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

    /// `kubectl create token` issues a service account token that authenticates as the account
    /// (and stops working when the account is deleted); `kubectl drain`-style evictions go
    /// through `pods/eviction`.
    @Test(.timeLimit(.minutes(3)))
    func serviceAccountTokens() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()

        #expect(try server.kubectl("create", "serviceaccount", "robot").status == 0)
        let created = try server.kubectl("create", "token", "robot", "--duration=20m")
        #expect(created.status == 0, "\(created)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.split(separator: ".").count == 3)

        // The token alone (no client certificate) identifies the service account.
        let whoami = try server.kubectlWithToken(token, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}")
        #expect(whoami.status == 0, "\(whoami)")
        #expect(whoami.stdout.hasPrefix("system:serviceaccount:default:robot"), "\(whoami)")
        #expect(whoami.stdout.contains("system:serviceaccounts:default"), "\(whoami)")

        #expect(try server.kubectl("delete", "serviceaccount", "robot").status == 0)
        let revoked = try server.kubectlWithToken(token, "get", "pods")
        #expect(revoked.status != 0 && revoked.stderr.contains("Unauthorized"), "\(revoked)")
        let short = try server.kubectl("create", "token", "default", "--duration=1m")
        #expect(short.status != 0 && short.stderr.contains("may not specify a duration less than 10 minutes"), "\(short)")
    }
}
