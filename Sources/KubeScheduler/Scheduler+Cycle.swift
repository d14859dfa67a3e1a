import KubeModel

extension Scheduler {
    /// One scheduling cycle (upstream's `scheduleOne` up to the binding cycle): pick a node
    /// and assume the pod there, or record why none fits (after trying preemption).
    func scheduleOne(_ queued: QueuedPodInfo) {
        let pod = queued.podInfo
        guard let framework = frameworks[pod.pod.spec.schedulerName ?? "default-scheduler"],
              !cache.isAssumedOrBound(pod.key), pod.pod.metadata.deletionTimestamp == nil
        else {
            queue.done(pod.key)
            return
        }
        statistics.attempts += 1
        let state = CycleState()
        let outcome: CycleOutcome = {
            var snapshot = cache.snapshot()
            snapshot.volumes = volumeCatalog
            switch framework.schedule(pod, snapshot: snapshot, state: state, startIndex: &nextStartNodeIndex, random: &random,
                                      nominator: nominator) {
            case .success(let result):
                return .scheduled(result.nodeName)
            case .failure(var fitError):
                var nomination: PostFilterResult?
                var preemptionSnapshot = snapshot
                if !framework.profile.postFilter.isEmpty {
                    preemptionSnapshot.disruptionBudgets = disruptionBudgets.indexer.objects
                    preemptionSnapshot.nominator = nominator
                }
                for plugin in framework.profile.postFilter {
                    let result = plugin.postFilter(
                        state, pod: pod, snapshot: preemptionSnapshot, filtered: fitError.nodeStatuses, framework: framework)
                    if result.nominatedNodeName != nil { nomination = result }
                    if result.status.isSuccess, result.nominatedNodeName != nil { break }
                    let message = result.status.reasons.joined(separator: " ")
                    if !message.isEmpty { fitError.postFilterMessage = message }
                }
                return .unschedulable(fitError, nomination)
            }
        }()
        switch outcome {
        case .scheduled(let node):
            let reserved = framework.runReserve(state, pod: pod, nodeName: node)
            guard reserved.isSuccess else {
                statistics.errors += 1
                queue.requeueAfterFailure(queued, error: true, now: .now)
                writeSink.yield(.unschedulable(pod.pod, message: "running Reserve plugin \"\(reserved.plugin ?? "")\": \(reserved.reasons.joined(separator: ", "))",
                                               nominatedNode: nil))
                return
            }
            statistics.scheduled += 1
            nominator.remove(key: pod.key)
            cache.assume(pod, on: node)
            queue.done(pod.key)
            writeSink.yield(.bind(queued, node: node, state: state))
        case .unschedulable(let fitError, let nomination):
            statistics.unschedulable += 1
            var queued = queued
            queued.unschedulablePlugins = fitError.unschedulablePlugins
            queue.requeueAfterFailure(queued, error: false, now: .now)
            if let nomination, let node = nomination.nominatedNodeName, !node.isEmpty, nomination.status.isSuccess {
                statistics.preemptions += 1
                // Reserved at once, before the nominatedNodeName write comes back.
                nominator.nominate(pod, to: node)
                writeSink.yield(.preempt(victims: nomination.victims.map(\.pod), preemptor: pod.pod, node: node))
            } else if nomination?.nominatedNodeName == "" {
                // Preemption found nothing: an earlier nomination ends (upstream's ModeOverride with "").
                nominator.remove(key: pod.key)
            }
            writeSink.yield(.unschedulable(pod.pod, message: fitError.description, nominatedNode: nomination?.nominatedNodeName))
        }
    }

    /// The binding failed: the pod no longer counts on the node (nor its reserved volumes) and is
    /// retried after backoff (or dropped if it is gone).
    func bindingFailed(_ queued: QueuedPodInfo, node: String, state: CycleState, podGone: Bool) {
        statistics.bindFailures += 1
        frameworks[queued.podInfo.pod.spec.schedulerName ?? "default-scheduler"]?.runUnreserve(
            state, pod: queued.podInfo, nodeName: node)
        cache.forget(key: queued.key)
        if podGone {
            queue.done(queued.key)
            queue.delete(queued.key)
        } else {
            queue.requeueAfterFailure(queued, error: true, now: .now)
        }
        queue.moveAllToActiveOrBackoff(now: .now)
        signal.notify()
    }

    func bindingSucceeded() {
        statistics.bound += 1
    }
}

/// How one cycle ended.
enum CycleOutcome {
    case scheduled(String)
    case unschedulable(FitError, PostFilterResult?)
}
