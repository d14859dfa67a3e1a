import KubeComponentHelpers
import KubeModel

extension VolumeBinding {
    /// What the node needs for the pod's claims, or why it cannot have them (upstream's
    /// `FindPodVolumes`): bound volumes must allow the node; delayed claims take the smallest
    /// fitting Available volume (smaller claims choose first, no volume twice), and the rest
    /// must be provisionable there.
    static func findPodVolumes(_ claims: PodVolumeClaims, node: PersistentVolumeMatching.Node) -> Result<PodVolumes, Rejection> {
        var boundSatisfied = true
        var boundVolumesFound = true
        for (_, volume) in claims.bound {
            guard let volume else {
                boundVolumesFound = false
                break
            }
            if !volume.nodeAffinityAllows(labels: node.labels) {
                boundSatisfied = false
                break
            }
        }
        var unboundSatisfied = true
        var podVolumes = PodVolumes()
        if !claims.unboundDelayBinding.isEmpty {
            unboundSatisfied = matchUnbound(claims, node: node, into: &podVolumes)
        }
        var reasons: [String] = []
        if !boundSatisfied { reasons.append(errReasonNodeConflict) }
        if !unboundSatisfied { reasons.append(errReasonBindConflict) }
        if !boundVolumesFound { reasons.append(errReasonPVNotExist) }
        return reasons.isEmpty ? .success(podVolumes) : .failure(Rejection(reasons: reasons))
    }

    struct Rejection: Error {
        var reasons: [String]
    }

    private static func matchUnbound(_ claims: PodVolumeClaims, node: PersistentVolumeMatching.Node, into podVolumes: inout PodVolumes) -> Bool {
        var toMatch: [CoreV1.PersistentVolumeClaim] = []
        var toProvision: [CoreV1.PersistentVolumeClaim] = []
        for claim in claims.unboundDelayBinding {
            if let selected = claim.metadata.annotations?[VolumeAnnotations.selectedNode] {
                // Already handed to a provisioner for one node: only that node will do.
                if selected != node.name { return false }
                toProvision.append(claim)
            } else {
                toMatch.append(claim)
            }
        }
        var satisfied = true
        if !toMatch.isEmpty {
            var chosen: Set<String> = []
            // Smaller claims choose first (upstream's `byPVCSize`), stable for equal sizes.
            let ordered = toMatch.enumerated().sorted {
                $0.element.requestedStorage != $1.element.requestedStorage
                    ? $0.element.requestedStorage < $1.element.requestedStorage : $0.offset < $1.offset
            }.map(\.element)
            for claim in ordered {
                let volumes = claims.volumesByClass[claim.storageClass] ?? []
                guard let volume = try? PersistentVolumeMatching.findMatchingVolume(
                    for: claim, in: volumes, node: node, excluding: chosen, delayBinding: true)
                else {
                    satisfied = false
                    toProvision.append(claim)
                    continue
                }
                chosen.insert(volume.metadata.name ?? "")
                podVolumes.staticBindings.append((volume, claim))
            }
        }
        if !toProvision.isEmpty {
            satisfied = canProvision(toProvision, classes: claims.classes, node: node)
            if satisfied { podVolumes.dynamicProvisions = toProvision }
        }
        return satisfied
    }

    /// Every claim's class has a provisioner that provisions, allowed on the node's topology
    /// (upstream's `checkVolumeProvisions` without storage capacity tracking).
    static func canProvision(_ claims: [CoreV1.PersistentVolumeClaim], classes: [String: StorageV1.StorageClass],
                             node: PersistentVolumeMatching.Node) -> Bool {
        for claim in claims {
            guard let storageClass = classes[claim.storageClass] else { return false }
            if storageClass.provisioner.isEmpty || storageClass.provisioner == VolumeAnnotations.noProvisioner { return false }
            if !topologyAllows(storageClass.allowedTopologies ?? [], labels: node.labels) { return false }
        }
        return true
    }

    /// No terms allow every node; otherwise one term's label requirements must all hold
    /// (component-helpers `MatchTopologySelectorTerms`).
    static func topologyAllows(_ terms: [CoreV1.TopologySelectorTerm], labels: [String: String]) -> Bool {
        if terms.isEmpty { return true }
        return terms.contains { term in
            (term.matchLabelExpressions ?? []).allSatisfy { requirement in
                labels[requirement.key].map { requirement.values.contains($0) } ?? false
            }
        }
    }

    /// Whether the PV controller has finished what PreBind asked (upstream's `checkBindings`);
    /// throws when someone undid a binding meanwhile.
    static func bindingsComplete(_ reserved: PodVolumes, nodeName: String, in catalog: any VolumeCatalog) throws -> Bool {
        for (volume, claim) in reserved.staticBindings {
            let name = volume.metadata.name ?? ""
            guard let current = catalog.volume(named: name) else {
                throw BindingError("failed to get pv \"\(name)\" from cache")
            }
            guard let reference = current.spec.claimRef, !(reference.uid ?? "").isEmpty else {
                throw BindingError("ClaimRef got reset for pv \"\(name)\"")
            }
            guard let claimNow = catalog.claim(namespace: claim.metadata.namespace ?? "", name: claim.metadata.name ?? "") else {
                throw BindingError("failed to get pvc \"\(claim.claimKey)\" from cache")
            }
            if !claimNow.isFullyBound { return false }
        }
        for claim in reserved.dynamicProvisions {
            guard let claimNow = catalog.claim(namespace: claim.metadata.namespace ?? "", name: claim.metadata.name ?? "") else {
                throw BindingError("failed to get pvc \"\(claim.claimKey)\" from cache")
            }
            if claimNow.metadata.annotations?[VolumeAnnotations.selectedNode] != nodeName {
                throw BindingError("selectedNode annotation reset for PVC \"\(claim.metadata.name ?? "")\"")
            }
            if !claimNow.isFullyBound { return false }
            if catalog.volume(named: claimNow.spec.volumeName ?? "") == nil { return false }
        }
        return true
    }

    struct BindingError: Error, CustomStringConvertible {
        var description: String

        init(_ description: String) { self.description = description }
    }
}
