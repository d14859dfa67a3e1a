import Foundation
import KubeModel

/// The Deployment's conditions, their reasons and how they are set (upstream's
/// `NewDeploymentCondition`, `SetDeploymentCondition`, `RemoveDeploymentCondition`).
public enum DeploymentConditions {
    public static let progressing = "Progressing"
    public static let available = "Available"
    public static let replicaFailure = "ReplicaFailure"

    public static let failedRSCreateReason = "ReplicaSetCreateError"
    public static let newReplicaSetReason = "NewReplicaSetCreated"
    public static let foundNewRSReason = "FoundNewReplicaSet"
    public static let newRSAvailableReason = "NewReplicaSetAvailable"
    public static let timedOutReason = "ProgressDeadlineExceeded"
    public static let pausedReason = "DeploymentPaused"
    public static let resumedReason = "DeploymentResumed"
    public static let replicaSetUpdatedReason = "ReplicaSetUpdated"
    public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
    public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"

    public static func make(_ type: String, _ status: String, _ reason: String, _ message: String,
                            now: Date = Date()) -> AppsV1.DeploymentCondition {
        let time = MetaV1.Time(now)
        return AppsV1.DeploymentCondition(lastTransitionTime: time, lastUpdateTime: time, message: message,
                                          reason: reason, status: status, type: type)
    }

    public static func get(_ status: AppsV1.DeploymentStatus, _ type: String) -> AppsV1.DeploymentCondition? {
        status.conditions?.first { $0.type == type }
    }

    /// Replaces the condition of the same type, unless status and reason are unchanged; the
    /// transition time is kept while the status stays the same.
    public static func set(_ status: inout AppsV1.DeploymentStatus, _ condition: AppsV1.DeploymentCondition) {
        var condition = condition
        let current = get(status, condition.type)
        if let current, current.status == condition.status, current.reason == condition.reason { return }
        if let current, current.status == condition.status { condition.lastTransitionTime = current.lastTransitionTime }
        status.conditions = (status.conditions ?? []).filter { $0.type != condition.type } + [condition]
    }

    public static func remove(_ status: inout AppsV1.DeploymentStatus, _ type: String) {
        guard status.conditions != nil else { return }
        status.conditions = status.conditions?.filter { $0.type != type }
    }

    /// A ReplicaSet condition as a Deployment condition (its transition time as both times).
    public static func fromReplicaSet(_ condition: AppsV1.ReplicaSetCondition) -> AppsV1.DeploymentCondition {
        AppsV1.DeploymentCondition(lastTransitionTime: condition.lastTransitionTime,
                                   lastUpdateTime: condition.lastTransitionTime, message: condition.message,
                                   reason: condition.reason, status: condition.status, type: condition.type)
    }
}
