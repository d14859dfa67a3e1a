import KubeClient
import KubeModel

/// The scale of the controllers that own pods, from the informer caches (upstream's finders
/// in the disruption controller): a ReplicaSet's replicas — or its Deployment's when a
/// Deployment controls it — a ReplicationController's and a StatefulSet's.
struct ControllerScales: Sendable {
    let replicaSets: Lister<AppsV1.ReplicaSet>
    let deployments: Lister<AppsV1.Deployment>
    let replicationControllers: Lister<CoreV1.ReplicationController>
    let statefulSets: Lister<AppsV1.StatefulSet>

    struct NoController: Error, CustomStringConvertible {
        var pod: String
        var description: String { "found no controllers for pod \"\(pod)\"" }
    }

    /// The sum of the scales of the pods' controllers, and the pods without a controller.
    func expectedScale(of pods: [CoreV1.Pod]) throws -> (Int32, [String]) {
        var scales: [String: Int32] = [:]
        var unmanaged: [String] = []
        for pod in pods {
            guard let reference = OwnerReferences.controller(of: pod) else {
                unmanaged.append(pod.metadata.name ?? "")
                continue
            }
            if scales[reference.uid] != nil { continue }
            guard let (uid, scale) = self.scale(of: reference, namespace: pod.metadata.namespace ?? "") else {
                throw NoController(pod: pod.metadata.name ?? "")
            }
            scales[uid] = scale
        }
        return (scales.values.reduce(0, +), unmanaged)
    }

    /// The UID and scale of the controller `reference` points at, if it is known and matches.
    func scale(of reference: MetaV1.OwnerReference, namespace: String) -> (String, Int32)? {
        let group = OwnerReferences.apiGroup(of: reference.apiVersion)
        switch (group, reference.kind) {
        case ("apps", "ReplicaSet"):
            guard let set = replicaSets.get(namespace: namespace, name: reference.name),
                  set.metadata.uid == reference.uid else { return nil }
            if let owner = OwnerReferences.controller(of: set), owner.kind == "Deployment",
               OwnerReferences.apiGroup(of: owner.apiVersion) == "apps" {
                guard let deployment = deployments.get(namespace: namespace, name: owner.name),
                      deployment.metadata.uid == owner.uid else { return nil }
                return (owner.uid, deployment.spec.replicas ?? 1)
            }
            return (reference.uid, set.spec.replicas ?? 1)
        case ("", "ReplicationController"):
            guard let controller = replicationControllers.get(namespace: namespace, name: reference.name),
                  controller.metadata.uid == reference.uid else { return nil }
            return (reference.uid, controller.spec.replicas ?? 1)
        case ("apps", "StatefulSet"):
            guard let set = statefulSets.get(namespace: namespace, name: reference.name),
                  set.metadata.uid == reference.uid else { return nil }
            return (reference.uid, set.spec.replicas ?? 1)
        default:
            return nil
        }
    }
}
