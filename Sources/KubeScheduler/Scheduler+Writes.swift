import Foundation
import KubeClient
import KubeModel

extension Scheduler {
    /// Runs the scheduler's writes with at most `writeConcurrency` in flight, so a slow API
    /// server never stalls the scheduling cycle (upstream binds in goroutines likewise).
    nonisolated func performWrites() async {
        let limit = max(1, configuration.writeConcurrency)
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await write in writes {
                if running >= limit {
                    await group.next()
                    running -= 1
                }
                group.addTask { await self.perform(write) }
                running += 1
            }
        }
    }

    nonisolated private func perform(_ write: SchedulerWrite) async {
        switch write {
        case .bind(let queued, let node, let state):
            await bind(queued, to: node, state: state)
        case .unschedulable(let pod, let message, let nominatedNode):
            await recordUnschedulable(pod, message: message, nominatedNode: nominatedNode)
        case .preempt(let victims, let preemptor, let node):
            await preempt(victims, for: preemptor, on: node)
        }
    }

    nonisolated private func bind(_ queued: QueuedPodInfo, to node: String, state: CycleState) async {
        let pod = queued.podInfo.pod
        if let framework = frameworks[pod.spec.schedulerName ?? "default-scheduler"], !framework.profile.preBind.isEmpty {
            let handle = SchedulerPreBindHandle(client: client, volumes: volumeCatalog, changes: volumeChanges)
            let status = await framework.runPreBind(state, pod: queued.podInfo, nodeName: node, handle: handle)
            guard status.isSuccess else {
                let message = "running PreBind plugin \"\(status.plugin ?? "")\": \(status.reasons.joined(separator: ", "))"
                logger.debug("pre-bind failed", metadata: ["pod": "\(queued.key)", "node": "\(node)", "status": "\(message)"])
                recorder.event(pod, type: .warning, reason: "FailedScheduling", message: message)
                await bindingFailed(queued, node: node, state: state, podGone: false)
                return
            }
        }
        let binding = CoreV1.Binding(
            metadata: MetaV1.ObjectMeta(name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid),
            target: CoreV1.ObjectReference(kind: "Node", name: node))
        do {
            _ = try await client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace)
                .create(binding, subresource: "binding", of: pod.metadata.name ?? "", as: MetaV1.Status.self)
            recorder.event(pod, type: .normal, reason: "Scheduled",
                           message: "Successfully assigned \(queued.key) to \(node)")
            await bindingSucceeded()
        } catch {
            logger.debug("binding failed", metadata: ["pod": "\(queued.key)", "node": "\(node)", "error": "\(error)"])
            let gone = (error as? StatusError)?.isNotFound ?? false
            if !gone {
                recorder.event(pod, type: .warning, reason: "FailedScheduling", message: "Binding rejected: \(error)")
            }
            await bindingFailed(queued, node: node, state: state, podGone: gone)
        }
    }

    /// A `FailedScheduling` warning, and `PodScheduled=False` (reason Unschedulable) with the
    /// same message on the pod, plus `status.nominatedNodeName` after a preemption: set to the
    /// node it nominated, or cleared ("") when preemption found no node.
    nonisolated private func recordUnschedulable(_ pod: CoreV1.Pod, message: String, nominatedNode: String?) async {
        recorder.event(pod, type: .warning, reason: "FailedScheduling", message: message)
        let existing = pod.status.conditions?.first { $0.type == "PodScheduled" }
        let conditionChanged = existing?.status != "False" || existing?.reason != "Unschedulable" || existing?.message != message
        let nominationChanged = nominatedNode.map { $0 != (pod.status.nominatedNodeName ?? "") } ?? false
        guard conditionChanged || nominationChanged else { return }
        var condition: [String: JSONValue] = [
            "type": .string("PodScheduled"), "status": .string("False"), "reason": .string("Unschedulable"),
            "message": .string(message), "lastProbeTime": .null,
        ]
        condition["lastTransitionTime"] = .string(
            existing?.status == "False" ? (existing?.lastTransitionTime?.rfc3339 ?? MetaV1.Time(Date()).rfc3339)
                : MetaV1.Time(Date()).rfc3339)
        var status: [String: JSONValue] = ["conditions": .array([.object(condition)])]
        if let nominatedNode, nominationChanged {
            status["nominatedNodeName"] = nominatedNode.isEmpty ? .null : .string(nominatedNode)
        }
        do {
            let body = try JSONEncoder().encode(JSONValue.object(["status": .object(status)]))
            _ = try await client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace).patch(
                pod.metadata.name ?? "", type: "application/strategic-merge-patch+json", body: Array(body),
                subresource: "status")
        } catch {
            logger.debug("pod status update failed", metadata: ["pod": "\(Self.key(pod))", "error": "\(error)"])
        }
    }

    /// Deletes the victims (with a `Preempted` event on each) so the preemptor fits on `node`.
    nonisolated private func preempt(_ victims: [CoreV1.Pod], for preemptor: CoreV1.Pod, on node: String) async {
        for victim in victims {
            do {
                try await client.resource(CoreV1.Pod.self, namespace: victim.metadata.namespace)
                    .delete(victim.metadata.name ?? "", preconditionUID: victim.metadata.uid)
                recorder.event(victim, type: .normal, reason: "Preempted",
                               message: "Preempted by pod \(preemptor.metadata.uid ?? "") on node \(node)")
            } catch {
                logger.debug("preemption delete failed", metadata: ["pod": "\(Self.key(victim))", "error": "\(error)"])
            }
        }
    }
}
