import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// upstream's `pod-garbage-collector`, one pass every 20 s: force-deletes terminating pods on
/// out-of-service nodes that are not ready, terminated pods beyond `--terminated-pod-gc-threshold`
/// (oldest first), pods bound to nodes that no longer exist (after a 40 s quarantine and a
/// live lookup; marked Failed with a `DisruptionTarget` condition first), and terminating
/// pods that were never scheduled. Deletions use grace period 0.
public final class PodGCController: Controller {
    public static let controllerName = "pod-garbage-collector"
    /// The single work-queue key: each pass looks at every pod.
    public static let passKey = "pods"
    public static let checkPeriod: Duration = .seconds(20)
    /// upstream's `quarantineTime`: how long a node must be missing before its pods count as orphans.
    public static let quarantineSeconds: TimeInterval = 40
    public static let defaultTerminatedPodThreshold = 12500
    static let outOfServiceTaint = "node.kubernetes.io/out-of-service"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let logger: Logger
    let nodes: Lister<CoreV1.Node>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue
    let terminatedPodThreshold: Int
    /// Node name → when a pod bound to it was first seen with the node missing.
    let missingSince = MissingNodes()
    let now: @Sendable () -> Date

    public init(context: ControllerContext, terminatedPodThreshold: Int = PodGCController.defaultTerminatedPodThreshold,
                now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        logger = context.logger
        self.terminatedPodThreshold = terminatedPodThreshold
        self.now = now
        nodes = context.informers.informer(CoreV1.Node.self).lister
        pods = context.informers.informer(CoreV1.Pod.self).lister
        queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
    }

    public func run(workers: Int) async {
        queue.add(Self.passKey)
        await queue.run(workers: 1) { try await self.reconcile($0) }
    }

    /// One garbage collection pass; the next comes a check period later.
    public func reconcile(_ key: String) async throws {
        defer { queue.addAfter(Self.passKey, Self.checkPeriod) }
        let all = pods.list()
        try await collectTerminatingOnOutOfServiceNodes(all)
        try await collectTerminated(all)
        try await collectOrphaned(all)
        try await collectUnscheduledTerminating(all)
    }

    func collectTerminatingOnOutOfServiceNodes(_ all: [CoreV1.Pod]) async throws {
        for pod in all where pod.metadata.deletionTimestamp != nil {
            guard let nodeName = pod.spec.nodeName, let node = nodes.get(name: nodeName),
                  node.status.conditions?.first(where: { $0.type == "Ready" })?.status != "True",
                  (node.spec.taints ?? []).contains(where: { $0.key == Self.outOfServiceTaint && $0.effect == "NoExecute" })
            else { continue }
            try await markFailedAndDelete(pod, condition: nil)
        }
    }

    func collectTerminated(_ all: [CoreV1.Pod]) async throws {
        guard terminatedPodThreshold > 0 else { return }
        let terminated = all.filter { ["Succeeded", "Failed"].contains($0.status.phase ?? "") }
        let excess = terminated.count - terminatedPodThreshold
        guard excess > 0 else { return }
        for pod in terminated.sorted(by: Self.evictedThenOldest).prefix(excess) {
            try await markFailedAndDelete(pod, condition: nil)
        }
    }

    func collectOrphaned(_ all: [CoreV1.Pod]) async throws {
        let clock = now()
        let known = Set(nodes.list().compactMap(\.metadata.name))
        let missing = Set(all.compactMap(\.spec.nodeName).filter { !$0.isEmpty && !known.contains($0) })
        let due: [String] = missingSince.withLock { since in
            for name in since.keys where !missing.contains(name) { since[name] = nil }
            for name in missing where since[name] == nil { since[name] = clock }
            return missing.filter { clock.timeIntervalSince(since[$0]!) >= Self.quarantineSeconds }.sorted()
        }
        for nodeName in due {
            do {
                _ = try await client.get(CoreV1.Node.self, namespace: nil, name: nodeName)
                continue
            } catch let error as StatusError where error.isNotFound {
                // Really gone.
            }
            let condition = CoreV1.PodCondition(
                lastTransitionTime: MetaV1.Time(clock), message: "PodGC: node no longer exists",
                reason: "DeletionByPodGC", status: "True", type: "DisruptionTarget")
            for pod in all where pod.spec.nodeName == nodeName {
                try await markFailedAndDelete(pod, condition: condition)
            }
            missingSince.withLock { $0[nodeName] = nil }
        }
    }

    func collectUnscheduledTerminating(_ all: [CoreV1.Pod]) async throws {
        for pod in all where pod.metadata.deletionTimestamp != nil && (pod.spec.nodeName ?? "").isEmpty {
            try await markFailedAndDelete(pod, condition: nil)
        }
    }

    /// upstream's `markFailedAndDeletePodWithCondition`: a pod not yet terminal is set Failed
    /// (with `condition`, if any) before it is deleted with grace period 0.
    func markFailedAndDelete(_ pod: CoreV1.Pod, condition: CoreV1.PodCondition?) async throws {
        do {
            if !["Succeeded", "Failed"].contains(pod.status.phase ?? "") {
                var updated = pod
                updated.status.phase = "Failed"
                if let condition {
                    var conditions = (pod.status.conditions ?? []).filter { $0.type != condition.type }
                    conditions.append(condition)
                    updated.status.conditions = conditions
                }
                _ = try await client.updateStatus(updated)
            }
            try await client.delete(CoreV1.Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "",
                                    DeleteOptions(preconditionUID: pod.metadata.uid, gracePeriodSeconds: 0))
        } catch let error as StatusError where error.isNotFound {
            // Gone already.
        }
    }

    /// Node name → first seen missing.
    final class MissingNodes: Sendable {
        private let mutex = Mutex<[String: Date]>([:])
        func withLock<Result: Sendable>(_ body: (inout [String: Date]) -> Result) -> Result { mutex.withLock { body(&$0) } }
    }

    /// upstream's `byEvictionAndCreationTimestamp`: evicted pods first, then oldest, then by name.
    static func evictedThenOldest(_ a: CoreV1.Pod, _ b: CoreV1.Pod) -> Bool {
        let aEvicted = a.status.reason == "Evicted", bEvicted = b.status.reason == "Evicted"
        if aEvicted != bEvicted { return aEvicted }
        let aTime = a.metadata.creationTimestamp?.secondsSinceEpoch ?? 0
        let bTime = b.metadata.creationTimestamp?.secondsSinceEpoch ?? 0
        if aTime != bTime { return aTime < bTime }
        return ObjectKeys.key(of: a) < ObjectKeys.key(of: b)
    }
}
