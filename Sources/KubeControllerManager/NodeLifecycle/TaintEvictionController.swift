import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// upstream's `taint-eviction-controller`: a pod on a node with NoExecute taints it does not
/// tolerate is deleted at once; one that tolerates them for a while (`tolerationSeconds`) is
/// deleted when the shortest of those runs out, counted from when the controller first saw
/// it due; one whose node loses the taints in time is left alone. Deleted pods first get the
/// `DisruptionTarget` condition.
public final class TaintEvictionController: Controller {
    public static let controllerName = "taint-eviction-controller"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let nodes: Lister<CoreV1.Node>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue
    /// Pod key → (UID, when its eviction was scheduled): upstream's timed eviction queue.
    let scheduled = ScheduledEvictions()
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        events = context.events
        self.now = now
        let nodeInformer = context.informers.informer(CoreV1.Node.self)
        let podInformer = context.informers.informer(CoreV1.Pod.self)
        nodes = nodeInformer.lister
        let pods = podInformer.lister
        self.pods = pods
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        podInformer.addEventHandler(.enqueueing { pod in
            guard !(pod.spec.nodeName ?? "").isEmpty else { return }
            queue.add(ObjectKeys.key(of: pod))
        })
        let enqueuePods: @Sendable (CoreV1.Node) -> Void = { node in
            for pod in pods.list() where pod.spec.nodeName == node.metadata.name { queue.add(ObjectKeys.key(of: pod)) }
        }
        nodeInformer.addEventHandler(EventHandler(
            onAdd: enqueuePods,
            onUpdate: { old, new in
                if Self.noExecuteTaints(old) != Self.noExecuteTaints(new) { enqueuePods(new) }
            },
            onDelete: enqueuePods))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await self.reconcile($0) }
    }

    /// upstream's `processPodOnNode` for pod `key`, and the deletion when its time has come.
    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let pod = pods.get(namespace: namespace, name: name), let nodeName = pod.spec.nodeName, !nodeName.isEmpty,
              pod.metadata.deletionTimestamp == nil else {
            cancel(key, pod: nil)
            return
        }
        let taints = nodes.get(name: nodeName).map(Self.noExecuteTaints) ?? []
        guard !taints.isEmpty else {
            cancel(key, pod: pod)
            return
        }
        let clock = now()
        let (tolerated, used) = TaintToleration.matching(taints: taints, tolerations: pod.spec.tolerations ?? [])
        var due = clock
        if tolerated {
            guard let seconds = TaintToleration.minimumTolerationSeconds(used) else {
                cancel(key, pod: pod)
                return
            }
            let uid = pod.metadata.uid ?? ""
            let since = scheduled.withLock { entries in
                if let entry = entries[key], entry.uid == uid { return entry.since }
                entries[key] = (uid, clock)
                return clock
            }
            due = since.addingTimeInterval(TimeInterval(seconds))
            if due > clock { throw RequeueAfter(.milliseconds(Int64(due.timeIntervalSince(clock) * 1000) + 1)) }
        }
        scheduled.withLock { $0[key] = nil }
        try await evict(pod)
    }

    /// Adds the DisruptionTarget condition, then deletes the pod (upstream's `addConditionAndDeletePod`).
    func evict(_ pod: CoreV1.Pod) async throws {
        let key = ObjectKeys.key(of: pod)
        events.event(pod, type: .normal, reason: "TaintManagerEviction", message: "Marking for deletion Pod \(key)")
        var updated = pod
        var conditions = (pod.status.conditions ?? []).filter { $0.type != "DisruptionTarget" }
        conditions.append(CoreV1.PodCondition(
            lastTransitionTime: MetaV1.Time(now()), message: "Taint manager: deleting due to NoExecute taint",
            reason: "DeletionByTaintManager", status: "True", type: "DisruptionTarget"))
        updated.status.conditions = conditions
        do {
            _ = try await client.updateStatus(updated)
            try await client.delete(CoreV1.Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "",
                                    DeleteOptions(preconditionUID: pod.metadata.uid))
        } catch let error as StatusError where error.isNotFound {
            // Gone already.
        }
    }

    /// Drops a scheduled eviction, with upstream's event when one was pending.
    func cancel(_ key: String, pod: CoreV1.Pod?) {
        let wasScheduled = scheduled.withLock { $0.removeValue(forKey: key) != nil }
        if wasScheduled, let pod {
            events.event(pod, type: .normal, reason: "TaintManagerEviction", message: "Cancelling deletion of Pod \(key)")
        }
    }

    /// Pod key → (UID, when its eviction was scheduled).
    final class ScheduledEvictions: Sendable {
        private let mutex = Mutex<[String: (uid: String, since: Date)]>([:])
        func withLock<Result: Sendable>(_ body: (inout [String: (uid: String, since: Date)]) -> Result) -> Result {
            mutex.withLock { body(&$0) }
        }
    }

    static func noExecuteTaints(_ node: CoreV1.Node) -> [CoreV1.Taint] {
        (node.spec.taints ?? []).filter { $0.effect == "NoExecute" }
    }
}
