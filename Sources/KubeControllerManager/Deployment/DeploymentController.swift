import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `deployment-controller`: rolls a Deployment's pod template out through
/// ReplicaSets (one per template, named `<deployment>-<pod-template-hash>`), by the
/// RollingUpdate or Recreate strategy, scales them proportionally, keeps the revision history
/// and reports progress and availability in the Deployment's status.
public struct DeploymentController: Controller {
    public static let controllerName = "deployment-controller"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let logger: Logger
    let deployments: Lister<AppsV1.Deployment>
    let replicaSets: Lister<AppsV1.ReplicaSet>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        events = context.events
        logger = context.logger
        self.now = now
        let deploymentInformer = context.informers.informer(AppsV1.Deployment.self)
        let replicaSetInformer = context.informers.informer(AppsV1.ReplicaSet.self)
        let podInformer = context.informers.informer(CoreV1.Pod.self)
        deployments = deploymentInformer.lister
        replicaSets = replicaSetInformer.lister
        pods = podInformer.lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        deploymentInformer.addEventHandler(.enqueueing { queue.add(ObjectKeys.key(of: $0)) })
        let handlers = ReplicaSetEventHandlers(deployments: deployments, replicaSets: replicaSets, queue: queue)
        replicaSetInformer.addEventHandler(EventHandler(
            onAdd: handlers.added, onUpdate: handlers.updated, onDelete: handlers.deleted))
        podInformer.addEventHandler(EventHandler(onDelete: handlers.podDeleted))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// upstream's `syncDeployment`.
    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard var d = deployments.get(namespace: namespace, name: name) else { return }
        if d.spec.selector.matchLabels?.isEmpty ?? true, d.spec.selector.matchExpressions?.isEmpty ?? true {
            events.event(d, type: .warning, reason: "SelectingAll",
                         message: "This deployment is selecting all pods. A non-empty selector is required.")
            if (d.status.observedGeneration ?? 0) < (d.metadata.generation ?? 0) {
                d.status.observedGeneration = d.metadata.generation
                _ = try await client.updateStatus(d)
            }
            return
        }
        let rsList = try await claimReplicaSets(d)
        let podMap = podsByReplicaSet(d, rsList)
        if d.metadata.deletionTimestamp != nil {
            return try await syncStatusOnly(&d, rsList)
        }
        try await checkPausedConditions(&d)
        if d.spec.paused == true {
            return try await sync(&d, rsList)
        }
        if try await isScalingEvent(&d, rsList) {
            return try await sync(&d, rsList)
        }
        switch d.spec.strategy?.type ?? "RollingUpdate" {
        case "Recreate": try await rolloutRecreate(&d, rsList, podMap: podMap)
        case "RollingUpdate": try await rolloutRolling(&d, rsList)
        case let type: throw DeploymentError("unexpected deployment strategy type: \(type)")
        }
    }

    /// The ReplicaSets of the deployment's namespace it controls, after adopting matching
    /// orphans and releasing those that stopped matching.
    func claimReplicaSets(_ d: AppsV1.Deployment) async throws -> [AppsV1.ReplicaSet] {
        let selector: Labels.Selector
        do {
            selector = try Labels.Selector(d.spec.selector)
        } catch {
            throw DeploymentError("deployment \(d.metadata.namespace ?? "")/\(d.metadata.name ?? "") has invalid label selector: \(error)")
        }
        let manager = ControllerRefManager(owner: d, client: client)
        let candidates = replicaSets.list(namespace: d.metadata.namespace ?? "")
        let (claimed, errors) = await manager.claim(candidates) { selector.matches($0.metadata.labels ?? [:]) }
        if let first = errors.first { throw first }
        return claimed
    }

    /// The deployment's pods grouped by the UID of the ReplicaSet controlling them.
    func podsByReplicaSet(_ d: AppsV1.Deployment, _ rsList: [AppsV1.ReplicaSet]) -> [String: [CoreV1.Pod]] {
        guard let selector = try? Labels.Selector(d.spec.selector) else { return [:] }
        var map: [String: [CoreV1.Pod]] = [:]
        for rs in rsList { map[rs.metadata.uid ?? ""] = [] }
        for pod in pods.list(namespace: d.metadata.namespace ?? "", selector) {
            guard let uid = OwnerReferences.controller(of: pod)?.uid, map[uid] != nil else { continue }
            map[uid]?.append(pod)
        }
        return map
    }

    /// Writes the deployment's status and keeps the answer (its new resourceVersion).
    func writeStatus(_ d: inout AppsV1.Deployment) async throws {
        let annotations = d.metadata.annotations
        d = try await client.updateStatus(d)
        d.metadata.annotations = annotations
    }

    /// Writes the revision annotation (a patch of the object itself: the status subresource
    /// keeps metadata as it was).
    func writeRevision(_ d: inout AppsV1.Deployment) async throws {
        let revision = d.metadata.annotations?[DeploymentUtil.revisionAnnotation] ?? ""
        let patch = ObjectPatch(.merge, json: .object(["metadata": .object([
            "annotations": .object([DeploymentUtil.revisionAnnotation: .string(revision)]),
        ])]))
        let patched = try await client.patch(AppsV1.Deployment.self, namespace: d.metadata.namespace,
                                             name: d.metadata.name ?? "", patch)
        d.metadata.annotations = patched.metadata.annotations
        d.metadata.resourceVersion = patched.metadata.resourceVersion
    }
}
