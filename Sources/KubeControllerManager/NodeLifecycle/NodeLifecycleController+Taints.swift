import Foundation
import KubeClient
import KubeModel

/// The node lifecycle controller's taints: the NoSchedule taints that mirror a node's
/// conditions (upstream's `doNoScheduleTaintingPass`), and the NoExecute `not-ready` /
/// `unreachable` taint, added through the zones' rate-limited queues
/// (`processTaintBaseEviction`, `doNoExecuteTaintingPass`) and removed once the node is Ready
/// (`markNodeAsReachable`).
extension NodeLifecycleController {
    /// upstream's `UpdateTaintBackoff` steps: attempts of a taint write that meets a conflict.
    static let taintWriteAttempts = 5

    /// Puts node `name`'s NoSchedule taints in line with its conditions and `spec.unschedulable`.
    public func doNoScheduleTaintingPass(_ name: String) async throws {
        guard let node = nodes.get(name: name) else { return }
        let wanted = NodeTaints.wantedNoScheduleKeys(node)
        let present = NodeTaints.managedNoScheduleTaints(node)
        let adding = wanted.sorted().filter { key in !present.contains { $0.key == key } }
            .map { CoreV1.Taint(effect: NodeTaints.noSchedule, key: $0) }
        let removing = present.filter { !wanted.contains($0.key) }
        guard !adding.isEmpty || !removing.isEmpty else { return }
        try await swapTaints(node, adding: adding, removing: removing)
    }

    /// upstream's `processTaintBaseEviction`, by the Ready status observed before this pass:
    /// a node that has the opposite NoExecute taint has it swapped at once; otherwise it is
    /// queued in its zone; a Ready node loses both taints.
    func processTaintBaseEviction(_ node: CoreV1.Node, observedStatus: String) async {
        let name = node.metadata.name ?? ""
        let clock = now()
        switch observedStatus {
        case "False", "Unknown":
            let notReady = observedStatus == "False"
            let wanted = notReady ? NodeTaints.notReadyNoExecute : NodeTaints.unreachableNoExecute
            let opposite = notReady ? NodeTaints.unreachableNoExecute : NodeTaints.notReadyNoExecute
            if NodeTaints.has(opposite, on: node) {
                do {
                    try await swapTaints(node, adding: [wanted], removing: [opposite])
                } catch {
                    logger.error(notReady
                        ? "Failed to instantly swap UnreachableTaint to NotReadyTaint. Will try again in the next cycle"
                        : "Failed to instantly swap NotReadyTaint to UnreachableTaint. Will try again in the next cycle",
                        metadata: ["node": "\(name)", "error": "\(error)"])
                }
            } else if zones.withLock({ $0.markForTainting(node, readyStatus: observedStatus, now: clock) }) {
                logger.debug(notReady ? "Node is NotReady. Adding it to the Taint queue"
                                      : "Node is unresponsive. Adding it to the Taint queue", metadata: ["node": "\(name)"])
            }
        case "True":
            do {
                if try await markNodeAsReachable(node) {
                    logger.debug("Node is healthy again, removed all taints", metadata: ["node": "\(name)"])
                }
            } catch {
                logger.error("Failed to remove taints from node. Will retry in next iteration",
                             metadata: ["node": "\(name)", "error": "\(error)"])
            }
        default:
            break
        }
    }

    /// upstream's `markNodeAsReachable`: removes the NoExecute `unreachable` and `not-ready`
    /// taints and takes the node off its zone's queue. True when it was queued or processed.
    @discardableResult
    func markNodeAsReachable(_ node: CoreV1.Node) async throws -> Bool {
        try await swapTaints(node, adding: [], removing: [NodeTaints.unreachableNoExecute, NodeTaints.notReadyNoExecute])
        return zones.withLock { $0.unmark(node) }
    }

    /// upstream's `doNoExecuteTaintingPass`: each zone's queue hands out the nodes its rate
    /// allows; each gets the NoExecute taint its Ready status calls for (the opposite one goes).
    /// Answers how long until a queue can hand out the next node (nil: none can).
    public func doNoExecuteTaintingPass() async -> TimeInterval? {
        let zoneKeys = zones.withLock { $0.tainters.keys.sorted() }
        for zone in zoneKeys {
            while true {
                let clock = now()
                guard let value = zones.withLock({ $0.tainters[zone]?.next(now: clock) }) else { break }
                let (done, retryAfter) = await taintFromQueue(value.value)
                zones.withLock { _ = $0.tainters[zone]?.finish(value, succeeded: done, retryAfter: retryAfter, now: clock) }
            }
        }
        let clock = now()
        return zones.withLock { $0.delayUntilNextTaint(now: clock) }
    }

    /// The action for one queued node: whether it is done, else how soon to try again.
    func taintFromQueue(_ name: String) async -> (done: Bool, retryAfter: TimeInterval) {
        guard let node = nodes.get(name: name) else {
            logger.info("Node no longer present in nodeLister", metadata: ["node": "\(name)"])
            return (true, 0)
        }
        guard let ready = Self.condition("Ready", of: node) else {
            logger.info("Failed to get NodeCondition from the node status", metadata: ["node": "\(name)"])
            return (false, Self.taintRetryDelay)
        }
        let adding: CoreV1.Taint, removing: CoreV1.Taint
        switch ready.status {
        case "False": (adding, removing) = (NodeTaints.notReadyNoExecute, NodeTaints.unreachableNoExecute)
        case "Unknown": (adding, removing) = (NodeTaints.unreachableNoExecute, NodeTaints.notReadyNoExecute)
        default:
            // Ready again: nothing to taint.
            return (true, 0)
        }
        do {
            try await swapTaints(node, adding: [adding], removing: [removing])
            return (true, 0)
        } catch {
            logger.warning("failed to taint node", metadata: ["node": "\(name)", "error": "\(error)"])
            return (false, 0)
        }
    }

    /// upstream's `SwapNodeControllerTaint`: one PATCH of `spec.taints` guarded by the node's
    /// resourceVersion; on a conflict the node is read again and the change made anew.
    func swapTaints(_ node: CoreV1.Node, adding: [CoreV1.Taint], removing: [CoreV1.Taint]) async throws {
        var node = node
        for attempt in 1...Self.taintWriteAttempts {
            let current = node.spec.taints ?? []
            let wanted = NodeTaints.swapped(current, adding: adding, removing: removing, now: MetaV1.Time(now()))
            guard wanted != current else { return }
            let taintsJSON = try JSONValueEncoder().encode(wanted)
            let patch: JSONValue = .object([
                "metadata": .object(["resourceVersion": .string(node.metadata.resourceVersion ?? "")]),
                "spec": .object(["taints": wanted.isEmpty ? .null : taintsJSON]),
            ])
            let name = node.metadata.name ?? ""
            do {
                _ = try await client.patch(CoreV1.Node.self, namespace: nil, name: name, ObjectPatch(.merge, json: patch))
                return
            } catch let error as StatusError where error.isConflict && attempt < Self.taintWriteAttempts {
                node = try await client.get(CoreV1.Node.self, namespace: nil, name: name)
            }
        }
    }
}
