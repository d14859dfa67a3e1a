import KubeClient
import KubeModel

extension DeploymentController {
    /// The ReplicaSet and pod informers' handlers (upstream's `addReplicaSet`,
    /// `updateReplicaSet`, `deleteReplicaSet`, `deletePod`): they queue the deployments concerned.
    struct ReplicaSetEventHandlers: Sendable {
        let deployments: Lister<AppsV1.Deployment>
        let replicaSets: Lister<AppsV1.ReplicaSet>
        let queue: ControllerQueue

        func resolve(_ reference: MetaV1.OwnerReference, namespace: String) -> AppsV1.Deployment? {
            guard reference.kind == "Deployment",
                  let deployment = deployments.get(namespace: namespace, name: reference.name),
                  deployment.metadata.uid == reference.uid else { return nil }
            return deployment
        }

        /// Deployments whose (non-empty) selector matches the orphan `rs`.
        func matchingDeployments(_ rs: AppsV1.ReplicaSet) -> [AppsV1.Deployment] {
            deployments.list(namespace: rs.metadata.namespace ?? "").filter { deployment in
                guard let selector = try? Labels.Selector(deployment.spec.selector), !selector.isEmpty else { return false }
                return selector.matches(rs.metadata.labels ?? [:])
            }
        }

        func added(_ rs: AppsV1.ReplicaSet) {
            if rs.metadata.deletionTimestamp != nil {
                deleted(rs)
                return
            }
            if let reference = OwnerReferences.controller(of: rs) {
                if let deployment = resolve(reference, namespace: rs.metadata.namespace ?? "") {
                    queue.add(ObjectKeys.key(of: deployment))
                }
                return
            }
            for deployment in matchingDeployments(rs) { queue.add(ObjectKeys.key(of: deployment)) }
        }

        func updated(_ old: AppsV1.ReplicaSet, _ rs: AppsV1.ReplicaSet) {
            if rs.metadata.resourceVersion == old.metadata.resourceVersion { return }
            let namespace = rs.metadata.namespace ?? ""
            let reference = OwnerReferences.controller(of: rs)
            let oldReference = OwnerReferences.controller(of: old)
            let referenceChanged = reference != oldReference
            if referenceChanged, let oldReference, let deployment = resolve(oldReference, namespace: namespace) {
                queue.add(ObjectKeys.key(of: deployment))
            }
            if let reference {
                if let deployment = resolve(reference, namespace: namespace) { queue.add(ObjectKeys.key(of: deployment)) }
                return
            }
            if rs.metadata.labels != old.metadata.labels || referenceChanged {
                for deployment in matchingDeployments(rs) { queue.add(ObjectKeys.key(of: deployment)) }
            }
        }

        func deleted(_ rs: AppsV1.ReplicaSet) {
            guard let reference = OwnerReferences.controller(of: rs),
                  let deployment = resolve(reference, namespace: rs.metadata.namespace ?? "") else { return }
            queue.add(ObjectKeys.key(of: deployment))
        }

        /// A Recreate deployment waits for its old pods to be gone before it scales up.
        func podDeleted(_ pod: CoreV1.Pod) {
            let namespace = pod.metadata.namespace ?? ""
            guard let rsReference = OwnerReferences.controller(of: pod), rsReference.kind == "ReplicaSet",
                  let rs = replicaSets.get(namespace: namespace, name: rsReference.name),
                  rs.metadata.uid == rsReference.uid,
                  let reference = OwnerReferences.controller(of: rs),
                  let deployment = resolve(reference, namespace: namespace),
                  deployment.spec.strategy?.type == "Recreate" else { return }
            queue.add(ObjectKeys.key(of: deployment))
        }
    }
}
