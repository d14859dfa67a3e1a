import KubeClient
import KubeComponentHelpers
import KubeModel

/// upstream's `pvc-protection-controller`: keeps the `kubernetes.io/pvc-protection` finalizer on
/// claims, and removes it from a claim being deleted once no scheduled, unfinished pod uses it,
/// so the claim goes only after its last pod.
public struct PVCProtectionController: Controller {
    public static let controllerName = "pvc-protection-controller"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let claims: Lister<CoreV1.PersistentVolumeClaim>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue

    public init(context: ControllerContext) {
        client = context.client
        let claimInformer = context.informers.informer(CoreV1.PersistentVolumeClaim.self)
        let podInformer = context.informers.informer(CoreV1.Pod.self)
        claims = claimInformer.lister
        pods = podInformer.lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        claimInformer.addEventHandler(EventHandler(
            onAdd: { Self.enqueueIfNeeded($0, queue) }, onUpdate: { _, claim in Self.enqueueIfNeeded(claim, queue) }))
        // A pod that goes or finishes may release the claims it used.
        let enqueueClaims: @Sendable (CoreV1.Pod) -> Void = { pod in
            for claim in pod.claimNames { queue.add("\(pod.metadata.namespace ?? "")/\(claim.name)") }
        }
        podInformer.addEventHandler(EventHandler(
            onAdd: { _ in }, onUpdate: { _, pod in if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" { enqueueClaims(pod) } },
            onDelete: enqueueClaims))
    }

    static func enqueueIfNeeded(_ claim: CoreV1.PersistentVolumeClaim, _ queue: ControllerQueue) {
        let hasFinalizer = claim.metadata.finalizers?.contains(StorageProtection.claimFinalizer) == true
        if (claim.metadata.deletionTimestamp != nil) == hasFinalizer { queue.add(claim.claimKey) }
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let claim = claims.get(namespace: namespace, name: name) else { return }
        var finalizers = claim.metadata.finalizers ?? []
        let hasFinalizer = finalizers.contains(StorageProtection.claimFinalizer)
        if claim.metadata.deletionTimestamp == nil {
            guard !hasFinalizer else { return }
            finalizers.append(StorageProtection.claimFinalizer)
        } else {
            guard hasFinalizer else { return }
            if pods.list(namespace: namespace).contains(where: { StorageProtection.pod($0, uses: claim) }) { return }
            finalizers.removeAll { $0 == StorageProtection.claimFinalizer }
        }
        var updated = claim
        updated.metadata.finalizers = finalizers.isEmpty ? nil : finalizers
        _ = try await client.update(updated)
    }
}
