import KubeComponentHelpers
import KubeModel

/// Places pods that use PersistentVolumeClaims where their volumes can be (upstream
/// `VolumeBinding`): bound claims' volumes must allow the node (local PVs pin their node through
/// node affinity); unbound claims of a WaitForFirstConsumer class need an Available volume
/// that fits them on the node, or a class that can provision there. Reserve assumes the chosen
/// volumes so later cycles see them taken; PreBind writes the bindings (the volume's
/// `claimRef`, or the claim's `selected-node` for provisioning) and waits until the
/// PersistentVolume controller has bound every claim.
public struct VolumeBinding: PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin {
    public static let errReasonBindConflict = "node(s) didn't find available persistent volumes to bind"
    public static let errReasonNodeConflict = "node(s) had volume node affinity conflict"
    public static let errReasonNotEnoughSpace = "node(s) did not have enough free storage"
    public static let errReasonPVNotExist = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
    public static let errReasonUnboundImmediate = "pod has unbound immediate PersistentVolumeClaims"
    /// upstream's default `bindTimeoutSeconds`.
    public static let bindTimeout: Duration = .seconds(600)

    static let stateKey = CycleState.Key<StateData>(.volumeBindingPreFilter)

    /// What one node would need: volumes to bind to claims, and claims to provision there.
    struct PodVolumes: Sendable {
        var staticBindings: [(volume: CoreV1.PersistentVolume, claim: CoreV1.PersistentVolumeClaim)] = []
        var dynamicProvisions: [CoreV1.PersistentVolumeClaim] = []

        var isEmpty: Bool { staticBindings.isEmpty && dynamicProvisions.isEmpty }
    }

    /// The cycle's data: the pod's claims, then each filtered node's decisions (Filter adds them;
    /// a cycle runs on one thread, and preemption's clones share this box harmlessly).
    final class StateData: @unchecked Sendable {
        let claims: PodVolumeClaims
        var podVolumesByNode: [String: PodVolumes] = [:]
        /// Set by Reserve: what PreBind writes (nil: every claim was bound already).
        var reserved: PodVolumes?

        init(claims: PodVolumeClaims) { self.claims = claims }
    }

    let assumed: AssumedVolumes

    public init(assumed: AssumedVolumes = AssumedVolumes()) {
        self.assumed = assumed
    }

    public var name: String { PluginNames.volumeBinding }

    public func preFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus {
        guard Self.usesClaims(pod.pod) else { return .skip }
        let claims: PodVolumeClaims
        do {
            guard let found = try PodVolumeClaims.of(pod.pod, in: assumed.overlay(snapshot.volumes)) else { return .skip }
            claims = found
        } catch {
            switch error { case .unresolvable(let message): return .unresolvable(message) }
        }
        if !claims.unboundImmediate.isEmpty { return .unresolvable(Self.errReasonUnboundImmediate) }
        state.write(Self.stateKey, StateData(claims: claims))
        return .success
    }

    /// The pod has a `persistentVolumeClaim` or generic ephemeral volume.
    static func usesClaims(_ pod: CoreV1.Pod) -> Bool {
        pod.spec.volumes?.contains { $0.persistentVolumeClaim != nil || $0.ephemeral != nil } ?? false
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        guard let data = state.read(Self.stateKey) else { return .success }
        let target = PersistentVolumeMatching.Node(name: node.name, labels: node.labels)
        switch Self.findPodVolumes(data.claims, node: target) {
        case .success(let volumes):
            data.podVolumesByNode[node.name] = volumes
            return .success
        case .failure(let rejection):
            return PluginStatus(.unschedulableAndUnresolvable, rejection.reasons)
        }
    }

    public func reserve(_ state: CycleState, pod: PodInfo, nodeName: String) -> PluginStatus {
        guard let data = state.read(Self.stateKey) else { return .success }
        guard let volumes = data.podVolumesByNode[nodeName], !volumes.isEmpty else {
            data.reserved = nil
            return .success
        }
        var reserved = PodVolumes()
        for (volume, claim) in volumes.staticBindings {
            let bound = volume.boundCopy(to: claim) ?? volume
            assumed.assume(bound)
            reserved.staticBindings.append((bound, claim))
        }
        for claim in volumes.dynamicProvisions {
            var selected = claim
            selected.metadata.annotations = (claim.metadata.annotations ?? [:]).merging(
                [VolumeAnnotations.selectedNode: nodeName]) { _, new in new }
            assumed.assume(selected)
            reserved.dynamicProvisions.append(selected)
        }
        data.reserved = reserved
        return .success
    }

    public func unreserve(_ state: CycleState, pod: PodInfo, nodeName: String) {
        guard let reserved = state.read(Self.stateKey)?.reserved else { return }
        forget(reserved)
    }

    private func forget(_ volumes: PodVolumes) {
        for (volume, _) in volumes.staticBindings { assumed.forget(volume: volume.metadata.name ?? "") }
        for claim in volumes.dynamicProvisions { assumed.forget(claim: claim.claimKey) }
    }

    public func preBind(_ state: CycleState, pod: PodInfo, nodeName: String, handle: any PreBindHandle) async -> PluginStatus {
        guard let reserved = state.read(Self.stateKey)?.reserved else { return .success }
        defer { forget(reserved) }
        do {
            for (volume, _) in reserved.staticBindings { _ = try await handle.update(volume) }
            for claim in reserved.dynamicProvisions { _ = try await handle.update(claim) }
            let catalog = handle.volumes
            let done = try await handle.waitForVolumes(until: .now + Self.bindTimeout) {
                try Self.bindingsComplete(reserved, nodeName: nodeName, in: catalog)
            }
            return done ? .success : .error("binding volumes: context deadline exceeded")
        } catch {
            return .error("binding volumes: \(error)")
        }
    }
}

extension PluginNames {
    public static let volumeBinding = "VolumeBinding"
}
