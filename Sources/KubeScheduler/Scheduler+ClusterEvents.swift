import KubeModel

extension Scheduler {
    func applyClusterEvents() async {
        for await event in clusterEvents {
            apply(event)
            signal.notify()
        }
    }

    /// Keeps the cache and the queue in step with the informers (upstream's
    /// `eventhandlers.go`): bound pods count on their nodes, pending pods this scheduler is
    /// responsible for wait in the queue, and changes that may free room move parked pods.
    func apply(_ event: ClusterEvent) {
        let now = ContinuousClock.now
        switch event {
        case .podAdded(let pod):
            addOrUpdate(pod, old: nil, now: now)
        case .podUpdated(let old, let new):
            addOrUpdate(new, old: old, now: now)
        case .podDeleted(let pod):
            let key = Self.key(pod)
            queue.delete(key)
            nominator.remove(key: key)
            if cache.isAssumedOrBound(key) {
                cache.removePod(key: key)
                queue.moveAllToActiveOrBackoff(now: now)
            }
        case .nodeAdded(let node):
            cache.addOrUpdateNode(node)
            queue.moveAllToActiveOrBackoff(now: now)
        case .nodeUpdated(let old, let new):
            cache.addOrUpdateNode(new)
            if Self.schedulingRelevantChange(old, new) { queue.moveAllToActiveOrBackoff(now: now) }
        case .nodeDeleted(let node):
            cache.removeNode(named: node.metadata.name ?? "")
        case .storageChanged:
            // Upstream's VolumeBinding, VolumeRestrictions and VolumeZone register for these.
            queue.moveAllToActiveOrBackoff(now: now)
        }
    }

    private func addOrUpdate(_ pod: CoreV1.Pod, old: CoreV1.Pod?, now: ContinuousClock.Instant) {
        let key = Self.key(pod)
        if !(pod.spec.nodeName ?? "").isEmpty {
            queue.delete(key)
            nominator.remove(key: key)
            if Self.isTerminal(pod) {
                if cache.isAssumedOrBound(key) {
                    cache.removePod(key: key)
                    queue.moveAllToActiveOrBackoff(now: now)
                }
            } else {
                cache.addOrUpdateBoundPod(pod)
            }
            return
        }
        guard isResponsible(for: pod) else {
            queue.delete(key)
            nominator.remove(key: key)
            return
        }
        // A pod this scheduler assumed but whose binding has not shown up yet stays out of the queue.
        if cache.isAssumed(key) { return }
        let info = PodInfo(pod)
        updateNomination(info, old: old)
        if let old {
            let specChanged = old.spec != pod.spec || old.metadata.labels != pod.metadata.labels
            queue.update(info, specChanged: specChanged, now: now)
        } else {
            queue.add(info, now: now)
        }
    }

    /// A pending pod's nomination follows its `status.nominatedNodeName` (upstream's
    /// `UpdateNominatedPod`): set, it nominates the pod there; cleared, it ends the nomination;
    /// absent on both versions, it keeps one the scheduler made and has not written yet (with
    /// the newer copy of the pod).
    private func updateNomination(_ pod: PodInfo, old: CoreV1.Pod?) {
        if let node = pod.pod.status.nominatedNodeName, !node.isEmpty {
            nominator.nominate(pod, to: node)
        } else if !(old?.status.nominatedNodeName ?? "").isEmpty {
            nominator.remove(key: pod.key)
        } else if let node = nominator.node(of: pod.key) {
            nominator.nominate(pod, to: node)
        }
    }

    /// Pending, not being deleted, not gated, and asking for one of this scheduler's profiles.
    func isResponsible(for pod: CoreV1.Pod) -> Bool {
        guard pod.metadata.deletionTimestamp == nil, !Self.isTerminal(pod) else { return false }
        guard (pod.spec.schedulingGates ?? []).isEmpty else { return false }
        return frameworks[pod.spec.schedulerName ?? "default-scheduler"] != nil
    }

    static func isTerminal(_ pod: CoreV1.Pod) -> Bool {
        let phase = pod.status.phase
        return phase == "Succeeded" || phase == "Failed"
    }

    static func key(_ pod: CoreV1.Pod) -> String {
        "\(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? "")"
    }

    /// Node changes that can make a pod fit where it did not: allocatable, labels, taints,
    /// unschedulable (heartbeats alone do not).
    static func schedulingRelevantChange(_ old: CoreV1.Node, _ new: CoreV1.Node) -> Bool {
        old.status.allocatable != new.status.allocatable || old.metadata.labels != new.metadata.labels
            || old.spec.taints != new.spec.taints || old.spec.unschedulable != new.spec.unschedulable
            || old.status.images != new.status.images
    }
}
