import Foundation
import KubeModel

/// The arithmetic of rollouts (upstream's `pkg/controller/deployment/util`): surge and
/// unavailability fenceposts, replica counts over sets of ReplicaSets, the size of a new
/// ReplicaSet and proportional scaling.
public enum DeploymentUtil {
    public static let podTemplateHashLabel = "pod-template-hash"

    public static func replicas(_ deployment: AppsV1.Deployment) -> Int32 { deployment.spec.replicas ?? 1 }
    public static func replicas(_ rs: AppsV1.ReplicaSet) -> Int32 { rs.spec.replicas ?? 1 }

    public static func isRollingUpdate(_ deployment: AppsV1.Deployment) -> Bool {
        (deployment.spec.strategy?.type ?? "RollingUpdate") == "RollingUpdate"
    }

    /// upstream's `ResolveFenceposts`: maxSurge rounded up and maxUnavailable rounded down
    /// against `desired`; both zero makes maxUnavailable 1.
    public static func resolveFenceposts(maxSurge: IntOrString?, maxUnavailable: IntOrString?,
                                         desired: Int32) throws -> (surge: Int32, unavailable: Int32) {
        let surge = try (maxSurge ?? .int(0)).scaledValue(total: Int(desired), roundUp: true)
        var unavailable = try (maxUnavailable ?? .int(0)).scaledValue(total: Int(desired), roundUp: false)
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return (Int32(surge), Int32(unavailable))
    }

    private static func fenceposts(_ deployment: AppsV1.Deployment) -> (surge: Int32, unavailable: Int32) {
        let rolling = deployment.spec.strategy?.rollingUpdate
        return (try? resolveFenceposts(maxSurge: rolling?.maxSurge, maxUnavailable: rolling?.maxUnavailable,
                                       desired: replicas(deployment))) ?? (0, 1)
    }

    /// upstream's `MaxUnavailable` (0 unless rolling; never more than the replicas).
    public static func maxUnavailable(_ deployment: AppsV1.Deployment) -> Int32 {
        guard isRollingUpdate(deployment), replicas(deployment) != 0 else { return 0 }
        return min(fenceposts(deployment).unavailable, replicas(deployment))
    }

    /// upstream's `MinAvailable`.
    public static func minAvailable(_ deployment: AppsV1.Deployment) -> Int32 {
        guard isRollingUpdate(deployment) else { return 0 }
        return replicas(deployment) - maxUnavailable(deployment)
    }

    /// upstream's `MaxSurge` (0 unless rolling).
    public static func maxSurge(_ deployment: AppsV1.Deployment) -> Int32 {
        guard isRollingUpdate(deployment) else { return 0 }
        return fenceposts(deployment).surge
    }

    /// Sum of `spec.replicas` (upstream's `GetReplicaCountForReplicaSets`).
    public static func specReplicas(_ sets: [AppsV1.ReplicaSet?]) -> Int32 {
        sets.compactMap { $0 }.reduce(0) { $0 + replicas($1) }
    }

    /// Sum of `status.replicas` (upstream's `GetActualReplicaCountForReplicaSets`).
    public static func actualReplicas(_ sets: [AppsV1.ReplicaSet?]) -> Int32 {
        sets.compactMap { $0 }.reduce(0) { $0 + $1.status.replicas }
    }

    public static func readyReplicas(_ sets: [AppsV1.ReplicaSet?]) -> Int32 {
        sets.compactMap { $0 }.reduce(0) { $0 + ($1.status.readyReplicas ?? 0) }
    }

    public static func availableReplicas(_ sets: [AppsV1.ReplicaSet?]) -> Int32 {
        sets.compactMap { $0 }.reduce(0) { $0 + ($1.status.availableReplicas ?? 0) }
    }

    /// Sum of `status.terminatingReplicas`; nil when any set does not report it.
    public static func terminatingReplicas(_ sets: [AppsV1.ReplicaSet?]) -> Int32? {
        var total: Int32 = 0
        for rs in sets.compactMap({ $0 }) {
            guard let count = rs.status.terminatingReplicas else { return nil }
            total += count
        }
        return total
    }

    /// The sets with replicas wanted (upstream's `FilterActiveReplicaSets`).
    public static func active(_ sets: [AppsV1.ReplicaSet?]) -> [AppsV1.ReplicaSet] {
        sets.compactMap { $0 }.filter { replicas($0) > 0 }
    }

    /// upstream's `NewRSNewReplicas`: how big the new ReplicaSet may be now.
    public static func newRSNewReplicas(_ deployment: AppsV1.Deployment, all: [AppsV1.ReplicaSet?],
                                        new: AppsV1.ReplicaSet) throws -> Int32 {
        switch deployment.spec.strategy?.type ?? "RollingUpdate" {
        case "RollingUpdate":
            let desired = replicas(deployment)
            let surge = try (deployment.spec.strategy?.rollingUpdate?.maxSurge ?? .int(0))
                .scaledValue(total: Int(desired), roundUp: true)
            let current = specReplicas(all)
            let maxTotal = desired + Int32(surge)
            if current >= maxTotal { return replicas(new) }
            let scaleUp = min(maxTotal - current, desired - replicas(new))
            return replicas(new) + scaleUp
        case "Recreate":
            return replicas(deployment)
        case let type:
            throw DeploymentError("deployment type \(type) isn't supported")
        }
    }

    /// upstream's `IsSaturated`: the new set has all the replicas, by spec, annotation and availability.
    public static func isSaturated(_ deployment: AppsV1.Deployment, _ rs: AppsV1.ReplicaSet?) -> Bool {
        guard let rs, let desired = rs.metadata.annotations?[desiredReplicasAnnotation].flatMap({ Int32($0) }) else {
            return false
        }
        let wanted = replicas(deployment)
        return replicas(rs) == wanted && desired == wanted && (rs.status.availableReplicas ?? 0) == wanted
    }

    /// upstream's `GetProportion`: how many of `toAdd` (minus those already `added`) this set takes.
    public static func proportion(_ rs: AppsV1.ReplicaSet?, _ deployment: AppsV1.Deployment,
                                  toAdd: Int32, added: Int32) -> Int32 {
        guard let rs, replicas(rs) != 0, toAdd != 0, toAdd != added else { return 0 }
        let fraction = replicaSetFraction(rs, deployment)
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// upstream's `getReplicaSetFraction`: the set's share of the new size, by the max-replicas
    /// annotation it was last scaled with (else the deployment's current replicas).
    static func replicaSetFraction(_ rs: AppsV1.ReplicaSet, _ deployment: AppsV1.Deployment) -> Int32 {
        if replicas(deployment) == 0 { return -replicas(rs) }
        let maxReplicas = replicas(deployment) + maxSurge(deployment)
        var before = rs.metadata.annotations?[maxReplicasAnnotation].flatMap { Int32($0) } ?? 0
        if before == 0 {
            before = deployment.status.replicas ?? 0
            if before == 0 { return 0 }
        }
        let size = Double(replicas(rs) * maxReplicas) / Double(before)
        return Int32(size.rounded()) - replicas(rs)
    }

    /// upstream's `DeploymentComplete`.
    public static func isComplete(_ deployment: AppsV1.Deployment, _ status: AppsV1.DeploymentStatus) -> Bool {
        let wanted = replicas(deployment)
        return (status.updatedReplicas ?? 0) == wanted && (status.replicas ?? 0) == wanted
            && (status.availableReplicas ?? 0) == wanted
            && (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
    }

    /// upstream's `DeploymentProgressing`: more updated, ready or available replicas, or fewer old ones.
    public static func isProgressing(_ deployment: AppsV1.Deployment, _ status: AppsV1.DeploymentStatus) -> Bool {
        let old = deployment.status
        let oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0)
        let newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0)
        return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
            || (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0)
            || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
    }

    /// A progress deadline is set (and not the "never" value).
    public static func hasProgressDeadline(_ deployment: AppsV1.Deployment) -> Bool {
        guard let deadline = deployment.spec.progressDeadlineSeconds else { return false }
        return deadline != Int32.max
    }

    /// upstream's `DeploymentTimedOut`: the Progressing condition was last updated more than
    /// the deadline before `now`.
    public static func hasTimedOut(_ deployment: AppsV1.Deployment, _ status: AppsV1.DeploymentStatus, now: Date) -> Bool {
        guard hasProgressDeadline(deployment),
              let condition = DeploymentConditions.get(status, DeploymentConditions.progressing) else { return false }
        if condition.reason == DeploymentConditions.newRSAvailableReason { return false }
        if condition.reason == DeploymentConditions.timedOutReason { return true }
        guard let from = condition.lastUpdateTime else { return false }
        return from.date.addingTimeInterval(TimeInterval(deployment.spec.progressDeadlineSeconds ?? 0)) < now
    }

    public static func hasRevisionHistoryLimit(_ deployment: AppsV1.Deployment) -> Bool {
        guard let limit = deployment.spec.revisionHistoryLimit else { return false }
        return limit != Int32.max
    }
}

/// An error of the deployment controller, with upstream's message.
public struct DeploymentError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
