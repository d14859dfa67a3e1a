import Foundation
import KubeClient
import KubeComponentHelpers
import KubeModel
import Logging

/// upstream's `persistentvolume-binder-controller`: binds PersistentVolumeClaims to
/// PersistentVolumes and keeps both phases current.
///
/// - An unbound claim of an Immediate class takes the best Available volume (access modes
///   covered with the fewest extra modes, then the smallest capacity); a claim of a
///   WaitForFirstConsumer class waits for the scheduler, which pre-binds a volume
///   (`claimRef`) or picks a node for provisioning (`selected-node`), and the controller
///   finishes the binding. Claims without a class get the default class.
/// - A bound volume whose claim is gone becomes Released; its reclaim policy then applies
///   (Retain keeps it; Delete fails for volumes no in-tree plugin can delete, such as local).
public struct PersistentVolumeController: Controller {
    public static let controllerName = "persistentvolume-binder-controller"
    /// upstream's `--pvclaimbinder-sync-period`: pending claims are looked at again this often.
    public static let resyncPeriod: Duration = .seconds(15)

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let claims: Lister<CoreV1.PersistentVolumeClaim>
    let volumes: Lister<CoreV1.PersistentVolume>
    let classes: Lister<StorageV1.StorageClass>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue

    public init(context: ControllerContext) {
        client = context.client
        events = context.events
        let informers = context.informers
        let claimInformer = informers.informer(CoreV1.PersistentVolumeClaim.self)
        let volumeInformer = informers.informer(CoreV1.PersistentVolume.self)
        claims = claimInformer.lister
        volumes = volumeInformer.lister
        classes = informers.informer(StorageV1.StorageClass.self).lister
        pods = informers.informer(CoreV1.Pod.self).lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        let claimLister = claims
        claimInformer.addEventHandler(EventHandler(
            onAdd: { queue.add(Key.claim($0.claimKey).rawValue) },
            onUpdate: { _, claim in queue.add(Key.claim(claim.claimKey).rawValue) },
            onDelete: { claim in
                // Its volume is released.
                if let volume = claim.spec.volumeName, !volume.isEmpty { queue.add(Key.volume(volume).rawValue) }
            }))
        let enqueueVolume: @Sendable (CoreV1.PersistentVolume) -> Void = { volume in
            queue.add(Key.volume(volume.metadata.name ?? "").rawValue)
            if let reference = volume.spec.claimRef {
                queue.add(Key.claim("\(reference.namespace ?? "")/\(reference.name ?? "")").rawValue)
            } else {
                // A new free volume may be what pending claims wait for (upstream waits for the resync).
                for claim in claimLister.list() where (claim.spec.volumeName ?? "").isEmpty {
                    queue.add(Key.claim(claim.claimKey).rawValue)
                }
            }
        }
        volumeInformer.addEventHandler(EventHandler(onAdd: enqueueVolume, onUpdate: { _, new in enqueueVolume(new) },
                                                    onDelete: { volume in
            if let reference = volume.spec.claimRef {
                queue.add(Key.claim("\(reference.namespace ?? "")/\(reference.name ?? "")").rawValue)
            }
        }))
    }

    /// A queue key: a claim (`claim:ns/name`) or a volume (`volume:name`).
    enum Key: Equatable {
        case claim(String)
        case volume(String)

        var rawValue: String {
            switch self {
            case .claim(let key): "claim:\(key)"
            case .volume(let name): "volume:\(name)"
            }
        }

        init?(rawValue: String) {
            if rawValue.hasPrefix("claim:") { self = .claim(String(rawValue.dropFirst(6))) }
            else if rawValue.hasPrefix("volume:") { self = .volume(String(rawValue.dropFirst(7))) }
            else { return nil }
        }
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    public func reconcile(_ rawKey: String) async throws {
        switch Key(rawValue: rawKey) {
        case .claim(let key)?:
            let (namespace, name) = ObjectKeys.split(key)
            guard let claim = claims.get(namespace: namespace, name: name) else { return }
            try await syncClaim(claim)
        case .volume(let name)?:
            guard let volume = volumes.get(name: name) else { return }
            try await syncVolume(volume)
        case nil:
            return
        }
    }

    /// Looks at a pending claim again after the resync period, as upstream's periodic resync does.
    func resync(_ claim: CoreV1.PersistentVolumeClaim) {
        queue.addAfter(Key.claim(claim.claimKey).rawValue, Self.resyncPeriod)
    }
}
