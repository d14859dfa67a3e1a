import KubeClient
import KubeComponentHelpers
import KubeModel

/// upstream's `pv-protection-controller`: keeps the `kubernetes.io/pv-protection` finalizer on
/// volumes, and removes it from a volume being deleted once it is no longer Bound to a claim.
public struct PVProtectionController: Controller {
    public static let controllerName = "pv-protection-controller"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let volumes: Lister<CoreV1.PersistentVolume>
    let queue: ControllerQueue

    public init(context: ControllerContext) {
        client = context.client
        let informer = context.informers.informer(CoreV1.PersistentVolume.self)
        volumes = informer.lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        let enqueue: @Sendable (CoreV1.PersistentVolume) -> Void = { volume in
            let hasFinalizer = volume.metadata.finalizers?.contains(StorageProtection.volumeFinalizer) == true
            if (volume.metadata.deletionTimestamp != nil) == hasFinalizer { queue.add(volume.metadata.name ?? "") }
        }
        informer.addEventHandler(EventHandler(onAdd: enqueue, onUpdate: { _, volume in enqueue(volume) }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    public func reconcile(_ name: String) async throws {
        guard let volume = volumes.get(name: name) else { return }
        var finalizers = volume.metadata.finalizers ?? []
        let hasFinalizer = finalizers.contains(StorageProtection.volumeFinalizer)
        if volume.metadata.deletionTimestamp == nil {
            guard !hasFinalizer else { return }
            finalizers.append(StorageProtection.volumeFinalizer)
        } else {
            guard hasFinalizer, volume.status.phase != "Bound" else { return }
            finalizers.removeAll { $0 == StorageProtection.volumeFinalizer }
        }
        var updated = volume
        updated.metadata.finalizers = finalizers.isEmpty ? nil : finalizers
        _ = try await client.update(updated)
    }
}
