import ArgumentParser
import KubeAPIServer
import KubeModel
import Kubemark

/// `skiff bench fields`: the managedFields bookkeeping of the writes a scheduler benchmark
/// makes most (a pod created, a pod's status written by its kubelet, a node's Lease renewed),
/// on the objects `skiff bench codec` uses, one thread. The same write repeated hits every memo;
/// the "own" rows write as a cluster does: 10,000 pods each starting with its own IPs, 5,000
/// Leases each owned by its own Node.
struct BenchFieldsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "Benchmark managedFields bookkeeping of creates, status updates and Lease renewals."
    )

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 1

    @Option(help: "Measure only this write: create, status, lease, own-status or own-lease (for a profile of one).")
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
        guard only == nil || only == "own-status" || only == "own-lease" else { return }
        let starts = try Self.podStarts(template: pod, count: 10_000)
        var next = 0
        try row("Pod status written by its kubelet, 10,000 pods with their own IPs", "own-status") {
            let start = starts[next % starts.count]
            next += 1
            let entries = ManagedFields.baseEntries(requested: nil, live: start.entries, subresource: "status")
            _ = ManagedFields.recordUpdate(old: start.bound, new: start.running, manager: "skiff-hollow-node", subresource: "status",
                                           entries: entries, gvk: podKind, storedEntries: true)
        }
        let leases = (0..<5_000).map { Self.lease(lease, node: $0) }
        try row("Lease renewed, 5,000 Leases each owned by its Node", "own-lease") {
            let (old, new, entries) = leases[next % leases.count]
            next += 1
            let base = ManagedFields.baseEntries(requested: nil, live: entries)
            _ = ManagedFields.recordUpdate(old: old, new: new, manager: "skiff-hollow-node", entries: base,
                                           gvk: leaseKind, storedEntries: true)
        }
    }

    /// Pods of `template` as the scheduler left them (bound, PodScheduled) with the managedFields
    /// of their create, and as their hollow kubelet reports them running, each with its own IPs.
    private static func podStarts(template: JSONValue, count: Int) throws -> [(bound: JSONValue, running: JSONValue, entries: [MetaV1.ManagedFieldsEntry])] {
        var reader = JSONReader(setting(["metadata", "managedFields"], nil, in: template).serialized(sortedKeys: false))
        let pod = try CoreV1.Pod(json: &reader)
        let kind = GroupVersionKind(group: "", version: "v1", kind: "Pod")
        return try (0..<count).map { index in
            var bound = pod
            bound.metadata.name = "pod-\(index)"
            bound.metadata.uid = "00000000-0000-4000-8000-\(String(format: "%012d", index))"
            bound.status = CoreV1.PodStatus(
                conditions: [CoreV1.PodCondition(lastTransitionTime: .now(), status: "True", type: "PodScheduled")],
                phase: "Pending")
            let created = try bound.jsonValue()
            let entries = ManagedFields.recordUpdate(old: nil, new: created, manager: "kubectl-create", entries: [], gvk: kind)
            var running = bound
            running.status = HollowPodStatus.running(
                bound, hostIP: "127.64.\(index / 250).\(index % 250 + 1)", podIP: "10.\(index / 62_500).\(index / 250 % 250).\(index % 250 + 1)")
            return (created, try running.jsonValue(), entries)
        }
    }

    /// Node `index`'s Lease before and after a renewal, with the managedFields of the last one.
    private static func lease(_ template: JSONValue, node index: Int) -> (JSONValue, JSONValue, [MetaV1.ManagedFieldsEntry]) {
        let uid = JSONValue.string("9e8d7c6b-5a4f-3e2d-1c0b-\(String(format: "%012d", index))")
        var old = setting(["metadata", "managedFields"], nil, in: template)
        old = setting(["metadata", "name"], .string("hollow-node-\(index)"), in: old)
        old = setting(["spec", "holderIdentity"], .string("hollow-node-\(index)"), in: old)
        if case .array(var owners)? = old["metadata"]?["ownerReferences"], case .object(var owner)? = owners.first {
            owner["uid"] = uid
            owner["name"] = .string("hollow-node-\(index)")
            owners[0] = .object(owner)
            old = setting(["metadata", "ownerReferences"], .array(owners), in: old)
        }
        let kind = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")
        let entries = ManagedFields.recordUpdate(old: nil, new: old, manager: "skiff-hollow-node", entries: [], gvk: kind)
        let new = setting(["spec", "renewTime"], .string("2026-11-22T10:05:10.000000Z"), in: old)
        return (old, new, entries)
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
