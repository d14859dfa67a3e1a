import ArgumentParser
import KubeAPIServer
import KubeModel

/// `skiff bench fields`: the managedFields bookkeeping of the writes a scheduler benchmark
/// makes most (a pod created, a pod's status written by its kubelet, a node's Lease renewed),
/// on the objects `skiff bench codec` uses, one thread.
struct BenchFieldsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "Benchmark managedFields bookkeeping of creates, status updates and Lease renewals."
    )

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 1

    @Option(help: "Measure only this write: create, status or lease (for a profile of one).")
    var only: String?

    func run() async throws {
        let pod = try JSONParser.parse(Array(BenchCodecCommand.pod.utf8))
        let lease = try JSONParser.parse(Array(BenchCodecCommand.lease.utf8))
        let podKind = GroupVersionKind(group: "", version: "v1", kind: "Pod")
        let leaseKind = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")
        let podEntries = try Self.entries(of: pod)
        let leaseEntries = try Self.entries(of: lease)
        let created = Self.setting(["metadata", "managedFields"], nil, in: pod)
        let ran = Self.setting(["status", "phase"], .string("Pending"), in: pod)
        let renewed = Self.setting(["spec", "renewTime"], .string("2026-11-22T10:05:00.000000Z"), in: lease)

        BenchOutput.say("skiff bench fields — \(seconds) s per measurement, one thread")
        BenchOutput.say("| write | µs per write |")
        BenchOutput.say("|---|---|")
        try row("Pod created (no managedFields yet)", "create") {
            _ = ManagedFields.recordUpdate(old: nil, new: created, manager: "kubectl-create", entries: [], gvk: podKind)
        }
        try row("Pod status written by its kubelet", "status") {
            let entries = ManagedFields.baseEntries(requested: podEntries, live: podEntries, subresource: "status")
            _ = ManagedFields.recordUpdate(old: pod, new: ran, manager: "skiff-hollow-node", subresource: "status",
                                           entries: entries, gvk: podKind, storedEntries: true)
        }
        try row("Lease renewed (its managedFields sent back)", "lease") {
            let entries = ManagedFields.baseEntries(requested: leaseEntries, live: leaseEntries)
            _ = ManagedFields.recordUpdate(old: lease, new: renewed, manager: "skiff-hollow-node", entries: entries,
                                           gvk: leaseKind, storedEntries: true)
        }
    }

    private func row(_ name: String, _ id: String, _ body: () throws -> Void) throws {
        guard only == nil || only == id else { return }
        let perCall = try BenchCodecCommand.measure(seconds: seconds, body)
        BenchOutput.say("| \(name) | \(String(format: "%.1f", perCall * 1e6)) |")
    }

    private static func entries(of object: JSONValue) throws -> [MetaV1.ManagedFieldsEntry] {
        guard let entries = object["metadata"]?["managedFields"] else { return [] }
        var reader = JSONReader(entries.serialized(sortedKeys: false))
        return try [MetaV1.ManagedFieldsEntry](json: &reader)
    }

    /// `tree` with the value at `path` replaced (removed when nil).
    static func setting(_ path: ArraySlice<String>, _ value: JSONValue?, in tree: JSONValue) -> JSONValue {
        guard let key = path.first, case .object(var members) = tree else { return tree }
        if path.count == 1 {
            members[key] = value
        } else {
            members[key] = setting(path.dropFirst(), value, in: members[key] ?? .object([:]))
        }
        return .object(members)
    }
}
