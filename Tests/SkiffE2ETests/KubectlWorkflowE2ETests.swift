import Foundation
import Testing

/// The everyday kubectl workflow against `skiff server`: every output format, describe,
/// pagination, server dry runs, conflicts, invalid input, a missing namespace, deletion with
/// each propagation policy, `get -w` and `wait`.
@Suite(.serialized, .e2eSlot)
struct KubectlWorkflowE2ETests {
    @Test(.timeLimit(.minutes(5)))
    func everydayWorkflow() async throws {
        // Without the garbage collector, which would finish the orphan and foreground deletions
        // below at once (GarbageCollectionE2ETests covers it).
        let server = try SkiffServerProcess(extraArguments: ["--controllers", "*,-garbage-collector-controller"])
        defer { server.kill() }
        try await server.waitUntilReady()
        for index in 1...5 {
            let created = try server.kubectl("create", "configmap", "c\(index)", "--from-literal=k=\(index)")
            #expect(created.status == 0, "\(created)")
        }

        // Output formats.
        let names = try server.kubectl("get", "cm", "-o", "name")
        #expect(names.stdout.split(separator: "\n").filter { $0.hasPrefix("configmap/c") }.count == 5, "\(names)")
        let wide = try server.kubectl("get", "cm", "c1", "-o", "wide")
        #expect(wide.stdout.hasPrefix("NAME") && wide.stdout.contains("DATA") && wide.stdout.contains("c1"), "\(wide)")
        let json = try server.kubectl("get", "cm", "c1", "-o", "json")
        #expect(json.stdout.contains(#""kind": "ConfigMap""#), "\(json)")
        let yaml = try server.kubectl("get", "cm", "c1", "-o", "yaml")
        #expect(yaml.stdout.contains("kind: ConfigMap") && yaml.stdout.contains("k: \"1\""), "\(yaml)")
        let jsonpath = try server.kubectl("get", "cm", "-o", "jsonpath={.items[*].data.k}")
        #expect(jsonpath.stdout == "1 2 3 4 5", "\(jsonpath)")
        let columns = try server.kubectl("get", "cm", "c2", "-o", "custom-columns=NAME:.metadata.name,K:.data.k")
        let lastRow: [String] = columns.stdout.split(separator: "\n").last.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(lastRow == ["c2", "2"], "\(columns)")
        let template = try server.kubectl("get", "cm", "c3", "-o", "go-template={{.data.k}}")
        #expect(template.stdout == "3", "\(template)")
        let describe = try server.kubectl("describe", "cm", "c1")
        #expect(describe.status == 0 && describe.stdout.contains("Name:         c1"), "\(describe)")

        // Pagination: kubectl asks for pages of two and follows `continue`.
        let pages = try server.kubectl("get", "cm", "--chunk-size=2", "-v=6")
        #expect(pages.stdout.split(separator: "\n").filter { $0.hasPrefix("c") }.count == 5, "\(pages)")
        #expect(pages.stderr.contains("limit=2") && pages.stderr.contains("continue="), "\(pages)")

        // Server dry runs change nothing.
        let dryCreate = try server.kubectl("create", "configmap", "dry", "--from-literal=a=b", "--dry-run=server", "-o", "name")
        #expect(dryCreate.stdout == "configmap/dry\n", "\(dryCreate)")
        #expect(try server.kubectl("get", "cm", "dry").status != 0)
        let dryDelete = try server.kubectl("delete", "cm", "c1", "--dry-run=server")
        #expect(dryDelete.stdout.contains("(server dry run)"), "\(dryDelete)")
        #expect(try server.kubectl("get", "cm", "c1").status == 0)

        // A missing namespace, a stale replace, an invalid name.
        let missing = try server.kubectl("create", "configmap", "x", "-n", "nope")
        #expect(missing.status != 0 && missing.stderr.contains(#"namespaces "nope" not found"#), "\(missing)")
        let stale = try server.kubectl("get", "cm", "c2", "-o", "yaml")
        let staleFile = server.dataDirectory.appendingPathComponent("c2.yaml")
        try stale.stdout.write(to: staleFile, atomically: true, encoding: .utf8)
        #expect(try server.kubectl("label", "cm", "c2", "a=b").status == 0)
        let conflict = try server.kubectl("replace", "-f", staleFile.path)
        #expect(conflict.stderr.contains("Error from server (Conflict)") && conflict.stderr.contains("the object has been modified"),
                "\(conflict)")
        let badFile = server.dataDirectory.appendingPathComponent("bad.json")
        try #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}"#.write(to: badFile, atomically: true, encoding: .utf8)
        let invalid = try server.kubectl("create", "-f", badFile.path)
        #expect(invalid.stderr.contains(#"The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name""#), "\(invalid)")

        // Deletion: orphan and foreground leave the object to the garbage collector with its
        // finalizer (hence --wait=false); background deletes it.
        for (name, policy, finalizer) in [("c3", "orphan", "orphan"), ("c4", "foreground", "foregroundDeletion")] {
            let deleted = try server.kubectl("delete", "cm", name, "--cascade=\(policy)", "--wait=false")
            #expect(deleted.status == 0, "\(deleted)")
            let left = try server.kubectl("get", "cm", name, "-o", "jsonpath={.metadata.finalizers[*]} {.metadata.deletionTimestamp}")
            #expect(left.stdout.hasPrefix(finalizer + " 20"), "\(policy): \(left)")
        }
        #expect(try server.kubectl("delete", "cm", "c5", "--cascade=background").status == 0)
        #expect(try server.kubectl("get", "cm", "c5").stderr.contains("NotFound"))

        // get -w sees a create and a change; wait sees a deletion and a field value.
        let watchOutput = server.dataDirectory.appendingPathComponent("watch.txt")
        let watcher = try server.startKubectl(["get", "cm", "-w", "--output-watch-events"], output: watchOutput)
        defer { watcher.terminate() }
        try await server.waitFor(file: watchOutput) { $0.contains("ADDED") && $0.contains("c2") }
        #expect(try server.kubectl("create", "configmap", "live", "--from-literal=a=1").status == 0)
        #expect(try server.kubectl("label", "cm", "live", "x=y").status == 0)
        try await server.waitFor(file: watchOutput) { text in
            text.split(separator: "\n").contains { $0.hasPrefix("MODIFIED") && $0.contains("live") }
        }
        let waitDelete = try server.startKubectl(["wait", "--for=delete", "cm/live", "--timeout=60s"],
                                                 output: server.dataDirectory.appendingPathComponent("wait.txt"))
        #expect(try server.kubectl("delete", "cm", "live").status == 0)
        waitDelete.waitUntilExit()
        #expect(waitDelete.terminationStatus == 0)
        let waitValue = try server.kubectl("wait", "--for=jsonpath={.data.k}=2", "cm/c2", "--timeout=30s")
        #expect(waitValue.stdout.contains("condition met"), "\(waitValue)")
    }
}
