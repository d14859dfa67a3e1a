import Foundation
import SkiffTestSupport
import Testing

/// The controller manager inside `skiff server` and alone (`skiff controller-manager`, behind the
/// kube-system/kube-controller-manager Lease), shown through the serviceaccount controller.
@Suite(.serialized, .e2eSlot)
struct ControllerManagerE2ETests {
    @Test(.timeLimit(.minutes(5)))
    func everyNewNamespaceGetsADefaultServiceAccount() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent", "--disable-scheduler"])
        defer { server.kill() }
        try await server.waitUntilReady()
        #expect(try server.kubectl("create", "namespace", "team").status == 0)
        try await SchedulerE2ETests.poll("default ServiceAccount in team") {
            try server.kubectl("get", "serviceaccount", "default", "-n", "team").status == 0
        }
        // A deleted default account comes back.
        #expect(try server.kubectl("delete", "serviceaccount", "default", "-n", "team").status == 0)
        try await SchedulerE2ETests.poll("default ServiceAccount made again") {
            try server.kubectl("get", "serviceaccount", "default", "-n", "team").status == 0
        }
        try await SchedulerE2ETests.poll("default ServiceAccount in kube-system") {
            try server.kubectl("get", "serviceaccount", "default", "-n", "kube-system").status == 0
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aStandaloneControllerManagerLeadsThroughItsLease() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent", "--disable-scheduler", "--disable-controller-manager"])
        defer { server.kill() }
        try await server.waitUntilReady()
        #expect(try server.kubectl("create", "namespace", "solo").status == 0)
        let manager = try HollowNodesProcess(server: server, command: "controller-manager", arguments: [], logName: "kcm.log")
        defer { manager.kill() }
        try await SchedulerE2ETests.poll("a holder of kube-system/kube-controller-manager") {
            let holder = try server.kubectl("get", "lease", "kube-controller-manager", "-n", "kube-system",
                                            "-o", "jsonpath={.spec.holderIdentity}").stdout
            return !holder.isEmpty
        }
        try await SchedulerE2ETests.poll("default ServiceAccount in solo") {
            try server.kubectl("get", "serviceaccount", "default", "-n", "solo").status == 0
        }
        #expect(try await manager.terminate() == 0, "\(manager.output)")
    }

    @Test func unknownControllersAreRefused() throws {
        guard let skiff = BuiltExecutables.skiff() else { throw E2EError("skiff executable not found") }
        let result = try Command.run(skiff.path, ["controller-manager", "--kubeconfig", "/nonexistent", "--controllers", "*,-nope"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown controller nope"), "\(result)")
    }
}
