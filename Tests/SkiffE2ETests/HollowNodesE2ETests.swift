import Foundation
import SkiffTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `skiff hollow-nodes` against a real `skiff server`: nodes register and turn Ready, their
/// Leases are renewed, a pod bound to one of them runs and is deleted, and SIGTERM stops the
/// fleet cleanly.
@Suite(.serialized, .e2eSlot)
struct HollowNodesE2ETests {
    @Test(.timeLimit(.minutes(5)))
    func hollowNodesActAsKubelets() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: [
            "--count", "3", "--labels", "zone=e2e", "--taints", "hollow=true:PreferNoSchedule",
        ])
        defer { fleet.kill() }

        // Three Ready nodes with kubelet's shape.
        let readiness = #"{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"#
        try await poll("3 Ready nodes", fleet: fleet) {
            let result = try server.kubectl("get", "nodes", "-o", "jsonpath=\(readiness)")
            return result.stdout.split(separator: "\n").sorted()
                == ["hollow-node-0=True", "hollow-node-1=True", "hollow-node-2=True"]
        }
        let table = try server.kubectl("get", "nodes")
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.split(separator: "\n").filter { $0.contains(" Ready ") }.count == 3, "\(table)")
        let labels = try server.kubectl("get", "node", "hollow-node-1", "-o",
                                        #"jsonpath={.metadata.labels.zone} {.metadata.labels.kubernetes\.io/hostname} {.spec.taints[0].key} {.status.addresses[0].address} {.status.nodeInfo.kubeletVersion}"#)
        #expect(labels.stdout == "e2e hollow-node-1 hollow 127.64.0.2 v1.36.0+skiff-0.1.0", "\(labels)")

        // Leases in kube-node-lease, held by their nodes and renewed.
        let leaseQuery = #"{range .items[*]}{.metadata.name} {.spec.holderIdentity} {.spec.renewTime}{"\n"}{end}"#
        let leases = try server.kubectl("get", "leases", "-n", "kube-node-lease", "-o", "jsonpath=\(leaseQuery)")
        let first = Self.renewTimes(leases.stdout)
        #expect(first.keys.sorted() == ["hollow-node-0", "hollow-node-1", "hollow-node-2"], "\(leases)")
        try await poll("renewed Leases", fleet: fleet) {
            let again = try server.kubectl("get", "leases", "-n", "kube-node-lease", "-o", "jsonpath=\(leaseQuery)")
            let renewed = Self.renewTimes(again.stdout)
            return first.allSatisfy { name, time in (renewed[name] ?? "") > time }
        }

        // A pod bound to a hollow node (no scheduler needed) runs, with an address and Ready.
        let manifest = server.dataDirectory.appendingPathComponent("pod.yaml")
        try """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              nodeName: hollow-node-1
              containers:
              - name: app
                image: nginx:1.27
            """.write(to: manifest, atomically: true, encoding: .utf8)
        let create = try server.kubectl("create", "-f", manifest.path)
        #expect(create.status == 0, "\(create)")
        let podQuery = #"{.status.phase} {.status.podIP} {.status.hostIP} {.status.conditions[?(@.type=="Ready")].status} {.status.containerStatuses[0].containerID}"#
        var podState = ""
        try await poll("the pod running", fleet: fleet) {
            podState = try server.kubectl("get", "pod", "web", "-o", "jsonpath=\(podQuery)").stdout
            return podState.hasPrefix("Running ")
        }
        let fields = podState.split(separator: " ").map(String.init)
        #expect(fields.count == 5, "\(podState)")
        #expect(fields[1] == "10.128.1.2" && fields[2] == "127.64.0.2" && fields[3] == "True", "\(podState)")
        #expect(fields.last?.hasPrefix("hollow://") == true, "\(podState)")
        let wide = try server.kubectl("get", "pods", "-o", "wide")
        #expect(wide.stdout.contains("Running") && wide.stdout.contains("hollow-node-1"), "\(wide)")

        // Deleted (graceful, as kubectl does): the fleet finishes it off.
        let delete = try server.kubectl("delete", "pod", "web", "--wait=false")
        #expect(delete.status == 0, "\(delete)")
        try await poll("the pod gone", fleet: fleet) {
            let get = try server.kubectl("get", "pod", "web")
            return get.status != 0 && get.stderr.contains("NotFound")
        }

        // SIGTERM: a clean exit.
        let status = try await fleet.terminate()
        #expect(status == 0, "\(fleet.output)")
        #expect(fleet.output.contains("all hollow nodes registered"), "\(fleet.output)")
    }

    @Test(arguments: [
        (["--count", "1", "--taints", "k=v"], "expected key=value:Effect or key:Effect"),
        (["--count", "1", "--memory", "lots"], "--memory: \"lots\" is not a quantity"),
        (["--count", "0"], "--count must be between 1 and"),
        (["--count", "1", "--labels", "zone"], "invalid label \"zone\": expected key=value"),
    ])
    func rejectsBadFlags(arguments: [String], message: String) throws {
        let skiff = try #require(BuiltExecutables.skiff())
        let result = try Command.run(skiff.path, ["hollow-nodes", "--kubeconfig", "/dev/null"] + arguments)
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
    }

    static func renewTimes(_ output: String) -> [String: String] {
        var times: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            if fields.count == 3, fields[0] == fields[1] { times[fields[0]] = fields[2] }
        }
        return times
    }

    /// Polls `condition` every 250 ms for up to 60 s, failing early if the fleet exited.
    func poll(_ what: String, fleet: HollowNodesProcess, _ condition: () throws -> Bool) async throws {
        for _ in 0..<240 {
            guard fleet.process.isRunning else { throw E2EError("hollow-nodes exited while waiting for \(what):\n\(fleet.output)") }
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw E2EError("timed out waiting for \(what); hollow-nodes output:\n\(fleet.output)")
    }
}

/// A `skiff hollow-nodes` child process against `server`, its output in the server's data directory.
final class HollowNodesProcess {
    let process = Process()
    let log: URL

    init(server: SkiffServerProcess, command: String = "hollow-nodes", arguments: [String],
         logName: String = "hollow-nodes.log") throws {
        guard let executable = BuiltExecutables.skiff() else { throw E2EError("skiff executable not found") }
        log = server.dataDirectory.appendingPathComponent(logName)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = executable
        process.arguments = [command, "--kubeconfig", server.kubeconfig.path] + arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// SIGTERM, then waits (30 s at most) for the exit status.
    func terminate() async throws -> Int32 {
        Glibc.kill(process.processIdentifier, SIGTERM)
        for _ in 0..<120 where process.isRunning {
            try await Task.sleep(for: .milliseconds(250))
        }
        guard !process.isRunning else { throw E2EError("hollow-nodes did not stop on SIGTERM:\n\(output)") }
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }

    func kill() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
