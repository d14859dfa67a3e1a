import Foundation
import KubeClient
import KubeModel

/// How the node lifecycle controller judges a node's health (upstream's `tryUpdateNodeHealth`)
/// and marks its pods not ready (`MarkPodsNotReady`).
extension NodeLifecycleController {
    /// ``updateHealth(_:)`` with upstream's retries: after a failed write the node is read
    /// again from the server. nil when every attempt failed (the node is skipped this pass).
    func updateHealthRetrying(_ node: CoreV1.Node) async
        -> (observed: CoreV1.NodeCondition, current: CoreV1.NodeCondition?, node: CoreV1.Node)? {
        var node = node
        for attempt in 1...Self.healthUpdateRetries {
            do {
                return try await updateHealth(node)
            } catch {
                guard attempt < Self.healthUpdateRetries else {
                    logger.error("Update health of Node from Controller error, Skipping - no pods will be evicted",
                                 metadata: ["node": "\(node.metadata.name ?? "")", "error": "\(error)"])
                    return nil
                }
                do {
                    node = try await client.get(CoreV1.Node.self, namespace: nil, name: node.metadata.name ?? "")
                } catch {
                    logger.error("Failed while getting a Node to retry updating node health. Probably Node was deleted",
                                 metadata: ["node": "\(node.metadata.name ?? "")"])
                    return nil
                }
            }
        }
        return nil
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
}
