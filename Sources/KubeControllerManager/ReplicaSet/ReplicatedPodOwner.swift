import KubeModel

/// What the replica set controller needs of the object that owns a set of identical pods:
/// a ReplicaSet, or a ReplicationController (upstream runs the same controller for both,
/// converting the controller's fields).
public protocol ReplicatedPodOwner: KubeObject {
    /// upstream's controller name for this kind (`replicaset-controller`).
    static var controllerName: String { get }
    /// `spec.replicas` (1 when unset, the server's default).
    var desiredReplicas: Int32 { get }
    var minReadySeconds: Int32 { get }
    var podTemplate: CoreV1.PodTemplateSpec? { get }
    /// The label selector of the owned pods.
    func podSelector() throws -> Labels.Selector
    /// The status in ReplicaSet form (the controller's own status converted).
    var replicaStatus: AppsV1.ReplicaSetStatus { get set }
}

extension AppsV1.ReplicaSet: ReplicatedPodOwner {
    public static var controllerName: String { "replicaset-controller" }
    public var desiredReplicas: Int32 { spec.replicas ?? 1 }
    public var minReadySeconds: Int32 { spec.minReadySeconds ?? 0 }
    public var podTemplate: CoreV1.PodTemplateSpec? { spec.template }
    public func podSelector() throws -> Labels.Selector { try Labels.Selector(spec.selector) }
    public var replicaStatus: AppsV1.ReplicaSetStatus {
        get { status }
        set { status = newValue }
    }
}

extension CoreV1.ReplicationController: ReplicatedPodOwner {
    public static var controllerName: String { "replicationcontroller-controller" }
    public var desiredReplicas: Int32 { spec.replicas ?? 1 }
    public var minReadySeconds: Int32 { spec.minReadySeconds ?? 0 }
    public var podTemplate: CoreV1.PodTemplateSpec? { spec.template }

    /// A controller's selector is a plain map; an empty one selects nothing (upstream's
    /// conversion to a ReplicaSet selector keeps it as matchLabels).
    public func podSelector() throws -> Labels.Selector {
        let selector = spec.selector ?? [:]
        return selector.isEmpty ? .nothing : Labels.Selector(matching: selector)
    }

    public var replicaStatus: AppsV1.ReplicaSetStatus {
        get {
            AppsV1.ReplicaSetStatus(
                availableReplicas: status.availableReplicas,
                conditions: status.conditions?.map {
                    AppsV1.ReplicaSetCondition(lastTransitionTime: $0.lastTransitionTime, message: $0.message,
                                               reason: $0.reason, status: $0.status, type: $0.type)
                },
                fullyLabeledReplicas: status.fullyLabeledReplicas, observedGeneration: status.observedGeneration,
                readyReplicas: status.readyReplicas, replicas: status.replicas)
        }
        set {
            status.availableReplicas = newValue.availableReplicas
            status.conditions = newValue.conditions?.map {
                CoreV1.ReplicationControllerCondition(lastTransitionTime: $0.lastTransitionTime, message: $0.message,
                                                      reason: $0.reason, status: $0.status, type: $0.type)
            }
            status.fullyLabeledReplicas = newValue.fullyLabeledReplicas
            status.observedGeneration = newValue.observedGeneration
            status.readyReplicas = newValue.readyReplicas
            status.replicas = newValue.replicas
        }
    }
}
