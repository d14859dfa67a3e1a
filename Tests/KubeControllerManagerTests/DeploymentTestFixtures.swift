import Foundation
@testable import KubeControllerManager
import KubeModel

/// Deployments and ReplicaSets as upstream's deployment controller tests build them
/// (`newDeployment`, `rs`): RollingUpdate with maxSurge and maxUnavailable 0 unless given.
enum DeploymentTestFixtures {
    static let newTimestamp = MetaV1.Time(secondsSinceEpoch: 1_000_000)
    static let oldTimestamp = MetaV1.Time(secondsSinceEpoch: 1_000_000 - 5)
    static let olderTimestamp = MetaV1.Time(secondsSinceEpoch: 1_000_000 - 10)

    static func deployment(_ name: String = "foo", replicas: Int32, maxSurge: IntOrString = .int(0),
                           maxUnavailable: IntOrString = .int(0), selector: [String: String] = ["foo": "bar"],
                           image: String = "app:1") -> AppsV1.Deployment {
        var d = AppsV1.Deployment()
        d.metadata.name = name
        d.metadata.namespace = "ns"
        d.metadata.uid = "uid-\(name)"
        d.metadata.generation = 1
        d.spec.replicas = replicas
        d.spec.selector = MetaV1.LabelSelector(matchLabels: selector)
        d.spec.strategy = AppsV1.DeploymentStrategy(
            rollingUpdate: AppsV1.RollingUpdateDeployment(maxSurge: maxSurge, maxUnavailable: maxUnavailable), type: "RollingUpdate")
        d.spec.template = CoreV1.PodTemplateSpec(metadata: MetaV1.ObjectMeta(labels: selector),
                                                 spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: image, name: "app")]))
        d.spec.revisionHistoryLimit = 10
        d.spec.progressDeadlineSeconds = 600
        return d
    }

    static func replicaSet(_ name: String, replicas: Int32, created: MetaV1.Time = newTimestamp,
                           available: Int32 = 0, owner: AppsV1.Deployment? = nil) -> AppsV1.ReplicaSet {
        var rs = AppsV1.ReplicaSet()
        rs.metadata.name = name
        rs.metadata.namespace = "ns"
        rs.metadata.uid = "uid-\(name)"
        rs.metadata.creationTimestamp = created
        rs.spec.replicas = replicas
        rs.spec.template = CoreV1.PodTemplateSpec()
        rs.status.availableReplicas = available
        if let owner { rs.metadata.ownerReferences = [OwnerReferences.controllerReference(to: owner)] }
        return rs
    }

    /// The replicas each ReplicaSet was last updated to, by name.
    static func updatedSizes(_ client: RecordingObjectClient) -> [String: Int32] {
        var sizes: [String: Int32] = [:]
        for action in client.writes where action.verb == "update" && action.kind == "ReplicaSet" && action.subresource == nil {
            if case .int(let replicas)? = action.body?["spec"]?["replicas"] { sizes[action.name] = Int32(replicas) }
        }
        return sizes
    }
}
