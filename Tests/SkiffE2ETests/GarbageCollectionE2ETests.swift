import Foundation
import SkiffTestSupport
import Testing

/// The garbage collector and the namespace controller inside `skiff server`, driven by the
/// stock kubectl: each `--cascade` policy, dangling and partly dangling owner references, and
/// a namespace emptied of configmaps, secrets, services and running pods before it goes.
@Suite(.serialized, .e2eSlot)
struct GarbageCollectionE2ETests {
    @Test(.timeLimit(.minutes(5)))
    func deletingAnOwnerFollowsItsPropagationPolicy() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "1"])
        defer { fleet.kill() }

        // Background (kubectl's default): a ConfigMap owning a ConfigMap, a Secret and a running pod.
        let background = try create(server, owner: "bg-owner")
        try apply(server, """
            \(configMap("bg-cm", owner: background))

            ---
            \(secret("bg-secret", owner: background))

            ---
            \(pod("bg-pod", owner: background))
            """)
        try await SchedulerE2ETests.poll("bg-pod running") {
            try server.kubectl("get", "pod", "bg-pod", "-o", "jsonpath={.status.phase}").stdout == "Running"
        }
        #expect(try server.kubectl("delete", "configmap", "bg-owner").status == 0)
        try await waitUntilGone(server, "configmap/bg-cm", "secret/bg-secret", "pod/bg-pod")

        // Foreground: the owner stays, marked, until its blocking dependents are gone; a
        // non-blocking dependent is deleted but does not hold the owner.
        let foreground = try create(server, owner: "fg-owner")
        try apply(server, """
            \(configMap("fg-held", owner: foreground, block: true, finalizers: ["e2e.skiff.dev/hold"]))

            ---
            \(pod("fg-pod", owner: foreground, block: true))

            ---
            \(secret("fg-free", owner: foreground, block: false))
            """)
        let deletion = try server.kubectl("delete", "configmap", "fg-owner", "--cascade=foreground", "--wait=false")
        #expect(deletion.status == 0, "\(deletion)")
        try await SchedulerE2ETests.poll("fg-held marked for deletion") {
            !(try server.kubectl("get", "configmap", "fg-held", "-o", "jsonpath={.metadata.deletionTimestamp}").stdout.isEmpty)
        }
        try await waitUntilGone(server, "pod/fg-pod", "secret/fg-free")
        let waiting = try server.kubectl("get", "configmap", "fg-owner", "-o",
                                         "jsonpath={.metadata.finalizers} {.metadata.deletionTimestamp}")
        #expect(waiting.status == 0 && waiting.stdout.contains("foregroundDeletion"), "\(waiting)")
        #expect(try server.kubectl("patch", "configmap", "fg-held", "--type=merge",
                                   "-p", #"{"metadata":{"finalizers":null}}"#).status == 0)
        try await waitUntilGone(server, "configmap/fg-held", "configmap/fg-owner")

        // Orphan: the dependents stay, without the reference.
        let orphan = try create(server, owner: "or-owner")
        try apply(server, """
            \(configMap("or-cm", owner: orphan, block: true))

            ---
            \(secret("or-secret", owner: orphan))
            """)
        let orphaning = try server.kubectl("delete", "configmap", "or-owner", "--cascade=orphan")
        #expect(orphaning.status == 0, "\(orphaning)")
        try await waitUntilGone(server, "configmap/or-owner")
        for object in ["configmap/or-cm", "secret/or-secret"] {
            let references = try server.kubectl("get", object, "-o", "jsonpath={.metadata.ownerReferences}")
            #expect(references.status == 0 && references.stdout.isEmpty, "\(object): \(references)")
        }

        // A reference to an owner that never existed is collected; one of two is patched out.
        let keeper = try create(server, owner: "keeper")
        let ghost = (name: "ghost", uid: "00000000-0000-0000-0000-00000000dead")
        try apply(server, """
            \(configMap("dangling", owner: ghost))

            ---
            \(configMap("partial", owners: [keeper, ghost]))
            """)
        try await waitUntilGone(server, "configmap/dangling")
        try await SchedulerE2ETests.poll("partial keeping only its live owner") {
            try server.kubectl("get", "configmap", "partial", "-o", "jsonpath={.metadata.ownerReferences[*].name}").stdout == "keeper"
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func deletingANamespaceRemovesItsContentThenTheNamespace() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "2"])
        defer { fleet.kill() }
        #expect(try server.kubectl("create", "namespace", "doomed").status == 0)
        try apply(server, """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: doomed
            data:
              mode: test

            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: token
              namespace: doomed
            stringData:
              value: s3cret

            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: doomed
            spec:
              selector:
                app: web
              ports:
              - port: 80

            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-0
              namespace: doomed
              labels:
                app: web
            spec:
              containers:
              - name: app
                image: "app:1"

            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-1
              namespace: doomed
              labels:
                app: web
            spec:
              containers:
              - name: app
                image: "app:1"
            """)
        try await SchedulerE2ETests.poll("both pods running") {
            try server.kubectl("get", "pods", "-n", "doomed", "-o", "jsonpath={.items[*].status.phase}").stdout == "Running Running"
        }
        // kubectl deletes and waits; meanwhile the namespace shows Terminating.
        let output = server.dataDirectory.appendingPathComponent("delete-namespace.log")
        let deletion = try server.startKubectl(["delete", "namespace", "doomed", "--timeout=120s"], output: output)
        defer { if deletion.isRunning { deletion.terminate() } }
        try await SchedulerE2ETests.poll("doomed Terminating") {
            try server.kubectl("get", "namespace", "doomed").stdout.contains("Terminating")
        }
        try await SchedulerE2ETests.poll("kubectl delete namespace returning") { !deletion.isRunning }
        let log = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(deletion.terminationStatus == 0, "\(log)")
        #expect(log.contains("namespace \"doomed\" deleted"), "\(log)")
        let gone = try server.kubectl("get", "namespace", "doomed")
        #expect(gone.status != 0 && gone.stderr.contains("NotFound"), "\(gone)")
        for resource in ["configmaps", "secrets", "services", "pods"] {
            let left = try server.kubectl("get", resource, "-n", "doomed", "-o", "name")
            #expect(left.stdout.isEmpty, "\(resource): \(left)")
        }
        #expect(try server.kubectl("create", "configmap", "late", "-n", "doomed").status != 0)
    }

    @Test(.timeLimit(.minutes(5)))
    func deletingADeploymentInForegroundRemovesItsReplicaSetAndPodsFirst() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "1"])
        defer { fleet.kill() }
        try apply(server, """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: app
                    image: "app:1"
            """)
        try await SchedulerE2ETests.poll("two web pods running") {
            try server.kubectl("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.phase}").stdout == "Running Running"
        }
        // kubectl waits for the Deployment to go, which happens only after its ReplicaSet, which
        // goes only after its pods.
        let deletion = try server.kubectl("delete", "deployment", "web", "--cascade=foreground", "--timeout=120s")
        #expect(deletion.status == 0, "\(deletion)")
        let left = try server.kubectl("get", "replicasets,pods", "-l", "app=web", "-o", "name")
        #expect(left.status == 0 && left.stdout.isEmpty, "\(left)")
    }

    // MARK: Helpers

    typealias Owner = (name: String, uid: String)

    /// Creates ConfigMap `owner` in `default` and answers its name and UID.
    func create(_ server: SkiffServerProcess, owner: String) throws -> Owner {
        let created = try server.kubectl("create", "configmap", owner)
        guard created.status == 0 else { throw E2EError("creating \(owner): \(created)") }
        let uid = try server.kubectl("get", "configmap", owner, "-o", "jsonpath={.metadata.uid}").stdout
        return (owner, uid)
    }

    func apply(_ server: SkiffServerProcess, _ manifest: String) throws {
        let file = server.dataDirectory.appendingPathComponent("manifest-\(UUID().uuidString).yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        let result = try server.kubectl("create", "-f", file.path)
        guard result.status == 0 else { throw E2EError("kubectl create failed: \(result)\n\(manifest)") }
    }

    func waitUntilGone(_ server: SkiffServerProcess, _ objects: String...) async throws {
        for object in objects {
            try await SchedulerE2ETests.poll("\(object) gone") {
                let get = try server.kubectl("get", object)
                return get.status != 0 && get.stderr.contains("NotFound")
            }
        }
    }

    func metadata(_ name: String, owners: [Owner], block: Bool?, finalizers: [String] = []) -> String {
        var lines = ["metadata:", "  name: \(name)", "  ownerReferences:"]
        for owner in owners {
            lines += ["  - apiVersion: v1", "    kind: ConfigMap", "    name: \(owner.name)", "    uid: \(owner.uid)"]
            if let block { lines.append("    blockOwnerDeletion: \(block)") }
        }
        if !finalizers.isEmpty { lines += ["  finalizers:"] + finalizers.map { "  - \($0)" } }
        return lines.joined(separator: "\n")
    }

    func configMap(_ name: String, owner: Owner? = nil, owners: [Owner] = [], block: Bool? = nil,
                   finalizers: [String] = []) -> String {
        "apiVersion: v1\nkind: ConfigMap\n" + metadata(name, owners: owner.map { [$0] } ?? owners, block: block, finalizers: finalizers)
    }

    func secret(_ name: String, owner: Owner, block: Bool? = nil) -> String {
        "apiVersion: v1\nkind: Secret\n" + metadata(name, owners: [owner], block: block)
    }

    func pod(_ name: String, owner: Owner, block: Bool? = nil) -> String {
        "apiVersion: v1\nkind: Pod\n" + metadata(name, owners: [owner], block: block) + """

            spec:
              containers:
              - name: app
                image: "app:1"
            """
    }
}
