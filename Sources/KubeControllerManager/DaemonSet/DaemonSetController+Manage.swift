import Foundation
import KubeClient
import KubeModel

extension DaemonSetController {
    /// upstream's `manage`: the nodes that need a daemon pod and the pods to delete, then one
    /// round of creations and deletions.
    func manage(_ ds: AppsV1.DaemonSet, nodes nodeList: [CoreV1.Node], hash: String, selector: Labels.Selector) async throws {
        let byNode = try await nodesToDaemonPods(ds, selector: selector)
        var nodesNeeding: [String] = []
        var podsToDelete: [CoreV1.Pod] = []
        for node in nodeList {
            let (needing, deleting) = podsShouldBeOnNode(node, byNode: byNode, ds: ds, hash: hash)
            nodesNeeding += needing
            podsToDelete += deleting
        }
        podsToDelete += Self.unscheduledPodsWithoutNode(nodeList, byNode)
        try await syncNodes(ds, podsToDelete: podsToDelete, nodesNeeding: nodesNeeding, hash: hash)
    }

    /// Pending pods pinned to nodes that no longer exist (bound ones are the pod GC's).
    static func unscheduledPodsWithoutNode(_ nodeList: [CoreV1.Node], _ byNode: [String: [CoreV1.Pod]]) -> [CoreV1.Pod] {
        let names = Set(nodeList.compactMap(\.metadata.name))
        return byNode.filter { !names.contains($0.key) }.sorted { $0.key < $1.key }.flatMap(\.value).filter {
            ($0.spec.nodeName ?? "").isEmpty && $0.metadata.deletionTimestamp == nil
        }
    }

    /// upstream's `podsShouldBeOnNode`.
    func podsShouldBeOnNode(_ node: CoreV1.Node, byNode: [String: [CoreV1.Pod]], ds: AppsV1.DaemonSet,
                            hash: String) -> (nodesNeeding: [String], podsToDelete: [CoreV1.Pod]) {
        let nodeName = node.metadata.name ?? ""
        let (shouldRun, shouldContinueRunning) = DaemonSetPlacement.shouldRun(node, ds)
        let daemonPods = byNode[nodeName]
        var nodesNeeding: [String] = []
        var toDelete: [CoreV1.Pod] = []
        if shouldRun && daemonPods == nil {
            return ([nodeName], [])
        }
        if shouldContinueRunning {
            var running: [CoreV1.Pod] = []
            for pod in daemonPods ?? [] where pod.metadata.deletionTimestamp == nil {
                switch pod.status.phase {
                case "Failed":
                    let backoffKey = FailedPodBackoff.key(dsUID: ds.metadata.uid ?? "", node: nodeName)
                    let now = self.now()
                    if failedPodsBackoff.isInBackoff(backoffKey, now: now) {
                        let delay = failedPodsBackoff.delay(backoffKey)
                        queue.addAfter(ObjectKeys.key(of: ds), .milliseconds(Int64(delay * 1000)))
                        continue
                    }
                    failedPodsBackoff.next(backoffKey, now: now)
                    events.event(ds, type: .warning, reason: "FailedDaemonPod", message:
                        "Found failed daemon pod \(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? "") on node \(nodeName), will try to kill it")
                    toDelete.append(pod)
                case "Succeeded":
                    toDelete.append(pod)
                default:
                    running.append(pod)
                }
            }
            running.sort(by: Self.olderFirst)
            if !Self.allowsSurge(ds) {
                toDelete += running.dropFirst()
                return (nodesNeeding, toDelete)
            }
            if running.count <= 1 {
                if running.isEmpty && shouldRun { nodesNeeding.append(nodeName) }
                return (nodesNeeding, toDelete)
            }
            // With surge, an updated pod may run beside an old one until it is available.
            var oldestNew: CoreV1.Pod?
            var oldestOld: CoreV1.Pod?
            for pod in running {
                if pod.metadata.labels?[DaemonPodTemplate.revisionLabel] == hash {
                    if oldestNew == nil { oldestNew = pod; continue }
                } else if oldestOld == nil {
                    oldestOld = pod
                    continue
                }
                toDelete.append(pod)
            }
            if let oldestNew, let oldestOld {
                if !PodReadiness.isReady(oldestOld)
                    || PodReadiness.isAvailable(oldestNew, minReadySeconds: ds.spec.minReadySeconds ?? 0, now: now()) {
                    toDelete.append(oldestOld)
                }
            }
            return (nodesNeeding, toDelete)
        }
        if let daemonPods {
            toDelete += daemonPods.filter { $0.metadata.deletionTimestamp == nil }
        }
        return (nodesNeeding, toDelete)
    }

    /// upstream's `podByCreationTimestampAndPhase`: scheduled (nodeName set) first… then oldest.
    static func olderFirst(_ a: CoreV1.Pod, _ b: CoreV1.Pod) -> Bool {
        let aBound = !(a.spec.nodeName ?? "").isEmpty
        let bBound = !(b.spec.nodeName ?? "").isEmpty
        if aBound != bBound { return aBound }
        let (ta, tb) = (a.metadata.creationTimestamp, b.metadata.creationTimestamp)
        if ta == tb { return (a.metadata.name ?? "") < (b.metadata.name ?? "") }
        guard let ta else { return false }
        guard let tb else { return true }
        return ta < tb
    }

    /// A RollingUpdate with a maxSurge above zero.
    static func allowsSurge(_ ds: AppsV1.DaemonSet) -> Bool {
        guard ds.spec.updateStrategy?.type == "RollingUpdate", let surge = ds.spec.updateStrategy?.rollingUpdate?.maxSurge
        else { return false }
        return ((try? surge.scaledValue(total: 100, roundUp: true)) ?? 0) > 0
    }

    /// upstream's `syncNodes`: creates pinned pods (slow start) and deletes pods, at most
    /// ``burstReplicas`` of each, with expectations set first.
    func syncNodes(_ ds: AppsV1.DaemonSet, podsToDelete: [CoreV1.Pod], nodesNeeding: [String], hash: String) async throws {
        let key = ObjectKeys.key(of: ds)
        let creating = Array(nodesNeeding.prefix(Self.burstReplicas))
        let deleting = Array(podsToDelete.prefix(Self.burstReplicas))
        expectations.expect(key, adds: creating.count, deleteUIDs: Set(deleting.compactMap(\.metadata.uid)))
        var errors: [any Error] = []

        let template = DaemonPodTemplate.podTemplate(ds, generation: DaemonPodTemplate.templateGeneration(ds), hash: hash)
        var index = 0
        var batch = 1
        creation: while index < creating.count {
            let end = min(creating.count, index + batch)
            var batchFailed = false
            for nodeName in creating[index..<end] {
                do {
                    try await createPod(ds, template: template, nodeName: nodeName)
                } catch {
                    expectations.creationObserved(key)
                    if let status = error as? StatusError, status.reason == "Forbidden", status.message.contains("being terminated") {
                        continue
                    }
                    errors.append(error)
                    batchFailed = true
                }
            }
            index = end
            if batchFailed {
                for _ in index..<creating.count { expectations.creationObserved(key) }
                break creation
            }
            batch *= 2
        }

        for pod in deleting {
            let name = pod.metadata.name ?? ""
            do {
                try await client.delete(CoreV1.Pod.self, namespace: ds.metadata.namespace, name: name, DeleteOptions())
                events.event(ds, type: .normal, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
            } catch let error as StatusError where error.isNotFound {
                expectations.deletionObserved(key, uid: pod.metadata.uid)
            } catch {
                expectations.deletionObserved(key, uid: pod.metadata.uid)
                events.event(ds, type: .warning, reason: "FailedDelete", message: "Error deleting: \(Self.describe(error))")
                errors.append(error)
            }
        }
        if let first = errors.first { throw first }
    }

    /// One pod from `template`, pinned to `nodeName` by node affinity (upstream's `CreatePods`).
    func createPod(_ ds: AppsV1.DaemonSet, template: CoreV1.PodTemplateSpec, nodeName: String) async throws {
        var pod = CoreV1.Pod()
        pod.metadata.namespace = ds.metadata.namespace
        pod.metadata.generateName = "\(ds.metadata.name ?? "")-"
        pod.metadata.labels = template.metadata?.labels
        pod.metadata.annotations = template.metadata?.annotations
        pod.metadata.finalizers = template.metadata?.finalizers
        pod.metadata.ownerReferences = [OwnerReferences.controllerReference(to: ds)]
        pod.spec = template.spec ?? CoreV1.PodSpec(containers: [])
        pod.spec.affinity = DaemonPodTemplate.pinnedAffinity(pod.spec.affinity, nodeName: nodeName)
        do {
            let created = try await client.create(pod)
            events.event(ds, type: .normal, reason: "SuccessfulCreate", message: "Created pod: \(created.metadata.name ?? "")")
        } catch let error as StatusError where error.reason == "Forbidden" && error.message.contains("being terminated") {
            throw error
        } catch {
            events.event(ds, type: .warning, reason: "FailedCreate", message: "Error creating: \(Self.describe(error))")
            throw error
        }
    }

    static func describe(_ error: any Error) -> String { (error as? StatusError)?.message ?? "\(error)" }
}
