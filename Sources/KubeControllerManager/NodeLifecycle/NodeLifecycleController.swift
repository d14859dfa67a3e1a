import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `node-lifecycle-controller`: every node is checked each `--node-monitor-period`;
/// one whose kubelet has neither posted status nor renewed its `kube-node-lease` Lease for
/// `--node-monitor-grace-period` gets its conditions set to Unknown, its pods marked not
/// ready, and the `not-ready`/`unreachable` NoSchedule and NoExecute taints (which the
/// taint eviction controller acts on). A node that is Ready again loses them.
public struct NodeLifecycleController: Controller {
    public static let controllerName = "node-lifecycle-controller"
    public static let leaseNamespace = "kube-node-lease"
    /// Node conditions set to Unknown when the kubelet goes quiet (NetworkUnavailable is not).
    static let monitoredConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]
    /// upstream's `--large-cluster-size-threshold`.
    static let largeClusterThreshold = 50
    /// upstream's `--unhealthy-zone-threshold`.
    static let unhealthyZoneThreshold = 0.55

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let nodes: Lister<CoreV1.Node>
    let leases: Lister<CoordinationV1.Lease>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue
    let health = NodeHealthMap()
    let gracePeriod: Duration
    let startupGracePeriod: Duration
    let monitorPeriod: Duration
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        events = context.events
        self.now = now
        gracePeriod = context.configuration.nodeMonitorGracePeriod
        startupGracePeriod = context.configuration.nodeStartupGracePeriod
        monitorPeriod = context.configuration.nodeMonitorPeriod
        let nodeInformer = context.informers.informer(CoreV1.Node.self)
        nodes = nodeInformer.lister
        leases = context.informers.informer(CoordinationV1.Lease.self, namespace: Self.leaseNamespace).lister
        pods = context.informers.informer(CoreV1.Pod.self).lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        nodeInformer.addEventHandler(EventHandler(
            onAdd: { queue.add($0.metadata.name ?? "") },
            onUpdate: { old, new in
                if old.spec.unschedulable != new.spec.unschedulable || old.status.conditions != new.status.conditions {
                    queue.add(new.metadata.name ?? "")
                }
            },
            onDelete: { queue.add($0.metadata.name ?? "") }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// One health check of node `key`; queues the next one a monitor period later.
    public func reconcile(_ key: String) async throws {
        guard let node = nodes.get(name: key) else {
            health[key] = nil
            return
        }
        defer { queue.addAfter(key, monitorPeriod) }
        let (observed, current, updated) = try await updateHealth(node)
        let readyStatus = current?.status ?? "Unknown"
        if observed.status == "True" && readyStatus != "True" {
            events.event(node, type: .normal, reason: "NodeNotReady", message: "Node \(key) status is now: NodeNotReady")
        }
        if readyStatus != "True" {
            try await markPodsNotReady(on: key)
        }
        try await reconcileTaints(updated, readyStatus: readyStatus)
    }

    /// upstream's `tryUpdateNodeHealth`: refreshes the health record from the node's Ready
    /// heartbeat and Lease and, past the grace period, sets the kubelet's conditions to Unknown.
    /// Answers the Ready condition before and after, and the node as it now is.
    func updateHealth(_ node: CoreV1.Node) async throws
        -> (observed: CoreV1.NodeCondition, current: CoreV1.NodeCondition?, node: CoreV1.Node) {
        var node = node
        let name = node.metadata.name ?? ""
        let clock = now()
        let created = node.metadata.creationTimestamp ?? MetaV1.Time(clock)
        let currentReady = Self.condition("Ready", of: node)
        let observed: CoreV1.NodeCondition
        let grace: Duration
        var record = health[name]
        if let currentReady {
            observed = currentReady
            grace = gracePeriod
        } else {
            observed = CoreV1.NodeCondition(lastHeartbeatTime: created, lastTransitionTime: created, status: "Unknown", type: "Ready")
            grace = startupGracePeriod
            if record == nil {
                record = NodeHealth(probeTimestamp: created.date, readyTransitionTimestamp: created.date)
            }
        }
        let saved = record?.readyCondition
        if record == nil || (saved == nil && currentReady != nil) || (saved != nil && currentReady == nil) {
            record = NodeHealth(probeTimestamp: clock, readyTransitionTimestamp: clock, readyCondition: currentReady,
                                leaseRenewTime: record?.leaseRenewTime)
        } else if let saved, let currentReady, saved.lastHeartbeatTime != currentReady.lastHeartbeatTime {
            let transition = saved.lastTransitionTime != currentReady.lastTransitionTime ? clock : record!.readyTransitionTimestamp
            record = NodeHealth(probeTimestamp: clock, readyTransitionTimestamp: transition, readyCondition: currentReady,
                                leaseRenewTime: record?.leaseRenewTime)
        }
        if let renewed = leases.get(namespace: Self.leaseNamespace, name: name)?.spec.renewTime,
           record!.leaseRenewTime.map({ $0 < renewed }) ?? true {
            record!.leaseRenewTime = renewed
            record!.probeTimestamp = clock
        }
        health[name] = record
        guard clock > record!.probeTimestamp.addingTimeInterval(Self.seconds(grace)) else {
            return (observed, currentReady, node)
        }
        let stamp = MetaV1.Time(clock)
        var conditions = node.status.conditions ?? []
        for type in Self.monitoredConditions {
            if let index = conditions.firstIndex(where: { $0.type == type }) {
                guard conditions[index].status != "Unknown" else { continue }
                conditions[index].status = "Unknown"
                conditions[index].reason = "NodeStatusUnknown"
                conditions[index].message = "Kubelet stopped posting node status."
                conditions[index].lastTransitionTime = stamp
            } else {
                conditions.append(CoreV1.NodeCondition(
                    lastHeartbeatTime: created, lastTransitionTime: stamp, message: "Kubelet never posted node status.",
                    reason: "NodeStatusNeverUpdated", status: "Unknown", type: type))
            }
        }
        node.status.conditions = conditions
        let current = Self.condition("Ready", of: node)
        guard current != observed else { return (observed, current, node) }
        node = try await client.updateStatus(node)
        health[name] = NodeHealth(probeTimestamp: record!.probeTimestamp, readyTransitionTimestamp: clock,
                                  readyCondition: Self.condition("Ready", of: node), leaseRenewTime: record!.leaseRenewTime)
        return (observed, current, node)
    }

    /// upstream's `MarkPodsNotReady`: every pod on the node with Ready=True gets Ready=False.
    func markPodsNotReady(on nodeName: String) async throws {
        for pod in pods.list() where pod.spec.nodeName == nodeName {
            var pod = pod
            guard var conditions = pod.status.conditions,
                  let index = conditions.firstIndex(where: { $0.type == "Ready" }),
                  conditions[index].status != "False" else { continue }
            conditions[index].status = "False"
            conditions[index].lastTransitionTime = MetaV1.Time(now())
            pod.status.conditions = conditions
            do {
                _ = try await client.updateStatus(pod)
            } catch let error as StatusError where error.isNotFound {
                continue
            }
            events.event(pod, type: .warning, reason: "NodeNotReady", message: "Node is not ready")
        }
    }

    /// Puts the node's NoSchedule taints in line with its conditions, and its NoExecute
    /// `not-ready`/`unreachable` taint in line with Ready (none while its zone is disrupted).
    func reconcileTaints(_ node: CoreV1.Node, readyStatus: String) async throws {
        let noSchedule = NodeTaints.wantedNoScheduleKeys(node)
        var noExecute: Set<String> = []
        if let key = NodeTaints.wantedNoExecuteKey(readyStatus: readyStatus) {
            let taints = node.spec.taints ?? []
            let alreadyTainted = taints.contains { $0.effect == "NoExecute" && [NodeTaints.notReady, NodeTaints.unreachable].contains($0.key) }
            switch zoneState(of: node) {
            case .fullDisruption: break
            case .partialDisruption where !alreadyTainted: break
            default: noExecute = [key]
            }
        }
        let current = node.spec.taints ?? []
        let wanted = NodeTaints.reconciled(current, noSchedule: noSchedule, noExecute: noExecute, now: MetaV1.Time(now()))
        guard wanted != current else { return }
        let taintsJSON = try JSONValueEncoder().encode(wanted)
        let patch: JSONValue = .object([
            "metadata": .object(["resourceVersion": .string(node.metadata.resourceVersion ?? "")]),
            "spec": .object(["taints": wanted.isEmpty ? .null : taintsJSON]),
        ])
        _ = try await client.patch(CoreV1.Node.self, namespace: nil, name: node.metadata.name ?? "", ObjectPatch(.merge, json: patch))
    }

    enum ZoneState { case normal, partialDisruption, fullDisruption }

    /// upstream's `ComputeZoneState` over the nodes of `node`'s zone (region and zone labels).
    func zoneState(of node: CoreV1.Node) -> ZoneState {
        let zone = Self.zoneKey(node)
        let members = nodes.list().map { $0.metadata.name == node.metadata.name ? node : $0 }
            .filter { Self.zoneKey($0) == zone }
        let notReady = members.filter { Self.condition("Ready", of: $0)?.status != "True" }.count
        if notReady > 0 && notReady == members.count { return .fullDisruption }
        if notReady > 2 && Double(notReady) / Double(members.count) >= Self.unhealthyZoneThreshold {
            // Small clusters stop evicting altogether in a partially disrupted zone.
            return members.count <= Self.largeClusterThreshold ? .partialDisruption : .normal
        }
        return .normal
    }

    static func zoneKey(_ node: CoreV1.Node) -> String {
        let labels = node.metadata.labels ?? [:]
        let region = labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? ""
        let zone = labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? ""
        return region + ":\u{0}:" + zone
    }

    static func condition(_ type: String, of node: CoreV1.Node) -> CoreV1.NodeCondition? {
        node.status.conditions?.first { $0.type == type }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
