import Foundation
import KubeModel

extension DaemonSetController {
    /// upstream's `updatedDesiredNodeCounts`: maxSurge and maxUnavailable scaled (rounding up)
    /// on the number of nodes that should run the pod (both 0 means maxUnavailable 1), and
    /// `byNode` completed with an empty entry for each of those nodes.
    static func desiredNodeCounts(_ ds: AppsV1.DaemonSet, nodes: [CoreV1.Node], byNode: inout [String: [CoreV1.Pod]])
        -> (maxSurge: Int, maxUnavailable: Int, desired: Int) {
        var desired = 0
        for node in nodes where DaemonSetPlacement.shouldRun(node, ds).shouldRun {
            desired += 1
            let name = node.metadata.name ?? ""
            if byNode[name] == nil { byNode[name] = [] }
        }
        let rolling = ds.spec.updateStrategy?.rollingUpdate
        var maxUnavailable = (try? (rolling?.maxUnavailable ?? .int(1)).scaledValue(total: desired, roundUp: true)) ?? 1
        let maxSurge = Self.allowsSurge(ds) ? ((try? (rolling?.maxSurge ?? .int(0)).scaledValue(total: desired, roundUp: true)) ?? 0) : 0
        if maxUnavailable == 0 && maxSurge == 0 { maxUnavailable = 1 }
        return (maxSurge, maxUnavailable, desired)
    }

    /// upstream's `findUpdatedPodsOnNode`: the node's one updated and one old pod (ignoring pods
    /// being deleted); nil when there are more of either.
    static func updatedPodsOnNode(_ ds: AppsV1.DaemonSet, _ pods: [CoreV1.Pod], hash: String)
        -> (new: CoreV1.Pod?, old: CoreV1.Pod?)? {
        var new: CoreV1.Pod?
        var old: CoreV1.Pod?
        let generation = DaemonPodTemplate.templateGeneration(ds)
        for pod in pods where pod.metadata.deletionTimestamp == nil {
            if DaemonPodTemplate.isUpdated(pod, hash: hash, generation: generation) {
                if new != nil { return nil }
                new = pod
            } else {
                if old != nil { return nil }
                old = pod
            }
        }
        return (new, old)
    }

    /// upstream's `rollingUpdate`: without surge, delete old pods while fewer than maxUnavailable
    /// nodes are unavailable (old pods that are not available go first, and always); with surge,
    /// start updated pods beside old ones on up to maxSurge nodes and delete each old pod once its
    /// replacement is available.
    func rollingUpdate(_ ds: AppsV1.DaemonSet, nodes nodeList: [CoreV1.Node], hash: String, selector: Labels.Selector) async throws {
        var byNode = try await nodesToDaemonPods(ds, selector: selector)
        let (maxSurge, maxUnavailable, desired) = Self.desiredNodeCounts(ds, nodes: nodeList, byNode: &byNode)
        let now = self.now()
        let minReady = ds.spec.minReadySeconds ?? 0
        func available(_ pod: CoreV1.Pod) -> Bool { PodReadiness.isAvailable(pod, minReadySeconds: minReady, now: now) }
        let nodeNames = byNode.keys.sorted()

        if maxSurge == 0 {
            var unavailable = 0
            var replacements: [CoreV1.Pod] = []
            var candidates: [CoreV1.Pod] = []
            for nodeName in nodeNames {
                guard let (new, old) = Self.updatedPodsOnNode(ds, byNode[nodeName] ?? [], hash: hash) else {
                    unavailable += 1
                    continue
                }
                switch (new, old) {
                case (nil, nil), (.some, .some):
                    unavailable += 1
                case (let new?, nil):
                    if !available(new) { unavailable += 1 }
                case (nil, let old?):
                    if !available(old) {
                        replacements.append(old)
                    } else if unavailable < maxUnavailable {
                        candidates.append(old)
                    }
                }
            }
            let remaining = min(max(0, maxUnavailable - unavailable), candidates.count)
            try await syncNodes(ds, podsToDelete: replacements + candidates.prefix(remaining), nodesNeeding: [], hash: hash)
            return
        }

        var oldToDelete: [CoreV1.Pod] = []
        var shouldNotRunToDelete: [CoreV1.Pod] = []
        var candidateNodes: [String] = []
        var allowedNodes: [String] = []
        var surging = 0
        var availableCount = 0
        let nodesByName = Dictionary(nodeList.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        for nodeName in nodeNames {
            guard let (new, old) = Self.updatedPodsOnNode(ds, byNode[nodeName] ?? [], hash: hash) else {
                surging += 1
                continue
            }
            switch (new, old) {
            case (let new?, nil): if available(new) { availableCount += 1 }
            case (nil, let old?): if available(old) { availableCount += 1 }
            case (let new?, let old?): if available(old) || available(new) { availableCount += 1 }
            case (nil, nil): break
            }
            let shouldRun = nodesByName[nodeName].map { DaemonSetPlacement.shouldRun($0, ds).shouldRun } ?? false
            if !shouldRun {
                if let old { shouldNotRunToDelete.append(old) }
                continue
            }
            switch (new, old) {
            case (_, nil):
                break
            case (nil, let old?):
                if !available(old) {
                    allowedNodes.append(nodeName)
                } else if surging < maxSurge {
                    candidateNodes.append(nodeName)
                }
            case (let new?, let old?):
                if !available(new) {
                    surging += 1
                    continue
                }
                oldToDelete.append(old)
            }
        }
        let deletable = availableCount - desired
        if deletable >= 0 {
            oldToDelete += shouldNotRunToDelete.prefix(deletable)
        }
        let remaining = min(max(0, maxSurge - surging), candidateNodes.count)
        try await syncNodes(ds, podsToDelete: oldToDelete, nodesNeeding: allowedNodes + candidateNodes.prefix(remaining), hash: hash)
    }
}
