import KubeModel
import Synchronization

/// Volumes and claims the scheduler has decided for pods whose bindings have not reached its
/// informers yet (upstream's assume caches for PVs and PVCs): a volume reserved for one pod's
/// claim is not offered to the next pod. An assumed object shadows the informer's copy only
/// while that copy is the version it was made from; once the informer has a newer one (the
/// write landed, or someone else changed the object), the informer's wins.
public final class AssumedVolumes: Sendable {
    private struct State {
        var volumes: [String: CoreV1.PersistentVolume] = [:]
        var claims: [String: CoreV1.PersistentVolumeClaim] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func assume(_ volume: CoreV1.PersistentVolume) {
        state.withLock { $0.volumes[volume.metadata.name ?? ""] = volume }
    }

    public func assume(_ claim: CoreV1.PersistentVolumeClaim) {
        state.withLock { $0.claims[claim.claimKey] = claim }
    }

    public func forget(volume name: String) {
        _ = state.withLock { $0.volumes.removeValue(forKey: name) }
    }

    public func forget(claim key: String) {
        _ = state.withLock { $0.claims.removeValue(forKey: key) }
    }

    public var isEmpty: Bool { state.withLock { $0.volumes.isEmpty && $0.claims.isEmpty } }

    /// `catalog` as the scheduler sees it with the assumed objects laid over.
    public func overlay(_ catalog: any VolumeCatalog) -> any VolumeCatalog {
        let (volumes, claims) = state.withLock { ($0.volumes, $0.claims) }
        if volumes.isEmpty && claims.isEmpty { return catalog }
        return Overlay(base: catalog, assumedVolumes: volumes, assumedClaims: claims)
    }

    private struct Overlay: VolumeCatalog {
        let base: any VolumeCatalog
        let assumedVolumes: [String: CoreV1.PersistentVolume]
        let assumedClaims: [String: CoreV1.PersistentVolumeClaim]

        func claim(namespace: String, name: String) -> CoreV1.PersistentVolumeClaim? {
            let current = base.claim(namespace: namespace, name: name)
            guard let assumed = assumedClaims["\(namespace)/\(name)"], let current,
                  current.metadata.resourceVersion == assumed.metadata.resourceVersion else { return current }
            return assumed
        }

        func volume(named name: String) -> CoreV1.PersistentVolume? {
            shadowed(base.volume(named: name))
        }

        func volumes() -> [CoreV1.PersistentVolume] {
            base.volumes().compactMap(shadowed)
        }

        func storageClass(named name: String) -> StorageV1.StorageClass? { base.storageClass(named: name) }

        private func shadowed(_ current: CoreV1.PersistentVolume?) -> CoreV1.PersistentVolume? {
            guard let current, let assumed = assumedVolumes[current.metadata.name ?? ""],
                  current.metadata.resourceVersion == assumed.metadata.resourceVersion else { return current }
            return assumed
        }
    }
}
